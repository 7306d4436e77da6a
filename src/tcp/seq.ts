/** Sequence-number arithmetic modulo 2^32 (RFC 1982 style), as TCP analysis needs everywhere. */

/** a > b modulo 2^32. */
export function gtSeq(a: number, b: number): boolean {
  return ((b - a) | 0) < 0;
}

/** a < b modulo 2^32. */
export function ltSeq(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** a <= b modulo 2^32. */
export function leSeq(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** a >= b modulo 2^32. */
export function geSeq(a: number, b: number): boolean {
  return ((b - a) | 0) <= 0;
}

/** (a + b) as an unsigned 32-bit value. */
export function addSeq(a: number, b: number): number {
  return (a + b) >>> 0;
}

/** (a - b) as an unsigned 32-bit value (relative numbers). */
export function subSeq(a: number, b: number): number {
  return (a - b) >>> 0;
}
