import { ConfigReader } from '@backstage/config';
import { ConfigClusterSupplier } from './ConfigClusterSupplier';

describe('ConfigClusterSupplier', () => {
  it('reads config clusters with serviceAccount auth and kubectl proxy', async () => {
    const warnings: string[] = [];
    const supplier = ConfigClusterSupplier.fromConfig(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'local',
                  url: 'http://127.0.0.1:6443',
                  authProvider: 'serviceAccount',
                  serviceAccountToken: 'demo-admin-token',
                  skipTLSVerify: true,
                },
                {
                  name: 'prod',
                  title: 'Production',
                  url: 'https://prod.example.com',
                  authProvider: 'serviceAccount',
                  serviceAccountToken: 'prod-token',
                  caData: 'Q0E=',
                },
                { name: 'gke', url: 'https://gke.example.com', authProvider: 'google' },
              ],
            },
            { type: 'catalog' },
            { type: 'localKubectlProxy' },
          ],
        },
      }),
      { warn: m => warnings.push(m) },
    );
    const clusters = await supplier.getClusters();
    expect(clusters.map(c => [c.name, c.url, c.skipTLSVerify ?? false, c.caData])).toEqual([
      ['local', 'http://127.0.0.1:6443', true, undefined],
      ['prod', 'https://prod.example.com', false, 'Q0E='],
      ['local', 'http://localhost:8001', true, undefined],
    ]);
    const auth = clusters[1].auth;
    expect(auth.type === 'bearerToken' && (await auth.getToken())).toBe('prod-token');
    expect(clusters[2].auth.type).toBe('none');
    // Tokens are functions: serializing a cluster never shows them.
    expect(JSON.stringify(clusters)).not.toContain('token');
    expect(warnings).toEqual([
      "Monitoring ignores cluster 'gke': authProvider 'google' is not supported (use serviceAccount)",
      "Monitoring ignores kubernetes.clusterLocatorMethods of type 'catalog'; provide these clusters through monitoringClusterSupplierExtensionPoint",
    ]);
  });

  it('falls back to the in-cluster token file and explains when it is missing', async () => {
    const [cluster] = await ConfigClusterSupplier.fromConfig(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            { type: 'config', clusters: [{ name: 'c', url: 'https://x', authProvider: 'serviceAccount' }] },
          ],
        },
      }),
    ).getClusters();
    expect(cluster.auth.type).toBe('bearerToken');
    if (cluster.auth.type === 'bearerToken') {
      await expect(cluster.auth.getToken()).rejects.toThrow(
        'No serviceAccountToken is configured and the in-cluster token file /var/run/secrets/kubernetes.io/serviceaccount/token cannot be read',
      );
    }
  });

  it('supplies nothing without kubernetes config', async () => {
    await expect(
      ConfigClusterSupplier.fromConfig(new ConfigReader({})).getClusters(),
    ).resolves.toEqual([]);
  });
});
