import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { Progress } from '@backstage/core-components';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ApplyResponse } from '@prometheus-ocs/plugin-monitoring-common';
import { MonitoringApi } from '../../api';
import { usePolledAsync } from '../../hooks/usePolledAsync';
import { OptInReminder } from '../OptInReminder';
import { ActionError, SectionError } from '../SectionMessages';
import { ApplyResultView } from './ApplyResultView';
import { PlanView } from './PlanView';

/** Default time between status polls while waiting for the rollout. */
export const ROLLOUT_POLL_INTERVAL_MS = 3000;

/**
 * Enable or sync monitoring: computes a plan (nothing written), shows the
 * diff and the YAML of every object, applies on confirmation and then follows
 * the Prometheus rollout until its replicas are available.
 */
export function ApplyDialog(props: {
  api: MonitoringApi;
  entityRef: CompoundEntityRef;
  title: string;
  /** called on close; `changed` when something was applied */
  onClose: (changed: boolean) => void;
  pollIntervalMs?: number;
  /** the entity has not opted in: plan and apply it anyway (one-click enable) */
  ignoreOptIn?: boolean;
}) {
  const { api, entityRef, title, onClose, ignoreOptIn } = props;
  const pollIntervalMs = props.pollIntervalMs ?? ROLLOUT_POLL_INTERVAL_MS;
  // loaded once (no polling): the plan is what Apply will write
  const plan = usePolledAsync(
    () => api.plan(entityRef, ignoreOptIn ? { ignoreOptIn } : undefined),
    `plan:${stringifyEntityRef(entityRef)}:${!!ignoreOptIn}`,
    0,
  );
  const [tab, setTab] = useState(0);
  const [applying, setApplying] = useState(false);
  const [applyError, setApplyError] = useState<Error>();
  const [result, setResult] = useState<ApplyResponse>();

  const apply = async (force: boolean) => {
    setApplying(true);
    setApplyError(undefined);
    try {
      setResult(
        await api.apply(entityRef, {
          force,
          ...(ignoreOptIn ? { ignoreOptIn } : {}),
        }),
      );
    } catch (e) {
      setApplyError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setApplying(false);
    }
  };

  const hasConflicts = result?.objects.some(o => o.result === 'conflict');
  const nothingToDo = plan.value?.objects.every(o => o.action === 'unchanged');

  let content;
  if (result) {
    content = (
      <ApplyResultView
        api={api}
        entityRef={entityRef}
        result={result}
        pollIntervalMs={pollIntervalMs}
      />
    );
  } else if (plan.loading) {
    content = <Progress />;
  } else if (plan.error) {
    content = <SectionError what="the plan" error={plan.error} />;
  } else if (plan.value) {
    content = (
      <PlanView
        plan={plan.value}
        entityRef={entityRef}
        tab={tab}
        onTabChange={setTab}
      />
    );
  }

  return (
    <Dialog
      open
      onClose={() => onClose(!!result)}
      maxWidth="md"
      fullWidth
      aria-labelledby="monitoring-apply-title"
    >
      <DialogTitle id="monitoring-apply-title">{title}</DialogTitle>
      <DialogContent dividers>
        {ignoreOptIn && (
          <Box mb={2}>
            <OptInReminder title="This entity has not opted in" />
          </Box>
        )}
        {content}
        {applyError && (
          <Box mt={2}>
            <ActionError action="apply the resources" error={applyError} />
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(!!result)}>
          {result ? 'Close' : 'Cancel'}
        </Button>
        {plan.error && !result && <Button onClick={plan.refresh}>Retry</Button>}
        {!result && plan.value && (
          <Button
            color="primary"
            variant="contained"
            disabled={applying || nothingToDo}
            onClick={() => apply(false)}
          >
            {applying ? 'Applying…' : 'Apply'}
          </Button>
        )}
        {result && !result.ok && (
          <Button
            color="primary"
            variant="contained"
            disabled={applying}
            onClick={() => apply(!!hasConflicts)}
          >
            {hasConflicts ? 'Apply with force' : 'Retry apply'}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
