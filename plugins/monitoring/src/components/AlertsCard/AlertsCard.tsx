import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  AlertInfo,
  CreateSilenceRequest,
} from '@prometheus-ocs/plugin-monitoring-common';
import { useEntityMonitoring } from '../../hooks/useEntityMonitoring';
import { useMonitoringPermissions } from '../../hooks/useMonitoringPermissions';
import { useOverviewSection } from '../../hooks/useEntityOverview';
import { DEFAULT_REFRESH_INTERVAL_MS } from '../../hooks/usePolledAsync';
import { PolledSectionCard } from '../PolledSectionCard';
import { ActionError } from '../SectionMessages';
import { AlertsTable } from './AlertsTable';
import { SilenceDialog } from './SilenceDialog';
import { SilencesTable } from './SilencesTable';

/** @public */
export interface AlertsCardProps {
  /** auto-refresh period; 0 turns auto-refresh off */
  refreshIntervalMs?: number;
}

/**
 * The entity's Prometheus alerts and Alertmanager silences. Users with
 * monitoring.silence.create can silence an alert or expire a silence.
 */
export function AlertsCard(props: AlertsCardProps) {
  const { entity, api, entityRef } = useEntityMonitoring();
  const { canSilence } = useMonitoringPermissions(entity);
  const state = useOverviewSection(
    'alerts',
    () => api.getAlerts(entityRef),
    props.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS,
  );
  const [silencing, setSilencing] = useState<AlertInfo>();
  const [actionError, setActionError] = useState<Error>();
  const value = state.value;
  const now = state.lastUpdated?.getTime() ?? Date.now();

  const createSilence = async (request: CreateSilenceRequest) => {
    await api.createSilence(entityRef, request);
    setSilencing(undefined);
    state.refresh();
  };

  const expire = async (silenceIds: string[]) => {
    setActionError(undefined);
    try {
      for (const id of silenceIds) {
        await api.expireSilence(entityRef, id);
      }
    } catch (e) {
      setActionError(e instanceof Error ? e : new Error(String(e)));
    }
    state.refresh();
  };

  const firing = value?.alerts.filter(a => a.state === 'firing').length;
  const pending = value?.alerts.filter(a => a.state === 'pending').length;

  return (
    <PolledSectionCard
      title="Alerts"
      what="alerts"
      state={state}
      notices={
        actionError && (
          <ActionError action="expire the silence" error={actionError} />
        )
      }
      extra={
        silencing && (
          <SilenceDialog
            alert={silencing}
            onSubmit={createSilence}
            onClose={() => setSilencing(undefined)}
          />
        )
      }
    >
      {value && (
        <>
          <Typography variant="body2" aria-label="Alert counts">
            {firing} firing, {pending} pending
          </Typography>
          <AlertsTable
            alerts={value.alerts}
            now={now}
            canSilence={canSilence}
            onSilence={setSilencing}
            onExpire={expire}
          />
          {value.silences.length > 0 && (
            <Box mt={2}>
              <Typography variant="subtitle2" gutterBottom>
                Silences
              </Typography>
              <SilencesTable
                silences={value.silences}
                now={now}
                canExpire={canSilence}
                onExpire={expire}
              />
            </Box>
          )}
        </>
      )}
    </PolledSectionCard>
  );
}
