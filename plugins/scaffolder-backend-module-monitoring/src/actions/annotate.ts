import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  MonitoringAnnotateActionInput,
  MonitoringAnnotateActionOutput,
} from './types';
import { RenderOptions } from '@prometheus-ocs/plugin-monitoring-common';
import { annotateCatalogInfo } from '../lib/annotateCatalogInfo';
import { DEFAULT_CATALOG_INFO_PATH } from '../lib/loadEntity';
import { examples } from './annotate.examples';

/**
 * `monitoring:annotate` — opts the workspace's entity in to monitoring by adding or updating the
 * annotations in its catalog descriptor. The rest of the file (other documents, keys, comments)
 * is kept. The result is validated with the same parser the renderer uses, and nothing is written
 * when a value is invalid.
 *
 * @public
 */
export function createMonitoringAnnotateAction(options: {
  renderOptions: RenderOptions;
}): TemplateAction<
  MonitoringAnnotateActionInput,
  MonitoringAnnotateActionOutput,
  'v2'
> {
  const { renderOptions } = options;
  return createTemplateAction({
    id: 'monitoring:annotate',
    description:
      "Adds or updates the Prometheus OCS monitoring annotations of an entity in the workspace's catalog descriptor, keeping comments and other documents.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe(
              `Workspace path of the catalog descriptor. Default: ${DEFAULT_CATALOG_INFO_PATH}`,
            ),
        entityKind: z =>
          z
            .string()
            .optional()
            .describe(
              'Kind of the entity to annotate when the file holds several. Default: the only Component',
            ),
        entityName: z =>
          z
            .string()
            .optional()
            .describe(
              'metadata.name of the entity to annotate when the file holds several',
            ),
        enabled: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Value of prometheus-ocs.io/enabled. Default: true (opt in)',
            ),
        port: z =>
          z
            .union([z.string(), z.number().int()])
            .optional()
            .describe(
              'prometheus-ocs.io/port: name (or number) of the port serving metrics',
            ),
        path: z =>
          z
            .string()
            .optional()
            .describe('prometheus-ocs.io/path: metrics path'),
        interval: z =>
          z
            .string()
            .optional()
            .describe(
              'prometheus-ocs.io/interval: scrape interval, a Prometheus duration such as 30s',
            ),
        instance: z =>
          z
            .string()
            .optional()
            .describe(
              "prometheus-ocs.io/instance: name of the namespace's Prometheus",
            ),
        replicas: z =>
          z
            .union([z.number().int(), z.string()])
            .optional()
            .describe(
              'prometheus-ocs.io/replicas: Prometheus replicas. Default from spec.lifecycle',
            ),
        retention: z =>
          z
            .string()
            .optional()
            .describe(
              'prometheus-ocs.io/retention: TSDB retention such as 15d',
            ),
        alertRules: z =>
          z
            .union([z.string(), z.array(z.record(z.unknown()))])
            .optional()
            .describe(
              'prometheus-ocs.io/alert-rules: alert rules, as YAML text or a list of rule objects (alert, expr, for, severity, summary, ...)',
            ),
        kubernetesId: z =>
          z
            .string()
            .optional()
            .describe(
              'backstage.io/kubernetes-id. Default when absent: the entity name',
            ),
        kubernetesNamespace: z =>
          z.string().optional().describe('backstage.io/kubernetes-namespace'),
        kubernetesLabelSelector: z =>
          z
            .string()
            .optional()
            .describe(
              'backstage.io/kubernetes-label-selector: pod selector such as app=web,tier=backend',
            ),
        kubernetesCluster: z =>
          z
            .string()
            .optional()
            .describe(
              'backstage.io/kubernetes-cluster. Default: monitoring.defaultCluster',
            ),
      },
      output: {
        entityRef: z => z.string().describe('Ref of the annotated entity'),
        catalogInfoPath: z =>
          z.string().describe('Workspace path of the updated descriptor'),
        annotations: z =>
          z
            .record(z.string())
            .describe("The entity's monitoring annotations after the update"),
        namespace: z =>
          z
            .string()
            .describe('Kubernetes namespace the entity is monitored in'),
        cluster: z => z.string().describe('Cluster the entity is monitored on'),
        kubernetesId: z =>
          z.string().describe('Kubernetes id naming the generated objects'),
      },
    },
    handler: ctx => annotateCatalogInfo(ctx, renderOptions),
  });
}
