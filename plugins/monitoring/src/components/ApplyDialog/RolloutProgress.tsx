import { useEffect, useState } from 'react';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { StatusResponse } from '@prometheus-ocs/plugin-monitoring-common';
import { MonitoringApi } from '../../api';
import { usePolledAsync } from '../../hooks/usePolledAsync';
import { StateLabel } from '../StateLabel';
import { SectionError } from '../SectionMessages';

/** The operator reports the StatefulSet's ready pods on the Prometheus CR. */
export function isRolloutReady(status: StatusResponse | undefined): boolean {
  const prometheus = status?.prometheus;
  return (
    !!prometheus &&
    prometheus.replicas > 0 &&
    prometheus.availableReplicas >= prometheus.replicas
  );
}

/**
 * Live progress after an apply: polls the entity's status until the
 * namespace's Prometheus has all its replicas available, then stops.
 */
export function RolloutProgress(props: {
  api: MonitoringApi;
  entityRef: CompoundEntityRef;
  pollIntervalMs: number;
}) {
  const { api, entityRef, pollIntervalMs } = props;
  const [done, setDone] = useState(false);
  const status = usePolledAsync(
    () => api.getStatus(entityRef),
    `rollout:${stringifyEntityRef(entityRef)}`,
    done ? 0 : pollIntervalMs,
  );
  const ready = isRolloutReady(status.value);
  useEffect(() => {
    // stop polling once the rollout is complete
    if (ready) {
      setDone(true);
    }
  }, [ready]);

  const prometheus = status.value?.prometheus;
  const instance = status.value?.instance ?? 'Prometheus';

  if (ready && prometheus) {
    return (
      <Box mt={2} role="status">
        <StateLabel tone="ok">
          {`Prometheus "${instance}" is ready: ${prometheus.availableReplicas} of ${prometheus.replicas} replicas available`}
        </StateLabel>
      </Box>
    );
  }

  const failing = prometheus?.conditions.filter(c => c.status === 'False');
  return (
    <Box mt={2} role="status">
      <Typography variant="subtitle2" gutterBottom>
        {prometheus
          ? `Rolling out Prometheus "${instance}": ${prometheus.availableReplicas} of ${prometheus.replicas} replicas available`
          : 'Waiting for prometheus-operator to pick up the Prometheus resource…'}
      </Typography>
      <LinearProgress
        variant={prometheus?.replicas ? 'determinate' : 'indeterminate'}
        value={
          prometheus?.replicas
            ? (100 * prometheus.availableReplicas) / prometheus.replicas
            : undefined
        }
      />
      {failing?.map(condition => (
        <Typography key={condition.type} variant="body2" color="textSecondary">
          {condition.type}: {condition.reason ?? 'False'}
          {condition.message ? ` — ${condition.message}` : ''}
        </Typography>
      ))}
      {status.error && (
        <Box mt={1}>
          <SectionError what="rollout status" error={status.error} stale />
        </Box>
      )}
    </Box>
  );
}
