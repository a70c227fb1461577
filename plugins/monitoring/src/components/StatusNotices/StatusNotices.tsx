import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { StatusResponse } from '@prometheus-ocs/plugin-monitoring-common';
import { OptInReminder } from '../OptInReminder';
import { isDeployed } from '../StatusCard/StatusOverview';

function location(status: StatusResponse): string {
  const namespace = status.namespace ? `namespace "${status.namespace}"` : '';
  const cluster = status.cluster ? `cluster "${status.cluster}"` : '';
  return [namespace, cluster].filter(Boolean).join(' of ') || 'its namespace';
}

/**
 * What the user should know before acting, decided by the backend: the
 * namespace is not allowed by config, prometheus-operator's CRDs are missing,
 * the cluster could not be asked, or monitoring runs without the opt-in
 * annotation.
 */
export function StatusNotices(props: { status: StatusResponse }) {
  const { status } = props;
  const runsWithoutOptIn = !status.enabled && isDeployed(status);
  return (
    <>
      {status.actsAsUser && (
        <Alert severity="info">
          <AlertTitle>Changes run as you</AlertTitle>
          Cluster "{status.cluster}" sees the signed-in user (
          {status.actsAsUser.authProvider}): planning, enabling and removing
          monitoring use your own cluster credentials, and the cluster's access
          rules decide what you may do.
        </Alert>
      )}
      {status.clusterError && (
        <Alert severity="warning" role="alert">
          <AlertTitle>Could not check the cluster</AlertTitle>
          Whether monitoring resources of this entity exist in cluster "
          {status.cluster ?? 'unknown'}" is unknown: {status.clusterError}
        </Alert>
      )}
      {runsWithoutOptIn && (
        <OptInReminder title="Monitoring is enabled without the opt-in annotation" />
      )}
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
