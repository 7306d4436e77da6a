/**
 * tshark's udp.stream of every UDP frame of the captures in ../shared (the zeek set, captures/), for
 * tests/oracle/udpStream.test.ts, which compares them with our UDP conversations (src/view/udp.ts).
 *
 *   npx tsx scripts/udp-oracle.ts      → tests/fixtures/decode/udp-stream-tshark.tsv.gz
 *
 * Only the captures where we read some UDP are asked (a capture where tshark alone sees UDP is not
 * compared). One block per capture with UDP: a line "#<path relative to ../shared>", then one line per frame with
 * a udp.stream: the frame number and the values (several for a tunnel's outer and inner UDP, ',').
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { openAnalysis } from '../src/analysis';
import { SHARED, UDP_FIXTURE, udpCaptures } from '../tests/oracle/udpStreamSupport';

/** Whether our reading of a capture holds any UDP (tshark is asked only about those: it is slow on a shared machine). */
function hasUdp(file: string): boolean {
  try {
    const run = openAnalysis();
    run.push(new Uint8Array(readFileSync(file)));
    return run.finish().udp().count > 0;
  } catch {
    return true;
  }
}

const run = promisify(execFile);
const blocks: string[] = [];
const files = udpCaptures();
let withUdp = 0;
for (const f of files) {
  if (!hasUdp(path.join(SHARED, f))) continue;
  let stdout = '';
  try {
    ({ stdout } = await run('tshark', ['-r', path.join(SHARED, f), '-n', '-Y', 'udp', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', 'frame.number', '-e', 'udp.stream'], { maxBuffer: 1 << 30 }));
  } catch {
    continue; // tshark cannot read it: the test has nothing to compare
  }
  const lines = stdout.split('\n').filter((l) => l !== '');
  if (!lines.length) continue;
  withUdp++;
  blocks.push(`#${f}`, ...lines);
}
mkdirSync(path.dirname(UDP_FIXTURE), { recursive: true });
writeFileSync(UDP_FIXTURE, gzipSync(new TextEncoder().encode(blocks.join('\n') + '\n'), { level: 9 }));
console.log(`${files.length} captures, ${withUdp} with UDP, ${blocks.length - withUdp} UDP frames → ${UDP_FIXTURE}`);
