import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodeBase64url } from '../../src/share/base64url.js';
import { stateFromUrl, tryUrlFromState, urlFromState, MAX_FRAGMENT_CHARS } from '../../src/share/codec.js';
import { maskAddresses } from '../../src/share/mask.js';
import { maskState } from '../../src/share/maskState.js';
import type { SeriesSnapshot } from '../../src/share/snapshot.js';
import { decodeSnapshot, encodeSnapshot, MAX_SNAPSHOT_JSON_BYTES, snapshotToWire } from '../../src/share/snapshotCodec.js';
import { SNAPSHOT_WIRE_VERSION } from '../../src/share/snapshotWire.js';
import { blackholeSnapshot, fullState, quantized } from './shareSamples.js';

const pack = (value: unknown) => encodeBase64url(deflateSync(new TextEncoder().encode(JSON.stringify(value))));

describe('share snapshot', () => {
  it('round-trips the black-hole evidence exactly', () => {
    const snap = blackholeSnapshot();
    const r = decodeSnapshot(encodeSnapshot(snap));
    expect(r.ok && r.value).toEqual(quantized(snap));
    // Quantizing twice changes nothing: a snapshot re-shared stays the same.
    expect(r.ok && decodeSnapshot(encodeSnapshot(r.value))).toEqual({ ok: true, value: quantized(snap) });
  });

  it('makes a self-contained black-hole link of a few KB', () => {
    const both = urlFromState({ ...fullState(), snapshot: blackholeSnapshot() });
    const enOnly = blackholeSnapshot();
    delete enOnly.finding!.text['zh-CN'];
    const one = urlFromState({ ...fullState(), snapshot: enOnly });
    // The analysis text, not the series, is most of it (8 paragraphs and 5 remedies per language).
    console.log(`self-contained black-hole link: ${both.length} characters with both languages, ${one.length} with English only`);
    expect(both.length).toBeLessThan(6 * 1024);
    expect(one.length).toBeLessThan(3 * 1024);
    const r = stateFromUrl(both);
    expect(r.ok && r.state.snapshot).toEqual(quantized(blackholeSnapshot()));
  });

  it('refuses to build a link longer than can be shared, with a message', () => {
    const snap = blackholeSnapshot();
    // Incompressible: many segments with pseudo-random fields.
    let x = 12345;
    const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648);
    const n = 8000;
    const s = snap.series;
    s.segCount = n;
    s.segTime = Float64Array.from({ length: n }, (_, i) => i / 1000 + (rnd() % 1000) / 1e6);
    s.segSeq = Float64Array.from({ length: n }, () => rnd());
    s.segEnd = s.segSeq.map((v) => v + (rnd() % 1500));
    s.segFrame = Uint32Array.from({ length: n }, (_, i) => 100 + i * 3);
    s.segLen = Uint32Array.from({ length: n }, () => rnd() % 1500);
    s.segIpLen = Uint32Array.from({ length: n }, () => rnd() % 1500);
    s.segFlags = Uint32Array.from({ length: n }, () => rnd() % 64);
    s.segN = new Uint32Array(n).fill(1);
    const r = tryUrlFromState({ ...fullState(), snapshot: snap });
    expect(!r.ok && r.error.kind).toBe('too-large');
    expect(!r.ok && r.error.params?.limit).toBe(MAX_FRAGMENT_CHARS);
    expect(!r.ok && r.error.message).toMatch(/Narrow the chart's time window/);
  });

  it('carries markup only as text (validated, never interpreted)', () => {
    const snap = blackholeSnapshot();
    snap.finding!.text.en!.title = '<img src=x onerror=alert(1)><script>alert(1)</script>';
    const r = decodeSnapshot(encodeSnapshot(snap));
    expect(r.ok && r.value.finding?.text.en?.title).toBe(snap.finding!.text.en!.title);
  });

  describe('rejects damaged or hostile snapshots', () => {
    const wire = () => snapshotToWire(blackholeSnapshot()) as unknown as Record<string, unknown>;
    const kind = (text: string) => {
      const r = decodeSnapshot(text);
      return r.ok ? 'ok' : r.error.kind;
    };
    const seg = () => wire().g as Record<string, number[]>;
    it.each<[string, () => string]>([
      ['not base64url', () => 'abc$'],
      ['impossible base64 length', () => 'abcde'],
      ['not deflate', () => encodeBase64url(new Uint8Array([1, 2, 3, 4, 5]))],
      ['not JSON', () => encodeBase64url(deflateSync(new TextEncoder().encode('{nope')))],
      ['not UTF-8', () => encodeBase64url(deflateSync(new Uint8Array([0x7b, 0xff, 0x7d])))],
      ['a bomb', () => encodeBase64url(deflateSync(new Uint8Array(MAX_SNAPSHOT_JSON_BYTES + 10).fill(32)))],
      ['unknown key', () => pack({ ...wire(), extra: 1 })],
      ['newer snapshot version', () => pack({ ...wire(), z: SNAPSHOT_WIRE_VERSION + 1 })],
      ['wrong type', () => pack({ ...wire(), i: '0' })],
      ['bad endpoint', () => pack({ ...wire(), a: 'evil<script>.1' })],
      ['columns of different lengths', () => pack({ ...wire(), g: { ...seg(), l: [1] } })],
      ['finding id with markup', () => pack({ ...wire(), F: { ...(wire().F as object), id: '<b>' } })],
      ['control characters in text', () => pack({ ...wire(), F: { ...(wire().F as object), t: { en: { t: 'a\u0007', b: [], r: [], x: [] } } } })],
      ['lone surrogate in text', () => pack({ ...wire(), F: { ...(wire().F as object), t: { en: { t: 'a\uD800', b: [], r: [], x: [] } } } })],
      ['delta overflow', () => pack({ ...wire(), g: { ...seg(), q: seg().q.map(() => Number.MAX_SAFE_INTEGER) } })],
      ['negative frame', () => pack({ ...wire(), g: { ...seg(), f: seg().f.map(() => -1) } })],
      ['evidence frame 0', () => pack({ ...wire(), F: { ...(wire().F as object), f: [0] } })],
      ['fractional sequence number', () => pack({ ...wire(), g: { ...seg(), q: seg().q.map(() => 0.5) } })],
      ['window ends before it starts', () => pack({ ...wire(), s: { ...(wire().s as object), w: [10, 5] } })],
      ['a hole ends before it starts', () => pack({ ...wire(), o: [[0, 1, 10, 5, 1, 0, 1]] })],
      ['JSON null', () => pack(null)],
    ])('%s', (_n, make) => {
      expect(kind(make())).toBe('snapshot-invalid');
    });

    it('reports a damaged snapshot inside a link as such', () => {
      const good = urlFromState({ ...fullState(), snapshot: blackholeSnapshot() });
      // Swap the snapshot for garbage and re-sign: the snapshot check must still catch it.
      const r = stateFromUrl(good.replace(/snap=[^&]*/, 'snap=AAAA'));
      expect(!r.ok && r.error.kind).toBe('tampered');
    });
  });
});

