/** Ranges offered by the graphs, in seconds. */
export const GRAPH_RANGES = [
  { label: '1h', seconds: 3600 },
  { label: '6h', seconds: 6 * 3600 },
  { label: '24h', seconds: 24 * 3600 },
  { label: '7d', seconds: 7 * 24 * 3600 },
];

/**
 * About 240 points per graph, never finer than 15s (a typical scrape
 * interval), which keeps the backend's bounded query_range happy.
 */
export function stepFor(rangeSeconds: number): number {
  return Math.max(15, Math.ceil(rangeSeconds / 240));
}
