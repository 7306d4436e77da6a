/**
 * The display filter oracle: for every filter of scripts/filter-oracle.ts over captures of
 * ../shared (ours, tcpdump's test corpus, Zeek's), the frames we select must be the frames tshark's
 * display filter selects (tests/fixtures/filter/filters.json.gz, made by that script); and `fields
 * -Y` must print what `tshark -Y -T fields` prints (fields.json). Prints the table.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCapture } from '../../src/cli/analyze';
import { runFields } from '../../src/cli/fields';
import { memoryIo } from '../../src/cli/io';
import type { Analysis } from '../../src/analysis';

const repo = path.resolve(__dirname, '..', '..');
const shared = path.resolve(repo, '..', 'shared');
const fixtures = path.join(repo, 'tests', 'fixtures', 'filter');

interface FiltersFixture { tshark: string; filters: string[]; results: Record<string, Record<string, string>> }
interface FieldsFixture { tshark: string; cases: { file: string; filter: string; fields: string[]; tsv: string }[] }

const oracle = JSON.parse(gunzipSync(readFileSync(path.join(fixtures, 'filters.json.gz'))).toString('utf8')) as FiltersFixture;
const fieldsOracle = JSON.parse(readFileSync(path.join(fixtures, 'fields.json'), 'utf8')) as FieldsFixture;

function toRanges(frames: ArrayLike<number>): string {
  const out: string[] = [];
  for (let i = 0; i < frames.length; ) {
    let j = i;
    while (j + 1 < frames.length && frames[j + 1] === frames[j] + 1) j++;
    out.push(i === j ? String(frames[i]) : `${frames[i]}-${frames[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

function countRanges(r: string): number {
  if (!r) return 0;
  return r.split(',').reduce((n, p) => { const [a, b] = p.split('-').map(Number); return n + (b === undefined ? 1 : b - a + 1); }, 0);
}

/** The captured bytes of a row, read from the file at its offset (plain pcap/pcapng). */
function frameReader(file: string, a: Analysis): { read: (row: number) => Uint8Array; close: () => void } {
  const fd = openSync(file, 'r');
  return {
    read(row) {
      const { offset, length } = a.frameRange(row as never);
      const b = new Uint8Array(length);
      readSync(fd, b, 0, length, offset);
      return b;
    },
    close: () => closeSync(fd),
  };
}

const present = existsSync(shared);
if (!present) console.warn('filterOracle.test.ts: ../shared is absent; display filters are not compared with tshark');
const files = Object.keys(oracle.results).filter((f) => existsSync(path.join(shared, f)));

describe.skipIf(!present)(`display filters against tshark (${oracle.tshark}; skipped when ../shared is absent)`, () => {
  const table = new Map<string, { files: number; tshark: number; ours: number; equal: number }>();
  const mismatches: string[] = [];

  afterAll(() => {
    const lines = ['filter\tcaptures\tframes tshark\tframes ours\tequal'];
    for (const [f, t] of table) lines.push(`${f}\t${t.files}\t${t.tshark}\t${t.ours}\t${t.equal === t.files ? 'yes' : `${t.equal}/${t.files}`}`);
    console.log(lines.join('\n') + (mismatches.length ? `\n\nmismatches:\n${mismatches.join('\n')}` : ''));
  });

  it.each(files)('%s', async (rel) => {
    const file = path.join(shared, rel);
    const a = await loadCapture(file);
    const reader = frameReader(file, a);
    try {
      for (const f of oracle.filters) {
        const want = oracle.results[rel][f];
        const got = toRanges(Array.from(a.filter(f, reader.read).rows(), (r) => r + 1));
        const t = table.get(f) ?? { files: 0, tshark: 0, ours: 0, equal: 0 };
        t.files++;
        t.tshark += countRanges(want);
        t.ours += countRanges(got);
        if (got === want) t.equal++;
        else mismatches.push(`${rel}\t${f}\ttshark ${want.slice(0, 80)}\tours ${got.slice(0, 80)}`);
        table.set(f, t);
      }
    } finally {
      reader.close();
    }
    expect(mismatches.filter((m) => m.startsWith(rel + '\t'))).toEqual([]);
  });
});

describe.skipIf(!present)(`fields -Y against tshark -Y -T fields (${fieldsOracle.tshark}; skipped when ../shared is absent)`, () => {
  it.each(fieldsOracle.cases.filter((c) => existsSync(path.join(shared, c.file))).map((c) => [c.file, c.filter, c] as const))('%s -Y %s', async (_f, _y, c) => {
    const io = memoryIo();
    const code = await runFields({ file: path.join(shared, c.file), fields: c.fields, filter: c.filter }, io);
    expect(code, io.stderr).toBe(0);
    const lines = (s: string) => s.split('\n').filter(Boolean);
    const want = lines(c.tsv), got = lines(io.stdout);
    console.log(`fields -Y "${c.filter}" on ${c.file}: tshark ${want.length - 1} frames, ours ${got.length - 1}`);
    expect(got).toEqual(want);
  });
});
