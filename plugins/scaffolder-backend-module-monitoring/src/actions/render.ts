import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  MonitoringRenderActionInput,
  MonitoringRenderActionOutput,
} from './types';
import { RenderOptions } from '@prometheus-ocs/plugin-monitoring-common';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { entitySourceInputSchema } from '../lib/entitySourceInputSchema';
import { loadEntity } from '../lib/loadEntity';
import {
  DEFAULT_MANIFEST_FILE_NAME,
  DEFAULT_MANIFEST_TARGET_PATH,
  layoutManifests,
} from '../lib/manifestFiles';
import { renderEntity } from '../lib/renderEntity';
import { examples } from './render.examples';

/**
 * `monitoring:render` — writes the prometheus-operator manifests of the workspace's entity into
 * the workspace, e.g. for a GitOps pull request. Everything is rendered and checked (annotations,
 * allowed namespace, paths) before the first file is written.
 *
 * @public
 */
export function createMonitoringRenderAction(options: {
  renderOptions: RenderOptions;
}): TemplateAction<
  MonitoringRenderActionInput,
  MonitoringRenderActionOutput,
  'v2'
> {
  const { renderOptions } = options;
  return createTemplateAction({
    id: 'monitoring:render',
    description:
      'Renders the prometheus-operator manifests (Prometheus, ServiceAccount, RoleBinding, Secret, Service, ServiceMonitor, PrometheusRule) of an entity into the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...entitySourceInputSchema,
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              `Workspace directory to write the manifests to. Default: ${DEFAULT_MANIFEST_TARGET_PATH}`,
            ),
        layout: z =>
          z
            .enum(['single-file', 'file-per-object'])
            .optional()
            .describe(
              'single-file: one multi-document YAML file; file-per-object: <kind>-<name>.yaml per object. Default: file-per-object',
            ),
        fileName: z =>
          z
            .string()
            .optional()
            .describe(
              `File name for the single-file layout. Default: ${DEFAULT_MANIFEST_FILE_NAME}`,
            ),
        includeShared: z =>
          z
            .boolean()
            .optional()
            .describe(
              "Also write the namespace's shared objects (Prometheus, ServiceAccount, RoleBinding, Secret). Default: true",
            ),
      },
      output: {
        entityRef: z => z.string().describe('Ref of the rendered entity'),
        cluster: z => z.string().describe('Cluster the manifests are for'),
        namespace: z => z.string().describe('Namespace of every object'),
        targetPath: z =>
          z.string().describe('Workspace directory the files were written to'),
        files: z =>
          z
            .array(z.string())
            .describe(
              'Workspace-relative paths of the written files, in apply order',
            ),
        objects: z =>
          z
            .array(
              z.object({
                apiVersion: z.string(),
                kind: z.string(),
                namespace: z.string(),
                name: z.string(),
                file: z.string(),
              }),
            )
            .describe('Every rendered object and the file it is in'),
      },
    },
    async handler(ctx) {
      const loaded = await loadEntity(ctx.workspacePath, ctx.input);
      const result = renderEntity(loaded, renderOptions, ctx.logger);
      const objects =
        ctx.input.includeShared === false ? result.perEntity : result.objects;
      const targetPath = ctx.input.targetPath || DEFAULT_MANIFEST_TARGET_PATH;
      const files = layoutManifests(objects, {
        targetPath,
        layout: ctx.input.layout ?? 'file-per-object',
        fileName: ctx.input.fileName || DEFAULT_MANIFEST_FILE_NAME,
      });

      // Resolve every destination first: one path outside the workspace fails the step before
      // any file is written.
      const destinations = files.map(file => ({
        file,
        absolutePath: resolveSafeChildPath(ctx.workspacePath, file.path),
      }));
      for (const { file, absolutePath } of destinations) {
        await mkdir(dirname(absolutePath), { recursive: true });
        await writeFile(absolutePath, file.content, 'utf8');
      }
      ctx.logger.info(
        `Rendered ${objects.length} objects of ${loaded.entityRef} for ${result.settings.cluster}/${result.settings.namespace} into ${files.length} file(s) under ${targetPath}`,
      );

      ctx.output('entityRef', loaded.entityRef);
      ctx.output('cluster', result.settings.cluster);
      ctx.output('namespace', result.settings.namespace);
      ctx.output('targetPath', targetPath);
      ctx.output(
        'files',
        files.map(f => f.path),
      );
      ctx.output(
        'objects',
        files.flatMap(file =>
          file.objects.map(o => ({
            apiVersion: o.apiVersion,
            kind: o.kind,
            namespace: o.metadata.namespace ?? result.settings.namespace,
            name: o.metadata.name,
            file: file.path,
          })),
        ),
      );
    },
  });
}
