/**
 * Builds one Ethernet + IPv4/IPv6 + TCP frame straight into the writer's buffer, with the options
 * Linux puts on the wire (SYN: MSS, SACK-permitted, timestamps, window scale; afterwards NOP NOP TS
 * and, when there are holes, NOP NOP SACK) and valid IP and TCP checksums, as a capture taken with
 * checksum offload off would have them.
 */
import type { CaptureWriter } from './captureWriter';
import { Prng } from './prng';

export interface Endpoints {
  v6: boolean;
  /** 4 or 16 bytes each. */
  clientAddr: Uint8Array;
  serverAddr: Uint8Array;
  clientPort: number;
  serverPort: number;
  flowLabel: number;
}

/** One TCP segment as the stream simulation describes it. */
export interface Segment {
  /** µs since the capture's start. */
  t: number;
  fromServer: boolean;
  seq: number;
  ack: number;
  flags: number;
  len: number;
  win: number;
  tsval: number;
  tsecr: number;
  /** SYN options (MSS, SACK-permitted, window scale) instead of the plain timestamp option. */
  syn: boolean;
  mss: number;
  /** SACK edges, pairs of absolute sequence numbers, at most 3 pairs; null when none. */
  sack: number[] | null;
  ipId: number;
}

export const FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;
const WSCALE = 7;

const CLIENT_MAC = [0x02, 0x42, 0xac, 0x11, 0x00, 0x02];
const SERVER_MAC = [0x02, 0x42, 0xac, 0x11, 0x00, 0x01];

/** Payload bytes come from a fixed random block so that building a frame is a memcpy. */
const PATTERN = new Uint8Array(65536);
const PATTERN_PREFIX = new Float64Array(32769);
{
  const rng = new Prng(0x5eed);
  for (let i = 0; i < PATTERN.length; i++) PATTERN[i] = rng.u32() & 255;
  for (let w = 0; w < 32768; w++) PATTERN_PREFIX[w + 1] = PATTERN_PREFIX[w] + ((PATTERN[2 * w] << 8) | PATTERN[2 * w + 1]);
}

function optionsLength(s: Segment): number {
  if (s.syn) return 20;
  if (s.flags & RST && !(s.flags & ACK)) return 0;
  return s.sack ? 16 + 4 * s.sack.length : 12;
}

export function frameLength(e: Endpoints, s: Segment): number {
  return 14 + (e.v6 ? 40 : 20) + 20 + optionsLength(s) + s.len;
}

function sum16(b: Uint8Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i += 2) s += (b[i] << 8) | b[i + 1];
  return s;
}

function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 65536);
  return s;
}

/** Write the frame for `s` at µs `epochUs + s.t`. */
export function writeTcpFrame(w: CaptureWriter, epochUs: number, e: Endpoints, s: Segment): void {
  const frameLen = frameLength(e, s);
  const p = w.beginRecord(epochUs + Math.floor(s.t), frameLen);
  const b = w.buf;
  const dv = w.dv;
  const srcMac = s.fromServer ? SERVER_MAC : CLIENT_MAC;
  const dstMac = s.fromServer ? CLIENT_MAC : SERVER_MAC;
  for (let i = 0; i < 6; i++) { b[p + i] = dstMac[i]; b[p + 6 + i] = srcMac[i]; }
  const src = s.fromServer ? e.serverAddr : e.clientAddr;
  const dst = s.fromServer ? e.clientAddr : e.serverAddr;
  const tcpLen = frameLen - 14 - (e.v6 ? 40 : 20);
  let ip = p + 14;
  let pseudo = 6 + tcpLen;
  if (e.v6) {
    dv.setUint16(p + 12, 0x86dd);
    dv.setUint32(ip, (0x6 << 28) | e.flowLabel);
    dv.setUint16(ip + 4, tcpLen);
    b[ip + 6] = 6;
    b[ip + 7] = 64;
    b.set(src, ip + 8);
    b.set(dst, ip + 24);
    pseudo += sum16(b, ip + 8, ip + 40);
    ip += 40;
  } else {
    dv.setUint16(p + 12, 0x0800);
    dv.setUint16(ip, 0x4500);
    dv.setUint16(ip + 2, 20 + tcpLen);
    dv.setUint16(ip + 4, s.ipId & 0xffff);
    dv.setUint16(ip + 6, 0x4000); // DF: Linux does path MTU discovery
    b[ip + 8] = 64;
    b[ip + 9] = 6;
    dv.setUint16(ip + 10, 0);
    b.set(src, ip + 12);
    b.set(dst, ip + 16);
    dv.setUint16(ip + 10, ~fold(sum16(b, ip, ip + 20)) & 0xffff);
    pseudo += sum16(b, ip + 12, ip + 20);
    ip += 20;
  }
  const tcp = ip;
  const optLen = optionsLength(s);
  dv.setUint16(tcp, s.fromServer ? e.serverPort : e.clientPort);
  dv.setUint16(tcp + 2, s.fromServer ? e.clientPort : e.serverPort);
  dv.setUint32(tcp + 4, s.seq >>> 0);
  dv.setUint32(tcp + 8, s.flags & ACK ? s.ack >>> 0 : 0);
  dv.setUint16(tcp + 12, (((20 + optLen) >> 2) << 12) | s.flags);
  dv.setUint16(tcp + 14, s.win);
  dv.setUint32(tcp + 16, 0); // checksum and urgent pointer
  let o = tcp + 20;
  if (s.syn) {
    b[o] = 2; b[o + 1] = 4; dv.setUint16(o + 2, s.mss);
    b[o + 4] = 4; b[o + 5] = 2;
    b[o + 6] = 8; b[o + 7] = 10; dv.setUint32(o + 8, s.tsval >>> 0); dv.setUint32(o + 12, s.tsecr >>> 0);
    b[o + 16] = 1; b[o + 17] = 3; b[o + 18] = 3; b[o + 19] = WSCALE;
  } else if (optLen > 0) {
    b[o] = 1; b[o + 1] = 1; b[o + 2] = 8; b[o + 3] = 10;
    dv.setUint32(o + 4, s.tsval >>> 0); dv.setUint32(o + 8, s.tsecr >>> 0);
    if (s.sack) {
      b[o + 12] = 1; b[o + 13] = 1; b[o + 14] = 5; b[o + 15] = 2 + 4 * s.sack.length;
      for (let i = 0; i < s.sack.length; i++) dv.setUint32(o + 16 + 4 * i, s.sack[i] >>> 0);
    }
  }
  o += optLen;
  let payloadSum = 0;
  if (s.len > 0) {
    // Even offset keeps the payload's 16-bit words aligned with the pattern's prefix sums.
    const from = (s.seq & 0x3ffe) >>> 0;
    b.set(PATTERN.subarray(from, from + s.len), o);
    const words = s.len >> 1;
    payloadSum = PATTERN_PREFIX[(from >> 1) + words] - PATTERN_PREFIX[from >> 1];
    if (s.len & 1) payloadSum += PATTERN[from + s.len - 1] << 8;
  }
  const sum = fold(pseudo + sum16(b, tcp, o) + payloadSum);
  dv.setUint16(tcp + 16, ~sum & 0xffff);
  w.endRecord();
}

export { WSCALE };
