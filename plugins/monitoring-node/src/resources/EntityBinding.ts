import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import {
  KubeObject,
  MonitoringSettings,
  parseMonitoringAnnotations,
  RenderOptions,
} from '@prometheus-ocs/plugin-monitoring-common';
import { KubernetesClient } from '../kubernetes/KubernetesClient';
import {
  describeObject,
  entityRefOf,
  isManagedByUs,
  scopeOf,
} from './ownership';

/**
 * How an entity relates to the per-entity objects its annotations name (its Service and
 * ServiceMonitor in its namespace of its cluster):
 * - `bound`: they carry this product's markers and this entity's ref;
 * - `bound-elsewhere`: one of them carries another entity's ref (`boundTo`);
 * - `unbound`: none of them is ours (absent, or someone else's object without our markers).
 *
 * @public
 */
export interface EntityBinding {
  state: 'bound' | 'unbound' | 'bound-elsewhere';
  /** The entity the objects are bound to, when `bound-elsewhere`. */
  boundTo?: string;
  /** The object bound elsewhere, e.g. `ServiceMonitor shop-dev/inventory`. */
  object?: string;
}

/**
 * The entity refs recorded on the objects a binding is read from, as plain JSON so that callers
 * may cache them (shared by every entity naming the same objects, whoever asks).
 *
 * @public
 */
export interface BindingMarkers {
  /** Our per-entity objects among them: which object, bound to which entity. */
  owners: Array<{ object: string; entityRef: string }>;
}

/**
 * Where a binding is read: the entity's namespace and the names of its per-entity objects.
 *
 * @public
 */
export type BindingTarget = Pick<MonitoringSettings, 'namespace'> & {
  names: Pick<MonitoringSettings['names'], 'service' | 'serviceMonitor'>;
};

function bindingObjects(target: BindingTarget) {
  const { namespace, names } = target;
  return [
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      namespace,
      name: names.serviceMonitor,
    },
    { apiVersion: 'v1', kind: 'Service', namespace, name: names.service },
  ];
}

/**
 * The markers among `objects` (live objects already read, e.g. by apply's read phase): those of
 * the target's ServiceMonitor and Service with our managed-by label and scope `entity`. Objects
 * without our markers bind nobody.
 *
 * @public
 */
export function bindingMarkersOf(
  objects: KubeObject[],
  target: BindingTarget,
): BindingMarkers {
  const owners: BindingMarkers['owners'] = [];
  for (const ref of bindingObjects(target)) {
    const live = objects.find(
      o =>
        o.apiVersion === ref.apiVersion &&
        o.kind === ref.kind &&
        o.metadata.namespace === ref.namespace &&
        o.metadata.name === ref.name,
    );
    if (!live || !isManagedByUs(live) || scopeOf(live) !== 'entity') continue;
    owners.push({
      object: describeObject(ref),
      entityRef: entityRefOf(live) ?? 'an unknown entity',
    });
  }
  return { owners };
}

/**
 * Reads the ownership markers of the target's ServiceMonitor and Service (two GETs by name).
 *
 * @public
 */
export async function readBindingMarkers(
  client: KubernetesClient,
  target: BindingTarget,
): Promise<BindingMarkers> {
  const refs = bindingObjects(target);
  // A 404 for the whole group (operator not installed) reads as an absent object.
  const lives = await Promise.all(refs.map(ref => client.get(ref)));
  return bindingMarkersOf(
    lives.filter((o): o is KubeObject => o !== undefined),
    target,
  );
}

/**
 * The binding of `entityRef` given the markers: any object bound to another entity wins (the
 * objects are that entity's), else any object bound to it, else unbound.
 *
 * @public
 */
export function bindingFor(
  markers: BindingMarkers,
  entityRef: string,
): EntityBinding {
  const elsewhere = markers.owners.find(o => o.entityRef !== entityRef);
  if (elsewhere) {
    return {
      state: 'bound-elsewhere',
      boundTo: elsewhere.entityRef,
      object: elsewhere.object,
    };
  }
  return { state: markers.owners.length ? 'bound' : 'unbound' };
}

/**
 * The entity's binding in its cluster.
 *
 * @public
 */
export async function resolveBinding(
  client: KubernetesClient,
  settings: MonitoringSettings,
): Promise<EntityBinding> {
  return bindingFor(
    await readBindingMarkers(client, settings),
    settings.entityRef,
  );
}

/**
 * The 409 for reading, silencing or writing objects bound to another entity.
 *
 * @public
 */
export function boundElsewhereError(
  binding: EntityBinding,
  settings: Pick<MonitoringSettings, 'entityRef'>,
  prefix = '',
): ConflictError {
  return new ConflictError(
    `${prefix}${binding.object} belongs to ${binding.boundTo}, not ${settings.entityRef} (its backstage.io/kubernetes-id names objects bound to another entity)`,
  );
}

