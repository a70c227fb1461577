/*
 * A child process of the environment: spawned in its own process group, output kept in a log
 * file (and optionally echoed line by line), stoppable as a group.
 */
import { spawn } from 'node:child_process';
import { closeSync, createWriteStream, openSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { processStartTime, terminateProcessGroup } from './processGroups';

export interface ManagedProcessOptions {
  /** Short name for messages and the pid file, e.g. `prometheus`. */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Output (stdout and stderr) is written here, truncated at start. */
  logFile: string;
  /**
   * Also pass every output line here (e.g. Backstage's console output during `yarn dev`).
   * Without it the child writes to the log file directly, so it keeps a valid stdout even if the
   * orchestrator is killed.
   */
  echo?: (line: string) => void;
  /** How long SIGTERM may take before SIGKILL. */
  stopGraceMs?: number;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all (e.g. ENOENT). */
  error?: Error;
}

export interface ManagedProcess {
  readonly name: string;
  /** Pid of the child, which is also its process group id. */
  readonly pid: number;
  readonly startTime?: string;
  readonly command: string;
  readonly logFile: string;
  /** Settles when the child exits (never rejects). */
  readonly exited: Promise<ProcessExit>;
  /** The exit, once it happened. */
  exit(): ProcessExit | undefined;
  /** The last `lines` lines of the log file. */
  tail(lines?: number): string;
  /** Stops the whole process group (SIGTERM, then SIGKILL) and waits for the child to be reaped. */
  stop(): Promise<void>;
}

export function describeExit(exit: ProcessExit): string {
  if (exit.error) return `could not start: ${exit.error.message}`;
  return exit.signal
    ? `was killed by ${exit.signal}`
    : `exited with code ${exit.code}`;
}

export function startManagedProcess(
  options: ManagedProcessOptions,
): ManagedProcess {
  const { name, command, args, logFile, echo } = options;
  const fd = openSync(logFile, 'w');
  let child;
  try {
    child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: echo ? ['ignore', 'pipe', 'pipe'] : ['ignore', fd, fd],
    });
  } catch (error) {
    if (echo) closeSync(fd);
    throw error;
  } finally {
    // The child holds its own copy of the descriptor.
    if (!echo) closeSync(fd);
  }
  if (echo) {
    const file = createWriteStream('', { fd });
    for (const stream of [child.stdout!, child.stderr!]) {
      const lines = createInterface({ input: stream, crlfDelay: Infinity });
      lines.on('line', line => {
        file.write(`${line}\n`);
        echo(line);
      });
    }
    child.once('close', () => file.end());
  }

  let exitInfo: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>(resolve => {
    child.once('error', error => {
      // 'error' without a pid means spawn failed; otherwise 'exit' follows.
      if (child.pid === undefined) {
        exitInfo = { code: null, signal: null, error };
        resolve(exitInfo);
      }
    });
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });

  const pid = child.pid ?? -1;
  const startTime = pid > 0 ? processStartTime(pid) : undefined;

  return {
    name,
    pid,
    startTime,
    command,
    logFile,
    exited,
    exit: () => exitInfo,
    tail(lines = 20) {
      try {
        return readFileSync(logFile, 'utf8')
          .trimEnd()
          .split('\n')
          .slice(-lines)
          .join('\n');
      } catch {
        return '';
      }
    },
    async stop() {
      if (pid > 0) {
        await terminateProcessGroup(pid, { graceMs: options.stopGraceMs });
      }
      await exited;
    },
  };
}
