import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { Progress } from '@backstage/core-components';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { defaultGraphStep } from '@prometheus-ocs/plugin-monitoring-common';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip as ChartTooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { MonitoringApi, QueryRangePanel } from '../../api';
import { useOverviewGraph } from '../../hooks/useEntityOverview';
import { LastUpdated } from '../LastUpdated';
import { PartialFailures, SectionError } from '../SectionMessages';
import { toChartData } from './toChartData';

function formatTick(rangeSeconds: number) {
  return (ms: number) => {
    const date = new Date(ms);
    return rangeSeconds > 24 * 3600
      ? date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
      : date.toLocaleTimeString(undefined, {
          hour: '2-digit',
          minute: '2-digit',
        });
  };
}

/**
 * One graph, failing on its own: inside the Monitoring tab its default window comes with the
 * tab's overview request; another range, or a graphs card on its own, is loaded by the panel.
 */
export function MetricPanel(props: {
  api: MonitoringApi;
  entityRef: CompoundEntityRef;
  panel: QueryRangePanel;
  title: string;
  rangeSeconds: number;
  refreshIntervalMs: number;
}) {
  const { api, entityRef, panel, title, rangeSeconds, refreshIntervalMs } =
    props;
  const theme = useTheme();
  const state = useOverviewGraph(
    panel,
    rangeSeconds,
    () => {
      // the window slides with every refresh
      const end = Math.floor(Date.now() / 1000);
      return api.queryRange(entityRef, {
        panel,
        start: end - rangeSeconds,
        end,
        step: defaultGraphStep(rangeSeconds),
      });
    },
    refreshIntervalMs,
  );
  const colors = [
    theme.palette.primary.main,
    theme.palette.secondary.main,
    theme.palette.success?.main ?? '#2e7d32',
    theme.palette.warning?.main ?? '#ed6c02',
    theme.palette.info?.main ?? '#0288d1',
    theme.palette.error.main,
  ];

  let body;
  if (state.value) {
    const data = toChartData(state.value.series, title);
    body =
      data.keys.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No data in this range.
        </Typography>
      ) : (
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={data.rows}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="time"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              tickFormatter={formatTick(rangeSeconds)}
            />
            <YAxis width={48} />
            <ChartTooltip
              labelFormatter={(ms: number) => new Date(ms).toLocaleString()}
            />
            <Legend />
            {data.keys.map((key, i) => (
              <Line
                key={key}
                dataKey={key}
                type="monotone"
                dot={false}
                isAnimationActive={false}
                connectNulls={false}
                stroke={colors[i % colors.length]}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      );
  } else if (!state.error) {
    body = <Progress />;
  }

  return (
    <Box component="section" aria-label={title}>
      <Box display="flex" alignItems="center" justifyContent="space-between">
        <Tooltip title={state.value?.promql ?? ''}>
          <Typography variant="subtitle2">{title}</Typography>
        </Tooltip>
        <LastUpdated
          lastUpdated={state.lastUpdated}
          loading={state.loading}
          onRefresh={state.refresh}
        />
      </Box>
      {state.error && (
        <SectionError
          what={`the ${title} graph`}
          error={state.error}
          stale={!!state.value}
        />
      )}
      <PartialFailures failures={state.value?.failures} />
      {body}
    </Box>
  );
}
