import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readFile } from 'node:fs/promises';
import { ClusterAuth, ClusterDetails, ClusterSupplier } from './types';

/** Where Kubernetes mounts a pod's ServiceAccount token. */
export const IN_CLUSTER_TOKEN_FILE =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** kubelet refreshes projected tokens well before expiry; re-reading once a minute is plenty. */
const TOKEN_FILE_REFRESH_MS = 60_000;

function tokenFromFile(path: string): ClusterAuth {
  let cached: { token: string; readAt: number } | undefined;
  return {
    type: 'bearerToken',
    async getToken() {
      const now = Date.now();
      if (!cached || now - cached.readAt > TOKEN_FILE_REFRESH_MS) {
        let token: string;
        try {
          token = (await readFile(path, 'utf8')).trim();
        } catch (error) {
          throw new InputError(
            `No serviceAccountToken is configured and the in-cluster token file ${path} cannot be read`,
          );
        }
        cached = { token, readAt: now };
      }
      return cached.token;
    },
  };
}

function staticToken(token: string): ClusterAuth {
  return { type: 'bearerToken', getToken: async () => token };
}

/**
 * Reads clusters from the `kubernetes.clusterLocatorMethods` config of
 * `@backstage/plugin-kubernetes-backend`, so admins keep one cluster list.
 *
 * Supported: locator type `config` with `authProvider: serviceAccount` (token from
 * `serviceAccountToken`, or the pod's own mounted token when running in-cluster), and type
 * `localKubectlProxy`. Other locator types and auth providers are skipped with a warning;
 * supply those clusters through `monitoringClusterSupplierExtensionPoint`.
 *
 * @public
 */
export class ConfigClusterSupplier implements ClusterSupplier {
  static fromConfig(
    config: Config,
    options?: {
      warn?: (message: string) => void;
      /** Token file used when a serviceAccount cluster has no token; default the in-cluster one. */
      tokenFile?: string;
    },
  ): ConfigClusterSupplier {
    const warn = options?.warn ?? (() => {});
    const tokenFile = options?.tokenFile ?? IN_CLUSTER_TOKEN_FILE;
    const clusters: ClusterDetails[] = [];
    const methods =
      config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
    for (const method of methods) {
      const type = method.getString('type');
      if (type === 'localKubectlProxy') {
        clusters.push({
          name: 'local',
          url: 'http://localhost:8001',
          skipTLSVerify: true,
          auth: { type: 'none' },
        });
        continue;
      }
      if (type !== 'config') {
        warn(
          `Monitoring ignores kubernetes.clusterLocatorMethods of type '${type}'; provide these clusters through monitoringClusterSupplierExtensionPoint`,
        );
        continue;
      }
      for (const c of method.getOptionalConfigArray('clusters') ?? []) {
        const name = c.getString('name');
        const authProvider =
          c.getOptionalString('authProvider') ?? 'serviceAccount';
        if (authProvider !== 'serviceAccount') {
          warn(
            `Monitoring ignores cluster '${name}': authProvider '${authProvider}' is not supported (use serviceAccount)`,
          );
          continue;
        }
        const token = c.getOptionalString('serviceAccountToken');
        clusters.push({
          name,
          title: c.getOptionalString('title'),
          url: c.getString('url'),
          caData: c.getOptionalString('caData'),
          caFile: c.getOptionalString('caFile'),
          skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
          auth: token ? staticToken(token) : tokenFromFile(tokenFile),
        });
      }
    }
    return new ConfigClusterSupplier(clusters);
  }

  readonly #clusters: ClusterDetails[];

  constructor(clusters: ClusterDetails[]) {
    this.#clusters = clusters;
  }

  async getClusters(): Promise<ClusterDetails[]> {
    return this.#clusters;
  }
}
