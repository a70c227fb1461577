import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { ResponseError } from '@backstage/errors';
import { serverMessage } from '../../utils/errors';

/**
 * A user-delegated cluster refused the signed-in user: its own RBAC (403, the message names the
 * user and verb), or no usable cluster token reached it (401). Shown as the cluster's answer, so
 * nobody goes looking for a Backstage permission.
 */
export function ClusterRefusal(props: { what: string; error: Error }) {
  const { what, error } = props;
  const signIn = ResponseError.is(error) && error.statusCode === 401;
  return (
    <Alert severity="warning" role="alert">
      <AlertTitle>
        {signIn
          ? `Sign in to the cluster to ${what}`
          : `The cluster refused to let you ${what}`}
      </AlertTitle>
      This cluster acts as you: its own access rules decide, not Backstage.{' '}
      {serverMessage(error)}
    </Alert>
  );
}
