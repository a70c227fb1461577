/*
 * Parent side of backendProcess.ts: forks the backend, and talks to it over IPC.
 */
import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { MemoryRegions, memoryRegions } from './memoryRegions';
import { processRss } from './processRss';
import type {
  BackendProcessMessage,
  BackendProcessOptions,
} from './backendProcess';

export interface BackendMemory extends NodeJS.MemoryUsage {
  /** Where the resident memory is (Linux only). */
  regions?: MemoryRegions;
}

export interface BenchBackend {
  /** e.g. http://127.0.0.1:1234/api/monitoring */
  baseUrl: string;
  pid: number;
  /** Forgets every cached upstream answer (the next request is cold). */
  clearCache(): Promise<void>;
  /** Memory of the backend process, after a full, memory-reducing garbage collection. */
  memory(): Promise<BackendMemory>;
  /** Resident set size in bytes right now, read from /proc without disturbing the process. */
  rss(): number;
  stop(): Promise<void>;
}

export async function startBenchBackend(
  options: BackendProcessOptions,
): Promise<BenchBackend> {
  const child: ChildProcess = fork(
    path.join(__dirname, 'backendProcess.ts'),
    [],
    {
      execArgv: [
        '--require',
        '@backstage/cli/config/nodeTransform.cjs',
        '--expose-gc',
      ],
      env: { ...process.env, BENCH_BACKEND_OPTIONS: JSON.stringify(options) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  let nextId = 0;
  const waiting = new Map<number, (message: BackendProcessMessage) => void>();
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );

  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', code =>
      reject(new Error(`benchmark backend exited with ${code}`)),
    );
    child.on('message', (message: BackendProcessMessage) => {
      if (message.type === 'ready') resolve(message.port);
      else waiting.get(message.id)?.(message);
    });
  });

  const ask = <T extends BackendProcessMessage>(type: string) =>
    new Promise<T>(resolve => {
      const id = nextId++;
      waiting.set(id, message => {
        waiting.delete(id);
        resolve(message as T);
      });
      child.send({ type, id });
    });

  return {
    baseUrl: `http://127.0.0.1:${port}/api/monitoring`,
    pid: child.pid!,
    clearCache: async () => {
      await ask('clear-cache');
    },
    rss: () => processRss(child.pid!),
    memory: async () => {
      const { usage } = await ask<
        Extract<BackendProcessMessage, { type: 'memory' }>
      >('memory');
      return { ...usage, regions: memoryRegions(child.pid!) };
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.disconnect();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
