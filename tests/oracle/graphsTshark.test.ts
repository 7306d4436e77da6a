/**
 * The stream graphs against tshark 4.0.17 on every capture of ../shared/captures:
 * - RTT: at every ACK where tshark has tcp.analysis.ack_rtt, our sample is the same, or we have
 *   none or another for a rule of ours, counted by rule (Karn's rule, a copy of a packet, bytes never
 *   captured, a repair or SACK block timed instead of data SACKed before); nothing else. Samples
 *   tshark has not are SACK samples, partial ACKs (ending inside a segment), or of exactly 0 s
 *   (which tshark does not show);
 * - bytes in flight: equal to tcp.analysis.bytes_in_flight at every data segment, except on streams
 *   with bytes never captured (sent, so in flight for us) or packets captured twice;
 * - goodput: on whole transfers, its total is the stream's unique bytes delivered;
 * - throughput: every bin equals tshark's io,stat SUM(tcp.len) of the same stream, direction and
 *   interval (the figures scripts/graph-oracle.ts stored in tests/fixtures/graphs/iostat.tsv.gz).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/analysis';
import { asStreamId } from '../../src/index';
import { analyse, compareInFlight, compareRtt, IOSTAT_FIXTURE, ourBins, readIoStat, SHARED_CAPTURES, type IoStatColumn } from './graphsSupport';

const haveShared = existsSync(SHARED_CAPTURES);
if (!haveShared) console.warn(`graphs oracle: skipped, ../shared/captures is absent (the captures and their tshark TSVs)`);

const files = haveShared ? readdirSync(SHARED_CAPTURES).filter((f) => f.endsWith('.tshark.tsv')).map((f) => f.slice(0, -'.tshark.tsv'.length)).sort() : [];
const kept = new Map<string, Analysis>();
const analysed = (f: string) => {
  let a = kept.get(f);
  if (!a) { kept.clear(); kept.set(f, (a = analyse(path.join(SHARED_CAPTURES, f)))); }
  return a;
};

const rttTable: string[] = [];
const flightTable: string[] = [];
const binTable: string[] = [];
afterAll(() => {
  if (rttTable.length) {
    console.log(['RTT at the ACKs tshark times: capture\ttshark\tequal\tkarn\tsyn/fin\tcopy\tunseen\tother segment\tsacked before\tonly ours (SACK, 0 s, partial)', ...rttTable].join('\n'));
  }
  if (flightTable.length) console.log(['Bytes in flight against tcp.analysis.bytes_in_flight: capture\tboth\tequal\tstream with a gap or copies', ...flightTable].join('\n'));
  if (binTable.length) console.log(['Throughput bins against io,stat: capture\tinterval\tstream/dir\tbins\tequal\tbytes', ...binTable].join('\n'));
});

describe.skipIf(!haveShared)('RTT samples against tcp.analysis.ack_rtt', () => {
  for (const f of files) {
    it(f, () => {
      const r = compareRtt(analysed(f), path.join(SHARED_CAPTURES, `${f}.tshark.tsv`));
      rttTable.push([f, r.tshark, r.equal, r.karn, r.control, r.copy, r.unseen, r.otherSegment, r.sackedBefore, `${r.onlyOurs} (${r.onlyOursSack}, ${r.onlyOursZero}, ${r.onlyOursPartial})`].join('\t'));
      expect(r.differ).toEqual([]);
      expect(r.missing).toEqual([]);
      expect(r.equal + r.karn + r.control + r.copy + r.unseen + r.otherSegment + r.sackedBefore).toBe(r.tshark);
      // Where we time another segment, it is a later passage than tshark's (a repair, or a SACKed one).
      for (const o of r.others) expect(o.oursFrom, `frame ${o.frame}`).toBeGreaterThan(o.tsharkFrom);
      // Samples tshark has not are SACK samples, partial ACKs or of 0 s only.
      expect(r.onlyOurs).toBe(r.onlyOursSack + r.onlyOursZero + r.onlyOursPartial);
      expect(r.control).toBe(0);
      expect(r.equal).toBeGreaterThan(0);
    });
  }
});

describe.skipIf(!haveShared)('bytes in flight against tcp.analysis.bytes_in_flight', () => {
  for (const f of files) {
    it(f, () => {
      const r = compareInFlight(analysed(f), path.join(SHARED_CAPTURES, `${f}.tshark.tsv`));
      flightTable.push([f, r.both, r.equal, r.gapOrCopy].join('\t'));
      // Equal except where bytes were never captured (sent, so in flight for us; unseen by tshark) or captured twice.
      expect(r.differ).toEqual([]);
      expect(r.equal).toBeGreaterThan(0);
    });
  }
});

describe.skipIf(!haveShared)('goodput totals against the stream\'s numbers (src/view/streamStats.ts, the same fates)', () => {
  // Whole transfers, every byte finally ACKed: the goodput's bytes are the unique bytes delivered,
  // the throughput's every byte sent (retransmissions included).
  for (const f of ['clean-bulk.node-eth0.pcap', 'random-loss-sack.node-eth0.pcap', 'random-loss-sack.server-eth0.pcap', 'zero-window.node-eth0.pcap']) {
    it(f, () => {
      const a = analysed(f);
      const t = a.graphTrack(asStreamId(0), 0);
      const side = a.streamStats(asStreamId(0))!.sides[0];
      const n = t.cumAll.length - 1;
      expect(t.cumAll[n]).toBe(side.sentBytes);
      expect(t.cumGood[n]).toBe(side.deliveredBytes);
      expect(t.cumGood[n]).toBe(side.uniqueBytes);
    });
  }
});

const haveFixture = existsSync(IOSTAT_FIXTURE);
const columns: IoStatColumn[] = haveShared && haveFixture ? readIoStat() : [];
if (haveShared && !haveFixture) console.warn('graphs oracle: tests/fixtures/graphs/iostat.tsv.gz is absent (npx tsx scripts/graph-oracle.ts gen)');

describe.skipIf(!haveShared || !haveFixture)('throughput bins against tshark io,stat', () => {
  for (const f of [...new Set(columns.map((c) => c.capture))]) {
    it(f, () => {
      if (!existsSync(path.join(SHARED_CAPTURES, f))) throw new Error(`../shared/captures/${f} is named by the fixture but absent`);
      const a = analysed(f);
      for (const c of columns.filter((x) => x.capture === f)) {
        const ours = ourBins(a, c);
        const equal = ours.filter((v, i) => v === c.bytes[i]).length;
        binTable.push([f, c.interval, `${c.stream}/${c.dir}`, c.bytes.length, equal, c.bytes.reduce((x, y) => x + y, 0)].join('\t'));
        expect(ours, `${f} stream ${c.stream} dir ${c.dir} interval ${c.interval}`).toEqual(c.bytes);
      }
    });
  }
});
