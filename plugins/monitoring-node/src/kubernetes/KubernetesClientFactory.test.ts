import { ConfigReader } from '@backstage/config';
import { KubernetesClientFactory } from './KubernetesClientFactory';
import { ClusterDetails } from '../clusters/types';

const base: ClusterDetails = {
  name: 'local',
  url: 'http://127.0.0.1:6443',
  skipTLSVerify: true,
  auth: { type: 'none' },
};

describe('KubernetesClientFactory', () => {
  it('caches one client per cluster and rebuilds it when connection settings change', async () => {
    const factory = KubernetesClientFactory.fromConfig(
      new ConfigReader({ monitoring: { timeouts: { kubernetes: 1234 } } }),
    );
    const a = await factory.getClient(base);
    expect(a.clusterName).toBe('local');
    expect(await factory.getClient({ ...base })).toBe(a);
    const b = await factory.getClient({
      ...base,
      url: 'http://127.0.0.1:7443',
    });
    expect(b).not.toBe(a);
  });

  it('refuses plain http without skipTLSVerify, naming the cluster', async () => {
    await expect(
      new KubernetesClientFactory().getClient({
        ...base,
        skipTLSVerify: false,
      }),
    ).rejects.toThrow(
      "Cluster 'local' has unusable connection settings: HTTP protocol is not allowed when skipTLSVerify is not set or false",
    );
  });
});
