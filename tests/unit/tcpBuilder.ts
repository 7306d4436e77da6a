/**
 * Tiny builder of TCP conversations for the analyzer's tests: fills PacketColumns rows directly
 * (`tcp('A', 'B', { seq, ack, len, flags, win, sack, t })`) and can write the same packets as a
 * classic pcap (Ethernet/IPv4/TCP) so a scenario can be checked against tshark.
 * Sequence numbers are given relative to each side's ISN; the builder adds the ISNs.
 */
import { PacketColumns, emptyRow, clearRow, TcpFlag, L4 } from '../../src/decode/columns';
import { TcpAnalyzer, type TcpAnalyzerOptions } from '../../src/tcp/analyzer';

export type Side = 'A' | 'B';

export interface SegmentSpec {
  seq?: number; // relative to the sender's ISN (default: what the sender sent last + its length)
  ack?: number; // relative to the receiver's ISN (default: what the receiver sent next)
  len?: number;
  flags?: string; // letters: S A F R P, default 'A'
  win?: number; // raw window, default 1000
  mss?: number;
  ws?: number; // window-scale shift option
  sackPerm?: boolean;
  sack?: [number, number][]; // relative to the receiver's ISN
  t?: number; // seconds since the start; default previous + 0.1 ms
}

interface Built {
  spec: Required<Pick<SegmentSpec, 'len' | 'win'>> & SegmentSpec;
  from: Side;
  seqRaw: number;
  ackRaw: number;
  flags: number;
  tSec: number;
}

const FLAG_LETTERS: Record<string, number> = { S: TcpFlag.Syn, A: TcpFlag.Ack, F: TcpFlag.Fin, R: TcpFlag.Rst, P: TcpFlag.Psh };
const T0 = 1_700_000_000;

export class Conversation {
  readonly packets: Built[] = [];
  /** Next relative seq each side will send by default. */
  private next: Record<Side, number> = { A: 0, B: 0 };
  private t = 0;
  readonly addr: Record<Side, [number, number, number, number]> = { A: [10, 0, 0, 1], B: [10, 0, 0, 2] };
  port: Record<Side, number> = { A: 40000, B: 80 };

  constructor(public isn: Record<Side, number> = { A: 1000, B: 500000 }) {}

  tcp(from: Side, spec: SegmentSpec = {}): this {
    const to: Side = from === 'A' ? 'B' : 'A';
    const len = spec.len ?? 0;
    const letters = spec.flags ?? 'A';
    let flags = 0;
    for (const c of letters) flags |= FLAG_LETTERS[c];
    const seq = spec.seq ?? this.next[from];
    const ack = spec.ack ?? this.next[to];
    this.t = spec.t ?? this.t + 0.0001;
    this.packets.push({
      spec: { ...spec, len, win: spec.win ?? 1000 },
      from,
      seqRaw: (this.isn[from] + seq) >>> 0,
      ackRaw: flags & TcpFlag.Ack ? (this.isn[to] + ack) >>> 0 : 0,
      flags,
      tSec: this.t,
    });
    const end = seq + len + (flags & (TcpFlag.Syn | TcpFlag.Fin) ? 1 : 0);
    if (end > this.next[from]) this.next[from] = end;
    return this;
  }

  /** A three-way handshake with window scaling, SACK and MSS; leaves both sides at relative seq 1. */
  handshake(opts: { wsA?: number; wsB?: number; rtt?: number } = {}): this {
    const rtt = opts.rtt ?? 0.01;
    this.tcp('A', { flags: 'S', seq: 0, win: 64240, mss: 1460, ws: opts.wsA, sackPerm: true });
    this.tcp('B', { flags: 'SA', seq: 0, ack: 1, win: 65160, mss: 1460, ws: opts.wsB, sackPerm: true, t: this.t + rtt / 2 });
    this.tcp('A', { seq: 1, ack: 1, t: this.t + rtt / 2 });
    return this;
  }

