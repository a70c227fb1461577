/*
 * What one Monitoring tab load costs in calls, pinned so that savings cannot silently return.
 * In a real backend every permission decision call is an HTTP request to the permission backend,
 * every catalog call an HTTP request to the catalog (which authorizes its own read once more), and
 * every upstream request a request through the cluster's service proxy. Counts only, no time.
 *
 * A tab load is what MonitoringContent asks for (its test pins that list): the polled sections
 * and the three graph panels.
 */
import { makeEntity } from '../testing/fixtures';
import {
  startRecordingUpstream,
  RecordingUpstream,
} from '../__testUtils__/recordingUpstream';
import {
  OTHER,
  startStandInBackend,
  StandInBackend,
} from '../__testUtils__/standInBackend';

const ENTITY = '/entities/component/default/checkout';

/** The requests of one tab load, as the frontend sends them (all at once). */
const TAB_LOAD = [
  // status, targets and alerts
  `${ENTITY}/overview`,
  ...['up', 'request_rate', 'error_rate'].map(
    panel => `${ENTITY}/query_range?query=${panel}`,
  ),
];

describe('calls per Monitoring tab load', () => {
  let env: StandInBackend;
  let upstream: RecordingUpstream;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    env = await startStandInBackend({
      entities: [makeEntity('checkout')],
      upstreams: { prometheusUrl: upstream.url, alertmanagerUrl: upstream.url },
      // A window no test run outlasts: the second load is warm whatever the machine's speed.
      monitoring: { cache: { ttlSeconds: 3600 } },
    });
    const applied = await env.call('post', `${ENTITY}/apply`, { body: {} });
    if (!applied.body.ok) {
      throw new Error(`apply failed: ${applied.text}`);
    }
  });

  afterAll(async () => {
    await env?.close();
    await upstream?.close();
  });

  /** One tab load by `user`, who may read but not change the entity's monitoring. */
  const tabLoad = async (user: string) => {
    env.calls.clear();
    env.standIn.requests.clear();
    upstream.requests.length = 0;
    const answers = await Promise.all(
      TAB_LOAD.map(p => env.call('get', p, { user })),
    );
    expect(answers.map(a => a.status)).toEqual(TAB_LOAD.map(() => 200));
    return {
      /** calls to the permission service, and the decisions they carried */
      permissionCalls: env.calls.permission.length,
      decisions: env.calls.permission.flatMap(c => c.permissions ?? []).length,
      /** catalog calls with the user's credentials */
      catalogCallsAsUser: env.calls.catalog.filter(c => c.principal === user)
        .length,
      /** catalog calls with the plugin's own credentials */
      catalogCallsAsPlugin: env.calls.catalog.filter(c => c.principal !== user)
        .length,
      /** requests to the backend */
      requests: TAB_LOAD.length,
      upstreamRequests: upstream.requests.length,
      kubernetesRequests: env.standIn.requests
        .list({})
        .filter(r => !/\/proxy\//.test(r.path)).length,
    };
  };

  it('pins the calls of a cold and of a warm tab load', async () => {
    // The apply above read the entity as its owner; the viewer's own lookups are counted here.
    const cold = await tabLoad(OTHER);
    const warm = await tabLoad(OTHER);
    expect({ cold, warm }).toEqual({
      cold: {
        requests: 4,
        // one decision per request, and nothing else
        permissionCalls: 4,
        decisions: 4,
        // the requests' concurrent lookups of the entity share one
        catalogCallsAsUser: 1,
        catalogCallsAsPlugin: 0,
        // targets of the pool, the ALERTS query, Alertmanager's alerts and silences, 3 graphs
        upstreamRequests: 7,
        // the binding (ServiceMonitor, Service) and the status' reads of the entity's objects
        kubernetesRequests: 10,
      },
      warm: {
        requests: 4,
        permissionCalls: 4,
        decisions: 4,
        // the viewer's entity is kept for the cache window
        catalogCallsAsUser: 0,
        catalogCallsAsPlugin: 0,
        upstreamRequests: 0,
        kubernetesRequests: 0,
      },
    });
  });
});
