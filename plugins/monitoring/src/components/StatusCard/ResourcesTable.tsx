import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  ObjectState,
  StatusResponse,
} from '@prometheus-ocs/plugin-monitoring-common';
import { StateLabel, StateTone } from '../StateLabel';
import { objectKey } from '../../utils/objects';

const STATE: Record<ObjectState, { tone: StateTone; label: string }> = {
  'in-sync': { tone: 'ok', label: 'in sync' },
  drifted: { tone: 'warning', label: 'drifted' },
  missing: { tone: 'error', label: 'missing' },
};

/** Every generated object and how the cluster compares to the rendering. */
export function ResourcesTable(props: { objects: StatusResponse['objects'] }) {
  return (
    <Table size="small" aria-label="Resources">
      <TableHead>
        <TableRow>
          <TableCell>Kind</TableCell>
          <TableCell>Name</TableCell>
          <TableCell>State</TableCell>
          <TableCell>Details</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.objects.map(object => (
          <TableRow key={objectKey(object)}>
            <TableCell>{object.kind}</TableCell>
            <TableCell>
              {object.namespace ? `${object.namespace}/` : ''}
              {object.name}
            </TableCell>
            <TableCell>
              <StateLabel tone={STATE[object.state].tone}>
                {STATE[object.state].label}
              </StateLabel>
            </TableCell>
            <TableCell>
              {object.message && (
                <Typography variant="body2">{object.message}</Typography>
              )}
              {object.driftedFields?.map(field => (
                <div key={field}>
                  <code>{field}</code>
                </div>
              ))}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
