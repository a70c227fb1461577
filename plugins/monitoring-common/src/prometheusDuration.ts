/**
 * The duration syntax of the prometheus-operator CRDs (`monitoring.coreos.com/v1` `Duration`):
 * units in descending order, each at most once, no fractions, `0` alone allowed.
 * Kept identical to the CRD pattern so a value accepted here is accepted by the API server.
 */
export const PROMETHEUS_DURATION_PATTERN =
  /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;

const UNIT_MS: Array<[string, number]> = [
  ['y', 365 * 24 * 3600 * 1000],
  ['w', 7 * 24 * 3600 * 1000],
  ['d', 24 * 3600 * 1000],
  ['h', 3600 * 1000],
  ['m', 60 * 1000],
  ['s', 1000],
  ['ms', 1],
];

/**
 * Parses a Prometheus duration (`30s`, `1h30m`, `15d`) into milliseconds.
 * Returns `undefined` when the text is not a duration by the CRD's rule; the empty string, which the
 * CRD pattern happens to accept, is rejected because it means nothing to a user.
 *
 * @public
 */
export function parsePrometheusDuration(text: string): number | undefined {
  if (text.length === 0 || text.length > 64) {
    return undefined;
  }
  const match = PROMETHEUS_DURATION_PATTERN.exec(text);
  if (!match) {
    return undefined;
  }
  if (text === '0') {
    return 0;
  }
  // Groups 3, 5, 7, ... hold the numbers of y, w, d, h, m, s, ms in that order.
  let total = 0;
  UNIT_MS.forEach(([, factor], index) => {
    const digits = match[3 + index * 2];
    if (digits !== undefined) {
      total += Number(digits) * factor;
    }
  });
  return Number.isSafeInteger(total) ? total : undefined;
}

/** Formats milliseconds as the shortest Prometheus duration (for messages and defaults). */
export function formatPrometheusDuration(ms: number): string {
  if (ms === 0) {
    return '0';
  }
  let rest = ms;
  let out = '';
  for (const [unit, factor] of UNIT_MS) {
    const n = Math.floor(rest / factor);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * factor;
    }
  }
  return out;
}
