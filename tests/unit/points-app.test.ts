import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { renderCrossFinding } from '../../web/points/findingText';
import { renderWarning } from '../../src/i18n/warnings';
import { stateFromUrl, urlFromState } from '../../src/share/codec';
import { fingerprintBytes, fingerprintPrefix } from '../../src/share/fingerprint';
import type { ShareState } from '../../src/share/state';
import { analyseBytes, buildPointsView, readPointFile, startPoint } from '../../web/points/pointsCore';
import { linkPointName, linkPoints } from '../../web/points/pointsLink';
import { clearPoints, setPointsWorkerFactory, usePoints } from '../../web/points/pointsStore';
import type { PointsRequest } from '../../web/points/protocol';
import { giveLinkPoint, neededPoint } from '../../web/share/linkPoints';
import { useLink } from '../../web/share/linkStore';

// The open capture, as the session store would hold it (the session itself needs the analysis worker).
const session = vi.hoisted(() => ({ file: null as File | null }));
vi.mock('../../web/store/session', () => ({ currentFile: () => session.file }));

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

describe('points in the app: fingerprints and links naming both captures', () => {
  const bytes = (file: string) => new Uint8Array(readFileSync(path.join(fixtures, file)));

  it('fingerprints each point file as the analysis worker does, even past damage', async () => {
    const whole = bytes('pmtu-blackhole.server-eth0.pcap');
    const r = await readPointFile('server', new Blob([whole]));
    expect(r.fingerprint).toBe(await fingerprintBytes(whole));
    const cut = whole.subarray(0, whole.length - 100);
    expect((await readPointFile('server', new Blob([cut]))).fingerprint).toBe(await fingerprintBytes(cut));
    const a = load('pmtu-blackhole.node-eth0.pcap', 'a');
    const v = buildPointsView([a, r.point], ['a.pcap', 'b.pcap'], [], ['', r.fingerprint]);
    expect(v.points.map((p) => p.fingerprint)).toEqual(['', r.fingerprint]);
  });

  it("carries the user's point names trimmed and bounded, or not at all", () => {
    expect(linkPointName(' pod ')).toBe('pod');
    expect(linkPointName('x'.repeat(80))).toBe('x'.repeat(64));
    expect(linkPointName('   ')).toBeUndefined();
    expect(linkPointName(undefined)).toBeUndefined();
  });

  describe('adding the point a link names', () => {
    const main = new File([bytes('pmtu-blackhole.node-eth0.pcap')], 'pmtu-blackhole.node-eth0.pcap');
    const pod = new File([bytes('pmtu-blackhole.server-eth0.pcap')], 'pmtu-blackhole.server-eth0.pcap');
    const other = new File([bytes('pmtu-blackhole.node-eth0.pcap')], 'other.pcap');
    // The worker's work, done in the test: the same core functions.
    setPointsWorkerFactory(() => {
      const w = { onmessage: null as ((ev: MessageEvent) => void) | null, onerror: null, terminate() {}, postMessage(req: PointsRequest) {
        void (async () => {
          const read = [];
          for (let i = 0; i < req.files.length; i++) read.push(await readPointFile(req.names[i], req.files[i]));
          const view = buildPointsView(read.map((r) => r.point), req.files.map((f) => f.name), read.map((r) => r.warnings), read.map((r) => r.fingerprint));
          w.onmessage?.({ data: { id: req.id, ok: true, view } } as MessageEvent);
        })();
      } };
      return w as unknown as Worker;
    });

    it('adds the matching file with the names of the link, which then names both captures again', async () => {
      session.file = main;
      clearPoints();
      const fp = fingerprintPrefix(await fingerprintBytes(new Uint8Array(await pod.arrayBuffer())));
      const state: ShareState = { capture: { fingerprint: 'ab'.repeat(16), point: 'node eth0' }, points: [{ fingerprint: fp, name: pod.name, size: pod.size, point: 'pod' }] };
      const need = neededPoint(state);
      expect(need).toEqual({ ref: state.points![0], point0: 'node eth0', index: 1 });
      useLink.setState({ needPoint: need });

      // Another file: explained, not added.
      await giveLinkPoint(other);
      expect(useLink.getState().pointMismatch).toMatchObject({ gotName: 'other.pcap', gotSize: other.size });
      expect(useLink.getState().needPoint).toBe(need);
      expect(usePoints.getState()).toMatchObject({ status: 'idle', files: [], view: null });

      await giveLinkPoint(pod);
      expect(useLink.getState()).toMatchObject({ needPoint: null, pointMismatch: null, pointStatus: 'idle' });
      expect(usePoints.getState()).toMatchObject({ status: 'ready', names: ['node eth0', 'pod'] });
      expect(usePoints.getState().view?.findings).toHaveLength(1);
      // Loaded: the link no longer needs it, and a link made now names both captures.
      expect(neededPoint(state)).toBeNull();
      expect(linkPoints()).toEqual({ point0: 'node eth0', points: [{ fingerprint: fp, name: pod.name, size: pod.size, point: 'pod' }] });
      const round = stateFromUrl(urlFromState({ capture: { fingerprint: 'ab'.repeat(16), point: 'node eth0' }, points: linkPoints()!.points }));
      expect(round.ok && round.state.points).toEqual(state.points);
    });

    it('names no point when the loaded points are not of the open capture', () => {
      session.file = other;
      expect(linkPoints()).toBeNull();
      session.file = main;
      expect(linkPoints()).not.toBeNull();
      clearPoints();
      expect(linkPoints()).toBeNull();
    });
  });
});
