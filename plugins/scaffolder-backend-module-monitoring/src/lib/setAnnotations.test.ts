import { InputError } from '@backstage/errors';
import { parse, parseDocument } from 'yaml';
import { setAnnotations } from './setAnnotations';

function edit(text: string, annotations: Record<string, string>): string {
  const document = parseDocument(text);
  setAnnotations(document, annotations, 'catalog-info.yaml');
  return document.toString({ lineWidth: 0 });
}

describe('setAnnotations', () => {
  it('quotes values a YAML 1.1 reader would not read as strings, and only those', () => {
    const text = edit('metadata:\n  name: a\n', {
      a: 'true',
      b: '3',
      c: 'no',
      d: 'on',
      e: '0o17',
      f: '1:20',
      g: '~',
      h: 'metrics',
      i: '30s',
      j: 'app=web,tier in (a,b)',
      k: ' leading space',
      l: 'x: y',
      m: '#not a comment',
      n: 'y',
    });
    expect(text).toBe(`metadata:
  name: a
  annotations:
    a: "true"
    b: "3"
    c: "no"
    d: "on"
    e: "0o17"
    f: "1:20"
    g: "~"
    h: metrics
    i: 30s
    j: app=web,tier in (a,b)
    k: " leading space"
    l: "x: y"
    m: "#not a comment"
    n: "y"
`);
    // Every value reads back as the very same string, in YAML 1.1 and 1.2.
    for (const version of ['1.1', '1.2'] as const) {
      expect(
        Object.values(parse(text, { version }).metadata.annotations),
      ).toEqual([
        'true',
        '3',
        'no',
        'on',
        '0o17',
        '1:20',
        '~',
        'metrics',
        '30s',
        'app=web,tier in (a,b)',
        ' leading space',
        'x: y',
        '#not a comment',
        'y',
      ]);
    }
  });

  it('writes multi-line values as block literals', () => {
    const text = edit('metadata:\n  name: a\n', {
      rules: '- alert: A\n  expr: up == 0\n',
    });
    expect(text).toContain(
      'rules: |\n      - alert: A\n        expr: up == 0\n',
    );
    expect(parse(text).metadata.annotations.rules).toBe(
      '- alert: A\n  expr: up == 0\n',
    );
  });

  it('replaces a value in place, keeping its comment and the order of keys', () => {
    expect(
      edit('metadata:\n  annotations:\n    x: "1" # one\n    y: keep # two\n', {
        x: 'two',
      }),
    ).toBe('metadata:\n  annotations:\n    x: two # one\n    y: keep # two\n');
  });

  it('turns an empty flow mapping into a block mapping', () => {
    expect(edit('metadata:\n  annotations: {}\n', { x: 'web' })).toBe(
      'metadata:\n  annotations:\n    x: web\n',
    );
  });

  it('refuses a descriptor whose metadata or annotations are not mappings', () => {
    expect(() => edit('metadata: [a]\n', { x: 'y' })).toThrow(
      new InputError('catalog-info.yaml: metadata must be a mapping'),
    );
    expect(() => edit('metadata:\n  annotations: [a]\n', { x: 'y' })).toThrow(
      new InputError(
        'catalog-info.yaml: metadata.annotations must be a mapping',
      ),
    );
  });
});
