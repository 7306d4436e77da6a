/**
 * The list of every packet on a big capture, through the worker's engine (Node, the file as a Blob):
 * how long a page request takes at the top, the middle and the end of the list, in frame order and
 * in each sorted order, and how long each sort takes to build (once per order).
 *
 *   npx tsx scripts/bench-packet-list.ts [FILE]     (default bench-data/synthetic-1024MiB-s1.pcap)
 */
import { openAsBlob } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadCore } from '../web/worker/core';
import { AnalysisEngine } from '../web/worker/engine';
import type { PacketListQuery, PacketSortKey } from '../web/worker/protocol';

const file = process.argv[2] ?? 'bench-data/synthetic-1024MiB-s1.pcap';
const PAGE = 50;
const blob = await openAsBlob(file);
const engine = new AnalysisEngine(loadCore({ maxTableBytes: 4 * 2 ** 30 }));
let t = performance.now();
const summary = await engine.open(blob, 0, 'en', () => undefined);
console.log(`${file}: ${summary.packets} packets, opened in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const q = (key: PacketSortKey, desc = false): PacketListQuery => ({ sort: { key, desc }, filter: '', refs: [] });
async function page(query: PacketListQuery, from: number): Promise<number> {
  const t0 = performance.now();
  await engine.packetList({ type: 'packetList', query, from, count: PAGE });
  return performance.now() - t0;
}

const n = summary.packets;
const spots = [0, Math.floor(n / 2), n - PAGE];
for (const key of ['number', 'time', 'source', 'destination', 'protocol', 'length', 'info'] as PacketSortKey[]) {
  const first = await page(q(key), 0); // builds the order
  const times: number[] = [];
  for (let k = 0; k < 20; k++) for (const s of spots) times.push(await page(q(key), Math.min(n - PAGE, s + k * PAGE)));
  times.sort((a, b) => a - b);
  console.log(`${key.padEnd(12)} first page (order built) ${first.toFixed(0)} ms; a page of ${PAGE}: median ${times[times.length >> 1].toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms`);
}
// Scrolling: 2000 consecutive pages in frame order (100,000 rows).
t = performance.now();
for (let k = 0; k < 2000; k++) await page(q('number'), 400_000 + k * PAGE);
console.log(`scrolling 100,000 rows in pages of ${PAGE}: ${((performance.now() - t) / 2000).toFixed(2)} ms a page`);
t = performance.now();
const loc = await engine.packetListLocate({ type: 'packetListLocate', query: q('length', true), frame: (n - 7) as never });
console.log(`Go to frame ${n - 7} in the length order: position ${loc?.position}, ${(performance.now() - t).toFixed(1)} ms`);

// Pages whose every row needs its bytes re-read (handshakes: their options' order), scattered through the file.
const syn: PacketListQuery = { sort: { key: 'number', desc: false }, filter: 'tcp.flags.syn == 1', refs: [] };
t = performance.now();
const synFirst = await engine.packetList({ type: 'packetList', query: syn, from: 0, count: PAGE });
console.log(`filter "${syn.filter}": ${synFirst.total} rows, first page (filter run) ${(performance.now() - t).toFixed(0)} ms`);
const synTimes: number[] = [];
for (let k = 0; k < 40 && k * PAGE < synFirst.total; k++) synTimes.push(await page(syn, Math.floor((k / 40) * Math.max(0, synFirst.total - PAGE))));
synTimes.sort((a, b) => a - b);
if (synTimes.length) console.log(`a page of ${PAGE} rows each re-read from the file: median ${synTimes[synTimes.length >> 1].toFixed(1)} ms, max ${synTimes[synTimes.length - 1].toFixed(1)} ms`);
