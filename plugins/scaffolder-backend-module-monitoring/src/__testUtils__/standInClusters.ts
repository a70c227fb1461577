import { Config } from '@backstage/config';
import { ClusterResolver } from '@prometheus-ocs/plugin-monitoring-node';

/**
 * The action tests' clusters: the stand-in clusters of the test's `kubernetes` config, reached
 * directly with their service account token. (In a backend the module reaches them through the
 * Kubernetes plugin: `module.test.ts`.)
 */
export function standInClusters(config: Config): ClusterResolver {
  const clusters = config
    .getConfigArray('kubernetes.clusterLocatorMethods')
    .flatMap(method => method.getOptionalConfigArray('clusters') ?? [])
    .map(c => {
      const token = c.getString('serviceAccountToken');
      return {
        name: c.getString('name'),
        url: c.getString('url'),
        skipTLSVerify: true,
        auth: { type: 'bearerToken' as const, getToken: async () => token },
      };
    });
  return new ClusterResolver({ getClusters: async () => clusters });
}
