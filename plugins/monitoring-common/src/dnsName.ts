import { stableHash } from './stableHash';

/** Options of {@link toDnsName}. */
export interface DnsNameOptions {
  /** Maximum length of the result (63 for labels and Service names, 253 for subdomains). */
  maxLength: number;
  /** Suffix kept verbatim at the end (e.g. `-metrics`). Must itself be valid name characters. */
  suffix?: string;
  /** DNS-1035: the first character must be a letter (Service names). */
  startWithLetter?: boolean;
}

/**
 * Turns an arbitrary base (an entity name, a kubernetes-id) into a DNS-1123 label that is stable:
 * the same input always gives the same output. When the base had to be changed (upper case,
 * `_` or `.`, too long, leading digit for DNS-1035), a hash of the original base is appended so two
 * different inputs that normalize alike (`a_b`, `a.b`) do not collide.
 */
export function toDnsName(base: string, options: DnsNameOptions): string {
  const suffix = options.suffix ?? '';
  let normalized = base
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  let changed = normalized !== base || normalized.length === 0;
  if (options.startWithLetter && !/^[a-z]/.test(normalized)) {
    normalized = `x-${normalized}`.replace(/-+$/, '');
    changed = true;
  }
  if (!changed && normalized.length + suffix.length <= options.maxLength) {
    return `${normalized}${suffix}`;
  }
  const hash = stableHash(base);
  const room = options.maxLength - suffix.length - hash.length - 1;
  const head = normalized.slice(0, Math.max(0, room)).replace(/-+$/, '');
  const name = head ? `${head}-${hash}${suffix}` : `${hash}${suffix}`;
  // A bare hash may start with a digit; DNS-1035 names need a letter first.
  return options.startWithLetter && !/^[a-z]/.test(name)
    ? `x${name}`.slice(0, options.maxLength)
    : name;
}
