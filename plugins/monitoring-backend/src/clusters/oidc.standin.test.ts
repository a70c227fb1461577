/*
 * User-delegated `oidc` cluster: the request carries the user's id token the way
 * plugin-kubernetes-react sends it (`Backstage-Kubernetes-Authorization-oidc-<provider>`); the
 * monitoring backend calls the Kubernetes plugin on behalf of the user, which hands the token to
 * the cluster, and the cluster's RBAC decides. The test is the issuer: it mints the tokens.
 */
import { SignJWT } from 'jose';
import { expectLifecycle } from '../__testUtils__/clusterLifecycle';
import {
  RecordingUpstream,
  startRecordingUpstream,
} from '../__testUtils__/recordingUpstream';
import {
  OWNER,
  StandInBackend,
  startStandInBackend,
} from '../__testUtils__/standInBackend';
import { makeEntity } from '../testing/fixtures';

const ISSUER = 'https://login.example.com';
const CLIENT_ID = 'kubernetes';
const SECRET = 'stand-in-oidc-signing-secret-for-tests';
const HEADER = 'Backstage-Kubernetes-Authorization-oidc-okta';

function idToken(sub: string) {
  return new SignJWT({ email: `${sub}@example.com` })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(CLIENT_ID)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(SECRET));
}

let upstream: RecordingUpstream;
let env: StandInBackend;
beforeAll(async () => {
  upstream = await startRecordingUpstream();
  env = await startStandInBackend({
    entities: [
      makeEntity('checkout', { 'backstage.io/kubernetes-cluster': 'corp' }),
    ],
    upstreams: { prometheusUrl: upstream.url, alertmanagerUrl: upstream.url },
    // Backstage lets everyone try; the cluster decides.
    permissions: 'allow',
    standIn: {
      tokens: [],
      oidc: {
        issuer: ISSUER,
        clientId: CLIENT_ID,
        signingSecret: SECRET,
        // alice has a RoleBinding in the team's namespaces; mallory has none.
        users: [{ username: 'alice', forbiddenNamespaces: ['restricted'] }],
      },
    },
    kubernetes: url => ({
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'corp',
              url,
              authProvider: 'oidc',
              oidcTokenProvider: 'okta',
              skipTLSVerify: true,
            },
          ],
        },
      ],
    }),
    monitoring: {
      defaultCluster: 'corp',
      clusters: [{ name: 'corp', allowedNamespaces: ['shop-prod'] }],
    },
  });
});
afterAll(async () => {
  await env?.close();
  await upstream?.close();
});

const checkout = '/entities/component/default/checkout';

it('plans, applies, reads and tears down as the signed-in user', async () => {
  const { writers } = await expectLifecycle(env, {
    entity: 'checkout',
    upstream,
    user: OWNER,
    headers: { [HEADER]: await idToken('alice') },
  });
  expect(writers).toEqual(['oidc:alice']);
});

it("passes on the cluster's refusal of a user without rights as a 403 naming the user", async () => {
  const headers = { [HEADER]: await idToken('mallory') };
  env.standIn.requests.clear();
  const plan = await env.call('post', `${checkout}/plan`, {
    headers,
    body: {},
  });
  expect(plan.status).toBe(403);
  expect(plan.body.error.message).toContain(
    "Kubernetes API of cluster 'corp' answered 403",
  );
  expect(plan.body.error.message).toContain('User "oidc:mallory" cannot');
  const apply = await env.call('post', `${checkout}/apply`, {
    headers,
    body: {},
  });
  expect(apply.status).toBe(403);
  expect(env.standIn.requests.writes()).toEqual([]);
});

it('asks for the token when the request carries none', async () => {
  const res = await env.call('post', `${checkout}/plan`, { body: {} });
  expect(res.status).toBe(401);
  expect(res.body.error.message).toContain(
    "Cluster 'corp' acts as the signed-in user (authProvider oidc, oidcTokenProvider okta)",
  );
});
