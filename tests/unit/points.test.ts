import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAnalyzeArgs, runAnalyze } from '../../src/cli/analyze';
import { memoryIo } from '../../src/cli/io';
import { diagnose, renderFinding } from '../../src/diagnose/index';
import { annotateBlackholes, frameRanges, lostBetweenPoints, matchPoints, splitByInterface } from '../../src/points/index';
import { loadPoint, natAndShift } from './pointsLoad';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'points');
const f = (name: string) => path.join(fixtures, name);
const lostFrames = (r: ReturnType<typeof matchPoints>, from: number) =>
  r.pairs.flatMap((p) => p.flows.filter((x) => x.from === from).flatMap((x) => x.lost.map((i) => i + 1)));
const OVERSIZED = [21, 24, 25, 26, 27, 28, 29, 30];

describe('capture points: two files', () => {
  it('finds exactly the oversized frames of the black hole lost between node eth0 and the server', async () => {
    const a = await loadPoint(f('pmtu-blackhole.node-eth0.pcap'), 'node eth0');
    const b = await loadPoint(f('pmtu-blackhole.server-eth0.pcap'), 'pod');
    const r = matchPoints([a, b]);
    expect(lostFrames(r, 0)).toEqual(OVERSIZED);
    expect(lostFrames(r, 1)).toEqual([]);
    expect(r.pairs[0].streams).toEqual([{ streamA: 0, streamB: 0, flipped: false, votes: 24 }]);
    expect(r.pairs[0].offsetMethod).toBe('two-way');
    expect(Math.abs(r.pairs[0].offset)).toBeLessThan(1e-3); // captured on one clock
    expect(r.points.map((p) => [p.packets, p.matched])).toEqual([[32, 24], [24, 24]]);
    const down = r.pairs[0].flows.find((x) => x.from === 0)!;
    expect(down).toMatchObject({ duplicated: 0, unexplained: 0, reordered: 0, matched: 14 });
    expect(down.delayMin).toBeGreaterThan(0);
    expect(down.delayMedian).toBeGreaterThanOrEqual(down.delayMin);
  });

  it('reports the loss as a finding in English and Chinese and adds the sentence to the black hole', async () => {
    const a = await loadPoint(f('pmtu-blackhole.node-eth0.pcap'), 'node eth0');
    const b = await loadPoint(f('pmtu-blackhole.server-eth0.pcap'), 'pod');
    const points = [a, b];
    const cross = lostBetweenPoints(matchPoints(points), points);
    expect(cross).toHaveLength(1);
    expect(cross[0]).toMatchObject({ kind: 'lost-between-points', from: 0, to: 1, frames: OVERSIZED, stream: 0, direction: 0, lost: 8, severity: 'error' });
    expect(cross[0].matchedFrames[0]).toEqual([1, 1]);
    const en = renderFinding(cross[0], 'en');
    expect(en.title).toContain('node eth0');
    expect(en.summary).toContain('never at pod');
    expect(en.story.join(' ')).toContain('frames 21 and 24-30');
    expect(renderFinding(cross[0], 'zh-CN').summary).toContain('从未出现');
    const findings = diagnose({ cols: a.cols, tcp: a.tcp });
    annotateBlackholes(findings, 0, cross);
    const hole = findings.find((x) => x.kind === 'pmtu-blackhole')!;
    expect(renderFinding(hole, 'en').story.join(' ')).toContain('The 1450-byte packets reach node eth0 and never reach pod');
    expect(renderFinding(hole, 'zh-CN').story.join(' ')).toContain('1450 字节的包到达了 node eth0，却从未到达 pod');
  });

  it('pmtu-ok: only its one oversized frame 21 was lost at the node', async () => {
    const a = await loadPoint(f('pmtu-ok.node-eth0.pcap'), 'A');
    const b = await loadPoint(f('pmtu-ok.server-eth0.pcap'), 'B');
    const r = matchPoints([a, b]);
    expect(lostFrames(r, 0)).toEqual([21]);
    expect(lostFrames(r, 1)).toEqual([]);
  });

  it('survives NAT (addresses and ports rewritten) and a clock seconds away: same loss, offset recovered', async () => {
    const a = await loadPoint(f('pmtu-blackhole.node-eth0.pcap'), 'A');
    const b0 = await loadPoint(f('pmtu-blackhole.server-eth0.pcap'), 'B');
    const shift = 3.25;
    const b = await loadPoint(f('pmtu-blackhole.server-eth0.pcap'), 'B', natAndShift('198.18.3.2', shift));
    expect(b.cols.addresses.text[b.cols.dst[0]]).toBe('10.96.0.5');
    expect(b.cols.dstPort[0]).toBe(9090 + 20000);
    const r0 = matchPoints([a, b0]), r = matchPoints([a, b]);
    expect(lostFrames(r, 0)).toEqual(OVERSIZED);
    expect(Math.abs(r.pairs[0].offset - shift - r0.pairs[0].offset)).toBeLessThan(1e-3);
    expect(Math.abs(r.pairs[0].offset - shift)).toBeLessThan(1e-3);
    // A's clock shifted instead: the offset changes sign.
    const a2 = await loadPoint(f('pmtu-blackhole.node-eth0.pcap'), 'A', natAndShift('198.18.3.2', shift));
    const r2 = matchPoints([a2, b0]);
    expect(lostFrames(r2, 0)).toEqual(OVERSIZED);
    expect(Math.abs(r2.pairs[0].offset + shift)).toBeLessThan(1e-3);
  });

  it('analyze A B: points[] and the cross-point finding in the JSON, the points in the text', async () => {
    const files = [f('pmtu-blackhole.node-eth0.pcap'), f('pmtu-blackhole.server-eth0.pcap')];
    expect(parseAnalyzeArgs([...files, '--format', 'json'])).toMatchObject({ file: files[0], files });
    let io = memoryIo();
    expect(await runAnalyze({ file: files[0], files, lang: 'en', format: 'json' }, io)).toBe(0);
    const j = JSON.parse(io.stdout);
    expect(j.points.map((p: { file: string; index: number; packets: number; matched: number }) => [p.index, p.file, p.packets, p.matched]))
      .toEqual([[0, 'pmtu-blackhole.node-eth0.pcap', 32, 24], [1, 'pmtu-blackhole.server-eth0.pcap', 24, 24]]);
    expect(Math.abs(j.points[1].offset)).toBeLessThan(1e-3);
    const lost = j.findings.find((x: { kind: string }) => x.kind === 'lost-between-points');
    expect(lost).toMatchObject({ from: 0, to: 1, frames: OVERSIZED });
    expect(j.findings.find((x: { kind: string }) => x.kind === 'pmtu-blackhole').text).toContain('never reach pmtu-blackhole.server-eth0.pcap');
    io = memoryIo();
    expect(await runAnalyze({ file: files[0], files, lang: 'zh-CN', format: 'text' }, io)).toBe(0);
    expect(io.stdout).toContain('抓包点');
    expect(io.stdout).toContain('lost-between-points:p0-p1:s0:d0:f21');
  });
});

