import { createApp } from '@backstage/frontend-defaults';
import { navModule } from './modules/nav';

/*
 * Plugins (catalog, scaffolder, kubernetes, org, user settings and the Prometheus OCS monitoring
 * plugin) are discovered from this package's dependencies because app-config sets
 * `app.packages: all`.
 */
export default createApp({
  features: [navModule],
});
