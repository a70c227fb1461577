import {
  formatPrometheusDuration,
  parsePrometheusDuration,
} from './prometheusDuration';

describe('parsePrometheusDuration', () => {
  it.each([
    ['30s', 30_000],
    ['1m', 60_000],
    ['1h30m', 5_400_000],
    ['15d', 15 * 86_400_000],
    ['1y2w', 365 * 86_400_000 + 14 * 86_400_000],
    ['500ms', 500],
    ['0', 0],
  ])('%j is %d ms', (text, ms) =>
    expect(parsePrometheusDuration(text)).toBe(ms),
  );

  it.each([
    '',
    '5 minutes',
    '1.5h',
    '30m1h',
    '1s1s',
    '10',
    'h',
    '-1s',
    '1S',
    '30s\n',
    `${'9'.repeat(70)}s`,
  ])('rejects %j', text =>
    expect(parsePrometheusDuration(text)).toBeUndefined(),
  );

  it('formats back to the shortest form', () => {
    expect(formatPrometheusDuration(5_400_000)).toBe('1h30m');
    expect(parsePrometheusDuration(formatPrometheusDuration(123_456_789))).toBe(
      123_456_789,
    );
  });
});
