import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitTimestamp, ts } from '../../src/capture/timestamps';

/** The exact answer, with BigInt (too slow for the reader, fine as an oracle). */
function oracle(units: bigint, resol: number, pow2: boolean): { sec: number; nsec: number } {
  const per = pow2 ? 1n << BigInt(resol) : 10n ** BigInt(resol);
  const sec = units / per;
  const rem = units % per;
  // Nanoseconds, rounded half up.
  let nsec = (rem * 1_000_000_000n * 2n + per) / (per * 2n);
  let s = sec;
  if (nsec >= 1_000_000_000n) { s += 1n; nsec -= 1_000_000_000n; }
  return { sec: Number(s), nsec: Number(nsec) };
}

/** Any 64-bit count, and often a realistic one (today in ns is ~2^61). */
const u64 = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 61n }));

function split(units: bigint, resol: number, pow2: boolean): { sec: number; nsec: number } {
  splitTimestamp(Number(units >> 32n), Number(units & 0xffffffffn), resol, pow2);
  return { sec: ts.sec, nsec: ts.nsec };
}

describe('pcapng time stamps', () => {
  it('nanosecond counts beyond 2^53 are exact', () => {
    const units = 1795635682818106033n;
    expect(split(units, 9, false)).toEqual({ sec: 1795635682, nsec: 818106033 });
    expect(split(2n ** 64n - 1n, 9, false)).toEqual(oracle(2n ** 64n - 1n, 9, false));
  });

  it('microseconds (the default) and other decimal resolutions are exact', () => {
    expect(split(1795635682818116n, 6, false)).toEqual({ sec: 1795635682, nsec: 818116000 });
    expect(split(17956356828n, 1, false)).toEqual({ sec: 1795635682, nsec: 800000000 });
    expect(split(0n, 6, false)).toEqual({ sec: 0, nsec: 0 });
  });

  it('matches a BigInt oracle for every decimal resolution 0..9 and 64-bit counts', () => {
    fc.assert(fc.property(u64, fc.integer({ min: 0, max: 9 }), (u, r) => {
      const got = split(u, r, false);
      const want = oracle(u, r, false);
      // Seconds above 2^53 cannot be held exactly by a number; such dates are not real.
      if (want.sec <= Number.MAX_SAFE_INTEGER) expect(got).toEqual(want);
    }));
  });

  it('finer than nanoseconds rounds to the nearest nanosecond', () => {
    fc.assert(fc.property(u64, fc.integer({ min: 10, max: 15 }), (u, r) => {
      expect(split(u, r, false)).toEqual(oracle(u, r, false));
    }));
    expect(split(1_500_000_000_000n + 499n, 12, false)).toEqual({ sec: 1, nsec: 500000000 });
    expect(split(1_999_999_999_999n + 500n - 499n, 12, false)).toEqual({ sec: 2, nsec: 0 });
  });

  it('binary resolutions round to the nearest nanosecond', () => {
    fc.assert(fc.property(u64, fc.integer({ min: 0, max: 40 }), (u, r) => {
      const got = split(u, r, true);
      const want = oracle(u, r, true);
      if (want.sec > Number.MAX_SAFE_INTEGER) return;
      // Off by at most one nanosecond when the exact value sits on a half (float rounding).
      const diff = (got.sec - want.sec) * 1e9 + (got.nsec - want.nsec);
      expect(Math.abs(diff)).toBeLessThanOrEqual(1);
      expect(got.nsec).toBeGreaterThanOrEqual(0);
      expect(got.nsec).toBeLessThan(1e9);
    }));
    expect(split((5n << 32n) | 0x80000000n, 32, true)).toEqual({ sec: 5, nsec: 500000000 });
  });
});
