/** The benchmark's table, the ratios against peers and the check against the project's targets. */
export interface BenchRow {
  label: string;
  file: string;
  bytes: number;
  packets: number;
  seconds: number;
  cpuSeconds: number;
  ioSeconds: number;
  maxRssBytes: number;
  retainedPerPacket: number;
  extra: string;
}

const MB = 1e6;

const mbps = (bytes: number, s: number) => (s > 0 ? bytes / MB / s : NaN);
const fmt = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '-');

function shortName(path: string): string {
  return path.replace(/^.*\//, '');
}

export function formatReport(rows: BenchRow[], machine: string): string {
  const head = ['file', 'workload', 'MB/s', 'MB/s CPU', 'packets/s', 'peak RSS MB', 'B/packet kept', 'seconds', 'notes'];
  const body = rows.map((r) => [
    shortName(r.file), r.label, fmt(mbps(r.bytes, r.seconds)), fmt(mbps(r.bytes, r.cpuSeconds)),
    fmt(r.packets / r.seconds), fmt(r.maxRssBytes / MB), fmt(r.retainedPerPacket), fmt(r.seconds, 2), r.extra,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 || i === 8 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [`machine: ${machine}`, '', line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), ''];

  const find = (file: string, label: string) => rows.find((r) => r.file === file && r.label === label);
  for (const file of [...new Set(rows.map((r) => r.file))]) {
    const dec = find(file, 'ours: read+decode');
    const ana = find(file, 'ours: full analysis');
    const name = shortName(file);
    const ratio = (a: BenchRow | undefined, b: BenchRow | undefined, what: string) => {
      if (a && b && b.seconds > 0 && !b.extra) out.push(`${name}: ${what}: ${(b.seconds / a.seconds).toFixed(1)}× (wall), ${(b.cpuSeconds / a.cpuSeconds).toFixed(1)}× (CPU)`);
    };
    ratio(dec, find(file, 'pcap-ng-parser: read'), 'ours read+decode vs pcap-ng-parser read');
    ratio(dec, find(file, 'tshark: read pass'), 'ours read+decode vs tshark read pass');
    ratio(ana, find(file, 'tshark: analysis pass'), 'ours full analysis vs tshark analysis pass');
    const big = dec && dec.bytes > 512 * MB;
    if (big && dec && ana) {
      const tsh = find(file, 'tshark: analysis pass');
      const checks: [string, boolean][] = [
        [`read+decode ≥ 800 MB/s (wall ${fmt(mbps(dec.bytes, dec.seconds))}, CPU ${fmt(mbps(dec.bytes, dec.cpuSeconds))})`, mbps(dec.bytes, dec.seconds) >= 800],
        [`read+decode peak RSS < 300 MB (${fmt(dec.maxRssBytes / MB)})`, dec.maxRssBytes < 300 * MB],
        [`analysis ≥ 300 MB/s (wall ${fmt(mbps(ana.bytes, ana.seconds))}, CPU ${fmt(mbps(ana.bytes, ana.cpuSeconds))})`, mbps(ana.bytes, ana.seconds) >= 300],
        [`analysis peak RSS ≤ 400 MB (${fmt(ana.maxRssBytes / MB)})`, ana.maxRssBytes <= 400 * MB],
      ];
      if (tsh && !tsh.extra) checks.push([`analysis ≥ 30× faster than tshark's analysis pass (${(tsh.seconds / ana.seconds).toFixed(1)}×)`, tsh.seconds / ana.seconds >= 30]);
      out.push(`targets (${name}):`);
      for (const [text, ok] of checks) out.push(`  ${ok ? 'met   ' : 'MISSED'}  ${text}`);
    }
  }
  return out.join('\n');
}
