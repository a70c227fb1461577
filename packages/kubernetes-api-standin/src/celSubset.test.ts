import { CelError, compileCel } from './celSubset';

describe('CEL subset', () => {
  it('evaluates the prometheus-operator rules', () => {
    const topology = compileCel(
      "!has(self.shardingStrategy) || !has(self.shardingStrategy.mode) || self.shardingStrategy.mode != 'Topology' || !has(self.shardingStrategy.topology) || !has(self.shardingStrategy.topology.values) || self.shardingStrategy.topology.values.size() == 0 || (has(self.shards) ? self.shards : 1) >= self.shardingStrategy.topology.values.size()",
    );
    expect(topology({})).toBe(true);
    expect(
      topology({
        shardingStrategy: {
          mode: 'Topology',
          topology: { values: ['a', 'b'] },
        },
      }),
    ).toBe(false);
    expect(
      topology({
        shards: 2,
        shardingStrategy: {
          mode: 'Topology',
          topology: { values: ['a', 'b'] },
        },
      }),
    ).toBe(true);
    const rolling = compileCel(
      "!(self.type != 'RollingUpdate' && has(self.rollingUpdate))",
    );
    expect(rolling({ type: 'OnDelete', rollingUpdate: {} })).toBe(false);
    expect(rolling({ type: 'RollingUpdate', rollingUpdate: {} })).toBe(true);
  });

  it('treats errors like CEL: absorbed by a decided || and reported otherwise', () => {
    expect(compileCel('true || self.missing == 1')({})).toBe(true);
    expect(() => compileCel('self.missing == 1')({})).toThrow(CelError);
  });

  it('refuses syntax outside the subset at compile time', () => {
    expect(() => compileCel('self.all(x, x > 0)')).toThrow(
      'unsupported function all()',
    );
    expect(() => compileCel('matches(self, "a")')).toThrow(
      'unsupported function matches()',
    );
    expect(() => compileCel('self.a ==')).toThrow(CelError);
  });
});
