/*
 * Hands the environment from Playwright's global setup to its global teardown. Both run in the
 * runner process; a global symbol keeps the hand-over independent of module caching.
 */
import type { RunningEnvironment } from './startEnvironment';

const KEY = Symbol.for('prometheus-ocs.e2e.environment');

type Holder = { [KEY]?: RunningEnvironment };

export function setE2eEnvironment(environment: RunningEnvironment): void {
  (globalThis as Holder)[KEY] = environment;
}

/** The environment started by the global setup, if any; forgets it. */
export function takeE2eEnvironment(): RunningEnvironment | undefined {
  const environment = (globalThis as Holder)[KEY];
  delete (globalThis as Holder)[KEY];
  return environment;
}
