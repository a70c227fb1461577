import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { monitoringPermissions } from '@prometheus-ocs/plugin-monitoring-common';
import { monitoringClustersServiceRef } from '@prometheus-ocs/plugin-monitoring-node';
import { createRouter } from './service/router';

/**
 * The `monitoring` backend plugin: plan/apply/status/teardown of an entity's
 * prometheus-operator resources, and its targets, alerts, silences and graphs.
 *
 * @public
 */
export const monitoringPlugin = createBackendPlugin({
  pluginId: 'monitoring',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        cache: coreServices.cache,
        database: coreServices.database,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        clusters: monitoringClustersServiceRef,
      },
      async init({ httpRouter, permissionsRegistry, ...services }) {
        permissionsRegistry.addPermissions(monitoringPermissions);
        httpRouter.use(await createRouter(services));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
