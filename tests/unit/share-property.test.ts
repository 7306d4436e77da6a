import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url } from '../../src/share/base64url.js';
import { stateFromUrl, tryUrlFromState, urlFromState } from '../../src/share/codec.js';
import { isIpv4 } from '../../src/share/endpoint.js';
import { maskAddresses } from '../../src/share/mask.js';
import type { FindingText, SeriesSnapshot, SnapshotAck, SnapshotSegment } from '../../src/share/snapshot.js';
import { decodeSnapshot, encodeSnapshot } from '../../src/share/snapshotCodec.js';
import type { ShareState } from '../../src/share/state.js';
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

const stateArb: fc.Arbitrary<ShareState> = fc.record(
  {
    capture: fc.record(
      { fingerprint: fc.stringMatching(/^[0-9a-f]{32,64}$/), name, size: fc.nat({ max: Number.MAX_SAFE_INTEGER }) },
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
  },
  { requiredKeys: ['capture'] },
);

const seqNum = fc.integer({ min: -(2 ** 40), max: 2 ** 40 });
const segment: fc.Arbitrary<SnapshotSegment> = fc.record({
  frame: fc.integer({ min: 1, max: 1e7 }), t: time(1e12), seq: seqNum, len: fc.integer({ min: 0, max: 65535 }),
  flags: fc.integer({ min: 0, max: 0x7fff }), tcpFlags: fc.integer({ min: 0, max: 0x1ff }), ipLen: fc.integer({ min: 0, max: 65535 }), df: fc.boolean(),
});
const ack: fc.Arbitrary<SnapshotAck> = fc.record({
  frame: fc.integer({ min: 1, max: 1e7 }), t: time(1e12), ack: seqNum, win: fc.integer({ min: 0, max: 2 ** 30 }), flags: fc.integer({ min: 0, max: 0x7fff }),
  sack: fc.array(fc.tuple(seqNum, fc.integer({ min: 0, max: 2 ** 20 })).map(([l, w]) => [l, l + w] as [number, number]), { maxLength: 4 }),
});
const findingText: fc.Arbitrary<FindingText> = fc.record({
  title: plain(80), body: fc.array(plain(200), { maxLength: 4 }), facts: fc.array(fc.tuple(plain(30), plain(30)), { maxLength: 4 }),
});
const snapshotArb: fc.Arbitrary<SeriesSnapshot> = fc.record({
  stream: fc.record({ index: fc.nat({ max: 1e6 }), a: endpoint, b: endpoint, handshake: fc.boolean() }),
  direction: fc.constantFrom('a' as const, 'b' as const),
  window: fc.tuple(time(1e12), time(1e12)).map(([a, b]) => ({ t0: Math.min(a, b), t1: Math.max(a, b) })),
  mtu: fc.option(fc.integer({ min: 68, max: 65535 }), { nil: null }),
  segments: fc.array(segment, { maxLength: 30 }),
  acks: fc.array(ack, { maxLength: 30 }),
  holes: fc.array(fc.tuple(time(1e12), time(1e12), seqNum, seqNum).map(([a, b, l, r]) => ({ t0: Math.min(a, b), t1: Math.max(a, b), left: Math.min(l, r), right: Math.max(l, r) })), { maxLength: 5 }),
  finding: fc.option(
    fc.record({
      id: ident, kind: ident, severity: fc.constantFrom('error' as const, 'warning' as const, 'info' as const),
      frames: fc.array(fc.integer({ min: 1, max: 1e7 }), { maxLength: 20 }),
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
