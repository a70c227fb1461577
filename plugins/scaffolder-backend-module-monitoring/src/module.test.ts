import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { demoConfig } from './__testUtils__/renderOptions';
import scaffolderModuleMonitoring from '.';

describe('scaffolderModuleMonitoring', () => {
  async function start(config: object) {
    const actions: TemplateAction<any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...added: TemplateAction<any, any>[]) => actions.push(...added) },
        ],
      ],
      features: [
        scaffolderModuleMonitoring,
        mockServices.rootConfig.factory({ data: config }),
        catalogServiceMock.factory(),
      ],
    });
    return actions;
  }

  it('adds the three monitoring actions, all supporting dry runs', async () => {
    const actions = await start(demoConfig);
    expect(actions.map(a => [a.id, a.supportsDryRun])).toEqual([
      ['monitoring:annotate', true],
      ['monitoring:render', true],
      ['monitoring:apply', true],
    ]);
    for (const action of actions) {
      expect(action.schema?.input).toMatchObject({ type: 'object' });
      expect(action.examples?.length).toBeGreaterThan(0);
    }
  });

  it('refuses to start with invalid monitoring configuration, naming the key', async () => {
    await expect(
      start({
        monitoring: { ...demoConfig.monitoring, defaults: { scrapeInterval: '5 minutes' } },
      }),
    ).rejects.toThrow('monitoring.defaults.scrapeInterval');
  });
});
