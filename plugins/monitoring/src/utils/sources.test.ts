import { hasSeveralSources, sourceName } from './sources';

describe('sources', () => {
  it('names a cluster, and its Prometheus when there are several', () => {
    expect(sourceName({ cluster: 'eu-1' })).toBe('eu-1');
    expect(sourceName({ cluster: 'eu-1', prometheus: 'central' })).toBe(
      'eu-1 / central',
    );
  });

  it('tells whether items come from more than one source', () => {
    expect(hasSeveralSources([])).toBe(false);
    expect(
      hasSeveralSources([{ cluster: 'local' }, { cluster: 'local' }]),
    ).toBe(false);
    expect(hasSeveralSources([{ cluster: 'local' }, { cluster: 'eu' }])).toBe(
      true,
    );
    expect(
      hasSeveralSources([
        { cluster: 'local', prometheus: 'namespace' },
        { cluster: 'local', prometheus: 'central' },
      ]),
    ).toBe(true);
  });
});
