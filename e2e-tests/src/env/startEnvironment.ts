/*
 * The local demo environment: Kubernetes API stand-in (in this process), the instrumented demo
 * service, Alertmanager and Prometheus (child processes), and optionally Backstage (app +
 * backend via `backstage-cli repo start`). Used by `yarn dev` (dev.ts), the Playwright global
 * setup and the environment test.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { StandIn } from '@prometheus-ocs/kubernetes-api-standin';
import {
  ManagedProcess,
  PortRequirement,
  assertPortsFree,
  describeExit,
  findMonitoringBinaries,
  launchAlertmanager,
  launchPrometheus,
  processStartTime,
  startManagedProcess,
  waitForHttp,
} from '@prometheus-ocs/prometheus-launcher';
import {
  ALERTMANAGER_CONFIG,
  DEFAULT_RUN_DIR,
  DEMO_SERVICE_SCRIPT,
  PROMETHEUS_CONFIG_TEMPLATE,
  REPO_ROOT,
} from './environmentPaths';
import {
  DEFAULT_PORTS,
  EnvironmentPorts,
  assertDistinctPorts,
} from './environmentPorts';
import {
  PidFileContent,
  pidFilePath,
  removePidFile,
  stopLeftovers,
  writePidFile,
} from './pidFile';
import { renderPrometheusConfig } from './renderPrometheusConfig';
import { seedDemoMonitoring } from './seedDemoMonitoring';
import {
  ServiceMonitorDiscovery,
  startServiceMonitorDiscovery,
} from './serviceMonitorDiscovery';
import {
  DEMO_AWS_IDENTITY,
  startStandInForEnvironment,
} from './startStandInForEnvironment';

export interface StartEnvironmentOptions {
  /** Defaults to DEFAULT_PORTS. */
  ports?: EnvironmentPorts;
  /** Data dirs, rendered configs, logs and pids.json. Default `<repo>/.run`. */
  runDir?: string;
  /** Start the Kubernetes API stand-in in this process. Default true. */
  withStandIn?: boolean;
  /** Persisted state of the stand-in. Default `<runDir>/standin-state.json`. */
  standInStateFile?: string;
  /** Enable monitoring for part of the demo catalog when the stand-in state is fresh (default true). */
  seedDemoMonitoring?: boolean;
  /** Enables the stand-in's `/_standin/` control API for this bearer token. */
  standInAdminToken?: string;
  /** Start Backstage (app + backend). Default false. */
  withBackstage?: boolean;
  /** Echo Backstage's output through `log` (dev) instead of only into its log file. */
  echoBackstageOutput?: boolean;
  /** Extra environment for Backstage, e.g. K8S_TOKEN. */
  backstageEnv?: NodeJS.ProcessEnv;
  /** Progress messages. Default: console.log. */
  log?: (message: string) => void;
  /**
   * Called when a child process exits on its own after start-up (e.g. Prometheus crashed).
   * The environment does not restart it.
   */
  onUnexpectedExit?: (
    name: string,
    description: string,
    logFile: string,
  ) => void;
  /** Aborting cancels a start in progress: what already runs is stopped, the promise rejects. */
  signal?: AbortSignal;
  /** Readiness timeouts in ms. */
  timeouts?: { monitoring?: number; backstage?: number };
}

export interface RunningEnvironment {
  ports: EnvironmentPorts;
  runDir: string;
  urls: {
    prometheus: string;
    alertmanager: string;
    standIn?: string;
    backend?: string;
    app?: string;
  };
  /** Child processes (pid = process group id). */
  processes: Array<{ name: string; pid: number; logFile: string }>;
  /** Stops everything this environment started, in reverse order. Safe to call twice. */
  stop(): Promise<void>;
}

/** A step failed; everything already started has been stopped. */
export class EnvironmentStartError extends Error {
  name = 'EnvironmentStartError';
}

