import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { stateFromUrl, tryUrlFromState, urlFromState, MAX_LINK_CHARS } from '../../src/share/codec.js';
import { ShareLinkError } from '../../src/share/errors.js';
import type { ShareState } from '../../src/share/state.js';
import { UPGRADERS, upgradeFields, URL_VERSION } from '../../src/share/upgraders.js';
import { fullState } from './shareSamples.js';

function roundTrip(state: ShareState): ShareState {
  const r = stateFromUrl(urlFromState(state));
  if (!r.ok) throw new Error(r.error.message);
  expect(r.upgradedFrom).toBeUndefined();
  return r.state;
}

const base: ShareState = { capture: { fingerprint: 'ab'.repeat(16) } };

describe('share codec: round trip of every field', () => {
  it('the full state', () => {
    expect(roundTrip(fullState())).toEqual(fullState());
  });

  it('reads like the documented example', () => {
    const url = urlFromState(fullState());
    expect(url).toMatch(/^#v=4&fp=0123456789abcdef0123456789abcdef&n=pmtu-blackhole\.pcap&sz=15665&s=0&a=198\.18\.1\.2\.39144&b=198\.18\.3\.2\.9090&isn=3735928559,12345&d=a&w=0\.5,2\.25&f=21&k=pmtu-blackhole\.0&mtu=1440&l=zh-CN&ck=[0-9a-f]{8}$/);
  });

  const cases: [string, ShareState][] = [
    ['only the fingerprint', base],
    ['a 64-digit fingerprint', { capture: { fingerprint: 'f'.repeat(64) } }],
    ['name with spaces, unicode and URL syntax', { capture: { ...base.capture, name: '抓包 #1 & a=b?.pcapng' } }],
    ['size 0 and huge', { capture: { ...base.capture, size: Number.MAX_SAFE_INTEGER } }],
    ['stream index only', { ...base, stream: { index: 1234 } }],
    ['IPv6 endpoints', { ...base, stream: { index: 3, a: { addr: '2001:2:0:1::2', port: 0 }, b: { addr: '::ffff:198.18.3.2', port: 65535 } } }],
    ['masked endpoints', { ...base, stream: { index: 3, a: { addr: 'client', port: 1 }, b: { addr: 'server', port: 2 } } }],
    ['unknown ISNs', { ...base, stream: { index: 0, a: { addr: '10.0.0.1', port: 1 }, b: { addr: '10.0.0.2', port: 2 }, isn: [null, 0] } }],
    ['direction b', { ...base, direction: 'b' }],
    ['negative and fine-grained window', { ...base, window: { t0: -1.000001, t1: 123456789.123456 } }],
    ['frame 1', { ...base, frame: 1 }],
    ['finding id with punctuation', { ...base, finding: 'zero-window:3.1_a' }],
    ['smallest MTU', { ...base, mtu: 68 }],
    ['language en', { ...base, lang: 'en' }],
  ];
  it.each(cases)('%s', (_name, state) => {
    expect(roundTrip(state)).toEqual(state);
  });

  it('accepts the fragment without its "#" and in any field order', () => {
    const url = urlFromState(fullState()).slice(1);
    const shuffled = url.split('&').reverse().join('&');
    const r = stateFromUrl(shuffled);
    expect(r.ok && r.state).toEqual(fullState());
  });

  it('accepts what a browser may re-escape (":" and "," as %3A and %2C)', () => {
    const url = urlFromState({ ...base, stream: { index: 0, a: { addr: '2001:db8::1', port: 1 }, b: { addr: '2001:db8::2', port: 2 } } });
    const r = stateFromUrl(url.replace(/:/g, '%3A').replace(/,/g, '%2C'));
    expect(r.ok).toBe(true);
  });

  it('quantizes window times to microseconds', () => {
    const r = stateFromUrl(urlFromState({ ...base, window: { t0: 1.23456789, t1: 2 } }));
    expect(r.ok && r.state.window).toEqual({ t0: 1.234568, t1: 2 });
  });
});

describe('share codec: refusing what it cannot make', () => {
  it.each<[string, ShareState]>([
    ['bad fingerprint', { capture: { fingerprint: 'xyz' } }],
    ['upper-case fingerprint', { capture: { fingerprint: 'AB'.repeat(16) } }],
    ['MTU out of range', { ...base, mtu: 67 }],
    ['frame 0', { ...base, frame: 0 }],
    ['empty window', { ...base, window: { t0: 2, t1: 2 } }],
    ['NaN time', { ...base, window: { t0: NaN, t1: 2 } }],
    ['bad address', { ...base, stream: { index: 0, a: { addr: '300.1.1.1', port: 1 }, b: { addr: '10.0.0.1', port: 2 } } }],
    ['control character in the name', { capture: { ...base.capture, name: 'a\nb' } }],
    ['finding id with spaces', { ...base, finding: 'a b' }],
  ])('%s', (_n, state) => {
    const r = tryUrlFromState(state);
    expect(r.ok).toBe(false);
    expect(() => urlFromState(state)).toThrow(ShareLinkError);
  });
});

describe('share codec: reading untrusted fragments', () => {
  const good = urlFromState(fullState());
  const kindOf = (s: string) => {
    const r = stateFromUrl(s);
    return r.ok ? 'ok' : r.error.kind;
  };

  it('says there is no link for empty or foreign fragments', () => {
    expect(kindOf('')).toBe('empty');
    expect(kindOf('#')).toBe('empty');
    expect(kindOf('#section-2')).toBe('empty');
  });

  it('refuses huge input before parsing it', () => {
    const r = stateFromUrl('#v=2&n=' + 'a'.repeat(MAX_LINK_CHARS));
    expect(!r.ok && r.error.kind).toBe('too-large');
  });

  it('recognises links from a newer version', () => {
    const r = stateFromUrl(good.replace(`v=${URL_VERSION}`, `v=${URL_VERSION + 1}`));
    expect(!r.ok && r.error.kind).toBe('too-new');
    expect(!r.ok && r.error.message).toMatch(/newer version/);
    expect(!r.ok && r.error.key).toBe('share.error.too-new');
  });

  it('notices edits and truncation through the check digits', () => {
    expect(kindOf(good.replace('f=21', 'f=22'))).toBe('tampered');
    expect(kindOf(good.replace('mtu=1440', 'mtu=1500'))).toBe('tampered');
    expect(kindOf(good.slice(0, good.indexOf('&ck=')))).toBe('tampered');
    expect(kindOf(good.slice(0, -1))).toBe('tampered');
  });

  it('rejects malformed structure', () => {
    expect(kindOf(good + '&f=3')).toBe('malformed'); // repeated field
    expect(kindOf(good.replace('&d=a', '&d=a&zz=1'))).toBe('tampered'); // a field added on the way
    expect(kindOf(withCheck(good.slice(0, good.indexOf('&ck=')) + '&zz=1'))).toBe('malformed'); // unknown field
    expect(kindOf(good.replace('&d=a', '&d%'))).toBe('malformed');
    expect(kindOf('#v=2&fp=%E0%A4%A')).toBe('malformed');
    expect(kindOf('#fp=' + 'a'.repeat(32))).toBe('malformed'); // no version
  });

  it('names the invalid field in its message', () => {
    // Build the bad field into a link with valid check digits, as a careless generator would.
    const r = stateFromUrl(withCheck('#v=2&fp=' + 'a'.repeat(32) + '&mtu=99999'));
    expect(!r.ok && r.error.kind).toBe('invalid-field');
    expect(!r.ok && r.error.message).toMatch(/path MTU \("99999"\)/);
    expect(!r.ok && r.error.params?.field).toBe('mtu');
  });

  it('rejects a version that is not a number', () => {
    expect(kindOf('#v=two&fp=' + 'a'.repeat(32))).toBe('invalid-field');
    expect(kindOf('#v=0&fp=' + 'a'.repeat(32))).toBe('invalid-field');
  });
});

/** Re-sign a hand-made v2 fragment (the check digits are not secret: they catch accidents). */
function withCheck(fragment: string): string {
  const state = stateFromUrl(fragment);
  if (state.ok || state.error.kind !== 'tampered') throw new Error('expected a fragment without check digits');
  // Recompute the check digits the same way the codec does.
  const fields = new Map(fragment.slice(1).split('&').map((p) => p.split('=') as [string, string]).map(([k, v]) => [k, decodeURIComponent(v)]));
  const lines = [...fields].map(([k, v]) => `${k}=${v}`).sort().join('\n');
  return `${fragment}&ck=${sha256hex(lines).slice(0, 8)}`;
}

function sha256hex(s: string): string {
  return bytesToHex(sha256(new TextEncoder().encode(s)));
}

describe('share codec: upgraders', () => {
  it('opens a v1 link (long names, "~" window, no check digits) as today\'s state', () => {
    const v1 = `#v=1&fp=${'c'.repeat(32)}&stream=7&t=1.5~3&finding=pmtu-blackhole.7&mtu=1400`;
    const r = stateFromUrl(v1);
    expect(r).toEqual({
      ok: true,
      upgradedFrom: 1,
      state: { capture: { fingerprint: 'c'.repeat(32) }, stream: { index: 7 }, window: { t0: 1.5, t1: 3 }, finding: 'pmtu-blackhole.7', mtu: 1400 },
    });
    // Written again, it becomes a current link that reads back the same.
    const again = stateFromUrl(urlFromState(r.ok ? r.state : base));
    expect(again.ok && again.upgradedFrom).toBeUndefined();
    expect(again.ok && again.state).toEqual(r.ok && r.state);
  });

  it('validates what an upgrader produced', () => {
    const r = stateFromUrl(`#v=1&fp=${'c'.repeat(32)}&t=3~1`);
    expect(!r.ok && r.error.kind).toBe('invalid-field');
  });

  it('runs the chain of steps in order and reports a gap', () => {
    const table = { 0: (f: Map<string, string>) => f.set('x', 'from0'), 1: (f: Map<string, string>) => f.set('y', f.get('x') + '+1') };
    const f = new Map<string, string>();
    expect(upgradeFields(f, 0, 2, table)).toBe(true);
    expect(f.get('y')).toBe('from0+1');
    expect(upgradeFields(new Map(), 0, 3, table)).toBe(false);
    expect(Object.keys(UPGRADERS).map(Number)).toEqual([1, 2, 3]);
  });
});

describe('share codec: other capture points (format v3)', () => {
  const pod = { fingerprint: 'cd'.repeat(16), name: 'pmtu-blackhole.server-eth0.pcap', size: 2928, point: 'pod' };
  const withPoints: ShareState = { ...fullState(), capture: { ...fullState().capture, point: 'node eth0' }, points: [pod] };

  it('round-trips the points, their files and the names the user gave', () => {
    expect(roundTrip(withPoints)).toEqual(withPoints);
    const three: ShareState = { ...base, points: [pod, { fingerprint: 'e'.repeat(64) }, { fingerprint: 'f'.repeat(32), point: '节点 / eth0 & co' }] };
    expect(roundTrip(three)).toEqual(three);
  });

  it('writes them after the capture, readable', () => {
    expect(urlFromState(withPoints)).toMatch(/&sz=15665&p0p=node%20eth0&p1=cdcd[0-9a-f]{28}&p1n=pmtu-blackhole\.server-eth0\.pcap&p1s=2928&p1p=pod&s=0&/);
  });

  it('refuses what it could not read back', () => {
    const bad = (state: ShareState) => { const r = tryUrlFromState(state); return r.ok ? 'ok' : r.error.kind; };
    expect(bad({ ...base, points: Array.from({ length: 5 }, () => pod) })).toBe('invalid-field');
    expect(bad({ ...base, points: [{ ...pod, point: 'x'.repeat(65) }] })).toBe('invalid-field');
    expect(bad({ ...base, points: [{ ...pod, point: ' pod' }] })).toBe('invalid-field');
    expect(bad({ ...base, points: [{ ...pod, fingerprint: 'CD'.repeat(16) }] })).toBe('invalid-field');
    expect(bad({ ...base, capture: { ...base.capture, point: '' } })).toBe('invalid-field');
  });

  it('rejects points out of order or without a fingerprint, naming the field', () => {
    const fp = 'a'.repeat(32);
    const read = (f: string) => stateFromUrl(withCheck(f));
    const gap = read(`#v=3&fp=${fp}&p2=${fp}`);
    expect(!gap.ok && gap.error.kind).toBe('malformed');
    expect(!gap.ok && gap.error.message).toMatch(/point 1 is missing/);
    const noFp = read(`#v=3&fp=${fp}&p1p=pod`);
    expect(!noFp.ok && noFp.error.message).toMatch(/fingerprint is missing/);
    const badName = read(`#v=3&fp=${fp}&p1=${fp}&p1n=%20x`);
    expect(!badName.ok && badName.error.params?.field).toBe('p1n');
    expect(!badName.ok && badName.error.message).toMatch(/file name of capture point 1/);
    const badSize = read(`#v=3&fp=${fp}&p1=${fp}&p1s=-1`);
    expect(!badSize.ok && badSize.error.params?.field).toBe('p1s');
    expect(read(`#v=3&fp=${fp}&p5=${fp}`).ok).toBe(false);
  });

  it('opens a v2 link as before, upgraded with nothing changed', () => {
    const v2 = withCheck(`#v=2&fp=${'c'.repeat(32)}&n=a.pcap&s=7&k=pmtu-blackhole.7`);
    const r = stateFromUrl(v2);
    expect(r).toEqual({ ok: true, upgradedFrom: 2, state: { capture: { fingerprint: 'c'.repeat(32), name: 'a.pcap' }, stream: { index: 7 }, finding: 'pmtu-blackhole.7' } });
  });
});
