import { describe, expect, it } from 'vitest';
import { TcpFlag } from '../../src/decode/columns';
import { TcpFlagBit } from '../../src/tcp/types';
import { HoleKind } from '../../src/view/holes';
import {
  AckFlag, MarkKind, SegFlag, seriesTransferables, streamSeries, type SeriesOptions, type StreamSeries,
} from '../../src/view/series';
import { bulk, synth, type SynthPacket } from './series.synth';

const whole = (over: Partial<SeriesOptions> = {}): SeriesOptions => ({
  stream: 0, dir: 0, t0: NaN, t1: NaN, pixels: 800, pathMtu: 0, ...over,
});

const frames = (s: StreamSeries) => Array.from(s.segFrame);

/** The PMTU black-hole sample in miniature (node-eth0, stream 0): 1450-byte DF segment never ACKed. */
function blackHole(): SynthPacket[] {
  const big: SynthPacket = { t: 0.914, dir: 0, seq: 346, ack: 154, len: 1398, ipLen: 1450, hdr: TcpFlag.Psh };
  return [
    { t: 0, dir: 0, seq: 0, hdr: TcpFlag.Syn },
    { t: 0.0025, dir: 1, seq: 0, ack: 1, hdr: TcpFlag.Syn },
    { t: 0.0026, dir: 0, seq: 1, ack: 1 },
    { t: 0.003, dir: 0, seq: 1, ack: 1, len: 345 },
    { t: 0.006, dir: 1, seq: 1, ack: 346, len: 153 },
    big,
    { t: 0.9142, dir: 0, seq: 1744, ack: 154, len: 1307, ipLen: 1359 },
    { t: 0.917, dir: 1, seq: 154, ack: 346, sack: [[1744, 3051]], flags: TcpFlagBit.DuplicateAck },
    ...[0.922, 1.13, 1.54, 2.38, 4.04, 7.49, 14.15].map((t) => ({ ...big, t, flags: TcpFlagBit.Retransmission })),
    { t: 25.9, dir: 1, seq: 154, ack: 346, hdr: TcpFlag.Fin, sack: [[1744, 3051]] },
    { t: 25.91, dir: 0, seq: 346, hdr: TcpFlag.Rst },
  ];
}

describe('streamSeries: the PMTU black hole', () => {
  const input = synth(blackHole());
  const s = streamSeries(input, whole({ pathMtu: 1440 }));

  it('shows one open SACK hole from the ACK that revealed it to the end of the stream', () => {
    expect(s.holes.count).toBe(1);
    expect([s.holes.seq0[0], s.holes.seq1[0]]).toEqual([346, 1744]);
    expect(s.holes.t0[0]).toBeCloseTo(0.917, 6);
    expect(s.holes.t1[0]).toBeCloseTo(25.91, 6);
    expect(s.holes.open[0]).toBe(1);
    expect(s.holes.kind[0] & HoleKind.Sack).toBeTruthy();
    expect(s.holes.frame[0]).toBe(8);
  });

  it('marks the 1450-byte DF segments as oversized against a 1440 path MTU, and only those', () => {
    const oversized = frames(s).filter((_, i) => s.segFlags[i] & SegFlag.Oversized);
    expect(oversized).toEqual([6, 9, 10, 11, 12, 13, 14, 15]);
    const i = frames(s).indexOf(9);
    expect(s.segFlags[i] & SegFlag.Retransmission).toBeTruthy();
    expect([s.segSeq[i], s.segEnd[i], s.segLen[i], s.segIpLen[i]]).toEqual([346, 1744, 1398, 1450]);
    expect(streamSeries(input, whole({ pathMtu: 1500 })).segFlags.some((f) => f & SegFlag.Oversized)).toBe(false);
  });

  it('carries the SACK block at the time of its ACK, the ACK line and the connection marks', () => {
    expect(s.sackCount).toBe(2);
    expect([s.sackLeft[0], s.sackRight[0], s.sackFrame[0], s.sackDsack[0]]).toEqual([1744, 3051, 8, 0]);
    expect(s.sackTime[0]).toBeCloseTo(0.917, 6);
    expect(Array.from(s.ackSeq)).toEqual([1, 346, 346, 346]);
    expect(s.ackWin[1]).toBe(346 + 65535);
    expect(s.ackFlags[2] & AckFlag.DuplicateAck).toBeTruthy();
    const marks = Array.from(s.markKind, (k, i) => [k, s.markDir[i], s.markFrame[i]]);
    expect(marks).toEqual([[MarkKind.Syn, 0, 1], [MarkKind.Syn, 1, 2], [MarkKind.Fin, 1, 16], [MarkKind.Rst, 0, 17]]);
  });

  it('reports the extent of the whole stream', () => {
    expect(s.extent.seq0).toBe(0);
    expect(s.extent.seq1).toBe(3051);
    expect(s.extent.t1).toBeCloseTo(25.91, 6);
    expect(s.extent.win1).toBe(346 + 65535);
  });

  it('hands out transferable buffers that are not shared with the cache', () => {
    const bufs = seriesTransferables(s);
    expect(new Set(bufs).size).toBe(bufs.length);
    const again = streamSeries(input, whole({ pathMtu: 1440 }));
    expect(again.holes.t0).not.toBe(s.holes.t0);
    structuredClone(s, { transfer: bufs });
    expect(streamSeries(input, whole({ pathMtu: 1440 })).holes.count).toBe(1);
  });
});

