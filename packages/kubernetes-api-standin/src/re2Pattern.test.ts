import {
  compileRe2,
  translateRe2,
  UnsupportedPatternError,
} from './re2Pattern';

describe('compileRe2', () => {
  it('translates a leading (?i) into case-insensitive matching', () => {
    const re = compileRe2('^(?i)(abort|warn)?$');
    expect(['abort', 'WARN', 'Warn', '']).toEqual(
      ['abort', 'WARN', 'Warn', ''].filter(v => re.test(v)),
    );
    expect(re.test('sometimes')).toBe(false);
  });

  it('limits a (?i) inside a group to that group', () => {
    const re = compileRe2('^((?i)sun|mon)day$');
    expect(re.test('SUNday')).toBe(true);
    expect(re.test('MONday')).toBe(true); // the flag covers every alternative of the group
    expect(re.test('sunDAY')).toBe(false);
  });

  it('supports flag groups, named groups and RE2-only escapes', () => {
    expect(compileRe2('^(?i:ab)c$').test('ABc')).toBe(true);
    expect(compileRe2('^(?i:ab)c$').test('ABC')).toBe(false);
    expect(compileRe2('^(?P<unit>ms|s)$').exec('ms')?.groups?.unit).toBe('ms');
    expect(compileRe2('^a\\z').test('a')).toBe(true);
    expect(compileRe2('\\Aa').test('ba')).toBe(false);
    expect(compileRe2('^\\Q1+1\\E$').test('1+1')).toBe(true);
    expect(compileRe2('^[[:digit:]]+$').test('123')).toBe(true);
    expect(compileRe2('^\\pL+$').test('Grüße')).toBe(true);
  });

  it('keeps escaped punctuation literal where JavaScript unicode mode would reject it', () => {
    const re = compileRe2('^[\\w\\s:/.\\\\-]+$');
    expect(re.test('C:\\path/to-file.txt')).toBe(true);
    expect(re.test('a;b')).toBe(false);
    expect(compileRe2('^a\\:b$').test('a:b')).toBe(true);
  });

  it('matches `.` like RE2 (not newline) and \\s without vertical tab', () => {
    expect(compileRe2('^.$').test('\n')).toBe(false);
    expect(compileRe2('^(?s).$').test('\n')).toBe(true);
    expect(compileRe2('^\\s$').test('\v')).toBe(false);
  });

  it('compiles every pattern of the prometheus-operator CRDs', () => {
    const patterns = [
      '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
      '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$',
      '(^0|([0-9]*[.])?[0-9]+((K|M|G|T|E|P)i?)?B)$',
      '^[0-9a-zA-Z-.]+$',
      '^((([01][0-9])|(2[0-3])):[0-5][0-9])$|(^24:00$)',
      '^2\\d{3}(?::2\\d{3}|$)',
      '^((?i)january|february|march|april|may|june|july|august|september|october|november|december|1[0-2]|[1-9])(?:((:((?i)january|february|march|april|may|june|july|august|september|october|november|december|1[0-2]|[1-9]))$)|$)',
    ];
    for (const p of patterns) expect(() => compileRe2(p)).not.toThrow();
    expect(compileRe2(patterns[1]).test('30s')).toBe(true);
    expect(compileRe2(patterns[1]).test('5 minutes')).toBe(false);
    expect(compileRe2(patterns[6]).test('JANUARY:march')).toBe(true);
  });

  it('refuses what it cannot translate instead of dropping it', () => {
    expect(() => translateRe2('(?U)a+')).toThrow(UnsupportedPatternError);
    expect(() => translateRe2('a\\C')).toThrow(UnsupportedPatternError);
    expect(() => translateRe2('(a')).toThrow(UnsupportedPatternError);
  });
});
