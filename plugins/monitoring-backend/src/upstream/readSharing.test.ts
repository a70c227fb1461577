import { mockCredentials } from '@backstage/backend-test-utils';
import { ClusterDetails } from '@prometheus-ocs/plugin-monitoring-node';
import { readSharing } from './readSharing';

const serviceIdentity: ClusterDetails = {
  name: 'local',
  url: 'http://127.0.0.1:7007/api/kubernetes/proxy',
  auth: { type: 'none' },
};
const delegated: ClusterDetails = {
  ...serviceIdentity,
  name: 'corp',
  userDelegated: { authProvider: 'oidc', tokenKey: 'oidc.okta' },
};
const as = (user: string, token?: string) => ({
  credentials: mockCredentials.user(user),
  clusterTokens: token
    ? { 'oidc.okta': token }
    : ({} as Record<string, string>),
});

describe('readSharing', () => {
  it('shares the answers of a service-identity cluster with every reader', () => {
    expect(readSharing(serviceIdentity, as('user:default/alice'))).toEqual({
      type: 'shared',
    });
    expect(readSharing(serviceIdentity, undefined)).toEqual({
      type: 'shared',
    });
  });

  it('keeps the answers of a user-delegated cluster per principal and cluster token', () => {
    const alice = readSharing(delegated, as('user:default/alice', 'tok-a'));
    expect(alice).toEqual({
      type: 'reader',
      reader: expect.stringMatching(/^user:user:default\/alice\|/),
    });
    expect(readSharing(delegated, as('user:default/alice', 'tok-a'))).toEqual(
      alice,
    );
    // Another user, even presenting the same token, and another token of alice: not alice's.
    expect(
      readSharing(delegated, as('user:default/mallory', 'tok-a')),
    ).not.toEqual(alice);
    expect(
      readSharing(delegated, as('user:default/alice', 'tok-b')),
    ).not.toEqual(alice);
    // Keys may sit in a shared store: the token itself never appears in them.
    expect(JSON.stringify(alice)).not.toContain('tok-a');
  });

  it('keeps nothing when a user-delegated cluster is read without a token or principal, or the cluster is unknown', () => {
    expect(readSharing(delegated, undefined)).toEqual({ type: 'uncached' });
    expect(readSharing(delegated, as('user:default/alice'))).toEqual({
      type: 'uncached',
    });
    expect(
      readSharing(delegated, {
        credentials: mockCredentials.none(),
        clusterTokens: { 'oidc.okta': 'tok-a' },
      }),
    ).toEqual({ type: 'uncached' });
    expect(readSharing(undefined, as('user:default/alice', 'tok-a'))).toEqual({
      type: 'uncached',
    });
  });
});
