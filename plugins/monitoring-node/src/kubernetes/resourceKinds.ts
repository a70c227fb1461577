/** Where a kind lives in the API: its plural resource name and whether it is namespaced. */
export interface ResourceKindInfo {
  plural: string;
  namespaced: boolean;
}

/**
 * The kinds this product reads or writes. Knowing them statically saves a discovery round-trip
 * per request; kinds not listed here are discovered from the API server and cached.
 */
export const KNOWN_RESOURCE_KINDS: Record<string, ResourceKindInfo> = {
  'v1/Service': { plural: 'services', namespaced: true },
  'v1/ServiceAccount': { plural: 'serviceaccounts', namespaced: true },
  'v1/Secret': { plural: 'secrets', namespaced: true },
  'v1/ConfigMap': { plural: 'configmaps', namespaced: true },
  'v1/Namespace': { plural: 'namespaces', namespaced: false },
  'apps/v1/StatefulSet': { plural: 'statefulsets', namespaced: true },
  'rbac.authorization.k8s.io/v1/RoleBinding': {
    plural: 'rolebindings',
    namespaced: true,
  },
  'rbac.authorization.k8s.io/v1/Role': { plural: 'roles', namespaced: true },
  'monitoring.coreos.com/v1/Prometheus': {
    plural: 'prometheuses',
    namespaced: true,
  },
  'monitoring.coreos.com/v1/ServiceMonitor': {
    plural: 'servicemonitors',
    namespaced: true,
  },
  'monitoring.coreos.com/v1/PodMonitor': {
    plural: 'podmonitors',
    namespaced: true,
  },
  'monitoring.coreos.com/v1/PrometheusRule': {
    plural: 'prometheusrules',
    namespaced: true,
  },
  'monitoring.coreos.com/v1/Alertmanager': {
    plural: 'alertmanagers',
    namespaced: true,
  },
};

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/')
    ? `/apis/${apiVersion}`
    : `/api/${apiVersion}`;
}
