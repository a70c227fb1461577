/*
 * Playwright global setup: the same environment as `yarn dev` (stand-in, demo service,
 * Alertmanager, Prometheus, Backstage), or the one already running. Like Playwright's
 * `webServer.reuseExistingServer`, a portal that already answers is reused outside CI
 * (E2E_REUSE_EXISTING=true|false overrides); globalTeardown.ts stops only what this started.
 *
 * Wire it in playwright.config.ts:
 *   globalSetup: require.resolve('./src/env/globalSetup'),
 *   globalTeardown: require.resolve('./src/env/globalTeardown'),
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RUN_DIR } from './environmentPaths';
import { portsFromEnv } from './environmentPorts';
import { setE2eEnvironment } from './e2eEnvironment';
import { startEnvironment } from './startEnvironment';
import { isAnswering } from '@prometheus-ocs/prometheus-launcher';

function log(message: string): void {
  console.log(`[e2e env] ${message}`);
}

function shouldReuse(): boolean {
  const flag = process.env.E2E_REUSE_EXISTING;
  if (flag === 'true' || flag === 'false') return flag === 'true';
  if (flag !== undefined && flag !== '') {
    throw new Error(
      `E2E_REUSE_EXISTING must be "true" or "false", got "${flag}"`,
    );
  }
  return !process.env.CI;
}

export default async function globalSetup(): Promise<void> {
  const ports = portsFromEnv();
  if (shouldReuse()) {
    const [app, backend, prometheus, alertmanager] = await Promise.all([
      isAnswering(`http://127.0.0.1:${ports.app}`),
      isAnswering(
        `http://127.0.0.1:${ports.backend}/.backstage/health/v1/readiness`,
      ),
      isAnswering(`http://127.0.0.1:${ports.prometheus}/-/ready`),
      isAnswering(`http://127.0.0.1:${ports.alertmanager}/-/ready`),
    ]);
    if (app && backend) {
      if (!prometheus || !alertmanager) {
        log(
          'warning: the running portal has no Prometheus/Alertmanager next to it; monitoring tests will fail (start it with `yarn dev`)',
        );
      }
      log(
        `reusing the portal already running on :${ports.app} / :${ports.backend}`,
      );
      return;
    }
  }

  // Tests start from the stand-in's initial demo cluster, not from what `yarn dev` left behind.
  const standInStateFile = join(DEFAULT_RUN_DIR, 'e2e-standin-state.json');
  rmSync(standInStateFile, { force: true });
  const environment = await startEnvironment({
    ports,
    withBackstage: true,
    standInStateFile,
    log,
  });
  setE2eEnvironment(environment);
}
