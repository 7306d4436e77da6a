/**
 * `npm run fuzz`: mutated real captures (and random permalinks) through the whole core.
 *   --seconds N | --iterations N   bound the run (default 60 s)
 *   --seed S                       the run's seed (printed; random when absent)
 *   --case N                       replay one case of the seed and print what it did
 *   --max-input BYTES              cut seed captures to about this size (default 16384)
 *   --no-save                      do not write failing inputs to tests/fixtures/fuzz/
 * Failing inputs become regression fixtures, replayed by tests/unit/fuzzRegressions.test.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './gen/args';
import { runCase, type CaseResult } from './fuzz/fuzzCase';
import { loadSeeds } from './fuzz/seeds';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(repoRoot, 'tests', 'fixtures', 'fuzz');
const MAX_SAVED = 25;

function save(seed: number, caseNo: number, r: CaseResult): string {
  mkdirSync(FIXTURES, { recursive: true });
  const base = `${r.verdict}-s${seed}-c${caseNo}`;
  const file = path.join(FIXTURES, typeof r.input === 'string' ? `${base}.url.txt` : `${base}.bin`);
  writeFileSync(file, r.input);
  writeFileSync(path.join(FIXTURES, `${base}.txt`), `${r.description}\n${r.message}\n`);
  return path.relative(repoRoot, file);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const seed = args.seed !== undefined ? Number(args.seed) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
  const maxInput = Number(args['max-input'] ?? 16384);
  const seeds = loadSeeds(repoRoot, maxInput);
  if (seeds.length === 0) throw new Error('no seed captures found');

  if (args.case !== undefined) {
    const caseNo = Number(args.case);
    const r = runCase(seeds, seed, caseNo);
    console.log(`seed ${seed} case ${caseNo}: ${r.verdict} (${r.ms.toFixed(1)} ms)\n  ${r.description}${r.message ? `\n  ${r.message}` : ''}`);
    if (!r.ok && args['no-save'] === undefined) console.log(`saved ${save(seed, caseNo, r)}`);
    process.exitCode = r.ok ? 0 : 1;
    return;
  }

  const seconds = args.seconds !== undefined ? Number(args.seconds) : args.iterations !== undefined ? Infinity : 60;
  const iterations = args.iterations !== undefined ? Number(args.iterations) : Infinity;
  console.log(`fuzz: seed ${seed}, ${seeds.length} seed captures (≤ ${maxInput} bytes each), ` +
    `${Number.isFinite(iterations) ? `${iterations} cases` : `${seconds} s`}; replay a case with --seed ${seed} --case N`);
  const start = performance.now();
  let lastReport = start;
  let failures = 0, saved = 0, maxRss = 0, slowest = 0;
  const seen = new Set<string>();
  const verdicts = new Map<string, number>();
  let caseNo = 0;
  for (; caseNo < iterations && (performance.now() - start) / 1000 < seconds; caseNo++) {
    let r = runCase(seeds, seed, caseNo);
    if (!r.ok && r.verdict === 'slow') {
      const again = runCase(seeds, seed, caseNo); // a busy machine can stall one run: confirm
      if (again.ok) r = again;
    }
    slowest = Math.max(slowest, r.ms);
    if (!r.ok) {
      failures++;
      verdicts.set(r.verdict, (verdicts.get(r.verdict) ?? 0) + 1);
      const key = `${r.verdict}:${r.message.split('\n').slice(0, 2).join('|')}`;
      if (!seen.has(key)) {
        seen.add(key);
        console.log(`FAIL case ${caseNo}: ${r.verdict}: ${r.message.split('\n').slice(0, 3).join(' / ')}\n  ${r.description}`);
        if (args['no-save'] === undefined && saved < MAX_SAVED) { saved++; console.log(`  saved ${save(seed, caseNo, r)}`); }
      }
    }
    const now = performance.now();
    if (now - lastReport > 10_000 || (caseNo & 1023) === 0) {
      maxRss = Math.max(maxRss, process.memoryUsage().rss);
      if (now - lastReport > 10_000) {
        lastReport = now;
        const rate = (caseNo + 1) / ((now - start) / 1000);
        console.log(`  ${caseNo + 1} cases, ${rate.toFixed(0)}/s, ${failures} failures, RSS ${(maxRss / 2 ** 20).toFixed(0)} MB`);
      }
    }
  }
  maxRss = Math.max(maxRss, process.memoryUsage().rss);
  const secs = (performance.now() - start) / 1000;
  console.log(`fuzz done: seed ${seed}, ${caseNo} cases in ${secs.toFixed(0)} s (${(caseNo / secs).toFixed(0)}/s), ` +
    `${failures} failures ${JSON.stringify(Object.fromEntries(verdicts))}, slowest case ${slowest.toFixed(0)} ms, peak RSS ${(maxRss / 2 ** 20).toFixed(0)} MB`);
  process.exitCode = failures > 0 ? 1 : 0;
}

main();
