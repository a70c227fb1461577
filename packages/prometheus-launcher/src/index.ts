/*
 * Real Prometheus and Alertmanager on loopback, and the process handling around them: the one
 * launcher of the dev environment (e2e-tests/src/env), the backend's tests and the benchmarks.
 * Test infrastructure: product code never imports it.
 */
export { launchPrometheus } from './launchPrometheus';
export type { LaunchPrometheusOptions } from './launchPrometheus';
export { launchAlertmanager } from './launchAlertmanager';
export type { LaunchAlertmanagerOptions } from './launchAlertmanager';
export type { LaunchedServer, ReadyOptions } from './launchedServer';
export { startMonitoringStack } from './startMonitoringStack';
export type {
  MonitoringStack,
  MonitoringStackOptions,
} from './startMonitoringStack';
export {
  INSTALL_HINT,
  findMonitoringBinaries,
  missingMonitoringBinaries,
  monitoringBinaryPaths,
} from './monitoringBinaries';
export type { MonitoringBinaries } from './monitoringBinaries';
export { describeExit, startManagedProcess } from './managedProcess';
export type {
  ManagedProcess,
  ManagedProcessOptions,
  ProcessExit,
} from './managedProcess';
export {
  isProcessAlive,
  processGroupMembers,
  processStartTime,
  signalProcessGroup,
  terminateProcessGroup,
  waitForProcessGroupExit,
} from './processGroups';
export { assertPortsFree, findFreePorts, isPortFree } from './portAvailability';
export type { PortRequirement } from './portAvailability';
export { isAnswering, waitForHttp } from './waitForHttp';
export type { WaitForHttpOptions } from './waitForHttp';
export {
  PRODUCTION_INSTALL_HINT,
  findProductionBinaries,
  missingProductionBinaries,
  productionBinaryPaths,
} from './productionBinaries';
export type { ProductionBinaries } from './productionBinaries';
export { SERVED_BY_HEADER, startRoundRobinProxy } from './roundRobinProxy';
export type { RoundRobinBackend, RoundRobinProxy } from './roundRobinProxy';
export {
  POSTGRES_USER,
  redisPing,
  startPostgres,
  startRedis,
} from './startDataStores';
export type {
  SpawnChild,
  StartPostgresOptions,
  StartRedisOptions,
} from './startDataStores';
