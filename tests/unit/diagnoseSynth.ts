/** Builds small synthetic TCP conversations straight into the packet table, for diagnosis tests. */
import { L4, PacketColumns, TcpFlag, emptyRow, type PacketRow } from '../../src/decode/columns';

export const SYN = TcpFlag.Syn, ACK = TcpFlag.Ack, RST = TcpFlag.Rst, FIN = TcpFlag.Fin, PSH = TcpFlag.Psh;

export interface SegOpts {
  /** Seconds after the previous packet. */
  dt?: number;
  seq?: number;
  ack?: number;
  len?: number;
  flags?: number;
  win?: number;
  sack?: [number, number][];
  /** IP total length override (else 20 + 32 + len). */
  ipLen?: number;
  df?: number;
  mss?: number;
  iface?: number;
  ipId?: number;
}

/** A connection between A (client, 10.0.0.1:40000) and B (10.0.0.2:80); ISNs 1000 and 5000. */
export class Conv {
  readonly cols = new PacketColumns(64);
  private t = 1_700_000_000;
  private readonly addr: [number, number];
  readonly isn: [number, number] = [1000, 5000];
  private id = 1;

  constructor() {
    this.addr = [this.cols.addresses.internV4(0x0a000001), this.cols.addresses.internV4(0x0a000002)];
  }

  /** Append one TCP packet from side d (0 = A, 1 = B); seq/ack are relative to the ISNs. Returns its frame number. */
  seg(d: 0 | 1, o: SegOpts = {}): number {
    this.t += o.dt ?? 0.001;
    const r: PacketRow = emptyRow();
    r.tsSec = Math.floor(this.t);
    r.tsNsec = Math.round((this.t - Math.floor(this.t)) * 1e9);
    r.iface = o.iface ?? 0;
    r.ipVersion = 4;
    const len = o.len ?? 0;
    r.ipLen = o.ipLen ?? 20 + 32 + len;
    r.ipDf = o.df ?? 1;
    r.ipId = o.ipId ?? this.id++;
    r.ipTtl = 64;
    r.src = this.addr[d]; r.dst = this.addr[1 - d];
    r.srcPort = d === 0 ? 40000 : 80; r.dstPort = d === 0 ? 80 : 40000;
    r.l4 = L4.Tcp;
    const flags = o.flags ?? ACK;
    r.tcpFlags = flags;
    r.seqRaw = (this.isn[d] + (o.seq ?? 1)) >>> 0;
    r.ackRaw = flags & ACK ? (this.isn[1 - d] + (o.ack ?? 1)) >>> 0 : 0;
    r.tcpLen = len;
    r.tcpHdrLen = 32;
    r.winRaw = o.win ?? 1000;
    r.mss = o.mss ?? 0;
    r.wscale = flags & SYN ? 0 : -1;
    r.hasTs = 1;
    r.tsval = Math.round(this.t * 1000) >>> 0;
    for (const [l, rr] of o.sack ?? []) this.cols.pushSack((this.isn[1 - d] + l) >>> 0, (this.isn[1 - d] + rr) >>> 0);
    return this.cols.commit(r) + 1;
  }

  /** SYN, SYN/ACK, ACK with MSS 1460 both ways. */
  handshake(): void {
    this.seg(0, { seq: 0, flags: SYN, mss: 1460, ack: 0 });
    this.seg(1, { seq: 0, ack: 1, flags: SYN | ACK, mss: 1460, dt: 0.002 });
    this.seg(0, { seq: 1, ack: 1 });
  }

  /** An ICMP "fragmentation needed" from a router quoting A's segment at relative `seq`. */
  icmpPtb(mtu: number, seq: number, quotedLen: number, dt = 0.0001): number {
    this.t += dt;
    const r = emptyRow();
    r.tsSec = Math.floor(this.t);
    r.tsNsec = Math.round((this.t - Math.floor(this.t)) * 1e9);
    r.ipVersion = 4; r.ipLen = 576; r.l4 = L4.Icmp;
    r.src = this.cols.addresses.internV4(0x0a0000fe); r.dst = this.addr[0];
    r.icmpType = 3; r.icmpCode = 4; r.icmpMtu = mtu;
    r.qSrc = this.addr[0]; r.qDst = this.addr[1]; r.qSrcPort = 40000; r.qDstPort = 80;
    r.qSeqRaw = (this.isn[0] + seq) >>> 0; r.qIpLen = quotedLen;
    return this.cols.commit(r) + 1;
  }
}
