/** The DNS captures compared with tshark and the fixture of tshark's fields (scripts/dns-oracle.ts). */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'fflate';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SHARED = path.resolve(HERE, '..', '..', '..', 'shared');
export const DNS_FIXTURE = path.resolve(HERE, '..', 'fixtures', 'decode', 'dns-tshark.tsv.gz');

/** The fields compared, in the fixture's column order (after frame.number). */
export const DNS_FIELDS = ['dns.id', 'dns.qry.name', 'dns.qry.type', 'dns.flags.rcode', 'dns.flags.response', 'dns.count.answers', 'udp.srcport', 'udp.dstport'] as const;

/** dns*.pcap of the zeek set and its dns/ and dnssec/ folders, and every capture of captures/, relative to ../shared. */
export function dnsCaptures(shared = SHARED): string[] {
  const zeek = path.join(shared, 'realworld', 'zeek');
  if (!existsSync(zeek)) return [];
  const out = readdirSync(zeek).filter((f) => /^dns.*\.pcap$/.test(f)).map((f) => `realworld/zeek/${f}`);
  for (const sub of ['dns', 'dnssec']) {
    const d = path.join(zeek, sub);
    if (existsSync(d)) out.push(...readdirSync(d).filter((f) => f.endsWith('.pcap')).map((f) => `realworld/zeek/${sub}/${f}`));
  }
  const caps = path.join(shared, 'captures');
  if (existsSync(caps)) out.push(...readdirSync(caps).filter((f) => /\.(pcap|pcapng)(\.gz)?$/.test(f)).map((f) => `captures/${f}`));
  return out.sort();
}

export interface DnsOracleCapture {
  file: string;
  /** frame number → the fields of DNS_FIELDS as tshark prints them. */
  frames: Map<number, string[]>;
}

export function readDnsFixture(): DnsOracleCapture[] {
  const text = new TextDecoder().decode(gunzipSync(new Uint8Array(readFileSync(DNS_FIXTURE))));
  const out: DnsOracleCapture[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    if (line.startsWith('#')) { out.push({ file: line.slice(1), frames: new Map() }); continue; }
    const [frame, ...fields] = line.split('\t');
    out[out.length - 1].frames.set(Number(frame), fields);
  }
  return out;
}
