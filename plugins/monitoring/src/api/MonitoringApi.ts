import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import {
  AlertsResponse,
  ApplyResponse,
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
 * A silence pinned to one of the entity's alerts. The backend turns it into
 * Alertmanager matchers on that alert's labels, so a user can only silence
 * alerts that belong to the entity.
 *
 * @public
 */
export interface CreateSilenceRequest {
  durationMinutes: number;
  comment: string;
  alertFingerprint?: string;
  alertName?: string;
}

/** @public */
export interface ApplyRequest {
  /** take ownership of fields another field manager owns (resolves 409 conflicts) */
  force?: boolean;
}

/**
 * Client of the monitoring backend (`/api/monitoring`). Every method is
 * scoped to one catalog entity.
 *
 * @public
 */
export interface MonitoringApi {
  getStatus(entityRef: CompoundEntityRef): Promise<StatusResponse>;
  plan(entityRef: CompoundEntityRef): Promise<PlanResponse>;
  apply(
    entityRef: CompoundEntityRef,
    request?: ApplyRequest,
  ): Promise<ApplyResponse>;
  teardown(entityRef: CompoundEntityRef): Promise<TeardownResponse>;
  getTargets(entityRef: CompoundEntityRef): Promise<TargetsResponse>;
  getAlerts(entityRef: CompoundEntityRef): Promise<AlertsResponse>;
  createSilence(
    entityRef: CompoundEntityRef,
    request: CreateSilenceRequest,
  ): Promise<SilenceInfo>;
  expireSilence(entityRef: CompoundEntityRef, silenceId: string): Promise<void>;
  queryRange(
    entityRef: CompoundEntityRef,
    request: QueryRangeRequest,
  ): Promise<QueryRangeResponse>;
}

/** @public */
export const monitoringApiRef = createApiRef<MonitoringApi>({
  id: 'plugin.monitoring.service',
});
