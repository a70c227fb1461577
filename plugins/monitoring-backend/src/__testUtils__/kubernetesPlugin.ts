import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { DefaultAuditorService } from '@backstage/backend-defaults/auditor';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/**
 * `@backstage/plugin-kubernetes-backend`, through which the monitoring plugin reaches every cluster:
 * test backends install it next to the monitoring plugin, as a real backend does.
 */
export { kubernetesPlugin };

/**
 * A test permission policy as Backstage's permission client applies it: service principals (the
 * monitoring plugin calling the Kubernetes plugin's proxy for a service-identity cluster) are
 * allowed, users are asked `decide`.
 */
export function servicesAllowed(
  decide: (request: any, options: any) => AuthorizeResult,
) {
  return async (requests: any[], options: any) =>
    requests.map(r => ({
      result:
        options?.credentials?.principal?.type === 'service'
          ? AuthorizeResult.ALLOW
          : decide(r, options),
    }));
}

/**
 * Backstage's auditor, except for the Kubernetes plugin. Its proxy resolves the audit event's actor
 * after it replaced the request's Authorization header with the cluster credential, on a copy of
 * the request that httpAuth has not cached; the real httpAuth then fails with "Illegal token", the
 * mock one with a message quoting the token — which the token-leak tests would rightly flag.
 * The Kubernetes plugin's own auditing is not what these tests check.
 */
export const auditorExceptKubernetes = createServiceFactory({
  service: coreServices.auditor,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.logger,
    auth: coreServices.auth,
    httpAuth: coreServices.httpAuth,
    plugin: coreServices.pluginMetadata,
  },
  factory({ logger, plugin, auth, httpAuth }) {
    if (plugin.getId() === 'kubernetes') {
      return {
        createEvent: async () => ({
          success: async () => {},
          fail: async () => {},
        }),
      };
    }
    const auditLogger = logger.child({ isAuditEvent: true });
    return DefaultAuditorService.create(
      event => {
        if ('error' in event) {
          const { error, ...rest } = event;
          auditLogger
            .child(rest)
            .info(`${event.plugin}.${event.eventId}`, error);
        } else {
          auditLogger.info(`${event.plugin}.${event.eventId}`, event as any);
        }
      },
      { plugin, auth, httpAuth },
    );
  },
});

/** Audit event ids of the Kubernetes plugin, left out where tests record the monitoring plugin's. */
export const KUBERNETES_AUDIT_EVENTS = ['cluster-fetch', 'resource-fetch'];
