import { KubeObject } from '@prometheus-ocs/plugin-monitoring-common';
import { KubernetesClient } from '../kubernetes/KubernetesClient';
import { KubernetesApiError } from '../kubernetes/errors';

/**
 * A cluster in memory with the few operations MonitoringResourceManager uses (get, list by
 * equality label selector, apply by a single field manager, delete with a uid precondition), so
 * property tests can run thousands of apply/teardown sequences through the real manager in
 * seconds. It is not a Kubernetes model: no schemas, no other field managers — the strict
 * stand-in (e2e-tests) checks those, with fewer runs.
 */
export class InMemoryCluster {
  readonly #objects = new Map<string, KubeObject>();
  #version = 0;
  #uid = 0;

  static #key(o: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
  }) {
    return `${o.apiVersion}/${o.kind}/${o.namespace ?? ''}/${o.name}`;
  }

  /** Every stored object of a kind in a namespace, sorted by name. */
  objects(kind: string, namespace: string): KubeObject[] {
    return [...this.#objects.values()]
      .filter(o => o.kind === kind && o.metadata.namespace === namespace)
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  }

  /** A KubernetesClient answering from this cluster. */
  client(): KubernetesClient {
    const objects = this.#objects;
    const copy = <T>(o: T): T => JSON.parse(JSON.stringify(o));
    // Counters through bound functions: the fake's methods have their own `this`.
    const nextUid = () => `uid-${++this.#uid}`;
    const nextVersion = () => String(++this.#version);
    const fake = {
      async hasApiVersion() {
        return true;
      },
      async get(key: Parameters<KubernetesClient['get']>[0]) {
        const o = objects.get(InMemoryCluster.#key(key));
        return o && copy(o);
      },
      async list(options: Parameters<KubernetesClient['list']>[0]) {
        const wanted = (options.labelSelector ?? '')
          .split(',')
          .filter(Boolean)
          .map(term => term.split('='));
        return [...objects.values()]
          .filter(
            o =>
              o.apiVersion === options.apiVersion &&
              o.kind === options.kind &&
              (options.namespace === undefined ||
                o.metadata.namespace === options.namespace) &&
              wanted.every(([k, v]) => o.metadata.labels?.[k] === v),
          )
          .map(copy);
      },
      async apply(object: KubeObject, options: { dryRun?: boolean } = {}) {
        const key = InMemoryCluster.#key({
          ...object,
          namespace: object.metadata.namespace,
          name: object.metadata.name,
        });
        const live = objects.get(key);
        const { resourceVersion, uid, ...liveMeta } = (live?.metadata ??
          {}) as Record<string, unknown>;
        const same =
          live !== undefined &&
          JSON.stringify({ ...live, metadata: liveMeta }) ===
            JSON.stringify(object);
        const stored: KubeObject = copy({
          ...object,
          metadata: {
            ...object.metadata,
            uid: uid ?? nextUid(),
            resourceVersion: same ? resourceVersion : nextVersion(),
          },
        });
        if (!options.dryRun) objects.set(key, stored);
        return copy(stored);
      },
      async delete(
        key: Parameters<KubernetesClient['delete']>[0],
        options: { uid?: string } = {},
      ) {
        const k = InMemoryCluster.#key(key);
        const live = objects.get(k);
        if (!live) return false;
        if (options.uid && live.metadata.uid !== options.uid) {
          throw new KubernetesApiError({
            cluster: 'memory',
            status: 409,
            reason: 'Conflict',
            message: 'Precondition failed: UID in precondition does not match',
          });
        }
        objects.delete(k);
        return true;
      },
    };
    return fake as unknown as KubernetesClient;
  }
}
