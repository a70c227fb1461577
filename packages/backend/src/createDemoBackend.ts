/*
 * The demo portal's backend: catalog, scaffolder, kubernetes, permissions with a real policy,
 * guest sign-in for local use, and the Prometheus OCS plugins. index.ts starts it; the
 * benchmarks (bench/lib/demoBackendProcess.ts) start the same composition.
 */
import { createBackend } from '@backstage/backend-defaults';
import { permissionPolicyModule } from './permissionPolicyModule';

export function createDemoBackend() {
  const backend = createBackend();

  backend.add(import('@backstage/plugin-app-backend'));

  backend.add(import('@backstage/plugin-auth-backend'));
  backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

  backend.add(import('@backstage/plugin-catalog-backend'));
  backend.add(
    import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
  );
  backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

  backend.add(import('@backstage/plugin-scaffolder-backend'));

  backend.add(import('@backstage/plugin-kubernetes-backend'));

  // signals: live updates for the frontend (the user-settings storage API depends on it)
  backend.add(import('@backstage/plugin-signals-backend'));

  backend.add(import('@backstage/plugin-permission-backend'));
  backend.add(permissionPolicyModule);

  backend.add(import('@prometheus-ocs/plugin-monitoring-backend'));
  backend.add(
    import('@prometheus-ocs/plugin-scaffolder-backend-module-monitoring'),
  );
  return backend;
}
