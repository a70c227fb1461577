import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  SharedSettingSource,
  sharedSettingSources,
  StatusResponse,
} from '@prometheus-ocs/plugin-monitoring-common';
import { describeObject, isSharedObject } from '../../utils/objects';

/** "raised by a, b", "namespace floor", "default" — why a shared setting has its value. */
function sourceText(source: SharedSettingSource): string {
  const parts = [];
  if (source.raisedBy.length) {
    parts.push(`raised by ${source.raisedBy.join(', ')}`);
  }
  if (source.floor) parts.push('namespace floor');
  return parts.length ? parts.join('; ') : 'default';
}

/**
 * Who owns the entity's namespace and what its shared Prometheus is made of (status
 * `tenancy`, docs/tenancy.md): the owners, the shared settings and which needs raised them,
 * every entity's needs, drift on the shared objects, and a binding to another entity.
 */
export function NamespaceTenancy(props: { status: StatusResponse }) {
  const { status } = props;
  const tenancy = status.tenancy;
  if (!tenancy) return null;
  const sources = sharedSettingSources(tenancy);
  const driftedShared = status.objects.filter(
    o => isSharedObject(o) && o.state === 'drifted',
  );

  return (
    <Box mt={2}>
      <Typography variant="subtitle2" gutterBottom>
        Namespace {status.namespace}
      </Typography>
      {tenancy.boundTo && (
        <Box mb={1}>
          <Alert severity="warning">
            The objects this entity’s annotations name belong to{' '}
            {tenancy.boundTo}: they are that entity’s, and this entity cannot
            enable, read or silence through them. An administrator can change
            one backstage.io/kubernetes-id.
          </Alert>
        </Box>
      )}
      <Typography variant="body2" paragraph>
        {tenancy.open
          ? 'Open namespace: any entity owner may enable monitoring here.'
          : `Owned by ${tenancy.owners.join(
              ', ',
            )}: only their entities (and granted ones) may enable monitoring here.`}
      </Typography>
      <Typography variant="body2">
        {`Shared Prometheus "${tenancy.instance}": ${
          tenancy.effective.replicas
        } replicas (${sourceText(sources.replicas)}), retention ${
          tenancy.effective.retention
        } (${sourceText(sources.retention)}).`}
      </Typography>
      {tenancy.floor && (
        <Typography variant="body2" color="textSecondary">
          {`Namespace floor: ${[
            tenancy.floor.replicas !== undefined
              ? `${tenancy.floor.replicas} replicas`
              : undefined,
            tenancy.floor.retention !== undefined
              ? `retention ${tenancy.floor.retention}`
              : undefined,
          ]
            .filter(Boolean)
            .join(', ')}.`}
        </Typography>
      )}
      {tenancy.needs.length > 0 && (
        <Table size="small" aria-label="Needs of the namespace's entities">
          <TableHead>
            <TableRow>
              <TableCell>Entity</TableCell>
              <TableCell>Needs replicas</TableCell>
              <TableCell>Needs retention</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {tenancy.needs.map(n => (
              <TableRow key={n.entityRef}>
                <TableCell>{n.entityRef}</TableCell>
                <TableCell>{n.replicas}</TableCell>
                <TableCell>{n.retention}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {driftedShared.length > 0 && (
        <Box mt={1}>
          <Alert severity="info">
            Drift on the namespace’s shared objects:{' '}
            {driftedShared
              .map(
                o =>
                  `${describeObject(o)}${
                    o.driftedFields?.length
                      ? ` (${o.driftedFields.join(', ')})`
                      : ''
                  }`,
              )
              .join('; ')}
            . Another manager changed them; applying this entity does not
            overwrite them. Taking fields back is a namespace-owner action
            (reclaim, permission monitoring.namespace.manage).
          </Alert>
        </Box>
      )}
    </Box>
  );
}
