/**
 * Display filters, step 1: the text → tokens → syntax tree, every node with its source offsets, so
 * an error can underline where it breaks. Wireshark's grammar (4.0): comparisons `== != ~= === !==
 * > < >= <=` and their word forms (`eq ne any_ne all_eq gt lt ge le`), `contains`, `matches`,
 * `in {a, b, c..d}`, `&& || !` and `and or not` (`&&` binds tighter than `||`), parentheses.
 * A value is a bare word (number, address, CIDR, MAC, bytes, field name) or a quoted string.
 */
import { FilterError } from './errors';

export const enum Tok {
  Word,
  Str,
  LParen,
  RParen,
  LBrace,
  RBrace,
  Comma,
  And,
  Or,
  Not,
  Cmp,
  In,
  LBracket,
  RBracket,
  End,
}

export type CmpOp = '==' | '!=' | '~=' | '===' | '>' | '<' | '>=' | '<=' | 'contains' | 'matches';

export interface Token {
  kind: Tok;
  /** The word, the string's value (escapes resolved), or the operator (normalized to its symbol). */
  text: string;
  start: number;
  end: number;
}

const WORD_OPS: Record<string, Tok | CmpOp> = {
  and: Tok.And, or: Tok.Or, not: Tok.Not, in: Tok.In,
  eq: '==', ne: '!=', any_eq: '==', all_ne: '!=', any_ne: '~=', all_eq: '===',
  gt: '>', lt: '<', ge: '>=', le: '<=', contains: 'contains', matches: 'matches',
};

/** Characters of a bare word: field names, numbers, addresses (IPv4, IPv6, CIDR, MAC), byte strings, ranges. */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 /* _ */ || c === 46 /* . */ ||
    c === 58 /* : */ || c === 47 /* / */ || c === 45 /* - */;
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) { i++; continue; }
    const start = i;
    const two = src.slice(i, i + 2), three = src.slice(i, i + 3);
    const push = (kind: Tok, text: string, len: number) => { out.push({ kind, text, start, end: start + len }); i += len; };
    if (three === '===') push(Tok.Cmp, '===', 3);
    else if (three === '!==') push(Tok.Cmp, '~=', 3);
    else if (two === '==' || two === '!=' || two === '~=' || two === '>=' || two === '<=') push(Tok.Cmp, two, 2);
    else if (two === '&&') push(Tok.And, '&&', 2);
    else if (two === '||') push(Tok.Or, '||', 2);
    else if (c === 61 /* = */) throw new FilterError('filter.error.singleEquals', start, start + 1);
    else if (c === 62 || c === 60) push(Tok.Cmp, src[i], 1);
    else if (c === 33) push(Tok.Not, '!', 1);
    else if (c === 40) push(Tok.LParen, '(', 1);
    else if (c === 41) push(Tok.RParen, ')', 1);
    else if (c === 123) push(Tok.LBrace, '{', 1);
    else if (c === 125) push(Tok.RBrace, '}', 1);
    else if (c === 44) push(Tok.Comma, ',', 1);
    else if (c === 91) push(Tok.LBracket, '[', 1);
    else if (c === 93) push(Tok.RBracket, ']', 1);
    else if (c === 34) {
      let s = '';
      i++;
      for (;;) {
        if (i >= n) throw new FilterError('filter.error.unterminatedString', start, n);
        const ch = src[i];
        if (ch === '"') { i++; break; }
        if (ch === '\\') {
          const e = src[i + 1];
          if (e === undefined) throw new FilterError('filter.error.unterminatedString', start, n);
          if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(i + 2, i + 4))) { s += String.fromCharCode(parseInt(src.slice(i + 2, i + 4), 16)); i += 4; continue; }
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === '0' ? '\0' : e;
          i += 2;
          continue;
        }
        s += ch;
        i++;
      }
      out.push({ kind: Tok.Str, text: s, start, end: i });
    } else if (isWordChar(c)) {
      while (i < n && isWordChar(src.charCodeAt(i))) i++;
      const w = src.slice(start, i);
      const op = WORD_OPS[w];
      if (op === undefined) out.push({ kind: Tok.Word, text: w, start, end: i });
      else if (typeof op === 'string') out.push({ kind: Tok.Cmp, text: op, start, end: i });
      else out.push({ kind: op, text: w, start, end: i });
    } else throw new FilterError('filter.error.badChar', start, start + 1, { char: src[i] });
  }
  out.push({ kind: Tok.End, text: '', start: n, end: n });
  return out;
}

/** A value on the right of a comparison or in a set. */
export interface ValueNode {
  /** A bare word may also name a field (compared field to field). */
  kind: 'word' | 'string';
  text: string;
  start: number;
  end: number;
}

