import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FragmentTally, Reassembler } from '../../src/decode/reassembly';

/** A datagram payload of n bytes, each byte telling where it is. */
const payload = (n: number, salt = 0): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + salt) & 255);

interface Piece { off: number; len: number; more: boolean }

/** Cut n bytes into fragments of `size` (a multiple of 8), in order. */
function cut(n: number, size: number): Piece[] {
  const out: Piece[] = [];
  for (let off = 0; off < n; off += size) out.push({ off, len: Math.min(size, n - off), more: off + size < n });
  return out;
}

/** Feed pieces of `data` (at 1 s apart from `t0`); returns what each add returned. */
function feed(r: Reassembler, key: string, data: Uint8Array, pieces: Piece[], t0 = 0, headroom = 0): number[] {
  return pieces.map((p, i) => r.add(key, t0 + i, i, p.off, p.more, data, p.off, p.len, p.len, headroom));
}

describe('Reassembler', () => {
  it('in order: the last fragment completes the datagram, with its bytes after the headroom', () => {
    const r = new Reassembler();
    const data = payload(3000);
    const got = feed(r, 'k', data, cut(3000, 1480), 0, 34);
    expect(got).toEqual([-1, -1, 3000]);
    expect(r.out.subarray(34, 34 + 3000)).toEqual(data);
    expect(r.tally).toMatchObject({ fragments: 3, reassembled: 1, reassembledFragments: 3, overlaps: 0, duplicates: 0, incomplete: 0 });
    expect([r.pendingCount, r.bytesHeld]).toEqual([0, 0]);
  });

  it('any order, any cut: completed by whichever fragment fills the last gap, bytes intact', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 9000 }), fc.integer({ min: 1, max: 200 }), fc.integer(),
      (n, eights, seed) => {
        const pieces = cut(n, eights * 8);
        // A seeded shuffle.
        let s = seed | 0;
        for (let i = pieces.length - 1; i > 0; i--) {
          s = (Math.imul(s, 1103515245) + 12345) | 0;
          const j = (s >>> 8) % (i + 1);
          [pieces[i], pieces[j]] = [pieces[j], pieces[i]];
        }
        const r = new Reassembler();
        const data = payload(n, seed & 255);
        const got = feed(r, 'k', data, pieces);
        expect(got.slice(0, -1).every((x) => x === -1)).toBe(true);
        expect(got[got.length - 1]).toBe(n);
        expect(r.out.subarray(0, n)).toEqual(data);
        expect([r.pendingCount, r.bytesHeld, r.tally.overlaps]).toEqual([0, 0, 0]);
      }));
  });

  it('a duplicate fragment is counted as such, not as an overlap', () => {
    const r = new Reassembler();
    const data = payload(2000);
    const [a, b] = cut(2000, 1000);
    expect(feed(r, 'k', data, [a, a, b])).toEqual([-1, -1, 2000]);
    expect(r.tally).toMatchObject({ duplicates: 1, overlaps: 0, reassembled: 1, reassembledFragments: 3 });
  });

  it('overlaps: reported, the bytes that came first kept, gaps filled from the later one', () => {
    const r = new Reassembler();
    const first = payload(64, 1), second = payload(64, 99);
    // 0..24 and 48..64 (last) from `first`, then 16..56 from `second` overlapping both.
    expect(r.add('k', 0, 0, 0, true, first, 0, 24, 24)).toBe(-1);
    expect(r.add('k', 0, 1, 48, false, first, 48, 16, 16)).toBe(-1);
    expect(r.add('k', 0, 2, 16, true, second, 16, 40, 40)).toBe(64);
    const want = Uint8Array.from(first);
    want.set(second.subarray(24, 48), 24);
    expect(r.out.subarray(0, 64)).toEqual(want);
    expect(r.tally).toMatchObject({ overlaps: 1, overlapRows: [2], duplicates: 0, reassembled: 1 });
  });

  it('property: overlapping random pieces that cover everything complete it with the first bytes seen', () => {
    fc.assert(fc.property(
      fc.integer({ min: 8, max: 3000 }),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2000 }), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
      (n, extra) => {
        const r = new Reassembler();
        const expected = new Int16Array(n).fill(-1);
        let done = -1;
        const add = (off: number, len: number, more: boolean, salt: number) => {
          const src = payload(n, salt);
          for (let k = off; k < off + len; k++) if (expected[k] < 0) expected[k] = src[k];
          const got = r.add('k', 0, 0, off, more, src, off, len, len);
          if (got >= 0) done = got;
        };
        for (const [o, l, salt] of extra) {
          const off = o % n, len = Math.min(l, n - off);
          add(off, len, true, salt);
          if (done >= 0) return; // cannot complete without the last fragment
        }
        add(n - 1, 1, false, 3);
        if (done < 0) add(0, n, true, 5);
        expect(done).toBe(n);
        expect(Array.from(r.out.subarray(0, n))).toEqual(Array.from(expected));
      }));
  });

  it('missing fragments: never completed, counted with their rows when the capture ends', () => {
    const r = new Reassembler();
    const data = payload(3000);
    const [a, , c] = cut(3000, 1000);
    expect(feed(r, 'k', data, [a, c])).toEqual([-1, -1]);
    expect(r.pendingCount).toBe(1);
    r.flush();
    expect(r.tally).toMatchObject({ incomplete: 1, incompleteRows: [0, 1], reassembled: 0 });
    expect([r.pendingCount, r.bytesHeld]).toEqual([0, 0]);
  });

  it('datagrams are told apart by their key', () => {
    const r = new Reassembler();
    const x = payload(2000, 1), y = payload(2000, 2);
    const [a, b] = cut(2000, 1000);
    expect(r.add('x', 0, 0, a.off, a.more, x, a.off, a.len, a.len)).toBe(-1);
    expect(r.add('y', 0, 1, b.off, b.more, y, b.off, b.len, b.len)).toBe(-1);
    expect(r.add('y', 0, 2, a.off, a.more, y, a.off, a.len, a.len)).toBe(2000);
    expect(r.out.subarray(0, 2000)).toEqual(y);
    expect(r.add('x', 0, 3, b.off, b.more, x, b.off, b.len, b.len)).toBe(2000);
    expect(r.out.subarray(0, 2000)).toEqual(x);
  });

  it('timeout: a datagram idle longer than 30 s of capture time is given up; a slow trickle is not', () => {
    const r = new Reassembler();
    const data = payload(3000);
    const [a, b, c] = cut(3000, 1000);
    // 20 s between fragments: never idle for 30 s, completed.
    expect([a, b, c].map((p, i) => r.add('slow', i * 20, i, p.off, p.more, data, p.off, p.len, p.len))).toEqual([-1, -1, 3000]);
    expect(r.add('stale', 100, 3, a.off, a.more, data, a.off, a.len, a.len)).toBe(-1);
    // 31 s later: the first is given up, the rest starts a new datagram that never completes.
    expect(r.add('stale', 131, 4, b.off, b.more, data, b.off, b.len, b.len)).toBe(-1);
    expect(r.add('stale', 131.5, 5, c.off, c.more, data, c.off, c.len, c.len)).toBe(-1);
    expect(r.tally).toMatchObject({ timedOut: 1, incomplete: 1, incompleteRows: [3] });
    r.flush();
    expect(r.tally).toMatchObject({ incomplete: 2, incompleteRows: [3, 4, 5], reassembled: 1 });
  });

  it('memory cap: the least recently fed datagrams are evicted to make room', () => {
    const tally = new FragmentTally();
    const r = new Reassembler(tally, { maxBytes: 8192, maxDatagramBytes: 65536 });
    const data = payload(4000);
    for (let k = 0; k < 10; k++) {
      r.add(`d${k}`, k, k, 0, true, data, 0, 2000, 2000);
      expect(r.bytesHeld).toBeLessThanOrEqual(8192);
    }
    expect(tally.evicted).toBeGreaterThan(0);
    expect(r.pendingCount + tally.evicted).toBe(10);
    // The most recent ones survive and can still complete.
    expect(r.add('d9', 10, 10, 2000, false, data, 2000, 2000, 2000)).toBe(4000);
    expect(r.out.subarray(0, 4000)).toEqual(data);
  });

  it('a flood of fragments that can never complete (cut by the snap length) stays within the budget too', () => {
    const r = new Reassembler(new FragmentTally(), { maxBytes: 8192 });
    const data = payload(1500);
    for (let k = 0; k < 10_000; k++) {
      r.add(`cut${k}`, 0, k, 0, true, data, 0, 1480, 96);
      expect(r.bytesHeld).toBeLessThanOrEqual(8192);
    }
    expect(r.pendingCount).toBeLessThan(40);
    r.flush();
    expect(r.tally).toMatchObject({ incomplete: 10_000, fragments: 10_000 });
    expect(r.tally.incompleteRows).toHaveLength(10_000);
    expect([r.pendingCount, r.bytesHeld]).toEqual([0, 0]);
  });

  it('a datagram longer than allowed, or a fragment not captured in full, can never complete: counted once', () => {
    const r = new Reassembler(new FragmentTally(), { maxDatagramBytes: 4096 });
    const data = payload(9000);
    expect(feed(r, 'long', data, cut(9000, 1000))).toEqual(Array(9).fill(-1));
    expect(r.add('cut', 0, 20, 0, true, data, 0, 1000, 600)).toBe(-1);
    expect(r.add('cut', 0, 21, 1000, false, data, 1000, 1000, 1000)).toBe(-1);
    // Their bytes are freed: what is left is bookkeeping.
    expect(r.bytesHeld).toBeLessThan(1000);
    r.flush();
    expect(r.tally).toMatchObject({ incomplete: 2, tooLong: 1 });
    expect(r.tally.incompleteRows).toHaveLength(11);
  });

  it('IPv6-sized datagrams: a 65,536-byte payload in 1,440-byte fragments', () => {
    const r = new Reassembler();
    const n = 65536;
    const data = payload(n, 9);
    const got = feed(r, '6 a b 1 17', data, cut(n, 1440));
    expect(got[got.length - 1]).toBe(n);
    expect(Buffer.from(r.out.subarray(0, n)).equals(data)).toBe(true);
  });
});
