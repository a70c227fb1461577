/*
 * The parts of a running stand-in that its request handlers share; startStandIn builds it once.
 */
import type { Authorizer } from './authorizer';
import type { CrdCatalog } from './crdCatalog';
import type { ApiGroupInfo } from './discovery';
import type { FaultInjector } from './faultInjector';
import type { ObjectStore } from './objectStore';
import type { OperatorSimulation } from './operatorSimulation';
import type { RequestLog } from './requestLog';
import type { ResourceHandler } from './resourceHandler';
import type { ResourceType } from './resourceTypes';
import type { ServiceProxy } from './serviceProxy';
import type { ServiceProxyTarget, StandInLogger } from './types';

export interface StandInRuntime {
  host: string;
  /** The port it listens on (the requested one until listening). */
  port(): number;
  crds: CrdCatalog;
  authorizer: Authorizer;
  store: ObjectStore;
  faults: FaultInjector;
  requestLog: RequestLog;
  operator: OperatorSimulation;
  handler: ResourceHandler;
  proxy: ServiceProxy;
  logger?: StandInLogger;
  /** Bearer token of the `/_standin/` control API; undefined = off. */
  adminToken?: string;
  proxyTargets(): ServiceProxyTarget[];
  /** Served types: built-ins, plus the CRDs' while the operator is installed. */
  activeTypes(): ResourceType[];
  findType(apiVersion: string, kind: string): ResourceType | undefined;
  findResource(
    group: string,
    version: string,
    resource: string,
  ): ResourceType | undefined;
  groups(): ApiGroupInfo[];
  /** Back to the initial objects. */
  reset(): void;
  setOperatorInstalled(installed: boolean): void;
}
