/*
 * A small evaluator for the subset of CEL (Common Expression Language) that the prometheus-operator
 * CRDs use in `x-kubernetes-validations` rules: field selection on `self`, `has()`, `size()`,
 * comparison and logical operators, the conditional operator, integer and string literals.
 * Rules are compiled when the CRDs are loaded, so a CRD update that needs more of CEL fails loudly
 * instead of skipping validation.
 */

type Node =
  | { t: 'lit'; v: unknown }
  | { t: 'ident'; name: string }
  | { t: 'select'; obj: Node; field: string }
  | { t: 'index'; obj: Node; index: Node }
  | { t: 'call'; fn: string; target?: Node; args: Node[] }
  | { t: 'has'; obj: Node; field: string }
  | { t: 'not'; x: Node }
  | { t: 'neg'; x: Node }
  | { t: 'bin'; op: string; l: Node; r: Node }
  | { t: 'cond'; c: Node; a: Node; b: Node }
  | { t: 'list'; items: Node[] };

export class CelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CelError';
  }
}

const TOKEN_RE =
  /\s*(?:(\d+(?:\.\d+)?u?)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(==|!=|<=|>=|&&|\|\||[-+*/%!<>?:.,()[\]])|([A-Za-z_][A-Za-z0-9_]*))/y;

function tokenize(src: string): string[] {
  const tokens: string[] = [];
  TOKEN_RE.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN_RE.lastIndex = pos;
    const m = TOKEN_RE.exec(src);
    if (!m)
      throw new CelError(
        `unexpected character at ${pos} in ${JSON.stringify(src)}`,
      );
    tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
    pos = TOKEN_RE.lastIndex;
  }
  return tokens;
}

