import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { Server } from 'node:http';
import request from 'supertest';
import {
  startStandIn,
  StandIn,
  StandInOptions,
  monitoringProxyTargets,
} from '@prometheus-ocs/kubernetes-api-standin';
import { makeConfig, TEST_TOKEN } from '../testing/fixtures';
import {
  OWNER,
  startMonitoringTestBackend,
  TestPermissions,
} from './startMonitoringTestBackend';
import { ServiceCalls } from './ServiceCalls';

export { OWNER, OTHER } from './startMonitoringTestBackend';
export type { ServiceCall } from './ServiceCalls';
export { ServiceCalls } from './ServiceCalls';

/** Every log line of the backend (root logger and all its children, audit events included). */
export class CapturedLogs {
  readonly lines: string[] = [];

  logger(meta: JsonObject = {}): LoggerService {
    const log =
      (level: string) => (message: string, extra?: Error | JsonObject) => {
        this.lines.push(
          `${level} ${message} ${JSON.stringify({ ...meta, extra }, (_k, v) =>
            v instanceof Error
              ? { name: v.name, message: v.message, stack: v.stack }
              : v,
          )}`,
        );
      };
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: childMeta => this.logger({ ...meta, ...childMeta }),
    };
  }
}

export interface StandInBackendOptions {
  entities: Entity[];
  /** Prometheus/Alertmanager behind the stand-in's service proxy */
  upstreams?: { prometheusUrl: string; alertmanagerUrl: string };
  /** merged into the `monitoring` config of testing/fixtures makeConfig */
  monitoring?: Record<string, unknown>;
  standIn?: Partial<StandInOptions>;
  /** `owner` (default) or `allow`, see startMonitoringTestBackend. */
  permissions?: TestPermissions;
  /** replaces the `kubernetes` config of makeConfig (the Kubernetes plugin's clusters) */
  kubernetes?: (standInUrl: string) => Record<string, unknown>;
  /** more backend features (services, modules) */
  features?: any[];
  /** catalog entities known only after the stand-in listens (called after `kubernetes`) */
  extraEntities?: () => Entity[];
}

export interface StandInBackend {
  standIn: StandIn;
  /** what the plugin asked the permission and catalog services */
  calls: ServiceCalls;
  server: Server;
  logs: CapturedLogs;
  /** A request to `/api/monitoring<path>` as `user` (default OWNER). */
  call(
    method: 'get' | 'post' | 'delete',
    path: string,
    options?: {
      user?: string;
      body?: unknown;
      service?: boolean;
      /** more request headers, e.g. a user's cluster token */
      headers?: Record<string, string>;
    },
  ): Promise<request.Response>;
  close(): Promise<void>;
}

/**
 * The monitoring backend (startMonitoringTestBackend) in front of the Kubernetes API stand-in, with the cluster token TEST_TOKEN (namespace `restricted` forbidden by RBAC) and
 * every log line captured.
 */
export async function startStandInBackend(
  options: StandInBackendOptions,
): Promise<StandInBackend> {
  const standIn = await startStandIn({
    port: 0,
    tls: false,
    operatorReadyDelayMs: 0,
    tokens: [{ token: TEST_TOKEN, forbiddenNamespaces: ['restricted'] }],
    proxyTargets: options.upstreams
      ? monitoringProxyTargets(options.upstreams)
      : [],
    ...options.standIn,
  });
  const logs = new CapturedLogs();
  const calls = new ServiceCalls();
  let server: Server;
  try {
    const config = {
      ...makeConfig(standIn.url, options.monitoring),
      ...(options.kubernetes
        ? { kubernetes: options.kubernetes(standIn.url) }
        : {}),
    };
    server = await startMonitoringTestBackend({
      // After `kubernetes`: the extra entities may describe the clusters it configured.
      entities: [...options.entities, ...(options.extraEntities?.() ?? [])],
      config,
      permissions: options.permissions,
      calls,
      features: [
        ...(options.features ?? []),
        createServiceFactory({
          service: coreServices.rootLogger,
          deps: {},
          factory: () => logs.logger(),
        }),
      ],
    });
  } catch (error) {
    await standIn.close();
    throw error;
  }
  return {
    standIn,
    calls,
    server,
    logs,
    call(method, path, callOptions = {}) {
      const req = request(server)
        [method](`/api/monitoring${path}`)
        .set(
          'Authorization',
          callOptions.service
            ? mockCredentials.service.header()
            : mockCredentials.user.header(callOptions.user ?? OWNER),
        )
        .set(callOptions.headers ?? {});
      return callOptions.body === undefined
        ? req
        : req.send(callOptions.body as object);
    },
    close: () => standIn.close(),
  };
}
