import { JsonValue } from '@backstage/types';
import { CoalescingCache } from './CoalescingCache';
import { ReadSharing } from './readSharing';

/** The cache key of `question` for readers that may share it; undefined: not cached at all. */
function keyFor(question: string, sharing: ReadSharing): string | undefined {
  switch (sharing.type) {
    case 'shared':
      return question;
    case 'reader':
      return `${question}|reader:${sharing.reader}`;
    default:
      return undefined;
  }
}

/**
 * The cached, coalesced reads of clusters — everything the backend keeps of what a cluster, its
 * Prometheus or its Alertmanager answered (targets, alerts, silences, graphs, bindings, plan and
 * status) goes through here, keyed by the cluster the answer came from and by who may share it
 * (`sharingOf`, see ReadSharing): on service-identity clusters one answer per question and window
 * serves every reader; on user-delegated clusters each reader (principal and cluster token) has
 * its own, so nobody is served what the cluster answered someone else.
 *
 * Invalidation drops the current reader's answer: on a user-delegated cluster, other readers see
 * a change (a new silence, an apply) within one window, as they see changes made outside the
 * portal.
 */
export class ClusterReadCache {
  readonly #cache: CoalescingCache;
  readonly #sharingOf: (cluster: string) => Promise<ReadSharing>;

  constructor(options: {
    cache: CoalescingCache;
    /** How answers read from the cluster may be shared with the current request's caller. */
    sharingOf(cluster: string): Promise<ReadSharing>;
  }) {
    this.#cache = options.cache;
    this.#sharingOf = options.sharingOf;
  }

  /** The answer to `question` read from `cluster` (shared and frozen when cached). */
  async get<T extends JsonValue>(
    cluster: string,
    question: string,
    load: () => Promise<T>,
  ): Promise<T> {
    const key = keyFor(question, await this.#sharingOf(cluster));
    return key === undefined ? load() : this.#cache.get(key, load);
  }

  /** Drops the answer to `question` from `cluster` (see the class comment for whose). */
  async invalidate(cluster: string, question: string): Promise<void> {
    const key = keyFor(question, await this.#sharingOf(cluster));
    if (key !== undefined) await this.#cache.invalidate(key);
  }
}
