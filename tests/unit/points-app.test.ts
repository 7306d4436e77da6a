import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderCrossFinding } from '../../web/points/findingText';
import { renderWarning } from '../../src/i18n/warnings';
import { analyseBytes, buildPointsView, startPoint } from '../../web/points/pointsCore';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'points');
const load = (file: string, name: string) => analyseBytes(name, [new Uint8Array(readFileSync(path.join(fixtures, file)))]);

describe('points in the app (worker side)', () => {
  const a = load('pmtu-blackhole.node-eth0.pcap', 'node-eth0');
  const b = load('pmtu-blackhole.server-eth0.pcap', 'server-eth0');
  const view = buildPointsView([a, b], ['a.pcap', 'b.pcap']);

  it('summarises the points and the cross-point finding', () => {
    expect(view.points.map((p) => [p.file, p.packets, p.matched])).toEqual([['a.pcap', 32, 24], ['b.pcap', 24, 24]]);
    expect(view.findings.map((f) => f.frames)).toEqual([[21, 24, 25, 26, 27, 28, 29, 30]]);
    // Plain data: it crosses the worker boundary by structured clone.
    expect(structuredClone(view).findings[0].matchedFrames[0]).toEqual([1, 1]);
  });

  it('draws both points of the stream, joined, with the lost packets marked', () => {
    const j = view.joint[0];
    expect(j.point.filter((p) => p === 0)).toHaveLength(32);
    expect(j.point.filter((p) => p === 1)).toHaveLength(24);
    const lost = j.frame.filter((_, k) => j.lost[k] && j.point[k] === 0);
    expect(lost).toEqual([21, 24, 25, 26, 27, 28, 29, 30]);
    let links = 0;
    for (let k = 0; k < j.peer.length; k++) if (j.peer[k] >= 0) { expect(j.peer[j.peer[k]]).toBe(k); links++; }
    expect(links).toBe(48);
    // The SYN is sequence 0 at both points, and point 1 sees it later (the wire's delay).
    const syn0 = j.frame.findIndex((f, k) => f === 1 && j.point[k] === 0);
    expect(j.seq[syn0]).toBe(0);
    expect(j.seq[j.peer[syn0]]).toBe(0);
    expect(j.t[syn0]).toBe(0);
    expect(j.t[j.peer[syn0]]).toBeGreaterThan(j.t[syn0]);
    // The stream view's time axis: frame 21 at 0.914 s.
    expect(j.t[j.frame.findIndex((f, k) => f === 21 && j.point[k] === 0)]).toBeCloseTo(0.914129, 6);
  });

  it('speaks with the names the user gave', () => {
    const r = renderCrossFinding(view.findings[0], ['node eth0', 'pod'], 'en');
    expect(r.summary).toContain('captured at node eth0 and never at pod');
    expect(renderCrossFinding(view.findings[0], ['节点 eth0', 'Pod'], 'zh-CN').summary).toContain('在 节点 eth0 抓到、在 Pod 从未出现');
  });

  it("keeps the reader's warnings about each point's file, readable in both languages", () => {
    const bytes = new Uint8Array(readFileSync(path.join(fixtures, 'pmtu-blackhole.server-eth0.pcap')));
    const cut = bytes.subarray(0, bytes.length - 100);
    const run = startPoint('server', cut.length);
    // Streamed in odd slices, as the worker reads a File.
    for (let at = 0; at < cut.length && !run.stopped(); at += 777) run.push(cut.subarray(at, at + 777));
    const { point, warnings } = run.finish();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ key: 'capture.truncatedRecord', fatal: true });
    const v = buildPointsView([a, point], ['a.pcap', 'b.pcap'], [[], warnings]);
    expect(v.points[0].warnings).toEqual([]);
    expect(v.points[1].warnings[0].message).toMatch(/cut short/);
    expect(renderWarning(v.points[1].warnings[0], 'zh-CN')).toMatch(/[\u4e00-\u9fff]/);
    // What was read before the damage still matches.
    expect(v.points[1].packets).toBeGreaterThan(20);
  });
});