export async function startEnvironment(
  options: StartEnvironmentOptions = {},
): Promise<RunningEnvironment> {
  const ports = options.ports ?? DEFAULT_PORTS;
  assertDistinctPorts(ports);
  const runDir = resolve(options.runDir ?? DEFAULT_RUN_DIR);
  const log = options.log ?? ((message: string) => console.log(message));
  const withStandIn = options.withStandIn ?? true;
  const withBackstage = options.withBackstage ?? false;
  const binaries = findMonitoringBinaries();
  const logDir = join(runDir, 'logs');
  mkdirSync(logDir, { recursive: true });

  await stopLeftovers(runDir, log);
  await assertPortsFree(requiredPorts(ports, { withStandIn, withBackstage }));

  const pidFile = pidFilePath(runDir);
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
  let standIn: StandIn | undefined;
  let discovery: ServiceMonitorDiscovery | undefined;
  let started = false;
  let stopping = false;
  let stopped: Promise<void> | undefined;

  const stop = () => {
    stopped ??= (async () => {
      stopping = true;
      discovery?.stop();
      const errors: string[] = [];
      for (const child of [...children].reverse()) {
        try {
          await child.stop();
        } catch (error) {
          errors.push(`${child.name}: ${(error as Error).message}`);
        }
      }
      if (standIn) {
        try {
          await standIn.close();
        } catch (error) {
          errors.push(`stand-in: ${(error as Error).message}`);
        }
      }
      if (errors.length > 0) {
        // Keep pids.json: the next run uses it to clean up what could not be stopped.
        throw new Error(
          `Some processes could not be stopped:\n  ${errors.join('\n  ')}`,
        );
      }
      removePidFile(pidFile);
    })();
    return stopped;
  };

  /** Records a started child: stopped by stop(), listed in pids.json, watched for exits. */
  const track = (child: ManagedProcess): ManagedProcess => {
    children.push(child);
    if (child.pid > 0) {
      pids.processes.push({
        name: child.name,
        pid: child.pid,
        startTime: child.startTime,
        command: child.command,
      });
      writePidFile(pidFile, pids);
    }
    child.exited.then(exit => {
      // Exits during start-up are reported by the start itself (waitForChild).
      if (started && !stopping && options.onUnexpectedExit) {
        options.onUnexpectedExit(child.name, describeExit(exit), child.logFile);
      }
    });
    return child;
  };

  const spawnChild = (
    name: string,
    command: string,
    args: string[],
    extra: {
      env?: NodeJS.ProcessEnv;
      echo?: (line: string) => void;
      stopGraceMs?: number;
    } = {},
  ): ManagedProcess =>
    track(
      startManagedProcess({
        name,
        command,
        args,
        cwd: REPO_ROOT,
        env: extra.env,
        echo: extra.echo,
        stopGraceMs: extra.stopGraceMs,
        logFile: join(logDir, `${name}.log`),
      }),
    );

  const checkAborted = () => {
    if (options.signal?.aborted) {
      throw new EnvironmentStartError('Start of the environment was cancelled');
    }
  };

  /**
   * Polls `url` until ready. Fails at once, with the log of the culprit, if `child` or any other
   * child exits meanwhile (e.g. the demo service dies while Backstage compiles).
   */
  const waitForChild = async (
    child: ManagedProcess,
    url: string,
    timeoutMs: number,
  ) => {
    const exitedChild = () => children.find(c => c.exit() !== undefined);
    try {
      await waitForHttp(url, {
        timeoutMs,
        signal: options.signal,
        failed: () => {
          if (options.signal?.aborted) return 'cancelled';
          const dead = exitedChild();
          return dead
            ? `${dead.name} ${describeExit(dead.exit()!)}`
            : undefined;
        },
      });
    } catch (error) {
      checkAborted();
      const culprit = exitedChild() ?? child;
      throw new EnvironmentStartError(
        `${child.name} did not start: ${(error as Error).message}\n` +
          `--- last lines of ${culprit.logFile} ---\n${culprit.tail(30)}`,
      );
    }
  };

  const monitoringTimeout = options.timeouts?.monitoring ?? 60_000;
  try {
    if (withStandIn) {
      const stateFile =
        options.standInStateFile ?? join(runDir, 'standin-state.json');
      mkdirSync(dirname(stateFile), { recursive: true });
      const freshState = !existsSync(stateFile);
      standIn = await startStandInForEnvironment({
        ports,
        stateFile,
        log,
        adminToken: options.standInAdminToken,
      });
      log(`Kubernetes API stand-in on ${standIn.url} (state: ${stateFile})`);
      // A fresh stand-in gets part of the demo catalog enabled, through the product's own apply;
      // a persisted state is left as the user left it (e.g. after a teardown).
      if (freshState && (options.seedDemoMonitoring ?? true)) {
        await seedDemoMonitoring({
          standInUrl: standIn.url,
          token: 'demo-admin-token',
          log,
        });
      }
    }

    checkAborted();
    const demo = spawnChild(
      'demo-service',
      process.execPath,
      [DEMO_SERVICE_SCRIPT],
      {
        env: {
          ...process.env,
          DEMO_SERVICE_PORTS: ports.demoService.join(','),
          DEMO_SERVICE_HOST: '127.0.0.1',
        },
      },
    );
    for (const port of ports.demoService) {
      await waitForChild(
        demo,
        `http://127.0.0.1:${port}/healthz`,
        monitoringTimeout,
      );
    }
    log(`Demo service pods on 127.0.0.1:${ports.demoService.join(', ')}`);

    checkAborted();
    const alertmanager = launchAlertmanager({
      binary: binaries.alertmanager,
      configFile: ALERTMANAGER_CONFIG,
      dataDir: join(runDir, 'alertmanager'),
      port: ports.alertmanager,
      externalUrl: `http://localhost:${ports.alertmanager}/`,
      logFile: join(logDir, 'alertmanager.log'),
      cwd: REPO_ROOT,
    });
    track(alertmanager.process);
    const alertmanagerUrl = alertmanager.url;
    await waitForChild(
      alertmanager.process,
      alertmanager.readyUrl,
      monitoringTimeout,
    );
    log(`Alertmanager on ${alertmanagerUrl}`);

    checkAborted();
    const prometheusConfig = join(runDir, 'prometheus.yml');
    const rendered = renderPrometheusConfig({
      template: readFileSync(PROMETHEUS_CONFIG_TEMPLATE, 'utf8'),
      ports,
      rulesBaseDir: dirname(PROMETHEUS_CONFIG_TEMPLATE),
      // With the stand-in, a ServiceMonitor job has targets only while its ServiceMonitor exists.
      targetFilesDir: standIn ? join(runDir, 'targets') : undefined,
    });
    writeFileSync(prometheusConfig, rendered.config);
    if (standIn) {
      discovery = startServiceMonitorDiscovery({
        state: standIn.state,
        pools: rendered.pools,
      });
    }
    const prometheus = launchPrometheus({
      binary: binaries.prometheus,
      configFile: prometheusConfig,
      dataDir: join(runDir, 'prometheus'),
      // A demo: keep the data dir small across many runs.
      retention: '2d',
      port: ports.prometheus,
      externalUrl: `http://localhost:${ports.prometheus}/`,
      logFile: join(logDir, 'prometheus.log'),
      cwd: REPO_ROOT,
    });
    track(prometheus.process);
    const prometheusUrl = prometheus.url;
    await waitForChild(
      prometheus.process,
      prometheus.readyUrl,
      monitoringTimeout,
    );
    log(`Prometheus on ${prometheusUrl}`);

    const urls: RunningEnvironment['urls'] = {
      prometheus: prometheusUrl,
      alertmanager: alertmanagerUrl,
      standIn: standIn?.url,
    };

    checkAborted();
    if (withBackstage) {
      const backstageTimeout = options.timeouts?.backstage ?? 600_000;
      const backstage = spawnChild(
        'backstage',
        process.execPath,
        [require.resolve('@backstage/cli/bin/backstage-cli'), 'repo', 'start'],
        {
          env: {
            ...process.env,
            K8S_TOKEN: process.env.K8S_TOKEN ?? 'demo-admin-token',
            // The catalog-registered cluster `demo-eks` uses EKS IAM auth: fake static
            // credentials, presigned locally by plugin-kubernetes' AwsIamStrategy.
            AWS_ACCESS_KEY_ID: DEMO_AWS_IDENTITY.accessKeyId,
            AWS_SECRET_ACCESS_KEY: DEMO_AWS_IDENTITY.secretAccessKey,
            AWS_REGION: 'us-east-1',
            // Read by @opentelemetry/exporter-prometheus when the backend gives no explicit port.
            OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
            OTEL_EXPORTER_PROMETHEUS_PORT: String(ports.backendMetrics),
            ...options.backstageEnv,
          },
          echo: options.echoBackstageOutput
            ? line => log(`[backstage] ${line}`)
            : undefined,
          stopGraceMs: 15_000,
        },
      );
      log(
        `Starting Backstage (backend :${ports.backend}, app :${ports.app}); log: ${backstage.logFile}`,
      );
      urls.backend = `http://127.0.0.1:${ports.backend}`;
      urls.app = `http://127.0.0.1:${ports.app}`;
      await waitForChild(
        backstage,
        `${urls.backend}/.backstage/health/v1/readiness`,
        backstageTimeout,
      );
      log(`Backstage backend on ${urls.backend}`);
      await waitForChild(backstage, urls.app, backstageTimeout);
      log(`Backstage app on http://localhost:${ports.app}`);
    }

    const dead = children.find(c => c.exit() !== undefined);
    if (dead) {
      throw new EnvironmentStartError(
        `${dead.name} ${describeExit(dead.exit()!)} during start-up\n` +
          `--- last lines of ${dead.logFile} ---\n${dead.tail(30)}`,
      );
    }
    started = true;
    return {
      ports,
      runDir,
      urls,
      processes: children.map(c => ({
        name: c.name,
        pid: c.pid,
        logFile: c.logFile,
      })),
      stop,
    };
  } catch (error) {
    try {
      await stop();
    } catch (stopError) {
      log(`Cleanup after failed start: ${(stopError as Error).message}`);
    }
    throw error;
  }
}

function requiredPorts(
  ports: EnvironmentPorts,
  what: { withStandIn: boolean; withBackstage: boolean },
): PortRequirement[] {
  return [
    ...(what.withStandIn
      ? [
          {
            port: ports.standIn,
            name: 'Kubernetes API stand-in',
            hint: 'set K8S_STANDIN_PORT',
          },
        ]
      : []),
    ...ports.demoService.map(port => ({
      port,
      name: 'demo service',
      hint: 'set DEMO_SERVICE_PORTS',
    })),
    {
      port: ports.demoServiceDown,
      name: 'the payments pod that must stay down',
      hint: 'set DEMO_SERVICE_DOWN_PORT',
    },
    {
      port: ports.alertmanager,
      name: 'Alertmanager',
      hint: 'set ALERTMANAGER_PORT',
    },
    { port: ports.prometheus, name: 'Prometheus', hint: 'set PROMETHEUS_PORT' },
    ...(what.withBackstage
      ? [
          {
            port: ports.backendMetrics,
            name: 'Backstage backend metrics',
            hint: 'set BACKEND_METRICS_PORT',
          },
          { port: ports.backend, name: 'Backstage backend' },
          { port: ports.app, name: 'Backstage frontend' },
        ]
      : []),
  ];
}
