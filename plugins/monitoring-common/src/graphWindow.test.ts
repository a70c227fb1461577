import { DEFAULT_GRAPH_RANGE_SECONDS, defaultGraphStep } from './graphWindow';

describe('defaultGraphStep', () => {
  it('gives about 240 points, never finer than 15 s', () => {
    expect(defaultGraphStep(DEFAULT_GRAPH_RANGE_SECONDS)).toBe(15);
    expect(defaultGraphStep(6 * 3600)).toBe(90);
    expect(defaultGraphStep(7 * 24 * 3600)).toBe(2520);
    expect(defaultGraphStep(60)).toBe(15);
  });
});
