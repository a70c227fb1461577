import { checkLabelKey, checkLabelValue } from './kubernetesNames';
import type { LabelSelectorRequirement } from './labelSelector';
import { describeToken, type LabelSelectorToken } from './labelSelectorTokens';

type OperatorToken = Extract<LabelSelectorToken, { type: 'operator' }>;

/**
 * Recursive-descent parser over label selector tokens. It keeps going after a problem (see
 * `recover`) so the user sees every problem of a selector at once, not one per attempt.
 * Equality requirements collect into `matchLabels`, everything else into `expressions`.
 */
export class LabelSelectorParser {
  readonly problems: string[] = [];
  readonly matchLabels: Record<string, string> = {};
  readonly expressions: LabelSelectorRequirement[] = [];
  private pos = 0;

  constructor(private readonly tokens: LabelSelectorToken[]) {}

  /** Parses the comma-separated requirements up to the end of input. */
  parseAll(): void {
    for (;;) {
      this.parseRequirement();
      if (!this.parseSeparator()) break;
    }
  }

  private peek(): LabelSelectorToken | undefined {
    return this.tokens[this.pos];
  }

  private next(): LabelSelectorToken | undefined {
    return this.tokens[this.pos++];
  }

  private checkKey(key: string): void {
    const problem = checkLabelKey(key);
    if (problem) {
      this.problems.push(`key "${key}" ${problem}`);
    }
  }

  private checkValue(key: string, value: string): void {
    const problem = checkLabelValue(value);
    if (problem) {
      this.problems.push(`value "${value}" of key "${key}" ${problem}`);
    }
  }

  // Skips to the next top-level comma so one bad requirement does not hide problems in later ones.
  private recover(): void {
    let depth = 0;
    while (this.pos < this.tokens.length) {
      const token = this.tokens[this.pos];
      if (token.type === 'open') depth += 1;
      if (token.type === 'close') depth = Math.max(0, depth - 1);
      if (token.type === 'comma' && depth === 0) return;
      this.pos += 1;
    }
  }

  /** Consumes the "," after a requirement; false when there is no further requirement to parse. */
  private parseSeparator(): boolean {
    const separator = this.next();
    if (!separator) return false;
    if (separator.type !== 'comma') {
      this.problems.push(`expected "," but found ${describeToken(separator)}`);
      this.recover();
      if (!this.next()) return false;
    }
    if (!this.peek()) {
      this.problems.push('must not end with ","');
      return false;
    }
    return true;
  }

  /** One requirement: `!key`, `key`, `key<op>value` or `key in|notin (values)`. */
  private parseRequirement(): void {
    const head = this.peek();
    const negated = head?.type === 'operator' && head.text === '!';
    if (negated) {
      this.next();
    }
    const keyToken = this.next();
    if (keyToken?.type !== 'identifier') {
      this.problems.push(
        `expected a label key but found ${describeToken(
          keyToken,
        )} (syntax: a=b,c!=d,e in (f,g),!h)`,
      );
      this.pos -= keyToken ? 1 : 0;
      this.recover();
      return;
    }
    const key = keyToken.text;
    this.checkKey(key);
    const op = this.peek();
    if (negated) {
      this.parseDoesNotExist(key, op);
    } else if (!op || op.type === 'comma') {
      this.expressions.push({ key, operator: 'Exists' });
    } else if (op.type === 'operator') {
      this.next();
      this.parseEquality(key, op);
    } else if (
      op.type === 'identifier' &&
      (op.text === 'in' || op.text === 'notin')
    ) {
      this.next();
      this.parseSet(key, op.text);
    } else {
      this.problems.push(
        `expected an operator (=, ==, !=, in, notin) or "," after key "${key}" but found ${describeToken(
          op,
        )}`,
      );
      this.recover();
    }
  }

  private parseDoesNotExist(
    key: string,
    after: LabelSelectorToken | undefined,
  ): void {
    this.expressions.push({ key, operator: 'DoesNotExist' });
    if (after && after.type !== 'comma') {
      this.problems.push(
        `"!${key}" must stand alone (found ${describeToken(after)} after it)`,
      );
      this.recover();
    }
  }

  /** `key=value`, `key==value` or `key!=value`; the operator has been consumed. */
  private parseEquality(key: string, op: OperatorToken): void {
    if (op.text === '<' || op.text === '>') {
      this.problems.push(
        `operator "${op.text}" of key "${key}" is not supported: a Kubernetes LabelSelector only has =, ==, !=, in, notin, exists and !exists`,
      );
      this.recover();
      return;
    }
    if (op.text === '!') {
      this.problems.push(`unexpected "!" after key "${key}"`);
      this.recover();
      return;
    }
    const value = this.readEqualityValue(key, op.text);
    this.checkValue(key, value);
    if (op.text === '!=') {
      this.expressions.push({ key, operator: 'NotIn', values: [value] });
    } else if (key in this.matchLabels && this.matchLabels[key] !== value) {
      this.problems.push(
        `key "${key}" is required to equal both "${this.matchLabels[key]}" and "${value}", which no pod can satisfy`,
      );
    } else {
      this.matchLabels[key] = value;
    }
  }

  private readEqualityValue(key: string, opText: string): string {
    // An empty value (`a=`) is legal in Kubernetes: it matches an empty label value.
    const valueToken = this.peek();
    if (valueToken?.type === 'identifier') {
      this.next();
      return valueToken.text;
    }
    if (valueToken && valueToken.type !== 'comma') {
      this.problems.push(
        `expected a value after "${key}${opText}" but found ${describeToken(
          valueToken,
        )}`,
      );
      this.recover();
    }
    return '';
  }

  /** `key in (values)` or `key notin (values)`; the `in`/`notin` has been consumed. */
  private parseSet(key: string, opText: string): void {
    if (this.peek()?.type !== 'open') {
      this.problems.push(
        `expected "(" after "${key} ${opText}" but found ${describeToken(
          this.peek(),
        )}`,
      );
      this.recover();
      return;
    }
    this.next();
    const { values, closed } = this.readValueSet(key);
    if (!closed) {
      this.problems.push(`the value set of "${key}" is missing ")"`);
      this.recover();
    } else if (values.length === 0) {
      this.problems.push(
        `the value set of "${key} ${opText}" must not be empty`,
      );
    }
    for (const value of values) {
      this.checkValue(key, value);
    }
    this.expressions.push({
      key,
      operator: opText === 'in' ? 'In' : 'NotIn',
      values: [...new Set(values)].sort(),
    });
  }

  /** The values after `(` up to and including `)`; empty entries (`(a,,b)`, `(a,)`) are empty values. */
  private readValueSet(key: string): { values: string[]; closed: boolean } {
    const values: string[] = [];
    for (;;) {
      const token = this.peek();
      if (!token) break;
      if (token.type === 'close') {
        this.next();
        return { values, closed: true };
      }
      if (token.type === 'identifier') {
        values.push(token.text);
        this.next();
        const sep = this.peek();
        if (sep?.type === 'comma') {
          this.next();
          if (this.peek()?.type === 'close') values.push('');
        } else if (sep && sep.type !== 'close') {
          this.problems.push(
            `expected "," or ")" in the value set of "${key}" but found ${describeToken(
              sep,
            )}`,
          );
          break;
        }
      } else if (token.type === 'comma') {
        values.push('');
        this.next();
      } else {
        this.problems.push(
          `unexpected ${describeToken(token)} in the value set of "${key}"`,
        );
        break;
      }
    }
    return { values, closed: false };
  }
}
