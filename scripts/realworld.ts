/**
 * `npm run realworld [-- DIR] [--out FILE] [--update-verdicts]`: `analyze` over every capture under
 * DIR (default ../shared/realworld/zeek), in-process. Prints the findings per kind and severity;
 * `--out` writes one line of JSON per file (its findings and caveats) for review;
 * `--update-verdicts` rewrites tests/fixtures/realworld-verdicts.json with today's findings of
 * severity warning and above, keeping the verdict of each one already reviewed and marking new ones
 * "unreviewed" (tests/oracle/realworldVerdicts.test.ts keeps `analyze` equal to that list).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { analyzeFolder, VERDICTS_FILE, verdictKey, type Verdict, type VerdictsFile } from '../tests/oracle/realworld';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1] : undefined;
const dir = args.find((a, i) => !a.startsWith('--') && (outAt < 0 || i !== outAt + 1)) ?? '../shared/realworld/zeek';

const results = await analyzeFolder(dir);
const counts = new Map<string, number>();
for (const r of results) for (const f of r.findings) counts.set(`${f.kind}/${f.severity}`, (counts.get(`${f.kind}/${f.severity}`) ?? 0) + 1);
for (const [k, n] of [...counts].sort()) console.log(`${k}\t${n}`);
console.log(`total\t${[...counts.values()].reduce((a, b) => a + b, 0)}`);
for (const r of results) if (r.error) console.log(`ERROR ${r.file}: ${r.error}`);
if (out) writeFileSync(out, results.map((r) => JSON.stringify(r)).join('\n') + '\n');

if (args.includes('--update-verdicts')) {
  const old: VerdictsFile = existsSync(VERDICTS_FILE) ? JSON.parse(readFileSync(VERDICTS_FILE, 'utf8')) as VerdictsFile : { about: '', findings: [] };
  const known = new Map(old.findings.map((v) => [verdictKey(v), v]));
  const findings: Verdict[] = [];
  for (const r of results) for (const f of r.findings) {
    if (f.severity === 'info') continue;
    const v = known.get(verdictKey({ file: r.file, ...f }));
    findings.push({ file: r.file, id: f.id, kind: f.kind, severity: f.severity, summary: f.summary, verdict: v?.verdict ?? 'unreviewed', reason: v?.reason ?? '' });
  }
  writeFileSync(VERDICTS_FILE, JSON.stringify({ ...old, findings }, null, 1) + '\n');
  console.log(`${VERDICTS_FILE}: ${findings.length} findings, ${findings.filter((v) => v.verdict === 'unreviewed').length} unreviewed`);
}
