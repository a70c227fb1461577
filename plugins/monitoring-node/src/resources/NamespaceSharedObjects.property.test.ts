/*
 * Property test of issue 13, point 1: random sequences of apply/teardown of entities with random
 * lifecycles, owners and (partly hostile) annotations in one namespace, through the real
 * MonitoringResourceManager against an in-memory cluster. After every step the namespace's shared
 * objects are exactly the function of the set of enabled entities (renderSharedObjects of their
 * needs and the namespace floor): monotone, order-independent, byte-identical; refused steps
 * (namespace owners, maxInstances) change nothing. Concurrent applies and teardowns through two
 * managers against the strict stand-in: NamespaceSharedObjects.standin.test.ts.
 */
import fc from 'fast-check';
import { InMemoryCluster } from '../__testUtils__/InMemoryCluster';
import {
  EnabledSet,
  modelRenderOptions,
  NAMESPACE,
  scenarioArbitrary,
  sharedObjectProblems,
} from '../__testUtils__/sharedObjectsModel';
import { entityListClaims } from './EntityBinding';
import { MonitoringResourceManager } from './MonitoringResourceManager';

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    return (error as Error).name;
  }
}

describe('shared objects of a namespace (property)', () => {
  it('are the function of the enabled set after every step of 1,000 random sequences', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioArbitrary(12),
        async ({ entities, commands }) => {
          const cluster = new InMemoryCluster();
          const client = cluster.client();
          const manager = new MonitoringResourceManager({
            renderOptions: modelRenderOptions,
            clusters: { getCluster: async name => ({ name } as any) },
            clientFactory: { getClient: async () => client },
            // Claims are pinned by the bindings tests; here every entity's id is its own.
            claims: entityListClaims([]),
          });
          const model = new EnabledSet();
          for (const [step, command] of commands.entries()) {
            const entity = entities[command.entity];
            const expected =
              command.op === 'apply'
                ? model.apply(entity)
                : model.teardown(entity);
            const actual = await outcome(async () => {
              const res =
                command.op === 'apply'
                  ? await manager.apply(entity)
                  : await manager.teardown(entity);
              if (!res.ok) throw new Error(JSON.stringify(res.objects));
            });
            expect({ step, command, outcome: actual }).toEqual({
              step,
              command,
              outcome: expected,
            });
            expect({
              step,
              problems: sharedObjectProblems(model, {
                prometheuses: cluster.objects('Prometheus', NAMESPACE),
                serviceAccounts: cluster.objects('ServiceAccount', NAMESPACE),
              }),
            }).toEqual({ step, problems: [] });
          }
        },
      ),
      { numRuns: 1000 },
    );
  }, 120_000);
});
