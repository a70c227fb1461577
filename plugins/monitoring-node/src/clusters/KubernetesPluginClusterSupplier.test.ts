import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { http as mswHttp, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import http from 'node:http';
import { KubernetesClient } from '../kubernetes/KubernetesClient';
import { KubernetesUnreachableError } from '../kubernetes/errors';
import { KubernetesPluginClusterSupplier } from './KubernetesPluginClusterSupplier';

const BASE = 'http://backstage.test/api/kubernetes';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function supplier() {
  return new KubernetesPluginClusterSupplier({
    discovery: mockServices.discovery.mock({
      getBaseUrl: async () => BASE,
    }),
    auth: mockServices.auth({ pluginId: 'monitoring' }),
  });
}

const clusterList = () =>
  mswHttp.get(`${BASE}/clusters`, () =>
    HttpResponse.json({
      items: [
        { name: 'prod', authProvider: 'serviceAccount' },
        { name: 'eks', authProvider: 'aws' },
        { name: 'corp', authProvider: 'oidc', oidcTokenProvider: 'okta' },
      ],
    }),
  );

function client(cluster: any) {
  return new KubernetesClient({
    cluster,
    agent: new http.Agent(),
    timeoutMs: 30_000,
  });
}

describe('KubernetesPluginClusterSupplier', () => {
  it("lists the Kubernetes plugin's clusters, reached through its proxy", async () => {
    server.use(clusterList());
    const clusters = await supplier().getClusters();
    expect(
      clusters.map(c => [c.name, c.url, c.userDelegated?.tokenKey]),
    ).toEqual([
      ['prod', `${BASE}/proxy`, undefined],
      ['eks', `${BASE}/proxy`, undefined],
      ['corp', `${BASE}/proxy`, 'oidc.okta'],
    ]);
  });

  it('calls service-identity clusters as the plugin, user-delegated ones as the user with their token', async () => {
    server.use(clusterList());
    const [prod, , corp] = await supplier().getClusters();
    const seen: Record<string, string | null>[] = [];
    server.use(
      mswHttp.get(
        `${BASE}/proxy/api/v1/namespaces/x/services/y`,
        ({ request }) => {
          seen.push({
            cluster: request.headers.get('backstage-kubernetes-cluster'),
            authorization: request.headers.get('authorization'),
            oidc: request.headers.get(
              'backstage-kubernetes-authorization-oidc-okta',
            ),
          });
          return HttpResponse.json({
            kind: 'Service',
            metadata: { name: 'y' },
          });
        },
      ),
    );
    const key = {
      apiVersion: 'v1',
      kind: 'Service',
      namespace: 'x',
      name: 'y',
    };
    const caller = {
      credentials: mockCredentials.user('user:default/alice'),
      clusterTokens: { 'oidc.okta': 'alice-okta-token' },
    };
    await client(prod).withCaller(caller).get(key);
    await client(corp).withCaller(caller).get(key);
    expect(seen).toEqual([
      {
        cluster: 'prod',
        authorization: `Bearer ${mockCredentials.service.token({
          onBehalfOf: mockCredentials.service('plugin:monitoring'),
          targetPluginId: 'kubernetes',
        })}`,
        oidc: null,
      },
      {
        cluster: 'corp',
        // On behalf of the user: the Kubernetes plugin decides kubernetes.proxy for alice.
        authorization: `Bearer ${mockCredentials.service.token({
          onBehalfOf: mockCredentials.user('user:default/alice'),
          targetPluginId: 'kubernetes',
        })}`,
        oidc: 'alice-okta-token',
      },
    ]);
    // Without the user's token a user-delegated cluster is not called at all.
    await expect(client(corp).get(key)).rejects.toThrow(
      "Cluster 'corp' acts as the signed-in user (authProvider oidc, oidcTokenProvider okta): the request carries no oidc.okta token for it",
    );
    expect(seen).toHaveLength(2);
  });

  it("reads the proxy's own errors as such: an unknown cluster is never an absent object", async () => {
    server.use(clusterList());
    const [prod] = await supplier().getClusters();
    const backstageError = (status: number, name: string, message: string) =>
      HttpResponse.json(
        { error: { name, message }, response: { statusCode: status } },
        { status },
      );
    const key = {
      apiVersion: 'v1',
      kind: 'Service',
      namespace: 'x',
      name: 'y',
    };
    const path = `${BASE}/proxy/api/v1/namespaces/x/services/y`;

    server.use(
      mswHttp.get(path, () =>
        backstageError(404, 'NotFoundError', "Cluster 'prod' not found"),
      ),
    );
    await expect(client(prod).get(key)).rejects.toThrow(
      "Cluster 'prod' is not a cluster of the Kubernetes plugin",
    );
    server.use(
      mswHttp.get(path, () =>
        backstageError(403, 'NotAllowedError', 'Unauthorized'),
      ),
    );
    await expect(client(prod).get(key)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('permission kubernetes.proxy'),
    });
    server.use(
      mswHttp.get(path, () =>
        backstageError(500, 'Error', "Cluster 'prod' request error"),
      ),
    );
    await expect(client(prod).get(key)).rejects.toBeInstanceOf(
      KubernetesUnreachableError,
    );
    // The API server's own 404 (a Status) still means "absent".
    server.use(
      mswHttp.get(path, () =>
        HttpResponse.json(
          { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 },
          { status: 404 },
        ),
      ),
    );
    await expect(client(prod).get(key)).resolves.toBeUndefined();
  });

  it('says when the Kubernetes plugin is not installed', async () => {
    server.use(
      mswHttp.get(
        `${BASE}/clusters`,
        () => new HttpResponse(null, { status: 404 }),
      ),
    );
    await expect(supplier().getClusters()).rejects.toThrow(
      'The Kubernetes plugin (@backstage/plugin-kubernetes-backend) is not installed',
    );
  });
});
