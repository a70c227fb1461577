/*
 * `yarn dev` (scripts/dev.sh): the demo portal with everything next to it. Runs until SIGINT
 * (Ctrl-C) or SIGTERM, then stops every process it started and exits.
 *
 *   yarn dev                  stand-in, demo service, Alertmanager, Prometheus and Backstage
 *   yarn dev --no-backstage   everything but Backstage (e.g. to run a plugin's own dev server)
 *   yarn dev --production     the production profile: PostgreSQL, Redis, two backend replicas
 *                             behind a round robin on the backend's port (production/)
 *   yarn dev --production --no-frontend   the same without the frontend dev server
 *
 * Ports: see environmentPorts.ts (PROMETHEUS_PORT, ALERTMANAGER_PORT, K8S_STANDIN_PORT, ...).
 */
import { relative } from 'node:path';
import { REPO_ROOT } from './environmentPaths';
import { EnvironmentPorts, portsFromEnv } from './environmentPorts';
import { RunningEnvironment, startEnvironment } from './startEnvironment';
import { productionPortsFromEnv } from './production/productionPorts';
import { startProductionEnvironment } from './production/startProductionEnvironment';

const USAGE = `Usage: npm run dev -- [--no-backstage | --production [--no-frontend]]

Starts the local Prometheus OCS demo: Kubernetes API stand-in, instrumented demo service,
Alertmanager, Prometheus and (unless --no-backstage) the Backstage app and backend.
--production runs the backend as in production instead: PostgreSQL, Redis, two backend replicas
(app-config.production.yaml) behind a round robin on the backend's port.
Ctrl-C stops everything.`;

function log(message: string): void {
  console.log(message.startsWith('[') ? message : `[dev] ${message}`);
}

function parseArgs(argv: string[]): {
  withBackstage: boolean;
  production: boolean;
  withFrontend: boolean;
} {
  let withBackstage = true;
  let production = false;
  let withFrontend = true;
  for (const arg of argv) {
    if (arg === '--no-backstage') {
      withBackstage = false;
    } else if (arg === '--production') {
      production = true;
    } else if (arg === '--no-frontend') {
      withFrontend = false;
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`Unknown argument "${arg}"\n\n${USAGE}`);
      process.exit(2);
    }
  }
  if (production ? !withBackstage : !withFrontend) {
    console.error(
      `${production ? '--no-backstage' : '--no-frontend'} does not go with ${
        production ? '--production' : 'the demo profile'
      }\n\n${USAGE}`,
    );
    process.exit(2);
  }
  return { withBackstage, production, withFrontend };
}

/** The production profile as a RunningEnvironment, for the rest of main(). */
async function startProduction(
  options: Parameters<typeof startEnvironment>[0] & { withFrontend: boolean },
): Promise<RunningEnvironment> {
  const ports = options!.ports!;
  // The round robin and the frontend take the demo backend's and app's ports.
  if (process.env.BACKEND_PORT)
    ports.backend = Number(process.env.BACKEND_PORT);
  if (process.env.APP_PORT) ports.app = Number(process.env.APP_PORT);
  const production = await startProductionEnvironment({
    ...options,
    productionPorts: productionPortsFromEnv(),
  });
  for (const replica of production.replicas) {
    log(`  backend replica ${replica.name}  ${replica.url}`);
  }
  log(`  PostgreSQL            ${production.urls.postgres}`);
  log(`  Redis                 ${production.urls.redis}`);
  return {
    ...production.environment,
    urls: production.urls,
    stop: production.stop,
  };
}

async function main(): Promise<void> {
  const { withBackstage, production, withFrontend } = parseArgs(
    process.argv.slice(2),
  );
  let ports: EnvironmentPorts;
  try {
    ports = portsFromEnv();
  } catch (error) {
    console.error(`[dev] ${(error as Error).message}`);
    process.exit(2);
  }
  const abort = new AbortController();
  let environment: RunningEnvironment | undefined;
  let shuttingDown = false;

  let exitCode = 0;

  const stopAndExit = async () => {
    try {
      await environment?.stop();
    } catch (error) {
      console.error(`[dev] ${(error as Error).message}`);
      exitCode = 1;
    }
    log('stopped');
    process.exit(exitCode);
  };

  const shutdown = async (reason: string, code: number) => {
    if (shuttingDown) {
      log(`${reason}: already stopping, please wait`);
      return;
    }
    shuttingDown = true;
    exitCode = code;
    log(`${reason}: stopping the environment`);
    // During start-up the aborted startEnvironment() stops what it started and rejects below.
    abort.abort();
    if (environment) await stopAndExit();
  };

  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('uncaughtException', error => {
    console.error('[dev] unexpected error:', error);
    void shutdown('error', 1);
  });

  try {
    const startOptions: Parameters<typeof startEnvironment>[0] = {
      ports,
      withBackstage,
      echoBackstageOutput: true,
      log,
      signal: abort.signal,
      onUnexpectedExit: (name, description, logFile) => {
        console.error(
          `[dev] ${name} ${description} unexpectedly; see ${relative(
            process.cwd(),
            logFile,
          )}`,
        );
        void shutdown(`${name} stopped`, 1);
      },
    };
    environment = production
      ? await startProduction({ ...startOptions, withFrontend })
      : await startEnvironment(startOptions);
  } catch (error) {
    if (shuttingDown) {
      log('stopped');
      process.exit(exitCode);
    }
    console.error(`[dev] ${(error as Error).message}`);
    process.exit(1);
  }
  if (shuttingDown) {
    // A signal arrived after the last cancellation point of the start.
    await stopAndExit();
    return;
  }

  const runDir = relative(REPO_ROOT, environment.runDir) || '.';
  log(
    [
      'ready:',
      ...(environment.urls.app
        ? [`  Backstage            http://localhost:${ports.app}`]
        : []),
      ...(environment.urls.backend
        ? [`  Backstage backend    ${environment.urls.backend}`]
        : []),
      `  Prometheus           http://localhost:${ports.prometheus}`,
      `  Alertmanager         http://localhost:${ports.alertmanager}`,
      ...(environment.urls.standIn
        ? [
            `  Kubernetes stand-in  ${environment.urls.standIn} (token: demo-admin-token)`,
          ]
        : []),
      `  Demo service pods    127.0.0.1:${ports.demoService.join(', ')}`,
      `  Logs and data        ${runDir}/`,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
}

main().catch(error => {
  console.error('[dev]', error);
  process.exit(1);
});
