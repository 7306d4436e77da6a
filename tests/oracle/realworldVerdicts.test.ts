/**
 * The findings of severity warning and above that `analyze` makes on ../shared/realworld/zeek (805
 * real captures nobody here made) equal the reviewed list in tests/fixtures/realworld-verdicts.json,
 * where an engineer who read the packets gave each a verdict and its reason. A finding gained, lost
 * or changed in severity is a diff to review (`npm run realworld -- --update-verdicts`, then judge
 * the "unreviewed" ones), never a surprise. Skipped, with this name, when ../shared is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeFolder, VERDICTS_FILE, verdictKey, type VerdictsFile } from './realworld';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const zeek = path.resolve(repoRoot, '..', 'shared', 'realworld', 'zeek');
const have = existsSync(zeek);
if (!have) console.warn('realworldVerdicts.test.ts: ../shared/realworld/zeek is absent, the reviewed findings are not checked');

describe.skipIf(!have)('findings on real captures equal the reviewed list', () => {
  it('every finding of severity warning and above is reviewed, and nothing else is found', { timeout: 120_000 }, async () => {
    const list = JSON.parse(readFileSync(VERDICTS_FILE, 'utf8')) as VerdictsFile;
    const results = await analyzeFolder(zeek);
    expect(results.filter((r) => r.error).map((r) => `${r.file}: ${r.error}`)).toEqual([]);
    const now = new Set<string>();
    for (const r of results) for (const f of r.findings) if (f.severity !== 'info') now.add(verdictKey({ file: r.file, ...f }));
    const reviewed = new Set(list.findings.map(verdictKey));
    const gained = [...now].filter((k) => !reviewed.has(k));
    const lost = [...reviewed].filter((k) => !now.has(k));
    expect({ gained, lost }, 'findings changed: run `npm run realworld -- --update-verdicts` and review them').toEqual({ gained: [], lost: [] });
    expect(list.findings.filter((v) => v.verdict === 'unreviewed' || !v.reason).map(verdictKey), 'findings without a verdict and its reason').toEqual([]);
    const by = (v: string) => list.findings.filter((x) => x.verdict === v).length;
    console.log(`realworld verdicts: ${list.findings.length} findings, right ${by('right')}, overstated ${by('overstated')}, wrong ${by('wrong')}`);
  });
});
