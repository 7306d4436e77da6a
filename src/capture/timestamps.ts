/**
 * pcapng time stamps: one unsigned 64-bit count of interface units (10^-n or 2^-n s) split into
 * whole seconds and nanoseconds without BigInt (slow on the hot path) and without losing precision
 * (a nanosecond count of today's date is ~1.7e18, beyond float64's 2^53).
 * Results are written to `ts` (no allocation per packet).
 */

export const ts = { sec: 0, nsec: 0 };

const TWO32 = 4294967296;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** Scratch results of divmod64. */
let qHi = 0, qLo = 0, rem = 0;

/** (hi·2^32 + lo) = (qHi·2^32 + qLo)·d + rem, for 1 ≤ d < 2^31; long division in 16-bit digits. */
function divmod64(hi: number, lo: number, d: number): void {
  let r = 0;
  let cur = r * 65536 + (hi >>> 16);
  const q3 = Math.floor(cur / d); r = cur - q3 * d;
  cur = r * 65536 + (hi & 0xffff);
  const q2 = Math.floor(cur / d); r = cur - q2 * d;
  cur = r * 65536 + (lo >>> 16);
  const q1 = Math.floor(cur / d); r = cur - q1 * d;
  cur = r * 65536 + (lo & 0xffff);
  const q0 = Math.floor(cur / d); r = cur - q0 * d;
  // Each digit quotient is < 65536 because the running remainder is < d.
  qHi = q3 * 65536 + q2;
  qLo = q1 * 65536 + q0;
  rem = r;
}

/**
 * Decode a time stamp counted in units of 10^-resol s (`pow2` false) or 2^-resol s (`pow2` true).
 * Decimal resolutions are exact to the unit (to the nanosecond when finer than 1 ns is rounded);
 * binary ones are rounded to the nearest nanosecond.
 */
export function splitTimestamp(hi: number, lo: number, resol: number, pow2: boolean): void {
  if (!pow2) {
    if (resol <= 9) {
      const d = POW10[resol];
      if (hi < 0x200000) {
        // Below 2^53 the count is an exact double: divide directly, then correct the rounding.
        const u = hi * TWO32 + lo;
        let s = Math.floor(u / d);
        let r = u - s * d;
        if (r < 0) { s--; r += d; } else if (r >= d) { s++; r -= d; }
        ts.sec = s;
        ts.nsec = r * POW10[9 - resol];
        return;
      }
      divmod64(hi, lo, d);
      ts.sec = qHi * TWO32 + qLo;
      ts.nsec = rem * POW10[9 - resol];
      return;
    }
    if (resol <= 18) {
      // Finer than 1 ns: first count whole nanoseconds (rounded), then split those.
      const d = POW10[resol - 9];
      divmod64(hi, lo, d);
      let h = qHi, l = qLo;
      if (rem * 2 >= d) {
        l++;
        if (l === TWO32) { l = 0; h++; }
      }
      divmod64(h, l, 1e9);
      ts.sec = qHi * TWO32 + qLo;
      ts.nsec = rem;
      return;
    }
    // Absurdly fine units: a float is as good as anything.
    const secs = (hi * TWO32 + lo) / Math.pow(10, resol);
    ts.sec = Math.floor(secs);
    ts.nsec = Math.round((secs - ts.sec) * 1e9);
    normalise();
    return;
  }
  if (resol <= 32) {
    const unit = Math.pow(2, resol);
    // Seconds: the top (64 - resol) bits; fraction: the low resol bits.
    const sec = hi * Math.pow(2, 32 - resol) + Math.floor(lo / unit);
    const frac = resol === 32 ? lo : lo % unit;
    ts.sec = Math.floor(sec);
    // hi·2^(32-resol) is an integer when resol ≤ 32, so `sec` is exact up to 2^53.
    ts.nsec = Math.round((frac * 1e9) / unit);
    normalise();
    return;
  }
  const hiUnit = Math.pow(2, resol - 32);
  const sec = Math.floor(hi / hiUnit);
  const frac = (hi - sec * hiUnit) * TWO32 + lo;
  ts.sec = sec;
  ts.nsec = Math.round((frac / Math.pow(2, resol)) * 1e9);
  normalise();
}

function normalise(): void {
  if (ts.nsec >= 1e9) { ts.sec += Math.floor(ts.nsec / 1e9); ts.nsec %= 1e9; }
}

/** Add whole seconds (if_tsoffset) to `ts`. */
export function addSeconds(seconds: number): void {
  ts.sec += seconds;
}
