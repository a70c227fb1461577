import type { Entity } from '@backstage/catalog-model';
import type { RenderOptions } from '../contract';
import { createRenderOptions } from '../defaultMonitoringDefaults';

/** A Component entity that opted in, with the given extra annotations (values may be anything, for hostile tests). */
export function monitoredEntity(
  annotations: Record<string, unknown> = {},
  overrides: {
    name?: string;
    namespace?: string;
    lifecycle?: string;
    kind?: string;
  } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: overrides.kind ?? 'Component',
    metadata: {
      name: overrides.name ?? 'checkout',
      ...(overrides.namespace ? { namespace: overrides.namespace } : {}),
      annotations: {
        'prometheus-ocs.io/enabled': 'true',
        'backstage.io/kubernetes-namespace': 'shop-prod',
        ...annotations,
      } as Record<string, string>,
    },
    spec: {
      type: 'service',
      owner: 'group:default/team-shop',
      lifecycle: overrides.lifecycle ?? 'production',
    },
  };
}

/** Render options like the demo's app-config: cluster `local`, namespaces shop-prod and shop-dev. */
export function demoRenderOptions(): RenderOptions {
  return createRenderOptions({
    clusters: [{ name: 'local', allowedNamespaces: ['shop-dev', 'shop-prod'] }],
    defaultCluster: 'local',
    defaults: {
      alertmanager: {
        namespace: 'monitoring',
        name: 'alertmanager-main',
        port: 'web',
      },
    },
  });
}
