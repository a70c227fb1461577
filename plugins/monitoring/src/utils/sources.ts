/** Where a target, alert, silence or series came from (see the backend's multi-cluster reads). */
export interface SourceRef {
  cluster?: string;
  /** the Prometheus instance, named only when its cluster has several */
  prometheus?: string;
}

/** `eu-1` or `eu-1 / central`. */
export function sourceName(item: SourceRef): string {
  return [item.cluster, item.prometheus].filter(Boolean).join(' / ');
}

/**
 * True when the items come from more than one cluster or Prometheus: only then is the source
 * worth a column (the common single-cluster case stays as compact as before).
 */
export function hasSeveralSources(items: SourceRef[]): boolean {
  return new Set(items.map(sourceName)).size > 1;
}
