import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  getNamespaceDenialReason,
  InvalidAnnotationsError,
  MONITORING_ANNOTATIONS,
  MonitoringSettings,
  parseMonitoringAnnotations,
  RenderOptions,
} from '@prometheus-ocs/plugin-monitoring-common';
import { stringify } from 'yaml';
import type {
  MonitoringAnnotateActionInput,
  MonitoringAnnotateActionOutput,
} from '../actions/types';
import {
  readCatalogInfoFile,
  selectCatalogInfoEntity,
  writeCatalogInfoFile,
} from './catalogInfoFile';
import { DEFAULT_CATALOG_INFO_PATH } from './loadEntity';
import { logProblems } from './logProblems';
import { setAnnotations } from './setAnnotations';

/** Inputs that set one annotation each, named after it. */
const ANNOTATION_INPUTS = {
  port: MONITORING_ANNOTATIONS.port,
  path: MONITORING_ANNOTATIONS.path,
  interval: MONITORING_ANNOTATIONS.interval,
  instance: MONITORING_ANNOTATIONS.instance,
  replicas: MONITORING_ANNOTATIONS.replicas,
  retention: MONITORING_ANNOTATIONS.retention,
  alertRules: MONITORING_ANNOTATIONS.alertRules,
  kubernetesId: MONITORING_ANNOTATIONS.kubernetesId,
  kubernetesNamespace: MONITORING_ANNOTATIONS.kubernetesNamespace,
  kubernetesLabelSelector: MONITORING_ANNOTATIONS.kubernetesLabelSelector,
  kubernetesCluster: MONITORING_ANNOTATIONS.kubernetesCluster,
} as const;

const MONITORING_ANNOTATION_NAMES = new Set<string>(
  Object.values(MONITORING_ANNOTATIONS),
);

type AnnotateContext = ActionContext<
  MonitoringAnnotateActionInput,
  MonitoringAnnotateActionOutput,
  'v2'
>;

/**
 * The work of `monitoring:annotate` (see createMonitoringAnnotateAction): sets the annotations the
 * inputs ask for in the workspace descriptor, validates the result, writes it and sets the outputs.
 */
export async function annotateCatalogInfo(
  ctx: AnnotateContext,
  renderOptions: RenderOptions,
): Promise<void> {
  const path = ctx.input.catalogInfoPath || DEFAULT_CATALOG_INFO_PATH;
  const file = await readCatalogInfoFile(ctx.workspacePath, path);
  const selected = selectCatalogInfoEntity(file, {
    kind: ctx.input.entityKind || undefined,
    name: ctx.input.entityName || undefined,
  });
  const source = `${path} (${selected.entityRef})`;

  const updates = annotationUpdates(ctx.input);
  setAnnotations(selected.document, updates, source);

  // Validate exactly what will be written, with the renderer's own parser.
  const entity = selected.document.toJS();
  const settings = validateAnnotatedEntity(ctx, entity, renderOptions, source);
  warnIfNamespaceDenied(ctx, settings, renderOptions, selected.entityRef);

  await writeCatalogInfoFile(file);
  ctx.logger.info(
    `Annotated ${selected.entityRef} in ${path}: ${Object.keys(updates).join(
      ', ',
    )}`,
  );

  ctx.output('entityRef', selected.entityRef);
  ctx.output('catalogInfoPath', path);
  ctx.output('annotations', monitoringAnnotationsOf(entity));
  ctx.output('namespace', settings.namespace);
  ctx.output('cluster', settings.cluster);
  ctx.output('kubernetesId', settings.kubernetesId);
}

/** The annotations the inputs set: `enabled` always, every other one only when given. */
function annotationUpdates(
  input: MonitoringAnnotateActionInput,
): Record<string, string> {
  const updates: Record<string, string> = {
    [MONITORING_ANNOTATIONS.enabled]: String(input.enabled ?? true),
  };
  for (const [name, annotation] of Object.entries(ANNOTATION_INPUTS)) {
    const value = input[name as keyof typeof ANNOTATION_INPUTS];
    // Unset and empty inputs (optional template parameters left blank) keep what is there.
    if (value === undefined || value === null || value === '') {
      continue;
    }
    updates[annotation] =
      typeof value === 'string' || typeof value === 'number'
        ? String(value)
        : stringify(value, { lineWidth: 0 });
  }
  return updates;
}

/** The entity's settings, or an InvalidAnnotationsError (after logging each problem) when invalid. */
function validateAnnotatedEntity(
  ctx: AnnotateContext,
  entity: any,
  renderOptions: RenderOptions,
  source: string,
): MonitoringSettings {
  const { settings, problems } = parseMonitoringAnnotations(
    entity,
    renderOptions,
  );
  if (!settings || problems.length > 0) {
    logProblems(ctx.logger, source, problems);
    throw new InvalidAnnotationsError(problems);
  }
  return settings;
}

function warnIfNamespaceDenied(
  ctx: AnnotateContext,
  settings: MonitoringSettings,
  renderOptions: RenderOptions,
  entityRef: string,
): void {
  const denial = getNamespaceDenialReason(
    renderOptions,
    settings.cluster,
    settings.namespace,
  );
  if (denial) {
    // Not fatal here: the descriptor is valid, but monitoring:render/apply will refuse it.
    ctx.logger.warn(`${entityRef}: ${denial}`);
  }
}

/** The entity's monitoring annotations, sorted by name, for the action's output. */
function monitoringAnnotationsOf(entity: any): Record<string, string> {
  return Object.fromEntries(
    Object.entries(entity.metadata.annotations as Record<string, string>)
      .filter(([key]) => MONITORING_ANNOTATION_NAMES.has(key))
      .sort(([a], [b]) => a.localeCompare(b, 'en')),
  );
}
