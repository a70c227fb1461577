/*
 * `aws` IAM auth (EKS): the Kubernetes plugin's AwsIamStrategy presigns an STS GetCallerIdentity
 * request locally with the (fake, static) credentials of the environment; the stand-in, playing
 * STS for its one identity, accepts the `k8s-aws-v1.` token only when the signed `x-k8s-aws-id`
 * names its cluster, and maps the identity to its user.
 */
import { expectLifecycle } from '../__testUtils__/clusterLifecycle';
import {
  RecordingUpstream,
  startRecordingUpstream,
} from '../__testUtils__/recordingUpstream';
import {
  StandInBackend,
  startStandInBackend,
} from '../__testUtils__/standInBackend';
import { makeEntity } from '../testing/fixtures';

const IDENTITY = {
  accessKeyId: 'AKIASTANDINEXAMPLE01',
  secretAccessKey: 'stand-in-fake-secret-key-not-a-real-one',
};

let upstream: RecordingUpstream;
const saved = { ...process.env };
beforeAll(async () => {
  upstream = await startRecordingUpstream();
  // The default AWS credential chain reads these first; nothing leaves the machine.
  process.env.AWS_ACCESS_KEY_ID = IDENTITY.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = IDENTITY.secretAccessKey;
  process.env.AWS_REGION = 'eu-west-1';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
});
afterAll(async () => {
  process.env = saved;
  await upstream?.close();
});

async function eksBackend(clusterId: string): Promise<StandInBackend> {
  return startStandInBackend({
    entities: [
      makeEntity('checkout', { 'backstage.io/kubernetes-cluster': 'eks' }),
    ],
    upstreams: { prometheusUrl: upstream.url, alertmanagerUrl: upstream.url },
    standIn: {
      tokens: [],
      awsIam: {
        clusterId: 'standin-eks',
        identities: [
          {
            ...IDENTITY,
            user: 'arn:aws:iam::000000000000:user/backstage',
            forbiddenNamespaces: ['restricted'],
          },
        ],
      },
    },
    kubernetes: url => ({
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'eks',
              url,
              authProvider: 'aws',
              skipTLSVerify: true,
              authMetadata: { 'kubernetes.io/x-k8s-aws-id': clusterId },
            },
          ],
        },
      ],
    }),
    monitoring: {
      defaultCluster: 'eks',
      clusters: [{ name: 'eks', allowedNamespaces: ['shop-prod', 'shop-dev'] }],
    },
  });
}

it('plans, applies, reads and tears down with a locally presigned IAM token', async () => {
  const env = await eksBackend('standin-eks');
  try {
    const { writers } = await expectLifecycle(env, {
      entity: 'checkout',
      upstream,
    });
    expect(writers).toEqual(['arn:aws:iam::000000000000:user/backstage']);
  } finally {
    await env.close();
  }
});

it('is refused by the cluster when the token names another cluster', async () => {
  const env = await eksBackend('some-other-eks');
  try {
    const res = await env.call(
      'get',
      '/entities/component/default/checkout/status',
    );
    // The cluster did not accept Backstage's credentials: its failure, not the user's (502).
    expect(res.status).toBe(502);
    expect(res.body.error.message).toContain(
      "Kubernetes API of cluster 'eks' answered 401",
    );
    expect(env.standIn.requests.writes()).toEqual([]);
  } finally {
    await env.close();
  }
});
