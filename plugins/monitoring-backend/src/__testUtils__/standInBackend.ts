import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Server } from 'node:http';
import request from 'supertest';
import {
  startStandIn,
  StandIn,
  StandInOptions,
  monitoringProxyTargets,
} from '@prometheus-ocs/kubernetes-api-standin';
import monitoringPlugin from '../index';
import { makeConfig, TEST_TOKEN } from '../testing/fixtures';

export const OWNER = 'user:default/owner';
export const OTHER = 'user:default/someone-else';

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
  /**
   * `allow`: every permission granted. `owner` (default): anyone may read, only OWNER may apply,
   * tear down and silence — like an `isEntityOwner` policy where OWNER owns every test entity.
   */
  permissions?: 'allow' | 'owner';
}

/** A call of the backend to a Backstage service another plugin answers over HTTP in a real backend. */
export interface ServiceCall {
  /** e.g. `authorize`, `getEntityByRef` */
  method: string;
  /** the principal the call was made for: a user entity ref, or the plugin's own `service` */
  principal: string;
  /** authorize: the permissions decided in this one call */
  permissions?: string[];
}

/**
 * The calls the monitoring plugin made to the permission and catalog services. In a real backend
 * each is an HTTP request (`/api/permission/authorize`, `/api/catalog/...`), and the catalog
 * authorizes its own read once more.
 */
export class ServiceCalls {
  readonly permission: ServiceCall[] = [];
  readonly catalog: ServiceCall[] = [];

  clear() {
    this.permission.length = 0;
    this.catalog.length = 0;
  }
}

const principalOf = (options: any): string => {
  const principal = options?.credentials?.principal;
  return principal?.userEntityRef ?? principal?.type ?? 'none';
};

/** Wraps every method of `service` so that its calls are recorded into `calls`. */
function recorded<T extends object>(
  service: T,
  calls: ServiceCall[],
  describe: (method: string, args: any[]) => ServiceCall,
): T {
  return new Proxy(service, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: any[]) => {
        calls.push(describe(key, args));
        return value.apply(target, args);
      };
    },
  });
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
    options?: { user?: string; body?: unknown; service?: boolean },
  ): Promise<request.Response>;
  close(): Promise<void>;
}

/**
 * The monitoring backend plugin (Backstage's test backend) in front of the Kubernetes API
 * stand-in, with the cluster token TEST_TOKEN (namespace `restricted` forbidden by RBAC) and
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
  const decide = (requests: any[], authorizeOptions: any) => {
    calls.permission.push({
      method: 'authorize',
      principal: principalOf(authorizeOptions),
      permissions: requests.map(r => r.permission.name),
    });
    return requests.map(r => ({
      result:
        options.permissions === 'allow' ||
        r.permission.name === 'monitoring.entity.read' ||
        authorizeOptions.credentials.principal.userEntityRef === OWNER
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    }));
  };
  const permissions = mockServices.permissions.mock({
    authorize: async (requests: any[], authorizeOptions: any) =>
      decide(requests, authorizeOptions),
    authorizeConditional: async (requests: any[], authorizeOptions: any) =>
      decide(requests, authorizeOptions),
  } as any).factory;
  const catalog = createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () =>
      recorded(
        catalogServiceMock({ entities: options.entities }),
        calls.catalog,
        (method, args) => ({
          method,
          principal: principalOf(args[args.length - 1]),
        }),
      ),
  });
  let server: Server;
  try {
    const backend = await startTestBackend({
      features: [
        monitoringPlugin,
        catalog,
        mockServices.rootConfig.factory({
          data: makeConfig(standIn.url, options.monitoring),
        }),
        permissions,
        createServiceFactory({
          service: coreServices.rootLogger,
          deps: {},
          factory: () => logs.logger(),
        }),
      ],
    });
    server = backend.server as unknown as Server;
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
        );
      return callOptions.body === undefined
        ? req
        : req.send(callOptions.body as object);
    },
    close: () => standIn.close(),
  };
}
