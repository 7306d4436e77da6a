/**
 * Each scalar field of a link: how it is written and how it is read back. Readers are strict
 * (exact forms, explicit ranges) and return null rather than guessing; the codec turns a null
 * into a message that names the field.
 */
import { parseEndpoint, formatEndpoint, type Endpoint } from './endpoint.js';
import { GRAPH_KINDS, type GraphKind } from '../view/graphTypes';
import type { WireDirection, Lang } from './snapshot.js';

export const IDENT = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** A UTF-16 surrogate without its partner: cannot be percent-encoded or carried as UTF-8. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Longest file name we carry: the usual file-system limit. */
export const MAX_NAME_CHARS = 255;
/** Largest |time| accepted (seconds): 30 years; keeps µs values within 15 significant digits. */
export const MAX_ABS_TIME = 1e9;

const UINT = /^(0|[1-9]\d{0,15})$/;

export function readUint(s: string, max: number, min = 0): number | null {
  if (!UINT.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
}

/** Seconds, quantized to microseconds: the finest step a chart window needs. */
export function quantizeTime(t: number): number {
  return Math.round(t * 1e6) / 1e6;
}

/** Plain decimal, no exponent, at most 6 fraction digits, trailing zeros dropped. */
export function writeTime(t: number): string {
  const s = quantizeTime(t).toFixed(6).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

export function readTime(s: string): number | null {
  if (!/^-?(0|[1-9]\d{0,9})(\.\d{1,6})?$/.test(s)) return null;
  const t = Number(s);
  return Number.isFinite(t) && Math.abs(t) <= MAX_ABS_TIME ? t : null;
}

export function writeWindow(w: { t0: number; t1: number }): string {
  return `${writeTime(w.t0)},${writeTime(w.t1)}`;
}

export function readWindow(s: string, sep = ','): { t0: number; t1: number } | null {
  const parts = s.split(sep);
  if (parts.length !== 2) return null;
  const t0 = readTime(parts[0]);
  const t1 = readTime(parts[1]);
  return t0 !== null && t1 !== null && t0 < t1 ? { t0, t1 } : null;
}

export type GraphKindValue = GraphKind;

export function readGraphKind(s: string): GraphKind | null {
  return (GRAPH_KINDS as readonly string[]).includes(s) ? (s as GraphKind) : null;
}

/** Longest moving-average window a link carries (seconds): an hour is far wider than any chart window needs. */
export const MAX_GRAPH_AVERAGE = 3600;

/** A moving-average window: a positive time of at most MAX_GRAPH_AVERAGE seconds. */
export function readGraphAverage(s: string): number | null {
  const t = readTime(s);
  return t !== null && t > 0 && t <= MAX_GRAPH_AVERAGE ? t : null;
}

export function readFingerprint(s: string): string | null {
  return /^[0-9a-f]{32,64}$/.test(s) ? s : null;
}

export function readName(s: string): string | null {
  return s.length >= 1 && s.length <= MAX_NAME_CHARS && !CONTROL.test(s) && !LONE_SURROGATE.test(s) && s.trim() === s ? s : null;
}

/** Longest capture point name carried ("pod", "node eth0"): a label, not a path. */
export const MAX_POINT_NAME_CHARS = 64;

/** A point's name: the rules of a file name, shorter. */
export function readPointName(s: string): string | null {
  return s.length <= MAX_POINT_NAME_CHARS ? readName(s) : null;
}

export function readIdent(s: string): string | null {
  return IDENT.test(s) ? s : null;
}

export function readLang(s: string): Lang | null {
  return s === 'en' || s === 'zh-CN' ? s : null;
}

export function readDirection(s: string): WireDirection | null {
  return s === 'a' || s === 'b' ? s : null;
}

export function readMtu(s: string): number | null {
  // 68: the smallest MTU IPv4 allows (RFC 791); 65535: the largest IP total length.
  return readUint(s, 65535, 68);
}

export function writeIsn(isn: [number | null, number | null]): string {
  return isn.map((x) => (x === null ? '-' : String(x))).join(',');
}

export function readIsn(s: string): [number | null, number | null] | null {
  const parts = s.split(',');
  if (parts.length !== 2) return null;
  const out: (number | null)[] = [];
  for (const p of parts) {
    if (p === '-') out.push(null);
    else {
      const n = readUint(p, 0xffffffff);
      if (n === null) return null;
      out.push(n);
    }
  }
  return [out[0], out[1]];
}

export { formatEndpoint as writeEndpoint, parseEndpoint as readEndpoint, type Endpoint };
