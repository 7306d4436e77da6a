/**
 * The decoder's DNS table (src/decode/dnsTable.ts: what the DNS diagnoses read) against tshark on
 * every DNS frame of the zeek set's DNS captures (dns*.pcap, dns/, dnssec/) and of every capture of
 * ../shared/captures (those hold no DNS: none must be found there): the same frames are DNS,
 * with the same id, first question (name, type), response flag, rcode, answer count and UDP ports.
 * tshark's fields are cached in tests/fixtures/decode/dns-tshark.tsv.gz (scripts/dns-oracle.ts).
 * Skipped when ../shared is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { openAnalysis } from '../../src/analysis';
import { L4 } from '../../src/decode/columns';
import { DNS_FIELDS, DNS_FIXTURE, SHARED, dnsCaptures, readDnsFixture } from './dnsFieldsSupport';

const missing = dnsCaptures().length === 0;
if (missing) console.warn('DNS fields oracle skipped: ../shared/realworld/zeek is absent');

function ours(file: string): Map<number, string[]> {
  let data = new Uint8Array(readFileSync(file));
  const run = openAnalysis({ expectedBytes: data.length });
  run.push(data);
  const a = run.finish();
  if (a.compressed) data = gunzipSync(data);
  const cols = a.columns, dt = cols.dns;
  const out = new Map<number, string[]>();
  for (let e = 0; e < dt.length; e++) {
    const row = dt.row[e];
    const udp = cols.l4[row] === L4.Udp;
    out.set(row + 1, [
      `0x${dt.id[e].toString(16).padStart(4, '0')}`,
      dt.nameOf(e),
      dt.qdCount[e] > 0 && dt.name[e] >= 0 ? String(dt.qtype[e]) : '',
      dt.isResponse(e) ? String(dt.rcode(e)) : '',
      dt.isResponse(e) ? '1' : '0',
      dt.opcode(e) === 5 ? '' : String(dt.anCount[e]),
      udp ? String(cols.srcPort[row]) : '',
      udp ? String(cols.dstPort[row]) : '',
    ]);
  }
  return out;
}

describe.skipIf(missing || !existsSync(DNS_FIXTURE))('DNS fields against tshark (zeek DNS captures, shared captures)', () => {
  it('every DNS frame, every field equal', () => {
    const diffs: string[] = [];
    let frames = 0, captures = 0;
    // Per field: values compared and equal, over the frames both read as DNS.
    const agree = DNS_FIELDS.map(() => ({ n: 0, equal: 0 }));
    for (const c of readDnsFixture()) {
      const file = path.join(SHARED, c.file);
      if (!existsSync(file)) continue;
      captures++;
      const mine = ours(file);
      for (const [frame, theirs] of c.frames) {
        frames++;
        // Several questions: tshark joins them; the table keeps the first.
        const want = theirs.map((v, i) => (i === 1 || i === 2 ? v.split(',')[0] : v));
        const got = mine.get(frame);
        if (!got) { diffs.push(`${c.file} #${frame}: not DNS here`); continue; }
        for (let i = 0; i < DNS_FIELDS.length; i++) {
          agree[i].n++;
          if (got[i] === (want[i] ?? '')) agree[i].equal++;
          else diffs.push(`${c.file} #${frame} ${DNS_FIELDS[i]}: ${got[i]} ≠ ${want[i]}`);
        }
      }
      for (const frame of mine.keys()) if (!c.frames.has(frame)) diffs.push(`${c.file} #${frame}: DNS here, not for tshark`);
    }
    console.log(`DNS fields: ${captures} captures, ${frames} DNS frames, ${DNS_FIELDS.length} fields each, ${diffs.length} differences`);
    for (let i = 0; i < DNS_FIELDS.length; i++) {
      console.log(`  ${DNS_FIELDS[i].padEnd(20)} ${agree[i].equal}/${agree[i].n} equal (${((100 * agree[i].equal) / Math.max(1, agree[i].n)).toFixed(2)} %)`);
    }
    expect(diffs).toEqual([]);
  });
});
