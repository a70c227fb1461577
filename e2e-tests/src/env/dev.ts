/*
 * `yarn dev` (scripts/dev.sh): the demo portal with everything next to it. Runs until SIGINT
 * (Ctrl-C) or SIGTERM, then stops every process it started and exits.
 *
 *   yarn dev                  stand-in, demo service, Alertmanager, Prometheus and Backstage
 *   yarn dev --no-backstage   everything but Backstage (e.g. to run a plugin's own dev server)
 *
 * Ports: see environmentPorts.ts (PROMETHEUS_PORT, ALERTMANAGER_PORT, K8S_STANDIN_PORT, ...).
 */
import { relative } from 'node:path';
import { REPO_ROOT } from './environmentPaths';
import { EnvironmentPorts, portsFromEnv } from './environmentPorts';
import { RunningEnvironment, startEnvironment } from './startEnvironment';

const USAGE = `Usage: yarn dev [--no-backstage]

Starts the local Prometheus OCS demo: Kubernetes API stand-in, instrumented demo service,
Alertmanager, Prometheus and (unless --no-backstage) the Backstage app and backend.
Ctrl-C stops everything.`;

function log(message: string): void {
  console.log(message.startsWith('[') ? message : `[dev] ${message}`);
}

function parseArgs(argv: string[]): { withBackstage: boolean } {
  let withBackstage = true;
  for (const arg of argv) {
    if (arg === '--no-backstage') {
      withBackstage = false;
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`Unknown argument "${arg}"\n\n${USAGE}`);
      process.exit(2);
    }
  }
  return { withBackstage };
}

async function main(): Promise<void> {
  const { withBackstage } = parseArgs(process.argv.slice(2));
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
    environment = await startEnvironment({
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
    });
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
