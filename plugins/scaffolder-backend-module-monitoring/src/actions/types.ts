/*
 * The inputs and outputs of the three actions, spelled out. The actions' zod schemas stay the
 * source of validation; these types give the exported signatures a fixed form, because types
 * inferred from zod print their unions in whatever order the compiler met them, which made the
 * API report differ between an incremental and a full build.
 */

/**
 * Inputs of `monitoring:render` and `monitoring:apply` that say which entity to use.
 *
 * @public
 */
export type MonitoringEntitySourceInput = {
  entity?: Record<string | number | symbol, any> | undefined;
  catalogInfoPath?: string | undefined;
  entityKind?: string | undefined;
  entityName?: string | undefined;
};

/**
 * Input of `monitoring:annotate`.
 *
 * @public
 */
export type MonitoringAnnotateActionInput = {
  catalogInfoPath?: string | undefined;
  entityKind?: string | undefined;
  entityName?: string | undefined;
  enabled?: boolean | undefined;
  port?: string | number | undefined;
  path?: string | undefined;
  interval?: string | undefined;
  instance?: string | undefined;
  replicas?: string | number | undefined;
  retention?: string | undefined;
  alertRules?: string | Record<string, any>[] | undefined;
  kubernetesId?: string | undefined;
  kubernetesNamespace?: string | undefined;
  kubernetesLabelSelector?: string | undefined;
  kubernetesCluster?: string | undefined;
};

/**
 * Output of `monitoring:annotate`.
 *
 * @public
 */
export type MonitoringAnnotateActionOutput = {
  entityRef: string;
  catalogInfoPath: string;
  annotations: Record<string, string>;
  namespace: string;
  cluster: string;
  kubernetesId: string;
};

/**
 * Input of `monitoring:render`.
 *
 * @public
 */
export type MonitoringRenderActionInput = MonitoringEntitySourceInput & {
  targetPath?: string | undefined;
  layout?: 'single-file' | 'file-per-object' | undefined;
  fileName?: string | undefined;
  includeShared?: boolean | undefined;
};

/**
 * Output of `monitoring:render`.
 *
 * @public
 */
export type MonitoringRenderActionOutput = {
  entityRef: string;
  cluster: string;
  namespace: string;
  targetPath: string;
  files: string[];
  objects: {
    apiVersion: string;
    kind: string;
    namespace: string;
    name: string;
    file: string;
  }[];
};

/**
 * Input of `monitoring:apply`.
 *
 * @public
 */
export type MonitoringApplyActionInput = MonitoringEntitySourceInput & {
  dryRun?: boolean | undefined;
};

/**
 * Output of `monitoring:apply`.
 *
 * @public
 */
export type MonitoringApplyActionOutput = {
  entityRef: string;
  cluster: string;
  namespace: string;
  dryRun: boolean;
  ok: boolean;
  objects: {
    apiVersion: string;
    kind: string;
    namespace?: string | undefined;
    name: string;
    result:
      | 'created'
      | 'updated'
      | 'unchanged'
      | 'conflict'
      | 'failed'
      | 'skipped';
    message?: string | undefined;
  }[];
};
