/** One lexical token of a label selector string. */
export type LabelSelectorToken =
  | { type: 'identifier'; text: string }
  | { type: 'operator'; text: '=' | '==' | '!=' | '!' | '<' | '>' }
  | { type: 'open' | 'close' | 'comma' };

/** Characters that end an identifier, as in apimachinery's selector lexer. */
const SPECIAL = new Set(['(', ')', ',', '!', '=', '<', '>']);
const WHITESPACE = /\s/;

/** Splits a label selector string into tokens the way apimachinery's selector lexer does. */
export function tokenizeLabelSelector(text: string): LabelSelectorToken[] {
  const tokens: LabelSelectorToken[] = [];
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

/** How a token (or the end of input) is quoted in a problem message. */
export function describeToken(token: LabelSelectorToken | undefined): string {
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
