/**
 * The packet list's Protocol and Info columns against tshark's (tests/oracle/packetInfoSupport.ts).
 *
 *   npx tsx scripts/packet-info-oracle.ts gen        tshark's columns of the compared captures → tests/fixtures/packetInfo/tshark-columns.tsv.gz
 *   npx tsx scripts/packet-info-oracle.ts compare    the agreement figures, then examples of differences
 *
 * tests/oracle/packetInfo.test.ts prints the same figures and holds the project to them.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'fflate';
import { FIXTURE, SHARED, compare, emptyAgreement, formatAgreement, oracleCaptures, ourColumns, readFixture } from '../tests/oracle/packetInfoSupport';

const run = promisify(execFile);
const [cmd = 'compare', ...rest] = process.argv.slice(2);

async function tsharkColumns(file: string): Promise<string[]> {
  const { stdout } = await run('tshark', ['-r', file, '-n', '-T', 'fields', '-E', 'separator=/t', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info'], { maxBuffer: 1 << 30 });
  return stdout.split('\n').filter((l) => l !== '');
}

if (cmd === 'gen') {
  const files = oracleCaptures();
  const blocks: string[] = [];
  for (const f of files) blocks.push(`#${f}`, ...(await tsharkColumns(path.join(SHARED, f))));
  mkdirSync(path.dirname(FIXTURE), { recursive: true });
  writeFileSync(FIXTURE, gzipSync(new TextEncoder().encode(blocks.join('\n') + '\n'), { level: 9 }));
  console.log(`${files.length} captures, ${blocks.length - files.length} frames → ${FIXTURE}`);
} else {
  const acc = emptyAgreement();
  for (const c of readFixture()) {
    if (rest.length && !rest.some((s) => c.file.includes(s))) continue;
    compare(acc, c.file, ourColumns(path.join(SHARED, c.file)), c, 100000);
  }
  console.log(formatAgreement(acc));
  const seen = new Map<string, number>();
  for (const e of acc.examples) {
    const k = `${e.kind} ${e.kind === 'protocol' ? `${e.ours} ≠ ${e.theirs}` : e.theirs.replace(/[0-9a-f]{2,}/g, '#').slice(0, 60)}`;
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    if (n < 2) console.log(`${e.file}#${e.frame} ${e.kind}\n  ours:   ${e.ours}\n  tshark: ${e.theirs}`);
  }
  console.log([...seen].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, n]) => `${n}\t${k}`).join('\n'));
}
