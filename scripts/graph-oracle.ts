/**
 * tshark's io,stat figures for the throughput graph's oracle (tests/oracle/graphsTshark.test.ts):
 *
 *   npx tsx scripts/graph-oracle.ts gen    → tests/fixtures/graphs/iostat.tsv.gz
 *
 * For each capture of ../shared/captures, its (up to) three TCP streams with the most data, both
 * directions, at two intervals (about 1/40 and 1/400 of the capture): one tshark run per capture
 * with one `-z io,stat,<interval>,SUM(tcp.len)tcp.len && tcp.stream==N && tcp.srcport==P &&
 * tcp.dstport==Q` column per stream and direction. One line per column: capture, interval (s),
 * stream, direction, then the bytes of each interval, comma-separated.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'fflate';
import { analyse, IOSTAT_FIXTURE, SHARED_CAPTURES } from '../tests/oracle/graphsSupport';
import { niceStep } from '../src/view/graphs';

const run = promisify(execFile);

/**
 * The io,stat tables in tshark's output by interval (tshark prints them in its own order): per
 * table, one array of column values per interval row.
 */
export function parseIoStat(text: string): Map<number, number[][]> {
  const tables = new Map<number, number[][]>();
  let cur: number[][] | null = null;
  let interval = NaN;
  for (const line of text.split('\n')) {
    const iv = /^\| Interval:\s*([\d.]+) secs/.exec(line);
    if (iv) { interval = Number(iv[1]); continue; }
    if (/^\| Interval\s+\|/.test(line)) { cur = []; tables.set(interval, cur); continue; }
    const m = /^\|\s*[\d.]+\s*<>\s*(?:[\d.]+|Dur)\s*\|(.*)$/.exec(line);
    if (m && cur) cur.push(m[1].split('|').map((x) => x.trim()).filter((x) => x !== '').map(Number));
  }
  return tables;
}

async function gen(): Promise<void> {
  if (!existsSync(SHARED_CAPTURES)) throw new Error(`${SHARED_CAPTURES} is absent: nothing to run tshark on`);
  const files = readdirSync(SHARED_CAPTURES).filter((f) => f.endsWith('.tshark.tsv')).map((f) => f.slice(0, -'.tshark.tsv'.length)).sort();
  const lines: string[] = [];
  for (const f of files) {
    const a = analyse(path.join(SHARED_CAPTURES, f));
    const cols = a.columns;
    const span = cols.length ? cols.time(cols.length - 1) - cols.time(0) : 0;
    const streams = [...a.tcp.streams].filter((s) => s.bytesDir[0] + s.bytesDir[1] > 0)
      .sort((x, y) => y.bytesDir[0] + y.bytesDir[1] - (x.bytesDir[0] + x.bytesDir[1]) || x.index - y.index).slice(0, 3);
    if (!streams.length || !(span > 0)) continue;
    const intervals = [niceStep(span / 40), niceStep(span / 400)].filter((w, i, all) => all.indexOf(w) === i && w >= 1e-3);
    const columns = streams.flatMap((s) => [0, 1].map((d) => ({
      stream: s.index, dir: d,
      filter: `tcp.len && tcp.stream==${s.index} && tcp.srcport==${d ? s.portB : s.portA} && tcp.dstport==${d ? s.portA : s.portB}`,
    })));
    const args = ['-r', path.join(SHARED_CAPTURES, f), '-q'];
    for (const w of intervals) args.push('-z', `io,stat,${w},${columns.map((c) => `SUM(tcp.len)${c.filter}`).join(',')}`);
    const { stdout } = await run('tshark', args, { maxBuffer: 1 << 28 });
    const tables = parseIoStat(stdout);
    for (const w of intervals) {
      const table = tables.get(w);
      if (!table) throw new Error(`${f}: no io,stat table of interval ${w} in tshark's output`);
      columns.forEach((c, j) => lines.push([f, w, c.stream, c.dir, table.map((row) => row[j]).join(',')].join('\t')));
    }
    process.stderr.write(`${f}: ${streams.length} streams, intervals ${intervals.join(', ')} s\n`);
  }
  mkdirSync(path.dirname(IOSTAT_FIXTURE), { recursive: true });
  writeFileSync(IOSTAT_FIXTURE, gzipSync(new TextEncoder().encode(lines.join('\n') + '\n'), { level: 9 }));
  console.log(`${lines.length} columns → ${path.relative(process.cwd(), IOSTAT_FIXTURE)}`);
}

if (process.argv[2] === 'gen') await gen();
else console.error('usage: npx tsx scripts/graph-oracle.ts gen');
