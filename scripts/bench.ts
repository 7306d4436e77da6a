/**
 * `npm run bench`: generates the synthetic captures when absent, then measures in one run, each
 * workload in its own process (peak RSS is per process):
 *   ours: read only, read + decode, full analysis (decode + TCP analysis + diagnoses), display
 *   filters over the packet table of the largest file (each filter timed alone, best of 3); the
 *   stream graphs of its largest stream (~200 k packets in the 1 GiB file; scripts/bench/graphs.ts);
 *   peers: pcap-ng-parser on the pcapng; tshark's read pass and analysis pass when installed.
 * Prints a table and writes bench-data/bench.json. Options: --runs N (best of N), --no-tshark,
 * --small (skip the 1 GiB file), --seed S, --graphs-only (only the stream graphs; prints, writes nothing).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from './gen/args';
import { ensureCapture, GIB, MIB } from './bench/captures';
import { hasTool, runTool, runWorkload, type ToolResult } from './bench/run';
import { formatReport, type BenchRow } from './bench/report';
import { formatGraphBench } from './bench/graphs';
import type { WorkloadResult } from './bench/workload';

const TSHARK_TIMEOUT_MS = 60 * 60 * 1000;

function best(runs: number, f: () => WorkloadResult): WorkloadResult {
  let b: WorkloadResult | null = null;
  for (let i = 0; i < runs; i++) {
    const r = f();
    if (!b || r.seconds < b.seconds) b = r;
  }
  return b as WorkloadResult;
}

function ours(label: string, r: WorkloadResult): BenchRow {
  return {
    label, file: r.file, bytes: r.bytes, packets: r.packets, seconds: r.seconds, cpuSeconds: r.cpuSeconds,
    ioSeconds: r.ioSeconds, maxRssBytes: r.maxRssBytes, retainedPerPacket: r.packets ? r.retainedBytes / r.packets : NaN,
    extra: r.kind === 'analyze' ? `${r.streams} streams, ${r.findings} findings` : '',
  };
}

function tool(label: string, file: string, bytes: number, packets: number, r: ToolResult): BenchRow {
  return {
    label, file, bytes, packets, seconds: r.seconds, cpuSeconds: r.cpuSeconds, ioSeconds: 0,
    maxRssBytes: r.maxRssBytes, retainedPerPacket: NaN, extra: r.ok ? '' : 'FAILED or timed out',
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const runs = Math.max(1, Number(args.runs ?? 1));
  const seed = Number(args.seed ?? 1) >>> 0;
  const withTshark = args['no-tshark'] === undefined && hasTool('tshark');
  const files: { path: string; format: 'pcap' | 'pcapng' }[] = [];
  if (args.small === undefined) files.push({ path: ensureCapture(GIB, 'pcap', seed), format: 'pcap' });
  files.push({ path: ensureCapture(100 * MIB, 'pcapng', seed), format: 'pcapng' });

  const rows: BenchRow[] = [];
  let filterRun: WorkloadResult | null = null;
  let graphRun: WorkloadResult | null = null;
  const say = (s: string) => process.stderr.write(s);
  if (args['graphs-only'] !== undefined) {
    say(`${files[0].path}: stream graphs\n`);
    const g = runWorkload('graphs', files[0].path).graphs;
    console.log(g ? formatGraphBench(g) : 'no TCP stream');
    return;
  }
  for (const f of files) {
    say(`${f.path}: read`);
    rows.push(ours('ours: read', best(runs, () => runWorkload('read', f.path))));
    say(', read+decode');
    const dec = best(runs, () => runWorkload('decode', f.path));
    rows.push(ours('ours: read+decode', dec));
    say(', full analysis');
    rows.push(ours('ours: full analysis', best(runs, () => runWorkload('analyze', f.path))));
    if (f === files[0]) {
      say(', display filters');
      filterRun = runWorkload('filter', f.path);
      say(', stream graphs');
      graphRun = runWorkload('graphs', f.path);
    }
    if (f.format === 'pcapng') {
      say(', pcap-ng-parser');
      const p = best(runs, () => runWorkload('peer', f.path));
      rows.push({ ...ours('pcap-ng-parser: read', p), retainedPerPacket: NaN });
    }
    if (withTshark) {
      say(', tshark read pass');
      const tr = await runTool('tshark', ['-r', f.path, '-T', 'fields', '-e', 'frame.number'], TSHARK_TIMEOUT_MS);
      rows.push(tool('tshark: read pass', f.path, dec.bytes, tr.lines, tr));
      say(', tshark analysis pass');
      const ta = await runTool('tshark', ['-r', f.path, '-q', '-z', 'expert'], TSHARK_TIMEOUT_MS);
      rows.push(tool('tshark: analysis pass', f.path, dec.bytes, dec.packets, ta));
    }
    say('\n');
  }
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / GIB).toFixed(0)} GiB RAM, ` +
    `Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)} at the end`;
  console.log(formatReport(rows, machine));
  if (filterRun?.filters) {
    console.log(`\nDisplay filters over ${filterRun.packets} packets (${filterRun.file}), each run alone, best of 3:`);
    for (const f of filterRun.filters) console.log(`  ${f.ms.toFixed(1).padStart(7)} ms (CPU ${f.cpuMs.toFixed(1).padStart(6)} ms)  ${String(f.matches).padStart(8)} matches  ${f.expr}`);
  }
  if (graphRun?.graphs) console.log(`\n${formatGraphBench(graphRun.graphs)}`);
  mkdirSync('bench-data', { recursive: true });
  writeFileSync('bench-data/bench.json', JSON.stringify({
    date: new Date().toISOString(), machine, rows, filters: filterRun?.filters ?? [], graphs: graphRun?.graphs ?? null,
  }, null, 2));
  console.log('\nwritten: bench-data/bench.json');
}

void main();
