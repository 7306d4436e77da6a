/** Conversations for the rate verdicts and their findings (diagnoseRate.test.ts, diagnoseDetectors.test.ts). */
import { ACK, Conv, PSH, SYN } from './diagnoseSynth';

/**
 * A receiver whose window (4000 bytes, no scaling) caps the flight: 100 rounds of four 1000-byte
 * segments, each round acknowledged 20 ms later. 400 kB in about 2 s.
 */
export function windowLimitedConv(): Conv {
  const c = new Conv();
  c.handshake();
  let seq = 1;
  for (let k = 0; k < 100; k++) {
    for (let j = 0; j < 4; j++) { c.seg(0, { seq, len: 1000, dt: j === 0 ? 0.0001 : 0.0001 }); seq += 1000; }
    c.seg(1, { ack: seq, win: 4000, dt: 0.02 });
  }
  return c;
}

/**
 * Requests written in two pieces without TCP_NODELAY: a 4-byte header, then (Nagle) the 200-byte body
 * only after the header's ACK, which the server delays by 40 ms; the 300-byte answer follows.
 */
export function nagleConv(): Conv {
  const c = new Conv();
  c.handshake();
  let a = 1, b = 1;
  for (let k = 0; k < 6; k++) {
    c.seg(0, { seq: a, ack: b, len: 4, flags: ACK | PSH, dt: 0.05 }); a += 4;
    c.seg(1, { seq: b, ack: a, dt: 0.04, win: 65535 });
    c.seg(0, { seq: a, ack: b, len: 200, flags: ACK | PSH, dt: 0.0001 }); a += 200;
    c.seg(1, { seq: b, ack: a, len: 300, flags: ACK | PSH, dt: 0.0015, win: 65535 }); b += 300;
    c.seg(0, { seq: a, ack: b, dt: 0.0001 });
  }
  return c;
}

/** The same requests written in one piece (or with TCP_NODELAY): no hold. */
export function nagleOffConv(): Conv {
  const c = new Conv();
  c.handshake();
  let a = 1, b = 1;
  for (let k = 0; k < 6; k++) {
    c.seg(0, { seq: a, ack: b, len: 4, flags: ACK | PSH, dt: 0.05 }); a += 4;
    c.seg(0, { seq: a, ack: b, len: 200, flags: ACK | PSH, dt: 0.0001 }); a += 200;
    c.seg(1, { seq: b, ack: a, len: 300, flags: ACK | PSH, dt: 0.0015, win: 65535 }); b += 300;
    c.seg(0, { seq: a, ack: b, dt: 0.0001 });
  }
  return c;
}

/**
 * Bursts of 60 segments one second apart over a 20 ms round trip, each one climbing through slow
 * start from 10 segments (10, 20, 30 per round): the window restarted after every pause.
 */
export function idleBurstConv(): Conv {
  const c = new Conv();
  c.handshake();
  let seq = 1;
  for (let b = 0; b < 3; b++) {
    for (const [k, n] of [10, 20, 30].entries()) {
      for (let j = 0; j < n; j++) { c.seg(0, { seq, len: 1000, dt: j === 0 && k === 0 && b > 0 ? 1 : 0.0001 }); seq += 1000; }
      c.seg(1, { ack: seq, win: 65535, dt: 0.02 });
    }
  }
  return c;
}

/**
 * A sender whose own buffer holds the flight: 50 rounds of a burst of 20 segments of 1000 bytes
 * sent back to back, the ACK of the whole burst 20 ms after its last segment, the next burst 0.1 ms
 * after that ACK; the receiver offers 65535 bytes. 1 MB in about 1.1 s.
 */
export function senderBufferConv(): Conv {
  const c = new Conv();
  handshake20(c);
  let seq = 1;
  for (let k = 0; k < 50; k++) {
    for (let j = 0; j < 20; j++) { c.seg(0, { seq, len: 1000, dt: 0.0001 }); seq += 1000; }
    c.seg(1, { ack: seq, win: 65535, dt: 0.02 });
  }
  return c;
}

/**
 * A paced sender: one 1000-byte segment every 6 ms, each acknowledged 20 ms after it left, the
 * receiver offering 65535 bytes: the flight is level too, but the segments leave on the sender's
 * clock, not right after ACKs. 300 kB in about 1.8 s.
 */
export function pacedConv(): Conv {
  const c = new Conv();
  handshake20(c);
  const ev: { t: number; d: 0 | 1; seq?: number; ack?: number }[] = [];
  for (let k = 0; k < 300; k++) {
    ev.push({ t: 0.01 + k * 0.006, d: 0, seq: 1 + k * 1000 });
    ev.push({ t: 0.01 + k * 0.006 + 0.02, d: 1, ack: 1 + (k + 1) * 1000 });
  }
  ev.sort((x, y) => x.t - y.t);
  let t = 0;
  for (const e of ev) {
    const dt = Math.max(1e-6, e.t - t); t = e.t;
    if (e.d === 0) c.seg(0, { seq: e.seq, len: 1000, dt }); else c.seg(1, { ack: e.ack, win: 65535, dt });
  }
  return c;
}

/** SYN, SYN/ACK 20 ms later (the round trip of the conversations above), ACK; MSS 1460 both ways. */
function handshake20(c: Conv): void {
  c.seg(0, { seq: 0, flags: SYN, mss: 1460, ack: 0 });
  c.seg(1, { seq: 0, ack: 1, flags: SYN | ACK, mss: 1460, dt: 0.02 });
  c.seg(0, { seq: 1, ack: 1, dt: 0.0001 });
}
