import { DEFAULT_GRAPH_RANGE_SECONDS } from '@prometheus-ocs/plugin-monitoring-common';

/**
 * Ranges offered by the graphs, in seconds. The first is the default window, which the tab's
 * overview request carries.
 */
export const GRAPH_RANGES = [
  { label: '1h', seconds: DEFAULT_GRAPH_RANGE_SECONDS },
  { label: '6h', seconds: 6 * 3600 },
  { label: '24h', seconds: 24 * 3600 },
  { label: '7d', seconds: 7 * 24 * 3600 },
];
