import { QueryRangeResponse } from '@prometheus-ocs/plugin-monitoring-common';
import { hasSeveralSources, sourceName } from '../../utils/sources';

type Series = QueryRangeResponse['series'][number];

/** Labels that best tell series of the same entity apart, in order. */
const NAME_LABELS = ['pod', 'instance', 'code', 'status', 'job'];

/**
 * A short legend name for a series: its most telling label(s); a series without labels (an
 * aggregate such as `sum(rate(…))`) is named after what the graph shows, e.g. "Request rate".
 */
export function seriesName(
  series: Series,
  index: number,
  unlabelledName = 'value',
): string {
  const labels = Object.entries(series.metric).filter(
    ([k]) => k !== '__name__',
  );
  for (const label of NAME_LABELS) {
    if (series.metric[label]) {
      return series.metric[label];
    }
  }
  if (labels.length > 0) {
    return labels.map(([k, v]) => `${k}=${v}`).join(', ');
  }
  return index === 0 ? unlabelledName : `${unlabelledName} ${index + 1}`;
}

export interface ChartData {
  /** one row per timestamp (ms), one key per series; missing points are null */
  rows: Array<Record<string, number | null>>;
  keys: string[];
}

/**
 * Prometheus matrix → rows for recharts. Series sampled at different
 * timestamps are merged on the timestamp; "NaN"/"+Inf" samples become gaps.
 */
export function toChartData(
  series: Series[],
  unlabelledName?: string,
): ChartData {
  const keys: string[] = [];
  const byTime = new Map<number, Record<string, number | null>>();
  // series from several clusters (or Prometheus) say which one they come from
  const prefixSource = hasSeveralSources(series);
  series.forEach((s, index) => {
    let key = seriesName(s, index, unlabelledName);
    if (prefixSource) {
      const labelled = Object.keys(s.metric).some(k => k !== '__name__');
      key = labelled ? `${sourceName(s)}: ${key}` : sourceName(s);
    }
    // two series with the same telling label still need their own line
    while (keys.includes(key)) {
      key = `${key} (${index + 1})`;
    }
    keys.push(key);
    for (const [seconds, raw] of s.values) {
      const time = seconds * 1000;
      const row = byTime.get(time) ?? { time };
      const value = Number(raw);
      row[key] = Number.isFinite(value) ? value : null;
      byTime.set(time, row);
    }
  });
  const rows = [...byTime.values()].sort(
    (a, b) => (a.time as number) - (b.time as number),
  );
  return { rows, keys };
}
