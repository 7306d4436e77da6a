/**
 * The `fields` command against tshark: for every capture in ../shared/captures (and the small copies
 * in tests/fixtures/decode, so a version runs without ../shared) and every header field we print,
 * our output must equal the matching column of `<file>.tshark.tsv`, frame by frame.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFields } from '../../src/cli/fields';
import { memoryIo } from '../../src/cli/io';

const repoRoot = path.resolve(__dirname, '..', '..');
const sharedCaptures = path.resolve(repoRoot, '..', 'shared', 'captures');
const fixtures = path.resolve(repoRoot, 'tests', 'fixtures', 'decode');
/** Small files of tcpdump's test suite (BSD licence) with tunnels and link types our own captures lack. */
const corpusFixtures = path.join(fixtures, 'corpus');

export const ORACLE_FIELDS = [
  'frame.number', 'frame.time_epoch', 'frame.len', 'frame.interface_name', 'sll.ifindex', 'sll.pkttype', 'ip.src',
  'ip.dst', 'ipv6.src', 'ipv6.dst', 'ip.proto', 'ip.len', 'ip.id', 'ip.flags.df', 'ip.ttl', 'ipv6.plen', 'ipv6.nxt',
  'icmp.type', 'icmp.code', 'icmp.mtu', 'icmpv6.type', 'icmpv6.code', 'icmpv6.mtu', 'vlan.id', 'vxlan.vni',
  'gre.proto', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.len', 'tcp.flags',
  'tcp.window_size_value', 'tcp.checksum', 'tcp.options.mss_val', 'tcp.options.wscale.shift',
  'tcp.options.timestamp.tsval', 'tcp.options.timestamp.tsecr', 'tcp.flags.str',
];

function parseTsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.split('\n').filter((l) => l.length > 0);
  return { header: lines[0].split('\t'), rows: lines.slice(1).map((l) => l.split('\t')) };
}

function captures(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.tshark.tsv')).map((f) => f.slice(0, -'.tshark.tsv'.length))
    .filter((f) => existsSync(path.join(dir, f))).sort();
}

/** Compare our output with tshark's for one capture; returns mismatch descriptions (at most a few per field). */
async function compare(dir: string, file: string): Promise<{ frames: number; checked: number; mismatches: string[] }> {
  const oracle = parseTsv(readFileSync(path.join(dir, `${file}.tshark.tsv`), 'utf8'));
  const fields = ORACLE_FIELDS.filter((f) => oracle.header.includes(f));
  const io = memoryIo();
  const code = await runFields({ file: path.join(dir, file), fields }, io);
  expect(code, io.stderr).toBe(0);
  const ours = parseTsv(io.stdout);
  expect(ours.header).toEqual(fields);
  const mismatches: string[] = [];
  if (ours.rows.length !== oracle.rows.length) mismatches.push(`frame count ${ours.rows.length} vs tshark ${oracle.rows.length}`);
  let checked = 0;
  fields.forEach((f, j) => {
    const k = oracle.header.indexOf(f);
    let bad = 0;
    for (let i = 0; i < Math.min(ours.rows.length, oracle.rows.length); i++) {
      checked++;
      const a = ours.rows[i][j] ?? '';
      const b = oracle.rows[i][k] ?? '';
      if (a !== b && ++bad <= 3) mismatches.push(`frame ${i + 1} ${f}: ours "${a}" tshark "${b}"`);
    }
    if (bad > 3) mismatches.push(`${f}: ${bad} frames differ in all`);
  });
  return { frames: oracle.rows.length, checked, mismatches };
}

function suite(title: string, dir: string): void {
  const files = captures(dir);
  describe.skipIf(files.length === 0)(title, () => {
    const summary: string[] = [];
    for (const file of files) {
      it(file, async () => {
        const r = await compare(dir, file);
        summary.push(`${file}: ${r.frames} frames, ${r.checked} values, ${r.mismatches.length === 0 ? 'all agree' : `${r.mismatches.length} disagreements`}`);
        expect(r.mismatches).toEqual([]);
      });
    }
    it('summary', () => {
      console.log(`fields vs tshark (${title}):\n  ${summary.join('\n  ')}`);
    });
  });
}

if (!existsSync(sharedCaptures)) console.log('fieldsOracle: ../shared/captures not found; only the fixture copies are checked');
suite('shared captures (skipped when ../shared/captures is absent)', sharedCaptures);
suite('fixture captures', fixtures);
suite('tcpdump test-suite captures', corpusFixtures);
