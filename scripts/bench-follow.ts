/**
 * `npx tsx scripts/bench-follow.ts [FILE]`: following and exporting the largest TCP stream of a big
 * capture (default bench-data/synthetic-1024MiB-s1.pcap, made by `npm run bench`). Times the
 * analysis (for reference), the follow plan, reading every chunk's bytes back from the file, and
 * writing the stream as pcapng (to a temporary file, removed after); prints the figures and the
 * heap used.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openCaptureBytes } from '../src/capture/node';
import { loadCapture } from '../src/cli/analyze';
import { asStreamId } from '../src/types';

const file = process.argv[2] ?? path.join('bench-data', 'synthetic-1024MiB-s1.pcap');
if (!existsSync(file)) {
  console.error(`${file} is missing: \`npm run bench\` makes it`);
  process.exit(2);
}

const mib = (n: number) => (n / 2 ** 20).toFixed(1);
const secs = (t0: number) => ((performance.now() - t0) / 1000).toFixed(2);

let t = performance.now();
const a = await loadCapture(file);
console.log(`analysis: ${a.columns.length} packets, ${a.tcp.streams.length} streams in ${secs(t)} s`);

let best = 0;
for (const s of a.tcp.streams) {
  const b = s.bytesDir[0] + s.bytesDir[1];
  if (b > a.tcp.streams[best].bytesDir[0] + a.tcp.streams[best].bytesDir[1]) best = s.index;
}
const info = a.tcp.streams[best];
console.log(`largest stream ${best}: ${info.packets} packets, ${mib(info.bytesDir[0] + info.bytesDir[1])} MiB of payload`);

t = performance.now();
const plan = a.follow({ tcp: asStreamId(best) });
if (!plan) throw new Error('no plan');
console.log(`follow plan: ${plan.count} chunks, ${mib(plan.bytes[0] + plan.bytes[1])} MiB, ${plan.notCaptured[0] + plan.notCaptured[1]} bytes not captured, in ${secs(t)} s`);

const src = await openCaptureBytes(file, a.compressed);
t = performance.now();
let bytes = 0, peak = 0;
for await (const c of a.followChunks(plan, src.bytes)) {
  if (c.kind === 'data') bytes += c.bytes.length;
  if ((c.index & 4095) === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
}
console.log(`follow read: ${mib(bytes)} MiB in ${secs(t)} s (heap at most ${mib(peak)} MiB)`);

const dir = mkdtempSync(path.join(tmpdir(), 'bench-follow-'));
try {
  const out = path.join(dir, 'stream.pcapng');
  t = performance.now();
  const req = a.exportRows({ stream: asStreamId(best) });
  const fh = await open(out, 'w');
  for await (const part of a.exportPcapng(req, src.bytes)) await fh.write(part);
  await fh.close();
  console.log(`export: ${req.rows.length} packets, ${mib(statSync(out).size)} MiB of pcapng in ${secs(t)} s`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await src.close();
}
