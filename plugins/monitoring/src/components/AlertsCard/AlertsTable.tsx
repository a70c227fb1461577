import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { Table, TableColumn } from '@backstage/core-components';
import { AlertInfo } from '@prometheus-ocs/plugin-monitoring-common';
import { formatRelativeTime } from '../../utils/formatTime';
import { hasSeveralSources } from '../../utils/sources';
import { StateLabel, StateTone } from '../StateLabel';

const STATE_TONE: Record<AlertInfo['state'], StateTone> = {
  firing: 'error',
  pending: 'warning',
  inactive: 'ok',
};

function severityTone(severity: string | undefined): StateTone {
  switch (severity?.toLocaleLowerCase('en-US')) {
    case 'critical':
    case 'error':
    case 'page':
      return 'error';
    case 'warning':
      return 'warning';
    default:
      return 'neutral';
  }
}

/**
 * The entity's alerts with Prometheus' state and Alertmanager's view
 * (silenced / inhibited), plus silence and expire actions when allowed.
 */
export function AlertsTable(props: {
  alerts: AlertInfo[];
  now: number;
  canSilence: boolean;
  onSilence: (alert: AlertInfo) => void;
  onExpire: (silenceIds: string[]) => void;
}) {
  const { alerts, now, canSilence, onSilence, onExpire } = props;
  const columns: TableColumn<AlertInfo>[] = [
    {
      title: 'State',
      field: 'state',
      width: '110px',
      render: a => (
        <StateLabel tone={STATE_TONE[a.state]}>{a.state}</StateLabel>
      ),
    },
    {
      title: 'Severity',
      field: 'severity',
      width: '110px',
      render: a =>
        a.severity ? (
          <StateLabel tone={severityTone(a.severity)}>{a.severity}</StateLabel>
        ) : (
          '–'
        ),
    },
    { title: 'Alert', field: 'name', highlight: true },
    {
      title: 'Since',
      field: 'since',
      width: '140px',
      render: a => {
        const relative = formatRelativeTime(a.since, now);
        return relative ? (
          <Tooltip title={a.since ?? ''}>
            <span>{relative}</span>
          </Tooltip>
        ) : (
          '–'
        );
      },
    },
    {
      title: 'Summary',
      field: 'summary',
      render: a => (
        <>
          <Typography variant="body2">{a.summary ?? ''}</Typography>
          {a.description && (
            <Typography variant="caption" color="textSecondary">
              {a.description}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Alertmanager',
      render: a => (
        <>
          {a.silencedBy.length > 0 && (
            <Chip size="small" label="silenced" color="primary" />
          )}
          {a.inhibitedBy.length > 0 && <Chip size="small" label="inhibited" />}
          {a.silencedBy.length === 0 &&
            a.inhibitedBy.length === 0 &&
            (a.status ?? '')}
        </>
      ),
    },
  ];
  if (hasSeveralSources(alerts)) {
    columns.splice(3, 0, {
      title: 'Cluster',
      field: 'cluster',
      width: '120px',
    });
  }
  if (canSilence) {
    columns.push({
      title: 'Actions',
      width: '150px',
      render: a => {
        if (a.silencedBy.length > 0) {
          return (
            <Button size="small" onClick={() => onExpire(a.silencedBy)}>
              Expire silence
            </Button>
          );
        }
        if (a.state === 'inactive') {
          return null;
        }
        return (
          <Button
            size="small"
            color="primary"
            onClick={() => onSilence(a)}
            aria-label={`Silence ${a.name}`}
          >
            Silence
          </Button>
        );
      },
    });
  }

  return (
    <Table<AlertInfo>
      columns={columns}
      data={alerts}
      options={{
        paging: alerts.length > 20,
        pageSize: 20,
        pageSizeOptions: [20, 50, 100],
        padding: 'dense',
        search: alerts.length > 5,
        toolbar: alerts.length > 5,
        showTitle: false,
        emptyRowsWhenPaging: false,
      }}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          No alerts for this entity. Alerts from its rules appear here when they
          are pending or firing.
        </Typography>
      }
    />
  );
}
