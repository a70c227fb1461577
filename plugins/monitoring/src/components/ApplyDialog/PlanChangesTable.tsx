import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  PlanAction,
  PlanResponse,
} from '@prometheus-ocs/plugin-monitoring-common';
import { StateLabel, StateTone } from '../StateLabel';
import { objectKey } from '../../utils/objects';

const ACTION_TONE: Record<PlanAction, StateTone> = {
  create: 'ok',
  update: 'warning',
  unchanged: 'neutral',
};

/** The diff of a plan: what would be created, updated or left alone. */
export function PlanChangesTable(props: { objects: PlanResponse['objects'] }) {
  return (
    <Table size="small" aria-label="Planned changes">
      <TableHead>
        <TableRow>
          <TableCell>Change</TableCell>
          <TableCell>Kind</TableCell>
          <TableCell>Name</TableCell>
          <TableCell>Changed fields</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.objects.map(object => (
          <TableRow key={objectKey(object)}>
            <TableCell>
              <StateLabel
                tone={object.error ? 'error' : ACTION_TONE[object.action]}
              >
                {object.action}
              </StateLabel>
            </TableCell>
            <TableCell>{object.kind}</TableCell>
            <TableCell>
              {object.namespace ? `${object.namespace}/` : ''}
              {object.name}
              {object.error && (
                <Typography variant="body2" color="error">
                  {object.error}
                </Typography>
              )}
            </TableCell>
            <TableCell>
              {object.changedFields?.length
                ? object.changedFields.map(field => (
                    <div key={field}>
                      <code>{field}</code>
                    </div>
                  ))
                : '–'}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
