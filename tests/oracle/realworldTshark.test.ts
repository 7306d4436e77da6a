/**
 * On the 805 real captures of ../shared/realworld/zeek (nobody here made them): every one is read
 * without a throw, with tshark's frame count (or the difference named below, with its reason), and on
 * every TCP frame tshark reads our tcp.stream, seq, ack, nxtseq, len and window_size equal tshark's
 * on at least 99.9 % of frames, and each analysis flag tshark raises 20 times or more has F1 ≥ 0.99.
 * The table is printed. tshark's reading is the fixture tests/fixtures/realworld/tshark-tcp.tsv.gz
 * (`npx tsx scripts/realworld-tshark.ts gen`); `npx tsx scripts/realworld-tshark.ts compare` prints the
 * same table and the captures that differ.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from './tcpSupport/oracle';
import { TSHARK_WRONG, compareCapture, formatTable, readTsharkFixture, summarize } from './tsharkAgreement';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const zeek = path.resolve(repoRoot, '..', 'shared', 'realworld', 'zeek');
const have = existsSync(path.join(zeek, 'index.tsv'));
if (!have) console.warn('realworldTshark.test.ts: ../shared/realworld/zeek is absent, the agreement with tshark on real captures is not measured');

/**
 * Captures where our reading still differs from tshark's on some TCP frames, and why. Any other
 * capture that differs fails the test: a change to read, not a drift.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'cisco-fabric-path.pcap': 'with the trailing FCS cut (as tshark does), 16 SYNs end inside their TCP options; tshark keeps such a "short segment" in its stream with seq, ack and window but no analysis, we mark its TCP header damaged and leave it out of the analysis',
  'tunnels/gre-aruba-amsdu.pcap': 'one 802.11 frame carrying two TCP segments (an A-MSDU); a row of ours holds one segment per frame, the last subframe\'s, and without a SYN the relative sequence numbers start from it, not from the first subframe as tshark\'s do',
};

/** Captures whose frame count differs from tshark 4.0's, and why (tshark is the one wrong, or the file is). */
const FRAME_COUNT_DIFFERENCES: Record<string, string> = {};

describe.skipIf(!have)('real captures: our TCP reading against tshark', () => {
  it('reads every capture with tshark\'s frame count', () => {
    const index = readFileSync(path.join(zeek, 'index.tsv'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split('\t'));
    const differ: string[] = [];
    for (const [name, , frames] of index) {
      const { session } = analyzeFile(path.join(zeek, name));
      if (session.columns.length !== Number(frames) && !(name in FRAME_COUNT_DIFFERENCES)) differ.push(`${name}: tshark ${frames}, ours ${session.columns.length}`);
    }
    expect(differ).toEqual([]);
  }, 600_000);

  it('agrees on the fields of ≥ 99.9 % of TCP frames and on each common flag with F1 ≥ 0.99', () => {
    const results = readTsharkFixture().map((c) => compareCapture(path.join(zeek, c.file), c));
    const table = summarize(results);
    console.log(`real captures against tshark 4.0:\n${formatTable(table)}`);
    expect(table.errors).toEqual([]);
    const differing = results.filter((a) => a.equalFrames < a.tcpFrames).map((a) => a.file).sort();
    expect(differing, 'captures differing from tshark without a reason in KNOWN_DIFFERENCES').toEqual(Object.keys(KNOWN_DIFFERENCES).sort());
    // Every frame named as tshark's error still differs (a stale entry would hide a change of ours).
    expect(table.tsharkWrong, 'TSHARK_WRONG names frames where we now agree with tshark').toBe(TSHARK_WRONG.length);
    for (const f of table.fields) expect(f.share, f.field).toBeGreaterThanOrEqual(0.999);
    for (const f of table.flags) if (f.tshark >= 20) expect(f.f1, f.flag).toBeGreaterThanOrEqual(0.99);
  }, 600_000);
});