  /** The packets as analysed: the column table and the analyzer after one pass. */
  analyze(options: TcpAnalyzerOptions = {}): { cols: PacketColumns; tcp: TcpAnalyzer } {
    const cols = new PacketColumns(16);
    const tcp = new TcpAnalyzer(options);
    const r = emptyRow();
    for (const p of this.packets) {
      clearRow(r);
      const to: Side = p.from === 'A' ? 'B' : 'A';
      const s = p.spec;
      const sec = Math.floor(p.tSec);
      r.tsSec = T0 + sec;
      r.tsNsec = Math.round((p.tSec - sec) * 1e9);
      r.l4 = L4.Tcp;
      r.ipVersion = 4;
      r.src = cols.addresses.internV4(ipv4(this.addr[p.from]));
      r.dst = cols.addresses.internV4(ipv4(this.addr[to]));
      r.srcPort = this.port[p.from];
      r.dstPort = this.port[to];
      r.seqRaw = p.seqRaw;
      r.ackRaw = p.ackRaw;
      r.tcpFlags = p.flags;
      r.tcpHdrLen = tcpHeaderLength(s);
      r.tcpLen = s.len;
      r.ipLen = 20 + r.tcpHdrLen + s.len;
      r.winRaw = s.win;
      r.mss = s.mss ?? 0;
      r.wscale = s.ws ?? -1;
      r.sackPerm = s.sackPerm ? 1 : 0;
      for (const [le, re] of s.sack ?? []) cols.pushSack((this.isn[to] + le) >>> 0, (this.isn[to] + re) >>> 0);
      const row = cols.commit(r);
      tcp.process(cols, row);
    }
    return { cols, tcp };
  }

  /** The packets as a classic pcap file (Ethernet, IPv4 with DF, TCP with options, zero payload). */
  toPcap(): Uint8Array {
    const parts: Uint8Array[] = [];
    const gh = new DataView(new ArrayBuffer(24));
    gh.setUint32(0, 0xa1b23c4d, true); // nanosecond time stamps
    gh.setUint16(4, 2, true); gh.setUint16(6, 4, true); gh.setUint32(16, 262144, true); gh.setUint32(20, 1, true);
    parts.push(new Uint8Array(gh.buffer));
    for (const p of this.packets) {
      const to: Side = p.from === 'A' ? 'B' : 'A';
      const s = p.spec;
      const opts = tcpOptions(s, this.isn[to]);
      const tcpLen = 20 + opts.length;
      const frame = new Uint8Array(14 + 20 + tcpLen + s.len);
      const v = new DataView(frame.buffer);
      frame.set([2, 0, 0, 0, 0, to === 'A' ? 1 : 2, 2, 0, 0, 0, 0, p.from === 'A' ? 1 : 2], 0);
      v.setUint16(12, 0x0800);
      v.setUint8(14, 0x45); v.setUint16(16, 20 + tcpLen + s.len); v.setUint16(20, 0x4000); v.setUint8(22, 64); v.setUint8(23, 6);
      frame.set(this.addr[p.from], 26); frame.set(this.addr[to], 30);
      let sum = 0;
      for (let i = 14; i < 34; i += 2) sum += v.getUint16(i);
      while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
      v.setUint16(24, ~sum & 0xffff);
      v.setUint16(34, this.port[p.from]); v.setUint16(36, this.port[to]);
      v.setUint32(38, p.seqRaw); v.setUint32(42, p.ackRaw);
      v.setUint16(46, ((tcpLen / 4) << 12) | p.flags); v.setUint16(48, s.win);
      frame.set(opts, 54);
      const rh = new DataView(new ArrayBuffer(16));
      const sec = Math.floor(p.tSec);
      rh.setUint32(0, T0 + sec, true); rh.setUint32(4, Math.round((p.tSec - sec) * 1e9), true);
      rh.setUint32(8, frame.length, true); rh.setUint32(12, frame.length, true);
      parts.push(new Uint8Array(rh.buffer), frame);
    }
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  }
}

function ipv4(a: [number, number, number, number]): number {
  return ((a[0] << 24) | (a[1] << 16) | (a[2] << 8) | a[3]) >>> 0;
}

function tcpOptions(s: SegmentSpec, peerIsn: number): Uint8Array {
  const b: number[] = [];
  if (s.mss !== undefined) b.push(2, 4, s.mss >> 8, s.mss & 255);
  if (s.sackPerm) b.push(4, 2);
  if (s.ws !== undefined) b.push(1, 3, 3, s.ws);
  if (s.sack && s.sack.length > 0) {
    b.push(1, 1, 5, 2 + 8 * s.sack.length);
    for (const [le, re] of s.sack) for (const e of [(peerIsn + le) >>> 0, (peerIsn + re) >>> 0]) b.push(e >>> 24, (e >>> 16) & 255, (e >>> 8) & 255, e & 255);
  }
  while (b.length % 4 !== 0) b.push(1);
  return new Uint8Array(b);
}

function tcpHeaderLength(s: SegmentSpec): number {
  return 20 + tcpOptions(s, 0).length;
}
