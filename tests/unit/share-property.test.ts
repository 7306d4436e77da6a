import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url } from '../../src/share/base64url.js';
import { stateFromUrl, tryUrlFromState, urlFromState } from '../../src/share/codec.js';
import { isIpv4 } from '../../src/share/endpoint.js';
import { maskAddresses } from '../../src/share/mask.js';
import type { FindingText, SeriesSnapshot } from '../../src/share/snapshot.js';
import { decodeSnapshot, encodeSnapshot } from '../../src/share/snapshotCodec.js';
import type { PointRef, ShareState } from '../../src/share/state.js';
import type { StreamSeries } from '../../src/view/seriesTypes';
import { blackholeSnapshot, fullState } from './shareSamples.js';

// Times as the codec keeps them: whole microseconds.
const time = (maxUs = 1e15) => fc.integer({ min: -maxUs, max: maxUs }).map((k) => k / 1e6);
const placeholder = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
const address = fc.oneof(fc.ipV4(), fc.ipV6(), placeholder);
const endpoint = fc.record({ addr: address, port: fc.integer({ min: 0, max: 65535 }) });
const isn = fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: null });
/** Text a person could write: any Unicode but control characters, well formed. */
// eslint-disable-next-line no-control-regex
const plain = (max: number) => fc.string({ unit: 'grapheme', maxLength: max }).filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s));
const name = plain(60).filter((s) => s.length > 0 && s.trim() === s);
const ident = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/);

const window = fc.tuple(time(), time()).filter(([a, b]) => a !== b).map(([a, b]) => ({ t0: Math.min(a, b), t1: Math.max(a, b) }));

const pointName = plain(64).filter((s) => s.length > 0 && s.length <= 64 && s.trim() === s);
const pointArb: fc.Arbitrary<PointRef> = fc.record(
  { fingerprint: fc.stringMatching(/^[0-9a-f]{32,64}$/), name, size: fc.nat({ max: Number.MAX_SAFE_INTEGER }), point: pointName },
  { requiredKeys: ['fingerprint'] },
);

const stateArb: fc.Arbitrary<ShareState> = fc.record(
  {
    capture: fc.record(
      { fingerprint: fc.stringMatching(/^[0-9a-f]{32,64}$/), name, size: fc.nat({ max: Number.MAX_SAFE_INTEGER }), point: pointName },
      { requiredKeys: ['fingerprint'] },
    ),
    stream: fc.oneof(
      fc.record({ index: fc.nat({ max: 0x7fffffff }) }),
      fc.record({ index: fc.nat({ max: 0x7fffffff }), a: endpoint, b: endpoint, isn: fc.tuple(isn, isn) }, { requiredKeys: ['index', 'a', 'b'] }),
    ),
    direction: fc.constantFrom('a' as const, 'b' as const),
    window,
    frame: fc.integer({ min: 1, max: 0xffffffff }),
    finding: ident,
    mtu: fc.integer({ min: 68, max: 65535 }),
    lang: fc.constantFrom('en' as const, 'zh-CN' as const),
    points: fc.array(pointArb, { minLength: 1, maxLength: 4 }),
  },
  { requiredKeys: ['capture'] },
);

const seqNum = fc.integer({ min: -(2 ** 40), max: 2 ** 40 });
const frame = fc.integer({ min: 0, max: 0xffffffff });
const n = (max: number) => fc.integer({ min: 0, max });
const tµ = time(1e12);

/** Columns of equal length from one array of row tuples. */
function columns<T extends unknown[]>(rows: T[], i: number): T[number][] {
  return rows.map((r) => r[i]);
}

