/*
 * PostgreSQL and Redis for the production profile, run from their Debian binaries on loopback
 * with their data under the run directory. PostgreSQL refuses to run as root: as root, initdb and
 * postgres run as the `postgres` user the Debian package creates (setpriv, no intermediate
 * process, so the managed pid is postgres itself).
 */
import { execFile } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ManagedProcess, describeExit } from './managedProcess';

const execFileAsync = promisify(execFile);

/** Starts a child of the environment (startProductionEnvironment's spawner). */
export type SpawnChild = (
  name: string,
  command: string,
  args: string[],
  extra?: { env?: NodeJS.ProcessEnv; cwd?: string; stopGraceMs?: number },
) => ManagedProcess;

/** The database superuser the backend connects as (created by initdb). */
export const POSTGRES_USER = 'backstage';

interface RunAs {
  uid: number;
  gid: number;
  wrap(command: string, args: string[]): [string, string[]];
}

/** As root: the `postgres` user of the Debian package. Otherwise: the current user. */
async function postgresRunAs(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  let ids: string[];
  try {
    const { stdout } = await execFileAsync('id', ['-u', 'postgres']);
    const { stdout: gid } = await execFileAsync('id', ['-g', 'postgres']);
    ids = [stdout.trim(), gid.trim()];
  } catch {
    throw new Error(
      'PostgreSQL refuses to run as root and there is no `postgres` user to run it as ' +
        '(the Debian package `postgresql` creates it); run as another user or install the package',
    );
  }
  return {
    uid: Number(ids[0]),
    gid: Number(ids[1]),
    wrap: (command, args) => [
      'setpriv',
      [
        '--reuid=postgres',
        '--regid=postgres',
        '--init-groups',
        command,
        ...args,
      ],
    ],
  };
}

async function waitUntil(
  what: string,
  child: ManagedProcess,
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exit = child.exit();
    if (exit) {
      throw new Error(
        `${what} ${describeExit(exit)}\n--- last lines of ${
          child.logFile
        } ---\n${child.tail(30)}`,
      );
    }
    if (await ready()) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${what} did not become ready within ${Math.round(
          timeoutMs / 1000,
        )}s\n--- last lines of ${child.logFile} ---\n${child.tail(30)}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

export interface StartPostgresOptions {
  binDir: string;
  /** PGDATA; created with initdb when it holds no cluster yet. */
  dataDir: string;
  port: number;
  password: string;
  spawn: SpawnChild;
  log: (message: string) => void;
  timeoutMs?: number;
}

export async function startPostgres(
  options: StartPostgresOptions,
): Promise<ManagedProcess> {
  const { binDir, dataDir, port } = options;
  const runAs = await postgresRunAs();
  const wrap = (command: string, args: string[]): [string, string[]] =>
    runAs ? runAs.wrap(command, args) : [command, args];

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    options.log(`Creating the PostgreSQL cluster in ${dataDir}`);
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const pwFile = `${dataDir}.password`;
    writeFileSync(pwFile, `${options.password}\n`, { mode: 0o600 });
    if (runAs) {
      // The postgres user must reach the data directory: a run directory made by mkdtemp is
      // 0700. Directories on the way get the search bit for others (o+x: no listing).
      for (
        let dir = dirname(dataDir);
        dir !== dirname(dir);
        dir = dirname(dir)
      ) {
        const mode = statSync(dir).mode & 0o7777;
        if (!(mode & 0o001)) {
          options.log(`Allowing the postgres user through ${dir} (o+x)`);
          chmodSync(dir, mode | 0o001);
        }
      }
      chownSync(dataDir, runAs.uid, runAs.gid);
      chownSync(pwFile, runAs.uid, runAs.gid);
    }
    try {
      const [command, args] = wrap(join(binDir, 'initdb'), [
        '--pgdata',
        dataDir,
        '--username',
        POSTGRES_USER,
        '--pwfile',
        pwFile,
        '--auth-local=scram-sha-256',
        '--auth-host=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
      ]);
      await execFileAsync(command, args);
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(
        `initdb failed: ${(error as { stderr?: string }).stderr ?? error}`,
      );
    } finally {
      rmSync(pwFile, { force: true });
    }
  }

  const [command, args] = wrap(join(binDir, 'postgres'), [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    // TCP only: no socket file in /var/run/postgresql (another cluster's, or not writable).
    '-c',
    'unix_socket_directories=',
    // Two replicas × one connection pool per plugin.
    '-c',
    'max_connections=300',
  ]);
  const child = options.spawn('postgres', command, args, {
    // SIGTERM is PostgreSQL's "smart" shutdown: it waits for the (already stopped) backends.
    stopGraceMs: 20_000,
  });
  const isReady = join(binDir, 'pg_isready');
  await waitUntil(
    'PostgreSQL',
    child,
    () =>
      execFileAsync(isReady, ['-h', '127.0.0.1', '-p', String(port)]).then(
        () => true,
        () => false,
      ),
    options.timeoutMs ?? 60_000,
  );
  return child;
}

/** Sends PING, true on +PONG. */
export function redisPing(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = new Socket();
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', chunk => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

export interface StartRedisOptions {
  redisServer: string;
  dataDir: string;
  port: number;
  spawn: SpawnChild;
  timeoutMs?: number;
}

export async function startRedis(
  options: StartRedisOptions,
): Promise<ManagedProcess> {
  mkdirSync(options.dataDir, { recursive: true });
  const child = options.spawn('redis', options.redisServer, [
    '--port',
    String(options.port),
    '--bind',
    '127.0.0.1',
    '--dir',
    options.dataDir,
    // A cache: nothing worth persisting across restarts.
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
  ]);
  await waitUntil(
    'Redis',
    child,
    () => redisPing(options.port),
    options.timeoutMs ?? 30_000,
  );
  return child;
}
