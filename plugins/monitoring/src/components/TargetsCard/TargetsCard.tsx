import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { TargetHealth } from '@prometheus-ocs/plugin-monitoring-common';
import { useEntityMonitoring } from '../../hooks/useEntityMonitoring';
import { useOverviewSection } from '../../hooks/useEntityOverview';
import { DEFAULT_REFRESH_INTERVAL_MS } from '../../hooks/usePolledAsync';
import { PolledSectionCard } from '../PolledSectionCard';
import { TargetsTable } from './TargetsTable';

type HealthFilter = 'all' | TargetHealth;

/** @public */
export interface TargetsCardProps {
  /** auto-refresh period; 0 turns auto-refresh off */
  refreshIntervalMs?: number;
}

/**
 * The scrape targets Prometheus discovered for the entity, with their health,
 * so a developer can check that metrics are being ingested.
 */
export function TargetsCard(props: TargetsCardProps) {
  const { api, entityRef } = useEntityMonitoring();
  const state = useOverviewSection(
    'targets',
    () => api.getTargets(entityRef),
    props.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS,
  );
  const [health, setHealth] = useState<HealthFilter>('all');
  const value = state.value;

  let content;
  if (value) {
    const { up, down, unknown } = value.summary;
    const targets =
      health === 'all'
        ? value.targets
        : value.targets.filter(t => t.health === health);
    content = (
      <>
        <Box display="flex" alignItems="center" mb={1} style={{ gap: 16 }}>
          <Typography variant="body2" aria-label="Target counts">
            {value.targets.length}{' '}
            {value.targets.length === 1 ? 'target' : 'targets'}: {up} up, {down}{' '}
            down, {unknown} unknown
          </Typography>
          <ToggleButtonGroup
            size="small"
            exclusive
            value={health}
            onChange={(_, v: HealthFilter | null) => v && setHealth(v)}
            aria-label="Filter by health"
          >
            <ToggleButton value="all">All</ToggleButton>
            <ToggleButton value="up">Up ({up})</ToggleButton>
            <ToggleButton value="down">Down ({down})</ToggleButton>
            <ToggleButton value="unknown">Unknown ({unknown})</ToggleButton>
          </ToggleButtonGroup>
        </Box>
        {value.targets.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            Prometheus has not discovered any target for this entity yet. Check
            that its pods run and that the metrics Service selects them.
          </Typography>
        ) : (
          <TargetsTable
            targets={targets}
            now={state.lastUpdated?.getTime() ?? Date.now()}
          />
        )}
      </>
    );
  }

  return (
    <PolledSectionCard title="Targets" what="targets" state={state}>
      {content}
    </PolledSectionCard>
  );
}