/**
 * The catalog, as far as claims go. Injected so that this package needs no catalog client: the
 * backend and the scaffolder module pass {@link catalogEntityClaims}, tests a list.
 *
 * @public
 */
export interface EntityClaimCatalog {
  /**
   * Every catalog entity that may name objects after `kubernetesId`: its
   * `backstage.io/kubernetes-id` annotation is that id, or its `metadata.name` is (the id an entity
   * without the annotation uses). Must see every entity, whoever the user is.
   */
  entitiesClaiming(kubernetesId: string): Promise<Entity[]>;
}

/**
 * An {@link EntityClaimCatalog} backed by the catalog (`CatalogService`, or a `CatalogApi`
 * bound to credentials), asked with the plugin's own service credentials so that entities the
 * user may not see still count.
 *
 * @public
 */
export function catalogEntityClaims<TCredentials>(options: {
  catalog: {
    getEntities(
      request: {
        filter: Array<Record<string, string>>;
        fields: string[];
      },
      options: { credentials: TCredentials },
    ): Promise<{ items: Entity[] }>;
  };
  auth: { getOwnServiceCredentials(): Promise<TCredentials> };
}): EntityClaimCatalog {
  return {
    async entitiesClaiming(kubernetesId) {
      const { items } = await options.catalog.getEntities(
        {
          // Either filter matches (OR); the exact, case-sensitive comparison is made by the caller.
          filter: [
            { 'metadata.annotations.backstage.io/kubernetes-id': kubernetesId },
            { 'metadata.name': kubernetesId },
          ],
          fields: ['apiVersion', 'kind', 'metadata', 'spec'],
        },
        { credentials: await options.auth.getOwnServiceCredentials() },
      );
      return items;
    },
  };
}

/**
 * An {@link EntityClaimCatalog} over a fixed list of entities (a catalog file, tests).
 *
 * @public
 */
export function entityListClaims(entities: Entity[]): EntityClaimCatalog {
  return {
    async entitiesClaiming(kubernetesId) {
      return entities.filter(
        e =>
          e.metadata.name === kubernetesId ||
          e.metadata.annotations?.['backstage.io/kubernetes-id'] ===
            kubernetesId,
      );
    },
  };
}

/**
 * Claims before writes: refuses (ConflictError, 409) to let `settings`' entity write its
 * per-entity objects when they are bound to another entity, or when another catalog entity
 * claims the same (cluster, namespace, kubernetes-id) with precedence:
 * - an existing binding wins (the entity bound keeps its objects; it may always re-apply);
 * - otherwise the entity whose `metadata.name` is the kubernetes-id wins;
 * - two equal claims (both or neither named so) are both refused, naming each other, until an
 *   administrator changes one entity's `backstage.io/kubernetes-id`.
 *
 * Reads the cluster and the catalog only; writes nothing.
 *
 * @public
 */
export async function assertEntityClaim(options: {
  client: KubernetesClient;
  settings: MonitoringSettings;
  /** The name of the entity applying (`metadata.name`). */
  entityName: string;
  catalog: EntityClaimCatalog;
  renderOptions: RenderOptions;
  /** The binding when the caller has just read the objects (else read from `client`). */
  binding?: EntityBinding;
}): Promise<EntityBinding> {
  const { client, settings, entityName, catalog, renderOptions } = options;
  const binding = options.binding ?? (await resolveBinding(client, settings));
  if (binding.state === 'bound-elsewhere') {
    throw boundElsewhereError(binding, settings, 'Refusing to apply: ');
  }
  if (binding.state === 'bound') return binding;

  const id = settings.kubernetesId;
  const rivals = (await catalog.entitiesClaiming(id)).filter(entity => {
    if (stringifyEntityRef(entity) === settings.entityRef) return false;
    const theirs = parseMonitoringAnnotations(entity, renderOptions).settings;
    return (
      theirs !== undefined &&
      theirs.kubernetesId === id &&
      theirs.namespace === settings.namespace &&
      theirs.cluster === settings.cluster
    );
  });
  const named = (e: Entity) => e.metadata.name === id;
  const preceding = rivals.filter(named);
  const mine = entityName === id;
  const blocking = mine ? preceding : rivals;
  if (blocking.length === 0) return binding;
  const refs = blocking.map(e => stringifyEntityRef(e)).sort();
  const what = `backstage.io/kubernetes-id "${id}" in ${settings.cluster}/${settings.namespace}`;
  if (!mine && preceding.length) {
    throw new ConflictError(
      `Refusing to apply: ${what} is claimed by ${refs.join(
        ', ',
      )}, whose name is that id and which therefore takes precedence over ${
        settings.entityRef
      }; choose another backstage.io/kubernetes-id`,
    );
  }
  throw new ConflictError(
    `Refusing to apply: ${what} is also claimed by ${refs.join(
      ', ',
    )} in the catalog, with equal precedence to ${
      settings.entityRef
    }; an administrator must change one entity's backstage.io/kubernetes-id`,
  );
}
