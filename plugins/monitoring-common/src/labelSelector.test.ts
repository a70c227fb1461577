import { formatLabelSelector, parseLabelSelector } from './labelSelector';

describe('parseLabelSelector', () => {
  it('parses every operator of the Kubernetes grammar', () => {
    expect(
      parseLabelSelector('a=b,c!=d,e in (g,f),!h,i notin (j),k,l==m'),
    ).toEqual({
      selector: {
        matchLabels: { a: 'b', l: 'm' },
        matchExpressions: [
          { key: 'c', operator: 'NotIn', values: ['d'] },
          { key: 'e', operator: 'In', values: ['f', 'g'] },
          { key: 'h', operator: 'DoesNotExist' },
          { key: 'i', operator: 'NotIn', values: ['j'] },
          { key: 'k', operator: 'Exists' },
        ],
      },
      problems: [],
    });
  });

  it('accepts whitespace, prefixed keys and empty values like apimachinery', () => {
    expect(
      parseLabelSelector(
        ' app.kubernetes.io/name = shop , tier= ,  env in ( prod , dev ) ',
      ),
    ).toEqual({
      selector: {
        matchLabels: { 'app.kubernetes.io/name': 'shop', tier: '' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['dev', 'prod'] },
        ],
      },
      problems: [],
    });
  });

  it.each([
    ['', 'must not be empty'],
    ['a=b,', 'must not end with ","'],
    ['a b', 'expected an operator'],
    ['a in b', 'expected "(" after "a in"'],
    ['a in ()', 'must not be empty'],
    ['a in (b', 'missing ")"'],
    ['a>1', 'operator ">"'],
    ['-a=b', 'key "-a"'],
    ['a=b c', 'expected ","'],
    ['a=-b', 'value "-b"'],
    ['a/b/c=d', 'at most one "/"'],
    ['Bad_Prefix.io/x=y', 'prefix'],
    [`a=${'x'.repeat(64)}`, 'at most 63'],
    ['!a=b', 'must stand alone'],
    ['a=b,a=c', 'both "b" and "c"'],
    [',', 'expected a label key'],
  ])('rejects %j with a message naming the rule', (text, fragment) => {
    const result = parseLabelSelector(text);
    expect(result.selector).toBeUndefined();
    expect(result.problems.join('\n')).toContain(fragment);
  });

  it('reports every bad requirement, not only the first', () => {
    const result = parseLabelSelector('-a=b,c=-d,e in (f');
    expect(result.problems).toHaveLength(3);
  });

  it('round-trips through formatLabelSelector', () => {
    const text = 'a=b,c notin (d),e in (f,g),!h,k';
    const parsed = parseLabelSelector(text).selector!;
    expect(parseLabelSelector(formatLabelSelector(parsed)).selector).toEqual(
      parsed,
    );
  });
});
