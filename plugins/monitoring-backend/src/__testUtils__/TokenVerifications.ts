import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';

/**
 * Counts the tokens each plugin verifies (`auth.authenticate`), with Backstage's own httpAuth
 * service in front of the mock auth service, as in a real backend (the test backend's mock httpAuth
 * would not share one verification between the calls of a request). In a real backend each
 * verification is a JWT signature check, the largest single cost of a request. Pass `features`
 * to the test backend.
 */
export class TokenVerifications {
  /** the plugin id of each verification, in order */
  readonly byPlugin: string[] = [];

  readonly features = [
    httpAuthServiceFactory,
    createServiceFactory({
      service: coreServices.auth,
      deps: { plugin: coreServices.pluginMetadata },
      factory: ({ plugin }) => {
        const auth = mockServices.auth({ pluginId: plugin.getId() });
        const authenticate = auth.authenticate.bind(auth);
        auth.authenticate = (token, options) => {
          this.byPlugin.push(plugin.getId());
          return authenticate(token, options);
        };
        return auth;
      },
    }),
  ];

  /** Verifications by `pluginId` since the last `clear()`. */
  of(pluginId: string): number {
    return this.byPlugin.filter(id => id === pluginId).length;
  }

  clear() {
    this.byPlugin.length = 0;
  }
}