describe('share masking', () => {
  const all = (s: SeriesSnapshot) => JSON.stringify(s);

  it('replaces every address, in endpoints and text, with stable placeholders', () => {
    const masked = maskAddresses(blackholeSnapshot());
    expect(masked.masked).toBe(true);
    expect(masked.stream.a).toEqual({ addr: 'client', port: 39144 });
    expect(masked.stream.b).toEqual({ addr: 'server', port: 9090 });
    expect(all(masked)).not.toMatch(/198\.18\./);
    expect(masked.finding?.text.en?.title).toBe('PMTU black hole: packets from client:39144 to server:9090 above 1449 bytes are lost');
    expect(masked.finding?.text['zh-CN']?.title).toContain('client:39144 发往 server:9090');
    expect(masked.finding?.text.en?.remedy.join(' ')).toContain('ping -M do -s 1412 server');
    // Numbers that are not addresses stay.
    expect(masked.finding?.text.en?.body[1]).toContain('relative sequence 346 to 1744');
  });

  it('is idempotent and keeps the evidence', () => {
    const once = maskAddresses(blackholeSnapshot());
    expect(maskAddresses(once)).toEqual(once);
    expect(once.series).toEqual(blackholeSnapshot().series);
  });

  it('names other addresses host-1, host-2 ... and handles IPv6 and endpoints in tcpdump form', () => {
    const snap = blackholeSnapshot();
    snap.finding!.text.en!.body = ['Router 192.0.2.254 and 2001:db8::1 (also 2001:DB8::1.443) saw 198.18.1.2.39144; version 1.2 and 10:20:30 stay.'];
    const masked = maskAddresses(snap);
    expect(masked.finding?.text.en?.body[0]).toBe('Router host-1 and host-2 (also host-2.443) saw client.39144; version 1.2 and 10:20:30 stay.');
  });

  it('uses neutral names without a handshake', () => {
    const snap = blackholeSnapshot();
    snap.stream.handshake = false;
    expect(maskAddresses(snap).stream.a.addr).toBe('host-a');
  });

  it('masks a whole link consistently and the masked link still reads back', () => {
    const state = maskState({ ...fullState(), snapshot: blackholeSnapshot() });
    expect(state.stream?.a?.addr).toBe('client');
    expect(state.snapshot?.stream.a.addr).toBe('client');
    const fragment = urlFromState(state);
    expect(fragment).not.toMatch(/198\.18\./);
    const r = stateFromUrl(fragment);
    expect(r.ok && r.state).toEqual({ ...state, snapshot: quantized(state.snapshot!) });
  });
});
