/**
 * SeriesSnapshot ⇄ text for a link: compact JSON → deflate → base64url, and back with every step
 * bounded and validated. Decoding never throws: a bad snapshot is a ShareError.
 */
import { deflateSync, inflateSync } from 'fflate';
import type { GraphPoints, StreamGraph } from '../view/graphTypes';
import type { HoleBands } from '../view/holes';
import type { StreamSeries } from '../view/seriesTypes';
import { decodeBase64url, encodeBase64url } from './base64url.js';
import { formatEndpoint, parseEndpoint } from './endpoint.js';
import { shareError, type ShareResult } from './errors.js';
import type { FindingText, Lang, SeriesSnapshot, SnapshotFinding } from './snapshot.js';
import { upgradeSnapshot } from './snapshotUpgraders.js';
import { SNAPSHOT_WIRE_VERSION, snapshotWireSchema, type FindingTextWire, type GraphWire, type SnapshotWire } from './snapshotWire.js';

/**
 * Inflated JSON larger than this is refused, whatever the compressed size: a deflate stream can
 * expand ~1000-fold, and a link is untrusted. 4 MB holds the largest snapshot the schema admits.
 */
export const MAX_SNAPSHOT_JSON_BYTES = 4 * 1024 * 1024;

/** Seconds → whole microseconds (the snapshot's time resolution). */
const us = (t: number) => Math.round(t * 1e6);
const sec = (u: number) => u / 1e6;

type Num = ArrayLike<number>;

function deltas(values: Num, n: number, map: (v: number) => number = (v) => v): number[] {
  const out = new Array<number>(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const v = map(values[i]);
    out[i] = v - prev;
    prev = v;
  }
  return out;
}

function plain(values: Num, n: number, map: (v: number, i: number) => number = (v) => v): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = map(values[i], i);
  return out;
}

/** Running sums; null when a sum leaves the safe-integer range (a crafted link). */
function sums(d: number[]): number[] | null {
  const out = new Array<number>(d.length);
  let acc = 0;
  for (let i = 0; i < d.length; i++) {
    acc += d[i];
    if (!Number.isSafeInteger(acc)) return null;
    out[i] = acc;
  }
  return out;
}

function textToWire(t: FindingText): FindingTextWire {
  return { t: t.title, b: t.body, r: t.remedy, x: t.facts };
}

/** A graph's values on the wire: RTT seconds as whole microseconds, rates and bytes whole. */
const graphScale = (kind: StreamGraph['kind']) => (kind === 'rtt' ? 1e6 : 1);

function graphToWire(g: StreamGraph): GraphWire {
  const k = graphScale(g.kind);
  const whole = (v: number) => (Number.isFinite(v) && v > 0 ? Math.round(v * k) : 0);
  return {
    k: g.kind, w: [us(g.t0), us(g.t1)], p: g.pixels, n: g.rowsInWindow, c: g.decimated ? 1 : 0,
    b: [us(g.binT0), Number.isFinite(g.binWidth) && g.binWidth > 0 ? g.binWidth : 0],
    a: Number.isFinite(g.average) && g.average > 0 ? g.average : 0,
    y: whole(g.yMax),
    s: g.series.map((p) => ({ t: deltas(p.time, p.count, us), v: plain(p.value, p.count, whole), f: deltas(p.frame, p.count) })),
    m: { t: deltas(g.markTime, g.markCount, us), f: deltas(g.markFrame, g.markCount), g: plain(g.markFlags, g.markCount) },
  };
}

