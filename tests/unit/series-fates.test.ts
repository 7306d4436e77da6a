/**
 * The chart's marks follow the diagnoses' fate of each segment where it differs from Wireshark's
 * flags: a copy of a packet captured twice or an offload copy is no retransmission, a reordered
 * original neither, a re-send the receiver did not need is drawn as spurious (not as a loss), a
 * re-send Wireshark took for reordering as a retransmission.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AckFlag, applyAckVerdict, applySegVerdict, SegFlag, SegVerdict, streamVerdicts, verdictOfFate, type StreamSeries } from '../../src/view/series';
import { asStreamId } from '../../src/index';
import { loadCore } from '../../web/worker/core';

const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, '..', 'fixtures', 'diagnose', name));

function analysed(bytes: Uint8Array) {
  const run = loadCore().start();
  run.push(bytes);
  return run.finish();
}

function segFlags(s: StreamSeries): Map<number, number> {
  return new Map(Array.from({ length: s.segCount }, (_, i) => [s.segFrame[i], s.segFlags[i]]));
}

const RETRANS = SegFlag.Retransmission | SegFlag.FastRetransmission | SegFlag.SpuriousRetransmission;

describe('segment verdicts', () => {
  it('map the fate keys that change a mark, and no other', () => {
    expect(verdictOfFate('fate.copy')).toBe(SegVerdict.Copy);
    expect(verdictOfFate('fate.offload')).toBe(SegVerdict.Offload);
    expect(verdictOfFate('fate.reordered')).toBe(SegVerdict.Reordered);
    expect(verdictOfFate('fate.spurious')).toBe(SegVerdict.Spurious);
    expect(verdictOfFate('fate.spuriousAcked')).toBe(SegVerdict.Spurious);
    expect(verdictOfFate('fate.deliveredRepair')).toBe(SegVerdict.Retransmission);
    expect(verdictOfFate('fate.repairBefore')).toBe(SegVerdict.Retransmission);
    for (const k of ['fate.delivered', 'fate.lost', 'fate.unresolved', null, undefined]) expect(verdictOfFate(k)).toBe(SegVerdict.None);
  });

  it('apply to the flags: copies and reordered originals lose the retransmission, spurious re-sends are spurious', () => {
    const r = SegFlag.Retransmission | SegFlag.Df;
    expect(applySegVerdict(r, SegVerdict.Copy)).toBe(SegFlag.Copy | SegFlag.Df);
    expect(applySegVerdict(SegFlag.FastRetransmission, SegVerdict.Offload)).toBe(SegFlag.Offload);
    expect(applySegVerdict(r, SegVerdict.Reordered)).toBe(SegFlag.OutOfOrder | SegFlag.Df);
    expect(applySegVerdict(r, SegVerdict.Spurious)).toBe(SegFlag.SpuriousRetransmission | SegFlag.Df);
    expect(applySegVerdict(SegFlag.OutOfOrder, SegVerdict.Retransmission)).toBe(SegFlag.Retransmission);
    // Wireshark's kind of retransmission (fast) stays when the fate agrees it is one.
    expect(applySegVerdict(SegFlag.FastRetransmission, SegVerdict.Retransmission)).toBe(SegFlag.FastRetransmission);
    expect(applySegVerdict(r, SegVerdict.None)).toBe(r);
    expect(applyAckVerdict(AckFlag.DuplicateAck | AckFlag.Sack, SegVerdict.Copy)).toBe(AckFlag.Sack);
    expect(applyAckVerdict(AckFlag.DuplicateAck, SegVerdict.None)).toBe(AckFlag.DuplicateAck);
  });

  it('are asked one direction after the other, aligned with the rows', () => {
    const asked: number[] = [];
    const v = streamVerdicts([4, 5, 6, 7], [0, 0, 0, 0, 0, 1, 0, 1], (row) => { asked.push(row); return row === 5 ? 'fate.copy' : null; });
    expect(asked).toEqual([4, 6, 5, 7]);
    expect([...v]).toEqual([0, SegVerdict.Copy, 0, 0]);
  });
});

describe('the chart of real captures', () => {
  it('a capture of every packet twice: the copies are drawn as copies, the real retransmissions as such', () => {
    const a = analysed(fixture('pmtu-blackhole.node-any.sll2.pcap'));
    const data = segFlags(a.series({ stream: asStreamId(0), dir: 0, t0: NaN, t1: NaN, pixels: 4000, mtu: 0 }));
    // Wireshark flags frame 8, the second copy of frame 7, a retransmission.
    expect(a.tcp.flags[7] & 1).toBe(1);
    for (const f of [2, 8, 10, 20, 22, 30, 32, 40, 43, 56]) {
      expect(data.get(f)! & RETRANS, `frame ${f}`).toBe(0);
      expect(data.get(f)! & SegFlag.Copy, `frame ${f}`).toBeTruthy();
    }
    for (const f of [46, 47, 48, 49, 50, 51, 52]) expect(data.get(f)! & SegFlag.Retransmission, `frame ${f}`).toBeTruthy();
    const acks = a.series({ stream: asStreamId(0), dir: 0, t0: NaN, t1: NaN, pixels: 4000, mtu: 0 });
    const ackFlags = new Map(Array.from({ length: acks.ackCount }, (_, i) => [acks.ackFrame[i], acks.ackFlags[i]]));
    // Frame 45 repeats frame 44: Wireshark's duplicate ACK, not another one.
    expect(ackFlags.get(45)! & AckFlag.DuplicateAck).toBe(0);
  });

  it('a D-SACKed re-send Wireshark calls a retransmission is drawn as spurious', () => {
    const a = analysed(fixture('zero-window.node-eth0.pcap'));
    const f34 = segFlags(a.series({ stream: asStreamId(0), dir: 0, t0: NaN, t1: NaN, pixels: 4000, mtu: 0 })).get(34)!;
    expect(f34 & SegFlag.SpuriousRetransmission).toBeTruthy();
    expect(f34 & SegFlag.Retransmission).toBe(0);
  });

  it('a smaller re-send Wireshark calls out of order is drawn as a retransmission', () => {
    const a = analysed(fixture('pmtu-ok.node-eth0.pcap'));
    const f23 = segFlags(a.series({ stream: asStreamId(0), dir: 0, t0: NaN, t1: NaN, pixels: 4000, mtu: 0 })).get(23)!;
    expect(f23 & SegFlag.Retransmission).toBeTruthy();
    expect(f23 & SegFlag.OutOfOrder).toBe(0);
  });

  it('the sample is drawn as before: its retransmissions are retransmissions', () => {
    const a = analysed(readFileSync(path.resolve(import.meta.dirname, '..', '..', 'public', 'samples', 'pmtu-blackhole.pcap')));
    const data = segFlags(a.series({ stream: asStreamId(0), dir: 0, t0: NaN, t1: NaN, pixels: 4000, mtu: 0 }));
    for (const f of [24, 25, 26, 27, 28, 29, 30]) expect(data.get(f)! & SegFlag.Retransmission).toBeTruthy();
    expect(data.get(21)! & RETRANS).toBe(0);
  });
});
