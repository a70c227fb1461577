import {
  formatDuration,
  formatMinutes,
  formatRelativeTime,
} from './formatTime';

describe('formatRelativeTime', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');

  it('formats past instants in the largest fitting unit', () => {
    expect(formatRelativeTime('2024-05-01T11:59:48Z', now)).toBe(
      '12 seconds ago',
    );
    expect(formatRelativeTime('2024-05-01T11:55:00Z', now)).toBe(
      '5 minutes ago',
    );
    expect(formatRelativeTime('2024-05-01T09:00:00Z', now)).toBe('3 hours ago');
    expect(formatRelativeTime('2024-04-29T12:00:00Z', now)).toBe('2 days ago');
    expect(formatRelativeTime('2024-05-01T12:00:00Z', now)).toBe('just now');
  });

  it('formats future instants', () => {
    expect(formatRelativeTime('2024-05-01T14:00:00Z', now)).toBe('in 2 hours');
  });

  it('returns undefined for never and garbage', () => {
    expect(formatRelativeTime('0001-01-01T00:00:00Z', now)).toBeUndefined();
    expect(formatRelativeTime('yesterday', now)).toBeUndefined();
    expect(formatRelativeTime(undefined, now)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('uses ms below a second', () => {
    expect(formatDuration(0.0123)).toBe('12.3 ms');
    expect(formatDuration(1.2)).toBe('1.20 s');
    expect(formatDuration(undefined)).toBe('–');
  });
});

describe('formatMinutes', () => {
  it('picks the largest exact unit', () => {
    expect(formatMinutes(30)).toBe('30 minutes');
    expect(formatMinutes(60)).toBe('1 hour');
    expect(formatMinutes(240)).toBe('4 hours');
    expect(formatMinutes(1440)).toBe('1 day');
    expect(formatMinutes(90)).toBe('90 minutes');
  });
});
