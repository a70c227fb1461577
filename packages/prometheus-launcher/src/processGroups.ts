/*
 * Process-group helpers. Every child of the environment is spawned `detached` (its own session
 * and process group, pgid = its pid), so a terminal Ctrl-C reaches only the orchestrator, which
 * then stops the children in order, and stopping a child also stops whatever it spawned itself
 * (backstage-cli starts further node processes).
 *
 * Linux /proc is used to see group members and to tell zombies (already dead, waiting for a
 * parent that may never reap them, e.g. in containers whose init does not) from live processes.
 * Elsewhere we fall back to kill(-pgid, 0).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const HAS_PROC = existsSync('/proc/self/stat');

interface ProcStat {
  state: string;
  pgrp: number;
  /** Clock ticks since boot; with the pid it identifies a process across pid reuse. */
  startTime: string;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses, so split after
  // the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], pgrp: Number(fields[2]), startTime: fields[19] };
}

/** Start time of a live process (Linux), used to recognise our own pid after a restart. */
export function processStartTime(pid: number): string | undefined {
  if (!HAS_PROC) return undefined;
  const stat = readStat(pid);
  return stat && stat.state !== 'Z' ? stat.startTime : undefined;
}

/** Whether `pid` is a live (non-zombie) process. */
export function isProcessAlive(pid: number): boolean {
  if (HAS_PROC) {
    const stat = readStat(pid);
    return stat !== undefined && stat.state !== 'Z';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Live (non-zombie) members of process group `pgid`. */
export function processGroupMembers(pgid: number): number[] {
  if (!HAS_PROC) {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z') {
      members.push(Number(entry));
    }
  }
  return members;
}

/** Sends `signal` to every process of the group; a group that is already gone is fine. */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** Polls until no live member is left; resolves false after `timeoutMs`. */
export async function waitForProcessGroupExit(
  pgid: number,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (processGroupMembers(pgid).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await delay(100);
  }
}

/**
 * Stops a whole process group: SIGTERM, then SIGKILL for whatever is still alive after
 * `graceMs`. Resolves once the group is gone; throws if even SIGKILL did not end it.
 */
export async function terminateProcessGroup(
  pgid: number,
  options: { graceMs?: number } = {},
): Promise<void> {
  if (processGroupMembers(pgid).length === 0) return;
  signalProcessGroup(pgid, 'SIGTERM');
  if (await waitForProcessGroupExit(pgid, options.graceMs ?? 10_000)) return;
  signalProcessGroup(pgid, 'SIGKILL');
  if (!(await waitForProcessGroupExit(pgid, 5_000))) {
    throw new Error(
      `Process group ${pgid} is still alive after SIGKILL: ${processGroupMembers(
        pgid,
      ).join(', ')}`,
    );
  }
}
