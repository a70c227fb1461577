import { ClusterResolver } from './ClusterResolver';
import { ClusterDetails } from './types';

const cluster = (name: string, url = `https://${name}`): ClusterDetails => ({
  name,
  url,
  auth: { type: 'none' },
});

describe('ClusterResolver', () => {
  it('finds clusters across suppliers', async () => {
    const resolver = new ClusterResolver([
      { getClusters: async () => [cluster('a')] },
      { getClusters: async () => [cluster('b')] },
    ]);
    await expect(resolver.getCluster('b')).resolves.toMatchObject({
      name: 'b',
    });
    await expect(resolver.getCluster('c')).rejects.toThrow(
      "Cluster 'c' is not configured in kubernetes.clusterLocatorMethods",
    );
  });

  it('refuses a cluster name supplied twice', async () => {
    const resolver = new ClusterResolver([
      { getClusters: async () => [cluster('a')] },
      { getClusters: async () => [cluster('a', 'https://other')] },
    ]);
    await expect(resolver.getCluster('a')).rejects.toThrow(
      "Cluster 'a' is supplied more than once",
    );
  });
});
