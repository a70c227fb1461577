/*
 * `catalog` cluster locator: the cluster is a `Resource` entity of type `kubernetes-cluster` in the
 * catalog (API server, CA and auth provider as annotations); the catalog cannot carry a service
 * account token, so it authenticates with `aws` IAM like an EKS cluster registered in the catalog.
 */
import { Entity } from '@backstage/catalog-model';
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
  accessKeyId: 'AKIASTANDINEXAMPLE02',
  secretAccessKey: 'stand-in-fake-secret-key-for-catalog',
};

let upstream: RecordingUpstream;
let env: StandInBackend;
const saved = { ...process.env };

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  process.env.AWS_ACCESS_KEY_ID = IDENTITY.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = IDENTITY.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  let clusterEntity: Entity | undefined;
  env = await startStandInBackend({
    // The stand-in's URL is known only once it listens: the Resource is built from it below.
    entities: [
      makeEntity('checkout', {
        'backstage.io/kubernetes-cluster': 'standin-catalog',
      }),
    ],
    upstreams: { prometheusUrl: upstream.url, alertmanagerUrl: upstream.url },
    standIn: {
      tokens: [],
      awsIam: {
        clusterId: 'standin-catalog',
        identities: [
          { ...IDENTITY, user: 'arn:aws:iam::000000000000:role/backstage' },
        ],
      },
    },
    kubernetes: url => {
      clusterEntity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'standin-catalog',
          title: 'Stand-in (catalog)',
          annotations: {
            'kubernetes.io/api-server': url,
            'kubernetes.io/api-server-certificate-authority': '',
            'kubernetes.io/auth-provider': 'aws',
            'kubernetes.io/x-k8s-aws-id': 'standin-catalog',
            'kubernetes.io/skip-tls-verify': 'true',
          },
        },
        spec: { type: 'kubernetes-cluster', owner: 'platform' },
      };
      return {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'catalog',
            // The stand-in listens on loopback over plain HTTP.
            dangerouslyAllowClusterUrls: ['127.0.0.1'],
            dangerouslyAllowSkipTLSVerify: true,
          },
        ],
      };
    },
    extraEntities: () => (clusterEntity ? [clusterEntity] : []),
    monitoring: {
      defaultCluster: 'standin-catalog',
      clusters: [{ name: 'standin-catalog', allowedNamespaces: ['shop-prod'] }],
    },
  });
});
afterAll(async () => {
  process.env = saved;
  await env?.close();
  await upstream?.close();
});

it('plans, applies, reads and tears down on a cluster registered in the catalog', async () => {
  const { writers } = await expectLifecycle(env, {
    entity: 'checkout',
    upstream,
  });
  expect(writers).toEqual(['arn:aws:iam::000000000000:role/backstage']);
});
