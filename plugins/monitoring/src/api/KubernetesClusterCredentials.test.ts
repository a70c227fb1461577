import { KubernetesClusterCredentials } from './KubernetesClusterCredentials';

describe('KubernetesClusterCredentials', () => {
  it("asks the Kubernetes tab's auth providers for user-delegated clusters only", async () => {
    const asked: string[] = [];
    const credentials = new KubernetesClusterCredentials({
      kubernetesApi: {
        getClusters: async () => [
          { name: 'local', authProvider: 'serviceAccount' },
          { name: 'eks', authProvider: 'aws' },
          { name: 'corp', authProvider: 'oidc', oidcTokenProvider: 'okta' },
          { name: 'corp-2', authProvider: 'oidc', oidcTokenProvider: 'okta' },
          { name: 'gke', authProvider: 'google' },
        ],
      },
      kubernetesAuthProvidersApi: {
        getCredentials: async (provider: string) => {
          asked.push(provider);
          return { token: `${provider}-token` };
        },
      },
    });
    await expect(credentials.headers()).resolves.toEqual({
      'Backstage-Kubernetes-Authorization-oidc-okta': 'oidc.okta-token',
      'Backstage-Kubernetes-Authorization-google': 'google-token',
    });
    expect(asked).toEqual(['oidc.okta', 'google']);
  });

  it('asks nothing when every cluster uses Backstage’s own credentials', async () => {
    const getCredentials = jest.fn();
    const credentials = new KubernetesClusterCredentials({
      kubernetesApi: {
        getClusters: async () => [
          { name: 'local', authProvider: 'serviceAccount' },
        ],
      },
      kubernetesAuthProvidersApi: { getCredentials },
    });
    await expect(credentials.headers()).resolves.toEqual({});
    expect(getCredentials).not.toHaveBeenCalled();
  });

  it('lists the clusters once, not with every request', async () => {
    const getClusters = jest.fn(async () => [
      { name: 'local', authProvider: 'serviceAccount' },
    ]);
    const credentials = new KubernetesClusterCredentials({
      kubernetesApi: { getClusters },
      kubernetesAuthProvidersApi: { getCredentials: jest.fn() },
    });
    await Promise.all([credentials.headers(), credentials.headers()]);
    await credentials.headers();
    expect(getClusters).toHaveBeenCalledTimes(1);
  });

  it('sends no tokens when the Kubernetes plugin cannot list its clusters, and asks again next time', async () => {
    // Service-identity clusters still work; a user-delegated one answers naming the missing token.
    const getClusters = jest
      .fn()
      .mockRejectedValueOnce(new Error('404 Not Found'))
      .mockResolvedValueOnce([
        { name: 'corp', authProvider: 'oidc', oidcTokenProvider: 'okta' },
      ]);
    const credentials = new KubernetesClusterCredentials({
      kubernetesApi: { getClusters },
      kubernetesAuthProvidersApi: {
        getCredentials: async () => ({ token: 'id-token' }),
      },
    });
    await expect(credentials.headers()).resolves.toEqual({});
    await expect(credentials.headers()).resolves.toEqual({
      'Backstage-Kubernetes-Authorization-oidc-okta': 'id-token',
    });
  });
});