describe('streamSeries: holes', () => {
  it('bands "previous segment not captured" until the receiver ACKs past it', () => {
    const s = streamSeries(synth([
      { t: 0, dir: 0, seq: 1, ack: 1, len: 100 },
      { t: 1, dir: 0, seq: 301, ack: 1, len: 100, flags: TcpFlagBit.LostSegment },
      { t: 2, dir: 1, seq: 1, ack: 101 },
      { t: 3, dir: 1, seq: 1, ack: 401 },
      { t: 4, dir: 0, seq: 401, ack: 1, len: 100 },
    ]), whole());
    expect(s.holes.count).toBe(1);
    expect([s.holes.seq0[0], s.holes.seq1[0], s.holes.t0[0], s.holes.t1[0]]).toEqual([101, 301, 1, 3]);
    expect(s.holes.kind[0]).toBe(HoleKind.Uncaptured);
    expect(s.holes.open[0]).toBe(0);
    expect(s.segFlags[1] & SegFlag.LostSegment).toBeTruthy();
  });

  it('closes a SACK hole when the retransmission is ACKed, and shrinks it when partly filled', () => {
    const s = streamSeries(synth([
      { t: 0, dir: 0, seq: 1, len: 300 },
      { t: 1, dir: 1, seq: 1, ack: 101, sack: [[201, 301]] },
      { t: 2, dir: 1, seq: 1, ack: 151, sack: [[201, 301]] },
      { t: 3, dir: 1, seq: 1, ack: 301 },
    ]), whole());
    const bands = Array.from({ length: s.holes.count }, (_, i) => [s.holes.seq0[i], s.holes.seq1[i], s.holes.t0[i], s.holes.t1[i], s.holes.open[i]]);
    expect(bands).toEqual([[101, 201, 1, 2, 0], [151, 201, 2, 3, 0]]);
  });

  it('keeps a hole between two SACK blocks and remembers blocks a later ACK leaves out', () => {
    const s = streamSeries(synth([
      { t: 0, dir: 0, seq: 1, len: 1000 },
      { t: 1, dir: 1, seq: 1, ack: 101, sack: [[201, 301]] },
      { t: 2, dir: 1, seq: 1, ack: 101, sack: [[401, 501], [201, 301]] },
      { t: 3, dir: 1, seq: 1, ack: 101, sack: [[601, 701]] },
    ]), whole());
    const open = Array.from({ length: s.holes.count }, (_, i) => i).filter((i) => s.holes.open[i]);
    const spans = open.map((i) => [s.holes.seq0[i], s.holes.seq1[i]]).sort((a, b) => a[0] - b[0]);
    expect(spans).toEqual([[101, 201], [301, 401], [501, 601]]);
  });

  it('tells a D-SACK block from a plain one', () => {
    const s = streamSeries(synth([
      { t: 0, dir: 0, seq: 1, len: 500 },
      { t: 1, dir: 1, seq: 1, ack: 501, sack: [[101, 201]] },
      { t: 2, dir: 1, seq: 1, ack: 301, sack: [[351, 401], [301, 451]] },
    ]), whole());
    expect(Array.from(s.sackDsack)).toEqual([1, 1, 0]);
    expect(s.holes.count).toBe(0);
  });
});

describe('streamSeries: time windows', () => {
  const input = synth(bulk(1000, 1000, 1e-3, 0.01));

  it('returns only the segments inside the window, and the last ACK before it for the step lines', () => {
    const s = streamSeries(input, whole({ t0: 0.2, t1: 0.3, pixels: 2000 }));
    expect(s.t0).toBe(0.2);
    expect(s.segCount).toBeGreaterThan(95);
    expect(s.segCount).toBeLessThan(105);
    for (const t of s.segTime) expect(t >= 0.2 && t <= 0.3).toBe(true);
    expect(s.ackFlags[0] & AckFlag.Before).toBeTruthy();
    expect(s.ackTime[0]).toBeLessThan(0.2);
    for (let i = 1; i < s.ackCount; i++) expect(s.ackTime[i]).toBeGreaterThanOrEqual(0.2);
    expect(s.extent.t1).toBeGreaterThan(1);
    expect(s.decimated).toBe(false);
  });

  it('serves an empty window without failing', () => {
    const s = streamSeries(input, whole({ t0: 50, t1: 60 }));
    expect(s.segCount).toBe(0);
    expect(s.ackCount).toBeLessThanOrEqual(1);
  });

  it('filters by time when the stream has time stamps going backwards', () => {
    const pkts = bulk(50, 1000, 1e-3, 0.01);
    pkts[10] = { ...pkts[10], t: 0.001 };
    const s = streamSeries(synth(pkts), whole({ t0: 0.02, t1: 0.03 }));
    for (const t of s.segTime) expect(t >= 0.02 && t <= 0.03).toBe(true);
    expect(s.segCount).toBeGreaterThan(5);
  });

  it('keeps only its own stream and direction', () => {
    const pkts: SynthPacket[] = [
      { t: 0, dir: 0, seq: 1, len: 10 },
      { t: 0.1, dir: 0, seq: 1, len: 20, stream: 1 },
      { t: 0.2, dir: 1, seq: 1, len: 30, ack: 11 },
    ];
    const input2 = synth(pkts, 2);
    expect(Array.from(streamSeries(input2, whole()).segLen)).toEqual([10]);
    expect(Array.from(streamSeries(input2, whole({ dir: 1 })).segLen)).toEqual([30]);
    expect(Array.from(streamSeries(input2, whole({ stream: 1 })).segLen)).toEqual([20]);
    expect(streamSeries(input2, whole({ stream: 7 })).segCount).toBe(0);
  });
});

