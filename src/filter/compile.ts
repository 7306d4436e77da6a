/**
 * Display filters, steps 2 and 3: the syntax tree checked against the field registry (names,
 * operators, values parsed once into numbers, address ranges, byte strings), then compiled into one
 * closure per node that tests a row by its index. Column tests read the typed arrays and allocate
 * nothing; a field the columns do not hold (or a row they do not describe exactly: a tunnel, an
 * ICMP error) asks for the frame's decode, once per row, and the operands of && and || are ordered
 * so that the column tests run first and the decode is reached only by rows that passed them.
 *
 * Wireshark's semantics (4.0): a field with several occurrences (ip.src outer and inner of a tunnel,
 * ip.addr = source and destination) matches `==`, `>`, `contains`, `in` when any occurrence does;
 * `!=` means no occurrence equals (and the field is present: `ip.src != X` is false without IP);
 * `~=` (`!==`, any_ne) some occurrence differs; `===` (all_eq) every occurrence equals. A missing
 * field makes a comparison false, so `!(tcp.port == 80)` is true for a UDP packet. A field alone
 * tests its presence: `tcp.flags.syn` is true on every TCP packet (the bit is a field, 0 or 1).
 */
import type { DetailLayer } from '../decode/detail';
import { decodeDetail, withJoinedDns } from '../decode/detail';
import { FilterError, nearestNames } from './errors';
import { FType, fieldSpec, filterFieldNames, isIcmpRow, notPlainMask, type FieldSpec, type FilterData, type Gated, type Materialized } from './fields';
import type { FilterMessageKey } from './messages';
import { parseFilter, type CmpOp, type FilterNode, type SetItem, type ValueNode } from './syntax';

/** A frame's bytes, for the fields the columns do not hold. */
export interface FrameData {
  data: Uint8Array;
  linkType: number;
  /** Bytes of a captured frame check sequence at the end (left out of the decode). */
  fcsLen?: number;
  /** Bytes of the frame (before its FCS) that were not captured. */
  uncaptured?: number;
  /** A DNS message the frame completes but does not hold whole (joined TCP segments, a reassembled datagram), and how it came. */
  dnsJoined?: { msg: Uint8Array; tcp: boolean; mdns: boolean; ports: [number, number] };
}

/** The bytes of the frame in `row`, or null when they cannot be had (the row then only has its column fields). */
export type FrameSource = (row: number) => FrameData | null;

const enum Quant { Any, NoneEq, AnyNe, AllEq }

/** A value test, on the forms a field's values come in. */
interface ValueTest {
  /** For a value read from a column: the numbers that pass, as inclusive intervals [lo0, hi0, lo1, hi1, ...] (address columns go through `text`). */
  ivs: Float64Array | null;
  /** A value as the decode writes it. */
  text: (s: string) => boolean;
  /** The bytes of a protocol (`tcp contains "GET"`). */
  bytes?: (b: Uint8Array, start: number, end: number) => boolean;
}

/** A checked node. */
export type Checked =
  | { k: 'and' | 'or'; a: Checked; b: Checked }
  | { k: 'not'; a: Checked }
  | { k: 'exists'; spec: FieldSpec; at: [number, number] }
  | { k: 'cmp'; spec: FieldSpec; q: Quant; test: ValueTest; at: [number, number] };

const TYPE_KEY: Record<FType, FilterMessageKey> = {
  [FType.Proto]: 'filter.type.protocol', [FType.Label]: 'filter.type.label', [FType.Uint]: 'filter.type.number',
  [FType.Bool]: 'filter.type.boolean', [FType.Float]: 'filter.type.time', [FType.Ipv4]: 'filter.type.ipv4',
  [FType.Ipv6]: 'filter.type.ipv6', [FType.Ether]: 'filter.type.ether', [FType.Str]: 'filter.type.string', [FType.Bytes]: 'filter.type.bytes',
};

function unknownField(name: string, start: number, end: number): FilterError {
  const e = new FilterError('filter.error.unknownField', start, end, { field: name });
  e.suggestions = nearestNames(name, filterFieldNames());
  return e;
}

function specOf(name: string, start: number, end: number): FieldSpec {
  const s = fieldSpec(name);
  if (!s) throw unknownField(name, start, end);
  return s;
}

// ---- literals ----

