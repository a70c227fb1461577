import { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import {
  AlertsResponse,
  ApplyResponse,
  CreateSilenceRequest,
  KubeObject,
  MonitoringSettings,
  PlanResponse,
  QueryRangeResponse,
  SilenceInfo,
  StatusResponse,
  TargetsResponse,
  TeardownResponse,
} from '@prometheus-ocs/plugin-monitoring-common';

/**
 * The default graph panels the backend knows how to query. The backend owns
 * the PromQL so that queries stay scoped to the entity's namespace.
 *
 * @public
 */
export type QueryRangePanel = 'up' | 'request_rate' | 'error_rate';

/** @public */
export interface QueryRangeRequest {
  panel: QueryRangePanel;
  /** unix seconds */
  start: number;
  /** unix seconds */
  end: number;
  /** resolution in seconds */
  step: number;
}

/**
 * What `POST /render` answers: the manifests an entity renders to, without
 * contacting any cluster.
 *
 * @public
 */
export interface RenderPreview {
  entityRef: string;
  settings: MonitoringSettings;
  objects: KubeObject[];
  /** multi-document YAML of `objects` */
  yaml: string;
}

/** @public */
export interface PlanRequest {
  /**
   * plan an entity that has not opted in (no `prometheus-ocs.io/enabled: "true"`), for the
   * tab's one-click enable; also needed to re-sync such an entity
   */
  ignoreOptIn?: boolean;
}

/** @public */
export interface ApplyRequest extends PlanRequest {
  /** take ownership of fields another field manager owns (resolves 409 conflicts) */
  force?: boolean;
}

/**
 * One section of an {@link EntityOverview}: its answer, or the error its own
 * endpoint would have thrown (a ResponseError with the backend's status).
 *
 * @public
 */
export type OverviewSectionResult<T> =
  | { value: T; error?: undefined }
  | { value?: undefined; error: Error };

/**
 * What the Monitoring tab shows when it opens, fetched in one request: status,
 * targets, alerts and the graph panels asked for (over the default window,
 * `DEFAULT_GRAPH_RANGE_SECONDS`).
 *
 * @public
 */
export interface EntityOverview {
  status: OverviewSectionResult<StatusResponse>;
  targets: OverviewSectionResult<TargetsResponse>;
  alerts: OverviewSectionResult<AlertsResponse>;
  /**
   * The panels asked for in {@link OverviewRequest.graphs}; a panel the backend
   * (or another implementation of this API) did not answer is absent, and the
   * tab's graph panel then loads it with `queryRange`.
   */
  graphs?: Partial<
    Record<QueryRangePanel, OverviewSectionResult<QueryRangeResponse>>
  >;
}

/** @public */
export interface OverviewRequest {
  /** graph panels to include, over the default window */
  graphs?: QueryRangePanel[];
}

/**
 * Client of the monitoring backend (`/api/monitoring`). Every method is
 * scoped to one catalog entity.
 *
 * @public
 */
export interface MonitoringApi {
  getStatus(entityRef: CompoundEntityRef): Promise<StatusResponse>;
  plan(
    entityRef: CompoundEntityRef,
    request?: PlanRequest,
  ): Promise<PlanResponse>;
  apply(
    entityRef: CompoundEntityRef,
    request?: ApplyRequest,
  ): Promise<ApplyResponse>;
  teardown(entityRef: CompoundEntityRef): Promise<TeardownResponse>;
  getTargets(entityRef: CompoundEntityRef): Promise<TargetsResponse>;
  getAlerts(entityRef: CompoundEntityRef): Promise<AlertsResponse>;
  /**
   * Status, targets, alerts and the default window of the graph panels asked
   * for, in one request (what the Monitoring tab polls); each section succeeds
   * or fails on its own.
   */
  getOverview(
    entityRef: CompoundEntityRef,
    request?: OverviewRequest,
  ): Promise<EntityOverview>;
  createSilence(
    entityRef: CompoundEntityRef,
    request: CreateSilenceRequest,
  ): Promise<SilenceInfo>;
  expireSilence(entityRef: CompoundEntityRef, silenceId: string): Promise<void>;
  queryRange(
    entityRef: CompoundEntityRef,
    request: QueryRangeRequest,
  ): Promise<QueryRangeResponse>;
  /**
   * Renders the manifests the entity would get if it opted in; no cluster
   * is contacted and nothing is written.
   */
  previewResources(entity: Entity): Promise<RenderPreview>;
}

/** @public */
export const monitoringApiRef = createApiRef<MonitoringApi>({
  id: 'plugin.monitoring.service',
});
