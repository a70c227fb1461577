import { KubeObject } from '@prometheus-ocs/plugin-monitoring-common';
import {
  startStandIn,
  type StandIn,
} from '@prometheus-ocs/kubernetes-api-standin';
import { ClusterResolver } from '../clusters/ClusterResolver';
import { KubernetesClientFactory } from '../kubernetes/KubernetesClientFactory';
import { entityListClaims } from '../resources/EntityBinding';
import { MonitoringResourceManager } from '../resources/MonitoringResourceManager';
import { modelRenderOptions, NAMESPACE } from './sharedObjectsModel';
import { RequestInterleaver } from './RequestInterleaver';

/*
 * Test support for the concurrency suites against the strict stand-in: one cluster `local`, and
 * several MonitoringResourceManagers ("backend replicas", each with its own client factory and
 * lock, nothing shared) whose Kubernetes requests go through a RequestInterleaver.
 */

const TOKEN = 'demo-admin-token';

export interface StandInCluster {
  standIn: StandIn;
  clusters: ClusterResolver;
  /** The stand-in's stored objects of a kind in the model's namespace. */
  stored(apiVersion: string, kind: string): KubeObject[];
  close(): Promise<void>;
}

export async function startStandInCluster(): Promise<StandInCluster> {
  // Pods ready at once: the operator simulation then writes synchronously with each request,
  // never later on a timer, so a run is the same whatever the machine's speed.
  const standIn = await startStandIn({ port: 0, operatorReadyDelayMs: 0 });
  const clusters = new ClusterResolver({
    getClusters: async () => [
      {
        name: 'local',
        url: standIn.url,
        skipTLSVerify: true,
        auth: { type: 'bearerToken', getToken: async () => TOKEN },
      },
    ],
  });
  return {
    standIn,
    clusters,
    stored: (apiVersion, kind) =>
      standIn.state.list({
        apiVersion,
        kind,
        namespace: NAMESPACE,
      }) as KubeObject[],
    close: () => standIn.close(),
  };
}

/** `count` independent managers (replicas) on the model's render options, through `interleaver`. */
export function replicaManagers(
  cluster: StandInCluster,
  interleaver: RequestInterleaver,
  count = 2,
): MonitoringResourceManager[] {
  return Array.from({ length: count }, () => {
    const factory = new KubernetesClientFactory({ timeoutMs: 30_000 });
    return new MonitoringResourceManager({
      renderOptions: modelRenderOptions,
      clusters: cluster.clusters,
      clientFactory: {
        getClient: async name =>
          interleaver.wrap(await factory.getClient(name)),
      },
      claims: entityListClaims([]),
    });
  });
}
