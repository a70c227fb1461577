/**
 * A short, stable, isomorphic hash (64-bit FNV-1a over the UTF-8 bytes, base36) used to keep
 * shortened object names unique and identical across runs, machines and browsers.
 * Not a security primitive: it only has to make accidental collisions of shortened names unlikely.
 */
export function stableHash(text: string, length = 8): string {
  const bytes = new TextEncoder().encode(text);
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (const byte of bytes) {
    hash ^= BigInt(byte);
    hash = (hash * prime) & mask;
  }
  return hash.toString(36).padStart(13, '0').slice(-length);
}
