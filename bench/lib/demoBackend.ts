/*
 * Parent side of demoBackendProcess.ts: starts the demo portal's real backend (packages/backend)
 * on a free port with app-config.yaml plus an overlay for the benchmark (its port, the stand-in
 * as cluster `local`, the benchmark's entities in the catalog, the namespace it may use), signs
 * in as the guest user as the app does, and waits until the catalog holds the entities.
 */
import { Entity } from '@backstage/catalog-model';
import { findFreePorts } from '@prometheus-ocs/prometheus-launcher';
import { ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackendProcessMessage } from './backendProcess';
import { BenchBackend } from './benchBackend';
import { processRss } from './processRss';
import { memoryRegions } from './memoryRegions';

const REPO_ROOT = path.resolve(__dirname, '../..');
const BASE_CONFIG = path.join(REPO_ROOT, 'app-config.yaml');

/** The guest user of examples/org.yaml (a member of team-shop) signs in; team-shop owns these. */
export const DEMO_OWNER = 'group:default/team-shop';

export interface DemoBackendOptions {
  /** merged over app-config.yaml (objects merge, arrays replace) */
  config: Record<string, unknown>;
  entities: Entity[];
  /** the guest tokens to sign in (one per simulated browser session); default 1 */
  sessions?: number;
  log: (line: string) => void;
}

export interface DemoBackend extends BenchBackend {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** Bearer tokens of guest sessions (the same user, as many as `sessions`) */
  tokens: string[];
}

/**
 * The demo backend as users run it, in production mode (NODE_ENV=production; TypeScript is
 * transpiled on load by Backstage's node transform, as `yarn dev` does, rather than bundled).
 */
export async function startDemoBackend(
  options: DemoBackendOptions,
): Promise<DemoBackend> {
  const [port] = await findFreePorts(1);
  const origin = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prometheus-ocs-demo-bench-'));
  const entitiesFile = path.join(dir, 'entities.yaml');
  writeFileSync(
    entitiesFile,
    options.entities.map(e => JSON.stringify(e)).join('\n---\n'),
  );
  const overlay = {
    backend: {
      baseUrl: origin,
      listen: { port, host: '127.0.0.1' },
      reading: { allow: [{ host: `127.0.0.1:${port}` }] },
    },
    auth: {
      providers: {
        guest: {
          userEntityRef: 'user:default/guest',
          dangerouslyAllowOutsideDevelopment: true,
        },
      },
    },
    catalog: {
      locations: [
        { type: 'file', target: path.join(REPO_ROOT, 'examples/org.yaml') },
        { type: 'file', target: entitiesFile },
      ],
    },
  };
  const overlayFile = path.join(dir, 'app-config.bench.yaml');
  writeFileSync(
    overlayFile,
    JSON.stringify(merge(overlay, options.config), null, 2),
  );

  const child: ChildProcess = fork(
    path.join(__dirname, 'demoBackendProcess.ts'),
    ['--config', BASE_CONFIG, '--config', overlayFile],
    {
      cwd: path.join(REPO_ROOT, 'packages/backend'),
      execArgv: [
        '--require',
        '@backstage/cli/config/nodeTransform.cjs',
        '--expose-gc',
        // e.g. --cpu-prof, to see where a request's time goes
        ...(process.env.BENCH_BACKEND_NODE_ARGS?.split(' ').filter(Boolean) ??
          []),
      ],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        BENCH_BACKEND_PORT: String(port),
        K8S_TOKEN: 'unused-the-overlay-names-the-cluster',
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', chunk => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let nextId = 0;
  const waiting = new Map<number, (message: BackendProcessMessage) => void>();
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  await new Promise<void>((resolve, reject) => {
    child.once('exit', code =>
      reject(new Error(`demo backend exited with ${code}:\n${stderr}`)),
    );
    child.on('message', (message: BackendProcessMessage) => {
      if (message.type === 'ready') resolve();
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
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    options.log(`demo backend on ${origin}; waiting for the catalog…`);
    // The guest's ownership claims (team-shop) come from the catalog's User entity at sign-in:
    // sessions are signed in once the catalog holds it.
    await waitForEntities(origin, await guestToken(origin), [
      ...options.entities,
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: 'guest', namespace: 'default' },
      },
    ]);
    const tokens: string[] = [];
    for (let i = 0; i < (options.sessions ?? 1); i++) {
      tokens.push(await guestToken(origin));
    }
    return {
      origin,
      tokens,
      baseUrl: `${origin}/api/monitoring`,
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
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

type Json = Record<string, any>;

/** Objects merge, everything else (arrays included) replaces: Backstage's own merge rules. */
function merge(base: Json, extra: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const isObject = (v: unknown) =>
      !!v && typeof v === 'object' && !Array.isArray(v);
    out[key] =
      isObject(value) && isObject(out[key]) ? merge(out[key], value) : value;
  }
  return out;
}

/** A guest session's token, from the endpoint the app's sign-in page calls. */
export async function guestToken(origin: string): Promise<string> {
  const res = await fetch(`${origin}/api/auth/guest/refresh`, {
    // the auth backend refuses refresh requests that do not come from the app's fetch
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(`guest sign-in failed: ${res.status} ${await res.text()}`);
  }
  const body = (await res.json()) as { backstageIdentity: { token: string } };
  return body.backstageIdentity.token;
}

/** Until the catalog's processing loop has stored every entity (a few seconds after start). */
async function waitForEntities(
  origin: string,
  token: string,
  entities: Entity[],
) {
  const deadline = Date.now() + 120_000;
  for (const entity of entities) {
    const url = `${origin}/api/catalog/entities/by-name/${entity.kind.toLocaleLowerCase(
      'en-US',
    )}/${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`;
    for (;;) {
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${token}` },
      });
      await res.arrayBuffer();
      if (res.ok) break;
      if (Date.now() > deadline) {
        throw new Error(`the catalog did not get ${url} (${res.status})`);
      }
      await new Promise(r => setTimeout(r, 250));
    }
  }
}
