/*
 * The API server validates OpenAPI `pattern`s with Go's regexp package (RE2 syntax). JavaScript's
 * RegExp differs: no inline flags such as `(?i)`, no `(?P<name>…)`, no `\z`/`\A`/`\Q…\E`, no POSIX
 * classes, and in unicode mode it rejects escapes of non-syntax punctuation (`\:`). Dropping such a
 * pattern would silently accept values a real cluster rejects, so every construct is translated to
 * an equivalent JavaScript form, and anything that cannot be translated throws.
 */

interface Flags {
  /** case-insensitive */
  i: boolean;
  /** `.` matches `\n` */
  s: boolean;
  /** `^`/`$` match at line boundaries */
  m: boolean;
}

const SYNTAX_CHARS = new Set([
  '^',
  '$',
  '\\',
  '.',
  '*',
  '+',
  '?',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '|',
  '/',
]);

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Unicode general categories RE2 accepts by their short names; anything else is a script. */
const GENERAL_CATEGORIES = new Set([
  'C',
  'Cc',
  'Cf',
  'Co',
  'Cs',
  'L',
  'Ll',
  'Lm',
  'Lo',
  'Lt',
  'Lu',
  'M',
  'Mc',
  'Me',
  'Mn',
  'N',
  'Nd',
  'Nl',
  'No',
  'P',
  'Pc',
  'Pd',
  'Pe',
  'Pf',
  'Pi',
  'Po',
  'Ps',
  'S',
  'Sc',
  'Sk',
  'Sm',
  'So',
  'Z',
  'Zl',
  'Zp',
  'Zs',
  'Any',
]);

export class UnsupportedPatternError extends Error {
  constructor(pattern: string, reason: string) {
    super(
      `cannot translate RE2 pattern ${JSON.stringify(
        pattern,
      )} to JavaScript: ${reason}`,
    );
    this.name = 'UnsupportedPatternError';
  }
}

function escapeLiteral(ch: string, inClass: boolean): string {
  if (SYNTAX_CHARS.has(ch) || (inClass && ch === '-')) return `\\${ch}`;
  return ch;
}

/** A literal character, expanded to both cases when `(?i)` is in effect. */
function literal(ch: string, flags: Flags, inClass: boolean): string {
  if (flags.i) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower !== upper && lower.length === 1 && upper.length === 1) {
      const both = `${escapeLiteral(lower, true)}${escapeLiteral(upper, true)}`;
      return inClass ? both : `[${both}]`;
    }
  }
  return escapeLiteral(ch, inClass);
}

