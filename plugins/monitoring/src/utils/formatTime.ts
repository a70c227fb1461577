const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'always' });

/**
 * "12 seconds ago", "3 hours ago". `now` is passed in so a table renders every
 * row against the same instant. Returns undefined for missing or zero dates
 * (Prometheus reports `0001-01-01T00:00:00Z` for targets never scraped).
 */
export function formatRelativeTime(
  iso: string | undefined,
  now: number,
): string | undefined {
  if (!iso) {
    return undefined;
  }
  const time = Date.parse(iso);
  if (Number.isNaN(time) || time <= 0) {
    return undefined;
  }
  const seconds = Math.round((time - now) / 1000);
  if (Math.abs(seconds) < 1) {
    return 'just now';
  }
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return relative.format(Math.trunc(seconds / size), unit);
    }
  }
  return undefined;
}

/** Scrape duration in seconds → "12.3 ms" / "1.20 s". */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) {
    return '–';
  }
  if (seconds < 1) {
    return `${(seconds * 1000).toFixed(1)} ms`;
  }
  return `${seconds.toFixed(2)} s`;
}

/** Minutes → "30 minutes", "2 hours", "1 day". */
export function formatMinutes(minutes: number): string {
  if (minutes % 1440 === 0) {
    const days = minutes / 1440;
    return `${days} day${days === 1 ? '' : 's'}`;
  }
  if (minutes % 60 === 0) {
    const hours = minutes / 60;
    return `${hours} hour${hours === 1 ? '' : 's'}`;
  }
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
