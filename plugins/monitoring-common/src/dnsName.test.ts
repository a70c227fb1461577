import { toDnsName } from './dnsName';
import { checkDns1035Label, checkDns1123Label } from './kubernetesNames';

describe('toDnsName', () => {
  it('keeps valid names unchanged', () => {
    expect(toDnsName('checkout', { maxLength: 63 })).toBe('checkout');
    expect(toDnsName('checkout', { maxLength: 63, suffix: '-metrics' })).toBe(
      'checkout-metrics',
    );
  });

  it('normalizes and adds a stable hash when the name had to change', () => {
    const a = toDnsName('My_Service', { maxLength: 63 });
    const b = toDnsName('my.service', { maxLength: 63 });
    expect(a).toMatch(/^my-service-[0-9a-z]{8}$/);
    expect(b).toMatch(/^my-service-[0-9a-z]{8}$/);
    expect(a).not.toBe(b);
    expect(toDnsName('My_Service', { maxLength: 63 })).toBe(a);
  });

  it('shortens long names to the limit, keeping the suffix', () => {
    const long = 'a'.repeat(63);
    const name = toDnsName(long, {
      maxLength: 63,
      suffix: '-metrics',
      startWithLetter: true,
    });
    expect(name).toHaveLength(63);
    expect(name.endsWith('-metrics')).toBe(true);
    expect(checkDns1035Label(name)).toBeUndefined();
    expect(toDnsName(`${long}b`, { maxLength: 63 })).not.toBe(
      toDnsName(`${long}c`, { maxLength: 63 }),
    );
  });

  it('makes DNS-1035 names start with a letter', () => {
    const name = toDnsName('9lives', {
      maxLength: 63,
      suffix: '-metrics',
      startWithLetter: true,
    });
    expect(checkDns1035Label(name)).toBeUndefined();
  });

  it.each(['___', '-', '.', 'Ä', '0', '9'.repeat(100)])(
    'always yields a valid label for %j',
    base => {
      expect(
        checkDns1123Label(toDnsName(base, { maxLength: 63 })),
      ).toBeUndefined();
      expect(
        checkDns1035Label(
          toDnsName(base, {
            maxLength: 63,
            suffix: '-metrics',
            startWithLetter: true,
          }),
        ),
      ).toBeUndefined();
    },
  );
});
