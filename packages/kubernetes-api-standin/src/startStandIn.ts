/*
 * The Kubernetes API stand-in: an HTTP server on loopback that speaks the Kubernetes API for
 * what Prometheus OCS uses (see docs/standin.md), controllable in-process through the returned
 * handle, or out of process through the optional `/_standin/` control API.
 */
import { Authorizer } from './authorizer';
import { loadCrdCatalog } from './crdCatalog';
import {
  DEFAULT_CRD_DIR,
  DEFAULT_TLS_CERT_FILE,
  DEFAULT_TLS_KEY_FILE,
  DEFAULT_TOKENS,
} from './defaults';
import { apiGroups } from './discovery';
import { FaultInjector } from './faultInjector';
import { listenHttpAndHttps } from './listenHttpAndHttps';
import { ObjectStore, type KubeObject } from './objectStore';
import { OperatorSimulation } from './operatorSimulation';
import { createRequestListener } from './requestListener';
import { RequestLog } from './requestLog';
import { ResourceHandler } from './resourceHandler';
import {
  BUILTIN_RESOURCE_TYPES,
  groupVersion,
  type ResourceType,
} from './resourceTypes';
import { seedState } from './seedState';
import { createStandInStateView } from './standInStateView';
import { ServiceProxy } from './serviceProxy';
import type { StandInRuntime } from './standInRuntime';
import type { ServiceProxyTarget, StandIn, StandInOptions } from './types';

const MONITORING_GROUP = 'monitoring.coreos.com';

/** Starts the stand-in; resolves once it listens. */
export async function startStandIn(
  options: StandInOptions = {},
): Promise<StandIn> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort =
    options.port ?? Number(process.env.K8S_STANDIN_PORT ?? 6443);
  const crds = loadCrdCatalog(options.crdDir ?? DEFAULT_CRD_DIR);
  const authorizer = new Authorizer(options.tokens ?? DEFAULT_TOKENS, {
    awsIam: options.awsIam,
    oidc: options.oidc,
  });
  const store = new ObjectStore(options.stateFile);
  const faults = new FaultInjector();
  const requestLog = new RequestLog(options.requestLogLimit ?? 10000);
  const logger = options.logger;
  let operatorInstalled = options.operatorInstalled ?? true;
  let proxyTargets: ServiceProxyTarget[] = [...(options.proxyTargets ?? [])];

  const activeTypes = (): ResourceType[] =>
    operatorInstalled
      ? [...BUILTIN_RESOURCE_TYPES, ...crds.versions.map(v => v.type)]
      : BUILTIN_RESOURCE_TYPES.filter(t => t.group !== MONITORING_GROUP);
  const findType = (
    apiVersion: string,
    kind: string,
  ): ResourceType | undefined =>
    activeTypes().find(t => groupVersion(t) === apiVersion && t.kind === kind);

  const operator = new OperatorSimulation(
    store,
    findType,
    options.operatorReadyDelayMs ?? 3000,
    logger,
  );
  const handler = new ResourceHandler(store, crds, findType, operator);
  operator.attach(handler);
  const proxy = new ServiceProxy(
    store,
    proxyTargets,
    options.proxyTimeoutMs ?? 30000,
  );

  // Known once listening; discovery's serverAddressByClientCIDRs reports it.
  let actualPort = requestedPort;
  const runtime: StandInRuntime = {
    host,
    port: () => actualPort,
    crds,
    authorizer,
    store,
    faults,
    requestLog,
    operator,
    handler,
    proxy,
    logger,
    adminToken: options.adminToken,
    proxyTargets: () => proxyTargets,
    activeTypes,
    findType,
    findResource: (group, version, resource) =>
      activeTypes().find(
        t =>
          t.group === group && t.version === version && t.resource === resource,
      ),
    groups: () =>
      apiGroups(activeTypes(), g =>
        g === MONITORING_GROUP ? crds.preferredVersion(g) : undefined,
      ),
    reset: () => {
      operator.close();
      store.clear();
      seedState(runtime, options);
    },
    setOperatorInstalled: installed => {
      operatorInstalled = installed;
      if (installed) operator.reconcileAll();
    },
  };
  if (!store.restored) seedState(runtime, options);
  else operator.reconcileAll();
  const { setOperatorInstalled } = runtime;

  const tlsFiles =
    options.tls === false
      ? undefined
      : options.tls ?? {
          certFile: DEFAULT_TLS_CERT_FILE,
          keyFile: DEFAULT_TLS_KEY_FILE,
        };
  const listener = await listenHttpAndHttps({
    host,
    port: requestedPort,
    tls: tlsFiles,
    onRequest: createRequestListener(runtime),
  });
  actualPort = listener.port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${actualPort}`;
  const httpsUrl = listener.secure
    ? `https://${urlHost}:${actualPort}`
    : undefined;
  logger?.info(
    `Kubernetes API stand-in listening on ${url}${
      httpsUrl ? ` and ${httpsUrl}` : ''
    }`,
  );

  const handle: StandIn = {
    url,
    httpsUrl,
    caFile: tlsFiles?.certFile,
    port: actualPort,
    state: createStandInStateView(runtime),
    faults: {
      add: rule => faults.add(rule),
      clear: () => faults.clear(),
      list: () => faults.list(),
    },
    requests: {
      list: filter => requestLog.list(filter),
      writes: () => requestLog.writes(),
      clear: () => requestLog.clear(),
    },
    setOperatorInstalled,
    isOperatorInstalled: () => operatorInstalled,
    setForbiddenNamespaces: (token, namespaces) =>
      authorizer.setForbiddenNamespaces(token, namespaces),
    setProxyTargets(targets) {
      proxyTargets = [...targets];
      proxy.setTargets(proxyTargets);
    },
    setOperatorReadyDelay: ms => operator.setReadyDelay(ms),
    close: () => {
      faults.clear(); // answers held requests, so none is left pending
      operator.close();
      proxy.close();
      return listener.close();
    },
  };
  return handle;
}

export type { KubeObject };
