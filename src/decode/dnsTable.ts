/**
 * DNS messages of the capture as a compact side table: one entry per row that carries a DNS message
 * (UDP port 53 or 5353, either side; TCP port 53 when a segment holds a whole length-prefixed
 * message). Filled by the decoder only for those rows, never for other traffic, and kept out of the
 * per-packet columns: per message the header (id, flags, counts), the first question's type and an
 * interned name id (each distinct name stored once), the EDNS payload size. The full decode of one
 * message (every question and record) is `parseDns` (dns.ts), on demand.
 */

import { u16 } from './bytes';
import { readDnsName } from './dns';

/** Bits of `DnsTable.bits`. */
export const DnsBit = {
  /** Carried over TCP (length-prefixed). */
  Tcp: 1,
  /** An OPT record (EDNS) is present; its UDP payload size is in `edns`. */
  Edns: 2,
  /** The message ended before what its header announced. */
  Malformed: 4,
  /** Multicast DNS (port 5353). */
  Mdns: 8,
} as const;

/** Flag bits of the DNS header (`DnsTable.flags`). */
export const DnsFlag = { Response: 0x8000, Truncated: 0x0200, RecursionDesired: 0x0100, RecursionAvailable: 0x0080 } as const;

/** DNS response codes the diagnoses name. */
export const DnsRcode = { NoError: 0, FormErr: 1, ServFail: 2, NxDomain: 3, NotImp: 4, Refused: 5 } as const;

export const DNS_PORT = 53;
export const MDNS_PORT = 5353;

/** Whether a UDP port pair is dissected as DNS (as tshark does: port 53 or mDNS 5353 on either side). */
export function isDnsUdp(src: number, dst: number): boolean {
  return src === DNS_PORT || dst === DNS_PORT || src === MDNS_PORT || dst === MDNS_PORT;
}

const MAX_RECORDS = 256;

export class DnsTable {
  length = 0;
  private cap = 0;
  /** Packet row of each message, increasing. */
  row = new Uint32Array(0);
  id = new Uint16Array(0);
  /** The header's flags word (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode). */
  flags = new Uint16Array(0);
  /** Type of the first question (0 when none). */
  qtype = new Uint16Array(0);
  /** The header's counts: questions, answers. */
  qdCount = new Uint16Array(0);
  anCount = new Uint16Array(0);
  /** Interned name of the first question (`names`), -1 when none could be read. */
  name = new Int32Array(0);
  /** EDNS UDP payload size (when DnsBit.Edns). */
  edns = new Uint16Array(0);
  bits = new Uint8Array(0);

  /** Distinct question names, by id. */
  readonly names: string[] = [];
  /**
   * The bytes of the messages no single frame holds, by row: a message joined from several TCP
   * segments, or carried in a reassembled IP datagram. The Info column and the detail decode read
   * them (the frame alone cannot give the message); at most MAX_JOINED_BYTES in all, counted in bytes().
   */
  readonly joined = new Map<number, Uint8Array>();
  private joinedBytes = 0;
  static readonly MAX_JOINED_BYTES = 8 << 20;
  private sCopy: Uint8Array | null = null;
  private readonly nameIds = new Map<string, number>();

  private staged = false;
  private sId = 0; private sFlags = 0; private sQtype = 0; private sQd = 0; private sAn = 0; private sName = -1; private sEdns = 0; private sBits = 0;

  /** Forget a message staged for a row that was not committed. */
  unstage(): void {
    this.staged = false;
    this.sCopy = null;
  }

