import { parseQuantity } from './quantity';

describe('parseQuantity', () => {
  it.each([
    ['100m', 0.1],
    ['400Mi', 400 * 2 ** 20],
    ['2Gi', 2 * 2 ** 30],
    ['1.5G', 1.5e9],
    ['1e3', 1000],
    ['0', 0],
    ['.5', 0.5],
  ])('%s is %d', (text, value) =>
    expect(parseQuantity(text)).toBeCloseTo(value),
  );

  it.each(['', 'lots', '1 Gi', '1gi', '1Gb', '--1', '1.2.3'])(
    'rejects %j',
    text => expect(parseQuantity(text)).toBeUndefined(),
  );
});
