import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExit, startManagedProcess } from './managedProcess';
import { processGroupMembers } from './processGroups';

describe('startManagedProcess', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'managed-process-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the child in its own process group and stops the whole group, grandchildren included', async () => {
    const child = startManagedProcess({
      name: 'sleeper',
      command: 'sh',
      // A grandchild in the background, then a foreground wait: both must go.
      args: ['-c', 'sleep 300 & echo started; wait'],
      logFile: join(dir, 'sleeper.log'),
    });
    await new Promise<void>(resolve => {
      const poll = () =>
        processGroupMembers(child.pid).length === 2
          ? resolve()
          : setTimeout(poll, 50);
      poll();
    });
    // Both processes are in the group whose id is the child's pid: it leads its own group.
    expect(processGroupMembers(child.pid)).toContain(child.pid);

    await child.stop();

    expect(processGroupMembers(child.pid)).toEqual([]);
    expect(child.exit()).toEqual({ code: null, signal: 'SIGTERM' });
    expect(readFileSync(child.logFile, 'utf8')).toBe('started\n');
  });

  it('escalates to SIGKILL when the group ignores SIGTERM', async () => {
    const child = startManagedProcess({
      name: 'stubborn',
      command: 'sh',
      args: ['-c', "trap '' TERM; echo trapped; while :; do sleep 1; done"],
      logFile: join(dir, 'stubborn.log'),
      stopGraceMs: 300,
    });
    await new Promise<void>(resolve => {
      const poll = () =>
        readFileSync(child.logFile, 'utf8').includes('trapped')
          ? resolve()
          : setTimeout(poll, 50);
      poll();
    });

    await child.stop();

    expect(processGroupMembers(child.pid)).toEqual([]);
    expect(child.exit()?.signal).toBe('SIGKILL');
  });

  it('echoes output lines and keeps them in the log file', async () => {
    const lines: string[] = [];
    const child = startManagedProcess({
      name: 'echo',
      command: 'sh',
      args: ['-c', 'echo one; echo two >&2'],
      logFile: join(dir, 'echo.log'),
      echo: line => lines.push(line),
    });
    const exit = await child.exited;
    // The log is written asynchronously after the stream closes.
    await new Promise<void>(resolve => {
      const poll = () =>
        readFileSync(child.logFile, 'utf8').split('\n').length === 3
          ? resolve()
          : setTimeout(poll, 20);
      poll();
    });

    expect(exit).toEqual({ code: 0, signal: null });
    expect(lines.sort()).toEqual(['one', 'two']);
    expect(child.tail(1)).toMatch(/^(one|two)$/);
  });

  it('reports a command that cannot be started', async () => {
    const child = startManagedProcess({
      name: 'missing',
      command: join(dir, 'no-such-binary'),
      args: [],
      logFile: join(dir, 'missing.log'),
    });
    const exit = await child.exited;

    expect(describeExit(exit)).toMatch(
      /^could not start: spawn .*no-such-binary ENOENT$/,
    );
    await expect(child.stop()).resolves.toBeUndefined();
  });
});
