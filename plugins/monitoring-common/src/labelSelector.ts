import { checkLabelKey, checkLabelValue } from './kubernetesNames';
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

type Token =
  | { type: 'identifier'; text: string }
  | { type: 'operator'; text: '=' | '==' | '!=' | '!' | '<' | '>' }
  | { type: 'open' | 'close' | 'comma' };

/** Characters that end an identifier, as in apimachinery's selector lexer. */
const SPECIAL = new Set(['(', ')', ',', '!', '=', '<', '>']);
const WHITESPACE = /\s/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (WHITESPACE.test(ch)) {
      i += 1;
    } else if (ch === '(') {
      tokens.push({ type: 'open' });
      i += 1;
    } else if (ch === ')') {
      tokens.push({ type: 'close' });
      i += 1;
    } else if (ch === ',') {
      tokens.push({ type: 'comma' });
      i += 1;
    } else if (ch === '!' || ch === '=') {
      if (text[i + 1] === '=') {
        tokens.push({ type: 'operator', text: ch === '!' ? '!=' : '==' });
        i += 2;
      } else {
        tokens.push({ type: 'operator', text: ch === '!' ? '!' : '=' });
        i += 1;
      }
    } else if (ch === '<' || ch === '>') {
      tokens.push({ type: 'operator', text: ch });
      i += 1;
    } else {
      let end = i;
      while (
        end < text.length &&
        !SPECIAL.has(text[end]) &&
        !WHITESPACE.test(text[end])
      ) {
        end += 1;
      }
      tokens.push({ type: 'identifier', text: text.slice(i, end) });
      i = end;
    }
  }
  return tokens;
}

function describe(token: Token | undefined): string {
  if (!token) {
    return 'end of input';
  }
  switch (token.type) {
    case 'identifier':
      return `"${token.text}"`;
    case 'operator':
      return `"${token.text}"`;
    case 'open':
      return '"("';
    case 'close':
      return '")"';
    default:
      return '","';
  }
}

/**
 * Parses a Kubernetes label selector string (`a=b,c!=d,e in (f,g),!h,i`) with the grammar and the
 * key/value rules of apimachinery's `labels.Parse`, into a `metav1.LabelSelector`.
 * Equality requirements become `matchLabels`; everything else `matchExpressions` (sorted, so the
 * result is deterministic). `<`/`>` are rejected: `metav1.LabelSelector` cannot express them.
 * All problems are collected; the selector is returned only when there are none.
 */
export function parseLabelSelector(text: string): ParsedLabelSelector {
  const problems: string[] = [];
  const tokens = tokenize(text);
  const matchLabels: Record<string, string> = {};
  const expressions: LabelSelectorRequirement[] = [];
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];

  const checkKey = (key: string) => {
    const problem = checkLabelKey(key);
    if (problem) {
      problems.push(`key "${key}" ${problem}`);
    }
  };
  const checkValue = (key: string, value: string) => {
    const problem = checkLabelValue(value);
    if (problem) {
      problems.push(`value "${value}" of key "${key}" ${problem}`);
    }
  };
  // Skips to the next top-level comma so one bad requirement does not hide problems in later ones.
  const recover = () => {
    let depth = 0;
    while (pos < tokens.length) {
      const token = tokens[pos];
      if (token.type === 'open') depth += 1;
      if (token.type === 'close') depth = Math.max(0, depth - 1);
      if (token.type === 'comma' && depth === 0) return;
      pos += 1;
    }
  };

  if (tokens.length === 0) {
    return { problems: ['must not be empty'] };
  }

  for (;;) {
    let negated = false;
    if (
      peek()?.type === 'operator' &&
      (peek() as { text: string }).text === '!'
    ) {
      negated = true;
      next();
    }
    const keyToken = next();
    if (keyToken?.type !== 'identifier') {
      problems.push(
        `expected a label key but found ${describe(
          keyToken,
        )} (syntax: a=b,c!=d,e in (f,g),!h)`,
      );
      pos -= keyToken ? 1 : 0;
      recover();
    } else {
      const key = keyToken.text;
      checkKey(key);
      const op = peek();
      if (negated) {
        expressions.push({ key, operator: 'DoesNotExist' });
        if (op && op.type !== 'comma') {
          problems.push(
            `"!${key}" must stand alone (found ${describe(op)} after it)`,
          );
          recover();
        }
      } else if (!op || op.type === 'comma') {
        expressions.push({ key, operator: 'Exists' });
      } else if (op.type === 'operator') {
        next();
        if (op.text === '<' || op.text === '>') {
          problems.push(
            `operator "${op.text}" of key "${key}" is not supported: a Kubernetes LabelSelector only has =, ==, !=, in, notin, exists and !exists`,
          );
          recover();
        } else if (op.text === '!') {
          problems.push(`unexpected "!" after key "${key}"`);
          recover();
        } else {
          // An empty value (`a=`) is legal in Kubernetes: it matches an empty label value.
          const valueToken = peek();
          let value = '';
          if (valueToken?.type === 'identifier') {
            value = valueToken.text;
            next();
          } else if (valueToken && valueToken.type !== 'comma') {
            problems.push(
              `expected a value after "${key}${op.text}" but found ${describe(
                valueToken,
              )}`,
            );
            recover();
          }
          checkValue(key, value);
          if (op.text === '!=') {
            expressions.push({ key, operator: 'NotIn', values: [value] });
          } else if (key in matchLabels && matchLabels[key] !== value) {
            problems.push(
              `key "${key}" is required to equal both "${matchLabels[key]}" and "${value}", which no pod can satisfy`,
            );
          } else {
            matchLabels[key] = value;
          }
        }
      } else if (
        op.type === 'identifier' &&
        (op.text === 'in' || op.text === 'notin')
      ) {
        next();
        if (peek()?.type !== 'open') {
          problems.push(
            `expected "(" after "${key} ${op.text}" but found ${describe(
              peek(),
            )}`,
          );
          recover();
        } else {
          next();
          const values: string[] = [];
          let closed = false;
          for (;;) {
            const token = peek();
            if (!token) break;
            if (token.type === 'close') {
              next();
              closed = true;
              break;
            }
            if (token.type === 'identifier') {
              values.push(token.text);
              next();
              const sep = peek();
              if (sep?.type === 'comma') {
                next();
                if (peek()?.type === 'close') values.push('');
              } else if (sep && sep.type !== 'close') {
                problems.push(
                  `expected "," or ")" in the value set of "${key}" but found ${describe(
                    sep,
                  )}`,
                );
                break;
              }
            } else if (token.type === 'comma') {
              values.push('');
              next();
            } else {
              problems.push(
                `unexpected ${describe(token)} in the value set of "${key}"`,
              );
              break;
            }
          }
          if (!closed) {
            problems.push(`the value set of "${key}" is missing ")"`);
            recover();
          } else if (values.length === 0) {
            problems.push(
              `the value set of "${key} ${op.text}" must not be empty`,
            );
          }
          for (const value of values) {
            checkValue(key, value);
          }
          expressions.push({
            key,
            operator: op.text === 'in' ? 'In' : 'NotIn',
            values: [...new Set(values)].sort(),
          });
        }
      } else {
        problems.push(
          `expected an operator (=, ==, !=, in, notin) or "," after key "${key}" but found ${describe(
            op,
          )}`,
        );
        recover();
      }
    }
    const separator = next();
    if (!separator) break;
    if (separator.type !== 'comma') {
      problems.push(`expected "," but found ${describe(separator)}`);
      recover();
      if (!next()) break;
    }
    if (!peek()) {
      problems.push('must not end with ","');
      break;
    }
  }

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
