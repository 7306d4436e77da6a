/**
 * `analyze A B --format json`: every key docs/analyze-json.md lists for points[] and for the
 * lost-between-points finding is in the output, and every key the output has is documented.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runAnalyze } from '../../src/cli/analyze';
import { memoryIo } from '../../src/cli/io';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = path.join(root, 'tests', 'fixtures', 'points');
const doc = readFileSync(path.join(root, 'docs', 'analyze-json.md'), 'utf8');

/** Field names of the first table after `heading`: the backticked names in its first column. */
function documentedFields(heading: string): string[] {
  const at = doc.indexOf(heading);
  expect(at, heading).toBeGreaterThanOrEqual(0);
  const lines = doc.slice(at).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
  return lines.slice(start, end).filter((l) => l.startsWith('| `'))
    .flatMap((l) => [...l.split('|')[1].matchAll(/`(\w+)`/g)].map((m) => m[1]));
}

async function analyze(files: string[]) {
  const io = memoryIo();
  const paths = files.map((f) => path.join(fixtures, f));
  expect(await runAnalyze({ file: paths[0], ...(paths.length > 1 ? { files: paths } : {}), lang: 'en', format: 'json' }, io)).toBe(0);
  return JSON.parse(io.stdout) as Record<string, unknown> & { points: Record<string, unknown>[]; findings: Record<string, unknown>[]; streams: { findings: string[] }[] };
}

const COMMON = ['id', 'kind', 'severity', 'stream', 'direction', 'frames', 't0', 't1', 'title', 'summary', 'story', 'remedy', 'text'];

describe('analyze with several capture points: the documented JSON', () => {
  it('two files: points[] and lost-between-points have exactly the documented keys', async () => {
    const j = await analyze(['pmtu-blackhole.node-eth0.pcap', 'pmtu-blackhole.server-eth0.pcap']);
    const pointKeys = documentedFields('### `points[]`');
    expect(pointKeys).toEqual(['index', 'file', 'name', 'offset', 'packets', 'matched', 'findings', 'warnings', 'caveats']);
    expect(j.points).toHaveLength(2);
    for (const p of j.points) expect(Object.keys(p).sort()).toEqual([...pointKeys].sort());
    expect(j.points.map((p) => [p.index, p.file, p.packets, p.matched])).toEqual([
      [0, 'pmtu-blackhole.node-eth0.pcap', 32, 24], [1, 'pmtu-blackhole.server-eth0.pcap', 24, 24]]);
    expect(j.points[0].findings).toEqual([]);
    expect((j.points[1].findings as { kind: string; evidence: string }[])[0]).toMatchObject({ kind: 'pmtu-blackhole', evidence: 'receiver' });

    const lostKeys = documentedFields('### The `lost-between-points` finding');
    const lost = j.findings.find((f) => f.kind === 'lost-between-points') as Record<string, unknown>;
    expect(Object.keys(lost).sort()).toEqual([...new Set([...COMMON, ...lostKeys])].sort());
    expect(lost).toMatchObject({
      id: 'lost-between-points:p0-p1:s0:d0:f21', severity: 'error', from: 0, to: 1, stream: 0, toStream: 0,
      frames: [21, 24, 25, 26, 27, 28, 29, 30], lost: 8, packets: 22,
      fromName: 'pmtu-blackhole.node-eth0.pcap', toName: 'pmtu-blackhole.server-eth0.pcap',
    });
    expect((lost.matchedFrames as number[][])[0]).toEqual([1, 1]);
    expect(lost.delayMedian as number).toBeGreaterThanOrEqual(lost.delayMin as number);
    // The stream table names the cross-point finding too, and the black hole says where it was lost.
    expect(j.streams[0].findings).toContain(lost.id);
    const hole = j.findings.find((f) => f.kind === 'pmtu-blackhole') as { story: string[] };
    expect(hole.story.at(-1)).toMatch(/^The 1450-byte packets reach pmtu-blackhole\.node-eth0\.pcap and never reach/);
  });

  it('one file with two interfaces: a point per interface, on one clock', async () => {
    const j = await analyze(['pmtu-blackhole.node-eth0-tunl0.pcapng']);
    expect(j.points.map((p) => [p.name, p.file, p.offset, p.findings, p.warnings, p.caveats])).toEqual([
      ['eth0', 'pmtu-blackhole.node-eth0-tunl0.pcapng', 0, [], [], []], ['tunl0', 'pmtu-blackhole.node-eth0-tunl0.pcapng', 0, [], [], []]]);
    expect(j.findings.map((f) => f.id)).toContain('lost-between-points:p0-p1:s0:d0:f40');
  });

  it('one file, one interface: no points key at all; the other tables match the output too', async () => {
    const j = await analyze(['pmtu-blackhole.node-eth0.pcap']);
    expect(j).not.toHaveProperty('points');
    expect(Object.keys(j).sort()).toEqual(documentedFields('## Top level').filter((k) => k !== 'points' && k !== 'filter').sort());
    expect(Object.keys(j.capture as object).sort()).toEqual(documentedFields('## `capture`').sort());
    expect(Object.keys(j.streams[0]).sort()).toEqual(documentedFields('## `streams[]`').sort());
  });
});

describe('analyze with several capture points: the second file cut short', () => {
  it('its warning and caveat are in its points[] item and in the text report', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'points-cut-'));
    try {
      const cut = path.join(dir, 'server-cut.pcap');
      writeFileSync(cut, readFileSync(path.join(fixtures, 'pmtu-blackhole.server-eth0.pcap')).subarray(0, 2000));
      const files = [path.join(fixtures, 'pmtu-blackhole.node-eth0.pcap'), cut];
      const io = memoryIo();
      expect(await runAnalyze({ file: files[0], files, lang: 'en', format: 'json' }, io)).toBe(0);
      const p1 = JSON.parse(io.stdout).points[1];
      expect(p1.warnings).toEqual([expect.objectContaining({ kind: 'truncated-record', fatal: true })]);
      expect(p1.caveats[0]).toMatchObject({ kind: 'reader-warnings', severity: 'warning' });
      const zh = memoryIo();
      expect(await runAnalyze({ file: files[0], files, lang: 'zh-CN', format: 'text' }, zh)).toBe(0);
      expect(zh.stdout).toMatch(/\nserver-cut\.pcap: 阅读时请注意 \(1\)\n {2}! 文件已损坏/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
