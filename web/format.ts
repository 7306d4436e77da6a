/** Number and size formatting shared by the tables (locale-aware grouping, fixed precision). */

export function fmtInt(n: number, lang: string): string {
  return Math.round(n).toLocaleString(lang);
}

export function fmtBytes(n: number, lang: string): string {
  if (n < 1000) return `${fmtInt(n, lang)}\u00a0B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  // Up a unit from 1,000 on: "1,023.4 KiB" is too wide for a table column, "1 MiB" is not.
  while (v >= 1000 && u < units.length - 1) { v /= 1024; u++; }
  // A no-break space: "15.3 KiB" never splits over two lines.
  return `${v.toLocaleString(lang, { maximumFractionDigits: v < 10 ? 2 : 1 })}\u00a0${units[u]}`;
}

/** Seconds with millisecond precision below a minute, as a packet list shows them. */
export function fmtSeconds(s: number): string {
  return s.toFixed(6);
}

export function fmtDuration(s: number): string {
  if (s < 1) return `${(s * 1000).toFixed(1)} ms`;
  if (s < 120) return `${s.toFixed(3)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${(s - m * 60).toFixed(0)} s`;
}

/** A round trip or a short time in milliseconds, three decimals below 10 ms ("2.543 ms"), fewer above. */
export function fmtMs(s: number, lang: string): string {
  const ms = s * 1000;
  return `${ms.toLocaleString(lang, { minimumFractionDigits: ms < 10 ? 3 : ms < 100 ? 2 : 1, maximumFractionDigits: ms < 10 ? 3 : ms < 100 ? 2 : 1 })}\u00a0ms`;
}

/** A rate in bytes per second, in the units of fmtBytes ("8.24 MiB/s"). */
export function fmtRate(bytesPerSecond: number, lang: string): string {
  return `${fmtBytes(bytesPerSecond, lang)}/s`;
}

/** A ratio as a percentage with one decimal ("76.2 %" reads "76.2%" in English). */
export function fmtPercent(ratio: number, lang: string): string {
  return (ratio).toLocaleString(lang, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

export function fmtEpoch(s: number): string {
  if (!s) return '—';
  return new Date(s * 1000).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

/** Classic hex dump rows: offset, 16 bytes in hex, printable ASCII. */
export function hexRows(bytes: Uint8Array): { offset: string; hex: string; ascii: string }[] {
  const rows = [];
  for (let o = 0; o < bytes.length; o += 16) {
    const slice = bytes.subarray(o, o + 16);
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      if (i === 8) hex += ' ';
      if (i < slice.length) {
        hex += slice[i].toString(16).padStart(2, '0') + ' ';
        ascii += slice[i] >= 0x20 && slice[i] < 0x7f ? String.fromCharCode(slice[i]) : '.';
      } else hex += '   ';
    }
    rows.push({ offset: o.toString(16).padStart(4, '0'), hex: hex.trimEnd(), ascii });
  }
  return rows;
}