const seriesArb: fc.Arbitrary<StreamSeries> = fc
  .record({
    stream: fc.nat({ max: 0x7fffffff }), dir: fc.constantFrom(0, 1), w: fc.tuple(tµ, tµ), pixels: fc.integer({ min: 1, max: 16384 }),
    pathMtu: n(65535), e: fc.tuple(tµ, tµ, seqNum, seqNum, seqNum), inWindow: n(1e6), decimated: fc.boolean(),
    seg: fc.array(fc.tuple(tµ, seqNum, n(70000), frame, n(65535), n(65535), n(0x7fff), n(1000)), { maxLength: 25 }),
    ack: fc.array(fc.tuple(tµ, seqNum, n(2 ** 31), frame, n(0xffff)), { maxLength: 25 }),
    sack: fc.array(fc.tuple(tµ, seqNum, n(2 ** 20), frame, n(1)), { maxLength: 10 }),
    holes: fc.array(fc.tuple(tµ, tµ, seqNum, seqNum, n(255), n(1), frame), { maxLength: 5 }),
    marks: fc.array(fc.tuple(tµ, seqNum, n(255), n(1), frame), { maxLength: 5 }),
  })
  .map((r) => {
    const [t0, t1] = [Math.min(...r.w), Math.max(...r.w)];
    const holes = r.holes.map(([a, b, s0, s1, ...rest]) => [Math.min(a, b), Math.max(a, b), Math.min(s0, s1), Math.max(s0, s1), ...rest] as const);
    const c = <T extends unknown[]>(rows: T[], i: number) => columns(rows, i) as number[];
    return {
      stream: r.stream, dir: r.dir, t0, t1, pixels: r.pixels, pathMtu: r.pathMtu,
      extent: { t0: Math.min(r.e[0], r.e[1]), t1: Math.max(r.e[0], r.e[1]), seq0: r.e[2], seq1: r.e[3], win1: r.e[4] },
      segmentsInWindow: r.inWindow, decimated: r.decimated,
      segCount: r.seg.length, segTime: Float64Array.from(c(r.seg, 0)), segSeq: Float64Array.from(c(r.seg, 1)),
      segEnd: Float64Array.from(r.seg, (x) => x[1] + x[2]), segFrame: Uint32Array.from(c(r.seg, 3)), segLen: Uint32Array.from(c(r.seg, 4)),
      segIpLen: Uint32Array.from(c(r.seg, 5)), segFlags: Uint32Array.from(c(r.seg, 6)), segN: Uint32Array.from(c(r.seg, 7)),
      ackCount: r.ack.length, ackTime: Float64Array.from(c(r.ack, 0)), ackSeq: Float64Array.from(c(r.ack, 1)),
      ackWin: Float64Array.from(r.ack, (x) => x[1] + x[2]), ackFrame: Uint32Array.from(c(r.ack, 3)), ackFlags: Uint16Array.from(c(r.ack, 4)),
      sackCount: r.sack.length, sackTime: Float64Array.from(c(r.sack, 0)), sackLeft: Float64Array.from(c(r.sack, 1)),
      sackRight: Float64Array.from(r.sack, (x) => x[1] + x[2]), sackFrame: Uint32Array.from(c(r.sack, 3)), sackDsack: Uint8Array.from(c(r.sack, 4)),
      holes: {
        count: holes.length, t0: Float64Array.from(holes, (h) => h[0]), t1: Float64Array.from(holes, (h) => h[1]),
        seq0: Float64Array.from(holes, (h) => h[2]), seq1: Float64Array.from(holes, (h) => h[3]), kind: Uint8Array.from(holes, (h) => h[4]),
        open: Uint8Array.from(holes, (h) => h[5]), frame: Uint32Array.from(holes, (h) => h[6]),
      },
      markCount: r.marks.length, markTime: Float64Array.from(c(r.marks, 0)), markSeq: Float64Array.from(c(r.marks, 1)),
      markKind: Uint8Array.from(c(r.marks, 2)), markDir: Uint8Array.from(c(r.marks, 3)), markFrame: Uint32Array.from(c(r.marks, 4)),
    };
  });

const findingText: fc.Arbitrary<FindingText> = fc.record({
  title: plain(80), body: fc.array(plain(200), { maxLength: 4 }), remedy: fc.array(plain(200), { maxLength: 3 }),
  facts: fc.array(fc.tuple(plain(30), plain(30)), { maxLength: 4 }),
});
const snapshotArb: fc.Arbitrary<SeriesSnapshot> = fc.record({
  stream: fc.record({ a: endpoint, b: endpoint, handshake: fc.boolean() }),
  series: seriesArb,
  finding: fc.option(
    fc.record({
      id: ident, kind: ident, severity: fc.constantFrom('critical' as const, 'error' as const, 'warning' as const, 'info' as const),
      frames: fc.array(fc.integer({ min: 1, max: 0xffffffff }), { maxLength: 20 }),
      text: fc.record({ en: findingText, 'zh-CN': findingText }, { requiredKeys: [] }),
    }),
    { nil: null },
  ),
  masked: fc.boolean(),
});

