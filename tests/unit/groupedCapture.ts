/**
 * A small capture with one pattern over several connections, for the grouped findings: a client
 * whose connections to one server are all refused (one finding for them all), beside a connection
 * that loses a segment and sends it again. Written as a classic pcap (tcpBuilder's Ethernet/IPv4).
 */
import { Conversation } from './tcpBuilder';

/** Several conversations' pcaps as one file, in the order given (each starts after the one before). */
function mergePcaps(files: Uint8Array[]): Uint8Array {
  const parts = [files[0].subarray(0, 24), ...files.map((f) => f.subarray(24))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export function groupedCapture(refused = 4): Uint8Array {
  const files: Uint8Array[] = [];
  let t = 0;
  for (let k = 0; k < refused; k++) {
    const c = new Conversation();
    c.port = { A: 41000 + k, B: 9091 };
    c.tcp('A', { flags: 'S', seq: 0, t, mss: 1460, sackPerm: true, win: 64240 }).tcp('B', { flags: 'RA', seq: 0, ack: 1, t: t + 0.0005, win: 0 });
    files.push(c.toPcap());
    t += 0.5;
  }
  // A transfer that loses one segment after the capture point and repairs it after an RTO.
  const c = new Conversation();
  c.port = { A: 42000, B: 80 };
  c.tcp('A', { flags: 'S', seq: 0, t, mss: 1460, sackPerm: true, win: 64240 });
  c.tcp('B', { flags: 'SA', seq: 0, ack: 1, t: t + 0.01, mss: 1460, sackPerm: true, win: 65160 });
  c.tcp('A', { seq: 1, ack: 1, t: t + 0.02 });
  c.tcp('A', { seq: 1, len: 1000, t: t + 0.03 });
  c.tcp('A', { seq: 1001, len: 1000, t: t + 0.031 });
  c.tcp('B', { ack: 1, sack: [[1001, 2001]], t: t + 0.04 });
  c.tcp('A', { seq: 1, len: 1000, t: t + 0.25 });
  c.tcp('B', { ack: 2001, t: t + 0.26 });
  c.tcp('A', { seq: 2001, flags: 'FA', t: t + 0.3 });
  c.tcp('B', { ack: 2002, seq: 1, flags: 'FA', t: t + 0.31 });
  c.tcp('A', { seq: 2002, ack: 2, t: t + 0.32 });
  files.push(c.toPcap());
  return mergePcaps(files);
}
