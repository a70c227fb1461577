import {
  DiscoveryApi,
  discoveryApiRef,
  FetchApi,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  KubernetesApi,
  kubernetesApiRef,
  KubernetesAuthProvidersApi,
  kubernetesAuthProvidersApiRef,
} from '@backstage/plugin-kubernetes-react';
import { KubernetesClusterCredentials } from './KubernetesClusterCredentials';
import { MonitoringClient } from './MonitoringClient';

/** What the monitoring API needs from the app, in both frontend systems. */
export const monitoringApiDeps = {
  discoveryApi: discoveryApiRef,
  fetchApi: fetchApiRef,
  kubernetesApi: kubernetesApiRef,
  kubernetesAuthProvidersApi: kubernetesAuthProvidersApiRef,
};

/** The monitoring API of both frontend systems (legacy `createApiFactory` and `ApiBlueprint`). */
export function createMonitoringClient(deps: {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
  kubernetesApi: KubernetesApi;
  kubernetesAuthProvidersApi: KubernetesAuthProvidersApi;
}): MonitoringClient {
  return new MonitoringClient({
    discoveryApi: deps.discoveryApi,
    fetchApi: deps.fetchApi,
    // Clusters come from the Kubernetes plugin, and so do the user's tokens for them.
    clusterCredentials: new KubernetesClusterCredentials({
      kubernetesApi: deps.kubernetesApi,
      kubernetesAuthProvidersApi: deps.kubernetesAuthProvidersApi,
    }),
  });
}
