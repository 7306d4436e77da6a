/**
 * A short seeded fuzz run (the same cases `npm run fuzz --seed 20251125` makes): mutated captures of
 * the repository's fixtures and random permalinks through the whole core; no invariant may break.
 * Longer runs: `npm run fuzz -- --seconds 600`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCase } from '../../scripts/fuzz/fuzzCase';
import { loadSeeds } from '../../scripts/fuzz/seeds';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SEED = 20251125;
const CASES = 800;

describe('fuzz (short seeded run)', () => {
  const seeds = loadSeeds(repoRoot, 16384, true);

  it('has seed captures in the repository', () => {
    expect(seeds.length).toBeGreaterThan(5);
  });

  it(`survives ${CASES} mutated inputs`, () => {
    const failures: string[] = [];
    for (let c = 0; c < CASES; c++) {
      const r = runCase(seeds, SEED, c);
      if (!r.ok) failures.push(`case ${c} (${r.verdict}): ${r.message.split('\n')[0]} — ${r.description}; replay: npm run fuzz -- --seed ${SEED} --case ${c}`);
    }
    expect(failures).toEqual([]);
  });
});
