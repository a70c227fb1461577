import { parse, parseAllDocuments } from 'yaml';
import { toYaml } from './toYaml';

describe('toYaml', () => {
  it('writes one document per object with a stable key order', () => {
    const text = toYaml([
      {
        spec: { b: 1, a: 2 },
        metadata: { labels: { z: '1', a: '2' }, name: 'x' },
        kind: 'Service',
        apiVersion: 'v1',
      },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'y' } },
    ]);
    expect(text).toBe(
      [
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: x',
        '  labels:',
        '    a: "2"',
        '    z: "1"',
        'spec:',
        '  a: 2',
        '  b: 1',
        '---',
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        '  name: "y"',
        '',
      ].join('\n'),
    );
  });

  it('quotes strings that YAML 1.1 or 1.2 readers would take for something else', () => {
    const values = [
      'yes',
      'on',
      'Off',
      'no',
      'y',
      'true',
      '1:20',
      '190:20:30',
      '0o17',
      '012',
      '0b101',
      '=',
      '<<',
      '2001-12-14',
      '0x1F',
      '1e3',
      '~',
      'null',
      '',
      ' x',
      '- a',
      'a: b',
      '#c',
      '---',
      '...',
      '@x',
      '`x',
      "'",
      '"',
      'multi\nline',
      '&anchor',
      '*alias',
      '!tag',
      '%x',
      '1_000',
      '.inf',
    ];
    const object = {
      apiVersion: 'v1',
      kind: 'X',
      metadata: { name: 'n' },
      data: Object.fromEntries(values.map((v, i) => [`k${i}`, v])),
    };
    const text = toYaml([object]);
    expect(parse(text, { version: '1.1' })).toEqual(object);
    expect(parse(text, { version: '1.2' })).toEqual(object);
    expect(parseAllDocuments(text)).toHaveLength(1);
  });

  it('writes YAML 1.1 booleans, numbers, null and special types as quoted strings', () => {
    // The library reads `=` and `<<` back as strings either way, so parsing alone cannot tell
    // whether they were quoted; other readers (PyYAML, go-yaml v2) can.
    const values = [
      'yes',
      'on',
      'Off',
      'y',
      '1:20',
      '0o17',
      '012',
      '0b101',
      '~',
      '=',
      '<<',
    ];
    const text = toYaml([
      Object.fromEntries(values.map((v, i) => [`k${i}`, v])),
    ]);
    for (const [i, v] of values.entries()) {
      expect(text).toContain(`k${i}: "${v}"\n`);
    }
  });

  it('quotes keys that YAML 1.1 readers would take for booleans', () => {
    const labels = { on: 'a', yes: 'b', n: 'c', '1:20': 'd' };
    const text = toYaml([{ metadata: { labels } }]);
    expect(text).toContain('"on": a\n');
    expect(text).toContain('"yes": b\n');
    expect(text).toContain('"n": c\n');
    expect(parse(text, { version: '1.1' })).toEqual({ metadata: { labels } });
  });

  it('never emits anchors or aliases for repeated objects', () => {
    const shared = { a: 'b' };
    const text = toYaml([{ x: shared, y: shared }]);
    expect(text).not.toMatch(/[&*]/);
  });
});
