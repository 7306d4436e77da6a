import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderCrossFinding } from '../../web/points/findingText';
import { analyseBytes, buildPointsView } from '../../web/points/pointsCore';

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
});
