import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  errorMessage,
  isClusterRefusal,
  isForbidden,
  serverMessage,
} from '../../utils/errors';
import { ClusterRefusal } from './ClusterRefusal';

/** The failure of something the user did, e.g. "apply the resources". */
export function ActionError(props: { action: string; error: Error }) {
  const { action, error } = props;
  if (isClusterRefusal(error)) {
    return <ClusterRefusal what={action} error={error} />;
  }
  return (
    <Alert severity="error" role="alert">
      <AlertTitle>Could not {action}</AlertTitle>
      {isForbidden(error)
        ? `You are not allowed to ${action} for this entity.${
            serverMessage(error) ? ` (${serverMessage(error)})` : ''
          }`
        : errorMessage(error)}
    </Alert>
  );
}
