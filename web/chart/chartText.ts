/** Numbers of the chart: flag names from a flag table (segmentMarks.ts), axis ticks, tooltip values. */

export function flagKeys(bits: number, table: readonly [number, string][]): string[] {
  return table.filter(([b]) => bits & b).map(([, k]) => k);
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Byte counts and sequence numbers: digits grouped, as packet tools print them. */
export function fmtInt(v: number): string {
  return grouped.format(Math.round(v));
}

/** Axis ticks of sequence numbers: short (1.5M, 320k) once they get long. */
export function fmtSeqTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (a >= 1e5) return `${+(v / 1e3).toFixed(1)}k`;
  return fmtInt(v);
}

/** Seconds with the given decimals. */
export function fmtTime(t: number, decimals: number): string {
  return t.toFixed(decimals);
}

/** Seconds for a tooltip: microsecond precision, as capture time stamps usually have. */
export function fmtTimeExact(t: number): string {
  return t.toFixed(6);
}