/** stateFromUrl must answer, never throw, and answer with a well-formed error. */
function answers(s: string): boolean {
  const r = stateFromUrl(s);
  return r.ok || (typeof r.error.kind === 'string' && r.error.key.startsWith('share.error.') && r.error.message.length > 0);
}

describe('share properties', () => {
  it('any valid state survives the round trip', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const r = stateFromUrl(urlFromState(state));
        expect(r.ok && r.state).toEqual(state);
      }),
      { numRuns: 500 },
    );
  });

  it('any snapshot survives the round trip, alone and inside a link', () => {
    fc.assert(
      fc.property(snapshotArb, (snap) => {
        const r = decodeSnapshot(encodeSnapshot(snap));
        expect(r.ok && r.value).toEqual(snap);
        const link = tryUrlFromState({ capture: { fingerprint: 'a'.repeat(32) }, snapshot: snap });
        if (link.ok) {
          const back = stateFromUrl(link.value);
          expect(back.ok && back.state.snapshot).toEqual(snap);
        } else {
          // The only acceptable reason to refuse a valid snapshot: it is too big to share.
          expect(link.error.kind).toBe('too-large');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('no exception escapes stateFromUrl, whatever the string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => answers(s) && answers('#' + s) && answers('#v=2&' + s)), { numRuns: 1000 });
    // Lone surrogates and broken escapes where values are expected.
    const junk = fc.string({ unit: fc.constantFrom('%', 'E', '0', '\uD800', '\uDC00', '&', '=', 'a', '~', ','), maxLength: 60 });
    fc.assert(fc.property(junk, junk, (k, v) => answers(`#v=2&${k}=${v}`) && answers(`#v=1&fp=${'a'.repeat(32)}&${k}=${v}`)), { numRuns: 1000 });
  });

  it('no exception escapes for random snapshots, base64 or not, with or without valid check digits', () => {
    const b64 = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), maxLength: 3000 });
    fc.assert(fc.property(b64, (s) => {
      const r = decodeSnapshot(s);
      return r.ok || r.error.kind === 'snapshot-invalid';
    }), { numRuns: 500 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => answers(`#v=2&fp=${'a'.repeat(32)}&snap=${encodeBase64url(bytes)}`)), { numRuns: 300 });
  });

  it('no exception escapes for links damaged anywhere (one character changed, cut, or duplicated)', () => {
    const good = urlFromState({ ...fullState(), snapshot: blackholeSnapshot() });
    const chars = '%&=#.,:-_aZ09\u00e9\uD800';
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.constantFrom(...chars), fc.constantFrom('replace', 'cut', 'double'), (i, c, how) => {
        const bad = how === 'replace' ? good.slice(0, i) + c + good.slice(i + 1) : how === 'cut' ? good.slice(0, i) : good.slice(0, i) + good.slice(i - 10);
        const r = stateFromUrl(bad);
        // A damaged link is refused; it never opens as some other view.
        if (r.ok) expect(r.state).toEqual(stateFromUrl(good).ok && (stateFromUrl(good) as { state: ShareState }).state);
        return answers(bad);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses huge input at once', () => {
    for (const n of [40_000, 1_000_000, 10_000_000]) {
      const r = stateFromUrl('#v=2&snap=' + 'A'.repeat(n));
      expect(!r.ok && r.error.kind).toBe('too-large');
    }
  });

  it('base64url round-trips any bytes and has one spelling per byte string', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      const t = encodeBase64url(b);
      const back = decodeBase64url(t);
      return back !== null && Buffer.from(back).equals(Buffer.from(b)) && t === Buffer.from(b).toString('base64url');
    }));
    expect(decodeBase64url('QR')).toBeNull(); // non-zero unused bits
    expect(decodeBase64url('QQ')).toEqual(new Uint8Array([65]));
    expect(decodeBase64url('QQ==')).toBeNull();
  });

  it('masking is idempotent and leaves no address of the stream behind', () => {
    fc.assert(
      fc.property(snapshotArb, (snap) => {
        const once = maskAddresses(snap);
        expect(maskAddresses(once)).toEqual(once);
        for (const e of [snap.stream.a, snap.stream.b]) {
          if (isIpv4(e.addr)) expect(JSON.stringify(once)).not.toContain(`"${e.addr}`);
        }
      }),
      { numRuns: 200 },
    );
  });
});
