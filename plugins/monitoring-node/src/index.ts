export {};
export type {
  ClusterAuth,
  ClusterDetails,
  ClusterSupplier,
} from './clusters/types';
export {
  ConfigClusterSupplier,
  IN_CLUSTER_TOKEN_FILE,
} from './clusters/ConfigClusterSupplier';
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
  monitoringClusterSupplierExtensionPoint,
  type MonitoringClusterSupplierExtensionPoint,
} from './extensions';
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
