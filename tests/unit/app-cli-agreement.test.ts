/**
 * The app and the command line tell the same: the worker's engine and the CLI's report, fed the
 * same capture, agree on every stream's retransmissions and holes (the diagnoses' fates, not
 * Wireshark's flag counts), on which findings concern each stream (a grouped finding every stream
 * it covers), on the findings list itself and on the caveats.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReport, loadCapture } from '../../src/cli/analyze';
import { loadCore } from '../../web/worker/core';
import { AnalysisEngine } from '../../web/worker/engine';
import { groupedCapture } from './groupedCapture';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const diagnose = (name: string) => path.join(repoRoot, 'tests', 'fixtures', 'diagnose', name);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ci-agree-'));
const grouped = path.join(tmp, 'grouped-refusals.pcap');
writeFileSync(grouped, groupedCapture());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CAPTURES = [
  path.join(repoRoot, 'public', 'samples', 'pmtu-blackhole.pcap'),
  // Every forwarded packet twice: Wireshark calls the copies retransmissions, the diagnoses do not.
  diagnose('pmtu-blackhole.node-any.sll2.pcap'),
  diagnose('pmtu-blackhole.node-eth0-tunl0.pcapng'),
  diagnose('pmtu-blackhole.server-eth0.pcap'),
  diagnose('pmtu-ok.node-eth0.pcap'),
  diagnose('random-loss-sack.node-eth0.pcap.gz'),
  diagnose('rst-and-refused.node-eth0.pcap'),
  diagnose('zero-window.node-eth0.pcap'),
  grouped,
];

async function both(file: string, mtu?: number) {
  const cli = buildReport(await loadCapture(file), path.basename(file), { lang: 'en', mtu }).json;
  const engine = new AnalysisEngine(loadCore());
  const summary = await engine.open(new File([readFileSync(file)], path.basename(file)), mtu ?? 0, 'en', () => undefined);
  return { cli, engine, summary, mtu: mtu ?? 0 };
}

async function compare(file: string, mtu?: number) {
  const { cli, engine, summary, mtu: m } = await both(file, mtu);
  const list = engine.findings(m, 'en').findings;
  // The findings list: same findings, same order, same kinds and severities, same streams.
  expect(list.map((f) => [f.id, f.kind, f.severity, f.stream, f.streams ?? [f.stream]]))
    .toEqual(cli.findings.map((f) => [f.id, f.kind, f.severity, f.stream, (f.streams as number[] | undefined) ?? [f.stream]]));
  const rows = engine.streams({ type: 'streams', sort: { key: 'index', desc: false }, filter: '', problemsOnly: false, from: 0, count: 5000 }).rows;
  expect(rows.map((r) => r.index)).toEqual(cli.streams.map((s) => s.index));
  for (const s of cli.streams) {
    const row = rows[s.index];
    expect({ stream: s.index, retrans: row.retrans, holes: row.holes, findings: row.findings })
      .toEqual({ stream: s.index, retrans: s.retransmissions, holes: s.holes, findings: s.findings.length });
    expect(engine.streamFindings(s.index, m, 'en').findings.map((f) => f.id)).toEqual(s.findings);
  }
  expect(summary.problemStreams).toBe(cli.streams.filter((s) => s.findings.length > 0).length);
  // What to read with care, too (packets captured twice counted by the same rule).
  expect((summary.caveats ?? []).map((c) => [c.kind, c.count])).toEqual(cli.caveats.map((c) => [c.kind, c.count]));
  return { cli, engine, rows };
}

describe('the app and the CLI agree', () => {
  for (const file of CAPTURES) {
    it(`on ${path.basename(file)}`, async () => {
      await compare(file);
    });
  }

  it('at a chosen path MTU too', async () => {
    await compare(CAPTURES[0], 1440);
  });

  it('the sample: 7 retransmissions and one hole, as the CLI counts them', async () => {
    const { rows } = await compare(CAPTURES[0]);
    expect(rows[0]).toMatchObject({ retrans: 7, holes: 1 });
  });

  it('a capture of every packet twice: the copies are no retransmissions, though Wireshark flags them', async () => {
    const { cli, rows } = await compare(CAPTURES[1]);
    expect(rows[0].retrans).toBe(7);
    expect(rows[0].flags).toMatch(/R(\d+)/);
    expect(Number(/R(\d+)/.exec(rows[0].flags)?.[1])).toBeGreaterThan(7);
    expect(cli.streams[0].retransmissions).toBe(7);
  });

  it('a grouped finding belongs to each of its streams, and opens at the one told in detail', async () => {
    const { engine, rows } = await compare(grouped);
    const list = engine.findings(0, 'en').findings;
    const g = list.find((f) => f.kind === 'handshake-failure');
    expect(g).toMatchObject({ stream: 0, streams: [0, 1, 2, 3], frame: 2 });
    expect(list.filter((f) => f.kind === 'handshake-failure')).toHaveLength(1);
    for (const s of [0, 1, 2, 3]) {
      expect(rows[s].findings).toBe(1);
      expect(rows[s].worst).toBe(g?.severity);
      expect(engine.streamFindings(s, 0, 'en').findings.map((f) => f.id)).toEqual([g?.id]);
    }
    expect(rows[4].findings).toBe(0);
    expect(rows[4]).toMatchObject({ retrans: 1, holes: 1 });
    const problems = engine.streams({ type: 'streams', sort: { key: 'index', desc: false }, filter: '', problemsOnly: true, from: 0, count: 10 });
    expect(problems.rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(engine.summary().summary?.problemStreams).toBe(4);
    // A single-stream finding's line carries no member list.
    const single = await both(CAPTURES[0]);
    expect(single.engine.findings(0, 'en').findings.every((f) => f.streams === undefined)).toBe(true);
  });
});
