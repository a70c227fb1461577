import { ReactNode, useState } from 'react';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { Progress } from '@backstage/core-components';
import { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import { StatusResponse } from '@prometheus-ocs/plugin-monitoring-common';
import { MonitoringApi } from '../../api';
import { PolledAsyncState } from '../../hooks/usePolledAsync';
import { isForbidden } from '../../utils/errors';
import { AnnotationProblemsPanel } from '../AnnotationProblems';
import { ApplyDialog } from '../ApplyDialog';
import { NotOptedInState } from '../NotOptedInState';
import { PreviewDialog } from '../PreviewDialog';
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
  entity: Entity;
  entityRef: CompoundEntityRef;
  state: PolledAsyncState<StatusResponse>;
  canApply: boolean;
  variant: 'page' | 'card';
  rolloutPollIntervalMs?: number;
  layout?: (overview: ReactNode) => ReactNode;
}) {
  const { api, entity, entityRef, state, canApply, variant, layout } = props;
  const [dialog, setDialog] = useState<'apply' | 'teardown' | 'preview'>();
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
  const canPlan =
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
      {problems.length === 0 && <StatusNotices status={status} />}
    </>
  );

  const overview = (
    <StatusOverview
      state={state}
      status={status}
      canApply={canPlan}
      canTeardown={canApply && status.allowed}
      onApply={() => setDialog('apply')}
      onTeardown={() => setDialog('teardown')}
    />
  );
  let body: ReactNode;
  if (!status.enabled && !deployed) {
    body = (
      <NotOptedInState
        entityName={entityRef.name}
        onPreview={() => setDialog('preview')}
        onEnable={canPlan ? () => setDialog('apply') : undefined}
        variant={variant}
      />
    );
  } else if (!deployed && (problems.length > 0 || !status.allowed)) {
    // nothing can be planned here until the annotations or the config change;
    // the notices above say which
    body = null;
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
          ignoreOptIn={!status.enabled}
        />
      )}
      {dialog === 'preview' && (
        <PreviewDialog
          api={api}
          entity={entity}
          onClose={() => setDialog(undefined)}
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
