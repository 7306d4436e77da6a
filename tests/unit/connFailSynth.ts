/**
 * Synthetic captures of many connections between several hosts, for the handshake diagnoses
 * (syn-dropped, paws-drop, asymmetric-path): each packet placed at an absolute time, with its own
 * addresses, ports, TCP timestamp and capture interface.
 */
import { L4, PacketColumns, TcpFlag, emptyRow } from '../../src/decode/columns';

export const SYN = TcpFlag.Syn, ACK = TcpFlag.Ack, RST = TcpFlag.Rst, FIN = TcpFlag.Fin, PSH = TcpFlag.Psh;

export interface Pkt {
  /** Seconds from the capture's start. */
  t: number;
  src: number;
  dst: number;
  sport: number;
  dport: number;
  flags: number;
  seq: number;
  ack?: number;
  len?: number;
  tsval?: number;
  /** Linux cooked capture interface index (-1: none). */
  ifindex?: number;
  /** Ethernet source and destination (6 bytes each); none: no Ethernet header. */
  ethSrc?: number[];
  ethDst?: number[];
}

/** Packets collected in any order, committed sorted by time. */
export class Net {
  private readonly pkts: Pkt[] = [];
  /** IPv4 address 10.0.0.n as a number. */
  static ip(n: number): number {
    return 0x0a000000 + n;
  }

  add(p: Pkt): void {
    this.pkts.push(p);
  }

  /**
   * A connection from client c:cport to server s:sport. `syns`: times of the client's SYNs; `answer`:
   * when the SYN-ACK comes (null: never); then a request and a response and FINs. `tsval(t)`: the
   * client's timestamp clock; `synAckIf`/`ifindex`: capture interfaces; `hideSynAck`: the SYN-ACK is
   * not captured (the rest is).
   */
  conn(o: {
    c: number; cport: number; s: number; sport: number; syns: number[]; answer: number | null;
    tsval?: (t: number) => number; ifindex?: number; synAckIf?: number; hideSynAck?: boolean; rtt?: number;
    /** Ethernet addresses: the client's, its gateway's, and the SYN-ACK's source when another. */
    macs?: { client: number[]; gw: number[]; synAckFrom?: number[] };
  }): void {
    const ts = o.tsval ?? ((t: number) => Math.round(t * 1000) + 1_000_000);
    const cIsn = 1000 + o.cport, sIsn = 9000 + o.cport;
    const ifx = o.ifindex ?? -1;
    const rtt = o.rtt ?? 0.002;
    const c = Net.ip(o.c), s = Net.ip(o.s);
    const mc = o.macs;
    const add = (p: Pkt): void => {
      if (mc) {
        const fromClient = p.src === c;
        p.ethSrc = fromClient ? mc.client : p.flags === (SYN | ACK) ? mc.synAckFrom ?? mc.gw : mc.gw;
        p.ethDst = fromClient ? mc.gw : mc.client;
      }
      this.add(p);
    };
    for (const t of o.syns) add({ t, src: c, dst: s, sport: o.cport, dport: o.sport, flags: SYN, seq: cIsn, tsval: ts(t), ifindex: ifx });
    if (o.answer === null) return;
    const a = o.answer;
    if (!o.hideSynAck) add({ t: a, src: s, dst: c, sport: o.sport, dport: o.cport, flags: SYN | ACK, seq: sIsn, ack: cIsn + 1, tsval: 7, ifindex: o.synAckIf ?? ifx });
    const up = (t: number, len: number, flags = ACK | PSH): void => add({ t, src: c, dst: s, sport: o.cport, dport: o.sport, flags, seq: cIsn + 1 + (flags & FIN ? 20 : 0), ack: sIsn + 1 + (t > a + 2 * rtt ? 100 : 0), len, tsval: ts(t), ifindex: ifx });
    const down = (t: number, len: number, flags = ACK | PSH): void => add({ t, src: s, dst: c, sport: o.sport, dport: o.cport, flags, seq: sIsn + 1 + (flags & FIN ? 100 : 0), ack: cIsn + 1 + 20 + (flags & FIN ? 1 : 0), len, tsval: 8, ifindex: ifx });
    up(a + rtt / 2, 0, ACK);
    add({ t: a + rtt / 2 + 0.0001, src: c, dst: s, sport: o.cport, dport: o.sport, flags: ACK | PSH, seq: cIsn + 1, ack: sIsn + 1, len: 20, tsval: ts(a), ifindex: ifx });
    down(a + rtt * 1.5, 100);
    up(a + rtt * 2 + 0.001, 0, ACK | FIN);
    down(a + rtt * 3, 0, ACK | FIN);
  }

  /** A long transfer from client c to server s carrying data every `every` seconds from t0 to t1. */
  transfer(c: number, cport: number, s: number, sport: number, t0: number, t1: number, every = 0.5): void {
    const ci = Net.ip(c), si = Net.ip(s);
    const cIsn = 50_000, sIsn = 60_000;
    this.add({ t: t0, src: ci, dst: si, sport: cport, dport: sport, flags: SYN, seq: cIsn });
    this.add({ t: t0 + 0.002, src: si, dst: ci, sport, dport: cport, flags: SYN | ACK, seq: sIsn, ack: cIsn + 1 });
    this.add({ t: t0 + 0.003, src: ci, dst: si, sport: cport, dport: sport, flags: ACK, seq: cIsn + 1, ack: sIsn + 1 });
    let off = 1;
    for (let t = t0 + every; t < t1; t += every) {
      this.add({ t, src: ci, dst: si, sport: cport, dport: sport, flags: ACK | PSH, seq: cIsn + off, ack: sIsn + 1, len: 1000 });
      off += 1000;
      this.add({ t: t + 0.002, src: si, dst: ci, sport, dport: cport, flags: ACK, seq: sIsn + 1, ack: cIsn + off });
    }
  }

