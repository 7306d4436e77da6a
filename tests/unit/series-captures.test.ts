/**
 * The chart series on real captures made by the Linux TCP stack: the bundled sample always, the
 * shared set (../shared/captures, with its ground truth) when present.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFileIntoSession } from '../../src/cli/readFile';
import { CaptureSession } from '../../src/pipeline';
import { TcpAnalyzer } from '../../src/tcp/analyzer';
import { HoleKind } from '../../src/view/holes';
import { buildStreamIndex, SegFlag, streamSeries, type SeriesInput, type SeriesOptions, type StreamSeries } from '../../src/view/series';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const captures = path.resolve(repoRoot, '..', 'shared', 'captures');
const haveShared = existsSync(path.join(captures, 'ground-truth.json'));
if (!haveShared) console.warn('series-captures.test.ts: ../shared/captures is absent; the series of the shared captures are not checked');

async function load(file: string): Promise<SeriesInput> {
  const analyzer = new TcpAnalyzer();
  const session = await readCaptureFileIntoSession(file, new CaptureSession({ processors: [analyzer] }));
  const out = analyzer.out;
  const tcp = { stream: out.stream, dir: out.dir, seq: out.seq, ack: out.ack, window: out.window, flags: out.flags, streams: analyzer.streams };
  return { cols: session.columns, tcp, index: buildStreamIndex(tcp, session.columns) };
}

const all = (over: Partial<SeriesOptions> = {}): SeriesOptions => ({ stream: 0, dir: 0, t0: NaN, t1: NaN, pixels: 1000, pathMtu: 1440, ...over });

function holes(s: StreamSeries) {
  return Array.from({ length: s.holes.count }, (_, i) => ({
    seq: [s.holes.seq0[i], s.holes.seq1[i]], kind: s.holes.kind[i], open: s.holes.open[i] === 1, frame: s.holes.frame[i],
  }));
}

const framesWith = (s: StreamSeries, flag: number) => Array.from(s.segFrame).filter((_, i) => s.segFlags[i] & flag);

describe('series of the bundled PMTU black-hole sample', () => {
  it('shows the never-filled hole, the SACK block and the eight oversized DF segments', async () => {
    const s = streamSeries(await load(path.join(repoRoot, 'public', 'samples', 'pmtu-blackhole.pcap')), all());
    expect(holes(s)).toEqual([{ seq: [346, 1744], kind: HoleKind.Sack, open: true, frame: 23 }]);
    expect(framesWith(s, SegFlag.Oversized)).toEqual([21, 24, 25, 26, 27, 28, 29, 30]);
    expect(framesWith(s, SegFlag.Retransmission)).toEqual([24, 25, 26, 27, 28, 29, 30]);
    expect(Array.from(s.sackFrame)).toEqual([23, 31]);
    expect([s.sackLeft[0], s.sackRight[0]]).toEqual([1744, 3051]);
    expect(Math.max(...s.ackSeq)).toBe(346);
    expect(s.extent.seq1).toBe(3051);
    expect(s.extent.t1).toBeCloseTo(25.947, 2);
  });
});

describe.skipIf(!haveShared)('series of the shared captures (skipped when ../shared/captures is absent)', () => {
  const truth = haveShared ? JSON.parse(readFileSync(path.join(captures, 'ground-truth.json'), 'utf8')) : {};

  it('server side of the black hole: the uncaptured segment is a hole, revealed by frame 21', async () => {
    const s = streamSeries(await load(path.join(captures, 'pmtu-blackhole.server-eth0.pcap')), all());
    const h = holes(s);
    expect(h).toHaveLength(1);
    expect(h[0]).toMatchObject({ seq: [346, 1744], open: true, frame: 21 });
    expect(h[0].kind & HoleKind.Uncaptured).toBeTruthy();
    expect(framesWith(s, SegFlag.Oversized)).toEqual([]);
  });

  it('random loss seen at the server: one hole per lost segment, where tshark says, all filled in the end', async () => {
    const s = streamSeries(await load(path.join(captures, 'random-loss-sack.server-eth0.pcap')), all());
    const uncaptured = holes(s).filter((h) => h.kind & HoleKind.Uncaptured);
    const firstEdges = new Set(uncaptured.map((h) => h.seq[0]));
    for (const [a] of truth['random-loss-sack'].holes_B as [number, number][]) expect(firstEdges.has(a)).toBe(true);
    expect(holes(s).every((h) => !h.open)).toBe(true);
  });

  it('random loss seen at the sender: SACK holes all closed, every retransmission kept through decimation', async () => {
    const input = await load(path.join(captures, 'random-loss-sack.node-eth0.pcap'));
    const full = streamSeries(input, all({ pixels: 4000 }));
    const narrow = streamSeries(input, all({ pixels: 200 }));
    expect(narrow.decimated).toBe(true);
    expect(narrow.segCount).toBeLessThan(700);
    const flagged = SegFlag.Retransmission | SegFlag.FastRetransmission | SegFlag.OutOfOrder;
    expect(framesWith(narrow, flagged)).toEqual(framesWith(full, flagged));
    expect(framesWith(full, flagged)).toHaveLength(19);
    const h = holes(full);
    expect(h.length).toBeGreaterThanOrEqual(15);
    expect(h.every((x) => !x.open && x.kind & HoleKind.Sack)).toBe(true);
  });

  it('zero window: no hole, and the receiver\'s zero windows are on the ACK points', async () => {
    const s = streamSeries(await load(path.join(captures, 'zero-window.node-eth0.pcap')), all());
    expect(s.holes.count).toBe(0);
    expect(Array.from(s.ackWin).some((w, i) => w === s.ackSeq[i])).toBe(true);
  });
});
