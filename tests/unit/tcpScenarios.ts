/**
 * Small TCP conversations, one per analysis rule, shared by the unit tests (tcpRules.test.ts) and
 * by the synthetic fixtures checked against tshark (tests/fixtures/tcp/synthetic-*.pcap).
 * Times are seconds from the start; sequence numbers are relative.
 */
import { Conversation } from './tcpBuilder';

export const SCENARIOS: Record<string, () => Conversation> = {
  /** Handshake with window scaling, data, ACKs: relative numbers, scaled windows, RTT, bytes in flight. */
  basic: () => new Conversation()
    .handshake({ wsA: 7, wsB: 7 })
    .tcp('A', { len: 100, win: 502 })
    .tcp('A', { len: 100, win: 502 })
    .tcp('B', { ack: 201, win: 510, t: 0.03 })
    .tcp('B', { len: 50, win: 510 })
    .tcp('A', { ack: 51, win: 502 }),

  /** The same segment again 200 ms later: a retransmission (RTO). */
  retransmission: () => new Conversation()
    .handshake({ wsA: 7, wsB: 7 })
    .tcp('A', { len: 100, win: 502, t: 0.02 })
    .tcp('A', { seq: 1, len: 100, win: 502, t: 0.22 })
    .tcp('B', { ack: 101, win: 510, t: 0.23 }),

  /** Segment 2 lost, three duplicate ACKs with SACK, the hole re-sent within 20 ms. */
  fastRetransmission: () => new Conversation()
    .handshake({ wsA: 7, wsB: 7 })
    .tcp('A', { len: 100, win: 502, t: 0.02 })
    .tcp('A', { seq: 201, len: 100, win: 502 })
    .tcp('A', { seq: 301, len: 100, win: 502 })
    .tcp('A', { seq: 401, len: 100, win: 502 })
    .tcp('B', { ack: 101, win: 510, t: 0.03 })
    .tcp('B', { ack: 101, win: 510, sack: [[201, 301]] })
    .tcp('B', { ack: 101, win: 510, sack: [[201, 401]] })
    .tcp('B', { ack: 101, win: 510, sack: [[201, 501]] })
    .tcp('A', { seq: 101, len: 100, win: 502, t: 0.031 })
    .tcp('B', { ack: 501, win: 510, t: 0.045 }),

  /** No handshake (threshold 3 ms): a lower segment arrives 1 ms after a higher one. */
  outOfOrder: () => new Conversation()
    .tcp('A', { seq: 1, len: 100, t: 0.0 })
    .tcp('A', { seq: 201, len: 100, t: 0.0005 })
    .tcp('A', { seq: 101, len: 100, t: 0.0015 })
    .tcp('B', { seq: 1, ack: 301, t: 0.01 }),

  /** Data acknowledged, then sent again: spurious retransmission. */
  spurious: () => new Conversation()
    .handshake({ wsA: 7, wsB: 7 })
    .tcp('A', { len: 100, win: 502, t: 0.02 })
    .tcp('B', { ack: 101, win: 510, t: 0.03 })
    .tcp('A', { seq: 1, len: 100, win: 502, t: 0.25 }),

  /** A gap in the sender's data, then an ACK for data never seen. */
  lostAndAckedUnseen: () => new Conversation()
    .handshake({ wsA: 7, wsB: 7 })
    .tcp('A', { len: 100, win: 502, t: 0.02 })
    .tcp('A', { seq: 201, len: 100, win: 502 })
    .tcp('B', { ack: 301, win: 510, t: 0.03 })
    .tcp('A', { seq: 301, len: 100, win: 502 })
    .tcp('B', { ack: 601, win: 510 }),

  /** A keep-alive (seq = next − 1, 0 bytes) and its answer. */
  keepAlive: () => new Conversation()
    .handshake({ wsA: 7, wsB: 7 })
    .tcp('A', { len: 10, win: 502, t: 0.02 })
    .tcp('B', { ack: 11, win: 510, t: 0.03 })
    .tcp('A', { seq: 10, len: 0, win: 502, t: 45 })
    .tcp('B', { ack: 11, win: 510, t: 45.01 }),

  /** Window closes, a one-byte probe, the probe's ACK, then a window update. */
  zeroWindow: () => new Conversation()
    .handshake({ wsA: 0, wsB: 0 })
    .tcp('A', { len: 500, win: 1000, t: 0.02 })
    .tcp('B', { ack: 501, win: 0, t: 0.03 })
    .tcp('A', { seq: 501, len: 1, win: 1000, t: 0.25 })
    .tcp('B', { ack: 501, win: 0, t: 0.26 })
    .tcp('B', { ack: 501, win: 800, t: 0.5 })
    .tcp('A', { seq: 501, len: 100, win: 1000, t: 0.51 }),

  /** The sender fills the receiver's window exactly. */
  windowFull: () => new Conversation()
    .handshake({ wsA: 2, wsB: 2 })
    .tcp('B', { ack: 1, win: 100, t: 0.02 })
    .tcp('A', { len: 200, win: 502 })
    .tcp('A', { seq: 201, len: 200, win: 502 }),

  /** Duplicate ACKs counted #1..#3, the run ended by a new ACK, a window change in between. */
  dupAcks: () => new Conversation()
    .handshake({ wsA: 7, wsB: 7 })
    .tcp('A', { len: 100, win: 502, t: 0.02 })
    .tcp('B', { ack: 101, win: 510, t: 0.03 })
    .tcp('B', { ack: 101, win: 510 })
    .tcp('B', { ack: 101, win: 510 })
    .tcp('B', { ack: 101, win: 520 })
    .tcp('B', { ack: 101, win: 520 })
    .tcp('A', { seq: 101, len: 100, win: 502, t: 0.5 })
    .tcp('B', { ack: 201, win: 520, t: 0.51 })
    .tcp('B', { ack: 201, win: 520 }),

  /** A connection closed by FIN, then a SYN on the same ports: new ISN, then same ISN after RST. */
  portReuse: () => {
    const c = new Conversation();
    c.handshake({ wsA: 7, wsB: 7 })
      .tcp('A', { flags: 'FA', win: 502, t: 0.1 })
      .tcp('B', { flags: 'FA', ack: 2, win: 510 })
      .tcp('A', { seq: 2, ack: 2, win: 502 });
    c.isn = { A: 777777, B: 900000 };
    c.tcp('A', { flags: 'S', seq: 0, win: 64240, t: 1 })
      .tcp('B', { flags: 'RA', seq: 0, ack: 1, win: 0, t: 1.001 })
      .tcp('A', { flags: 'S', seq: 0, win: 64240, t: 2 })
      .tcp('B', { flags: 'SA', seq: 0, ack: 1, win: 65160, t: 2.001 });
    return c;
  },

  /** A SYN-ACK with a new ISN on a live pair (its SYN not captured). */
  synAckReuse: () => {
    const c = new Conversation();
    c.handshake().tcp('A', { len: 10, win: 502, t: 0.02 });
    c.isn = { A: 1000, B: 123456 };
    c.tcp('B', { flags: 'SA', seq: 0, ack: 1, win: 65160, t: 1 });
    return c;
  },

  /** The SYN sent twice with the same ISN: a retransmission, not a new stream. */
  synRetransmission: () => new Conversation()
    .tcp('A', { flags: 'S', seq: 0, win: 64240, t: 0 })
    .tcp('A', { flags: 'S', seq: 0, win: 64240, t: 1 })
    .tcp('B', { flags: 'SA', seq: 0, ack: 1, win: 65160, t: 1.01 })
    .tcp('A', { seq: 1, ack: 1, t: 1.02 }),

  /** No handshake: the scale is unknown and windows are shown unscaled. */
  midStream: () => new Conversation()
    .tcp('A', { seq: 1, ack: 1, len: 100, win: 502, t: 0 })
    .tcp('B', { seq: 1, ack: 101, win: 510, t: 0.01 }),

  /** Handshake without the window-scale option on the SYN-ACK: no scaling on either side. */
  noScaling: () => new Conversation()
    .handshake({ wsA: 7 })
    .tcp('A', { len: 100, win: 502, t: 0.02 })
    .tcp('B', { ack: 101, win: 510, t: 0.03 }),

  /** A segment sent twice, then partly acknowledged: both copies are trimmed (bytes in flight). */
  partialAckOfCopies: () => new Conversation()
    .handshake({ wsA: 7, wsB: 7 })
    .tcp('A', { len: 1448, win: 502, t: 0.02 })
    .tcp('A', { seq: 1, len: 1448, win: 502, t: 0.3 })
    .tcp('B', { ack: 101, win: 510, t: 0.31 })
    .tcp('A', { seq: 1449, len: 1000, win: 502, t: 0.32 })
    .tcp('A', { seq: 1449, len: 1000, win: 502, t: 0.6 }),

  /** Sequence numbers wrapping past 2^32. */
  wrapAround: () => new Conversation({ A: 0xffffff00, B: 0xfffffff0 })
    .handshake({ wsA: 7, wsB: 7 })
    .tcp('A', { len: 200, win: 502, t: 0.02 })
    .tcp('A', { len: 200, win: 502 })
    .tcp('B', { ack: 401, win: 510, t: 0.03 })
    .tcp('A', { seq: 201, len: 200, win: 502, t: 0.3 }),
};
