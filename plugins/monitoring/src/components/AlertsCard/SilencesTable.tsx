import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { SilenceInfo } from '@prometheus-ocs/plugin-monitoring-common';
import { formatRelativeTime } from '../../utils/formatTime';
import { hasSeveralSources } from '../../utils/sources';

function matcherText(m: SilenceInfo['matchers'][number]): string {
  const equal = m.isEqual ?? true;
  let operator = equal ? '=' : '!=';
  if (m.isRegex) {
    operator = equal ? '=~' : '!~';
  }
  return `${m.name}${operator}"${m.value}"`;
}

/** Alertmanager silences that match the entity's alerts. */
export function SilencesTable(props: {
  silences: SilenceInfo[];
  now: number;
  canExpire: boolean;
  onExpire: (silenceIds: string[]) => void;
}) {
  const { silences, now, canExpire, onExpire } = props;
  const showCluster = hasSeveralSources(silences);
  return (
    <Table size="small" aria-label="Silences">
      <TableHead>
        <TableRow>
          <TableCell>Matchers</TableCell>
          {showCluster && <TableCell>Cluster</TableCell>}
          <TableCell>State</TableCell>
          <TableCell>Ends</TableCell>
          <TableCell>Created by</TableCell>
          <TableCell>Comment</TableCell>
          {canExpire && <TableCell />}
        </TableRow>
      </TableHead>
      <TableBody>
        {silences.map(silence => (
          <TableRow key={`${silence.cluster ?? ''}/${silence.id}`}>
            <TableCell>
              {silence.matchers.map(m => (
                <Chip
                  key={matcherText(m)}
                  size="small"
                  variant="outlined"
                  label={matcherText(m)}
                  style={{ margin: 2 }}
                />
              ))}
            </TableCell>
            {showCluster && <TableCell>{silence.cluster}</TableCell>}
            <TableCell>{silence.state}</TableCell>
            <TableCell>
              {formatRelativeTime(silence.endsAt, now) ?? silence.endsAt}
            </TableCell>
            <TableCell>{silence.createdBy}</TableCell>
            <TableCell>{silence.comment}</TableCell>
            {canExpire && (
              <TableCell>
                {silence.state !== 'expired' && (
                  <Button size="small" onClick={() => onExpire([silence.id])}>
                    Expire
                  </Button>
                )}
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
