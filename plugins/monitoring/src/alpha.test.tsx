import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import monitoringPlugin, {
  monitoringApi,
  entityMonitoringContent,
  entityMonitoringStatusCard,
  entityPrometheusAlertsCard,
  entityPrometheusTargetsCard,
} from './alpha';
import {
  kubernetesApiRef,
  kubernetesAuthProvidersApiRef,
} from '@backstage/plugin-kubernetes-react';
import { setupMonitoringServer, overviewRoute } from './__testUtils__/server';

/** The Kubernetes plugin's APIs the client needs: one service-identity cluster. */
const kubernetesApis = [
  [
    kubernetesApiRef,
    {
      getClusters: async () => [
        { name: 'local', authProvider: 'serviceAccount' },
      ],
    },
  ],
  [kubernetesAuthProvidersApiRef, { getCredentials: async () => ({}) }],
] as const;
import { entityUrl } from './__testUtils__/renderMonitoring';
import {
  alertsFixture,
  makeEntity,
  notDeployedStatus,
  statusFixture,
  target,
  targetsFixture,
} from './__testUtils__/fixtures';

const server = setupMonitoringServer();

const api: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name: 'checkout-api' },
  spec: {},
};

describe('alpha plugin', () => {
  it('bundles the client, the tab and the cards', () => {
    expect(monitoringPlugin.pluginId).toBe('monitoring');
    for (const id of [
      'api:monitoring',
      'entity-content:monitoring',
      'entity-card:monitoring/status',
      'entity-card:monitoring/targets',
      'entity-card:monitoring/alerts',
    ]) {
      expect(monitoringPlugin.getExtension(id as any)).toBeDefined();
    }
  });

  it('mounts the Monitoring tab on every Component', () => {
    const tester = createExtensionTester(entityMonitoringContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/monitoring');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Monitoring',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(makeEntity({ optedIn: false }))).toBe(true);
    expect(filter(makeEntity())).toBe(true);
    expect(filter(api)).toBe(false);
  });

  it('shows the cards only on opted-in entities', () => {
    const filters = [
      createExtensionTester(entityMonitoringStatusCard).get(
        EntityCardBlueprint.dataRefs.filterFunction,
      ),
      createExtensionTester(entityPrometheusTargetsCard).get(
        EntityCardBlueprint.dataRefs.filterFunction,
      ),
      createExtensionTester(entityPrometheusAlertsCard).get(
        EntityCardBlueprint.dataRefs.filterFunction,
      ),
    ];
    for (const filter of filters) {
      expect(filter!(makeEntity())).toBe(true);
      expect(filter!(makeEntity({ optedIn: false }))).toBe(false);
    }
  });

  it('renders the tab on an entity page, with its own API client', async () => {
    const entity = makeEntity({ optedIn: false });
    server.use(
      overviewRoute(entityUrl(entity)),
      http.get(entityUrl(entity, '/status'), () =>
        HttpResponse.json(notDeployedStatus({ enabled: false, objects: [] })),
      ),
    );
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity }),
        monitoringApi,
        entityMonitoringContent,
      ],
      apis: [
        mockApis.discovery(),
        mockApis.permission(),
        ...kubernetesApis,
      ] as any,
    });
    expect(
      await screen.findByText('Monitoring is not enabled'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Preview resources' }),
    ).toBeInTheDocument();
  });

  it('renders the cards on an opted-in entity page', async () => {
    const entity = makeEntity();
    server.use(
      overviewRoute(entityUrl(entity)),
      http.get(entityUrl(entity, '/status'), () =>
        HttpResponse.json(statusFixture()),
      ),
      http.get(entityUrl(entity, '/targets'), () =>
        HttpResponse.json(targetsFixture([target()])),
      ),
      http.get(entityUrl(entity, '/alerts'), () =>
        HttpResponse.json(alertsFixture()),
      ),
    );
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity }),
        monitoringApi,
        entityMonitoringStatusCard,
        entityPrometheusTargetsCard,
        entityPrometheusAlertsCard,
      ],
      apis: [
        mockApis.discovery(),
        mockApis.permission(),
        ...kubernetesApis,
      ] as any,
    });
    expect(await screen.findByText('2 (highly available)')).toBeInTheDocument();
    expect(
      await screen.findByText('1 target: 1 up, 0 down, 0 unknown'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('CheckoutHighErrorRate'),
    ).toBeInTheDocument();
  });
});
