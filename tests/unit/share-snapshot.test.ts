import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodeBase64url } from '../../src/share/base64url.js';
import { stateFromUrl, tryUrlFromState, urlFromState, MAX_FRAGMENT_CHARS } from '../../src/share/codec.js';
import { maskAddresses } from '../../src/share/mask.js';
import { maskState } from '../../src/share/maskState.js';
import type { SeriesSnapshot } from '../../src/share/snapshot.js';
import { decodeSnapshot, encodeSnapshot, MAX_SNAPSHOT_JSON_BYTES, snapshotToWire } from '../../src/share/snapshotCodec.js';
import { blackholeSnapshot, fullState } from './shareSamples.js';

const pack = (value: unknown) => encodeBase64url(deflateSync(new TextEncoder().encode(JSON.stringify(value))));

describe('share snapshot', () => {
  it('round-trips the black-hole evidence exactly', () => {
    const snap = blackholeSnapshot();
    const r = decodeSnapshot(encodeSnapshot(snap));
    expect(r.ok && r.value).toEqual(snap);
  });

  it('makes a self-contained black-hole link of a few KB', () => {
    const fragment = urlFromState({ ...fullState(), snapshot: blackholeSnapshot() });
    // Both languages, 18 segments, 10 ACKs: the size this test pins is reported in the README.
    console.log(`self-contained black-hole link: ${fragment.length} characters (snapshot ${encodeSnapshot(blackholeSnapshot()).length})`);
    expect(fragment.length).toBeLessThan(4096);
    const r = stateFromUrl(fragment);
    expect(r.ok && r.state.snapshot).toEqual(blackholeSnapshot());
  });

  it('refuses to build a link longer than can be shared, with a message', () => {
    const snap = blackholeSnapshot();
    // Incompressible: many segments with pseudo-random fields.
    let x = 12345;
    const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648);
    snap.segments = Array.from({ length: 8000 }, (_, i) => ({ frame: 100 + i * 3, t: i / 1000 + (rnd() % 1000) / 1e6, seq: rnd(), len: rnd() % 1500, flags: rnd() % 64, tcpFlags: 16, ipLen: rnd() % 1500, df: true }));
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
    it.each<[string, () => string]>([
      ['not base64url', () => 'abc$'],
      ['impossible base64 length', () => 'abcde'],
      ['not deflate', () => encodeBase64url(new Uint8Array([1, 2, 3, 4, 5]))],
      ['not JSON', () => encodeBase64url(deflateSync(new TextEncoder().encode('{nope')))],
      ['not UTF-8', () => encodeBase64url(deflateSync(new Uint8Array([0x7b, 0xff, 0x7d])))],
      ['a bomb', () => encodeBase64url(deflateSync(new Uint8Array(MAX_SNAPSHOT_JSON_BYTES + 10).fill(32)))],
      ['unknown key', () => pack({ ...wire(), extra: 1 })],
      ['newer snapshot version', () => pack({ ...wire(), z: 2 })],
      ['wrong type', () => pack({ ...wire(), i: '0' })],
      ['bad endpoint', () => pack({ ...wire(), a: 'evil<script>.1' })],
      ['columns of different lengths', () => pack({ ...wire(), s: { ...(wire().s as object), l: [1] } })],
      ['finding id with markup', () => pack({ ...wire(), F: { ...(wire().F as object), id: '<b>' } })],
      ['control characters in text', () => pack({ ...wire(), F: { ...(wire().F as object), t: { en: { t: 'a\u0007', b: [], x: [] } } } })],
      ['delta overflow', () => pack({ ...wire(), s: { ...(wire().s as object), q: (wire().s as { q: number[] }).q.map(() => Number.MAX_SAFE_INTEGER) } })],
      ['frame 0', () => pack({ ...wire(), k: { ...(wire().k as object), f: (wire().k as { f: number[] }).f.map(() => 0) } })],
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
    expect(masked.finding?.text.en?.title).toBe('PMTU black hole: 1450-byte packets from client never arrive');
    expect(masked.finding?.text['zh-CN']?.body[1]).toContain('server 对其进行了选择性确认');
    // Numbers that are not addresses stay.
    expect(masked.finding?.text.en?.body[0]).toContain('bytes 346-1744');
  });

  it('is idempotent and keeps the evidence', () => {
    const once = maskAddresses(blackholeSnapshot());
    expect(maskAddresses(once)).toEqual(once);
    expect(once.segments).toEqual(blackholeSnapshot().segments);
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
    expect(r.ok && r.state).toEqual(state);
  });
});
