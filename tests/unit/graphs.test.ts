/**
 * The stream graphs (src/view/graphs.ts) on synthetic streams: RTT samples (Karn's rule at the
 * capture point, SACK samples, repairs of losses before the capture point), goodput by the fates,
 * the moving average, decimation, the window against bytes in flight, marks, and the edge cases
 * (an empty window, a stream with one direction only).
 */
import { describe, expect, it } from 'vitest';
import { TcpFlag } from '../../src/decode/columns';
import { FateIndex } from '../../src/diagnose/fates';
import type { Direction } from '../../src/types';
import { TcpFlagBit } from '../../src/tcp/types';
import { binWidthFor, graphTrack, niceStep, RangeSet, RttSkip, streamGraph, type GraphInput, type GraphOptions } from '../../src/view/graphs';
import { SegFlag } from '../../src/view/seriesTypes';
import { synth, type SynthPacket } from './series.synth';

const MSS = 1000;
/** Sequence number of segment k (1-based) of A. */
const seg = (k: number) => 1 + (k - 1) * MSS;

function input(packets: SynthPacket[]): GraphInput {
  const base = synth(packets);
  const t = base.tcp;
  const fates = new FateIndex({ cols: base.cols, tcp: { stream: t.stream, dir: t.dir, flags: t.flags, streams: [...t.streams] } });
  return { ...base, delivery: (stream: number, d: Direction) => fates.direction(stream, d) };
}

const handshake: SynthPacket[] = [
  { t: 0, dir: 0, seq: 0, hdr: TcpFlag.Syn },
  { t: 0.01, dir: 1, seq: 0, ack: 1, hdr: TcpFlag.Syn },
  { t: 0.02, dir: 0, seq: 1, ack: 1 },
];

const opts = (o: Partial<GraphOptions>): GraphOptions => ({ stream: 0, dir: 0, kind: 'rtt', t0: NaN, t1: NaN, pixels: 1000, average: 0, ...o });

/** Frame (1-based) of the n-th packet of a list (its position + 1). */
const frameOf = (list: SynthPacket[], p: SynthPacket) => list.indexOf(p) + 1;

