/*
 * The production profile: the demo environment (startEnvironment: stand-in, demo service,
 * Alertmanager, Prometheus) plus PostgreSQL and Redis, two Backstage backend replicas configured
 * with app-config.production.yaml (database `pg`, cache store `redis`), a round robin in front of
 * them on the backend's usual port, and optionally the frontend dev server. Used by
 * `npm run dev -- --production` and by the production profile's suite.
 */
import { DEMO_AWS_IDENTITY } from '../startStandInForEnvironment';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../environmentPaths';
import { DEFAULT_PORTS, EnvironmentPorts } from '../environmentPorts';
import {
  ManagedProcess,
  describeExit,
  startManagedProcess,
} from '@prometheus-ocs/prometheus-launcher';
import {
  PidFileContent,
  pidFilePath,
  removePidFile,
  stopLeftovers,
  writePidFile,
} from '../pidFile';
import {
  PortRequirement,
  assertPortsFree,
} from '@prometheus-ocs/prometheus-launcher';
import {
  processStartTime,
  signalProcessGroup,
} from '@prometheus-ocs/prometheus-launcher';
import {
  RunningEnvironment,
  StartEnvironmentOptions,
  startEnvironment,
} from '../startEnvironment';
import { waitForHttp } from '@prometheus-ocs/prometheus-launcher';
import { findProductionBinaries } from '@prometheus-ocs/prometheus-launcher';
import { backendCommand } from './backendCommand';
import {
  BASE_CONFIG,
  LocalConfigOptions,
  writeProductionConfigs,
} from './productionConfig';
import {
  DEFAULT_PRODUCTION_PORTS,
  ProductionPorts,
  assertDistinctProductionPorts,
} from './productionPorts';
import {
  RoundRobinProxy,
  startRoundRobinProxy,
} from '@prometheus-ocs/prometheus-launcher';
import {
  POSTGRES_USER,
  SpawnChild,
  startPostgres,
  startRedis,
} from '@prometheus-ocs/prometheus-launcher';

export interface StartProductionEnvironmentOptions
  extends Omit<
    StartEnvironmentOptions,
    'withBackstage' | 'backstageEnv' | 'timeouts'
  > {
  productionPorts?: ProductionPorts;
  /** Start the frontend dev server too (the demo); the suite talks to the API only. */
  withFrontend?: boolean;
  extraCatalogFiles?: LocalConfigOptions['extraCatalogFiles'];
  extraConfig?: LocalConfigOptions['extraConfig'];
  timeouts?: { monitoring?: number; backstage?: number };
  /**
   * Run the replicas from the backend image's /app laid out by scripts/image-layout.sh, with the
   * image's CMD, instead of from source (`PROMETHEUS_OCS_BACKEND_IMAGE_DIR` for the suite and
   * `npm run dev -- --production`).
   */
  imageDir?: string;
}

export interface BackendReplica {
  name: string;
  url: string;
  pid: number;
  logFile: string;
  /** Settles when the replica's process has exited. */
  exited: Promise<unknown>;
  /** Kills the replica's process group at once (no graceful shutdown), as a crashed pod. */
  kill(): Promise<void>;
}

export interface RunningProductionEnvironment {
  environment: RunningEnvironment;
  ports: EnvironmentPorts;
  productionPorts: ProductionPorts;
  urls: RunningEnvironment['urls'] & {
    /** The round robin: what users and the frontend talk to. */
    backend: string;
    postgres: string;
    redis: string;
  };
  replicas: BackendReplica[];
  proxy: RoundRobinProxy;
  stop(): Promise<void>;
}

