import { seriesName, toChartData } from './toChartData';

describe('toChartData', () => {
  it('merges series on timestamps and names them by their telling label', () => {
    const data = toChartData([
      {
        metric: { pod: 'checkout-1', job: 'checkout-metrics' },
        values: [
          [100, '1'],
          [115, '0'],
        ],
      },
      {
        metric: { pod: 'checkout-2', job: 'checkout-metrics' },
        values: [[115, '1']],
      },
    ]);
    expect(data.keys).toEqual(['checkout-1', 'checkout-2']);
    expect(data.rows).toEqual([
      { time: 100000, 'checkout-1': 1 },
      { time: 115000, 'checkout-1': 0, 'checkout-2': 1 },
    ]);
  });

  it('turns NaN and infinities into gaps', () => {
    const data = toChartData([
      {
        metric: {},
        values: [
          [1, 'NaN'],
          [2, '+Inf'],
          [3, '0.5'],
        ],
      },
    ]);
    expect(data.keys).toEqual(['value']);
    expect(data.rows.map(r => r.value)).toEqual([null, null, 0.5]);
  });

  it('names unlabelled series after what the graph shows', () => {
    const data = toChartData(
      [
        { metric: {}, values: [[1, '3']] },
        { metric: {}, values: [[1, '4']] },
      ],
      'Request rate',
    );
    expect(data.keys).toEqual(['Request rate', 'Request rate 2']);
  });

  it('names the cluster of each series when several clusters answered', () => {
    const data = toChartData([
      { metric: {}, values: [[1, '3']], cluster: 'local' },
      { metric: {}, values: [[1, '5']], cluster: 'eu' },
      { metric: { pod: 'p' }, values: [], cluster: 'eu', prometheus: 'c' },
    ]);
    expect(data.keys).toEqual(['local', 'eu', 'eu / c: p']);
    expect(data.rows).toEqual([{ time: 1000, local: 3, eu: 5 }]);
    // one cluster: as compact as before
    expect(
      toChartData([{ metric: { pod: 'p' }, values: [], cluster: 'local' }])
        .keys,
    ).toEqual(['p']);
  });

  it('keeps series apart when their names collide', () => {
    const data = toChartData([
      { metric: { job: 'a' }, values: [[1, '1']] },
      { metric: { job: 'a' }, values: [[1, '2']] },
    ]);
    expect(data.keys).toEqual(['a', 'a (2)']);
    expect(data.rows).toEqual([{ time: 1000, a: 1, 'a (2)': 2 }]);
  });
});

describe('seriesName', () => {
  it('falls back to all labels without a known one', () => {
    expect(
      seriesName({ metric: { __name__: 'up', zone: 'x' }, values: [] }, 0),
    ).toBe('zone=x');
  });
});
