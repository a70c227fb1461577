import { ConfigReader } from '@backstage/config';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigClusterSupplier } from './ConfigClusterSupplier';
import { ClusterAuth } from './types';

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
                {
                  name: 'gke',
                  url: 'https://gke.example.com',
                  authProvider: 'google',
                },
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
    expect(
      clusters.map(c => [c.name, c.url, c.skipTLSVerify ?? false, c.caData]),
    ).toEqual([
      ['local', 'http://127.0.0.1:6443', true, undefined],
      ['prod', 'https://prod.example.com', false, 'Q0E='],
      ['local', 'http://localhost:8001', true, undefined],
    ]);
    const auth = clusters[1].auth as Extract<
      ClusterAuth,
      { type: 'bearerToken' }
    >;
    await expect(auth.getToken()).resolves.toBe('prod-token');
    expect(clusters[2].auth.type).toBe('none');
    // Tokens are functions: serializing a cluster never shows them.
    expect(JSON.stringify(clusters)).not.toContain('token');
    expect(warnings).toEqual([
      "Monitoring ignores cluster 'gke': authProvider 'google' is not supported (use serviceAccount)",
      "Monitoring ignores kubernetes.clusterLocatorMethods of type 'catalog'; provide these clusters through monitoringClusterSupplierExtensionPoint",
    ]);
  });

  it('falls back to a token file, re-read on use, and explains when it is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'token-'));
    const tokenFile = join(dir, 'token');
    const read = (file: string) =>
      ConfigClusterSupplier.fromConfig(
        new ConfigReader({
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: 'c',
                    url: 'https://x',
                    authProvider: 'serviceAccount',
                  },
                ],
              },
            ],
          },
        }),
        { tokenFile: file },
      ).getClusters();
    try {
      writeFileSync(tokenFile, 'mounted-token\n');
      const [cluster] = await read(tokenFile);
      const auth = cluster.auth as Extract<
        ClusterAuth,
        { type: 'bearerToken' }
      >;
      await expect(auth.getToken()).resolves.toBe('mounted-token');

      const [missing] = await read(join(dir, 'absent'));
      await expect(
        (
          missing.auth as Extract<ClusterAuth, { type: 'bearerToken' }>
        ).getToken(),
      ).rejects.toThrow(
        `No serviceAccountToken is configured and the in-cluster token file ${join(
          dir,
          'absent',
        )} cannot be read`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('supplies nothing without kubernetes config', async () => {
    await expect(
      ConfigClusterSupplier.fromConfig(new ConfigReader({})).getClusters(),
    ).resolves.toEqual([]);
  });
});
