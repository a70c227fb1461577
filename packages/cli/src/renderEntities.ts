import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ENTITY_REF_ANNOTATION,
  InvalidAnnotationsError,
  KubeObject,
  MONITORING_ANNOTATIONS,
  RenderOptions,
  renderMonitoringResources,
  toYaml,
} from '@prometheus-ocs/plugin-monitoring-common';
import { isError } from '@backstage/errors';

/** One rendered object with where it came from. */
export interface RenderedObject {
  object: KubeObject;
  entityRef: string;
  cluster: string;
}

/** Result of {@link renderEntities}. */
export interface RenderEntitiesResult {
  /** Shared objects (deduplicated per cluster and namespace) first, then per-entity objects in input order. */
  objects: RenderedObject[];
  /** Informational messages (skipped entities, shared objects that differ between entities). */
  notes: string[];
  /** One line per problem; non-empty means the input is bad. */
  errors: string[];
  /** Entity refs that were rendered. */
  rendered: string[];
}

function entityRefOf(entity: Entity): string {
  try {
    return stringifyEntityRef(entity);
  } catch {
    return String(entity.metadata?.name);
  }
}

function objectKey(cluster: string, o: KubeObject): string {
  return `${cluster}|${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ''}|${
    o.metadata.name
  }`;
}

/** The object without the entity-ref annotation, which legitimately differs between entities. */
function comparable(o: KubeObject): string {
  const annotations = { ...o.metadata.annotations };
  delete annotations[ENTITY_REF_ANNOTATION];
  return JSON.stringify({ ...o, metadata: { ...o.metadata, annotations } });
}

/**
 * Renders every opted-in entity. Entities without `prometheus-ocs.io/enabled` (or with "false")
 * are skipped with a note; with `onlyCluster`, so are entities that target another cluster.
 * Shared objects of a namespace appear once, from the first entity that needs them.
 */
export function renderEntities(
  entities: Entity[],
  options: RenderOptions,
  filter: { onlyCluster?: string } = {},
): RenderEntitiesResult {
  const result: RenderEntitiesResult = {
    objects: [],
    notes: [],
    errors: [],
    rendered: [],
  };
  const shared = new Map<string, RenderedObject>();
  const perEntity: RenderedObject[] = [];
  const effective: RenderOptions = filter.onlyCluster
    ? { ...options, defaultCluster: filter.onlyCluster }
    : options;

  for (const entity of entities) {
    const ref = entityRefOf(entity);
    const enabled =
      entity.metadata.annotations?.[MONITORING_ANNOTATIONS.enabled];
    if (
      enabled === undefined ||
      (typeof enabled === 'string' && enabled.trim() === 'false')
    ) {
      result.notes.push(
        `${ref}: skipped, not opted in (${MONITORING_ANNOTATIONS.enabled} is not "true")`,
      );
      continue;
    }
    const annotatedCluster =
      entity.metadata.annotations?.[MONITORING_ANNOTATIONS.kubernetesCluster];
    if (
      filter.onlyCluster &&
      annotatedCluster !== undefined &&
      annotatedCluster !== filter.onlyCluster
    ) {
      result.notes.push(
        `${ref}: skipped, targets cluster "${annotatedCluster}", not "${filter.onlyCluster}"`,
      );
      continue;
    }
    try {
      const rendered = renderMonitoringResources(entity, effective);
      const cluster = rendered.settings.cluster;
      for (const object of rendered.shared) {
        const key = objectKey(cluster, object);
        const existing = shared.get(key);
        if (!existing) {
          shared.set(key, { object, entityRef: ref, cluster });
        } else if (comparable(existing.object) !== comparable(object)) {
          result.notes.push(
            `${ref}: shared ${object.kind} ${object.metadata.namespace}/${object.metadata.name} differs from the one of ${existing.entityRef} (e.g. replicas or retention); keeping ${existing.entityRef}'s`,
          );
        }
      }
      for (const object of rendered.perEntity) {
        perEntity.push({ object, entityRef: ref, cluster });
      }
      result.rendered.push(ref);
    } catch (error) {
      if (error instanceof InvalidAnnotationsError) {
        for (const p of error.problems) {
          result.errors.push(
            `${ref}: ${p.annotation}${
              p.value !== undefined ? `=${JSON.stringify(p.value)}` : ''
            }: ${p.message}`,
          );
        }
      } else if (isError(error)) {
        result.errors.push(`${ref}: ${error.message}`);
      } else {
        throw error;
      }
    }
  }
  result.objects = [...shared.values(), ...perEntity];
  return result;
}

/** Multi-document YAML of rendered objects, each with a `# Source:` comment naming entity and cluster. */
export function renderedObjectsToYaml(objects: RenderedObject[]): string {
  return objects
    .map(({ object, entityRef, cluster }) =>
      toYaml([object]).replace(
        /^---\n/,
        `---\n# Source: ${entityRef} (cluster ${cluster})\n`,
      ),
    )
    .join('');
}