describe('streamSeries: decimation', () => {
  const pkts = bulk(40_000, 1448, 1e-4, 0.02);
  const flagged = new Set<number>();
  for (const k of [100, 5000, 5001, 23_456, 39_990]) {
    const i = pkts.findIndex((p) => p.dir === 0 && p.seq === 1 + k * 1448);
    pkts[i] = { ...pkts[i], flags: TcpFlagBit.Retransmission };
    flagged.add(i + 1);
  }
  const input = synth(pkts);

  it('bounds the marks by the pixel width and never drops a flagged segment', () => {
    const s = streamSeries(input, whole({ pixels: 600, pathMtu: 1500 }));
    expect(s.decimated).toBe(true);
    expect(s.segmentsInWindow).toBe(40_001);
    expect(s.segCount).toBeLessThanOrEqual(600 + flagged.size + 2);
    expect(s.ackCount).toBeLessThanOrEqual(600 * 6);
    const kept = new Set(frames(s).filter((_, i) => s.segFlags[i] & SegFlag.Retransmission));
    expect(kept).toEqual(flagged);
  });

  it('lets the envelopes cover every byte from the lowest seq to the highest end', () => {
    const s = streamSeries(input, whole({ pixels: 600 }));
    let total = 0;
    for (let i = 0; i < s.segCount; i++) if (!(s.segFlags[i] & SegFlag.Syn)) total += s.segN[i];
    expect(total).toBe(40_000);
    const lo = Math.min(...s.segSeq), hi = Math.max(...s.segEnd);
    expect([lo, hi]).toEqual([0, 1 + 40_000 * 1448]);
    const env = Array.from(s.segFlags).findIndex((f) => f & SegFlag.Envelope);
    expect(s.segEnd[env] - s.segSeq[env]).toBe(s.segN[env] * 1448);
  });

  it('does not decimate a zoomed window with few segments', () => {
    const s = streamSeries(input, whole({ t0: 1, t1: 1.05, pixels: 600 }));
    expect(s.decimated).toBe(false);
    expect(s.segN.every((n) => n === 1)).toBe(true);
  });
});

describe('streamSeries: sequence numbers past 2^32', () => {
  it('keeps them growing (unwrapped) in segments, ACKs and SACK blocks', () => {
    const step = 1.5e9;
    const pkts: SynthPacket[] = [];
    for (let i = 0; i < 6; i++) {
      pkts.push({ t: i, dir: 0, seq: 1 + i * step, len: 1000 });
      pkts.push({ t: i + 0.5, dir: 1, seq: 1, ack: 1 + i * step, sack: [[1 + i * step + 500, 1 + i * step + 1000]] });
    }
    const s = streamSeries(synth(pkts), whole());
    expect(Array.from(s.segSeq)).toEqual([0, 1, 2, 3, 4, 5].map((i) => 1 + i * step));
    expect(s.ackSeq[5]).toBe(1 + 5 * step);
    expect(s.sackLeft[5]).toBe(1 + 5 * step + 500);
    expect(s.extent.seq1).toBe(1 + 5 * step + 1000);
  });
});

describe('streamSeries: a wrong path MTU', () => {
  it('still bounds the marks when every segment is flagged oversized, keeping the flag on the merged marks', () => {
    const s = streamSeries(synth(bulk(20_000, 1448, 1e-4, 0.02)), whole({ pixels: 300, pathMtu: 1400 }));
    expect(s.segCount).toBeLessThanOrEqual(300 * 3);
    let n = 0;
    for (let i = 0; i < s.segCount; i++) {
      if (s.segFlags[i] & SegFlag.Syn) continue;
      expect(s.segFlags[i] & SegFlag.Oversized).toBeTruthy();
      n += s.segN[i];
    }
    expect(n).toBe(20_000);
  });
});