export async function startProductionEnvironment(
  options: StartProductionEnvironmentOptions = {},
): Promise<RunningProductionEnvironment> {
  const ports = options.ports ?? DEFAULT_PORTS;
  const productionPorts = options.productionPorts ?? DEFAULT_PRODUCTION_PORTS;
  assertDistinctProductionPorts(ports, productionPorts);
  const binaries = findProductionBinaries();
  const log = options.log ?? ((message: string) => console.log(message));
  const runDir = options.runDir ?? join(REPO_ROOT, '.run');
  const dir = join(runDir, 'production');
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });

  await stopLeftovers(dir, log);
  await assertPortsFree(requiredPorts(ports, productionPorts, options));

  const environment = await startEnvironment({
    ...options,
    ports,
    runDir,
    withBackstage: false,
    timeouts: { monitoring: options.timeouts?.monitoring },
  });

  const pidFile = pidFilePath(dir);
  const pids: PidFileContent = {
    orchestrator: {
      name: 'orchestrator',
      pid: process.pid,
      startTime: processStartTime(process.pid),
      command: process.argv.join(' '),
    },
    processes: [],
  };
  writePidFile(pidFile, pids);
  const children: ManagedProcess[] = [];
  let proxy: RoundRobinProxy | undefined;
  let started = false;
  let stopping = false;
  let stopped: Promise<void> | undefined;

  const stop = () => {
    stopped ??= (async () => {
      stopping = true;
      const errors: string[] = [];
      await proxy?.close().catch(() => undefined);
      // Frontend and replicas before the data stores they use.
      for (const child of [...children].reverse()) {
        await child.stop().catch(error => {
          errors.push(`${child.name}: ${(error as Error).message}`);
        });
      }
      await environment.stop().catch(error => {
        errors.push((error as Error).message);
      });
      if (errors.length > 0) {
        throw new Error(
          `Some processes could not be stopped:\n  ${errors.join('\n  ')}`,
        );
      }
      removePidFile(pidFile);
    })();
    return stopped;
  };

  const spawn: SpawnChild = (name, command, args, extra = {}) => {
    const child = startManagedProcess({
      name,
      command,
      args,
      cwd: extra.cwd ?? REPO_ROOT,
      env: extra.env,
      stopGraceMs: extra.stopGraceMs,
      logFile: join(logDir, `${name}.log`),
      echo:
        options.echoBackstageOutput && name.startsWith('backend')
          ? line => log(`[${name}] ${line}`)
          : undefined,
    });
    children.push(child);
    if (child.pid > 0) {
      pids.processes.push({
        name,
        pid: child.pid,
        startTime: child.startTime,
        command,
      });
      writePidFile(pidFile, pids);
    }
    child.exited.then(exit => {
      if (started && !stopping && options.onUnexpectedExit) {
        options.onUnexpectedExit(name, describeExit(exit), child.logFile);
      }
    });
    return child;
  };

  try {
    const passwordFile = join(dir, 'postgres-password');
    const dataDir = join(dir, 'postgres');
    if (!existsSync(passwordFile) || !existsSync(join(dataDir, 'PG_VERSION'))) {
      // A new cluster gets a new password (initdb runs below).
      writeFileSync(passwordFile, randomBytes(18).toString('base64url'), {
        mode: 0o600,
      });
    }
    const password = readFileSync(passwordFile, 'utf8').trim();
    await startPostgres({
      binDir: binaries.postgresBinDir,
      dataDir,
      port: productionPorts.postgres,
      password,
      spawn,
      log,
    });
    log(
      `PostgreSQL on 127.0.0.1:${productionPorts.postgres} (data: ${dataDir})`,
    );
    await startRedis({
      redisServer: binaries.redisServer,
      dataDir: join(dir, 'redis'),
      port: productionPorts.redis,
      spawn,
    });
    log(`Redis on 127.0.0.1:${productionPorts.redis}`);

    const configs = writeProductionConfigs(dir, {
      ports,
      replicaPorts: productionPorts.replicas,
      extraCatalogFiles: options.extraCatalogFiles,
      extraConfig: options.extraConfig,
    });
    const imageDir =
      options.imageDir ?? process.env.PROMETHEUS_OCS_BACKEND_IMAGE_DIR;
    const replicaCommand = (i: number) =>
      backendCommand([configs.shared, configs.replicas[i]], {
        imageDir,
        nodeTransform: require.resolve(
          '@backstage/cli/config/nodeTransform.cjs',
        ),
      });
    const backstageTimeout = options.timeouts?.backstage ?? 600_000;
    const startReplica = (i: number) => {
      const { command, args, cwd, env } = replicaCommand(i);
      return spawn(`backend-${i + 1}`, command, args, {
        cwd,
        stopGraceMs: 15_000,
        env: {
          ...process.env,
          ...env,
          NODE_ENV: 'production',
          K8S_TOKEN: process.env.K8S_TOKEN ?? 'demo-admin-token',
          // EKS IAM credentials of the catalog-registered cluster demo-eks (fake, local).
          AWS_ACCESS_KEY_ID: DEMO_AWS_IDENTITY.accessKeyId,
          AWS_SECRET_ACCESS_KEY: DEMO_AWS_IDENTITY.secretAccessKey,
          AWS_REGION: 'us-east-1',
          POSTGRES_HOST: '127.0.0.1',
          POSTGRES_PORT: String(productionPorts.postgres),
          POSTGRES_USER,
          POSTGRES_PASSWORD: password,
          REDIS_URL: `redis://127.0.0.1:${productionPorts.redis}`,
          BACKEND_METRICS_PORT: String(productionPorts.replicaMetrics[i]),
        },
      });
    };
    const replicas: BackendReplica[] = [];
    const waitForReplica = async (child: ManagedProcess, i: number) => {
      const url = `http://127.0.0.1:${productionPorts.replicas[i]}`;
      await waitForChildHttp(
        child,
        `${url}/.backstage/health/v1/readiness`,
        backstageTimeout,
        children,
        options.signal,
      );
      log(`Backend replica ${child.name} on ${url}`);
      replicas[i] = {
        name: child.name,
        url,
        pid: child.pid,
        logFile: child.logFile,
        exited: child.exited,
        kill: async () => {
          if (!child.exit()) signalProcessGroup(child.pid, 'SIGKILL');
          await child.exited;
        },
      };
    };
    log(
      `Starting ${
        productionPorts.replicas.length
      } backend replicas on :${productionPorts.replicas.join(', :')} ${
        imageDir ? `from the image layout in ${imageDir}` : 'from source'
      }; logs in ${logDir}`,
    );
    // The first replica alone: on an empty database every plugin creates its tables, and two
    // replicas doing that at once collide in knex's migration lock (a pod would crash and be
    // restarted; here it would just fail). The others start together once it is ready.
    await waitForReplica(startReplica(0), 0);
    await Promise.all(
      productionPorts.replicas
        .slice(1)
        .map((_port, i) => waitForReplica(startReplica(i + 1), i + 1)),
    );

    proxy = await startRoundRobinProxy({
      port: ports.backend,
      backends: replicas.map((replica, i) => ({
        name: replica.name,
        host: '127.0.0.1',
        port: productionPorts.replicas[i],
      })),
      log: message => log(`[round robin] ${message}`),
    });
    log(`Round robin over the replicas on ${proxy.url}`);

    const urls: RunningProductionEnvironment['urls'] = {
      ...environment.urls,
      backend: proxy.url,
      postgres: `postgresql://${POSTGRES_USER}@127.0.0.1:${productionPorts.postgres}`,
      redis: `redis://127.0.0.1:${productionPorts.redis}`,
    };
    if (options.withFrontend) {
      const frontend = spawn(
        'frontend',
        process.execPath,
        [
          require.resolve('@backstage/cli/bin/backstage-cli'),
          'package',
          'start',
          '--config',
          BASE_CONFIG,
          '--config',
          configs.shared,
        ],
        { cwd: join(REPO_ROOT, 'packages/app'), stopGraceMs: 15_000 },
      );
      urls.app = `http://127.0.0.1:${ports.app}`;
      log(`Starting the frontend on :${ports.app}; log: ${frontend.logFile}`);
      await waitForChildHttp(
        frontend,
        urls.app,
        backstageTimeout,
        children,
        options.signal,
      );
      log(`Backstage app on http://localhost:${ports.app}`);
    }

    started = true;
    return {
      environment,
      ports,
      productionPorts,
      urls,
      replicas,
      proxy,
      stop,
    };
  } catch (error) {
    await stop().catch(stopError =>
      log(`Cleanup after failed start: ${(stopError as Error).message}`),
    );
    throw error;
  }
}

