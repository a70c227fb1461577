/*
 * The Kubernetes API stand-in (test infrastructure; product code never imports it).
 */
export { startStandIn } from './startStandIn';
export {
  DEFAULT_NAMESPACES,
  DEFAULT_TOKENS,
  DEFAULT_CRD_DIR,
} from './defaults';
export { createCrdValidator, validateYamlDocuments } from './crdValidator';
export type { CrdValidator, CrdValidatorOptions } from './crdValidator';
export type {
  StandIn,
  StandInOptions,
  StandInToken,
  StandInState,
  StandInFaults,
  StandInRequests,
  StandInLogger,
  ServiceProxyTarget,
  FaultRule,
  FaultHandle,
  RecordedRequest,
} from './types';
export type { KubeObject } from './objectStore';
// The API server's label selector semantics, for other fakes that play the API server.
export { parseLabelSelector, matchesLabels } from './selectors';
export { monitoringProxyTargets } from './monitoringProxyTargets';
