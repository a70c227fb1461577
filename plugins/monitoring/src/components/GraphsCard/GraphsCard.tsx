import { useState } from 'react';
import Grid from '@material-ui/core/Grid';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { InfoCard } from '@backstage/core-components';
import { useEntityMonitoring } from '../../hooks/useEntityMonitoring';
import { DEFAULT_REFRESH_INTERVAL_MS } from '../../hooks/usePolledAsync';
import { GRAPH_PANELS } from './graphPanels';
import { GRAPH_RANGES } from './ranges';
import { MetricPanel } from './MetricPanel';

/** @public */
export interface GraphsCardProps {
  /** auto-refresh period; 0 turns auto-refresh off */
  refreshIntervalMs?: number;
}

/**
 * Default graphs of the entity's metrics over a chosen range. Inside the Monitoring tab the
 * default range comes with the tab's one overview request.
 */
export function GraphsCard(props: GraphsCardProps) {
  const { api, entityRef } = useEntityMonitoring();
  const [rangeSeconds, setRangeSeconds] = useState(GRAPH_RANGES[0].seconds);
  return (
    <InfoCard
      title="Graphs"
      action={
        <ToggleButtonGroup
          size="small"
          exclusive
          value={rangeSeconds}
          onChange={(_, v: number | null) => v && setRangeSeconds(v)}
          aria-label="Time range"
        >
          {GRAPH_RANGES.map(range => (
            <ToggleButton key={range.label} value={range.seconds}>
              {range.label}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      }
    >
      <Grid container spacing={3}>
        {GRAPH_PANELS.map(({ panel, title }) => (
          <Grid item xs={12} lg={4} key={panel}>
            <MetricPanel
              api={api}
              entityRef={entityRef}
              panel={panel}
              title={title}
              rangeSeconds={rangeSeconds}
              refreshIntervalMs={
                props.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS
              }
            />
          </Grid>
        ))}
      </Grid>
    </InfoCard>
  );
}
