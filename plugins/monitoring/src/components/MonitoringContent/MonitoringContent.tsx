import Grid from '@material-ui/core/Grid';
import { useEntityMonitoring } from '../../hooks/useEntityMonitoring';
import {
  EntityOverviewProvider,
  useEntityOverview,
} from '../../hooks/useEntityOverview';
import { useMonitoringPermissions } from '../../hooks/useMonitoringPermissions';
import { DEFAULT_REFRESH_INTERVAL_MS } from '../../hooks/usePolledAsync';
import { AlertsCard } from '../AlertsCard';
import { GraphsCard } from '../GraphsCard';
import { GRAPH_PANELS } from '../GraphsCard/graphPanels';
import { MonitoringStatusView } from '../MonitoringStatusView';
import { TargetsCard } from '../TargetsCard';

/** The graphs card's panels, asked for with the overview. */
const TAB_GRAPHS = GRAPH_PANELS.map(p => p.panel);

/** @public */
export interface MonitoringContentProps {
  /** auto-refresh period of every section; 0 turns auto-refresh off */
  refreshIntervalMs?: number;
  /** status polling period while a Prometheus rolls out after an apply */
  rolloutPollIntervalMs?: number;
}

/**
 * The Monitoring tab: the entity's Prometheus status and resources, its
 * targets, alerts and graphs. Everything it shows when it opens (status,
 * targets, alerts and the graphs' default range) comes from one polled request
 * (one token verification, authorization and entity lookup in the backend);
 * each section still shows, refreshes and fails on its own, so one unreachable
 * backend service never blanks the page.
 */
export function MonitoringContent(props: MonitoringContentProps) {
  const refreshIntervalMs =
    props.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
  const { entity, api, entityRef } = useEntityMonitoring();
  const { canApply } = useMonitoringPermissions(entity);
  const sections = useEntityOverview(refreshIntervalMs, TAB_GRAPHS);

  return (
    <EntityOverviewProvider value={sections}>
      <MonitoringStatusView
        api={api}
        entity={entity}
        entityRef={entityRef}
        state={sections.status}
        canApply={canApply}
        variant="page"
        rolloutPollIntervalMs={props.rolloutPollIntervalMs}
        layout={overview => (
          <Grid container spacing={3} alignItems="stretch">
            <Grid item xs={12} lg={5}>
              {overview}
            </Grid>
            <Grid item xs={12} lg={7}>
              <GraphsCard refreshIntervalMs={refreshIntervalMs} />
            </Grid>
            <Grid item xs={12}>
              <TargetsCard refreshIntervalMs={refreshIntervalMs} />
            </Grid>
            <Grid item xs={12}>
              <AlertsCard refreshIntervalMs={refreshIntervalMs} />
            </Grid>
          </Grid>
        )}
      />
    </EntityOverviewProvider>
  );
}
