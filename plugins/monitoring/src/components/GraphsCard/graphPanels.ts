import { QueryRangePanel } from '../../api';

/** The panels the graphs card draws; the Monitoring tab asks for them with its overview. */
export const GRAPH_PANELS: Array<{ panel: QueryRangePanel; title: string }> = [
  { panel: 'up', title: 'Targets up' },
  { panel: 'request_rate', title: 'Request rate (per second)' },
  { panel: 'error_rate', title: 'Error rate (per second)' },
];
