// The test runs in Node and reads the app's package.json and app-config.yaml as the CLI does.
// eslint-disable-next-line no-restricted-imports
import { readFileSync } from 'fs';
// eslint-disable-next-line no-restricted-imports
import { resolve as resolvePath } from 'path';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse, ws } from 'msw';
import { setupServer } from 'msw/node';
import {
  alertsFixture,
  statusFixture,
  target,
  targetsFixture,
} from '@prometheus-ocs/plugin-monitoring/testUtils';
import { parse } from 'yaml';

const BACKEND = 'http://localhost:7007';

/**
 * What `backstage-cli package start/build` injects for `app.packages: all`: every dependency of
 * this package with the frontend-plugin(-module) role, and its `/alpha` entry when it has one.
 * Jest does not run the bundler, so the test does the same from package.json.
 */
function discoverPackages() {
  const { dependencies } = JSON.parse(
    readFileSync(resolvePath(__dirname, '../package.json'), 'utf8'),
  ) as { dependencies: Record<string, string> };
  const modules: Array<{ name: string; export?: string; default: unknown }> =
    [];
  for (const name of Object.keys(dependencies)) {
    let pkg;
    try {
      pkg = require(`${name}/package.json`);
    } catch {
      continue; // packages that do not export package.json are not discovered either
    }
    if (
      !['frontend-plugin', 'frontend-plugin-module'].includes(
        pkg.backstage?.role,
      )
    ) {
      continue;
    }
    modules.push({ name, default: require(name).default });
    if (pkg.exports && './alpha' in pkg.exports) {
      modules.push({
        name,
        export: './alpha',
        default: require(`${name}/alpha`).default,
      });
    }
  }
  (window as any)['__@backstage/discovered__'] = { modules };
}

/** The demo portal's app config (app-config.yaml), as the app reads it. */
function loadAppConfig() {
  const config = parse(
    readFileSync(resolvePath(__dirname, '../../../app-config.yaml'), 'utf8'),
  );
  process.env = {
    ...process.env,
    APP_CONFIG: [
      {
        data: {
          app: config.app,
          backend: { baseUrl: config.backend.baseUrl },
        },
        context: 'app-config.yaml',
      },
    ] as any,
  };
}

const checkout = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    namespace: 'default',
    name: 'checkout',
    annotations: { 'prometheus-ocs.io/enabled': 'true' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-shop' },
};

