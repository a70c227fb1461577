/*
 * `<runDir>/pids.json`: which processes the current (or a crashed) run started. A new run reads it
 * to stop its own leftovers (a previous orchestrator that is still running, or children orphaned
 * by a SIGKILLed one) before it checks that its ports are free. Pids are matched together with
 * their start time, so a recycled pid of an unrelated process is never signalled.
 */
import {
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import {
  isProcessAlive,
  processGroupMembers,
  processStartTime,
  terminateProcessGroup,
} from '@prometheus-ocs/prometheus-launcher';

export interface PidRecord {
  name: string;
  pid: number;
  /** From /proc (Linux); absent elsewhere. */
  startTime?: string;
  command: string;
}

export interface PidFileContent {
  orchestrator: PidRecord;
  processes: PidRecord[];
}

export function pidFilePath(runDir: string): string {
  return join(runDir, 'pids.json');
}

export function readPidFile(path: string): PidFileContent | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const content = JSON.parse(text) as PidFileContent;
    if (
      typeof content?.orchestrator?.pid !== 'number' ||
      !Array.isArray(content.processes)
    ) {
      throw new Error('unexpected shape');
    }
    return content;
  } catch (error) {
    throw new Error(
      `${path} is not a pid file written by the environment (${
        (error as Error).message
      }); delete it if no old environment is running`,
    );
  }
}

/** Writes atomically, so a crash mid-write never leaves a half file behind. */
export function writePidFile(path: string, content: PidFileContent): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(content, null, 2)}\n`);
  renameSync(tmp, path);
}

export function removePidFile(path: string): void {
  rmSync(path, { force: true });
}

/** True when `record` still describes the same live process (same pid and start time). */
function isSameProcess(record: PidRecord): boolean {
  if (!isProcessAlive(record.pid)) return false;
  // Without a recorded start time (non-Linux) we can only trust the pid.
  return (
    record.startTime === undefined ||
    processStartTime(record.pid) === record.startTime
  );
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return true;
}

/**
 * Stops what a previous run recorded in `<runDir>/pids.json` and is still running, then removes
 * the file. A previous orchestrator gets SIGTERM first so it shuts its children down itself.
 */
export async function stopLeftovers(
  runDir: string,
  log: (message: string) => void,
): Promise<void> {
  const path = pidFilePath(runDir);
  const previous = readPidFile(path);
  if (!previous) return;

  const orchestrator = previous.orchestrator;
  if (orchestrator.pid !== process.pid && isSameProcess(orchestrator)) {
    log(
      `Stopping the previous environment (orchestrator pid ${orchestrator.pid}) recorded in ${path}`,
    );
    process.kill(orchestrator.pid, 'SIGTERM');
    if (!(await waitForExit(orchestrator.pid, 30_000))) {
      log(
        `Orchestrator ${orchestrator.pid} did not stop within 30s; killing it`,
      );
      process.kill(orchestrator.pid, 'SIGKILL');
      await waitForExit(orchestrator.pid, 5_000);
    }
  }

  for (const record of previous.processes) {
    // The leader may be gone while processes it started still hold the group (pgid = its pid;
    // Linux does not hand out a pid that is still in use as a process group id).
    const leaderIsOurs = isSameProcess(record);
    const leaderIsOther = !leaderIsOurs && isProcessAlive(record.pid);
    if (leaderIsOther || processGroupMembers(record.pid).length === 0) continue;
    log(
      `Stopping leftover ${record.name} (process group ${record.pid}) from a previous run`,
    );
    await terminateProcessGroup(record.pid, { graceMs: 10_000 });
  }
  removePidFile(path);
}
