import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import { InfoCard } from '@backstage/core-components';
import { StatusResponse } from '@prometheus-ocs/plugin-monitoring-common';
import { PolledAsyncState } from '../../hooks/usePolledAsync';
import { LastUpdated } from '../LastUpdated';
import { SectionError } from '../SectionMessages';
import { StateLabel } from '../StateLabel';
import { ResourcesTable } from './ResourcesTable';
import { NamespaceTenancy } from './NamespaceTenancy';
import { isRolloutReady } from '../ApplyDialog';
import { isSharedObject } from '../../utils/objects';

function replicasText(status: StatusResponse): string {
  const replicas = status.prometheus?.replicas;
  if (replicas === undefined) {
    return '–';
  }
  return replicas > 1
    ? `${replicas} (highly available)`
    : `${replicas} (single instance)`;
}

function Field(props: { label: string; children: ReactNode }) {
  return (
    <Grid item xs={6} sm={4}>
      <Typography variant="caption" color="textSecondary" component="div">
        {props.label}
      </Typography>
      <Typography variant="body2" component="div">
        {props.children}
      </Typography>
    </Grid>
  );
}

/**
 * True when at least one of the entity's own objects (Service, ServiceMonitor,
 * PrometheusRule) exists in the cluster. The namespace's shared objects do not
 * count: they already exist when another entity of the namespace is monitored,
 * and this entity still has to be enabled. The backend's `applied` (found by
 * the ownership markers) wins; without it, the expected objects decide.
 */
export function isDeployed(status: StatusResponse): boolean {
  return (
    status.applied ??
    status.objects.some(o => !isSharedObject(o) && o.state !== 'missing')
  );
}

/**
 * Overview of the entity's monitoring: the namespace's Prometheus, where it
 * runs, its rollout, and the state of every generated resource, with the
 * actions the user may take.
 */
export function StatusOverview(props: {
  state: PolledAsyncState<StatusResponse>;
  status: StatusResponse;
  /** user may apply and the backend can plan/apply here */
  canApply: boolean;
  /** user may apply and the namespace is allowed (works without the operator) */
  canTeardown: boolean;
  onApply: () => void;
  onTeardown: () => void;
}) {
  const { state, status, canApply, canTeardown, onApply, onTeardown } = props;
  const deployed = isDeployed(status);
  const outOfSync = status.objects.some(o => o.state !== 'in-sync');
  const prometheus = status.prometheus;

  let rollout;
  if (!prometheus) {
    rollout = <StateLabel tone="neutral">not deployed</StateLabel>;
  } else if (isRolloutReady(status)) {
    rollout = (
      <StateLabel tone="ok">{`${prometheus.availableReplicas} of ${prometheus.replicas} available`}</StateLabel>
    );
  } else {
    rollout = (
      <StateLabel tone="pending">{`${prometheus.availableReplicas} of ${prometheus.replicas} available`}</StateLabel>
    );
  }

  return (
    <InfoCard
      title="Prometheus"
      subheader={
        <LastUpdated
          lastUpdated={state.lastUpdated}
          loading={state.loading}
          onRefresh={state.refresh}
        />
      }
      actions={
        canApply || canTeardown ? (
          <>
            {canApply && !deployed && (
              <Button variant="contained" color="primary" onClick={onApply}>
                Enable monitoring
              </Button>
            )}
            {canApply && deployed && outOfSync && (
              <Button variant="contained" color="primary" onClick={onApply}>
                Sync
              </Button>
            )}
            {canTeardown && deployed && (
              <Button color="secondary" onClick={onTeardown}>
                Disable monitoring
              </Button>
            )}
          </>
        ) : undefined
      }
    >
      {state.error && (
        <Box mb={2}>
          <SectionError what="the status" error={state.error} stale />
        </Box>
      )}
      <Grid container spacing={2}>
        <Field label="Instance">{status.instance ?? '–'}</Field>
        <Field label="Cluster">{status.cluster ?? '–'}</Field>
        <Field label="Namespace">{status.namespace ?? '–'}</Field>
        <Field label="Replicas">{replicasText(status)}</Field>
        <Field label="Rollout">{rollout}</Field>
        <Field label="Retention">{prometheus?.retention ?? '–'}</Field>
        <Field label="Operator">
          {status.operatorInstalled === undefined && (
            <StateLabel tone="neutral">unknown</StateLabel>
          )}
          {status.operatorInstalled === true && (
            <StateLabel tone="ok">installed</StateLabel>
          )}
          {status.operatorInstalled === false && (
            <StateLabel tone="error">not installed</StateLabel>
          )}
        </Field>
      </Grid>
      {prometheus?.conditions
        .filter(condition => condition.status !== 'True')
        .map(condition => (
          <Typography
            key={condition.type}
            variant="body2"
            color="textSecondary"
            style={{ marginTop: 8 }}
          >
            {condition.type}: {condition.reason ?? condition.status}
            {condition.message ? ` — ${condition.message}` : ''}
          </Typography>
        ))}
      {(status.links?.prometheus || status.links?.alertmanager) && (
        <Box mt={2} display="flex" style={{ gap: 8 }}>
          {status.links.prometheus && (
            <Button
              size="small"
              variant="outlined"
              href={status.links.prometheus}
              target="_blank"
              rel="noopener noreferrer"
              endIcon={<OpenInNewIcon />}
            >
              Prometheus UI
            </Button>
          )}
          {status.links.alertmanager && (
            <Button
              size="small"
              variant="outlined"
              href={status.links.alertmanager}
              target="_blank"
              rel="noopener noreferrer"
              endIcon={<OpenInNewIcon />}
            >
              Alertmanager UI
            </Button>
          )}
        </Box>
      )}
      <NamespaceTenancy status={status} />
      <Box mt={2}>
        <Typography variant="subtitle2" gutterBottom>
          Resources
        </Typography>
        {!deployed && (
          <Typography variant="body2" color="textSecondary" paragraph>
            Monitoring is enabled for this entity but its resources have not
            been created in the cluster yet.
          </Typography>
        )}
        <ResourcesTable objects={status.objects} />
      </Box>
    </InfoCard>
  );
}
