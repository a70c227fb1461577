import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { PartialFailure } from '@prometheus-ocs/plugin-monitoring-common';

/**
 * Sources the backend could not reach while answering (e.g. "alertmanager:
 * unreachable"); whatever the other sources returned is still shown below.
 */
export function PartialFailures(props: { failures?: PartialFailure[] }) {
  const failures = props.failures ?? [];
  if (failures.length === 0) {
    return null;
  }
  return (
    <Alert severity="warning" role="alert">
      <AlertTitle>Some data is unavailable</AlertTitle>
      {failures.map(failure => (
        <div key={`${failure.source}:${failure.message}`}>
          <strong>{failure.source}</strong>: {failure.message}
        </div>
      ))}
    </Alert>
  );
}
