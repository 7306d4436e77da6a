/**
 * Our TCP reading against tshark's on the real captures of ../shared/realworld/zeek.
 *
 *   npx tsx scripts/realworld-tshark.ts gen [DIR]          tshark's reading of every capture with TCP → tests/fixtures/realworld/tshark-tcp.tsv.gz
 *   npx tsx scripts/realworld-tshark.ts compare [SUBSTR…]  the agreement table (all captures, or those whose name holds a SUBSTR),
 *                                                          then the captures that differ, worst first, with examples
 *
 * tests/oracle/realworldTshark.test.ts prints the same table and holds the project to it.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'fflate';
import { TCP_FLAG_NAMES } from '../src/tcp/types';
import { TSHARK_FIELDS, TSHARK_TCP_FILE, compareCapture, formatTable, readTsharkFixture, summarize } from '../tests/oracle/tsharkAgreement';

const run = promisify(execFile);
const [cmd = 'compare', ...rest] = process.argv.slice(2);

async function tsharkReading(file: string): Promise<string[]> {
  const args = ['-r', file, '-n', '-o', 'tcp.relative_sequence_numbers:TRUE', '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const f of TSHARK_FIELDS) args.push('-e', f);
  const { stdout } = await run('tshark', args, { maxBuffer: 1 << 30 });
  const lines: string[] = [];
  for (const l of stdout.split('\n')) {
    if (l === '') continue;
    const c = l.split('\t');
    if (c[1] === '') continue; // no TCP
    let flags = 0;
    for (let b = 0; b < TCP_FLAG_NAMES.length; b++) if (c[9 + b] !== '') flags |= 1 << b;
    const icmp = c[7] !== '' || c[8] !== '' ? 1 : 0;
    lines.push([c[0], ...c.slice(1, 7), icmp, flags].join('\t'));
  }
  return lines;
}

if (cmd === 'gen') {
  const dir = rest[0] ?? '../shared/realworld/zeek';
  const index = readFileSync(path.join(dir, 'index.tsv'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split('\t'));
  const todo = index.filter((c) => Number(c[3]) > 0);
  const blocks: string[][] = new Array(todo.length);
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const k = next++;
      const [name, , frames] = todo[k];
      blocks[k] = [`#${name}\t${frames}`, ...(await tsharkReading(path.join(dir, name)))];
    }
  };
  await Promise.all([worker(), worker()]);
  mkdirSync(path.dirname(TSHARK_TCP_FILE), { recursive: true });
  const text = blocks.flat().join('\n') + '\n';
  writeFileSync(TSHARK_TCP_FILE, gzipSync(new TextEncoder().encode(text), { level: 9 }));
  console.log(`${todo.length} captures, ${blocks.reduce((s, b) => s + b.length - 1, 0)} TCP frames → ${TSHARK_TCP_FILE}`);
} else if (cmd === 'compare') {
  const dir = '../shared/realworld/zeek';
  const all = readTsharkFixture();
  const pick = rest.length ? all.filter((c) => rest.some((s) => c.file.includes(s))) : all;
  const results = pick.map((c) => compareCapture(path.join(dir, c.file), c));
  console.log(formatTable(summarize(results)));
  const bad = results.filter((a) => a.error || a.equalFrames < a.tcpFrames || a.examples.length > 0)
    .sort((x, y) => (y.tcpFrames - y.equalFrames) - (x.tcpFrames - x.equalFrames));
  console.log(`\n${bad.length} captures differ (frames not equal / TCP frames):`);
  for (const a of bad.slice(0, rest.length ? bad.length : 60)) {
    console.log(`${a.file}\t${a.tcpFrames - a.equalFrames}/${a.tcpFrames}${a.error ? `\tERROR ${a.error}` : ''}`);
    for (const e of a.examples) console.log(`    ${e}`);
  }
} else {
  console.error('usage: realworld-tshark.ts gen [DIR] | compare [SUBSTR ...]');
  process.exit(2);
}