describe('RTT samples', () => {
  // Segment 2 is lost after the capture point; segment 3 arrives and is SACKed; 2 is sent again.
  const ack1: SynthPacket = { t: 0.11, dir: 1, seq: 1, ack: seg(2) };
  const sack3: SynthPacket = { t: 0.112, dir: 1, seq: 1, ack: seg(2), sack: [[seg(3), seg(4)]], flags: TcpFlagBit.DuplicateAck };
  const resend: SynthPacket = { t: 0.2, dir: 0, seq: seg(2), ack: 1, len: MSS, flags: TcpFlagBit.Retransmission };
  const ackAll: SynthPacket = { t: 0.21, dir: 1, seq: 1, ack: seg(4) };
  const list: SynthPacket[] = [
    ...handshake,
    { t: 0.1, dir: 0, seq: seg(1), ack: 1, len: MSS },
    { t: 0.101, dir: 0, seq: seg(2), ack: 1, len: MSS },
    { t: 0.102, dir: 0, seq: seg(3), ack: 1, len: MSS },
    ack1, sack3, resend, ackAll,
  ];

  it('one per ACK that newly covers data: cumulative or by SACK; Karn: none for bytes that passed twice', () => {
    const inp = input(list);
    const t = graphTrack(inp, 0, 0);
    // The SYN takes a sequence number: the SYN-ACK (frame 2) is timed from it.
    expect(Array.from(t.rtt.frame)).toEqual([2, frameOf(list, ack1), frameOf(list, sack3)]);
    expect(t.rtt.value[0]).toBeCloseTo(0.01, 9);
    expect(t.rttFrom[0]).toBe(1);
    expect(t.rtt.value[1]).toBeCloseTo(0.01, 9);
    // The SACK block newly covers segment 3, sent at 0.102.
    expect(t.rtt.value[2]).toBeCloseTo(0.01, 9);
    expect(t.rttFrom[2]).toBe(6);
    // The last ACK newly covers segment 2 only (3 was SACKed): its bytes passed twice.
    expect(Array.from(t.rttSkipFrame)).toEqual([frameOf(list, ackAll)]);
    expect(Array.from(t.rttSkipReason)).toEqual([RttSkip.Karn]);
    const g = streamGraph(inp, opts({ kind: 'rtt' }));
    expect(g.series).toHaveLength(1);
    expect(g.series[0].count).toBe(3);
    expect(g.yMax).toBeCloseTo(0.01, 9);
  });

  it('a repair of a loss before the capture point passed it once: the ACK of it gives a sample', () => {
    // Segment 2 never reached the capture point; its repair did.
    const repair: SynthPacket = { t: 0.2, dir: 0, seq: seg(2), ack: 1, len: MSS, flags: TcpFlagBit.Retransmission };
    const ack: SynthPacket = { t: 0.205, dir: 1, seq: 1, ack: seg(4) };
    const l2: SynthPacket[] = [
      ...handshake,
      { t: 0.1, dir: 0, seq: seg(1), ack: 1, len: MSS },
      { t: 0.102, dir: 0, seq: seg(3), ack: 1, len: MSS, flags: TcpFlagBit.LostSegment },
      { t: 0.11, dir: 1, seq: 1, ack: seg(2) },
      { t: 0.112, dir: 1, seq: 1, ack: seg(2), sack: [[seg(3), seg(4)]], flags: TcpFlagBit.DuplicateAck },
      repair, ack,
    ];
    const t = graphTrack(input(l2), 0, 0);
    const i = Array.from(t.rtt.frame).indexOf(frameOf(l2, ack));
    expect(i).toBeGreaterThanOrEqual(0);
    expect(t.rtt.value[i]).toBeCloseTo(0.005, 9);
    expect(t.rttFrom[i]).toBe(frameOf(l2, repair));
  });

  it('a delayed ACK is timed from the latest segment it covers; D-SACK blocks cover nothing new; a FIN is timed', () => {
    const ack: SynthPacket = { t: 0.15, dir: 1, seq: 1, ack: seg(3) };
    const dsack: SynthPacket = { t: 0.16, dir: 1, seq: 1, ack: seg(3), sack: [[seg(1), seg(2)]] };
    const fin: SynthPacket = { t: 0.2, dir: 0, seq: seg(3), ack: 1, hdr: TcpFlag.Fin };
    const finAck: SynthPacket = { t: 0.203, dir: 1, seq: 1, ack: seg(3) + 1 };
    const l3: SynthPacket[] = [
      ...handshake,
      { t: 0.1, dir: 0, seq: seg(1), ack: 1, len: MSS },
      { t: 0.11, dir: 0, seq: seg(2), ack: 1, len: MSS },
      ack, dsack, fin, finAck,
    ];
    const t = graphTrack(input(l3), 0, 0);
    expect(Array.from(t.rtt.frame)).toEqual([2, frameOf(l3, ack), frameOf(l3, finAck)]);
    expect(t.rtt.value[1]).toBeCloseTo(0.04, 9);
    expect(t.rtt.value[2]).toBeCloseTo(0.003, 9);
    expect(t.rttFrom[2]).toBe(frameOf(l3, fin));
    expect(t.rttSkipFrame.length).toBe(0);
  });
});

