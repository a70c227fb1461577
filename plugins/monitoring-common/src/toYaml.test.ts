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
      'on',
      'no',
      'y',
      'true',
      '1:20',
      '0o17',
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

  it('never emits anchors or aliases for repeated objects', () => {
    const shared = { a: 'b' };
    const text = toYaml([{ x: shared, y: shared }]);
    expect(text).not.toMatch(/[&*]/);
  });
});
