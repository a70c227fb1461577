import { AsyncLocalStorage } from 'node:async_hooks';
import { KubernetesClient } from '../kubernetes/KubernetesClient';

/*
 * Runs concurrent operations (applies, teardowns) so that their Kubernetes requests reach the
 * API server one at a time, in an order a strategy chooses — a seeded random source makes every
 * interleaving reproducible, and no assertion depends on timing.
 *
 * Every request of a wrapped client stops at a gate. Once every operation that can move is
 * waiting at a gate (or finished), one waiting request is picked and let through, and the
 * interleaver waits for its answer and for the operations to settle again before the next pick.
 *
 * Which request goes is the strategy's choice: `pctStrategy` (seeded, random) or a scripted one
 * for a known schedule. Operations of one group (one MonitoringResourceManager, whose per-namespace lock runs them one
 * after another in the order they were started) move one at a time: only the first unfinished one
 * of a group is expected at a gate.
 */

const GATED = new Set(['get', 'list', 'apply', 'delete', 'hasApiVersion']);

/** How many event-loop turns an operation may take between two requests before it counts as stuck. */
const MAX_SETTLE_TURNS = 10_000;

interface Task {
  index: number;
  group: string;
  label: string;
  done: boolean;
  /** set while the task waits at a gate */
  waiting?: { request: string; release: () => void; answered: Promise<void> };
}

/** A request waiting at its gate. */
export interface WaitingRequest {
  /** the operation's position in `run`'s list */
  index: number;
  label: string;
  request: string;
}

/**
 * Per run (given the number of operations): picks which waiting request goes next, returning
 * its operation's index; `trace` is what went so far.
 */
export type InterleavingStrategy = (
  operations: number,
) => (waiting: WaitingRequest[], trace: readonly string[]) => number;

/**
 * PCT-like (probabilistic concurrency testing) picks: each operation gets a random priority,
 * the highest waiting one goes, and at `changePoints` random steps below `horizon` (about the
 * number of requests of a run) the one that just went drops to the lowest priority. A uniform
 * pick almost never lets one operation run many requests ahead of another and then pause, which
 * races between a teardown's "nobody uses the shared objects" and its deletes need.
 */
export function pctStrategy(
  random: () => number,
  options: { changePoints?: number; horizon?: number } = {},
): InterleavingStrategy {
  const { changePoints = 3, horizon = 100 } = options;
  return operations => {
    const priority = Array.from({ length: operations }, () => random());
    const changeAt = new Set(
      Array.from({ length: changePoints }, () =>
        Math.floor(random() * horizon),
      ),
    );
    let step = 0;
    return waiting => {
      const next = waiting.reduce((a, b) =>
        priority[b.index] > priority[a.index] ? b : a,
      ).index;
      if (changeAt.has(step)) priority[next] = -1 - step;
      step++;
      return next;
    };
  };
}

/** One operation to run: its group (e.g. the manager) and what it does. */
export interface InterleavedOperation<T> {
  group: string;
  label: string;
  run: () => Promise<T>;
}

export class RequestInterleaver {
  readonly #context = new AsyncLocalStorage<Task>();
  readonly #strategy: InterleavingStrategy;
  /** "label: request" for every request let through in the last run, in order. */
  readonly trace: string[] = [];

  constructor(strategy: InterleavingStrategy) {
    this.#strategy = strategy;
  }

  /** The same client, with every request held at a gate when called from an operation. */
  wrap(client: KubernetesClient): KubernetesClient {
    const context = this.#context;
    return new Proxy(client, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof property !== 'string' || !GATED.has(property)) return value;
        return async (...args: unknown[]) => {
          const task = context.getStore();
          if (!task) return value.apply(target, args);
          let answer!: () => void;
          const answered = new Promise<void>(resolve => {
            answer = resolve;
          });
          await new Promise<void>(release => {
            task.waiting = {
              request: `${property} ${describeArgs(args)}`,
              release,
              answered,
            };
          });
          try {
            return await value.apply(target, args);
          } finally {
            answer();
          }
        };
      },
    });
  }

  /** Runs the operations concurrently, one request at a time; settles like Promise.allSettled. */
  async run<T>(
    operations: InterleavedOperation<T>[],
  ): Promise<PromiseSettledResult<T>[]> {
    this.trace.length = 0;
    const tasks: Task[] = operations.map((o, index) => ({
      index,
      group: o.group,
      label: o.label,
      done: false,
    }));
    const settled = operations.map((o, i) =>
      this.#context
        .run(tasks[i], () => Promise.resolve().then(o.run))
        .finally(() => {
          tasks[i].done = true;
        }),
    );
    const pick = this.#strategy(tasks.length);
    for (;;) {
      await this.#settle(tasks);
      const waiting = tasks.filter(t => t.waiting);
      if (waiting.length === 0) break;
      const index = pick(
        waiting.map(t => ({
          index: t.index,
          label: t.label,
          request: t.waiting!.request,
        })),
        this.trace,
      );
      const task = tasks[index];
      if (!task?.waiting) throw new Error(`operation ${index} is not waiting`);
      const gate = task.waiting;
      task.waiting = undefined;
      this.trace.push(`${task.label}: ${gate.request}`);
      gate.release();
      await gate.answered;
    }
    return Promise.allSettled(settled);
  }

  /** Waits until the first unfinished task of every group waits at a gate. */
  async #settle(tasks: Task[]): Promise<void> {
    for (let turn = 0; ; turn++) {
      const heads = [...new Set(tasks.map(t => t.group))]
        .map(group => tasks.find(t => t.group === group && !t.done))
        .filter((t): t is Task => t !== undefined);
      if (heads.every(t => t.waiting)) return;
      if (turn === MAX_SETTLE_TURNS) {
        throw new Error(
          `operations neither reached a request nor finished: ${heads
            .filter(t => !t.waiting)
            .map(t => t.label)
            .join(', ')}`,
        );
      }
      await new Promise(resolve => setImmediate(resolve));
    }
  }
}

function describeArgs(args: unknown[]): string {
  const first = args[0] as
    | { kind?: string; name?: string; metadata?: { name?: string } }
    | string
    | undefined;
  if (typeof first === 'string') return first;
  if (!first) return '';
  return `${first.kind ?? ''}/${first.name ?? first.metadata?.name ?? '*'}`;
}