  /**
   * Read the DNS message at `b[off, end)` for the row being decoded; false when not even a header is
   * there. `joined`: the bytes are not the frame's own (a joined or reassembled message): kept for the row.
   */
  stage(b: Uint8Array, off: number, end: number, bits: number, joined = false): boolean {
    end = Math.min(end, b.length);
    this.sCopy = null;
    if (end - off < 12) return false;
    if (joined && this.joinedBytes + (end - off) <= DnsTable.MAX_JOINED_BYTES) this.sCopy = b.slice(off, end);
    this.sId = u16(b, off);
    this.sFlags = u16(b, off + 2);
    const qd = u16(b, off + 4), an = u16(b, off + 6), ns = u16(b, off + 8), ar = u16(b, off + 10);
    this.sQd = qd; this.sAn = an;
    this.sQtype = 0; this.sName = -1; this.sEdns = 0; this.sBits = bits;
    let p = off + 12;
    for (let i = 0; i < qd && i < MAX_RECORDS; i++) {
      if (i === 0) {
        const n = readDnsName(b, off, end, p);
        if (!n || n.next + 4 > end) { this.sBits |= DnsBit.Malformed; break; }
        this.sName = this.intern(n.name);
        this.sQtype = u16(b, n.next);
        p = n.next + 4;
      } else {
        const q = skipName(b, end, p);
        if (q < 0 || q + 4 > end) { this.sBits |= DnsBit.Malformed; p = -1; break; }
        p = q + 4;
      }
    }
    // Records: only skipped, looking for the OPT pseudo-record among the additional ones.
    const total = Math.min(an + ns + ar, MAX_RECORDS);
    for (let i = 0; i < total && p >= 0 && (this.sBits & DnsBit.Malformed) === 0; i++) {
      const q = skipName(b, end, p);
      if (q < 0 || q + 10 > end) { this.sBits |= DnsBit.Malformed; break; }
      const rdlen = u16(b, q + 8);
      if (q + 10 + rdlen > end) { this.sBits |= DnsBit.Malformed; break; }
      if (i >= an + ns && u16(b, q) === 41) { this.sBits |= DnsBit.Edns; this.sEdns = u16(b, q + 2); }
      p = q + 10 + rdlen;
    }
    this.staged = true;
    return true;
  }

  /** Commit the staged message (if any) as row `row`'s. */
  commit(row: number): void {
    if (!this.staged) return;
    this.staged = false;
    const i = this.length;
    if (i >= this.cap) this.grow();
    if (this.sCopy) { this.joined.set(row, this.sCopy); this.joinedBytes += this.sCopy.length; this.sCopy = null; }
    this.row[i] = row; this.id[i] = this.sId; this.flags[i] = this.sFlags; this.qtype[i] = this.sQtype;
    this.qdCount[i] = this.sQd; this.anCount[i] = this.sAn; this.name[i] = this.sName; this.edns[i] = this.sEdns; this.bits[i] = this.sBits;
    this.length = i + 1;
  }

  intern(name: string): number {
    let id = this.nameIds.get(name);
    if (id === undefined) { id = this.names.length; this.names.push(name); this.nameIds.set(name, id); this.nameBytes += 2 * name.length + 40; }
    return id;
  }

  /** The question name of entry `i` ('' when none). */
  nameOf(i: number): string {
    const n = this.name[i];
    return n >= 0 ? this.names[n] : '';
  }

  isResponse(i: number): boolean {
    return (this.flags[i] & DnsFlag.Response) !== 0;
  }

  rcode(i: number): number {
    return this.flags[i] & 15;
  }

  opcode(i: number): number {
    return (this.flags[i] >> 11) & 15;
  }

  /** Entry of packet row `row`, -1 when that row carries no DNS message. */
  indexOfRow(row: number): number {
    let lo = 0, hi = this.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.row[mid] < row) lo = mid + 1; else hi = mid; }
    return lo < this.length && this.row[lo] === row ? lo : -1;
  }

  /** Bytes of the interned names, roughly (UTF-16 text, the map's entry): kept as they are added. */
  private nameBytes = 0;

  /** Bytes held (arrays at capacity, names roughly), at no cost: the packet table's budget counts it for each row. */
  bytes(): number {
    return this.cap * DnsTable.BYTES_PER_ENTRY + this.nameBytes + this.joinedBytes;
  }

  /** Bytes held once one more message is added (the arrays double when full): what a budget must allow before reading on. */
  bytesWithNext(): number {
    // Before the first message nothing is held (a capture without DNS keeps its whole budget).
    const cap = this.length < this.cap || this.length === 0 ? this.cap : this.cap * 2;
    return cap * DnsTable.BYTES_PER_ENTRY + this.nameBytes + this.joinedBytes;
  }

  /** Bytes per message of the arrays: row 4, id 2, flags 2, qtype 2, qdCount 2, anCount 2, name 4, edns 2, bits 1. */
  static readonly BYTES_PER_ENTRY = 21;

  private grow(): void {
    const cap = Math.max(64, this.cap * 2);
    const g = <T extends Uint8Array | Uint16Array | Uint32Array | Int32Array>(a: T, make: (n: number) => T): T => { const x = make(cap); x.set(a); return x; };
    this.row = g(this.row, (n) => new Uint32Array(n));
    this.id = g(this.id, (n) => new Uint16Array(n));
    this.flags = g(this.flags, (n) => new Uint16Array(n));
    this.qtype = g(this.qtype, (n) => new Uint16Array(n));
    this.qdCount = g(this.qdCount, (n) => new Uint16Array(n));
    this.anCount = g(this.anCount, (n) => new Uint16Array(n));
    this.name = g(this.name, (n) => new Int32Array(n));
    this.edns = g(this.edns, (n) => new Uint16Array(n));
    this.bits = g(this.bits, (n) => new Uint8Array(n));
    this.cap = cap;
  }
}

