import { LabelSelectorParser } from './LabelSelectorParser';
import { tokenizeLabelSelector } from './labelSelectorTokens';
import { compareStrings, sortedRecord } from './sortedRecord';

/** A Kubernetes `metav1.LabelSelector`. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** One set-based requirement of a {@link LabelSelector}. */
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** Result of {@link parseLabelSelector}: the selector when the text is valid, and every problem found. */
export interface ParsedLabelSelector {
  selector?: LabelSelector;
  problems: string[];
}

/**
 * Parses a Kubernetes label selector string (`a=b,c!=d,e in (f,g),!h,i`) with the grammar and the
 * key/value rules of apimachinery's `labels.Parse`, into a `metav1.LabelSelector`.
 * Equality requirements become `matchLabels`; everything else `matchExpressions` (sorted, so the
 * result is deterministic). `<`/`>` are rejected: `metav1.LabelSelector` cannot express them.
 * All problems are collected; the selector is returned only when there are none.
 */
export function parseLabelSelector(text: string): ParsedLabelSelector {
  const tokens = tokenizeLabelSelector(text);
  if (tokens.length === 0) {
    return { problems: ['must not be empty'] };
  }
  const parser = new LabelSelectorParser(tokens);
  parser.parseAll();
  const { problems, matchLabels, expressions } = parser;

  if (problems.length > 0) {
    return { problems: [...new Set(problems)] };
  }
  const selector: LabelSelector = {};
  if (Object.keys(matchLabels).length > 0) {
    selector.matchLabels = sortedRecord(matchLabels);
  }
  if (expressions.length > 0) {
    selector.matchExpressions = dedupeRequirements(expressions);
  }
  return { selector, problems };
}

function requirementKey(r: LabelSelectorRequirement): string {
  return JSON.stringify([r.key, r.operator, r.values ?? []]);
}

function dedupeRequirements(
  requirements: LabelSelectorRequirement[],
): LabelSelectorRequirement[] {
  const byKey = new Map<string, LabelSelectorRequirement>();
  for (const r of requirements) {
    byKey.set(requirementKey(r), r);
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([, r]) => r);
}

/** Formats a {@link LabelSelector} in the string syntax the Kubernetes API accepts as `labelSelector`. */
export function formatLabelSelector(selector: LabelSelector): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    parts.push(`${key}=${value}`);
  }
  for (const r of selector.matchExpressions ?? []) {
    switch (r.operator) {
      case 'In':
        parts.push(`${r.key} in (${(r.values ?? []).join(',')})`);
        break;
      case 'NotIn':
        parts.push(`${r.key} notin (${(r.values ?? []).join(',')})`);
        break;
      case 'Exists':
        parts.push(r.key);
        break;
      default:
        parts.push(`!${r.key}`);
    }
  }
  return parts.join(',');
}

/** Whether an object with these labels is selected by the selector (Kubernetes semantics). */
export function labelsMatchSelector(
  labels: Record<string, string> | undefined,
  selector: LabelSelector,
): boolean {
  const actual = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (actual[key] !== value) return false;
  }
  for (const r of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(actual, r.key);
    switch (r.operator) {
      case 'In':
        if (!has || !(r.values ?? []).includes(actual[r.key])) return false;
        break;
      case 'NotIn':
        if (has && (r.values ?? []).includes(actual[r.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      default:
        if (has) return false;
    }
  }
  return true;
}
