import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { StatusResponse } from '@prometheus-ocs/plugin-monitoring-common';

function location(status: StatusResponse): string {
  const namespace = status.namespace ? `namespace "${status.namespace}"` : '';
  const cluster = status.cluster ? `cluster "${status.cluster}"` : '';
  return [namespace, cluster].filter(Boolean).join(' of ') || 'its namespace';
}

/**
 * Reasons the product cannot act for this entity, decided by the backend:
 * the namespace is not allowed by config, or prometheus-operator's CRDs are
 * missing in the cluster.
 */
export function StatusNotices(props: { status: StatusResponse }) {
  const { status } = props;
  return (
    <>
      {!status.allowed && (
        <Alert severity="warning" role="alert">
          <AlertTitle>Monitoring is not allowed here</AlertTitle>
          Prometheus OCS may not manage resources in {location(status)}. A
          Backstage administrator decides where it may act: the namespace must
          be listed under <code>monitoring.clusters[].allowedNamespaces</code>{' '}
          in app-config.
        </Alert>
      )}
      {status.operatorInstalled === false && (
        <Alert severity="warning" role="alert">
          <AlertTitle>Prometheus operator not installed</AlertTitle>
          The monitoring.coreos.com API is missing in cluster "
          {status.cluster ?? 'unknown'}". Install prometheus-operator there
          before enabling monitoring.
        </Alert>
      )}
    </>
  );
}
