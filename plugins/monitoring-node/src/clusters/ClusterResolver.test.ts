import { ClusterResolver } from './ClusterResolver';
import { ClusterDetails } from './types';

const cluster = (name: string, url = `https://${name}`): ClusterDetails => ({
  name,
  url,
  auth: { type: 'none' },
});

describe('ClusterResolver', () => {
  it('finds clusters and names the config key of an unknown one', async () => {
    const resolver = new ClusterResolver(
      { getClusters: async () => [cluster('a'), cluster('b')] },
      { configuredClusters: ['a', 'prod'] },
    );
    await expect(resolver.getCluster('b')).resolves.toMatchObject({
      name: 'b',
    });
    await expect(resolver.getCluster('prod')).rejects.toThrow(
      "monitoring.clusters[1].name 'prod' is not a cluster of the Kubernetes plugin",
    );
    await expect(resolver.getCluster('c')).rejects.toThrow(
      "Cluster 'c' is not a cluster of the Kubernetes plugin",
    );
    await expect(resolver.unknownConfiguredClusters()).resolves.toEqual([
      expect.stringContaining("monitoring.clusters[1].name 'prod'"),
    ]);
  });

  it('refuses a cluster name supplied twice', async () => {
    const resolver = new ClusterResolver({
      getClusters: async () => [cluster('a'), cluster('a', 'https://other')],
    });
    await expect(resolver.getCluster('a')).rejects.toThrow(
      "Cluster 'a' is supplied more than once",
    );
  });
});
