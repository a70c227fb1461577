export {};
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
export {
  buildServiceProxyPath,
  type ServiceProxyTarget,
} from './kubernetes/serviceProxyPath';
export {
  MonitoringResourceManager,
  MONITORING_API_VERSION,
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
  type EntityBinding,
  type EntityClaimCatalog,
} from './resources/EntityBinding';
export {
  managedFieldDiff,
  plannedFieldChanges,
} from './resources/managedFieldDiff';
export { clusterCallerOf, clusterTokensOf } from './clusters/clusterCallerOf';
