/**
 * One test per analysis rule, on small conversations built in tests/unit/tcpScenarios.ts (the same
 * ones are checked against tshark 4.0.17 in the oracle test). Rows are 0-based; the handshake is
 * rows 0-2 where there is one.
 */
import { describe, expect, it } from 'vitest';
import { TCP_RULES } from '../../src/tcp/rules';
import { TCP_FLAG_NAMES } from '../../src/tcp/types';
import type { TcpAnalyzer } from '../../src/tcp/analyzer';
import { relativeSack } from '../../src/tcp/sack';
import { SCENARIOS } from './tcpScenarios';

const run = (name: string, opts = {}) => SCENARIOS[name]().analyze(opts);
const flagsOf = (tcp: TcpAnalyzer, row: number) => TCP_FLAG_NAMES.filter((_, b) => (tcp.out.flags[row] >> b) & 1);
const rulesOf = (tcp: TcpAnalyzer, row: number) => tcp.explain(row).map((e) => e.rule);
/** Every flagged row as "row:flag+flag". */
const flagged = (tcp: TcpAnalyzer) => {
  const res: string[] = [];
  for (let i = 0; i < tcp.out.length; i++) if (tcp.out.flags[i]) res.push(`${i}:${flagsOf(tcp, i).join('+')}`);
  return res;
};

describe('relative numbers, windows, ACK matching', () => {
  it('relative seq/ack/nxtseq start at 0 on the SYN and 1 after it', () => {
    const { tcp } = run('basic');
    expect([...tcp.out.seq.subarray(0, 8)]).toEqual([0, 0, 1, 1, 101, 1, 1, 201]);
    expect([...tcp.out.ack.subarray(1, 8)]).toEqual([1, 1, 1, 1, 201, 201, 51]);
    expect([...tcp.out.nxtseq.subarray(0, 8)]).toEqual([1, 1, 1, 101, 201, 1, 51, 201]);
  });

  it('window scaling: SYN windows unscaled, later windows shifted by the sender\'s own scale', () => {
    const { tcp } = run('basic');
    expect(tcp.out.window[0]).toBe(64240);
    expect(tcp.out.window[1]).toBe(65160);
    expect(tcp.out.window[5]).toBe(510 * 128);
    expect(tcp.streams[0].wscale).toEqual([7, 7]);
  });

  it('window scaling: handshake without the option on the SYN-ACK means no scaling on either side', () => {
    const { tcp } = run('noScaling');
    expect(tcp.streams[0].wscale).toEqual([-2, -2]);
    expect(tcp.out.window[3]).toBe(502);
  });

  it('window scaling: without a handshake the scale is unknown and the raw window is shown', () => {
    const { tcp } = run('midStream');
    expect(tcp.streams[0].wscale).toEqual([-1, -1]);
    expect(tcp.out.window[0]).toBe(502);
    expect([tcp.out.seq[0], tcp.out.ack[0], tcp.out.seq[1], tcp.out.ack[1]]).toEqual([1, 1, 1, 101]);
  });

  it('acks_frame and ack_rtt: the ACK matches the segment ending exactly at its ack number', () => {
    const { tcp } = run('basic');
    expect(tcp.out.acksFrame[1]).toBe(0); // SYN-ACK acks the SYN
    expect(tcp.out.acksFrame[5]).toBe(4);
    expect(tcp.out.ackRtt[5]).toBeCloseTo(0.03 - 0.0103, 9);
    expect(tcp.out.acksFrame[3]).toBe(-1);
  });

  it('bytes in flight: span of unacknowledged data after each data packet', () => {
    const { tcp } = run('basic');
    expect([tcp.out.bytesInFlight[3], tcp.out.bytesInFlight[4], tcp.out.bytesInFlight[6]]).toEqual([100, 200, 50]);
    expect(tcp.out.bytesInFlight[5]).toBe(-1); // pure ACK
  });

  it('bytes in flight: a partial ACK trims every copy of a segment sent twice', () => {
    const { tcp } = run('partialAckOfCopies');
    expect([tcp.out.bytesInFlight[6], tcp.out.bytesInFlight[7]]).toEqual([2348, 2348]);
  });

  it('iRTT: SYN to the first ACK without SYN', () => {
    const { tcp } = run('basic');
    expect(tcp.streams[0].irtt).toBeCloseTo(0.01, 9);
    expect(tcp.streams[0].synSeen && tcp.streams[0].synAckSeen).toBe(true);
  });

  it('sequence numbers wrap modulo 2^32', () => {
    const { tcp } = run('wrapAround');
    expect([tcp.out.seq[4], tcp.out.nxtseq[4], tcp.out.ack[5]]).toEqual([201, 401, 401]);
    expect(flagged(tcp)).toEqual(['6:retransmission+spurious_retransmission']);
  });

  it('relative SACK edges: raw edge minus the other side\'s base', () => {
    const { cols, tcp } = run('fastRetransmission');
    expect(relativeSack(cols, tcp, 9)).toEqual([201, 401]);
  });
});