export interface SetItem {
  lo: ValueNode;
  /** `lo..hi`: a range. */
  hi?: ValueNode;
}

export type FilterNode =
  | { type: 'and' | 'or'; left: FilterNode; right: FilterNode; start: number; end: number }
  | { type: 'not'; arg: FilterNode; start: number; end: number }
  /** A field or protocol name alone: it is present in the frame. */
  | { type: 'exists'; field: string; start: number; end: number }
  | { type: 'cmp'; field: string; fieldStart: number; fieldEnd: number; op: CmpOp; opStart: number; opEnd: number; value: ValueNode; start: number; end: number }
  | { type: 'in'; field: string; fieldStart: number; fieldEnd: number; items: SetItem[]; start: number; end: number };

/** Parse a filter's text; throws FilterError. An empty (or blank) filter parses to null: everything matches. */
export function parseFilter(src: string): FilterNode | null {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const next = () => toks[p++];
  const unexpected = (t: Token): never => {
    if (t.kind === Tok.End) throw new FilterError('filter.error.unexpectedEnd', t.start, t.end);
    throw new FilterError('filter.error.unexpected', t.start, t.end, { token: src.slice(t.start, t.end) });
  };

  function or(): FilterNode {
    let left = and();
    while (peek().kind === Tok.Or) {
      next();
      const right = and();
      left = { type: 'or', left, right, start: left.start, end: right.end };
    }
    return left;
  }
  function and(): FilterNode {
    let left = unary();
    while (peek().kind === Tok.And) {
      next();
      const right = unary();
      left = { type: 'and', left, right, start: left.start, end: right.end };
    }
    return left;
  }
  function unary(): FilterNode {
    const t = peek();
    if (t.kind === Tok.Not) {
      next();
      const arg = unary();
      return { type: 'not', arg, start: t.start, end: arg.end };
    }
    if (t.kind === Tok.LParen) {
      next();
      const e = or();
      const close = next();
      if (close.kind !== Tok.RParen) {
        if (close.kind === Tok.End) throw new FilterError('filter.error.unclosedParen', t.start, t.end);
        unexpected(close);
      }
      return { ...e, start: t.start, end: close.end };
    }
    return comparison();
  }
  function value(): ValueNode {
    const t = next();
    if (t.kind === Tok.Word) return { kind: 'word', text: t.text, start: t.start, end: t.end };
    if (t.kind === Tok.Str) return { kind: 'string', text: t.text, start: t.start, end: t.end };
    return unexpected(t);
  }
  function comparison(): FilterNode {
    const f = next();
    if (f.kind !== Tok.Word) return unexpected(f);
    const op = peek();
    if (op.kind === Tok.LBracket) throw new FilterError('filter.error.slice', op.start, op.end);
    if (op.kind === Tok.Cmp) {
      next();
      const v = value();
      return { type: 'cmp', field: f.text, fieldStart: f.start, fieldEnd: f.end, op: op.text as CmpOp, opStart: op.start, opEnd: op.end, value: v, start: f.start, end: v.end };
    }
    if (op.kind === Tok.In) {
      next();
      const open = next();
      if (open.kind !== Tok.LBrace) unexpected(open);
      const items: SetItem[] = [];
      for (;;) {
        const t = peek();
        if (t.kind === Tok.RBrace && items.length > 0) { next(); return { type: 'in', field: f.text, fieldStart: f.start, fieldEnd: f.end, items, start: f.start, end: t.end }; }
        if (t.kind === Tok.End) throw new FilterError('filter.error.unclosedBrace', open.start, open.end);
        if (items.length > 0) {
          if (t.kind !== Tok.Comma) unexpected(t);
          next();
        }
        items.push(setItem(value()));
      }
    }
    return { type: 'exists', field: f.text, start: f.start, end: f.end };
  }
  /** `a..b` arrives as one word (the dots are word characters): split it into a range. */
  function setItem(v: ValueNode): SetItem {
    const k = v.kind === 'word' ? v.text.indexOf('..') : -1;
    if (k < 0) return { lo: v };
    const lo: ValueNode = { kind: 'word', text: v.text.slice(0, k), start: v.start, end: v.start + k };
    const hi: ValueNode = { kind: 'word', text: v.text.slice(k + 2), start: v.start + k + 2, end: v.end };
    if (!lo.text || !hi.text) throw new FilterError('filter.error.badRange', v.start, v.end);
    return { lo, hi };
  }

  if (toks[0].kind === Tok.End) return null;
  const tree = or();
  if (peek().kind !== Tok.End) unexpected(peek());
  return tree;
}
