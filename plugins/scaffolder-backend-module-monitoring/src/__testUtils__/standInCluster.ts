import { ClusterDetails } from '@prometheus-ocs/plugin-monitoring-node';

/**
 * The cluster `local` served by a Kubernetes API stand-in at `url`, reached directly with the
 * stand-in's admin token, as a replaced `monitoringClustersServiceRef` or a test's
 * `ClusterResolver` supplies it. `overrides` replace fields, e.g. the name or `userDelegated`.
 */
export function standInCluster(
  url: string,
  overrides: Partial<ClusterDetails> = {},
): ClusterDetails {
  return {
    name: 'local',
    url,
    skipTLSVerify: true,
    auth: {
      type: 'bearerToken',
      getToken: async () => 'demo-admin-token',
    },
    ...overrides,
  };
}
