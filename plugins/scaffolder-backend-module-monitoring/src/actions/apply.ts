import { AuthService, PermissionsService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  MonitoringApplyActionInput,
  MonitoringApplyActionOutput,
} from './types';
import {
  ApplyResponse,
  RenderOptions,
} from '@prometheus-ocs/plugin-monitoring-common';
import {
  ClusterDetails,
  ClusterResolver,
  MonitoringResourceManager,
} from '@prometheus-ocs/plugin-monitoring-node';
import { authorizeMonitoringApply } from '../lib/authorizeMonitoringApply';
import { entitySourceInputSchema } from '../lib/entitySourceInputSchema';
import { loadEntity } from '../lib/loadEntity';
import { planAsApplyResults } from '../lib/planAsApplyResults';
import { renderEntity } from '../lib/renderEntity';
import { examples } from './apply.examples';

type ObjectResult = ApplyResponse['objects'][number];

function describeFailures(objects: ObjectResult[]): string {
  return objects
    .filter(o => !['created', 'updated', 'unchanged'].includes(o.result))
    .map(
      o =>
        `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}: ${
          o.result
        }${o.message ? ` (${o.message})` : ''}`,
    )
    .join('; ');
}

/**
 * A task cannot act as its user on a cluster that sees the signed-in user: the cluster wants the
 * user's own token, which only the user's browser holds (the Monitoring tab sends it with each
 * request, as the Kubernetes tab does), and a task carries none. Handing it to the task through
 * template `secrets` would give every step of a template written by someone else the user's
 * cluster credential, so the step is refused before any cluster or policy call.
 */
function refuseUserDelegated(cluster: ClusterDetails, entityRef: string) {
  if (!cluster.userDelegated) return;
  throw new InputError(
    `monitoring:apply cannot act on cluster '${cluster.name}': it acts as the signed-in user (authProvider ${cluster.userDelegated.authProvider}) and needs the user's own ${cluster.userDelegated.tokenKey} token, which a scaffolder task does not carry. Write the manifests with monitoring:render and apply them through GitOps, or enable monitoring of ${entityRef} from its Monitoring tab once it is in the catalog. Nothing was applied.`,
  );
}

/**
 * `monitoring:apply` — server-side applies the entity's prometheus-operator resources to its
 * cluster with the same code and safety as the backend's apply (allowed namespaces, ownership
 * markers, field manager `prometheus-ocs`). The task's initiator needs `monitoring.entity.apply`
 * (see authorizeMonitoringApply for entities that are not in the catalog yet). In a dry run
 * nothing is written: every object is applied with the API server's `dryRun=All`. Clusters that
 * act as the signed-in user (`oidc`, `google`, `aks`) are refused (InputError) before anything
 * is asked: a task has no cluster token of its user.
 *
 * @public
 */
export function createMonitoringApplyAction(options: {
  renderOptions: RenderOptions;
  manager: Pick<MonitoringResourceManager, 'apply' | 'plan'>;
  /** The clusters the manager acts on (to refuse user-delegated ones up front). */
  clusters: Pick<ClusterResolver, 'getCluster'>;
  permissions: PermissionsService;
  catalog: CatalogService;
  auth: AuthService;
}): TemplateAction<
  MonitoringApplyActionInput,
  MonitoringApplyActionOutput,
  'v2'
> {
  const { renderOptions, manager, clusters, permissions, catalog, auth } =
    options;
  return createTemplateAction({
    id: 'monitoring:apply',
    description:
      "Applies an entity's prometheus-operator resources to its Kubernetes cluster (server-side apply, allowed namespaces only, never touching objects prometheus-ocs does not own). Requires the monitoring.entity.apply permission.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...entitySourceInputSchema,
        dryRun: z =>
          z
            .boolean()
            .optional()
            .describe(
              "Only ask the API server what would change (dryRun=All); nothing is written. Always on in the template editor's dry run",
            ),
      },
      output: {
        entityRef: z => z.string().describe('Ref of the applied entity'),
        cluster: z => z.string().describe('Cluster applied to'),
        namespace: z => z.string().describe('Namespace of every object'),
        dryRun: z => z.boolean().describe('Whether nothing was written'),
        ok: z =>
          z
            .boolean()
            .describe('Whether every object was created, updated or unchanged'),
        objects: z =>
          z
            .array(
              z.object({
                apiVersion: z.string(),
                kind: z.string(),
                namespace: z.string().optional(),
                name: z.string(),
                result: z.enum([
                  'created',
                  'updated',
                  'unchanged',
                  'conflict',
                  'failed',
                  'skipped',
                ]),
                message: z.string().optional(),
              }),
            )
            .describe('Per-object result, in apply order'),
      },
    },
    async handler(ctx) {
      const dryRun = Boolean(ctx.isDryRun || ctx.input.dryRun);
      const loaded = await loadEntity(ctx.workspacePath, ctx.input);
      // Validation and the namespace policy fail the step before any cluster or policy call.
      const { settings } = renderEntity(loaded, renderOptions, ctx.logger);
      refuseUserDelegated(
        await clusters.getCluster(settings.cluster),
        loaded.entityRef,
      );

      const credentials = await ctx.getInitiatorCredentials();
      const basis = await authorizeMonitoringApply({
        entity: loaded.entity,
        entityRef: loaded.entityRef,
        credentials,
        permissions,
        catalog,
        auth,
      });
      ctx.logger.info(
        basis === 'catalog-entity'
          ? `Allowed to apply monitoring of ${loaded.entityRef} (catalog entity)`
          : `Allowed to apply monitoring of ${loaded.entityRef} (new entity, owner ${loaded.entity.spec?.owner})`,
      );

      // The task's user is the caller; the cluster is a service-identity one (see above), so it
      // sees Backstage and the checks above are the gate.
      const caller = { credentials };
      const objects = dryRun
        ? planAsApplyResults(await manager.plan(loaded.entity, { caller }))
        : (await manager.apply(loaded.entity, { caller })).objects;
      const ok = objects.every(o =>
        ['created', 'updated', 'unchanged'].includes(o.result),
      );
      for (const o of objects) {
        ctx.logger.info(
          `${o.kind} ${o.namespace}/${o.name}: ${o.result}${
            o.message ? ` — ${o.message}` : ''
          }`,
        );
      }

      ctx.output('entityRef', loaded.entityRef);
      ctx.output('cluster', settings.cluster);
      ctx.output('namespace', settings.namespace);
      ctx.output('dryRun', dryRun);
      ctx.output('ok', ok);
      ctx.output('objects', objects);

      if (!ok) {
        throw new Error(
          `${
            dryRun ? 'Dry run of applying' : 'Applying'
          } the monitoring resources of ${loaded.entityRef} to ${
            settings.cluster
          }/${settings.namespace} failed: ${describeFailures(objects)}`,
        );
      }
    },
  });
}
