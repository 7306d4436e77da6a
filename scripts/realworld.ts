/**
 * `npm run realworld [-- DIR] [--out FILE]`: `analyze` over every capture under DIR (default
 * ../shared/realworld/zeek), in-process; prints findings per kind and severity and writes one line
 * of JSON per file (its findings and caveats) for review.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildReport, loadCapture } from '../src/cli/analyze';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1] : undefined;
const dir = args.find((a, i) => !a.startsWith('--') && (outAt < 0 || i !== outAt + 1)) ?? '../shared/realworld/zeek';

function walk(d: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) files.push(...walk(p));
    else if (/\.(pcap|pcapng|cap|trace|dump|gz|pcap\d*)$/i.test(name) || /pcap/i.test(name)) files.push(p);
  }
  return files;
}

const counts = new Map<string, number>();
const lines: string[] = [];
for (const file of walk(dir)) {
  const rel = relative(dir, file);
  try {
    const l = await loadCapture(file);
    if (l.session.packets === 0) continue;
    const { json } = buildReport(l.input, rel, { lang: 'en' });
    for (const f of json.findings) {
      const k = `${String(f.kind)}/${String(f.severity)}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    lines.push(JSON.stringify({
      file: rel,
      findings: json.findings.map((f) => ({ id: f.id, kind: f.kind, severity: f.severity, summary: f.summary, frames: (f.frames as number[]).slice(0, 12) })),
      caveats: json.caveats.map((c) => ({ kind: c.kind, text: c.text })),
    }));
  } catch (e) {
    console.log(`THROW ${rel}: ${(e as Error).stack}`);
  }
}
for (const [k, n] of [...counts].sort()) console.log(`${k}\t${n}`);
console.log(`total\t${[...counts.values()].reduce((a, b) => a + b, 0)}`);
if (out) writeFileSync(out, lines.join('\n') + '\n');
