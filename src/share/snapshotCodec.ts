/**
 * SeriesSnapshot ⇄ text for a link: compact JSON → deflate → base64url, and back with every step
 * bounded and validated. Decoding never throws: a bad snapshot is a ShareError.
 */
import { deflateSync, inflateSync } from 'fflate';
import { decodeBase64url, encodeBase64url } from './base64url.js';
import { formatEndpoint, parseEndpoint } from './endpoint.js';
import { shareError, type ShareResult } from './errors.js';
import type { FindingText, Lang, SeriesSnapshot, SnapshotAck, SnapshotFinding, SnapshotSegment } from './snapshot.js';
import { SNAPSHOT_WIRE_VERSION, snapshotWireSchema, type FindingTextWire, type SnapshotWire } from './snapshotWire.js';

/**
 * Inflated JSON larger than this is refused, whatever the compressed size: a deflate stream can
 * expand ~1000-fold, and a link is untrusted. 2 MB holds the largest snapshot the schema admits.
 */
export const MAX_SNAPSHOT_JSON_BYTES = 2 * 1024 * 1024;

const us = (t: number) => Math.round(t * 1e6);

function deltas(values: number[]): number[] {
  const out = new Array<number>(values.length);
  let prev = 0;
  for (let i = 0; i < values.length; i++) {
    out[i] = values[i] - prev;
    prev = values[i];
  }
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
  return { t: t.title, b: t.body, x: t.facts };
}

export function snapshotToWire(s: SeriesSnapshot): SnapshotWire {
  const seg = s.segments;
  const ack = s.acks;
  const sl: number[] = [];
  const sw: number[] = [];
  for (const a of ack) for (const [l, r] of a.sack) { sl.push(l - a.ack); sw.push(r - l); }
  let finding: SnapshotWire['F'] = null;
  if (s.finding) {
    const t: NonNullable<SnapshotWire['F']>['t'] = {};
    if (s.finding.text.en) t.en = textToWire(s.finding.text.en);
    if (s.finding.text['zh-CN']) t['zh-CN'] = textToWire(s.finding.text['zh-CN']);
    finding = { id: s.finding.id, k: s.finding.kind, v: s.finding.severity, f: deltas(s.finding.frames), t };
  }
  return {
    z: SNAPSHOT_WIRE_VERSION,
    i: s.stream.index,
    a: formatEndpoint(s.stream.a),
    b: formatEndpoint(s.stream.b),
    h: s.stream.handshake ? 1 : 0,
    d: s.direction,
    x: s.masked ? 1 : 0,
    w: [us(s.window.t0), us(s.window.t1)],
    m: s.mtu,
    s: {
      f: deltas(seg.map((x) => x.frame)), t: deltas(seg.map((x) => us(x.t))), q: deltas(seg.map((x) => x.seq)),
      l: seg.map((x) => x.len), g: seg.map((x) => x.flags), c: seg.map((x) => x.tcpFlags), n: seg.map((x) => x.ipLen),
      df: seg.map((x) => (x.df ? 1 : 0)),
    },
    k: {
      f: deltas(ack.map((x) => x.frame)), t: deltas(ack.map((x) => us(x.t))), a: deltas(ack.map((x) => x.ack)),
      w: ack.map((x) => x.win), g: ack.map((x) => x.flags), n: ack.map((x) => x.sack.length), sl, sw,
    },
    o: s.holes.map((h) => [us(h.t0), us(h.t1), h.left, h.right]),
    F: finding,
  };
}

type Wire = SnapshotWire;
const bad = (message: string) => ({ ok: false as const, error: shareError('snapshot-invalid', `The snapshot in this link is damaged: ${message}.`, { detail: message }) });

function sameLength(cols: unknown[][]): boolean {
  return cols.every((c) => c.length === cols[0].length);
}

export function snapshotFromWire(w: Wire): ShareResult<SeriesSnapshot> {
  const a = parseEndpoint(w.a);
  const b = parseEndpoint(w.b);
  if (!a || !b) return bad('an endpoint is not an address and port');
  if (w.w[0] > w.w[1]) return bad('the time window ends before it starts');
  const S = w.s;
  if (!sameLength([S.f, S.t, S.q, S.l, S.g, S.c, S.n, S.df])) return bad('segment columns differ in length');
  const K = w.k;
  if (!sameLength([K.f, K.t, K.a, K.w, K.g, K.n])) return bad('ACK columns differ in length');
  const blocks = K.n.reduce((x, y) => x + y, 0);
  if (K.sl.length !== blocks || K.sw.length !== blocks) return bad('SACK blocks do not add up');
  const sf = sums(S.f), st = sums(S.t), sq = sums(S.q), kf = sums(K.f), kt = sums(K.t), ka = sums(K.a);
  if (!sf || !st || !sq || !kf || !kt || !ka) return bad('a number is out of range');
  if (sf.some((f) => f < 1) || kf.some((f) => f < 1)) return bad('frame numbers start at 1');

  const segments: SnapshotSegment[] = sf.map((frame, i) => ({
    frame, t: st[i] / 1e6, seq: sq[i], len: S.l[i], flags: S.g[i], tcpFlags: S.c[i], ipLen: S.n[i], df: S.df[i] === 1,
  }));
  const acks: SnapshotAck[] = [];
  let j = 0;
  for (let i = 0; i < kf.length; i++) {
    const sack: [number, number][] = [];
    for (let n = 0; n < K.n[i]; n++, j++) {
      const left = ka[i] + K.sl[j];
      const right = left + K.sw[j];
      if (!Number.isSafeInteger(right)) return bad('a SACK block is out of range');
      sack.push([left, right]);
    }
    acks.push({ frame: kf[i], t: kt[i] / 1e6, ack: ka[i], win: K.w[i], flags: K.g[i], sack });
  }
  for (const [t0, t1, l, r] of w.o) if (t0 > t1 || l > r) return bad('a hole ends before it starts');

  let finding: SnapshotFinding | null = null;
  if (w.F) {
    const frames = sums(w.F.f);
    if (!frames || frames.some((f) => f < 1)) return bad('an evidence frame number is out of range');
    const text: Partial<Record<Lang, FindingText>> = {};
    for (const lang of ['en', 'zh-CN'] as const) {
      const t = w.F.t[lang];
      if (t) text[lang] = { title: t.t, body: [...t.b], facts: t.x.map(([k, v]) => [k, v]) };
    }
    finding = { id: w.F.id, kind: w.F.k, severity: w.F.v, frames, text };
  }
  return {
    ok: true,
    value: {
      stream: { index: w.i, a, b, handshake: w.h === 1 },
      direction: w.d,
      window: { t0: w.w[0] / 1e6, t1: w.w[1] / 1e6 },
      mtu: w.m,
      segments,
      acks,
      holes: w.o.map(([t0, t1, left, right]) => ({ t0: t0 / 1e6, t1: t1 / 1e6, left, right })),
      finding,
      masked: w.x === 1,
    },
  };
}

/** Snapshot → the text of a link's `snap` field. */
export function encodeSnapshot(s: SeriesSnapshot): string {
  const json = JSON.stringify(snapshotToWire(s));
  return encodeBase64url(deflateSync(new TextEncoder().encode(json), { level: 9 }));
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
  const parsed = snapshotWireSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return bad(`field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return snapshotFromWire(parsed.data);
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
  return { ok: true, value: encodeBase64url(deflateSync(new TextEncoder().encode(JSON.stringify(wire)), { level: 9 })) };
}
