/*
 * A minimal prometheus-operator: for every Prometheus object it maintains what the real operator
 * creates and reports — the StatefulSet `prometheus-<name>` (one per shard), the governing
 * headless Service `prometheus-operated`, and the Prometheus `status` (replicas, availability,
 * `Available`/`Reconciled` conditions) — with pods becoming ready after a configurable delay.
 */
import type { KubeObject, ObjectStore } from './objectStore';
import { kubeTime } from './objectFingerprints';
import type { ResourceHandler } from './resourceHandler';
import type { WriteListener } from './resourceRequest';
import type { ResourceType } from './resourceTypes';
import type { StandInLogger } from './types';

export const OPERATOR_MANAGER = 'PrometheusOperator';
const GROUP = 'monitoring.coreos.com';

interface Rollout {
  /** a re-created Prometheus (new uid) rolls out again */
  uid: string;
  generation: number;
  /** epoch ms when this generation was first seen */
  startedAt: number;
  /** epoch ms when the pods of this generation are ready */
  readyAt: number;
}

export class OperatorSimulation implements WriteListener {
  private handler?: ResourceHandler;
  private readonly rollouts = new Map<string, Rollout>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** set while the simulation writes, so its own writes do not trigger another reconcile */
  private busy = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly findType: (
      apiVersion: string,
      kind: string,
    ) => ResourceType | undefined,
    private readyDelayMs: number,
    private readonly logger?: StandInLogger,
  ) {}

  attach(handler: ResourceHandler): void {
    this.handler = handler;
  }

  /** Also for rollouts under way: they become ready `ms` after they started. */
  setReadyDelay(ms: number): void {
    this.readyDelayMs = ms;
    for (const [key, rollout] of this.rollouts) {
      if (Date.now() >= rollout.readyAt) continue;
      rollout.readyAt = rollout.startedAt + ms;
      clearTimeout(this.timers.get(key));
      this.timers.delete(key);
      const [namespace, name] = key.split('/');
      this.reconcile(namespace, name);
    }
  }

  afterWrite(
    rt: ResourceType,
    _before: KubeObject | undefined,
    after: KubeObject,
  ): void {
    if (this.busy || rt.group !== GROUP || rt.kind !== 'Prometheus') return;
    this.reconcile(after.metadata.namespace, after.metadata.name);
  }

  afterDelete(rt: ResourceType, object: KubeObject): void {
    if (this.busy || rt.group !== GROUP || rt.kind !== 'Prometheus') return;
    const key = `${object.metadata.namespace}/${object.metadata.name}`;
    this.rollouts.delete(key);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    // Other Prometheuses in the namespace keep the governing Service; refresh its owners.
    for (const other of this.store.list(
      GROUP,
      'prometheuses',
      object.metadata.namespace,
    )) {
      this.reconcile(other.metadata.namespace, other.metadata.name);
    }
  }

  /** Reconciles every stored Prometheus (after a restart from a state file). */
  reconcileAll(): void {
    for (const p of this.store.list(GROUP, 'prometheuses'))
      this.reconcile(p.metadata.namespace, p.metadata.name);
  }

  /** Stops pending readiness timers and forgets rollouts. */
  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.rollouts.clear();
  }

  private type(apiVersion: string, kind: string): ResourceType {
    const t = this.findType(apiVersion, kind);
    if (!t)
      throw new Error(
        `operator simulation: ${apiVersion} ${kind} is not served`,
      );
    return t;
  }

  reconcile(namespace: string, name: string): void {
    const handler = this.handler;
    if (!handler) return;
    const prometheusType = this.findType(`${GROUP}/v1`, 'Prometheus');
    if (!prometheusType) return; // operator not installed
    const prometheus = this.store.get({
      group: GROUP,
      resource: 'prometheuses',
      namespace,
      name,
    });
    if (!prometheus) return;
    const key = `${namespace}/${name}`;
    const generation: number = prometheus.metadata.generation ?? 1;
    let rollout = this.rollouts.get(key);
    if (
      !rollout ||
      rollout.uid !== prometheus.metadata.uid ||
      rollout.generation !== generation
    ) {
      const startedAt = Date.now();
      rollout = {
        uid: prometheus.metadata.uid,
        generation,
        startedAt,
        readyAt: startedAt + this.readyDelayMs,
      };
      this.rollouts.set(key, rollout);
    }
    const ready = Date.now() >= rollout.readyAt;
    this.busy = true;
    try {
      const statefulSets = this.writeStatefulSets(handler, prometheus, ready);
      this.writeGoverningService(handler, namespace);
      this.writeStatus(
        handler,
        prometheusType,
        prometheus,
        statefulSets,
        ready,
      );
    } catch (e) {
      this.logger?.warn(
        `operator simulation failed for Prometheus ${key}: ${
          (e as Error).message
        }`,
      );
    } finally {
      this.busy = false;
    }
    if (!ready && !this.timers.has(key)) {
      const delay = Math.max(0, rollout.readyAt - Date.now());
      const timer = setTimeout(() => {
        this.timers.delete(key);
        this.reconcile(namespace, name);
      }, delay);
      timer.unref();
      this.timers.set(key, timer);
    }
  }

  private labels(name: string): Record<string, string> {
    return {
      'app.kubernetes.io/instance': name,
      'app.kubernetes.io/managed-by': 'prometheus-operator',
      'app.kubernetes.io/name': 'prometheus',
      'operator.prometheus.io/name': name,
      prometheus: name,
    };
  }

  private ownerRef(p: KubeObject) {
    return {
      apiVersion: `${GROUP}/v1`,
      kind: 'Prometheus',
      name: p.metadata.name,
      uid: p.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    };
  }

  private writeStatefulSets(
    handler: ResourceHandler,
    p: KubeObject,
    ready: boolean,
  ): KubeObject[] {
    const stsType = this.type('apps/v1', 'StatefulSet');
    const name: string = p.metadata.name;
    const replicas: number = p.spec?.replicas ?? 1;
    const shards: number = Math.max(1, p.spec?.shards ?? 1);
    const version: string = p.spec?.version ?? 'v3.5.0';
    const out: KubeObject[] = [];
    for (let shard = 0; shard < shards; shard++) {
      const stsName =
        shard === 0
          ? `prometheus-${name}`
          : `prometheus-${name}-shard-${shard}`;
      const podLabels = {
        ...this.labels(name),
        'operator.prometheus.io/shard': String(shard),
      };
      const desired: KubeObject = {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: {
          name: stsName,
          namespace: p.metadata.namespace,
          labels: { ...podLabels },
          annotations: {
            'prometheus-operator-input-hash': String(
              p.metadata.generation ?? 1,
            ),
          },
          ownerReferences: [this.ownerRef(p)],
        },
        spec: {
          replicas,
          serviceName: 'prometheus-operated',
          podManagementPolicy: 'Parallel',
          selector: { matchLabels: podLabels },
          template: {
            metadata: { labels: podLabels },
            spec: {
              serviceAccountName: p.spec?.serviceAccountName ?? 'default',
              containers: [
                {
                  name: 'prometheus',
                  image:
                    p.spec?.image ?? `quay.io/prometheus/prometheus:${version}`,
                  args: [
                    `--storage.tsdb.retention.time=${
                      p.spec?.retention ?? '24h'
                    }`,
                    '--web.enable-lifecycle',
                  ],
                  ports: [
                    { name: 'web', containerPort: 9090, protocol: 'TCP' },
                  ],
                  resources: p.spec?.resources ?? {},
                },
                {
                  name: 'config-reloader',
                  image:
                    'quay.io/prometheus-operator/prometheus-config-reloader:v0.80.0',
                  ports: [
                    {
                      name: 'reloader-web',
                      containerPort: 8080,
                      protocol: 'TCP',
                    },
                  ],
                },
              ],
            },
          },
        },
      };
      const sts = handler.controllerWrite(stsType, desired, OPERATOR_MANAGER);
      const readyReplicas = ready ? replicas : 0;
      const status = {
        observedGeneration: sts.metadata.generation,
        replicas,
        readyReplicas,
        currentReplicas: replicas,
        updatedReplicas: replicas,
        availableReplicas: readyReplicas,
        currentRevision: `${stsName}-${sts.metadata.generation}`,
        updateRevision: `${stsName}-${sts.metadata.generation}`,
        collisionCount: 0,
      };
      out.push(
        handler.controllerWrite(
          stsType,
          { ...sts, status },
          'kube-controller-manager',
          'status',
        ),
      );
    }
    return out;
  }

  private writeGoverningService(
    handler: ResourceHandler,
    namespace: string,
  ): void {
    const svcType = this.type('v1', 'Service');
    const owners = this.store
      .list(GROUP, 'prometheuses', namespace)
      .map(p => ({ ...this.ownerRef(p), controller: false }));
    if (owners.length === 0) return;
    handler.controllerWrite(
      svcType,
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'prometheus-operated',
          namespace,
          labels: {
            'managed-by': 'prometheus-operator',
            'operated-prometheus': 'true',
          },
          ownerReferences: owners,
        },
        spec: {
          clusterIP: 'None',
          ports: [
            { name: 'web', port: 9090, protocol: 'TCP', targetPort: 'web' },
          ],
          selector: { 'app.kubernetes.io/name': 'prometheus' },
          type: 'ClusterIP',
        },
      },
      OPERATOR_MANAGER,
    );
  }

  private writeStatus(
    handler: ResourceHandler,
    rt: ResourceType,
    p: KubeObject,
    statefulSets: KubeObject[],
    ready: boolean,
  ): void {
    const name: string = p.metadata.name;
    const replicasPerShard: number = p.spec?.replicas ?? 1;
    const total = replicasPerShard * statefulSets.length;
    const available = ready ? total : 0;
    const generation = p.metadata.generation ?? 1;
    const previous: Array<Record<string, unknown>> = p.status?.conditions ?? [];
    const now = kubeTime();
    const condition = (
      type: string,
      status: string,
      reason: string,
      message: string,
    ) => {
      const old = previous.find(c => c.type === type);
      return {
        type,
        status,
        lastTransitionTime:
          old && old.status === status ? old.lastTransitionTime : now,
        observedGeneration: generation,
        ...(reason ? { reason } : {}),
        ...(message ? { message } : {}),
      };
    };
    const availableCondition =
      total === 0 || available === total
        ? condition('Available', 'True', '', '')
        : condition(
            'Available',
            'False',
            'NoPodReady',
            statefulSets
              .map(
                (s, i) =>
                  `shard ${i}: pod ${s.metadata.name}-0: containers with incomplete status: [init-config-reloader]`,
              )
              .join('; '),
          );
    const status = {
      availableReplicas: available,
      conditions: [availableCondition, condition('Reconciled', 'True', '', '')],
      paused: p.spec?.paused ?? false,
      replicas: total,
      selector: Object.entries(this.labels(name))
        .map(([k, v]) => `${k}=${v}`)
        .sort()
        .join(','),
      shardStatuses: statefulSets.map((_sts, i) => ({
        shardID: String(i),
        replicas: replicasPerShard,
        updatedReplicas: replicasPerShard,
        availableReplicas: ready ? replicasPerShard : 0,
        unavailableReplicas: ready ? 0 : replicasPerShard,
      })),
      shards: statefulSets.length,
      unavailableReplicas: total - available,
      updatedReplicas: total,
    };
    handler.controllerWrite(rt, { ...p, status }, OPERATOR_MANAGER, 'status');
  }
}