function graphFromWire(G: GraphWire, stream: number, dir: number): StreamGraph | string {
  if (G.w[0] > G.w[1]) return 'the graph\'s time range ends before it starts';
  const k = graphScale(G.k);
  const series: GraphPoints[] = [];
  for (const s of G.s) {
    if (!sameLength([s.t, s.v, s.f])) return 'graph columns differ in length';
    const t = sums(s.t), f = sums(s.f);
    if (!t || !f) return 'a number is out of range';
    if (f.some((x) => x < 0 || x > 0xffffffff)) return 'a frame number is out of range';
    series.push({ count: t.length, time: f64(t, 1e6), value: f64(s.v, k), frame: Uint32Array.from(f) });
  }
  const M = G.m;
  if (!sameLength([M.t, M.f, M.g])) return 'graph mark columns differ in length';
  const mt = sums(M.t), mf = sums(M.f);
  if (!mt || !mf) return 'a number is out of range';
  if (mf.some((x) => x < 0 || x > 0xffffffff)) return 'a frame number is out of range';
  return {
    stream, dir, kind: G.k, t0: sec(G.w[0]), t1: sec(G.w[1]), pixels: G.p, rowsInWindow: G.n, decimated: G.c === 1,
    series, binT0: sec(G.b[0]), binWidth: G.b[1], average: G.a, yMax: G.y / k,
    markCount: mt.length, markTime: f64(mt, 1e6), markFrame: Uint32Array.from(mf), markFlags: Uint32Array.from(M.g),
  };
}

export function snapshotToWire(snap: SeriesSnapshot): SnapshotWire {
  const s = snap.series;
  const h = s.holes;
  let finding: SnapshotWire['F'] = null;
  if (snap.finding) {
    const t: NonNullable<SnapshotWire['F']>['t'] = {};
    if (snap.finding.text.en) t.en = textToWire(snap.finding.text.en);
    if (snap.finding.text['zh-CN']) t['zh-CN'] = textToWire(snap.finding.text['zh-CN']);
    finding = { id: snap.finding.id, k: snap.finding.kind, v: snap.finding.severity, f: deltas(snap.finding.frames, snap.finding.frames.length), t };
  }
  const e = s.extent;
  return {
    z: SNAPSHOT_WIRE_VERSION,
    a: formatEndpoint(snap.stream.a),
    b: formatEndpoint(snap.stream.b),
    h: snap.stream.handshake ? 1 : 0,
    x: snap.masked ? 1 : 0,
    s: {
      i: s.stream, d: s.dir === 1 ? 1 : 0, w: [us(s.t0), us(s.t1)], p: s.pixels, m: s.pathMtu,
      e: [us(e.t0), us(e.t1), e.seq0, e.seq1, e.win1], n: s.segmentsInWindow, c: s.decimated ? 1 : 0,
    },
    g: {
      t: deltas(s.segTime, s.segCount, us), q: deltas(s.segSeq, s.segCount), e: plain(s.segEnd, s.segCount, (v, i) => v - s.segSeq[i]),
      f: deltas(s.segFrame, s.segCount), l: plain(s.segLen, s.segCount), i: plain(s.segIpLen, s.segCount),
      g: plain(s.segFlags, s.segCount), n: plain(s.segN, s.segCount),
    },
    k: {
      t: deltas(s.ackTime, s.ackCount, us), q: deltas(s.ackSeq, s.ackCount), w: plain(s.ackWin, s.ackCount, (v, i) => v - s.ackSeq[i]),
      f: deltas(s.ackFrame, s.ackCount), g: plain(s.ackFlags, s.ackCount),
    },
    sk: {
      t: deltas(s.sackTime, s.sackCount, us), l: deltas(s.sackLeft, s.sackCount), r: plain(s.sackRight, s.sackCount, (v, i) => v - s.sackLeft[i]),
      f: deltas(s.sackFrame, s.sackCount), d: plain(s.sackDsack, s.sackCount) as (0 | 1)[],
    },
    o: Array.from({ length: h.count }, (_, i) => [us(h.t0[i]), us(h.t1[i]), h.seq0[i], h.seq1[i], h.kind[i], h.open[i] as 0 | 1, h.frame[i]]),
    m: {
      t: deltas(s.markTime, s.markCount, us), q: deltas(s.markSeq, s.markCount), k: plain(s.markKind, s.markCount),
      d: plain(s.markDir, s.markCount) as (0 | 1)[], f: deltas(s.markFrame, s.markCount),
    },
    F: finding,
    ...(snap.graph ? { G: graphToWire(snap.graph) } : {}),
  };
}

