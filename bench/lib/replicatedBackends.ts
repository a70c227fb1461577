/*
 * The production topology for the benchmarks: PostgreSQL and Redis (the production profile's
 * own start-up code, e2e-tests/src/env/production), N benchmark backends configured with them
 * (`backend.database` pg for the upstream leases, `backend.cache` redis), and the production
 * profile's round robin in front. Seen from the benchmark it is one backend: clearing the cache
 * clears every replica's keys and the leases, memory and RSS are the replicas' sum.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
// The production profile is test infrastructure of this repository (e2e-tests), not a package.
import { startManagedProcess } from '@prometheus-ocs/prometheus-launcher';
import { findFreePorts } from '@prometheus-ocs/prometheus-launcher';
import { findProductionBinaries } from '@prometheus-ocs/prometheus-launcher';
import { startRoundRobinProxy } from '@prometheus-ocs/prometheus-launcher';
import {
  POSTGRES_USER,
  SpawnChild,
  startPostgres,
  startRedis,
} from '@prometheus-ocs/prometheus-launcher';
import { BackendMemory, BenchBackend } from './benchBackend';
import type { MemoryRegions } from './memoryRegions';

const execFileAsync = promisify(execFile);

function sum<T extends Record<string, any>>(items: T[]): T {
  const out: Record<string, any> = {};
  for (const item of items) {
    for (const [key, value] of Object.entries(item)) {
      if (typeof value === 'number') out[key] = (out[key] ?? 0) + value;
    }
  }
  return out as T;
}

export async function startReplicatedBackends<B extends BenchBackend>(options: {
  config: Record<string, unknown>;
  replicas: number;
  /** Starts one replica with `config` (the given one plus the database and cache store). */
  start: (config: Record<string, unknown>) => Promise<B>;
  log: (line: string) => void;
}): Promise<BenchBackend & { replicas: B[]; origin: string }> {
  const binaries = findProductionBinaries();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prometheus-ocs-bench-'));
  const [pgPort, redisPort, proxyPort] = await findFreePorts(3);
  const children: Array<{ stop(): Promise<void> }> = [];
  const spawn: SpawnChild = (name, command, args, extra = {}) => {
    const child = startManagedProcess({
      name,
      command,
      args,
      env: extra.env,
      stopGraceMs: extra.stopGraceMs,
      logFile: path.join(dir, `${name}.log`),
    });
    children.push(child);
    return child;
  };
  const replicas: B[] = [];
  const stopAll = async () => {
    for (const part of [...replicas, ...children.reverse()]) {
      await part.stop().catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const password = 'bench';
    await startPostgres({
      binDir: binaries.postgresBinDir,
      dataDir: path.join(dir, 'postgres'),
      port: pgPort,
      password,
      spawn,
      log: options.log,
    });
    await startRedis({
      redisServer: binaries.redisServer,
      dataDir: path.join(dir, 'redis'),
      port: redisPort,
      spawn,
    });
    const config = {
      ...options.config,
      backend: {
        database: {
          client: 'pg',
          connection: {
            host: '127.0.0.1',
            port: pgPort,
            user: POSTGRES_USER,
            password,
          },
        },
        cache: {
          store: 'redis',
          connection: `redis://127.0.0.1:${redisPort}`,
          redis: { client: { namespace: 'bench' } },
        },
      },
    };
    // One after the other: the first creates the tables (see startProductionEnvironment).
    for (let i = 0; i < options.replicas; i++) {
      replicas.push(await options.start(config));
    }
    const proxy = await startRoundRobinProxy({
      port: proxyPort,
      backends: replicas.map((replica, i) => ({
        name: `replica-${i + 1}`,
        host: '127.0.0.1',
        port: Number(new URL(replica.baseUrl).port),
      })),
    });
    const psql = path.join(binaries.postgresBinDir, 'psql');
    return {
      replicas,
      origin: proxy.url,
      baseUrl: `${proxy.url}/api/monitoring`,
      pid: replicas[0].pid,
      clearCache: async () => {
        await Promise.all(replicas.map(r => r.clearCache()));
        // Leases of the current window would make the next cold load wait for an answer that
        // was just deleted.
        await execFileAsync(
          psql,
          [
            '-h',
            '127.0.0.1',
            '-p',
            String(pgPort),
            '-U',
            POSTGRES_USER,
            '-d',
            'backstage_plugin_monitoring',
            '-c',
            'DELETE FROM monitoring_upstream_leases',
          ],
          { env: { ...process.env, PGPASSWORD: password } },
        );
      },
      memory: async () => {
        const all = await Promise.all(replicas.map(r => r.memory()));
        const regions = all.every(m => m.regions)
          ? sum(all.map(m => m.regions as MemoryRegions))
          : undefined;
        return { ...sum<BackendMemory>(all), regions };
      },
      rss: () => replicas.reduce((total, r) => total + r.rss(), 0),
      stop: async () => {
        await proxy.close();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
