/**
 * On the 805 real captures of ../shared/realworld/zeek (made by nobody here): the app's worker and
 * the CLI's report tell the same (the capture summary, the findings list, each stream's
 * retransmissions, holes and findings, the caveats), and the packet's "why" box never holds two contradicting statements:
 * wherever Wireshark flags a packet as something the diagnoses decided it is not (a copy or an
 * offload copy called a retransmission, a re-send called out of order, ...), the fate says so.
 * Skipped, with this name, when ../shared is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildReport, loadCapture } from '../../src/cli/analyze';
import { asRow } from '../../src/index';
import { TcpFlagBit } from '../../src/tcp/types';
import { loadCore } from '../../web/worker/core';
import { AnalysisEngine } from '../../web/worker/engine';
import { captureFiles } from './realworld';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const zeek = path.resolve(repoRoot, '..', 'shared', 'realworld', 'zeek');
const have = existsSync(zeek);
if (!have) console.warn('appAgreementRealworld.test.ts: ../shared/realworld/zeek is absent, the app is not compared with the CLI on it');

const RETRANS = TcpFlagBit.Retransmission | TcpFlagBit.FastRetransmission | TcpFlagBit.SpuriousRetransmission;

/** What the fate must say when Wireshark's flag says otherwise; null when the two agree. */
function mustSay(key: string, wireshark: number): RegExp | null {
  const copy = key === 'fate.copy';
  if (wireshark & RETRANS && (copy || key === 'fate.offload' || key === 'fate.reordered' || key === 'fate.delivered')) return /not a retransmission|neither a retransmission/i;
  if (copy && wireshark & TcpFlagBit.DuplicateAck) return /not another duplicate ACK/;
  if (copy && wireshark & TcpFlagBit.OutOfOrder) return /not out of order/;
  if (key === 'fate.deliveredRepair' && wireshark & TcpFlagBit.OutOfOrder) return /not reordering/;
  return null;
}

describe.skipIf(!have)('the app and the CLI on real captures', () => {
  it('agree on every capture, and every fate that differs from Wireshark says so', { timeout: 600_000 }, async () => {
    const differ: string[] = [];
    const unexplained: string[] = [];
    let files = 0, explained = 0;
    for (const file of captureFiles(zeek)) {
      const rel = path.relative(zeek, file);
      let l: Awaited<ReturnType<typeof loadCapture>>;
      try { l = await loadCapture(file); } catch { continue; }
      if (l.columns.length === 0) continue;
      files++;
      const cli = buildReport(l, rel, { lang: 'en' }).json;
      const bytes = readFileSync(file);
      const engine = new AnalysisEngine(loadCore());
      const summary = await engine.open(new File([bytes], rel), 0, 'en', () => undefined);
      const list = engine.findings(0, 'en').findings;
      const rows = engine.streams({ type: 'streams', sort: { key: 'index', desc: false }, filter: '', problemsOnly: false, from: 0, count: 5000 }).rows;
      const app = {
        summary: [summary.packets, summary.tcpPackets, summary.streams, summary.tunnels, summary.firstTime, summary.lastTime, summary.linkTypes.map((t) => t.linkType)],
        findings: list.map((f) => [f.id, f.kind, f.severity, f.streams ?? [f.stream]]),
        streams: rows.map((r) => [r.index, r.retrans, r.holes, r.findings]),
        caveats: (summary.caveats ?? []).map((c) => [c.kind, c.count]),
      };
      const c = cli.capture;
      const want = {
        summary: [c.frames, c.tcpPackets, c.streams, c.tunnels, c.firstTime, c.lastTime, c.linkTypes],
        findings: cli.findings.map((f) => [f.id, f.kind, f.severity, (f.streams as number[] | undefined) ?? [f.stream]]),
        streams: cli.streams.slice(0, 5000).map((s) => [s.index, s.retransmissions, s.holes, s.findings.length]),
        caveats: cli.caveats.map((c) => [c.kind, c.count]),
      };
      if (JSON.stringify(app) !== JSON.stringify(want)) differ.push(rel);
      // The fates, through the core the worker uses (the bytes need no second reading).
      const run = loadCore().start(bytes.length);
      run.push(bytes);
      const a = run.finish();
      for (let row = 0; row < a.columns.length; row++) {
        const flags = a.tcp.flags[row];
        if (!(flags & (RETRANS | TcpFlagBit.OutOfOrder | TcpFlagBit.DuplicateAck))) continue;
        const fate = a.fate(asRow(row), 'en');
        const need = fate && mustSay(fate.key, flags);
        if (!fate || !need) continue;
        if (need.test(fate.text)) explained++;
        else unexplained.push(`${rel}#${row + 1} ${fate.key}: ${fate.text}`);
      }
    }
    console.log(`app and CLI compared on ${files} real captures; ${explained} fates differing from Wireshark's flags, each explained`);
    expect(files).toBeGreaterThan(500);
    expect(differ).toEqual([]);
    expect(unexplained).toEqual([]);
  });
});