describe('flags, one rule each', () => {
  it('retransmission: data below the highest sequence seen, not a keep-alive, not fast, not out of order', () => {
    const { tcp } = run('retransmission');
    expect(flagged(tcp)).toEqual(['4:retransmission']);
    const [e] = tcp.explain(4);
    expect(e.rule).toBe('retrans.seq-below-next');
    expect(e.values.nextseq).toBe(101);
    expect(e.values.seq).toBe(1);
  });

  it('fast retransmission: ≥ 2 duplicate ACKs asking for this seq, sent < 20 ms after the last one', () => {
    const { tcp } = run('fastRetransmission');
    expect(flagsOf(tcp, 11)).toEqual(['retransmission', 'fast_retransmission']);
    const [e] = tcp.explain(11);
    expect(e.rule).toBe('fast-retrans.dup-acks');
    expect(e.values.revDupAcks).toBe(3);
  });

  it('previous segment not captured: seq beyond the next expected', () => {
    const { tcp } = run('fastRetransmission');
    expect(flagsOf(tcp, 4)).toEqual(['lost_segment']);
    expect(tcp.explain(4)[0].values.gap).toBe(100);
  });

  it('duplicate ACK: same ack, window and seq, no data; numbered #1.. since the original ACK', () => {
    const { tcp } = run('dupAcks');
    expect(flagged(tcp)).toEqual(['5:duplicate_ack', '6:duplicate_ack', '7:window_update', '8:duplicate_ack', '11:duplicate_ack']);
    expect([5, 6, 8, 11].map((r) => tcp.out.dupAckNum[r])).toEqual([1, 2, 3, 1]);
    expect([5, 6, 8, 11].map((r) => tcp.out.dupAckFrame[r])).toEqual([4, 4, 4, 10]);
    expect(rulesOf(tcp, 8)).toEqual(['dup-ack.repeats']);
  });

  it('window update: same ack and seq, no data, a changed non-zero window', () => {
    const { tcp } = run('dupAcks');
    const [e] = tcp.explain(7);
    expect(e.rule).toBe('window-update.changed');
    expect([e.values.prevWindow, e.values.window]).toEqual([510, 520]);
  });

  it('out of order: below the highest seq, within 3 ms of it when the handshake was not seen', () => {
    const { tcp } = run('outOfOrder');
    expect(flagged(tcp)).toEqual(['1:lost_segment', '2:out_of_order']);
    const [e] = tcp.explain(2);
    expect(e.rule).toBe('ooo.soon-after-highest');
    expect(e.values.thresholdMs).toBe(3);
    expect(e.text).toContain('default used when the handshake was not captured');
  });

  it('spurious retransmission: every byte already acknowledged by the receiver', () => {
    const { tcp } = run('spurious');
    expect(flagged(tcp)).toEqual(['5:retransmission+spurious_retransmission']);
    expect(rulesOf(tcp, 5)).toEqual(['spurious.already-acked']);
  });

  it('ACKed unseen segment: an ACK beyond the highest contiguous data seen', () => {
    const { tcp } = run('lostAndAckedUnseen');
    expect(flagged(tcp)).toEqual(['4:lost_segment', '5:ack_lost_segment', '7:ack_lost_segment']);
    expect(tcp.explain(5)[0].values.maxSeen).toBe(101);
  });

  it('keep-alive: 0 or 1 byte at next − 1; keep-alive ACK: the unchanged answer right after it', () => {
    const { tcp } = run('keepAlive');
    expect(flagged(tcp)).toEqual(['5:keep_alive', '6:keep_alive_ack']);
    expect(rulesOf(tcp, 5)).toEqual(['keep-alive.seq-next-minus-one']);
  });

  it('zero window, zero-window probe (1 byte at next), its ACK, then the window update', () => {
    const { tcp } = run('zeroWindow');
    expect(flagged(tcp)).toEqual(['4:zero_window', '5:zero_window_probe', '6:zero_window+zero_window_probe_ack', '7:window_update']);
    // A probe is not a retransmission and does not advance the next expected seq.
    expect(tcp.out.nxtseq[5]).toBe(502);
    expect(flagsOf(tcp, 8)).toEqual([]);
  });

  it('window full: the segment ends exactly at ack + scaled window of the receiver', () => {
    const { tcp } = run('windowFull');
    expect(flagged(tcp)).toEqual(['3:window_update', '5:window_full']);
    expect(tcp.explain(5)[0].values.revWindowBytes).toBe(400);
  });

  it('reused ports: a SYN with a new ISN starts a new stream; the same ISN again is a retransmission', () => {
    const { tcp } = run('portReuse');
    expect([...tcp.out.stream.subarray(0, 10)]).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(flagged(tcp)).toEqual(['6:reused_ports', '8:retransmission', '9:reused_ports']);
    expect(rulesOf(tcp, 6)).toEqual(['reused.new-isn']);
    expect(tcp.streams[1].previousStream).toBe(0);
  });

  it('reused ports (tshark 4.0): a SYN-ACK with a new ISN stays in the stream and re-bases its side', () => {
    const { tcp } = run('synAckReuse');
    expect(tcp.streams.length).toBe(1);
    expect(flagsOf(tcp, 4)).toEqual(['retransmission', 'reused_ports']);
    expect(tcp.out.seq[4]).toBe(0);
    expect(rulesOf(tcp, 4)).toContain('reused.synack-new-isn');
  });

  it('reused ports (modern option): a SYN after RST, even with the same ISN, starts a new stream', () => {
    const { tcp } = run('portReuse', { modernPortReuse: true });
    expect([...tcp.out.stream.subarray(6, 10)]).toEqual([1, 1, 2, 2]);
    expect(rulesOf(tcp, 8)).toEqual(['reused.after-close']);
  });

  it('a SYN sent again with the same ISN is a retransmission in the same stream', () => {
    const { tcp } = run('synRetransmission');
    expect(tcp.streams.length).toBe(1);
    expect(flagged(tcp)).toEqual(['1:retransmission']);
  });
});

