/**
 * The window a graph panel shows when nobody chose one: the last hour. `GET overview` answers
 * the Monitoring tab's graph panels (`?graphs=`) over this window, and `GET query_range` uses it
 * when `start` is not given, so the tab's first view and a panel's own request ask the backend
 * (and Prometheus, through one cache key) the same question.
 *
 * @public
 */
export const DEFAULT_GRAPH_RANGE_SECONDS = 3600;

/**
 * The step a graph of `rangeSeconds` is drawn with when none is asked for: about 240 points (the
 * width of a panel), never finer than 15 s (a typical scrape interval). The backend rounds it up
 * to its step ladder and bounds it (`monitoring.queryRange`).
 *
 * @public
 */
export function defaultGraphStep(rangeSeconds: number): number {
  return Math.max(15, Math.ceil(rangeSeconds / 240));
}
