import { ClusterDetails } from '@prometheus-ocs/plugin-monitoring-node';

/**
 * The cluster `local` served by a Kubernetes API stand-in at `url`, reached directly with the
 * stand-in's admin token, as a replaced `monitoringClustersServiceRef` or a test's
 * `ClusterResolver` supplies it.
 */
export function standInCluster(url: string): ClusterDetails {
  return {
    name: 'local',
    url,
    skipTLSVerify: true,
    auth: {
      type: 'bearerToken',
      getToken: async () => 'demo-admin-token',
    },
  };
}
