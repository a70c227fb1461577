/** Code-unit order, the same everywhere (unlike `localeCompare`), for deterministic output. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** A copy of the record with its keys in {@link compareStrings} order. */
export function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => compareStrings(a, b)),
  );
}
