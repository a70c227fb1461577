/**
 * In-process mutual exclusion per key (here: cluster and namespace), so the applies and teardowns
 * of one namespace on one backend replica run one after another. Cheap insurance only: safety
 * across replicas comes from the converge protocol of NamespaceSharedObjects, which does not rely
 * on it.
 */
export class NamespaceLocks {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` once every earlier `run` of the same key has settled. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const current = previous.then(() => fn());
    const tail = current.catch(() => undefined);
    this.#tails.set(key, tail);
    try {
      return await current;
    } finally {
      // Forget the key once nothing else is queued behind this run.
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}
