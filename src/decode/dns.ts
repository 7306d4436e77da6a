/**
 * A small DNS message reader (RFC 1035 header, questions, resource records) for the packet list's
 * Info column, used on demand for the rows on screen, never per packet at load. Bounded: names are
 * followed through at most MAX_POINTERS compression pointers and MAX_NAME_BYTES bytes, and at most
 * MAX_RECORDS records are read. Never throws: what cannot be read ends the walk (`malformed`).
 */

import { u16, u32 } from './bytes';
import { formatIpv6 } from './columns';

const MAX_POINTERS = 32;
const MAX_NAME_BYTES = 255;
const MAX_RECORDS = 256;

export interface DnsQuestion {
  name: string;
  type: number;
  /** Class without the mDNS "unicast response" bit. */
  cls: number;
  /** mDNS: the top bit of the class ("QU" question). */
  unicast: boolean;
  /** Where it is in the bytes read: [start, end). */
  start: number;
  end: number;
}

export interface DnsRecord {
  name: string;
  type: number;
  cls: number;
  /** mDNS: the top bit of the class ("cache flush"); for OPT it is part of the payload size. */
  cacheFlush: boolean;
  ttl: number;
  /** Short text of the data as a packet list shows it ("93.184.216.34", "10 mx.example.com"), or ''. */
  data: string;
  /** Where it is in the bytes read: [start, end). */
  start: number;
  end: number;
}

export interface DnsMessage {
  id: number;
  response: boolean;
  opcode: number;
  rcode: number;
  flags: number;
  questions: DnsQuestion[];
  /** Answer, authority and additional records, in order. */
  answers: DnsRecord[];
  authority: DnsRecord[];
  additional: DnsRecord[];
  /** The counts of the header (what the message claims). */
  counts: [number, number, number, number];
  /** The message ended before what its header announced, or a name could not be read. */
  malformed: boolean;
}

const TYPE_NAMES: Record<number, string> = {
  0: 'Unused', 100: 'UINFO', 101: 'UID', 102: 'GID', 103: 'UNSPEC', 1: 'A', 2: 'NS', 3: 'MD', 4: 'MF', 5: 'CNAME', 6: 'SOA', 7: 'MB', 8: 'MG', 9: 'MR', 10: 'NULL', 11: 'WKS', 12: 'PTR',
  13: 'HINFO', 14: 'MINFO', 30: 'NXT', 15: 'MX', 16: 'TXT', 17: 'RP', 18: 'AFSDB', 24: 'SIG', 25: 'KEY', 28: 'AAAA', 29: 'LOC',
  33: 'SRV', 35: 'NAPTR', 36: 'KX', 37: 'CERT', 39: 'DNAME', 41: 'OPT', 42: 'APL', 43: 'DS', 44: 'SSHFP', 45: 'IPSECKEY',
  46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 49: 'DHCID', 50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA', 53: 'SMIMEA', 55: 'HIP',
  59: 'CDS', 60: 'CDNSKEY', 61: 'OPENPGPKEY', 62: 'CSYNC', 63: 'ZONEMD', 64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 249: 'TKEY',
  250: 'TSIG', 251: 'IXFR', 252: 'AXFR', 253: 'MAILB', 254: 'MAILA', 255: 'ANY', 256: 'URI', 257: 'CAA',
  32768: 'TA', 32769: 'DLV',
};

/** A record type's mnemonic, or "Unknown (n)". */
export function dnsTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `Unknown (${type})`;
}

const OPCODES: Record<number, string> = {
  0: 'Standard query', 1: 'Inverse query', 2: 'Server status request', 4: 'Zone change notification', 5: 'Dynamic update',
};

const RCODES: Record<number, string> = {
  1: 'Format error', 2: 'Server failure', 3: 'No such name', 4: 'Not implemented', 5: 'Refused', 6: 'Name exists',
  7: 'RRset exists', 8: 'RRset does not exist', 9: 'Not authoritative', 10: 'Name out of zone',
};

/** The opcode's name ("Standard query"), or "Unknown operation (n)". */
export function dnsOpcodeName(op: number): string {
  return OPCODES[op] ?? `Unknown operation (${op})`;
}

/** The response code's name ("No such name"), or "Unknown error (n)"; '' for no error. */
export function dnsRcodeName(rc: number): string {
  if (rc === 0) return '';
  return RCODES[rc] ?? `Unknown error (${rc})`;
}