const bad = (message: string) => ({ ok: false as const, error: shareError('snapshot-invalid', `The snapshot in this link is damaged: ${message}.`, { detail: message }) });

function sameLength(cols: unknown[][]): boolean {
  return cols.every((c) => c.length === cols[0].length);
}

/** Element-wise a + b, null when out of the safe range. */
function add(a: number[], b: number[]): number[] | null {
  const out = a.map((x, i) => x + b[i]);
  return out.every(Number.isSafeInteger) ? out : null;
}

const f64 = (a: number[], scale = 1) => Float64Array.from(a, (x) => x / scale);

export function snapshotFromWire(w: SnapshotWire): ShareResult<SeriesSnapshot> {
  const a = parseEndpoint(w.a);
  const b = parseEndpoint(w.b);
  if (!a || !b) return bad('an endpoint is not an address and port');
  const H = w.s;
  if (H.w[0] > H.w[1] || H.e[0] > H.e[1]) return bad('a time range ends before it starts');
  const G = w.g, K = w.k, S = w.sk, M = w.m;
  if (!sameLength([G.t, G.q, G.e, G.f, G.l, G.i, G.g, G.n])) return bad('segment columns differ in length');
  if (!sameLength([K.t, K.q, K.w, K.f, K.g])) return bad('ACK columns differ in length');
  if (!sameLength([S.t, S.l, S.r, S.f, S.d])) return bad('SACK columns differ in length');
  if (!sameLength([M.t, M.q, M.k, M.d, M.f])) return bad('mark columns differ in length');
  const gt = sums(G.t), gq = sums(G.q), gf = sums(G.f), kt = sums(K.t), kq = sums(K.q), kf = sums(K.f);
  const st = sums(S.t), sl = sums(S.l), sf = sums(S.f), mt = sums(M.t), mq = sums(M.q), mf = sums(M.f);
  if (!gt || !gq || !gf || !kt || !kq || !kf || !st || !sl || !sf || !mt || !mq || !mf) return bad('a number is out of range');
  const ge = add(gq, G.e), kw = add(kq, K.w), sr = add(sl, S.r);
  if (!ge || !kw || !sr) return bad('a number is out of range');
  const frames = [gf, kf, sf, mf];
  if (frames.some((c) => c.some((f) => f < 0 || f > 0xffffffff))) return bad('a frame number is out of range');
  for (const [t0, t1, s0, s1] of w.o) if (t0 > t1 || s0 > s1) return bad('a hole ends before it starts');

  const holes: HoleBands = {
    count: w.o.length,
    t0: Float64Array.from(w.o, (o) => sec(o[0])), t1: Float64Array.from(w.o, (o) => sec(o[1])),
    seq0: Float64Array.from(w.o, (o) => o[2]), seq1: Float64Array.from(w.o, (o) => o[3]),
    kind: Uint8Array.from(w.o, (o) => o[4]), open: Uint8Array.from(w.o, (o) => o[5]), frame: Uint32Array.from(w.o, (o) => o[6]),
  };
  const series: StreamSeries = {
    stream: H.i, dir: H.d, t0: sec(H.w[0]), t1: sec(H.w[1]), pixels: H.p, pathMtu: H.m,
    extent: { t0: sec(H.e[0]), t1: sec(H.e[1]), seq0: H.e[2], seq1: H.e[3], win1: H.e[4] },
    segmentsInWindow: H.n, decimated: H.c === 1,
    segCount: gt.length, segTime: f64(gt, 1e6), segSeq: f64(gq), segEnd: f64(ge), segFrame: Uint32Array.from(gf),
    segLen: Uint32Array.from(G.l), segIpLen: Uint32Array.from(G.i), segFlags: Uint32Array.from(G.g), segN: Uint32Array.from(G.n),
    ackCount: kt.length, ackTime: f64(kt, 1e6), ackSeq: f64(kq), ackWin: f64(kw), ackFrame: Uint32Array.from(kf), ackFlags: Uint16Array.from(K.g),
    sackCount: st.length, sackTime: f64(st, 1e6), sackLeft: f64(sl), sackRight: f64(sr), sackFrame: Uint32Array.from(sf), sackDsack: Uint8Array.from(S.d),
    holes,
    markCount: mt.length, markTime: f64(mt, 1e6), markSeq: f64(mq), markKind: Uint8Array.from(M.k), markDir: Uint8Array.from(M.d), markFrame: Uint32Array.from(mf),
  };

  let finding: SnapshotFinding | null = null;
  if (w.F) {
    const ff = sums(w.F.f);
    if (!ff || ff.some((f) => f < 1 || f > 0xffffffff)) return bad('an evidence frame number is out of range');
    const text: Partial<Record<Lang, FindingText>> = {};
    for (const lang of ['en', 'zh-CN'] as const) {
      const t = w.F.t[lang];
      if (t) text[lang] = { title: t.t, body: [...t.b], remedy: [...t.r], facts: t.x.map(([k, v]) => [k, v]) };
    }
    finding = { id: w.F.id, kind: w.F.k, severity: w.F.v, frames: ff, text };
  }
  const value: SeriesSnapshot = { stream: { a, b, handshake: w.h === 1 }, series, finding, masked: w.x === 1 };
  if (w.G) {
    const graph = graphFromWire(w.G, H.i, H.d);
    if (typeof graph === 'string') return bad(graph);
    value.graph = graph;
  }
  return { ok: true, value };
}