  columns(): PacketColumns {
    const cols = new PacketColumns(256);
    const ids = new Map<number, number>();
    const addr = (a: number): number => { let x = ids.get(a); if (x === undefined) { x = cols.addresses.internV4(a); ids.set(a, x); } return x; };
    this.pkts.sort((a, b) => a.t - b.t);
    let id = 1;
    for (const p of this.pkts) {
      const r = emptyRow();
      const t = 1_700_000_000 + p.t;
      r.tsSec = Math.floor(t);
      r.tsNsec = Math.round((t - Math.floor(t)) * 1e9);
      r.sllIfIndex = p.ifindex ?? -1;
      if (p.ethSrc && p.ethDst) { r.ethSrc = cols.macs.intern(Uint8Array.from(p.ethSrc), 0); r.ethDst = cols.macs.intern(Uint8Array.from(p.ethDst), 0); }
      r.ipVersion = 4;
      r.ipLen = 20 + 32 + (p.len ?? 0);
      r.ipDf = 1;
      r.ipId = id++;
      r.ipTtl = 64;
      r.src = addr(p.src); r.dst = addr(p.dst);
      r.srcPort = p.sport; r.dstPort = p.dport;
      r.l4 = L4.Tcp;
      r.tcpFlags = p.flags;
      r.seqRaw = p.seq >>> 0;
      r.ackRaw = p.flags & ACK ? (p.ack ?? 0) >>> 0 : 0;
      r.tcpLen = p.len ?? 0;
      r.tcpHdrLen = 32;
      r.winRaw = 1000;
      r.mss = p.flags & SYN ? 1460 : 0;
      r.wscale = p.flags & SYN ? 7 : -1;
      r.sackPerm = p.flags & SYN ? 1 : 0;
      r.hasTs = p.tsval === undefined ? 0 : 1;
      r.tsval = (p.tsval ?? 0) >>> 0;
      cols.commit(r);
    }
    return cols;
  }
}

/** Linux's SYN retries after the first: 1, 3, 7 s. */
export const retries = (t: number, n = 4): number[] => [t, t + 1, t + 3, t + 7, t + 15].slice(0, n);

/**
 * Client 1 to server 2: 10 connections to port 443, of which 3 never answered (4 SYNs each) and one
 * answered after a retry; 4 connections to port 80, all answered; a transfer on port 22 carries on.
 */
export function synDroppedNet(): Net {
  const n = new Net();
  n.transfer(1, 50000, 2, 22, 0, 30);
  let port = 40000;
  for (let k = 0; k < 10; k++) {
    const t = 1 + k * 2;
    if (k === 2 || k === 5 || k === 7) n.conn({ c: 1, cport: port++, s: 2, sport: 443, syns: retries(t), answer: null });
    else if (k === 4) n.conn({ c: 1, cport: port++, s: 2, sport: 443, syns: retries(t, 2), answer: t + 1.002 });
    else n.conn({ c: 1, cport: port++, s: 2, sport: 443, syns: [t], answer: t + 0.002 });
  }
  for (let k = 0; k < 4; k++) n.conn({ c: 1, cport: port++, s: 2, sport: 80, syns: [1.5 + k * 3], answer: 1.502 + k * 3 });
  return n;
}

/**
 * NAT address 1 to server 2:80: host A's clock (ahead) opens 5 connections, all answered; host B's
 * (an hour behind) opens 2 between them, never answered (4 SYNs each).
 */
export function pawsNet(): Net {
  const n = new Net();
  const clockA = (t: number): number => 50_000_000 + Math.round(t * 1000);
  const clockB = (t: number): number => 50_000_000 - 3_600_000 + Math.round(t * 1000);
  let port = 40000;
  for (let k = 0; k < 5; k++) n.conn({ c: 1, cport: port++, s: 2, sport: 80, syns: [k * 3], answer: k * 3 + 0.002, tsval: clockA });
  n.conn({ c: 1, cport: port++, s: 2, sport: 80, syns: retries(1), answer: null, tsval: clockB });
  n.conn({ c: 1, cport: port++, s: 2, sport: 80, syns: retries(4), answer: null, tsval: clockB });
  return n;
}

/**
 * Client 1 to server 2:80: 4 connections whose SYN-ACK the capture never sees (`iface`: seen on
 * another interface instead; `mac`: from `synAckFrom` instead of the gateway, by default 02:00:00:00:00:01).
 */
export function asymmetricNet(variant: 'unseen' | 'iface' | 'mac', synAckFrom?: number[], gw = [2, 0, 0, 0, 0, 1]): Net {
  const n = new Net();
  for (let k = 0; k < 4; k++) {
    n.conn({
      c: 1, cport: 40000 + k, s: 2, sport: 80, syns: [k], answer: k + 0.002,
      ...(variant === 'unseen' ? { hideSynAck: true } : variant === 'iface' ? { ifindex: 2, synAckIf: 3 }
        : { macs: { client: [2, 0, 0, 0, 0, 2], gw, synAckFrom } }),
    });
  }
  return n;
}