/** A name at `off`: its text and where the name ends in place (after the first pointer, if any); null when unreadable. */
export function readDnsName(b: Uint8Array, msg: number, end: number, off: number): { name: string; next: number } | null {
  let p = off;
  let next = -1;
  let pointers = 0;
  let bytes = 0;
  const labels: string[] = [];
  for (;;) {
    if (p >= end) return null;
    const len = b[p];
    if (len === 0) {
      if (next < 0) next = p + 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (p + 1 >= end) return null;
      if (next < 0) next = p + 2;
      if (++pointers > MAX_POINTERS) return { name: '<Name contains a pointer that loops>', next };
      p = msg + (((len & 0x3f) << 8) | b[p + 1]);
      continue;
    }
    if (kind !== 0) return null; // extended label types: not read
    if (p + 1 + len > end) return null;
    bytes += len + 1;
    if (bytes > MAX_NAME_BYTES) return null;
    let s = '';
    for (let i = p + 1; i <= p + len; i++) {
      const c = b[i];
      s += c === 0x2e ? '\\.' : c > 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\${c.toString(8).padStart(3, '0')}`;
    }
    labels.push(s);
    p += 1 + len;
  }
  return { name: labels.length ? labels.join('.') : '<Root>', next };
}

function rdataText(b: Uint8Array, msg: number, end: number, type: number, p: number, len: number): string {
  const e = p + len;
  if (e > end) return '';
  const name = (at: number) => (at < e ? readDnsName(b, msg, end, at)?.name ?? '' : '');
  switch (type) {
    case 1: return len === 4 ? `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}` : '';
    case 28: return len === 16 ? formatIpv6(b, p) : '';
    case 2: case 5: case 12: case 39: return name(p);
    case 6: return name(p);
    case 11: return len >= 4 ? `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}` : '';
    case 15: return len >= 3 ? `${u16(b, p)} ${name(p + 2)}` : '';
    case 30: case 47: return name(p);
    case 13: {
      // Two character strings: CPU and OS.
      const cpuLen = b[p];
      if (len < 2 || 1 + cpuLen >= len) return '';
      const osLen = b[p + 1 + cpuLen];
      if (2 + cpuLen + osLen > len) return '';
      const str = (at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));
      return `${str(p + 1, cpuLen)} ${str(p + 2 + cpuLen, osLen)}`;
    }
    case 33: return len >= 7 ? `${u16(b, p)} ${u16(b, p + 2)} ${u16(b, p + 4)} ${name(p + 6)}` : '';
    default: return '';
  }
}

/** Read a DNS message from `b[off, end)`. Never throws; null when not even the 12-byte header is there. */
export function parseDns(b: Uint8Array, off: number, end: number): DnsMessage | null {
  end = Math.min(end, b.length);
  if (end - off < 12) return null;
  const flags = u16(b, off + 2);
  const counts: [number, number, number, number] = [u16(b, off + 4), u16(b, off + 6), u16(b, off + 8), u16(b, off + 10)];
  const m: DnsMessage = {
    id: u16(b, off), response: (flags & 0x8000) !== 0, opcode: (flags >> 11) & 15, rcode: flags & 15, flags,
    questions: [], answers: [], authority: [], additional: [], counts, malformed: false,
  };
  let p = off + 12;
  let budget = MAX_RECORDS;
  for (let i = 0; i < counts[0]; i++) {
    if (budget-- <= 0) return m;
    const n = readDnsName(b, off, end, p);
    if (!n || n.next + 4 > end) { m.malformed = true; return m; }
    const cls = u16(b, n.next + 2);
    m.questions.push({ name: n.name, type: u16(b, n.next), cls: cls & 0x7fff, unicast: (cls & 0x8000) !== 0, start: p, end: n.next + 4 });
    p = n.next + 4;
  }
  const sections = [m.answers, m.authority, m.additional];
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s + 1]; i++) {
      if (budget-- <= 0) return m;
      const n = readDnsName(b, off, end, p);
      if (!n || n.next + 10 > end) { m.malformed = true; return m; }
      const q = n.next;
      const type = u16(b, q), cls = u16(b, q + 2), rdlen = u16(b, q + 8);
      if (q + 10 + rdlen > end) { m.malformed = true; return m; }
      sections[s].push({
        name: n.name, type, cls: cls & 0x7fff, cacheFlush: type !== 41 && (cls & 0x8000) !== 0, ttl: u32(b, q + 4),
        data: rdataText(b, off, end, type, q + 10, rdlen), start: p, end: q + 10 + rdlen,
      });
      p = q + 10 + rdlen;
    }
  }
  return m;
}

/**
 * The Info line of a DNS message as a packet list shows it: operation, "response", id, the error,
 * then each question and record ("Standard query response 0x1a2b A example.com A 93.184.216.34").
 * `mdns`: multicast DNS, whose class bit says "QU" question / cache flush.
 */
export function dnsInfo(m: DnsMessage, mdns = false): string {
  let s = `${dnsOpcodeName(m.opcode)}${m.response ? ' response' : ''} 0x${m.id.toString(16).padStart(4, '0')}`;
  const rc = dnsRcodeName(m.rcode);
  if (m.response && rc) s += ` ${rc}`;
  for (const q of m.questions) {
    s += ` ${dnsTypeName(q.type)} ${q.name}`;
    if (mdns) s += `, "${q.unicast ? 'QU' : 'QM'}" question`;
  }
  for (const r of [...m.answers, ...m.authority, ...m.additional]) {
    s += ` ${dnsTypeName(r.type)}`;
    if (mdns && r.cacheFlush) s += ', cache flush';
    if (r.data) s += ` ${r.data}`;
  }
  return m.malformed ? `${s}[Malformed Packet]` : s;
}
