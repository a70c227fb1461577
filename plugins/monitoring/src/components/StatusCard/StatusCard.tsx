import { useEntityMonitoring } from '../../hooks/useEntityMonitoring';
import { useMonitoringPermissions } from '../../hooks/useMonitoringPermissions';
import {
  DEFAULT_REFRESH_INTERVAL_MS,
  usePolledAsync,
} from '../../hooks/usePolledAsync';
import { MonitoringStatusView } from '../MonitoringStatusView';

/** @public */
export interface StatusCardProps {
  /** auto-refresh period; 0 turns auto-refresh off */
  refreshIntervalMs?: number;
}

/**
 * Entity overview card: the namespace's Prometheus, its rollout and the
 * state of every generated resource, with enable/sync/disable for users
 * allowed to apply.
 */
export function StatusCard(props: StatusCardProps) {
  const { entity, api, entityRef, entityRefString } = useEntityMonitoring();
  const state = usePolledAsync(
    () => api.getStatus(entityRef),
    entityRefString,
    props.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS,
  );
  const { canApply } = useMonitoringPermissions(entity);
  return (
    <MonitoringStatusView
      api={api}
      entity={entity}
      entityRef={entityRef}
      state={state}
      canApply={canApply}
      variant="card"
    />
  );
}