describe('throughput and goodput', () => {
  it('throughput counts every data byte; goodput the bytes delivered for the first time (not the re-send of delivered bytes)', () => {
    const list: SynthPacket[] = [
      ...handshake,
      { t: 0.1, dir: 0, seq: seg(1), ack: 1, len: MSS },
      { t: 0.11, dir: 0, seq: seg(2), ack: 1, len: MSS },
      { t: 0.12, dir: 1, seq: 1, ack: seg(3) },
      // A spurious re-send of segment 2 (already ACKed), then segment 3.
      { t: 0.13, dir: 0, seq: seg(2), ack: 1, len: MSS, flags: TcpFlagBit.SpuriousRetransmission },
      { t: 0.14, dir: 0, seq: seg(3), ack: 1, len: MSS },
      { t: 0.15, dir: 1, seq: 1, ack: seg(4) },
    ];
    const g = streamGraph(input(list), opts({ kind: 'throughput', t0: 0, t1: 0.2, binWidth: 0.01 }));
    expect(g.binWidth).toBe(0.01);
    expect(g.binT0).toBe(0);
    const bytes = (k: number) => Array.from(g.series[k].value, (v) => Math.round((v * g.binWidth) / 8));
    expect(bytes(0).reduce((a, b) => a + b, 0)).toBe(4 * MSS);
    expect(bytes(1).reduce((a, b) => a + b, 0)).toBe(3 * MSS);
    // Bin 13 ([0.13, 0.14)) holds only the spurious re-send.
    expect(bytes(0)[13]).toBe(MSS);
    expect(bytes(1)[13]).toBe(0);
    // The re-send is marked.
    expect(Array.from(g.markFlags).some((f) => f & SegFlag.SpuriousRetransmission)).toBe(true);
    expect(g.yMax).toBeGreaterThanOrEqual(Math.max(...g.series[0].value));
  });

  it('the moving average over a chosen window, centred on each bin; 0 chooses about a round trip, never less than a bin', () => {
    // 1000 bytes every millisecond for a second: 8 Mbit/s; ACKs 20 ms later.
    const list: SynthPacket[] = [...handshake];
    for (let i = 0; i < 1000; i++) list.push({ t: 0.1 + i * 1e-3, dir: 0, seq: seg(i + 1), ack: 1, len: MSS });
    for (let i = 0; i < 1000; i++) list.push({ t: 0.12 + i * 1e-3 + 5e-5, dir: 1, seq: 1, ack: seg(i + 2) });
    list.sort((a, b) => a.t - b.t);
    const inp = input(list);
    const g = streamGraph(inp, opts({ kind: 'throughput', t0: 0.3, t1: 0.8, binWidth: 0.01, average: 0.1 }));
    expect(g.average).toBe(0.1);
    for (let i = 0; i < g.series[2].count; i++) expect(g.series[2].value[i]).toBeCloseTo(8e6, -4);
    const auto = streamGraph(inp, opts({ kind: 'throughput', t0: 0.3, t1: 0.8, binWidth: 0.001, average: 0 }));
    expect(auto.average).toBeCloseTo(0.02005, 9);
    const coarse = streamGraph(inp, opts({ kind: 'throughput', t0: 0.3, t1: 0.8, binWidth: 0.05, average: 0 }));
    expect(coarse.average).toBe(0.05);
  });

  it('bins are 1-2-5 steps a few pixels wide, aligned on the capture start', () => {
    expect(niceStep(0.003)).toBe(0.005);
    expect(niceStep(0.01)).toBe(0.01);
    expect(niceStep(1.5)).toBe(2);
    expect(binWidthFor(10, 1000)).toBe(0.05);
    const list: SynthPacket[] = [...handshake, { t: 0.1, dir: 0, seq: seg(1), ack: 1, len: MSS }];
    const g = streamGraph(input(list), opts({ kind: 'throughput', t0: 0.0123, t1: 0.0923, pixels: 400 }));
    expect(g.binWidth).toBe(0.001);
    expect(g.binT0).toBeCloseTo(0.012, 12);
  });
});

describe('window and bytes in flight', () => {
  it('the advertised window at each ACK; in flight: highest sent − highest ACK − SACKed bytes', () => {
    const list: SynthPacket[] = [
      ...handshake,
      { t: 0.1, dir: 0, seq: seg(1), ack: 1, len: MSS },
      { t: 0.101, dir: 0, seq: seg(2), ack: 1, len: MSS },
      { t: 0.102, dir: 0, seq: seg(3), ack: 1, len: MSS },
      { t: 0.11, dir: 1, seq: 1, ack: seg(2), win: 30000 },
      { t: 0.112, dir: 1, seq: 1, ack: seg(2), sack: [[seg(3), seg(4)]], win: 29000 },
      { t: 0.12, dir: 0, seq: seg(4), ack: 1, len: MSS },
      { t: 0.13, dir: 1, seq: 1, ack: seg(5), win: 0, flags: TcpFlagBit.ZeroWindow },
    ];
    const g = streamGraph(input(list), opts({ kind: 'window' }));
    expect(g.series).toHaveLength(2);
    // The SYN-ACK's window too (it carries an ACK).
    expect(Array.from(g.series[0].value)).toEqual([65535, 30000, 29000, 0]);
    expect(Array.from(g.series[1].value)).toEqual([1000, 2000, 3000, 2000]);
    expect(g.yMax).toBe(65535);
    const zw = Array.from(g.markFlags).filter((f) => f & SegFlag.ZeroWindow);
    expect(zw).toHaveLength(1);
  });

  it('a stream with one direction only: no RTT, no window, bytes in flight growing', () => {
    const list: SynthPacket[] = [];
    for (let i = 0; i < 5; i++) list.push({ t: i * 0.01, dir: 0, seq: seg(i + 1), len: MSS });
    const inp = input(list);
    expect(streamGraph(inp, opts({ kind: 'rtt' })).series[0].count).toBe(0);
    const w = streamGraph(inp, opts({ kind: 'window' }));
    expect(w.series[0].count).toBe(0);
    expect(Array.from(w.series[1].value)).toEqual([1000, 2000, 3000, 4000, 5000]);
    const back = streamGraph(inp, opts({ kind: 'throughput', dir: 1 }));
    expect(back.series[0].value.every((v) => v === 0)).toBe(true);
    expect(back.yMax).toBe(0);
    expect(back.rowsInWindow).toBe(0);
  });

  it('an empty window: no points, zero bins, the y axis of the whole stream', () => {
    const list: SynthPacket[] = [...handshake, { t: 0.1, dir: 0, seq: seg(1), ack: 1, len: MSS }, { t: 0.2, dir: 1, seq: 1, ack: seg(2) }];
    const inp = input(list);
    const r = streamGraph(inp, opts({ kind: 'rtt', t0: 0.12, t1: 0.18 }));
    expect(r.series[0].count).toBe(0);
    expect(r.rowsInWindow).toBe(0);
    expect(r.yMax).toBeCloseTo(0.1, 9);
    const th = streamGraph(inp, opts({ kind: 'throughput', t0: 0.12, t1: 0.18 }));
    expect(th.series[0].value.every((v) => v === 0)).toBe(true);
    expect(th.yMax).toBeGreaterThan(0);
    expect(th.markCount).toBe(0);
  });
});