function codePointEscape(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

function unicodeProperty(name: string, negated: boolean): string {
  const body = GENERAL_CATEGORIES.has(name) ? name : `Script=${name}`;
  return `\\${negated ? 'P' : 'p'}{${body}}`;
}

class Translator {
  private pos = 0;
  private readonly flagStack: Flags[] = [];
  private flags: Flags = { i: false, s: false, m: false };

  constructor(private readonly pattern: string) {}

  private fail(reason: string): never {
    throw new UnsupportedPatternError(
      this.pattern,
      `${reason} at offset ${this.pos}`,
    );
  }

  translate(): string {
    let out = '';
    const src = this.pattern;
    while (this.pos < src.length) {
      const ch = src[this.pos];
      switch (ch) {
        case '\\':
          out += this.escape(false);
          break;
        case '[':
          out += this.charClass();
          break;
        case '(':
          out += this.groupOpen();
          break;
        case ')':
          if (this.flagStack.length === 0) this.fail('unbalanced )');
          this.flags = this.flagStack.pop()!;
          this.pos++;
          out += ')';
          break;
        case '.':
          this.pos++;
          out += this.flags.s ? '[\\s\\S]' : '[^\\n]';
          break;
        case '^':
          this.pos++;
          out += this.flags.m ? '(?<=^|\\n)' : '^';
          break;
        case '$':
          this.pos++;
          out += this.flags.m ? '(?=\\n|$)' : '$';
          break;
        case '{': {
          // A repetition only when it looks like one; RE2 treats other braces literally.
          const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(this.pos));
          if (m) {
            out += m[0];
            this.pos += m[0].length;
          } else {
            out += '\\{';
            this.pos++;
          }
          break;
        }
        case '}':
          out += '\\}';
          this.pos++;
          break;
        case '*':
        case '+':
        case '?':
        case '|':
          out += ch;
          this.pos++;
          break;
        default: {
          const cp = src.codePointAt(this.pos)!;
          const char = String.fromCodePoint(cp);
          this.pos += char.length;
          out += literal(char, this.flags, false);
        }
      }
    }
    if (this.flagStack.length > 0) this.fail('missing )');
    return out;
  }

  /** Parses `(?flags)`, `(?flags:`, `(?P<name>`, `(?:`, `(`. */
  private groupOpen(): string {
    const src = this.pattern;
    this.pos++; // (
    if (src[this.pos] !== '?') {
      this.flagStack.push({ ...this.flags });
      return '(';
    }
    this.pos++; // ?
    if (src.startsWith('P<', this.pos) || src[this.pos] === '<') {
      const start = src[this.pos] === 'P' ? this.pos + 2 : this.pos + 1;
      const end = src.indexOf('>', start);
      if (end < 0) this.fail('unterminated group name');
      const name = src.slice(start, end);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        this.fail(`invalid group name ${name}`);
      this.pos = end + 1;
      this.flagStack.push({ ...this.flags });
      return `(?<${name}>`;
    }
    const m = /^([imsU]*)(-([imsU]*))?([:)])/.exec(src.slice(this.pos));
    if (!m) this.fail('unsupported group syntax');
    this.pos += m[0].length;
    const next: Flags = { ...this.flags };
    for (const f of m[1]) {
      if (f === 'U') this.fail('the U (ungreedy) flag is not supported');
      next[f as keyof Flags] = true;
    }
    for (const f of m[3] ?? '') {
      if (f === 'U') this.fail('the U (ungreedy) flag is not supported');
      next[f as keyof Flags] = false;
    }
    if (m[4] === ')') {
      // `(?i)`: flags apply to the rest of the enclosing group.
      this.flags = next;
      return '';
    }
    this.flagStack.push({ ...this.flags });
    this.flags = next;
    return '(?:';
  }

  /** Translates one escape sequence starting at `\`. */
  private escape(inClass: boolean): string {
    const src = this.pattern;
    this.pos++; // backslash
    if (this.pos >= src.length) this.fail('trailing backslash');
    const ch = src[this.pos];
    this.pos++;
    switch (ch) {
      case 'd':
      case 'D':
      case 's':
      case 'S':
      case 'w':
      case 'W':
        if (ch === 's') {
          // RE2's \s is [\t\n\f\r ] only; JavaScript's also matches \v and Unicode spaces.
          return inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]';
        }
        if (ch === 'S') {
          if (inClass) this.fail('\\S inside a class');
          return '[^\\t\\n\\f\\r ]';
        }
        return `\\${ch}`;
      case 'b':
      case 'B':
        if (inClass) this.fail(`\\${ch} inside a class`);
        return `\\${ch}`;
      case 'A':
        if (inClass) this.fail('\\A inside a class');
        return '(?<![\\s\\S])';
      case 'z':
        if (inClass) this.fail('\\z inside a class');
        return '(?![\\s\\S])';
      case 'Q': {
        const end = src.indexOf('\\E', this.pos);
        const text = end < 0 ? src.slice(this.pos) : src.slice(this.pos, end);
        this.pos = end < 0 ? src.length : end + 2;
        return Array.from(text)
          .map(c => literal(c, this.flags, inClass))
          .join('');
      }
      case 'p':
      case 'P': {
        let name: string;
        if (src[this.pos] === '{') {
          const end = src.indexOf('}', this.pos);
          if (end < 0) this.fail('unterminated \\p{');
          name = src.slice(this.pos + 1, end);
          this.pos = end + 1;
        } else {
          name = src[this.pos];
          this.pos++;
        }
        let negated = ch === 'P';
        if (name.startsWith('^')) {
          negated = !negated;
          name = name.slice(1);
        }
        return unicodeProperty(name, negated);
      }
      case 'x': {
        if (src[this.pos] === '{') {
          const end = src.indexOf('}', this.pos);
          if (end < 0) this.fail('unterminated \\x{');
          const cp = parseInt(src.slice(this.pos + 1, end), 16);
          this.pos = end + 1;
          return codePointEscape(cp);
        }
        const hex = src.slice(this.pos, this.pos + 2);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) this.fail('invalid \\x escape');
        this.pos += 2;
        return codePointEscape(parseInt(hex, 16));
      }
      case 'a':
        return '\\x07';
      case 'f':
        return '\\f';
      case 't':
        return '\\t';
      case 'n':
        return '\\n';
      case 'r':
        return '\\r';
      case 'v':
        return '\\v';
      case 'C':
        return this.fail('\\C is not supported');
      default:
        if (/[0-7]/.test(ch)) {
          // Octal escape (RE2 accepts \1-\7 only with leading zero semantics, like \0, \012).
          const m = /^[0-7]{0,2}/.exec(src.slice(this.pos))!;
          this.pos += m[0].length;
          return codePointEscape(parseInt(ch + m[0], 8));
        }
        if (/[A-Za-z0-9]/.test(ch)) this.fail(`unknown escape \\${ch}`);
        // Escaped punctuation is a literal in RE2.
        return literal(ch, this.flags, inClass);
    }
  }

  /** Translates a bracket expression. */
  private charClass(): string {
    const src = this.pattern;
    this.pos++; // [
    let out = '[';
    if (src[this.pos] === '^') {
      out += '^';
      this.pos++;
    }
    let first = true;
    while (this.pos < src.length && (src[this.pos] !== ']' || first)) {
      first = false;
      if (src.startsWith('[:', this.pos)) {
        const end = src.indexOf(':]', this.pos + 2);
        if (end < 0) this.fail('unterminated POSIX class');
        let name = src.slice(this.pos + 2, end);
        const negate = name.startsWith('^');
        if (negate) name = name.slice(1);
        const cls = POSIX_CLASSES[name];
        if (!cls) this.fail(`unknown POSIX class ${name}`);
        if (negate) this.fail('negated POSIX classes are not supported');
        out += cls;
        this.pos = end + 2;
        continue;
      }
      const lo = this.classAtom();
      if (
        src[this.pos] === '-' &&
        src[this.pos + 1] !== ']' &&
        this.pos + 1 < src.length &&
        lo.char !== undefined
      ) {
        this.pos++; // -
        const hi = this.classAtom();
        if (hi.char === undefined) this.fail('invalid character class range');
        out += this.range(lo.char, hi.char);
      } else {
        out += lo.text;
      }
    }
    if (src[this.pos] !== ']') this.fail('missing ]');
    this.pos++;
    return `${out}]`;
  }

  /** One member of a class: a literal character (with its code point) or an escape class. */
  private classAtom(): { text: string; char?: string } {
    const src = this.pattern;
    if (src[this.pos] === '\\') {
      const next = src[this.pos + 1];
      if (next !== undefined && /[^A-Za-z0-9]/.test(next)) {
        this.pos += 2;
        return { text: literal(next, this.flags, true), char: next };
      }
      const text = this.escape(true);
      const single = /^\\u\{([0-9a-f]+)\}$/.exec(text);
      if (single)
        return { text, char: String.fromCodePoint(parseInt(single[1], 16)) };
      if (/^\\[tnrfv]$/.test(text)) {
        return {
          text,
          char: { t: '\t', n: '\n', r: '\r', f: '\f', v: '\v' }[text[1]]!,
        };
      }
      if (text === '\\x07') return { text, char: '\x07' };
      return { text };
    }
    const cp = src.codePointAt(this.pos)!;
    const char = String.fromCodePoint(cp);
    this.pos += char.length;
    return { text: literal(char, this.flags, true), char };
  }

  private range(lo: string, hi: string): string {
    const esc = (c: string) =>
      SYNTAX_CHARS.has(c) || c === '-' ? `\\${c}` : codePointEscapeIfControl(c);
    let out = `${esc(lo)}-${esc(hi)}`;
    if (this.flags.i) {
      // Add the other case of every letter in the range (ranges in patterns are short).
      const from = lo.codePointAt(0)!;
      const to = hi.codePointAt(0)!;
      if (to - from <= 512) {
        for (let cp = from; cp <= to; cp++) {
          const c = String.fromCodePoint(cp);
          for (const other of [c.toLowerCase(), c.toUpperCase()]) {
            if (other !== c && other.length === 1) out += esc(other);
          }
        }
      }
    }
    return out;
  }
}

function codePointEscapeIfControl(c: string): string {
  const cp = c.codePointAt(0)!;
  return cp < 0x20 || cp === 0x7f ? codePointEscape(cp) : c;
}

/** Returns JavaScript RegExp source equivalent to the RE2 `pattern` (to be used with the `u` flag). */
export function translateRe2(pattern: string): string {
  return new Translator(pattern).translate();
}

const cache = new Map<string, RegExp>();

/** Compiles an RE2 pattern (as used in OpenAPI schemas) into an equivalent JavaScript RegExp. */
export function compileRe2(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(translateRe2(pattern), 'u');
    cache.set(pattern, re);
  }
  return re;
}
