/*
 * `config` cluster locator + `serviceAccount`: the Kubernetes plugin's own cluster list and
 * credentials; the cluster sees Backstage's service account.
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
import { makeEntity, TEST_TOKEN } from '../testing/fixtures';

let upstream: RecordingUpstream;
let env: StandInBackend;
beforeAll(async () => {
  upstream = await startRecordingUpstream();
  env = await startStandInBackend({
    entities: [makeEntity('checkout')],
    upstreams: { prometheusUrl: upstream.url, alertmanagerUrl: upstream.url },
    standIn: {
      tokens: [
        {
          token: TEST_TOKEN,
          user: 'system:serviceaccount:backstage:backstage',
        },
      ],
    },
  });
});
afterAll(async () => {
  await env?.close();
  await upstream?.close();
});

it('plans, applies, reads and tears down as the cluster service account', async () => {
  const { writers } = await expectLifecycle(env, {
    entity: 'checkout',
    upstream,
  });
  expect(writers).toEqual(['system:serviceaccount:backstage:backstage']);
});