/** Where the name at `p` ends in place (after its first pointer), -1 when it runs past `end`. */
function skipName(b: Uint8Array, end: number, p: number): number {
  for (let guard = 0; guard < 128; guard++) {
    if (p >= end) return -1;
    const len = b[p];
    if (len === 0) return p + 1;
    if ((len & 0xc0) === 0xc0) return p + 2 <= end ? p + 2 : -1;
    if ((len & 0xc0) !== 0) return -1;
    p += 1 + len;
  }
  return -1;
}

/** Messages being joined: at most this many at once, each at most 64 KiB (the length prefix's limit). */
const MAX_JOINS = 64;

/**
 * DNS over TCP (RFC 1035 4.2.2): each message behind a 2-byte length. A segment holding a whole
 * message is read in place; a message cut across segments (the length alone in one, or a long
 * message in several) is copied until complete and read on the segment that completes it, as
 * tshark shows it. Segments are followed by sequence number per port pair, in order only.
 */
export class DnsTcpJoiner {
  private readonly joins = new Map<string, { buf: Uint8Array; have: number }>();

  /** `reassembled`: `b` is a reassembled IP datagram (its bytes are no single frame's). */
  segment(table: DnsTable, b: Uint8Array, p: number, end: number, sport: number, dport: number, seq: number, reassembled = false): void {
    const key = (s: number) => `${sport},${dport},${s >>> 0}`;
    const j = this.joins.get(key(seq));
    if (j) {
      this.joins.delete(key(seq));
      const take = Math.min(end - p, j.buf.length - j.have);
      if (take <= 0) return;
      j.buf.set(b.subarray(p, p + take), j.have);
      j.have += take;
      if (j.have === j.buf.length) {
        const n = u16(j.buf, 0);
        if (n >= 12) table.stage(j.buf, 2, 2 + n, DnsBit.Tcp, true);
      } else this.keep(key(seq + take), j);
      return;
    }
    if (end - p < 2) return;
    const n = u16(b, p);
    if (n < 12) return;
    if (end - p >= n + 2) { table.stage(b, p + 2, p + 2 + n, DnsBit.Tcp, reassembled); return; }
    const buf = new Uint8Array(n + 2);
    buf.set(b.subarray(p, end));
    this.keep(key(seq + (end - p)), { buf, have: end - p });
  }

  private keep(key: string, j: { buf: Uint8Array; have: number }): void {
    if (this.joins.size >= MAX_JOINS) { const first = this.joins.keys().next().value; if (first !== undefined) this.joins.delete(first); }
    this.joins.set(key, j);
  }
}

/**
 * The DNS message row `row` completes without holding it whole (`DnsTable.joined`), with how it came
 * (over TCP; multicast DNS): what the detail decode appends to the frame's layers (withJoinedDns).
 */
export function joinedDnsOf(
  cols: { dns: DnsTable; l4: ArrayLike<number>; srcPort: ArrayLike<number>; dstPort: ArrayLike<number> }, row: number,
): { msg: Uint8Array; tcp: boolean; mdns: boolean; ports: [number, number] } | undefined {
  const msg = cols.dns.joined.get(row);
  if (!msg) return undefined;
  // 6: TCP's protocol number (L4.Tcp of columns.ts, which imports this file).
  return { msg, tcp: cols.l4[row] === 6, mdns: cols.srcPort[row] === MDNS_PORT || cols.dstPort[row] === MDNS_PORT, ports: [cols.srcPort[row], cols.dstPort[row]] };
}