/** Member functions the evaluator implements; anything else is refused when a rule is compiled. */
const METHODS = new Set(['size', 'startsWith', 'endsWith', 'contains']);

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: string[],
    private readonly src: string,
  ) {}

  private peek(): string | undefined {
    return this.tokens[this.i];
  }
  private next(): string {
    const t = this.tokens[this.i++];
    if (t === undefined)
      throw new CelError(`unexpected end of rule ${JSON.stringify(this.src)}`);
    return t;
  }
  private expect(t: string) {
    const got = this.next();
    if (got !== t)
      throw new CelError(
        `expected ${t} but found ${got} in ${JSON.stringify(this.src)}`,
      );
  }

  parseAll(): Node {
    const n = this.expr();
    if (this.i !== this.tokens.length) {
      throw new CelError(
        `unexpected ${this.peek()} in ${JSON.stringify(this.src)}`,
      );
    }
    return n;
  }

  private expr(): Node {
    const c = this.or();
    if (this.peek() === '?') {
      this.next();
      const a = this.expr();
      this.expect(':');
      const b = this.expr();
      return { t: 'cond', c, a, b };
    }
    return c;
  }
  private or(): Node {
    let l = this.and();
    while (this.peek() === '||') {
      this.next();
      l = { t: 'bin', op: '||', l, r: this.and() };
    }
    return l;
  }
  private and(): Node {
    let l = this.rel();
    while (this.peek() === '&&') {
      this.next();
      l = { t: 'bin', op: '&&', l, r: this.rel() };
    }
    return l;
  }
  private rel(): Node {
    let l = this.add();
    while (
      ['==', '!=', '<', '<=', '>', '>=', 'in'].includes(this.peek() ?? '')
    ) {
      const op = this.next();
      l = { t: 'bin', op, l, r: this.add() };
    }
    return l;
  }
  private add(): Node {
    let l = this.mul();
    while (this.peek() === '+' || this.peek() === '-') {
      const op = this.next();
      l = { t: 'bin', op, l, r: this.mul() };
    }
    return l;
  }
  private mul(): Node {
    let l = this.unary();
    while (['*', '/', '%'].includes(this.peek() ?? '')) {
      const op = this.next();
      l = { t: 'bin', op, l, r: this.unary() };
    }
    return l;
  }
  private unary(): Node {
    if (this.peek() === '!') {
      this.next();
      return { t: 'not', x: this.unary() };
    }
    if (this.peek() === '-') {
      this.next();
      return { t: 'neg', x: this.unary() };
    }
    return this.member();
  }
  private member(): Node {
    let n = this.primary();
    for (;;) {
      if (this.peek() === '.') {
        this.next();
        const field = this.next();
        if (!/^[A-Za-z_]\w*$/.test(field))
          throw new CelError(`invalid field ${field}`);
        if (this.peek() === '(') {
          if (!METHODS.has(field))
            throw new CelError(
              `unsupported function ${field}() in ${JSON.stringify(this.src)}`,
            );
          n = { t: 'call', fn: field, target: n, args: this.args() };
        } else {
          n = { t: 'select', obj: n, field };
        }
      } else if (this.peek() === '[') {
        this.next();
        const index = this.expr();
        this.expect(']');
        n = { t: 'index', obj: n, index };
      } else {
        return n;
      }
    }
  }
  private args(): Node[] {
    this.expect('(');
    const args: Node[] = [];
    if (this.peek() !== ')') {
      args.push(this.expr());
      while (this.peek() === ',') {
        this.next();
        args.push(this.expr());
      }
    }
    this.expect(')');
    return args;
  }
  private primary(): Node {
    const t = this.next();
    if (t === '(') {
      const n = this.expr();
      this.expect(')');
      return n;
    }
    if (t === '[') {
      const items: Node[] = [];
      if (this.peek() !== ']') {
        items.push(this.expr());
        while (this.peek() === ',') {
          this.next();
          items.push(this.expr());
        }
      }
      this.expect(']');
      return { t: 'list', items };
    }
    if (/^\d/.test(t)) return { t: 'lit', v: Number(t.replace(/u$/, '')) };
    if (t[0] === "'" || t[0] === '"')
      return {
        t: 'lit',
        v: JSON.parse(
          `"${t.slice(1, -1).replace(/"/g, '\\"').replace(/\\'/g, "'")}"`,
        ),
      };
    if (t === 'true' || t === 'false') return { t: 'lit', v: t === 'true' };
    if (t === 'null') return { t: 'lit', v: null };
    if (/^[A-Za-z_]/.test(t)) {
      if (this.peek() === '(') {
        const args = this.args();
        if (t === 'has') {
          const arg = args[0];
          if (args.length !== 1 || arg.t !== 'select') {
            throw new CelError('has() requires a field selection argument');
          }
          return { t: 'has', obj: arg.obj, field: arg.field };
        }
        if (t !== 'size')
          throw new CelError(
            `unsupported function ${t}() in ${JSON.stringify(this.src)}`,
          );
        return { t: 'call', fn: t, args };
      }
      return { t: 'ident', name: t };
    }
    throw new CelError(`unexpected token ${t} in ${JSON.stringify(this.src)}`);
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function size(v: unknown): number {
  if (typeof v === 'string') return Array.from(v).length;
  if (Array.isArray(v)) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  throw new CelError('no matching overload for size()');
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function evaluate(n: Node, vars: Record<string, unknown>): unknown {
  switch (n.t) {
    case 'lit':
      return n.v;
    case 'ident':
      if (!(n.name in vars))
        throw new CelError(`undeclared reference to '${n.name}'`);
      return vars[n.name];
    case 'list':
      return n.items.map(i => evaluate(i, vars));
    case 'select': {
      const obj = evaluate(n.obj, vars);
      if (!isMap(obj)) throw new CelError(`no such key: ${n.field}`);
      if (!(n.field in obj)) throw new CelError(`no such key: ${n.field}`);
      return obj[n.field];
    }
    case 'index': {
      const obj = evaluate(n.obj, vars);
      const idx = evaluate(n.index, vars);
      if (Array.isArray(obj) && typeof idx === 'number') {
        if (idx < 0 || idx >= obj.length)
          throw new CelError('index out of range');
        return obj[idx];
      }
      if (isMap(obj) && typeof idx === 'string' && idx in obj) return obj[idx];
      throw new CelError('no such key');
    }
    case 'has': {
      const obj = evaluate(n.obj, vars);
      return isMap(obj) && n.field in obj && obj[n.field] !== null;
    }
    case 'call': {
      const target = n.target ? evaluate(n.target, vars) : undefined;
      const args = n.args.map(a => evaluate(a, vars));
      if (n.fn === 'size') return size(n.target ? target : args[0]);
      if (n.target !== undefined && typeof target === 'string') {
        const s = target;
        const arg = String(args[0]);
        if (n.fn === 'startsWith') return s.startsWith(arg);
        if (n.fn === 'endsWith') return s.endsWith(arg);
        if (n.fn === 'contains') return s.includes(arg);
      }
      throw new CelError(`unsupported function ${n.fn}()`);
    }
    case 'not': {
      const v = evaluate(n.x, vars);
      if (typeof v !== 'boolean')
        throw new CelError('no matching overload for !_');
      return !v;
    }
    case 'neg': {
      const v = evaluate(n.x, vars);
      if (typeof v !== 'number')
        throw new CelError('no matching overload for -_');
      return -v;
    }
    case 'cond': {
      const c = evaluate(n.c, vars);
      if (typeof c !== 'boolean')
        throw new CelError('no matching overload for _?_:_');
      return c ? evaluate(n.a, vars) : evaluate(n.b, vars);
    }
    case 'bin':
      return binary(n, vars);
    default:
      throw new CelError('unsupported expression');
  }
}

function binary(
  n: Extract<Node, { t: 'bin' }>,
  vars: Record<string, unknown>,
): unknown {
  if (n.op === '||' || n.op === '&&') {
    // CEL's logical operators are commutative with respect to errors: `true || error` is true.
    const shortCircuit = n.op === '||';
    let firstError: unknown;
    for (const side of [n.l, n.r]) {
      try {
        const v = evaluate(side, vars);
        if (typeof v !== 'boolean')
          throw new CelError(`no matching overload for ${n.op}`);
        if (v === shortCircuit) return shortCircuit;
      } catch (e) {
        firstError ??= e;
      }
    }
    if (firstError) throw firstError;
    return !shortCircuit;
  }
  const l = evaluate(n.l, vars);
  const r = evaluate(n.r, vars);
  switch (n.op) {
    case '==':
      return equal(l, r);
    case '!=':
      return !equal(l, r);
    case 'in':
      if (Array.isArray(r)) return r.some(x => equal(x, l));
      if (isMap(r) && typeof l === 'string') return l in r;
      throw new CelError('no matching overload for in');
    default:
      break;
  }
  const bothNumbers = typeof l === 'number' && typeof r === 'number';
  const bothStrings = typeof l === 'string' && typeof r === 'string';
  if (!bothNumbers && !bothStrings)
    throw new CelError(`no matching overload for ${n.op}`);
  switch (n.op) {
    case '<':
      return (l as number) < (r as number);
    case '<=':
      return (l as number) <= (r as number);
    case '>':
      return (l as number) > (r as number);
    case '>=':
      return (l as number) >= (r as number);
    case '+':
      return (l as number) + (r as number);
    default:
      if (!bothNumbers) throw new CelError(`no matching overload for ${n.op}`);
  }
  const a = l as number;
  const b = r as number;
  if ((n.op === '/' || n.op === '%') && b === 0)
    throw new CelError('division by zero');
  if (n.op === '-') return a - b;
  if (n.op === '*') return a * b;
  if (n.op === '/') return Math.trunc(a / b);
  return a % b;
}

/** A compiled rule: returns true when `self` satisfies it; throws CelError on evaluation errors. */
export type CelProgram = (self: unknown) => boolean;

/** Compiles a `x-kubernetes-validations` rule; throws CelError when it is outside the subset. */
export function compileCel(rule: string): CelProgram {
  const ast = new Parser(tokenize(rule), rule).parseAll();
  return self => {
    const v = evaluate(ast, { self });
    if (typeof v !== 'boolean')
      throw new CelError(
        `rule ${JSON.stringify(rule)} did not evaluate to a bool`,
      );
    return v;
  };
}