describe('explain', () => {
  it('fills every placeholder and names a known rule for every flag of every scenario', () => {
    const ids = new Set(TCP_RULES.map((r) => r.id));
    for (const name of Object.keys(SCENARIOS)) {
      const { tcp } = run(name);
      for (let i = 0; i < tcp.out.length; i++) {
        const ex = tcp.explain(i);
        const shown = new Set(ex.map((e) => e.flag));
        for (const f of flagsOf(tcp, i)) {
          // A fast or spurious retransmission also carries tshark's generic retransmission flag.
          if (f === 'retransmission' && (shown.has('fast_retransmission') || shown.has('spurious_retransmission'))) continue;
          expect(shown.has(f), `${name} row ${i} ${f}`).toBe(true);
        }
        for (const e of ex) {
          expect(ids.has(e.rule)).toBe(true);
          expect(e.text).not.toMatch(/[{}]/);
        }
      }
    }
  });

  it('rule ids are unique', () => {
    const ids = TCP_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('unflagged rows and rows out of range explain nothing', () => {
    const { tcp } = run('basic');
    expect(tcp.explain(3)).toEqual([]);
    expect(tcp.explain(999)).toEqual([]);
  });
});

describe('streams', () => {
  it('non-TCP rows get stream −1; counters per direction', () => {
    const { tcp } = run('basic');
    const s = tcp.streams[0];
    expect(s.packetsDir).toEqual([5, 3]);
    expect(s.bytesDir).toEqual([200, 50]);
    expect(s.firstRow).toBe(0);
    expect(s.lastRow).toBe(7);
  });
});
