/**
 * One test per analysis rule, on small conversations built in tests/unit/tcpScenarios.ts (the same
 * ones are checked against tshark 4.0.17 in the oracle test). Rows are 0-based; the handshake is
 * rows 0-2 where there is one.
 */
import { describe, expect, it } from 'vitest';
import { TCP_RULES } from '../../src/tcp/rules';
import { TCP_FLAG_NAMES } from '../../src/tcp/types';
import { TcpAnalyzer } from '../../src/tcp/analyzer';
import { Anomaly, type PacketColumns } from '../../src/decode/columns';
import { CaptureSession } from '../../src/pipeline';
import { createCaptureReader } from '../../src/capture';
import { caveats, renderCaveat } from '../../src/diagnose/index';
import { LANGS } from '../../src/i18n/index';
import { relativeSack } from '../../src/tcp/sack';
import { SCENARIOS } from './tcpScenarios';
import { Conversation } from './tcpBuilder';

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

/**
 * Rules of tshark 4.0 found by experiment: each conversation below was written as a pcap with the
 * builder and read by tshark 4.0.17; the expectations are tshark's flags, frame by frame.
 */
describe('tshark 4.0 rules found by experiment', () => {
  const hs = () => new Conversation().handshake({ wsA: 7, wsB: 7 });
  const analyze = (c: Conversation) => c.analyze().tcp;

  it('ack_lost_segment: flagged once, then quiet until the data sender sends a new ACK value', () => {
    const tcp = analyze(hs()
      .tcp('A', { len: 100, t: 0.02 })
      .tcp('B', { ack: 301, t: 0.03 }) // 4: beyond A's data
      .tcp('B', { ack: 401, t: 0.032 }) // 5: quiet
      .tcp('B', { len: 10, ack: 401, t: 0.033 }) // 6: quiet
      .tcp('A', { ack: 11, t: 0.034 }) // 7: A acks something new: armed again
      .tcp('B', { ack: 501, t: 0.035 }) // 8: flagged
      .tcp('B', { ack: 601, t: 0.036 })); // 9: quiet
    expect(flagged(tcp)).toEqual(['4:ack_lost_segment', '8:ack_lost_segment']);
    expect(rulesOf(tcp, 8)).toEqual(['ack-lost.ack-above-seen']);
  });

  it('ack_lost_segment: a new hole in the sender\'s data flags again; a hole filled before the ACK does not', () => {
    const newHole = analyze(hs()
      .tcp('A', { len: 100, t: 0.02 })
      .tcp('B', { ack: 301, t: 0.03 }) // 4
      .tcp('B', { ack: 401, t: 0.032 }) // 5: quiet
      .tcp('A', { seq: 501, len: 100, t: 0.04 }) // 6: a hole
      .tcp('B', { ack: 701, t: 0.05 }) // 7: flagged (the hole)
      .tcp('B', { ack: 801, t: 0.051 })); // 8: quiet again
    expect(flagged(newHole)).toEqual(['4:ack_lost_segment', '6:lost_segment', '7:ack_lost_segment']);
    const filled = analyze(hs()
      .tcp('A', { len: 100, t: 0.02 })
      .tcp('B', { ack: 301, t: 0.03 }) // 4
      .tcp('A', { seq: 301, len: 100, t: 0.031 }) // 5: a hole...
      .tcp('A', { seq: 101, len: 200, t: 0.0311 }) // 6: ...filled
      .tcp('B', { ack: 801, t: 0.032 })); // 7: quiet
    expect(flagged(filled)).toEqual(['4:ack_lost_segment', '5:lost_segment', '6:retransmission+spurious_retransmission']);
  });

  it('ack_lost_segment: not while the data sender repeats its ACK; its duplicate-ACK run then restarts at #1', () => {
    const tcp = analyze(hs()
      .tcp('A', { len: 100, t: 0.02 })
      .tcp('A', { ack: 1, t: 0.021 }) // 4: dup #1
      .tcp('A', { ack: 1, t: 0.022 }) // 5: dup #2
      .tcp('B', { ack: 301, t: 0.03 }) // 6: beyond A's data, not flagged
      .tcp('A', { ack: 1, t: 0.033 })); // 7: dup #1 again
    expect(flagged(tcp)).toEqual(['4:duplicate_ack', '5:duplicate_ack', '7:duplicate_ack']);
    expect([4, 5, 7].map((r) => tcp.out.dupAckNum[r])).toEqual([1, 2, 1]);
    expect(tcp.out.dupAckFrame[7]).toBe(2);
    // With a hole the duplicate ACKs do not matter, and the run goes on.
    const hole = analyze(hs()
      .tcp('A', { len: 100, t: 0.02 })
      .tcp('A', { seq: 201, len: 100, t: 0.0201 }) // 4: hole
      .tcp('A', { ack: 1, t: 0.021 }) // 5: dup #1
      .tcp('A', { ack: 1, t: 0.022 }) // 6: dup #2
      .tcp('B', { ack: 251, t: 0.03 }) // 7: flagged (hole)
      .tcp('A', { ack: 1, t: 0.033 }) // 8: dup #3
      .tcp('B', { ack: 351, t: 0.034 }) // 9: no hole now, A repeating: quiet
      .tcp('A', { ack: 1, t: 0.035 })); // 10: dup #1
    expect(flagged(hole)).toEqual(['4:lost_segment', '5:duplicate_ack', '6:duplicate_ack', '7:ack_lost_segment', '8:duplicate_ack', '10:duplicate_ack']);
    expect([5, 6, 8, 10].map((r) => hole.out.dupAckNum[r])).toEqual([1, 2, 3, 1]);
  });

  it('ack_lost_segment then fast_retransmission: the quiet duplicate-ACK counter passes the "≥ 2 duplicate ACKs" test', () => {
    const tcp = analyze(new Conversation().handshake({ wsA: 0, wsB: 0 })
      .tcp('A', { len: 274, t: 0.06 })
      .tcp('B', { ack: 275, t: 0.0601 })
      .tcp('B', { flags: 'FA', ack: 275, t: 0.0607 })
      .tcp('A', { seq: 275, ack: 1, len: 1440, t: 0.14 })
      .tcp('B', { flags: 'FA', seq: 1, ack: 1723, t: 0.1404 }) // 7
      .tcp('A', { seq: 1723, ack: 1, len: 1448, t: 0.23 })
      .tcp('B', { flags: 'FA', seq: 1, ack: 3171, t: 0.2317 })); // 9
    expect(flagged(tcp)).toEqual(['7:retransmission+fast_retransmission+ack_lost_segment', '8:lost_segment',
      '9:retransmission+fast_retransmission+ack_lost_segment']);
  });

  it('zero-window probe: an ACK one above the probe byte is an ACK of unseen data in 4.0 (no "probe accepted")', () => {
    const zw = () => new Conversation().handshake({ wsA: 0, wsB: 0 })
      .tcp('A', { len: 500, win: 1000, t: 0.02 })
      .tcp('B', { ack: 501, win: 0, t: 0.03 })
      .tcp('A', { seq: 501, len: 1, win: 1000, t: 0.25 }); // 5: probe
    const opened = analyze(zw().tcp('B', { ack: 502, win: 800, t: 0.26 }).tcp('A', { seq: 502, len: 100, win: 1000, t: 0.51 }));
    expect(flagged(opened)).toEqual(['4:zero_window', '5:zero_window_probe', '6:ack_lost_segment', '7:lost_segment']);
    const stillZero = analyze(zw().tcp('B', { ack: 502, win: 0, t: 0.26 }));
    expect(flagged(stillZero)).toEqual(['4:zero_window', '5:zero_window_probe', '6:ack_lost_segment+zero_window']);
  });

  it('SYN sent again with the same ISN: the next expected seq goes back to the contiguous data (after a RST with a far seq)', () => {
    const afterRst = analyze(new Conversation()
      .tcp('A', { flags: 'S', seq: 0, win: 64240, t: 0 })
      .tcp('A', { flags: 'R', seq: 500000, t: 0.5 })
      .tcp('A', { flags: 'S', seq: 0, win: 64240, t: 1 }) // 2
      .tcp('B', { flags: 'SA', seq: 0, ack: 1, win: 65160, t: 1.01 })
      .tcp('A', { seq: 1, ack: 1, t: 1.02 })
      .tcp('A', { seq: 1, ack: 1, len: 100, t: 1.03 }) // 5: new data, not a retransmission
      .tcp('B', { seq: 1, ack: 101, t: 1.04 }));
    expect(flagged(afterRst)).toEqual(['2:retransmission']);
    expect(afterRst.streams.length).toBe(1);
    const afterHole = analyze(new Conversation().handshake()
      .tcp('A', { seq: 1, ack: 1, len: 100, t: 0.03 })
      .tcp('A', { seq: 301, ack: 1, len: 100, t: 0.04 }) // 4: hole
      .tcp('A', { flags: 'S', seq: 0, win: 64240, t: 1 }) // 5
      .tcp('A', { seq: 101, ack: 1, len: 100, t: 1.03 }) // 6: new data
      .tcp('A', { seq: 401, ack: 1, len: 100, t: 1.04 })); // 7: beyond 201: a hole again
    expect(flagged(afterHole)).toEqual(['4:lost_segment', '5:retransmission', '7:lost_segment']);
  });

  it('window scale option above 14: clamped to 14 (RFC 7323), not read as "no option"', () => {
    const { cols, tcp } = new Conversation().handshake({ wsA: 255, wsB: 20 })
      .tcp('A', { len: 100, win: 2, t: 0.02 })
      .tcp('B', { ack: 101, win: 3, t: 0.03 })
      .analyze();
    expect([cols.wscale[0], cols.wscale[1]]).toEqual([14, 14]);
    expect(tcp.streams[0].wscale).toEqual([14, 14]);
    expect([...tcp.out.window.subarray(2, 5)]).toEqual([1000 * 16384, 2 * 16384, 3 * 16384]);
  });
});