/** A token the app can read (it looks at `exp` and `sub`); never verified in the browser. */
function unsignedJwt(claims: object) {
  const part = (o: object) =>
    Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(claims)}.x`;
}

/**
 * The monitoring backend's answers for `checkout`, built by the plugin's published test helpers:
 * the tab's overview, each card's own route and the graphs.
 */
function monitoringHandlers() {
  const base = `${BACKEND}/api/monitoring/entities/component/default/checkout`;
  const status = statusFixture();
  const targets = targetsFixture([target()]);
  const alerts = alertsFixture();
  return [
    http.get(`${base}/overview`, () =>
      HttpResponse.json({
        status: { value: status },
        targets: { value: targets },
        alerts: { value: alerts },
      }),
    ),
    http.get(`${base}/status`, () => HttpResponse.json(status)),
    http.get(`${base}/targets`, () => HttpResponse.json(targets)),
    http.get(`${base}/alerts`, () => HttpResponse.json(alerts)),
    // every graph panel: one series over the requested range
    http.get(`${base}/query_range`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      const [start, end, step] = ['start', 'end', 'step'].map(k =>
        Number(params.get(k)),
      );
      return HttpResponse.json({
        series: [
          {
            metric: { pod: 'checkout-1' },
            values: [
              [start, '1'],
              [end, '1'],
            ],
            cluster: 'local',
          },
        ],
        failures: [],
        start,
        end,
        step,
      });
    }),
  ];
}

const server = setupServer(
  // the demo portal's guest sign-in (auth.providers.guest)
  http.get(`${BACKEND}/api/auth/guest/refresh`, () =>
    HttpResponse.json({
      profile: {},
      backstageIdentity: {
        token: unsignedJwt({ sub: 'user:default/guest', exp: 4102444800 }),
        identity: {
          type: 'user',
          userEntityRef: 'user:default/guest',
          ownershipEntityRefs: [
            'user:default/guest',
            'group:default/team-shop',
          ],
        },
      },
    }),
  ),
  http.get(
    `${BACKEND}/api/catalog/entities/by-name/component/default/checkout`,
    () => HttpResponse.json(checkout),
  ),
  ...monitoringHandlers(),
  // the Kubernetes plugin's clusters: the monitoring client asks them for user-delegated tokens
  http.get(`${BACKEND}/api/kubernetes/clusters`, () =>
    HttpResponse.json({
      items: [{ name: 'local', authProvider: 'serviceAccount' }],
    }),
  ),
  // what the entity page itself loads besides the entity
  http.get(
    `${BACKEND}/api/catalog/entities/by-name/component/default/checkout/ancestry`,
    () =>
      HttpResponse.json({
        rootEntityRef: 'component:default/checkout',
        items: [{ entity: checkout, parentEntityRefs: [] }],
      }),
  ),
  http.post(`${BACKEND}/api/catalog/entities/by-refs`, () =>
    HttpResponse.json({ items: [checkout] }),
  ),
  http.post(`${BACKEND}/api/user-settings/multiget`, () =>
    HttpResponse.json({ items: [] }),
  ),
  // everything else the entity page asks the backend (starred entities, ancestry, signals, ...)
  http.all(`${BACKEND}/*`, () => new HttpResponse(null, { status: 404 })),
  ws
    .link(`ws://localhost:7007/*`)
    .addEventListener('connection', ({ client }) => client.close()),
);

// Loading every discovered plugin takes a while on a busy machine.
jest.setTimeout(180_000);
/** How long to wait for what the app shows (Testing Library's 1 s default fails on a busy machine). */
const patience = { timeout: 60_000 };

describe('App', () => {
  beforeAll(() => {
    // The catch-all handlers above answer every backend call; the entity page's own 404
    // handling (starred entities, ancestry, ...) is not what this test is about.
    server.listen();
    discoverPackages();
    loadAppConfig();
  });
  afterAll(() => server.close());

  it("shows the monitoring cards and the Monitoring tab's content on an opted-in entity, backed by the monitoring backend", async () => {
    window.history.pushState({}, '', '/catalog/default/component/checkout');
    const App = (await import('./App')).default;
    render(App.createRoot());
    // the demo portal signs in as guest
    await userEvent.click(
      await screen.findByRole('button', { name: 'Enter' }, patience),
    );

    // overview: the status card, fed by the monitoring backend through the app's APIs
    expect(
      await screen.findByText('2 (highly available)', {}, patience),
    ).toBeInTheDocument();

    // the Monitoring tab of the entity page, at the path the plugin declares
    const tab = screen.getByText('Monitoring').closest('a')!;
    expect(tab).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/monitoring',
    );
    await userEvent.click(tab);

    // the tab's content: graphs (only on the tab), the status with the entity's resources, its
    // targets and alerts, each section as the monitoring backend answered it
    expect(await screen.findByText('Graphs', {}, patience)).toBeInTheDocument();
    expect(window.location.pathname).toBe(
      '/catalog/default/component/checkout/monitoring',
    );
    expect(screen.getByText('Targets up')).toBeInTheDocument();
    expect(
      await screen.findByText('shop-prod/checkout-metrics', {}, patience),
    ).toBeInTheDocument();
    expect(screen.getByText('2 (highly available)')).toBeInTheDocument();
    const targetRow = (
      await screen.findByText('http://10.0.0.1:9301/metrics', {}, patience)
    ).closest('tr');
    expect(targetRow).toHaveTextContent('up');
    expect(
      await screen.findByText(
        'Checkout returns errors for more than 5% of requests',
        {},
        patience,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('CheckoutHighErrorRate')).toBeInTheDocument();
  });
});
