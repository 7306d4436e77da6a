import { describe, expect, it } from 'vitest';
import { resolveStream, type StreamIdentity } from '../../src/share/resolveStream.js';

const streams: StreamIdentity[] = [
  { index: 0, addrA: '198.18.1.2', portA: 39144, addrB: '198.18.3.2', portB: 9090, isn: [100, 200] },
  { index: 1, addrA: '198.18.1.2', portA: 39146, addrB: '198.18.3.2', portB: 9090, isn: [300, 400] },
  // The same tuple reused later by a new connection.
  { index: 2, addrA: '198.18.1.2', portA: 39144, addrB: '198.18.3.2', portB: 9090, isn: [500, 600] },
  { index: 3, addrA: '2001:db8::1', portA: 1, addrB: '2001:db8::2', portB: 2, isn: [-1, -1] },
];
const a = { addr: '198.18.1.2', port: 39144 };
const b = { addr: '198.18.3.2', port: 9090 };

describe('share stream resolution', () => {
  it('finds a stream by tuple and ISNs even when the index hint is stale', () => {
    expect(resolveStream({ index: 9, a, b, isn: [500, 600] }, streams)).toEqual({ ok: true, index: 2, by: 'tuple' });
  });
  it('uses the index hint among connections that share a tuple', () => {
    expect(resolveStream({ index: 2, a, b }, streams)).toEqual({ ok: true, index: 2, by: 'tuple' });
    expect(resolveStream({ index: 7, a, b }, streams)).toEqual({ ok: false, reason: 'ambiguous' });
  });
  it('matches masked addresses by ports and ISNs', () => {
    expect(resolveStream({ index: 0, a: { addr: 'client', port: 39146 }, b: { addr: 'server', port: 9090 } }, streams)).toEqual({ ok: true, index: 1, by: 'tuple' });
  });
  it('compares IPv6 text without regard to case and tolerates unknown ISNs', () => {
    expect(resolveStream({ index: 0, a: { addr: '2001:DB8::1', port: 1 }, b: { addr: '2001:db8::2', port: 2 }, isn: [5, null] }, streams)).toEqual({ ok: true, index: 3, by: 'tuple' });
  });
  it('falls back to the index for links without a tuple, and says when nothing matches', () => {
    expect(resolveStream({ index: 1 }, streams)).toEqual({ ok: true, index: 1, by: 'index' });
    expect(resolveStream({ index: 99 }, streams)).toEqual({ ok: false, reason: 'not-found' });
    expect(resolveStream({ index: 0, a, b, isn: [1, 2] }, streams)).toEqual({ ok: false, reason: 'not-found' });
  });
});
