/**
 * tshark's DNS fields of the DNS captures of ../shared/realworld/zeek (dns*.pcap, dns/, dnssec/),
 * for tests/oracle/dnsFields.test.ts, which compares them with the decoder's DNS table.
 *
 *   npx tsx scripts/dns-oracle.ts      → tests/fixtures/decode/dns-tshark.tsv.gz
 *
 * One block per capture: a line "#<path relative to ../shared>", then one line per frame tshark
 * dissects as DNS or mDNS: the frame number and DNS_FIELDS, tab-separated (multiple occurrences joined by ',').
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'fflate';
import { DNS_FIELDS, DNS_FIXTURE, SHARED, dnsCaptures } from '../tests/oracle/dnsFieldsSupport';

const run = promisify(execFile);
const blocks: string[] = [];
const files = dnsCaptures();
for (const f of files) {
  const { stdout } = await run('tshark', ['-r', path.join(SHARED, f), '-n', '-Y', 'dns || mdns', '-T', 'fields', '-E', 'separator=/t', '-e', 'frame.number', ...DNS_FIELDS.flatMap((x) => ['-e', x])], { maxBuffer: 1 << 30 });
  blocks.push(`#${f}`, ...stdout.split('\n').filter((l) => l !== ''));
}
mkdirSync(path.dirname(DNS_FIXTURE), { recursive: true });
writeFileSync(DNS_FIXTURE, gzipSync(new TextEncoder().encode(blocks.join('\n') + '\n'), { level: 9 }));
console.log(`${files.length} captures, ${blocks.length - files.length} DNS frames → ${DNS_FIXTURE}`);
