/**
 * Node library of Prometheus OCS for Backstage, shared by the backend plugin and the scaffolder
 * module: cluster access through the Kubernetes plugin, the resource manager (plan, apply, status,
 * teardown, reclaim), entity bindings and the plugin-scoped cluster service.
 *
 * @packageDocumentation
 */

export type {
  ClusterAuth,
  ClusterCaller,
  ClusterDetails,
  ClusterSupplier,
} from './clusters/types';
export {
  KubernetesPluginClusterSupplier,
  KUBERNETES_AUTHORIZATION_HEADER,
  KUBERNETES_CLUSTER_HEADER,
} from './clusters/KubernetesPluginClusterSupplier';
export {
  ClusterResolver,
  DEFAULT_CLUSTER_SUPPLIER_TIMEOUT_MS,
} from './clusters/ClusterResolver';
export {
  withDeadline,
  DeadlineExceededError,
  type DeadlineOptions,
} from './deadline/withDeadline';
export { monitoringClustersServiceRef } from './clusters/monitoringClustersServiceRef';
export {
  KubernetesClient,
  DEFAULT_MAX_LIST_PAGES,
  type KubernetesClientOptions,
  type ObjectKey,
  type ProxyResponse,
  type QueryParams,
} from './kubernetes/KubernetesClient';
export {
  KubernetesClientFactory,
  DEFAULT_KUBERNETES_TIMEOUT_MS,
} from './kubernetes/KubernetesClientFactory';
export {
  KubernetesApiError,
  KubernetesListLimitError,
  KubernetesTimeoutError,
  KubernetesUnreachableError,
  type KubernetesStatusCause,
} from './kubernetes/errors';
export { type ServiceProxyTarget } from './kubernetes/serviceProxyPath';
export {
  MonitoringResourceManager,
  type MonitoringResourceManagerOptions,
  type ClusterClientProvider,
} from './resources/MonitoringResourceManager';
export {
  assertEntityClaim,
  bindingFor,
  bindingMarkersOf,
  boundElsewhereError,
  catalogEntityClaims,
  entityListClaims,
  readBindingMarkers,
  resolveBinding,
  type BindingMarkers,
  type BindingTarget,
  type EntityBinding,
  type EntityClaimCatalog,
} from './resources/EntityBinding';
export { clusterCallerOf, clusterTokensOf } from './clusters/clusterCallerOf';