describe('a clock that goes back (merged captures)', () => {
  it('keeps each point with its own frame and serves the points in time order', () => {
    const late: SynthPacket = { t: 0.105, dir: 1, seq: 1, ack: seg(2) };
    const early: SynthPacket = { t: 0.104, dir: 1, seq: 1, ack: seg(3) };
    const list: SynthPacket[] = [
      ...handshake,
      { t: 0.1, dir: 0, seq: seg(1), ack: 1, len: MSS },
      { t: 0.101, dir: 0, seq: seg(2), ack: 1, len: MSS },
      late, early,
    ];
    const t = graphTrack(input(list), 0, 0);
    expect(Array.from(t.rtt.frame)).toEqual([2, frameOf(list, early), frameOf(list, late)]);
    expect(Array.from(t.rttFrom)).toEqual([1, 5, 4]);
    expect(t.rtt.value[1]).toBeCloseTo(0.003, 9);
    expect(t.rtt.value[2]).toBeCloseTo(0.005, 9);
  });
});

describe('decimation', () => {
  it('per pixel column keeps the first, last, smallest and largest point; never more than four a column', () => {
    const list: SynthPacket[] = [...handshake];
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const win = i === 12345 ? 1_000_000 : i === 777 ? 1 : 50000 + (i % 100);
      list.push({ t: 0.1 + i * 1e-4, dir: 1, seq: 1, ack: 1, win });
    }
    const g = streamGraph(input(list), opts({ kind: 'window', pixels: 100 }));
    expect(g.decimated).toBe(true);
    const s = g.series[0];
    expect(s.count).toBeLessThanOrEqual(400);
    const values = Array.from(s.value);
    expect(values).toContain(1_000_000);
    expect(values).toContain(1);
    expect(s.frame[s.count - 1]).toBe(list.length);
    for (let i = 1; i < s.count; i++) expect(s.time[i]).toBeGreaterThanOrEqual(s.time[i - 1]);
    // Each series owns its buffers (a transfer list may not name one twice).
    const buffers = new Set(g.series.flatMap((p) => [p.time.buffer, p.value.buffer, p.frame.buffer]));
    expect(buffers.size).toBe(g.series.length * 3);
  });
});

describe('RangeSet', () => {
  it('adds ranges, tells what was new, finds the highest uncovered stretch, drops below a point', () => {
    const r = new RangeSet();
    expect(r.add(10, 20)).toBe(10);
    expect(r.add(30, 40)).toBe(10);
    expect(r.add(15, 35)).toBe(10);
    expect(r.total).toBe(30);
    expect(r.size).toBe(1);
    expect(r.add(50, 60)).toBe(10);
    expect(r.highestUncovered(0, 60)).toBe(50);
    expect(r.highestUncovered(10, 40)).toBe(-1);
    expect(r.highestUncovered(5, 45)).toBe(45);
    expect(r.highestUncovered(0, 12)).toBe(10);
    r.dropBelow(35);
    expect(r.total).toBe(15);
  });
});
