import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { readRenderOptions } from '@prometheus-ocs/plugin-monitoring-common';
import {
  catalogEntityClaims,
  ClusterDetails,
  ClusterResolver,
  KubernetesClientFactory,
  MonitoringResourceManager,
} from '@prometheus-ocs/plugin-monitoring-node';
import {
  startStandIn,
  StandIn,
  StandInOptions,
} from '@prometheus-ocs/kubernetes-api-standin';
import { createMonitoringAnnotateAction } from '../actions/annotate';
import { createMonitoringApplyAction } from '../actions/apply';
import { createMonitoringRenderAction } from '../actions/render';
import { actionContext, GUEST_CLAIMS } from './actionContext';
import { ownerPolicyPermissions } from './ownerPolicyPermissions';
import { demoConfig } from './renderOptions';
import { standInCluster } from './standInCluster';

/** What {@link setUpStandInActions} builds; filled in by its `beforeAll`. */
export interface StandInActions {
  standIn: StandIn;
  /** The workspace the actions run in (cleared before each test). */
  workspacePath: string;
  mockDir: ReturnType<typeof createMockDirectory>;
  manager: MonitoringResourceManager;
  permissions: ReturnType<typeof ownerPolicyPermissions>;
  annotate: ReturnType<typeof createMonitoringAnnotateAction>;
  render: ReturnType<typeof createMonitoringRenderAction>;
  apply: ReturnType<typeof createMonitoringApplyAction>;
  /** Writes `catalogInfo` as the workspace's catalog-info.yaml; a context run by the guest. */
  context(
    catalogInfo: string,
    options?: { input?: Record<string, unknown>; isDryRun?: boolean },
  ): ReturnType<typeof actionContext>;
}

/**
 * The module's actions wired as the module wires them, against a Kubernetes API stand-in: the
 * demo's monitoring configuration, a catalog holding `registered` (the claims of the resource
 * manager and the entities the owner policy resolves), and the demo's owner policy for the
 * guest, a member of team-shop. The cluster `local` is the stand-in, reached directly with its
 * token (in a backend the module reaches clusters through the Kubernetes plugin: module.test.ts).
 *
 * Registers its own jest hooks: starts the stand-in before the suite, closes it after, and
 * clears the workspace, the stand-in's objects and its request log before each test.
 */
export function setUpStandInActions(
  options: {
    /** The stand-in's options; default: namespaces shop-dev, shop-prod and monitoring. */
    standIn?: Omit<StandInOptions, 'port'>;
    /** Keys of `monitoring` replacing the demo's (e.g. `clusters`). */
    monitoring?: Record<string, unknown>;
    /** Entities registered in the catalog. */
    registered?: Entity[];
    /** Fields of the stand-in's cluster replacing the defaults (e.g. `name`, `userDelegated`). */
    cluster?: Partial<ClusterDetails>;
  } = {},
): StandInActions {
  const mockDir = createMockDirectory();
  const workspacePath = mockDir.resolve('workspace');
  const actions = {
    mockDir,
    workspacePath,
    context(catalogInfo, contextOptions) {
      mockDir.setContent({ 'workspace/catalog-info.yaml': catalogInfo });
      return actionContext(workspacePath, contextOptions);
    },
  } as StandInActions;

  beforeAll(async () => {
    const standIn = await startStandIn({
      namespaces: ['shop-dev', 'shop-prod', 'monitoring'],
      ...options.standIn,
      port: 0,
    });
    const config = new ConfigReader({
      monitoring: { ...demoConfig.monitoring, ...options.monitoring },
    });
    const renderOptions = readRenderOptions(config);
    const registered = options.registered ?? [];
    const catalog = catalogServiceMock({ entities: registered });
    const auth = mockServices.auth();
    const clusters = new ClusterResolver({
      getClusters: async () => [standInCluster(standIn.url, options.cluster)],
    });
    const manager = new MonitoringResourceManager({
      renderOptions,
      clusters,
      clientFactory: KubernetesClientFactory.fromConfig(config),
      claims: catalogEntityClaims({ catalog, auth }),
    });
    const permissions = ownerPolicyPermissions({
      claims: GUEST_CLAIMS,
      registered,
    });
    Object.assign(actions, {
      standIn,
      manager,
      permissions,
      annotate: createMonitoringAnnotateAction({ renderOptions }),
      render: createMonitoringRenderAction({ renderOptions }),
      apply: createMonitoringApplyAction({
        renderOptions,
        clusters,
        manager,
        permissions,
        catalog,
        auth,
      }),
    });
  });

  afterAll(async () => {
    await actions.standIn?.close();
  });

  beforeEach(() => {
    mockDir.clear();
    actions.standIn.state.reset();
    actions.standIn.requests.clear();
  });

  return actions;
}
