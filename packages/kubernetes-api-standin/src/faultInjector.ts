/*
 * Fault injection: make the n-th matching request fail with a given status, wait before it is
 * answered, or hold it until the test releases it, so tests can exercise the product's handling of
 * API server errors and timeouts.
 */
import type { FaultHandle, FaultRule } from './types';

/** A path matcher given as a RegExp or as the source of one. */
export function toRegExp(
  path: RegExp | string | undefined,
): RegExp | undefined {
  if (path === undefined) return undefined;
  return typeof path === 'string' ? new RegExp(path) : path;
}

class InstalledFault implements FaultHandle {
  matched = 0;
  applied = 0;
  private readonly pathRe?: RegExp;
  /** settles when a `hold` rule is released */
  readonly released: Promise<void>;
  release: () => void = () => {};

  constructor(
    readonly rule: FaultRule,
    private readonly onRemove: (f: InstalledFault) => void,
  ) {
    if (
      rule.nth !== undefined &&
      (!Number.isInteger(rule.nth) || rule.nth < 1)
    ) {
      throw new Error(
        `fault rule nth must be a positive integer, got ${rule.nth}`,
      );
    }
    if (rule.times !== undefined && !(rule.times >= 1)) {
      throw new Error(`fault rule times must be at least 1, got ${rule.times}`);
    }
    if (
      rule.status !== undefined &&
      (!Number.isInteger(rule.status) || rule.status < 100 || rule.status > 599)
    ) {
      throw new Error(
        `fault rule status must be an HTTP status code, got ${rule.status}`,
      );
    }
    if (rule.status === undefined && rule.delayMs === undefined && !rule.hold) {
      throw new Error('a fault rule needs a status, a delayMs or hold');
    }
    this.pathRe = toRegExp(rule.path);
    this.released = new Promise(resolve => {
      this.release = () => resolve();
    });
  }

  /** Counts the request if it matches; true when the fault applies to it. */
  take(method: string, path: string): boolean {
    if (
      this.rule.method &&
      this.rule.method.toUpperCase() !== method.toUpperCase()
    )
      return false;
    if (this.pathRe && !this.pathRe.test(path)) return false;
    this.matched += 1;
    const first = this.rule.nth ?? 1;
    const last = first + (this.rule.times ?? 1) - 1;
    if (this.matched < first || this.matched > last) return false;
    this.applied += 1;
    return true;
  }

  remove(): void {
    this.release();
    this.onRemove(this);
  }
}

/** What to do with a request according to the installed faults. */
export interface FaultDecision {
  delayMs: number;
  /** settle when every `hold` rule that applies is released */
  holds: Promise<void>[];
  status?: number;
  message?: string;
}

export class FaultInjector {
  private faults: InstalledFault[] = [];

  add(rule: FaultRule): FaultHandle {
    const fault = new InstalledFault({ ...rule }, f => {
      this.faults = this.faults.filter(x => x !== f);
    });
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    for (const f of this.faults) f.release();
    this.faults = [];
  }

  list(): FaultHandle[] {
    return [...this.faults];
  }

  /** Every rule counts the request; delays add up and the first status wins. */
  decide(method: string, path: string): FaultDecision | undefined {
    let decision: FaultDecision | undefined;
    for (const f of this.faults) {
      if (!f.take(method, path)) continue;
      decision ??= { delayMs: 0, holds: [] };
      decision.delayMs += f.rule.delayMs ?? 0;
      if (f.rule.hold) decision.holds.push(f.released);
      if (decision.status === undefined && f.rule.status !== undefined) {
        decision.status = f.rule.status;
        decision.message =
          f.rule.message ??
          `injected fault: ${f.rule.status} for ${method} ${path}`;
      }
    }
    return decision;
  }
}
