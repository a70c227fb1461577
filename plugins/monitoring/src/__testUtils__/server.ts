import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';

/** One msw server per test file, reset between tests. */
export function setupMonitoringServer() {
  const server = setupServer();
  registerMswTestHooks(server);
  return server;
}

/** The backend's error body. */
export function errorBody(name: string, message: string) {
  return { error: { name, message } };
}
