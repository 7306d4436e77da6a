/**
 * One measured workload, run in its own process so that its peak RSS is its own:
 *   node --expose-gc --import tsx scripts/bench/workload.ts <read|decode|analyze|filter|graphs|peer> <file>
 * `filter` is the full analysis, then the display filters of BENCH_FILTERS over its packet table,
 * each timed alone (best of 3): `filters` in the result. `graphs` is the full analysis, then the
 * stream graphs of its largest stream (scripts/bench/graphs.ts): `graphs` in the result.
 * Prints one JSON line (WorkloadResult) on stdout.
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startAnalysis, type Stage } from '../harness/fullAnalysis';
import { benchGraphs, type GraphBench } from './graphs';

export interface WorkloadResult {
  kind: string;
  file: string;
  bytes: number;
  packets: number;
  seconds: number;
  /** User + system CPU seconds of the process during the run (less sensitive to a busy machine). */
  cpuSeconds: number;
  /** Wall seconds spent waiting for file reads (our workloads only). */
  ioSeconds: number;
  /** Peak resident set of the whole process, bytes. */
  maxRssBytes: number;
  /** Heap + array buffers still held after the run (after a GC), minus what was held before. */
  retainedBytes: number;
  streams: number;
  findings: number;
  warnings: number;
  /** The `filter` workload: each display filter, the packets it selected, its best time in ms. */
  filters?: { expr: string; matches: number; ms: number; cpuMs: number }[];
  /** The `graphs` workload: the stream graphs' timings on the largest stream. */
  graphs?: GraphBench;
}

/** Display filters as one types them: ports, addresses, flags, the TCP analysis, time; columns only. */
export const BENCH_FILTERS = [
  'tcp.port == 80',
  'ip.addr == 10.0.0.0/8 && tcp.len > 0',
  'tcp.flags.syn == 1 && tcp.flags.ack == 0',
  'tcp.analysis.retransmission || tcp.analysis.duplicate_ack',
  'tcp.analysis.flags && !tcp.analysis.window_update',
  'frame.time_relative > 5 && !(tcp.port in {22, 443, 8080..8090})',
  'tcp.stream == 7 || ip.src == 10.1.2.3',
];

const CHUNK = 1 << 20;

function heldBytes(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function runPeer(file: string): Promise<number> {
  // pcap-ng-parser is CommonJS and untyped: load it through require.
  const require = createRequire(import.meta.url);
  const Parser = require('pcap-ng-parser') as new () => NodeJS.ReadWriteStream;
  let packets = 0;
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser();
    parser.on('data', () => { packets++; });
    // Its _flush never calls back, so 'end' never comes; it emits 'close' instead.
    parser.on('close', () => resolve());
    parser.on('error', reject);
    createReadStream(file, { highWaterMark: CHUNK }).pipe(parser);
  });
  return packets;
}

async function main(): Promise<void> {
  const [kind, file] = process.argv.slice(2);
  const bytes = statSync(file).size;
  const before = heldBytes();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let ioSeconds = 0;
  let packets = 0, streams = 0, findings = 0, warnings = 0;
  let keep: unknown = null;
  let filters: WorkloadResult['filters'];
  let graphs: GraphBench | undefined;
  if (kind === 'peer') {
    packets = await runPeer(file);
  } else {
    const run = startAnalysis(kind === 'filter' || kind === 'graphs' ? 'analyze' : (kind as Stage), bytes);
    const fd = openSync(file, 'r');
    // One buffer for every read: the reader keeps nothing of a chunk once push returns (CaptureReader
    // contract), and a fresh 1 MiB chunk per read would leave ~35 MB of garbage chunks in the peak RSS.
    const chunk = new Uint8Array(CHUNK);
    for (;;) {
      const r0 = performance.now();
      const n = readSync(fd, chunk, 0, CHUNK, null);
      ioSeconds += (performance.now() - r0) / 1000;
      if (n <= 0) break;
      run.push(n === CHUNK ? chunk : chunk.subarray(0, n));
    }
    closeSync(fd);
    const out = run.end();
    keep = out;
    ({ packets, streams, warnings } = out);
    findings = out.findings.length;
    if (kind === 'graphs' && out.analysis) graphs = benchGraphs(out.analysis);
    if (kind === 'filter' && out.analysis) {
      const a = out.analysis;
      // The frames' bytes by offset, as the app's worker reads them: only tunnels and ICMP rows ask.
      const ffd = openSync(file, 'r');
      const frames = (row: number) => {
        const { offset, length } = a.frameRange(row as never);
        const b = new Uint8Array(length);
        readSync(ffd, b, 0, length, offset);
        return b;
      };
      filters = BENCH_FILTERS.map((expr) => {
        // Wall and CPU time (the CPU time tells the cost on a busy machine), best of 3.
        let ms = Infinity, cpuMs = Infinity, matches = 0;
        for (let k = 0; k < 3; k++) {
          const c0 = process.cpuUsage();
          const f0 = performance.now();
          matches = a.filter(expr, frames).count;
          ms = Math.min(ms, performance.now() - f0);
          const c = process.cpuUsage(c0);
          cpuMs = Math.min(cpuMs, (c.user + c.system) / 1000);
        }
        return { expr, matches, ms, cpuMs };
      });
      closeSync(ffd);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const retainedBytes = Math.max(0, heldBytes() - before);
  const result: WorkloadResult = {
    kind, file, bytes, packets, seconds, cpuSeconds, ioSeconds, maxRssBytes: process.resourceUsage().maxRSS * 1024, retainedBytes,
    streams, findings, warnings, ...(filters ? { filters } : {}), ...(graphs ? { graphs } : {}),
  };
  if (keep === undefined) console.error('unreachable'); // keeps the results alive until measured
  console.log(JSON.stringify(result));
}

void main();
