import { Entity } from '@backstage/catalog-model';
import {
  PlanResponse,
  StatusResponse,
} from '@prometheus-ocs/plugin-monitoring-common';
import { statusFixture } from '../testUtils';

// The backend's answers adopters' tests use too are published from `testUtils` (the package's
// `/testUtils` entry); the plugin's own tests import every fixture from here.
export {
  alertsFixture,
  statusFixture,
  target,
  targetsFixture,
} from '../testUtils';

let counter = 0;

/**
 * A Component with a name unique to the test: usePermission caches decisions
 * per entity ref across renders (SWR), so tests with different permissions
 * must not share an entity.
 */
export function makeEntity(
  options: { optedIn?: boolean; name?: string } = {},
): Entity {
  counter += 1;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: options.name ?? `checkout-${counter}`,
      annotations:
        options.optedIn === false
          ? {}
          : { 'prometheus-ocs.io/enabled': 'true' },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-shop' },
  };
}

/** The entity's objects, as its status lists them. */
const objectRefs = statusFixture().objects.map(({ state, ...ref }) => ref);

/** Opted in, nothing in the cluster yet. */
export function notDeployedStatus(
  overrides: Partial<StatusResponse> = {},
): StatusResponse {
  return statusFixture({
    objects: objectRefs.map(ref => ({ ...ref, state: 'missing' as const })),
    prometheus: undefined,
    ...overrides,
  });
}

export function planFixture(): PlanResponse {
  const objects = objectRefs.map((ref, i) => ({
    ...ref,
    action: (i === 0 ? 'update' : 'create') as 'update' | 'create',
    changedFields: i === 0 ? ['spec.replicas'] : undefined,
    manifest: {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: { name: ref.name, namespace: ref.namespace },
    },
  }));
  return {
    entityRef: 'component:default/checkout',
    cluster: 'local',
    namespace: 'shop-prod',
    yaml: objects
      .map(
        o =>
          `apiVersion: ${o.apiVersion}\nkind: ${o.kind}\nmetadata:\n  name: ${o.name}\n  namespace: ${o.namespace}\n`,
      )
      .join('---\n'),
    objects,
  };
}
