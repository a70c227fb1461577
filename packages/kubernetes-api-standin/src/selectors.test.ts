import {
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';
import { KubeStatusError } from './statusErrors';

describe('label selectors', () => {
  const labels = {
    app: 'checkout',
    tier: 'web',
    'app.kubernetes.io/name': 'checkout',
    replicas: '3',
  };
  const matches = (s: string) => matchesLabels(parseLabelSelector(s), labels);

  it('supports the full syntax of the API server', () => {
    expect(matches('app=checkout')).toBe(true);
    expect(matches('app==checkout,tier=web')).toBe(true);
    expect(matches('app!=payments')).toBe(true);
    expect(matches('missing!=x')).toBe(true); // != matches objects without the label
    expect(matches('app in (cart, checkout)')).toBe(true);
    expect(matches('app notin (checkout)')).toBe(false);
    expect(matches('missing notin (x)')).toBe(true);
    expect(matches('tier')).toBe(true);
    expect(matches('!tier')).toBe(false);
    expect(matches('app.kubernetes.io/name=checkout')).toBe(true);
    expect(matches('replicas>2,replicas<4')).toBe(true);
    expect(matches('')).toBe(true);
  });

  it('rejects malformed selectors with 400 BadRequest', () => {
    for (const bad of ['app in (a', 'app=a b', '=x', 'a/b/c=d', 'x>y']) {
      let error: unknown;
      try {
        parseLabelSelector(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KubeStatusError);
      expect((error as KubeStatusError).status).toMatchObject({
        code: 400,
        reason: 'BadRequest',
      });
    }
  });
});

describe('field selectors', () => {
  it('parses supported fields and rejects others', () => {
    expect(
      parseFieldSelector('metadata.name=a,metadata.namespace!=b', [
        'metadata.name',
        'metadata.namespace',
      ]),
    ).toEqual([
      { field: 'metadata.name', operator: '=', value: 'a' },
      { field: 'metadata.namespace', operator: '!=', value: 'b' },
    ]);
    expect(() => parseFieldSelector('spec.x=1', ['metadata.name'])).toThrow(
      '"spec.x" is not a known field selector',
    );
  });
});
