/*
 * Label and field selectors as accepted by the API server's `labelSelector` / `fieldSelector`
 * list parameters (k8s.io/apimachinery/pkg/labels and pkg/fields), with the same syntax and the
 * same matching rules (`!=` and `notin` match objects without the label).
 */
import { badRequest } from './statusErrors';

export type LabelOperator =
  | '='
  | '!='
  | 'in'
  | 'notin'
  | 'exists'
  | '!'
  | 'gt'
  | 'lt';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const NAME_PART_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN_RE =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Returns why `key` is not a valid qualified label key, or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) {
    return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
  }
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0) return 'prefix part must be non-empty';
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN_RE.test(prefix)) {
      return "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    }
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!NAME_PART_RE.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  }
  return undefined;
}

/** Returns why `value` is not a valid label value, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!LABEL_VALUE_RE.test(value)) {
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  }
  return undefined;
}

type Token = { kind: 'id' | 'op' | 'open' | 'close' | 'comma'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(') {
      tokens.push({ kind: 'open', text: ch });
      i++;
    } else if (ch === ')') {
      tokens.push({ kind: 'close', text: ch });
      i++;
    } else if (ch === ',') {
      tokens.push({ kind: 'comma', text: ch });
      i++;
    } else if (/[=!<>]/.test(ch)) {
      const two = input.slice(i, i + 2);
      if (two === '==' || two === '!=') {
        tokens.push({ kind: 'op', text: two });
        i += 2;
      } else {
        tokens.push({ kind: 'op', text: ch });
        i++;
      }
    } else {
      let j = i;
      while (j < input.length && !/[\s(),=!<>]/.test(input[j])) j++;
      tokens.push({ kind: 'id', text: input.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

function selectorError(message: string): Error {
  return badRequest(`unable to parse requirement: ${message}`);
}

/** Parses a label selector string; throws a 400 `BadRequest` Status error when it is malformed. */
export function parseLabelSelector(input: string): LabelRequirement[] {
  const tokens = tokenize(input);
  const reqs: LabelRequirement[] = [];
  let pos = 0;
  const peek = () => tokens[pos];
  const parseValues = (): string[] => {
    const open = tokens[pos++];
    if (!open || open.kind !== 'open') {
      throw badRequest(`found '${open?.text ?? ''}', expected: '('`);
    }
    const values: string[] = [];
    for (;;) {
      const t = tokens[pos];
      if (!t) throw badRequest("found '', expected: ')'");
      if (t.kind === 'close') {
        pos++;
        if (values.length === 0) values.push('');
        return values;
      }
      if (t.kind === 'id') {
        values.push(t.text);
        pos++;
        const sep = tokens[pos];
        if (sep?.kind === 'comma') pos++;
        else if (sep?.kind !== 'close')
          throw badRequest(`found '${sep?.text ?? ''}', expected: ',' or ')'`);
      } else if (t.kind === 'comma') {
        values.push('');
        pos++;
      } else {
        throw badRequest(`found '${t.text}', expected: ',', ')' or identifier`);
      }
    }
  };
  while (pos < tokens.length) {
    let t = tokens[pos++];
    let req: LabelRequirement;
    if (t.kind === 'op' && t.text === '!') {
      const key = tokens[pos++];
      if (!key || key.kind !== 'id')
        throw badRequest(
          `found '${key?.text ?? ''}', expected: identifier after '!'`,
        );
      req = { key: key.text, operator: '!', values: [] };
    } else if (t.kind === 'id') {
      const key = t.text;
      const op = peek();
      if (!op || op.kind === 'comma') {
        req = { key, operator: 'exists', values: [] };
      } else if (op.kind === 'op') {
        pos++;
        const value = tokens[pos];
        let v = '';
        if (value?.kind === 'id') {
          v = value.text;
          pos++;
        } else if (value && value.kind !== 'comma') {
          throw badRequest(`found '${value.text}', expected: identifier`);
        }
        if (op.text === '=' || op.text === '==')
          req = { key, operator: '=', values: [v] };
        else if (op.text === '!=') req = { key, operator: '!=', values: [v] };
        else if (op.text === '>' || op.text === '<') {
          if (!/^-?\d+$/.test(v))
            throw selectorError(
              `for 'Gt', 'Lt' operators, the value must be an integer`,
            );
          req = { key, operator: op.text === '>' ? 'gt' : 'lt', values: [v] };
        } else
          throw badRequest(
            `found '${op.text}', expected: '=', '!=', '==', 'in', notin'`,
          );
      } else if (
        op.kind === 'id' &&
        (op.text === 'in' || op.text === 'notin')
      ) {
        pos++;
        req = { key, operator: op.text, values: parseValues() };
      } else {
        throw badRequest(
          `found '${op.text}', expected: '=', '!=', '==', 'in', notin'`,
        );
      }
    } else {
      throw badRequest(
        `found '${t.text}', expected: !, identifier, or 'end of string'`,
      );
    }
    const keyProblem = labelKeyProblem(req.key);
    if (keyProblem)
      throw selectorError(`key: Invalid value: "${req.key}": ${keyProblem}`);
    if (req.operator !== 'gt' && req.operator !== 'lt') {
      req.values.forEach((v, i) => {
        const problem = labelValueProblem(v);
        if (problem)
          throw selectorError(
            `values[${i}][${req.key}]: Invalid value: "${v}": ${problem}`,
          );
      });
    }
    reqs.push(req);
    t = tokens[pos];
    if (t) {
      if (t.kind !== 'comma')
        throw badRequest(`found '${t.text}', expected: ',' or 'end of string'`);
      pos++;
    }
  }
  return reqs;
}

/** True when `labels` satisfy every requirement. */
export function matchesLabels(
  reqs: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return reqs.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.operator) {
      case '=':
      case 'in':
        return has && r.values.includes(v);
      case '!=':
      case 'notin':
        return !has || !r.values.includes(v);
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(v)) return false;
        const a = Number(v);
        const b = Number(r.values[0]);
        return r.operator === 'gt' ? a > b : a < b;
      }
      default:
        return false;
    }
  });
}

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** Parses a field selector (`a=b,c!=d`); `supported` lists the fields this resource allows. */
export function parseFieldSelector(
  input: string,
  supported: string[],
): FieldRequirement[] {
  const reqs: FieldRequirement[] = [];
  for (const raw of input.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m)
      throw badRequest(
        `invalid selector: '${input}'; can't understand '${part}'`,
      );
    const field = m[1].trim();
    if (!supported.includes(field)) {
      throw badRequest(
        `"${field}" is not a known field selector: only ${supported
          .map(s => `"${s}"`)
          .join(', ')}`,
      );
    }
    reqs.push({
      field,
      operator: m[2] === '!=' ? '!=' : '=',
      value: m[3].replace(/\\(.)/g, '$1'),
    });
  }
  return reqs;
}

/** True when `fields` (field path → value) satisfy every requirement. */
export function matchesFields(
  reqs: FieldRequirement[],
  fields: Record<string, string>,
): boolean {
  return reqs.every(r =>
    r.operator === '='
      ? fields[r.field] === r.value
      : fields[r.field] !== r.value,
  );
}