function pack(wire: SnapshotWire): string {
  return encodeBase64url(deflateSync(new TextEncoder().encode(JSON.stringify(wire)), { level: 9 }));
}

/** Snapshot → the text of a link's `snap` field (unchecked: use encodeSnapshotChecked for links). */
export function encodeSnapshot(s: SeriesSnapshot): string {
  return pack(snapshotToWire(s));
}

/** encodeSnapshot, after checking the snapshot against the same schema readers apply. */
export function encodeSnapshotChecked(s: SeriesSnapshot): ShareResult<string> {
  const wire = snapshotToWire(s);
  const parsed = snapshotWireSchema.safeParse(wire);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.join('.') || '(root)';
    return { ok: false, error: shareError('invalid-field', `The snapshot cannot be put in a link: ${where}: ${issue.message}.`, { field: 'snap', detail: where }) };
  }
  return { ok: true, value: pack(wire) };
}

/** The `snap` field's text → snapshot, or why not. Never throws. */
export function decodeSnapshot(text: string): ShareResult<SeriesSnapshot> {
  const packed = decodeBase64url(text);
  if (!packed) return bad('it is not valid base64url');
  let raw: Uint8Array;
  try {
    // One byte more than allowed: if it fills up, the real output was too large (fflate truncates).
    raw = inflateSync(packed, { out: new Uint8Array(MAX_SNAPSHOT_JSON_BYTES + 1) });
  } catch {
    return bad('it does not decompress');
  }
  if (raw.length > MAX_SNAPSHOT_JSON_BYTES) return bad('it expands beyond the size allowed');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    return bad('it is not valid JSON text');
  }
  // An older snapshot is brought up to the current format first (snapshotUpgraders.ts).
  const upgraded = upgradeSnapshot(json);
  if (!upgraded.ok) return bad(upgraded.reason);
  const parsed = snapshotWireSchema.safeParse(upgraded.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return bad(`field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return snapshotFromWire(parsed.data);
}