function parseUint(s: string): number | null {
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s.slice(2), 16);
  // A leading 0 means octal, as in Wireshark (so 09 is no number).
  if (/^0[0-7]+$/.test(s)) return parseInt(s, 8);
  if (/^(0|[1-9][0-9]*)$/.test(s)) return Number(s);
  return null;
}

/** Dotted quad → 32-bit value, or null (by hand: the address table's texts go through it one by one). */
function parseIpv4(s: string): number | null {
  let v = 0, part = 0, digits = 0, dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return null;
    } else if (c === 46 && digits > 0 && dots < 3) {
      v = v * 256 + part;
      part = 0; digits = 0; dots++;
    } else return null;
  }
  if (dots !== 3 || digits === 0) return null;
  return v * 256 + part;
}

/** An IPv4 address or network as the range [lo, hi] of 32-bit values. */
function parseIpv4Net(s: string): [number, number] | null {
  const [a, bits, extra] = s.split('/');
  if (extra !== undefined) return null;
  const v = parseIpv4(a);
  if (v === null) return null;
  if (bits === undefined) return [v, v];
  if (!/^\d+$/.test(bits) || Number(bits) > 32) return null;
  const n = Number(bits);
  const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
  const lo = (v & mask) >>> 0;
  return [lo, (lo | (~mask >>> 0)) >>> 0];
}

export function parseIpv6(s: string): Uint8Array | null {
  let text = s;
  const out = new Uint8Array(16);
  // A trailing dotted IPv4 part (::ffff:1.2.3.4).
  const v4m = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let tail4: number | null = null;
  if (v4m) {
    tail4 = parseIpv4(v4m[2]);
    if (tail4 === null) return null;
    text = v4m[1] + '0:0';
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]), tail = halves.length === 2 ? groups(halves[1]) : [];
  const total = head.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return null;
  const all = [...head, ...new Array<string>(8 - total).fill('0'), ...tail];
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-f]{1,4}$/i.test(all[i])) return null;
    const g = parseInt(all[i], 16);
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 255;
  }
  if (tail4 !== null) { out[12] = tail4 >>> 24; out[13] = (tail4 >>> 16) & 255; out[14] = (tail4 >>> 8) & 255; out[15] = tail4 & 255; }
  return out;
}

function parseIpv6Net(s: string): { addr: Uint8Array; bits: number } | null {
  const [a, bits, extra] = s.split('/');
  if (extra !== undefined || !a.includes(':')) return null;
  const addr = parseIpv6(a);
  if (!addr) return null;
  if (bits === undefined) return { addr, bits: 128 };
  if (!/^\d+$/.test(bits) || Number(bits) > 128) return null;
  return { addr, bits: Number(bits) };
}

