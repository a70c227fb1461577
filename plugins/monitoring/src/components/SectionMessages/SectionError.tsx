import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  errorMessage,
  isClusterRefusal,
  isForbidden,
  serverMessage,
} from '../../utils/errors';
import { ClusterRefusal } from './ClusterRefusal';

/**
 * The error of one section (targets, alerts, a graph...). Rendered inside the
 * section so the rest of the page keeps working.
 */
export function SectionError(props: {
  /** what failed to load, e.g. "targets" */
  what: string;
  error: Error;
  /** the section still shows data from an earlier refresh */
  stale?: boolean;
}) {
  const { what, error, stale } = props;
  if (isClusterRefusal(error)) {
    return <ClusterRefusal what={`see ${what}`} error={error} />;
  }
  if (isForbidden(error)) {
    return (
      <Alert severity="warning" role="alert">
        <AlertTitle>Not allowed</AlertTitle>
        You do not have permission to view the {what} of this entity.
        {serverMessage(error) && ` (${serverMessage(error)})`}
      </Alert>
    );
  }
  return (
    <Alert severity={stale ? 'warning' : 'error'} role="alert">
      <AlertTitle>
        {stale
          ? `Could not refresh ${what}; showing earlier data`
          : `Could not load ${what}`}
      </AlertTitle>
      {errorMessage(error)}
    </Alert>
  );
}
