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
});