/** The records of a classic pcap written by the builder, rewritten by `edit` (which may cut a frame: its original length stays). */
function rewritePcap(pcap: Uint8Array, edit: (index: number, frame: Uint8Array) => Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [pcap.subarray(0, 24)];
  const v = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
  for (let o = 24, i = 0; o < pcap.length; i++) {
    const cap = v.getUint32(o + 8, true);
    const frame = edit(i, pcap.slice(o + 16, o + 16 + cap));
    const rh = pcap.slice(o, o + 16);
    new DataView(rh.buffer).setUint32(8, frame.length, true);
    parts.push(rh, frame);
    o += 16 + cap;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let k = 0;
  for (const p of parts) { out.set(p, k); k += p.length; }
  return out;
}

function analyzePcap(bytes: Uint8Array): { cols: PacketColumns; tcp: TcpAnalyzer } {
  const tcp = new TcpAnalyzer();
  const session = new CaptureSession({ processors: [tcp], createReader: (sink) => createCaptureReader(sink) });
  session.push(bytes);
  session.end();
  return { cols: session.columns, tcp };
}

describe('tcp.len when the IP length says more than the frame holds (tshark 4.0)', () => {
  // Frames: Ethernet 14 + IPv4 20 + TCP 20 (no options on the data segments) + payload.
  const conv = () => new Conversation().handshake()
    .tcp('A', { len: 100, t: 0.02 }) // 3
    .tcp('A', { len: 100, t: 0.021 }) // 4
    .tcp('A', { len: 100, t: 0.022 }) // 5
    .tcp('B', { ack: 301, t: 0.03 });

  it('IP total length beyond the frame\'s original length: the segment ends with the frame', () => {
    const pcap = rewritePcap(conv().toPcap(), (i, f) => {
      if (i === 3) new DataView(f.buffer).setUint16(16, 1040); // the frame holds 100 bytes of payload
      return f;
    });
    const { cols, tcp } = analyzePcap(pcap);
    expect([...cols.tcpLen.subarray(3, 6)]).toEqual([100, 100, 100]);
    expect(cols.ipLen[3]).toBe(1040);
    expect(cols.anomalies[3] & Anomaly.IpLenBeyondCaptured).not.toBe(0);
    // Read as 1000 bytes, the next two segments would be out of order.
    expect(flagged(tcp)).toEqual([]);
  });

  it('the decode-anomalies caveat names those frames, in every language; a snaplen cut is not named', () => {
    const damaged = rewritePcap(conv().toPcap(), (i, f) => {
      if (i === 3) new DataView(f.buffer).setUint16(16, 1040);
      return f;
    });
    const [c] = caveats({ cols: analyzePcap(damaged).cols });
    expect(c.kind).toBe('decode-anomalies');
    expect(c.details.map((d) => d.key)).toEqual(['caveat.anomaly.ipLenBeyondFrame']);
    expect(c.frames).toEqual([4]);
    for (const lang of LANGS) {
      const text = renderCaveat(c, lang).details[0];
      expect(text).toContain('tshark');
      expect(text).not.toMatch(/[{}]/);
    }
    const cut = rewritePcap(conv().toPcap(), (i, f) => (i === 3 ? f.subarray(0, 54 + 10) : f));
    expect(caveats({ cols: analyzePcap(cut).cols })).toEqual([]);
  });

  it('a frame cut by snaplen keeps the IP length (the frame was that long on the wire)', () => {
    const pcap = rewritePcap(conv().toPcap(), (i, f) => (i === 3 ? f.subarray(0, 54 + 10) : f));
    const { cols, tcp } = analyzePcap(pcap);
    expect(cols.capLen[3]).toBe(64);
    expect(cols.tcpLen[3]).toBe(100);
    expect(flagged(tcp)).toEqual([]);
  });
});
