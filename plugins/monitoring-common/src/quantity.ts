/** The Kubernetes resource.Quantity syntax, as in the CRDs' `pattern` for quantities. */
export const QUANTITY_PATTERN =
  /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * Parses a Kubernetes quantity (`100m`, `400Mi`, `1.5G`, `1e3`) to a number of base units, or
 * `undefined` when it is not a quantity. Floating point is precise enough to compare requests with
 * limits, which is all it is used for.
 */
export function parseQuantity(text: string): number | undefined {
  if (!QUANTITY_PATTERN.test(text)) {
    return undefined;
  }
  const match = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/.exec(text);
  if (!match) {
    return undefined;
  }
  const [, number, suffix] = match;
  if (/^[eE]/.test(suffix)) {
    return Number(`${number}${suffix}`);
  }
  const factor = SUFFIX[suffix];
  return factor === undefined ? undefined : Number(number) * factor;
}
