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
  OTHER,
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
      // Long enough that every answer of a test is still cached when the next user asks.
      cache: { ttlSeconds: 3600 },
      clusters: [
        {
          name: 'corp',
          allowedNamespaces: ['shop-prod'],
          // Prometheus through the cluster's service proxy (the cluster sees the user), the
          // Alertmanager at a URL (it does not): for silences the binding check is the cluster's
          // only say.
          alertmanager: { url: upstream.url },
        },
      ],
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

describe("a user-delegated cluster's answers are never shared between users", () => {
  // alice may read shop-prod, mallory may not. Everything mallory asks right after alice, within
  // the cache window (an hour in this suite, so a slow machine cannot let it lapse), must be the
  // cluster's refusal of mallory, not what alice's requests fetched.
  const refusal = (res: { status: number; body: any }) =>
    res.status === 403 &&
    String(res.body?.error?.message).includes('User "oidc:mallory" cannot')
      ? "the cluster's 403"
      : `${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;

  it("serves mallory the cluster's 403, never alice's cached targets, alerts, graphs, plan or silences", async () => {
    const alice = {
      user: OWNER,
      headers: { [HEADER]: await idToken('alice') },
    };
    const mallory = {
      user: OTHER,
      headers: { [HEADER]: await idToken('mallory') },
    };
    const applied = await env.call('post', `${checkout}/apply`, {
      ...alice,
      body: {},
    });
    expect(applied.status).toBe(200);
    try {
      for (const path of ['targets', 'alerts', 'query_range?query=up']) {
        expect(
          (await env.call('get', `${checkout}/${path}`, alice)).status,
        ).toBe(200);
      }
      expect(
        (await env.call('post', `${checkout}/plan`, { ...alice, body: {} }))
          .status,
      ).toBe(200);
      const silence = await env.call('post', `${checkout}/silences`, {
        ...alice,
        body: { durationMinutes: 60, comment: 'maintenance' },
      });
      expect(silence.status).toBe(201);
      // alice's reads after her silence fill the cache again.
      expect((await env.call('get', `${checkout}/alerts`, alice)).status).toBe(
        200,
      );

      upstream.requests.length = 0;
      const asMallory = {
        targets: await env.call('get', `${checkout}/targets`, mallory),
        alerts: await env.call('get', `${checkout}/alerts`, mallory),
        graph: await env.call(
          'get',
          `${checkout}/query_range?query=up`,
          mallory,
        ),
        plan: await env.call('post', `${checkout}/plan`, {
          ...mallory,
          body: {},
        }),
        createSilence: await env.call('post', `${checkout}/silences`, {
          ...mallory,
          body: { durationMinutes: 60, comment: 'hush' },
        }),
        expireSilence: await env.call(
          'delete',
          `${checkout}/silences/${silence.body.id}`,
          mallory,
        ),
      };
      expect(
        Object.fromEntries(
          Object.entries(asMallory).map(([what, res]) => [what, refusal(res)]),
        ),
      ).toEqual(
        Object.fromEntries(
          Object.keys(asMallory).map(what => [what, "the cluster's 403"]),
        ),
      );
      // Nothing reached Prometheus or Alertmanager for mallory.
      expect(upstream.requests).toEqual([]);
      // alice's own answers are still kept for her: her next read costs no upstream request.
      expect((await env.call('get', `${checkout}/targets`, alice)).status).toBe(
        200,
      );
      expect(upstream.requests).toEqual([]);
    } finally {
      await env.call('delete', checkout, alice);
    }
  });
});