describe('capture points: the interfaces of one capture', () => {
  it('-i any (SLL2): the oversized packets come in on eth0 and never leave on tunl0', async () => {
    const c = await loadPoint(f('pmtu-blackhole.node-any.sll2.pcap'), 'node');
    const points = splitByInterface({ cols: c.cols, tcp: c.tcp, interfaces: c.session.interfaces });
    expect(points.map((p) => p.name)).toEqual(['ifindex 2', 'ifindex 3']);
    const r = matchPoints(points);
    expect(r.pairs[0].offsetMethod).toBe('same-clock');
    expect(lostFrames(r, 0)).toEqual([41, 46, 47, 48, 49, 50, 51, 52]);
    expect(lostFrames(r, 1)).toEqual([]);
  });

  it('two-interface pcapng: the same, with the interface names', async () => {
    const c = await loadPoint(f('pmtu-blackhole.node-eth0-tunl0.pcapng'), 'node');
    const points = splitByInterface({ cols: c.cols, tcp: c.tcp, interfaces: c.session.interfaces });
    expect(points.map((p) => p.name)).toEqual(['eth0', 'tunl0']);
    const r = matchPoints(points);
    expect(lostFrames(r, 0)).toEqual([40, 43, 47, 48, 49, 50, 51, 52]);
    const cross = lostBetweenPoints(r, points);
    expect(renderFinding(cross[0], 'en').summary).toContain('captured at eth0 and never at tunl0');
  });

  it('a one-interface capture is one point', async () => {
    const c = await loadPoint(f('pmtu-ok.node-eth0.pcap'), 'x');
    expect(splitByInterface({ cols: c.cols, tcp: c.tcp }, 'x')).toHaveLength(1);
  });

  it('writes frame lists as ranges', () => {
    expect(frameRanges([1, 2, 3, 5, 7, 8])).toBe('1-3, 5, 7-8');
  });
});
