import Alert from '@material-ui/lab/Alert';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ApplyResponse } from '@prometheus-ocs/plugin-monitoring-common';
import { MonitoringApi } from '../../api';
import { ApplyResultTable } from './ApplyResultTable';
import { RolloutProgress } from './RolloutProgress';

/** The outcome of an apply: per-object results, then the Prometheus rollout when it succeeded. */
export function ApplyResultView(props: {
  api: MonitoringApi;
  entityRef: CompoundEntityRef;
  result: ApplyResponse;
  pollIntervalMs: number;
}) {
  const { api, entityRef, result, pollIntervalMs } = props;
  const hasConflicts = result.objects.some(o => o.result === 'conflict');
  return (
    <>
      {result.ok ? (
        <Alert severity="success">Applied to cluster "{result.cluster}".</Alert>
      ) : (
        <Alert severity="error" role="alert">
          Some objects could not be applied; see the messages below.
          {hasConflicts &&
            ' Conflicts mean another tool manages these fields; apply with force to take them over.'}
        </Alert>
      )}
      <ApplyResultTable objects={result.objects} />
      {result.ok && (
        <RolloutProgress
          api={api}
          entityRef={entityRef}
          pollIntervalMs={pollIntervalMs}
        />
      )}
    </>
  );
}
