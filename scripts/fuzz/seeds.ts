/**
 * The real captures the fuzzer mutates: the project's fixtures and sample, and ../shared's corpus
 * and captures when present. Each is cut at a record boundary to a few KiB: small inputs make a
 * million cases affordable, and the damage that matters sits in the framing, not in the bulk.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { readRecords, type SeedInput } from './fuzzCase';
import { layoutOf } from './structure';

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (st.size >= 4 && /\.(pcap|pcapng|cap|gz|ntar|bin)$/i.test(name)) out.push(p);
  }
}

/** Where seeds come from; `inRepoOnly` keeps a test's run the same whether ../shared is there or not. */
export function seedDirs(repoRoot: string, inRepoOnly = false): string[] {
  const shared = path.resolve(repoRoot, '..', 'shared');
  const own = [path.join(repoRoot, 'tests', 'fixtures'), path.join(repoRoot, 'public', 'samples')];
  return inRepoOnly ? own : [...own, path.join(shared, 'corpus'), path.join(shared, 'captures')];
}

/** Cut `bytes` at the last record boundary at or below `max` (clean inputs), else at `max`. */
function trim(bytes: Uint8Array, max: number): { bytes: Uint8Array; records: SeedInput['records'] } {
  if (bytes.length <= max) return { bytes, records: readRecords(bytes) };
  const recs = readRecords(bytes);
  if (!recs) return { bytes: bytes.slice(0, max), records: null };
  let cut = 0;
  let keep = 0;
  for (let i = 0; i < recs.length; i++) {
    const end = i + 1 < recs.length ? recs[i + 1].fileOffset : bytes.length;
    if (end > max) break;
    cut = end;
    keep = i + 1;
  }
  if (keep === 0) return { bytes: bytes.slice(0, max), records: null };
  return { bytes: bytes.slice(0, cut), records: recs.slice(0, keep) };
}

export function loadSeeds(repoRoot: string, maxBytes: number, inRepoOnly = false): SeedInput[] {
  const files: string[] = [];
  for (const d of seedDirs(repoRoot, inRepoOnly)) walk(d, files);
  const seeds: SeedInput[] = [];
  for (const f of files.sort()) {
    const raw = new Uint8Array(readFileSync(f));
    if (layoutOf(raw).format === 'other' && !f.includes(`${path.sep}fuzz${path.sep}`)) continue;
    const t = trim(raw, maxBytes);
    seeds.push({ name: path.relative(repoRoot, f), bytes: t.bytes, records: t.records });
  }
  return seeds;
}
