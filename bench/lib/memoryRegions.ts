import { readFileSync } from 'node:fs';

/** Resident memory of a process by kind of mapping, from /proc/<pid>/smaps (bytes). */
export interface MemoryRegions {
  /** glibc's main malloc arena (`[heap]`). */
  mallocMain: number;
  /**
   * glibc's per-thread malloc arenas: anonymous mappings inside 64 MiB-aligned 64 MiB
   * reservations, used by the threads (libuv pool, V8's GC helpers) that allocate natively.
   */
  mallocThreads: number;
  /** Other anonymous memory: V8's heap pages, large (mmap'ed) allocations, thread stacks. */
  otherAnonymous: number;
  /** Mapped files: the node binary, shared libraries. */
  files: number;
}

const ARENA = 64 * 1024 * 1024;

/** Reads the regions of a running process; undefined where /proc is not available. */
export function memoryRegions(pid: number): MemoryRegions | undefined {
  let smaps: string;
  try {
    smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return undefined;
  }
  const regions: MemoryRegions = {
    mallocMain: 0,
    mallocThreads: 0,
    otherAnonymous: 0,
    files: 0,
  };
  let kind: keyof MemoryRegions = 'otherAnonymous';
  for (const line of smaps.split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(
      line,
    );
    if (header) {
      const start = BigInt(`0x${header[1]}`);
      const name = header[3];
      if (name === '[heap]') kind = 'mallocMain';
      else if (name.startsWith('/')) kind = 'files';
      else if (name === '' && start % BigInt(ARENA) === 0n)
        kind = 'mallocThreads';
      else kind = 'otherAnonymous';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) regions[kind] += Number(rss[1]) * 1024;
  }
  return regions;
}
