/**
 * `analyze` over a folder of real captures, in-process (the CLI's loadCapture + buildReport), and the
 * reviewed list of what it finds on ../shared/realworld/zeek (tests/fixtures/realworld-verdicts.json).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildReport, loadCapture } from '../../src/cli/analyze';

export const VERDICTS_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'realworld-verdicts.json');

export interface FileResult {
  file: string;
  findings: { id: string; kind: string; severity: string; summary: string; frames: number[] }[];
  caveats: { kind: string; text: string }[];
  error?: string;
}

/** One reviewed finding: what an engineer who read the packets says of it, and why. */
export interface Verdict {
  file: string;
  id: string;
  kind: string;
  severity: string;
  summary: string;
  /** right: signed as it stands; overstated: true, severity too high; wrong: not what the packets show. */
  verdict: 'right' | 'overstated' | 'wrong' | 'unreviewed';
  reason: string;
}

export interface VerdictsFile {
  about: string;
  findings: Verdict[];
}

export function verdictKey(v: { file: string; id: string; kind: string; severity: string }): string {
  return `${v.file} ${v.id} ${v.kind} ${v.severity}`;
}

/** Every capture file under a folder, sorted, recursively (the zeek set names them .pcap, .pcapng, .cap, .trace, .dump, .gz). */
export function captureFiles(d: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(d).sort()) {
    const p = path.join(d, name);
    if (statSync(p).isDirectory()) files.push(...captureFiles(p));
    else if (/pcap|\.cap$|\.trace$|\.dump$/i.test(name)) files.push(p);
  }
  return files;
}

export async function analyzeFolder(dir: string): Promise<FileResult[]> {
  const out: FileResult[] = [];
  for (const file of captureFiles(dir)) {
    const rel = path.relative(dir, file).split(path.sep).join('/');
    try {
      const l = await loadCapture(file);
      if (l.columns.length === 0) continue;
      const { json } = buildReport(l, rel, { lang: 'en' });
      out.push({
        file: rel,
        findings: json.findings.map((f) => ({ id: String(f.id), kind: String(f.kind), severity: String(f.severity), summary: String(f.summary), frames: (f.frames as number[]).slice(0, 12) })),
        caveats: json.caveats.map((c) => ({ kind: c.kind, text: c.text })),
      });
    } catch (e) {
      out.push({ file: rel, findings: [], caveats: [], error: (e as Error).message });
    }
  }
  return out;
}
