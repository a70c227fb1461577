import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { Table, TableColumn } from '@backstage/core-components';
import {
  TargetHealth,
  TargetInfo,
} from '@prometheus-ocs/plugin-monitoring-common';
import { formatDuration, formatRelativeTime } from '../../utils/formatTime';
import { hasSeveralSources, sourceName } from '../../utils/sources';
import { StateLabel, StateTone } from '../StateLabel';

const HEALTH_TONE: Record<TargetHealth, StateTone> = {
  up: 'ok',
  down: 'error',
  unknown: 'neutral',
};

function labelText(target: TargetInfo): string {
  return Object.entries(target.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/**
 * Prometheus "Status > Targets" for the entity's scrape pools. Paged, so a
 * service with hundreds of pods stays responsive; the search box matches the
 * endpoint, labels and last error.
 */
export function TargetsTable(props: {
  targets: TargetInfo[];
  /** instant relative times are computed against (the fetch time) */
  now: number;
}) {
  const { targets, now } = props;
  const columns: TableColumn<TargetInfo>[] = [
    {
      title: 'Health',
      field: 'health',
      width: '110px',
      render: t => (
        <StateLabel tone={HEALTH_TONE[t.health]}>{t.health}</StateLabel>
      ),
    },
    {
      title: 'Endpoint',
      field: 'scrapeUrl',
      highlight: true,
      render: t => (
        <>
          <Typography variant="body2">{t.scrapeUrl}</Typography>
          <Typography variant="caption" color="textSecondary">
            {t.scrapePool}
          </Typography>
        </>
      ),
    },
    {
      title: 'Labels',
      customFilterAndSearch: (term: string, t: TargetInfo) =>
        labelText(t).includes(term),
      render: t => (
        <>
          {Object.entries(t.labels).map(([k, v]) => (
            <Chip
              key={k}
              size="small"
              variant="outlined"
              label={`${k}="${v}"`}
              style={{ margin: 2 }}
            />
          ))}
        </>
      ),
    },
    {
      title: 'Last scrape',
      field: 'lastScrape',
      width: '140px',
      render: t => {
        const relative = formatRelativeTime(t.lastScrape, now);
        return relative ? (
          <Tooltip title={t.lastScrape}>
            <span>{relative}</span>
          </Tooltip>
        ) : (
          'never'
        );
      },
    },
    {
      title: 'Duration',
      field: 'lastScrapeDuration',
      width: '100px',
      render: t => formatDuration(t.lastScrapeDuration),
    },
    {
      title: 'Last error',
      field: 'lastError',
      render: t =>
        t.lastError ? (
          <Typography variant="body2" color="error">
            {t.lastError}
          </Typography>
        ) : (
          ''
        ),
    },
  ];
  if (hasSeveralSources(targets)) {
    // the entity is scraped in several clusters (or by several Prometheus)
    columns.splice(2, 0, {
      title: 'Source',
      width: '140px',
      customFilterAndSearch: (term: string, t: TargetInfo) =>
        sourceName(t).includes(term),
      render: t => sourceName(t),
    });
  }

  return (
    <Table<TargetInfo>
      columns={columns}
      data={targets}
      options={{
        paging: targets.length > 20,
        pageSize: 20,
        pageSizeOptions: [20, 50, 100],
        padding: 'dense',
        search: true,
        emptyRowsWhenPaging: false,
        showTitle: false,
        toolbar: targets.length > 5,
      }}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          No targets match.
        </Typography>
      }
    />
  );
}
