import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { ApplyResponse } from '@prometheus-ocs/plugin-monitoring-common';
import { StateLabel, StateTone } from '../StateLabel';
import { objectKey } from '../../utils/objects';

type ApplyResult = ApplyResponse['objects'][number]['result'];

const RESULT_TONE: Record<ApplyResult, StateTone> = {
  created: 'ok',
  updated: 'ok',
  unchanged: 'neutral',
  conflict: 'error',
  failed: 'error',
  skipped: 'warning',
};

/** Per-object outcome of an apply, with the cluster's message on failures. */
export function ApplyResultTable(props: { objects: ApplyResponse['objects'] }) {
  return (
    <Table size="small" aria-label="Apply results">
      <TableHead>
        <TableRow>
          <TableCell>Result</TableCell>
          <TableCell>Kind</TableCell>
          <TableCell>Name</TableCell>
          <TableCell>Message</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.objects.map(object => (
          <TableRow key={objectKey(object)}>
            <TableCell>
              <StateLabel tone={RESULT_TONE[object.result]}>
                {object.result}
              </StateLabel>
            </TableCell>
            <TableCell>{object.kind}</TableCell>
            <TableCell>
              {object.namespace ? `${object.namespace}/` : ''}
              {object.name}
            </TableCell>
            <TableCell>{object.message ?? ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