/** Polls `url`; fails at once with the culprit's log when any child exits meanwhile. */
async function waitForChildHttp(
  child: ManagedProcess,
  url: string,
  timeoutMs: number,
  children: ManagedProcess[],
  signal?: AbortSignal,
): Promise<void> {
  const exited = () => children.find(c => c.exit() !== undefined);
  try {
    await waitForHttp(url, {
      timeoutMs,
      signal,
      failed: () => {
        if (signal?.aborted) return 'cancelled';
        const dead = exited();
        return dead ? `${dead.name} ${describeExit(dead.exit()!)}` : undefined;
      },
    });
  } catch (error) {
    const culprit = exited() ?? child;
    throw new Error(
      `${child.name} did not start: ${(error as Error).message}\n` +
        `--- last lines of ${culprit.logFile} ---\n${culprit.tail(30)}`,
    );
  }
}

function requiredPorts(
  ports: EnvironmentPorts,
  production: ProductionPorts,
  options: StartProductionEnvironmentOptions,
): PortRequirement[] {
  return [
    {
      port: production.postgres,
      name: 'PostgreSQL',
      hint: 'set POSTGRES_PORT',
    },
    { port: production.redis, name: 'Redis', hint: 'set REDIS_PORT' },
    ...production.replicas.map((port, i) => ({
      port,
      name: `backend replica #${i + 1}`,
      hint: 'set BACKEND_REPLICA_PORTS',
    })),
    ...production.replicaMetrics.map((port, i) => ({
      port,
      name: `backend replica #${i + 1} metrics`,
      hint: 'set BACKEND_REPLICA_METRICS_PORTS',
    })),
    { port: ports.backend, name: 'the round robin (backend URL)' },
    ...(options.withFrontend
      ? [{ port: ports.app, name: 'Backstage frontend' }]
      : []),
  ];
}
