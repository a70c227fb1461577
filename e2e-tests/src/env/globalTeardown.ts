/*
 * Playwright global teardown: stops the environment globalSetup.ts started (nothing when it
 * reused a running portal).
 */
import { takeE2eEnvironment } from './e2eEnvironment';

export default async function globalTeardown(): Promise<void> {
  const environment = takeE2eEnvironment();
  if (environment) {
    console.log('[e2e env] stopping the environment');
    await environment.stop();
  }
}
