/**
 * Where tshark 4.0 is wrong and we keep our own reading: one test per entry of TSHARK_DIFFERENCES
 * (src/tcp/tshark.ts), named by its id, showing our reading and saying why. Each case was checked
 * with tshark 4.0.17 on the same packets written as a pcap by the builder (what tshark does is in
 * the entry's `tshark` text). Comparisons against tshark list these with TSHARK_DIFFERENCES.
 */
import { describe, expect, it } from 'vitest';
import { CaptureSession } from '../../src/pipeline';
import { createCaptureReader } from '../../src/capture';
import { TcpAnalyzer } from '../../src/tcp/analyzer';
import { TSHARK_DIFFERENCES, tsharkAckRtt } from '../../src/tcp/tshark';
import { TCP_FLAG_NAMES } from '../../src/tcp/types';
import { Conversation } from './tcpBuilder';

const flagsOf = (tcp: TcpAnalyzer, row: number) => TCP_FLAG_NAMES.filter((_, b) => (tcp.out.flags[row] >> b) & 1);
const reasonOf = (id: string) => {
  const d = TSHARK_DIFFERENCES.find((x) => x.id === id);
  if (!d) throw new Error(id);
  return d.reason;
};

describe('where tshark 4.0 is wrong and we keep our reading', () => {
  it('every difference has a test below', () => {
    expect(TSHARK_DIFFERENCES.map((d) => d.id)).toEqual([
      'ack-rtt-zero', 'ack-rtt-negative', 'wscale-on-non-syn', 'empty-sack-option', 'fin-after-10000-unacked',
    ]);
  });

  // Rows 3, 5, 7 are data; 4 acks 3 at the same instant, 6 acks 5 with a time stamp 5 ms earlier.
  const rtt = () => new Conversation().handshake({ wsA: 7, wsB: 7 })
    .tcp('A', { len: 100, t: 0.02 })
    .tcp('B', { ack: 101, t: 0.02 })
    .tcp('A', { len: 100, t: 0.03 })
    .tcp('B', { ack: 201, t: 0.025 })
    .tcp('A', { len: 100, t: 0.04 })
    .tcp('B', { ack: 301, t: 0.041 })
    .analyze();

  it(`ack-rtt-zero: an RTT of exactly 0 is a sample for us (${reasonOf('ack-rtt-zero')}); the fields output hides it as tshark`, () => {
    const { cols, tcp } = rtt();
    expect(tcp.out.acksFrame[4]).toBe(3);
    expect(tcp.out.ackRtt[4]).toBe(0);
    expect(tsharkAckRtt(cols, tcp.out, 4)).toBeNaN();
    expect(tsharkAckRtt(cols, tcp.out, 8)).toBeCloseTo(0.001, 9);
  });

  it(`ack-rtt-negative: a negative RTT is no sample for us (${reasonOf('ack-rtt-negative')}); the fields output prints it as tshark`, () => {
    const { cols, tcp } = rtt();
    expect(tcp.out.acksFrame[6]).toBe(5);
    expect(tcp.out.ackRtt[6]).toBe(-1);
    expect(tsharkAckRtt(cols, tcp.out, 6)).toBeCloseTo(-0.005, 9);
  });

  it(`wscale-on-non-syn: a window-scale option after the handshake is ignored (${reasonOf('wscale-on-non-syn')})`, () => {
    const { tcp } = new Conversation().handshake({ wsA: 7, wsB: 7 })
      .tcp('A', { len: 100, win: 100, ws: 2, t: 0.02 })
      .tcp('A', { len: 100, win: 100, t: 0.021 })
      .analyze();
    // tshark 4.0 shows 400 for row 4 (scale 4 from row 3's option).
    expect([tcp.out.window[3], tcp.out.window[4]]).toEqual([12800, 12800]);
    expect(tcp.streams[0].wscale).toEqual([7, 7]);
  });

  it(`empty-sack-option: a SACK option without blocks does not hide the frame's analysis (${reasonOf('empty-sack-option')})`, () => {
    const conv = new Conversation().handshake({ wsA: 7, wsB: 7 })
      .tcp('A', { len: 100, t: 0.02 })
      .tcp('B', { ack: 101, t: 0.03 })
      .tcp('B', { ack: 101, t: 0.031, sack: [[201, 301]] }) // 5: its SACK option is emptied below
      .tcp('B', { ack: 101, t: 0.032 });
    const pcap = conv.toPcap();
    const v = new DataView(pcap.buffer);
    let o = 24;
    for (let i = 0; i < 5; i++) o += 16 + v.getUint32(o + 8, true);
    const opt = o + 16 + 54; // NOP NOP kind=5 len=10 + 8 bytes of block → NOP NOP 5 2 + NOPs
    pcap[opt + 3] = 2;
    pcap.fill(1, opt + 4, opt + 12);
    const tcp = new TcpAnalyzer();
    const session = new CaptureSession({ processors: [tcp], createReader: (sink) => createCaptureReader(sink) });
    session.push(pcap);
    session.end();
    // tshark 4.0: row 5 "Malformed Packet", no flag (it still counts it: row 6 is its Dup ACK #2).
    expect(session.columns.sackCount[5]).toBe(0);
    expect(flagsOf(tcp, 5)).toEqual(['duplicate_ack']);
    expect([tcp.out.dupAckNum[5], tcp.out.dupAckNum[6]]).toEqual([1, 2]);
  });

  it(`fin-after-10000-unacked: a FIN after 10,000 unacknowledged segments still takes its +1 (${reasonOf('fin-after-10000-unacked')})`, () => {
    const conv = new Conversation().handshake({ wsA: 7, wsB: 7 });
    for (let i = 0; i < 10001; i++) conv.tcp('A', { len: 10, t: 0.02 + i * 1e-6 });
    conv.tcp('A', { flags: 'FA', t: 0.05 }).tcp('B', { flags: 'FA', ack: 100012, t: 0.06 }).tcp('A', { ack: 2, t: 0.07 });
    const { tcp } = conv.analyze();
    const fin = conv.packets.length - 3;
    expect(tcp.out.nxtseq[fin]).toBe(100012);
    // tshark 4.0: the FIN's ACK is "ACKed unseen segment", A's last ACK "previous segment not captured".
    expect([flagsOf(tcp, fin + 1), flagsOf(tcp, fin + 2)]).toEqual([[], []]);
  });
});
