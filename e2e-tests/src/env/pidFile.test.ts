import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ManagedProcess,
  isProcessAlive,
  processGroupMembers,
  processStartTime,
  startManagedProcess,
} from '@prometheus-ocs/prometheus-launcher';
import {
  pidFilePath,
  readPidFile,
  stopLeftovers,
  writePidFile,
} from './pidFile';

describe('pid file', () => {
  let runDir: string;
  const started: ManagedProcess[] = [];
  const messages: string[] = [];
  const log = (message: string) => messages.push(message);

  function sleeper(name: string, script = 'sleep 300 & wait'): ManagedProcess {
    const child = startManagedProcess({
      name,
      command: 'sh',
      args: ['-c', script],
      logFile: join(runDir, `${name}.log`),
    });
    started.push(child);
    return child;
  }

  /** Resolves once the group of `child` has `count` live members. */
  function groupSize(child: ManagedProcess, count: number): Promise<void> {
    return new Promise(resolve => {
      const poll = () =>
        processGroupMembers(child.pid).length === count
          ? resolve()
          : setTimeout(poll, 20);
      poll();
    });
  }

  /** A pid that belonged to a process that has exited. */
  async function deadPid(): Promise<number> {
    const child = sleeper('short-lived', 'exit 0');
    await child.exited;
    return child.pid;
  }

  beforeEach(() => {
    runDir = mkdtempSync(join(tmpdir(), 'pid-file-'));
    messages.length = 0;
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map(child => child.stop()));
    rmSync(runDir, { recursive: true, force: true });
  });

  it('does nothing without a pid file', async () => {
    await stopLeftovers(runDir, log);
    expect(messages).toEqual([]);
  });

  it('round-trips its content', () => {
    const content = {
      orchestrator: { name: 'orchestrator', pid: 1, command: 'node dev.ts' },
      processes: [
        {
          name: 'prometheus',
          pid: 2,
          startTime: '42',
          command: '/usr/bin/prometheus',
        },
      ],
    };
    writePidFile(pidFilePath(runDir), content);
    expect(readPidFile(pidFilePath(runDir))).toEqual(content);
  });

  it('stops the process groups a crashed run left behind and removes the file', async () => {
    const leftover = sleeper('prometheus');
    writePidFile(pidFilePath(runDir), {
      orchestrator: {
        name: 'orchestrator',
        pid: await deadPid(),
        command: 'node dev.ts',
      },
      processes: [
        {
          name: 'prometheus',
          pid: leftover.pid,
          startTime: processStartTime(leftover.pid),
          command: 'sh',
        },
      ],
    });

    await stopLeftovers(runDir, log);

    expect(processGroupMembers(leftover.pid)).toEqual([]);
    expect(existsSync(pidFilePath(runDir))).toBe(false);
    expect(messages).toEqual([
      `Stopping leftover prometheus (process group ${leftover.pid}) from a previous run`,
    ]);
  });

  it('asks a still running orchestrator to stop first', async () => {
    const orchestrator = sleeper(
      'orchestrator',
      "trap 'echo got TERM; exit 0' TERM; echo ready; while :; do sleep 0.1; done",
    );
    await new Promise<void>(resolve => {
      const poll = () =>
        readFileSync(orchestrator.logFile, 'utf8').includes('ready')
          ? resolve()
          : setTimeout(poll, 20);
      poll();
    });
    writePidFile(pidFilePath(runDir), {
      orchestrator: {
        name: 'orchestrator',
        pid: orchestrator.pid,
        startTime: processStartTime(orchestrator.pid),
        command: 'sh',
      },
      processes: [],
    });

    await stopLeftovers(runDir, log);

    expect(isProcessAlive(orchestrator.pid)).toBe(false);
    expect(readFileSync(orchestrator.logFile, 'utf8')).toContain('got TERM');
    expect(messages[0]).toMatch(
      /^Stopping the previous environment \(orchestrator pid \d+\)/,
    );
  });

  it('never signals a recorded pid that now belongs to another process', async () => {
    const unrelated = sleeper('unrelated');
    await groupSize(unrelated, 2);
    writePidFile(pidFilePath(runDir), {
      orchestrator: {
        name: 'orchestrator',
        pid: unrelated.pid,
        startTime: 'not-its-start-time',
        command: 'node dev.ts',
      },
      processes: [
        {
          name: 'prometheus',
          pid: unrelated.pid,
          startTime: 'not-its-start-time',
          command: 'x',
        },
      ],
    });

    await stopLeftovers(runDir, log);

    expect(processGroupMembers(unrelated.pid)).toHaveLength(2);
    expect(messages).toEqual([]);
    expect(existsSync(pidFilePath(runDir))).toBe(false);
  });

  it('explains a pid file it cannot read', () => {
    writeFileSync(pidFilePath(runDir), '{"orchestrator": 1}');
    expect(() => readPidFile(pidFilePath(runDir))).toThrow(
      /pids\.json is not a pid file written by the environment \(unexpected shape\); delete it if no old environment is running$/,
    );
  });
});
