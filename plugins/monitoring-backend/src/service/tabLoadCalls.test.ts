/*
 * What one Monitoring tab load costs in calls, pinned so that savings cannot silently return.
 * In a real backend every request verifies the caller's token (a JWT signature check), every
 * permission decision call is an HTTP request to the permission backend, every catalog call an
 * HTTP request to the catalog (which authorizes its own read once more), and every upstream
 * request a request through the cluster's service proxy. Counts only, no time.
 *
 * A tab load is what MonitoringContent sends: one `GET overview` with the graphs card's panels
 * (its test, MonitoringContent.test.tsx, fails when a section sends a request of its own again).
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
import { TokenVerifications } from '../__testUtils__/TokenVerifications';

const ENTITY = '/entities/component/default/checkout';
const PANELS = ['up', 'request_rate', 'error_rate'];

/** The requests of one tab load, as the frontend sends them. */
const TAB_LOAD = [`${ENTITY}/overview?graphs=${PANELS.join(',')}`];

describe('calls per Monitoring tab load', () => {
  let env: StandInBackend;
  let upstream: RecordingUpstream;
  const verifications = new TokenVerifications();

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    env = await startStandInBackend({
      entities: [makeEntity('checkout')],
      upstreams: { prometheusUrl: upstream.url, alertmanagerUrl: upstream.url },
      // A window no test run outlasts: the second load is warm whatever the machine's speed.
      monitoring: { cache: { ttlSeconds: 3600 } },
      features: verifications.features,
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

  // The graphs' default window ends now, aligned to its step: one instant for the whole test, so
  // that a later load asks the same question however long the machine takes between loads.
  beforeEach(() => {
    const now = Math.floor(Date.now() / 60_000) * 60_000 + 7_000;
    jest.spyOn(Date, 'now').mockReturnValue(now);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  /** One tab load by `user`, who may read but not change the entity's monitoring. */
  const tabLoad = async (user: string) => {
    env.calls.clear();
    env.standIn.requests.clear();
    upstream.requests.length = 0;
    verifications.clear();
    const answers = await Promise.all(
      TAB_LOAD.map(p => env.call('get', p, { user })),
    );
    expect(answers.map(a => a.status)).toEqual(TAB_LOAD.map(() => 200));
    // The one answer holds every section the tab shows, none failed.
    const [overview] = answers.map(a => a.body);
    const sections = [
      overview.status,
      overview.targets,
      overview.alerts,
      ...PANELS.map(p => overview.graphs?.[p]),
    ];
    expect(sections.map(s => Object.keys(s ?? {}))).toEqual(
      sections.map(() => ['value']),
    );
    return {
      /** requests to the backend */
      requests: TAB_LOAD.length,
      /** the caller's token verified by the monitoring plugin (the router's and the plugin's own) */
      tokenVerifications: verifications.of('monitoring'),
      /** calls to the permission service, and the decisions they carried */
      permissionCalls: env.calls.permission.length,
      decisions: env.calls.permission.flatMap(c => c.permissions ?? []).length,
      /** catalog calls with the user's credentials */
      catalogCallsAsUser: env.calls.catalog.filter(c => c.principal === user)
        .length,
      /** catalog calls with the plugin's own credentials */
      catalogCallsAsPlugin: env.calls.catalog.filter(c => c.principal !== user)
        .length,
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
        requests: 1,
        // once, however many sections and credentials lookups the request has
        tokenVerifications: 1,
        // one decision, and nothing else
        permissionCalls: 1,
        decisions: 1,
        catalogCallsAsUser: 1,
        catalogCallsAsPlugin: 0,
        // targets of the pool, the ALERTS query, Alertmanager's alerts and silences, 3 graphs
        upstreamRequests: 7,
        // the binding (ServiceMonitor, Service) and the status' reads of the entity's objects
        kubernetesRequests: 10,
      },
      warm: {
        requests: 1,
        tokenVerifications: 1,
        permissionCalls: 1,
        decisions: 1,
        // the viewer's entity is kept for the cache window
        catalogCallsAsUser: 0,
        catalogCallsAsPlugin: 0,
        upstreamRequests: 0,
        kubernetesRequests: 0,
      },
    });
  });

  it("answers the overview's graphs and query_range's default window from one upstream request", async () => {
    await tabLoad(OTHER);
    upstream.requests.length = 0;
    const panels = await Promise.all(
      PANELS.map(p =>
        env.call('get', `${ENTITY}/query_range?query=${p}`, { user: OTHER }),
      ),
    );
    expect(panels.map(p => p.status)).toEqual(PANELS.map(() => 200));
    expect(upstream.requests).toEqual([]);
  });
});