/** -1, 0, 1: a compared with b over the first `bits` bits. */
function cmpBits(a: Uint8Array, b: Uint8Array, bits: number): number {
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const m = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    const x = a[i] & m, y = b[i] & m;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function parseEther(s: string): string | null {
  const m = /^([0-9a-f]{2})[:.-]?([0-9a-f]{2})[:.-]?([0-9a-f]{2})[:.-]?([0-9a-f]{2})[:.-]?([0-9a-f]{2})[:.-]?([0-9a-f]{2})$/i.exec(s);
  return m ? m.slice(1).join(':').toLowerCase() : null;
}

/** A byte string: a quoted string (its characters as bytes, UTF-8), or hex bytes `00:01:ff` / `00-01` / `0001`. */
function parseBytes(v: ValueNode): Uint8Array | null {
  if (v.kind === 'string') return new TextEncoder().encode(v.text);
  const t = v.text;
  if (/^[0-9a-f]{2}([:.-][0-9a-f]{2})*$/i.test(t)) return Uint8Array.from(t.split(/[:.-]/), (h) => parseInt(h, 16));
  return null;
}

function indexOfBytes(hay: Uint8Array, start: number, end: number, needle: Uint8Array): boolean {
  const n = needle.length;
  if (n === 0) return true;
  const first = needle[0];
  outer: for (let i = start; i + n <= end; i++) {
    if (hay[i] !== first) continue;
    for (let j = 1; j < n; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function latin1(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}

/** The numbers `op x` selects, as one inclusive interval (a strict bound moved to the next double). */
function orderInterval(op: '>' | '<' | '>=' | '<=', x: number): Float64Array {
  switch (op) {
    case '>': return Float64Array.of(nextUp(x), Infinity);
    case '>=': return Float64Array.of(x, Infinity);
    case '<': return Float64Array.of(-Infinity, -nextUp(-x));
    case '<=': return Float64Array.of(-Infinity, x);
  }
}

const f64 = new Float64Array(1);
const u64 = new BigInt64Array(f64.buffer);
/** The smallest double above x. */
function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  u64[0] += x > 0 ? 1n : -1n;
  return f64[0];
}

function inIntervals(ivs: Float64Array, v: number): boolean {
  for (let i = 0; i < ivs.length; i += 2) if (v >= ivs[i] && v <= ivs[i + 1]) return true;
  return false;
}

// ---- checking ----

type Ord = (c: number) => boolean;
const ORDER: Partial<Record<CmpOp, Ord>> = {
  '>': (c) => c > 0, '<': (c) => c < 0, '>=': (c) => c >= 0, '<=': (c) => c <= 0,
};

interface Range<T> { lo: T; hi: T }

/**
 * The value test of `op` against literal(s) for a field of type `t`: `items` are the parsed
 * literals (one for a comparison; a set for `in`).
 */
function valueTest(spec: FieldSpec, op: CmpOp | 'in', items: SetItem[]): ValueTest {
  const t = spec.type;
  const badValue = (v: ValueNode): never => { throw new FilterError('filter.error.badValue', v.start, v.end, { value: v.text, type: `@${TYPE_KEY[t]}`, field: spec.name }); };
  const ord = op === 'in' ? undefined : ORDER[op];

  if (op === 'contains' || op === 'matches') {
    const v = items[0].lo;
    let re: RegExp | null = null;
    if (op === 'matches') {
      if (v.kind !== 'string') badValue(v);
      try { re = new RegExp(v.text, 'i'); } catch (e) { throw new FilterError('filter.error.badRegex', v.start, v.end, { reason: (e as Error).message }); }
    }
    if (t === FType.Str || t === FType.Ether) {
      if (v.kind !== 'string' && op === 'contains') badValue(v);
      const s = v.text;
      const text = re ? (x: string) => re.test(x) : (x: string) => x.includes(s);
      return { ivs: null, text };
    }
    if (t === FType.Proto || t === FType.Bytes) {
      if (re) return { ivs: null, text: () => false, bytes: (b, s, e) => re.test(latin1(b, s, e)) };
      const needle = parseBytes(v) ?? badValue(v);
      return { ivs: null, text: () => false, bytes: (b, s, e) => indexOfBytes(b, s, e, needle) };
    }
    throw new FilterError('filter.error.badOperator', v.start, v.end, { op, field: spec.name, type: `@${TYPE_KEY[t]}` });
  }

  switch (t) {
    case FType.Uint: case FType.Bool: case FType.Float: {
      const parse = (v: ValueNode): number => {
        let x: number | null = null;
        if (v.kind === 'word') {
          if (t === FType.Float) x = /^[0-9.]+(e[+-]?\d+)?$/i.test(v.text) || /^0x[0-9a-f]+$/i.test(v.text) ? Number(v.text) : null;
          else if (t === FType.Bool && /^(true|false)$/i.test(v.text)) x = /^true$/i.test(v.text) ? 1 : 0;
          else x = parseUint(v.text);
        }
        if (x === null || !Number.isFinite(x) || (t === FType.Bool && x > 1)) return badValue(v);
        return x;
      };
      const ranges: Range<number>[] = items.map((it) => ({ lo: parse(it.lo), hi: it.hi ? parse(it.hi) : parse(it.lo) }));
      const ivs = ord ? orderInterval(op as '>' | '<' | '>=' | '<=', ranges[0].lo) : Float64Array.from(ranges.flatMap((r) => [r.lo, r.hi]));
      return { ivs, text: (s) => inIntervals(ivs, Number(s)) };
    }
    case FType.Ipv4: {
      const ranges: Range<number>[] = items.map((it) => {
        const a = parseIpv4Net(it.lo.text) ?? badValue(it.lo);
        const b = it.hi ? parseIpv4Net(it.hi.text) ?? badValue(it.hi) : a;
        return { lo: a[0], hi: b[1] };
      });
      const ivs = ord ? orderInterval(op as '>' | '<' | '>=' | '<=', ranges[0].lo) : Float64Array.from(ranges.flatMap((r) => [r.lo, r.hi]));
      return { ivs, text: (s) => { const v = parseIpv4(s); return v !== null && inIntervals(ivs, v); } };
    }
    case FType.Ipv6: {
      const nets = items.map((it) => {
        const a = parseIpv6Net(it.lo.text) ?? badValue(it.lo);
        const b = it.hi ? parseIpv6Net(it.hi.text) ?? badValue(it.hi) : null;
        return { a, b };
      });
      const test = (x: Uint8Array): boolean => {
        if (ord) return ord(cmpBits(x, nets[0].a.addr, 128));
        for (const { a, b } of nets) {
          if (!b) { if (cmpBits(x, a.addr, a.bits) === 0) return true; }
          else if (cmpBits(x, a.addr, 128) >= 0 && cmpBits(x, b.addr, 128) <= 0) return true;
        }
        return false;
      };
      return { ivs: null, text: (s) => { const x = parseIpv6(s); return x !== null && test(x); } };
    }
    case FType.Ether: case FType.Str: {
      const parse = (v: ValueNode): string => (t === FType.Ether ? parseEther(v.text) ?? badValue(v) : v.text);
      const ranges: Range<string>[] = items.map((it) => ({ lo: parse(it.lo), hi: it.hi ? parse(it.hi) : parse(it.lo) }));
      let text: (s: string) => boolean;
      if (ord) { const x = ranges[0].lo; text = (s) => ord(s < x ? -1 : s > x ? 1 : 0); }
      else text = (s) => { for (const r of ranges) if (s >= r.lo && s <= r.hi) return true; return false; };
      return { ivs: null, text };
    }
    case FType.Proto: case FType.Bytes: {
      if (ord || op === 'in') throw new FilterError('filter.error.badOperator', items[0].lo.start, items[0].lo.end, { op, field: spec.name, type: `@${TYPE_KEY[t]}` });
      const needle = parseBytes(items[0].lo) ?? badValue(items[0].lo);
      return {
        ivs: null, text: () => false,
        bytes: (b, s, e) => e - s === needle.length && indexOfBytes(b, s, e, needle),
      };
    }
    default:
      throw new FilterError('filter.error.notComparable', items[0].lo.start, items[0].lo.end, { field: spec.name });
  }
}

/** Check a parsed filter against the registry; throws FilterError. */
export function checkTree(n: FilterNode): Checked {
  switch (n.type) {
    case 'and': case 'or': return { k: n.type, a: checkTree(n.left), b: checkTree(n.right) };
    case 'not': return { k: 'not', a: checkTree(n.arg) };
    case 'exists': return { k: 'exists', spec: specOf(n.field, n.start, n.end), at: [n.start, n.end] };
    case 'cmp': case 'in': {
      const spec = specOf(n.field, n.fieldStart, n.fieldEnd);
      if (spec.type === FType.Label) throw new FilterError('filter.error.notComparable', n.fieldStart, n.fieldEnd, { field: n.field });
      if (n.type === 'in') return { k: 'cmp', spec, q: Quant.Any, test: valueTest(spec, 'in', n.items), at: [n.fieldStart, n.fieldEnd] };
      const q = n.op === '!=' ? Quant.NoneEq : n.op === '~=' ? Quant.AnyNe : n.op === '===' ? Quant.AllEq : Quant.Any;
      return { k: 'cmp', spec, q, test: valueTest(spec, n.op, [{ lo: n.value }]), at: [n.fieldStart, n.fieldEnd] };
    }
  }
}

/** Parse and check a filter without any capture (for a filter box that validates as one types). Throws FilterError; null for an empty filter. */
export function checkFilter(text: string): Checked | null {
  const tree = parseFilter(text);
  return tree ? checkTree(tree) : null;
}

// ---- compiling ----

/** Decode masks other than 'plain' (kept in fields.ts), per packet table: they do not depend on the filter. */
const maskCache = new WeakMap<object, { rows: number; masks: Map<unknown, Uint8Array> }>();

type Pred = (row: number) => boolean;

/** Cost of a node: 0 columns only, 1 columns with the decode for rows that are not plain, 2 the decode for every row. */
function cost(c: Checked): number {
  switch (c.k) {
    case 'and': case 'or': return Math.max(cost(c.a), cost(c.b));
    case 'not': return cost(c.a);
    default: {
      if (c.k === 'cmp' && c.test.bytes) return 2;
      if (c.spec.colText) return 0;
      if (!c.spec.col) return 2;
      return c.spec.decodeOn === 'never' ? 0 : 1;
    }
  }
}

/** The operands of a chain of the same operator, cheapest first (stable). */
function chain(c: Checked, k: 'and' | 'or', out: Checked[] = []): Checked[] {
  if (c.k === k) { chain(c.a, k, out); chain(c.b, k, out); } else out.push(c);
  return out;
}

class Frames {
  private row = -1;
  private frame: FrameData | null = null;
  private layers: DetailLayer[] | null = null;

  constructor(private readonly source: FrameSource) {}

  private load(row: number): void {
    if (row === this.row) return;
    this.row = row;
    this.frame = this.source(row);
    this.layers = null;
  }

  bytes(row: number): FrameData | null {
    this.load(row);
    return this.frame;
  }

  detail(row: number): DetailLayer[] | null {
    this.load(row);
    if (!this.frame) return null;
    const j = this.frame.dnsJoined;
    return (this.layers ??= withJoinedDns(decodeDetail(this.frame.data, this.frame.linkType, this.frame.fcsLen ?? 0, this.frame.uncaptured), j?.msg, j?.tcp ?? false, j?.mdns, j?.ports));
  }
}

export interface CompileOptions {
  /** The frame's bytes by row, for fields not in the columns; without it such a filter throws. */
  frames?: FrameSource;
}

/** A compiled filter; run() evaluates it over every row. */
export interface CompiledFilter {
  readonly text: string;
  /** Some rows may need the frame's bytes (a field not in the columns, or a tunnel or ICMP row). */
  readonly needsFrames: boolean;
  /** One byte per row, 1 when it matches, over rows [0, cols.length). */
  run(): Uint8Array;
}

/**
 * A node evaluated over all rows at once: `cand` the rows still in question (null: all), `out`
 * gets 1 for those that match (rows outside `cand` are left 0). Column tests are tight loops over
 * typed arrays; the decode is reached only by candidate rows the columns cannot decide.
 */
type Eval = (cand: Uint8Array | null, out: Uint8Array) => void;

export function compileChecked(text: string, checked: Checked | null, data: FilterData, opts: CompileOptions = {}): CompiledFilter {
  const { cols } = data;
  const n = cols.length;
  const frames = opts.frames ? new Frames(opts.frames) : null;
  let needsFrames = false;
  const columns = new Map<FieldSpec, Materialized | Gated>();
  const column = (spec: FieldSpec): Materialized | Gated => {
    let m = columns.get(spec);
    if (!m) columns.set(spec, (m = spec.col!(data)));
    return m;
  };

  /** Per address id: does its text pass the test (made once, over the address table). */
  const addressTable = (test: ValueTest, family: number): Uint8Array => {
    const a = cols.addresses;
    const t = new Uint8Array(a.text.length);
    for (let id = 1; id < a.text.length; id++) t[id] = a.family[id] === family && test.text(a.text[id]) ? 1 : 0;
    return t;
  };

  /** Rows the decode must answer for this field (null: none); they depend on the capture only, so they are kept with it. */
  const decodeMask = (spec: FieldSpec): Uint8Array | null => {
    const on = spec.decodeOn ?? 'plain';
    if (on === 'never') return null;
    if (on === 'plain') return notPlainMask(cols);
    let kept = maskCache.get(cols);
    if (!kept || kept.rows !== n) maskCache.set(cols, (kept = { rows: n, masks: new Map() }));
    let m = kept.masks.get(on);
    if (!m) {
      m = new Uint8Array(n);
      if (typeof on === 'function') { const f = on(data); for (let r = 0; r < n; r++) m[r] = f(r) ? 1 : 0; }
      else for (let r = 0; r < n; r++) m[r] = isIcmpRow(cols, r) ? 1 : 0;
      kept.masks.set(on, m);
    }
    return m;
  };

  /** Occurrence count from the decode, or -1 when the frame is not at hand. */
  const detailCount = (spec: FieldSpec, r: number): number => {
    const layers = frames?.detail(r);
    if (!layers) return -1;
    if (spec.detailCount) return spec.detailCount(layers, frames!.bytes(r)!.data);
    if (spec.frameValues) return spec.frameValues(layers, frames!.bytes(r)!.data).length;
    if (spec.layers) { let k = 0; for (const l of layers) if (spec.layers.includes(l.name)) k++; return k; }
    let k = 0;
    for (const l of layers) for (const f of l.fields) if (f.key && spec.keys!.includes(f.key)) k++;
    return k;
  };

  /** Quantified test over the decode's values. */
  const detailTest = (spec: FieldSpec, q: Quant, test: ValueTest, r: number): boolean => {
    const layers = frames?.detail(r);
    if (!layers) return false;
    if (test.bytes) {
      const fd = frames!.bytes(r)!;
      const end = Math.max(0, fd.data.length - (fd.fcsLen ?? 0));
      if (spec.name === 'frame') return test.bytes(fd.data, 0, end);
      for (let i = 0; i < layers.length; i++) {
        const l = layers[i];
        if (!spec.layers?.includes(l.name)) continue;
        // A protocol's bytes run from its header to the end of what it carries.
        let e = l.end;
        if (spec.name !== 'data') {
          for (let j = i + 1; j < layers.length; j++) if (layers[j].name !== 'Frame check sequence' && layers[j].name !== 'Truncated') e = Math.max(e, layers[j].end);
        }
        if (test.bytes(fd.data, l.start, Math.min(e, end))) return true;
      }
      return false;
    }
    let k = 0, pass = 0;
    if (spec.frameValues) {
      for (const v of spec.frameValues(layers, frames!.bytes(r)!.data)) { k++; if (test.text(v)) pass++; }
      return quantified(q, k, pass);
    }
    for (const l of layers) {
      for (const f of l.fields) {
        if (!f.key || !spec.keys?.includes(f.key)) continue;
        k++;
        if (test.text(spec.map ? spec.map(f.value) : f.value)) pass++;
      }
    }
    return quantified(q, k, pass);
  };

  const needFrames = (at: [number, number], spec: FieldSpec): void => {
    needsFrames = true;
    if (!frames) throw new FilterError('filter.error.needsFrames', at[0], at[1], { field: spec.name });
  };

  /** Rows decided one by one (the decode, or a text column). */
  const perRow = (pred: Pred): Eval => (cand, out) => {
    for (let r = 0; r < n; r++) if (cand === null || cand[r] === 1) out[r] = pred(r) ? 1 : 0;
  };

  const leaf = (spec: FieldSpec, at: [number, number], q: Quant | null, test: ValueTest | null, det: Pred): Eval => {
    if (spec.colText) {
      const get = spec.colText(data);
      return perRow((r) => { const s = get(r); return s !== null && (!test || quantified(q!, 1, test.text(s) ? 1 : 0)); });
    }
    if (!spec.col) { needFrames(at, spec); return perRow(det); }
    const dm = decodeMask(spec);
    if (spec.rowValue) {
      // The rows the columns do not tell are answered from other columns, not the decode.
      const get = spec.rowValue(data);
      det = (r) => { const v = get(r); return v !== null && (!test || quantified(q!, 1, test.ivs !== null && inIntervals(test.ivs, v) ? 1 : 0)); };
    } else if (dm) needsFrames = true;
    const useDecode = dm !== null && (frames !== null || spec.rowValue !== undefined);
    const family = spec.type === FType.Ipv6 ? 6 : 4;
    return (cand, out) => {
      const m = column(spec);
      const tbl = test && m.ids ? addressTable(test, family) : null;
      const ivs = test && !tbl ? test.ivs ?? new Float64Array(0) : null;
      if ('cnt' in m) kernel(m, q ?? Quant.Any, ivs, tbl, test === null, cand, out, useDecode ? dm : null, det);
      else gatedKernel(m, n, q ?? Quant.Any, ivs, tbl, test === null, cand, out, useDecode ? dm : null, det);
    };
  };

  const compile = (c: Checked): Eval => {
    switch (c.k) {
      case 'and': case 'or': {
        const parts = chain(c, c.k).map((x, i) => ({ x, i, cost: cost(x) }));
        parts.sort((p, q) => p.cost - q.cost || p.i - q.i);
        const evals = parts.map((p) => compile(p.x));
        if (c.k === 'and') {
          // Each operand runs on the rows the ones before kept.
          return (cand, out) => {
            let cur = cand;
            for (let i = 0; i < evals.length; i++) {
              const o = i === evals.length - 1 ? out : new Uint8Array(n);
              evals[i](cur, o);
              cur = o;
            }
          };
        }
        // Each operand runs on the candidate rows not matched yet.
        return (cand, out) => {
          const rest = cand ? cand.slice() : new Uint8Array(n).fill(1);
          const o = new Uint8Array(n);
          for (let i = 0; i < evals.length; i++) {
            o.fill(0);
            evals[i](rest, o);
            for (let r = 0; r < n; r++) if (o[r] === 1) { out[r] = 1; rest[r] = 0; }
          }
        };
      }
      case 'not': {
        const f = compile(c.a);
        return (cand, out) => {
          const o = new Uint8Array(n);
          f(cand, o);
          for (let r = 0; r < n; r++) out[r] = (cand === null || cand[r] === 1) && o[r] === 0 ? 1 : 0;
        };
      }
      case 'exists': {
        const spec = c.spec;
        return leaf(spec, c.at, null, null, (r) => detailCount(spec, r) > 0);
      }
      case 'cmp': {
        const { spec, q, test } = c;
        const det: Pred = (r) => detailTest(spec, q, test, r);
        if (test.bytes) { needFrames(c.at, spec); return perRow(det); }
        return leaf(spec, c.at, q, test, det);
      }
    }
  };

  const ev: Eval | null = checked ? compile(checked) : null;
  return {
    text,
    needsFrames,
    run() {
      const out = new Uint8Array(n);
      if (ev) ev(null, out);
      else out.fill(1);
      return out;
    },
  };
}

/**
 * One test over the materialized column: for each candidate row, the decode when `dm` marks it,
 * else the occurrences against the intervals (or the address table), quantified. One loop, no call
 * per row outside the decoded ones.
 */
function kernel(
  m: Materialized, q: Quant, ivs: Float64Array | null, tbl: Uint8Array | null, exists: boolean,
  cand: Uint8Array | null, out: Uint8Array, dm: Uint8Array | null, det: Pred,
): void {
  const { cnt, vals } = m;
  const n = cnt.length;
  const v0 = vals[0];
  for (let r = 0; r < n; r++) {
    if (cand !== null && cand[r] === 0) continue;
    if (dm !== null && dm[r] === 1) { out[r] = det(r) ? 1 : 0; continue; }
    const c = cnt[r];
    if (exists) { out[r] = c > 0 ? 1 : 0; continue; }
    let pass = 0;
    for (let k = 0; k < c; k++) {
      const v = k === 0 ? v0[r] : vals[k][r];
      if (tbl !== null ? tbl[v] === 1 : inIntervals(ivs!, v)) pass++;
    }
    out[r] = quantified(q, c, pass) ? 1 : 0;
  }
}

/** The kernel over a field read in place from the columns (see Gated): the same test, no copy. */
function gatedKernel(
  g: Gated, n: number, q: Quant, ivs: Float64Array | null, tbl: Uint8Array | null, exists: boolean,
  cand: Uint8Array | null, out: Uint8Array, dm: Uint8Array | null, det: Pred,
): void {
  const { gate, cond, a, b } = g;
  const eq = g.eq ?? 0, min = g.min ?? 1, bit = g.bit ?? 0, konst = g.konst ?? 0, add = g.add ?? 0, row = g.row === true;
  const per = b ? 2 : 1;
  for (let r = 0; r < n; r++) {
    if (cand !== null && cand[r] === 0) continue;
    if (dm !== null && dm[r] === 1) { out[r] = det(r) ? 1 : 0; continue; }
    const c = (gate !== undefined && gate[r] !== eq) || (cond !== undefined && !(cond[r] >= min)) ? 0 : per;
    if (exists) { out[r] = c > 0 ? 1 : 0; continue; }
    let pass = 0;
    for (let k = 0; k < c; k++) {
      let v = k === 0 ? (a !== undefined ? a[r] : row ? r : konst) : b![r];
      if (k === 0) { if (bit) v = (v & bit) !== 0 ? 1 : 0; v += add; }
      if (tbl !== null ? tbl[v] === 1 : inIntervals(ivs!, v)) pass++;
    }
    out[r] = quantified(q, c, pass) ? 1 : 0;
  }
}

function quantified(q: Quant, k: number, pass: number): boolean {
  switch (q) {
    case Quant.Any: return pass > 0;
    case Quant.NoneEq: return k > 0 && pass === 0;
    case Quant.AnyNe: return pass < k;
    case Quant.AllEq: return k > 0 && pass === k;
  }
}

/** Parse, check and compile a filter over a capture's columns; throws FilterError. An empty filter matches every row. */
export function compileFilter(text: string, data: FilterData, opts: CompileOptions = {}): CompiledFilter {
  return compileChecked(text, checkFilter(text), data, opts);
}
