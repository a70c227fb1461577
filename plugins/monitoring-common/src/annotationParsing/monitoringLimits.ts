/** Bounds that keep annotated values sensible; documented in docs/annotations.md. */
export const MONITORING_LIMITS = {
  minIntervalMs: 1000,
  /** Prometheus' 5m lookback: a longer scrape interval makes series go stale between scrapes. */
  maxIntervalMs: 5 * 60 * 1000,
  minRetentionMs: 3600 * 1000,
  maxReplicas: 10,
  /** Prometheus CR names become StatefulSet `prometheus-<name>`, whose pod labels must stay ≤ 63 characters. */
  maxInstanceLength: 40,
  maxPathLength: 1024,
  maxRoadieAlerts: 100,
  maxShownValueLength: 200,
} as const;

/** Shortens a value for messages, so a 10 kB hostile value does not produce a 10 kB error. */
export function shownValue(value: string): string {
  return value.length > MONITORING_LIMITS.maxShownValueLength
    ? `${value.slice(0, MONITORING_LIMITS.maxShownValueLength)}… (${
        value.length
      } characters)`
    : value;
}
