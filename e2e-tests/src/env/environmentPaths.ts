/*
 * Where the environment's files live. Resolved from this file's location so the orchestrator
 * works from any working directory (yarn dev, Playwright, jest).
 */
import { resolve } from 'node:path';

/** Root of the monorepo. */
// e2e-tests is never bundled or published; it always runs from source, so __dirname is reliable.
// eslint-disable-next-line no-restricted-syntax
export const REPO_ROOT = resolve(__dirname, '../../..');

/** Prometheus/Alertmanager configuration and rules checked into the repo. */
export const MONITORING_DIR = resolve(REPO_ROOT, 'e2e-tests/monitoring');
export const PROMETHEUS_CONFIG_TEMPLATE = resolve(
  MONITORING_DIR,
  'prometheus.yml',
);
export const ALERTMANAGER_CONFIG = resolve(MONITORING_DIR, 'alertmanager.yml');
export const RULES_DIR = resolve(MONITORING_DIR, 'rules');

/** The instrumented demo service (plain Node). */
export const DEMO_SERVICE_SCRIPT = resolve(
  REPO_ROOT,
  'e2e-tests/demo-service/server.js',
);

/** Runtime state of the local portal (gitignored): data dirs, rendered configs, logs, pids.json. */
export const DEFAULT_RUN_DIR = resolve(REPO_ROOT, '.run');
