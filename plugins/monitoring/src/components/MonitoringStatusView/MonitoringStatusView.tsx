import { ReactNode, useState } from 'react';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { Progress } from '@backstage/core-components';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { StatusResponse } from '@prometheus-ocs/plugin-monitoring-common';
import { MonitoringApi } from '../../api';
import { PolledAsyncState } from '../../hooks/usePolledAsync';
import { isForbidden } from '../../utils/errors';
import { MONITORING_ENABLED_ANNOTATION } from '../../annotations';
import { AnnotationProblemsPanel } from '../AnnotationProblems';
import { ApplyDialog } from '../ApplyDialog';
import { NotOptedInState } from '../NotOptedInState';
import { SectionError } from '../SectionMessages';
import { StatusNotices } from '../StatusNotices';
import { StatusOverview, isDeployed } from '../StatusCard/StatusOverview';
import { TeardownDialog } from '../TeardownDialog';

/**
 * Decides what the entity's monitoring looks like from its status (loading,
 * forbidden, invalid annotations, not allowed, not opted in, deployed) and
 * owns the enable/sync and disable dialogs. Once resources exist, `layout`
 * places the overview among further sections (the tab's targets, alerts and
 * graphs).
 */
export function MonitoringStatusView(props: {
  api: MonitoringApi;
  entityRef: CompoundEntityRef;
  state: PolledAsyncState<StatusResponse>;
  canApply: boolean;
  variant: 'page' | 'card';
  rolloutPollIntervalMs?: number;
  layout?: (overview: ReactNode) => ReactNode;
}) {
  const { api, entityRef, state, canApply, variant, layout } = props;
  const [dialog, setDialog] = useState<'apply' | 'teardown'>();
  const status = state.value;

  if (!status) {
    if (state.error) {
      if (isForbidden(state.error)) {
        return (
          <Alert severity="warning" role="alert">
            <AlertTitle>Not allowed</AlertTitle>
            You do not have permission to view monitoring for this entity
            (monitoring.entity.read). Ask its owners for access.
          </Alert>
        );
      }
      return <SectionError what="the monitoring status" error={state.error} />;
    }
    return <Progress />;
  }

  const deployed = isDeployed(status);
  const problems = status.problems ?? [];
  // actions need the permission and a backend that is able to act here
  const canAct =
    canApply &&
    status.allowed &&
    status.operatorInstalled !== false &&
    problems.length === 0;

  const closeDialog = (changed: boolean) => {
    setDialog(undefined);
    if (changed) {
      state.refresh();
    }
  };

  const notices = (
    <>
      <AnnotationProblemsPanel problems={problems} />
      <StatusNotices status={status} />
      {!status.enabled && deployed && (
        <Alert severity="info">
          The entity does not opt in with{' '}
          <code>{MONITORING_ENABLED_ANNOTATION}: "true"</code>, but monitoring
          resources exist for it. Add the annotation to keep them, or disable
          monitoring to remove them.
        </Alert>
      )}
    </>
  );

  const overview = (
    <StatusOverview
      state={state}
      status={status}
      canApply={canAct}
      onApply={() => setDialog('apply')}
      onTeardown={() => setDialog('teardown')}
    />
  );
  let body: ReactNode;
  if (!status.enabled && !deployed) {
    body = (
      <NotOptedInState
        entityName={entityRef.name}
        canEnable={canAct}
        onEnable={() => setDialog('apply')}
        variant={variant}
      />
    );
  } else if (deployed && layout) {
    body = layout(overview);
  } else {
    body = overview;
  }

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      {notices}
      {body}
      {dialog === 'apply' && (
        <ApplyDialog
          api={api}
          entityRef={entityRef}
          title={deployed ? 'Sync monitoring resources' : 'Enable monitoring'}
          onClose={closeDialog}
          pollIntervalMs={props.rolloutPollIntervalMs}
        />
      )}
      {dialog === 'teardown' && (
        <TeardownDialog
          api={api}
          entityRef={entityRef}
          status={status}
          onClose={closeDialog}
        />
      )}
    </Box>
  );
}
