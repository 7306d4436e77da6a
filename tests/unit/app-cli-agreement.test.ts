/**
 * The app and the command line tell the same: the worker's engine and the CLI's report, fed the
 * same capture, agree on the capture's summary, on every stream's row (endpoints, packets, bytes,
 * duration, retransmissions and holes: the diagnoses' fates, not Wireshark's flag counts), on
 * which findings concern each stream (a grouped finding every stream it covers), on the findings
 * list itself and on the caveats. Both read through src/analysis.ts, where each is computed once.
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
const vlan = path.join(tmp, 'grouped-refusals.vlan.pcap');
writeFileSync(vlan, vlanTagged(groupedCapture()));

/** An Ethernet pcap with an 802.1Q tag (VLAN 100) in every frame: a VLAN tag is no tunnel. */
function vlanTagged(pcap: Uint8Array): Uint8Array {
  const le = pcap[0] === 0xd4 || pcap[0] === 0x4d; // little-endian magic, µs or ns
  const view = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
  const parts: Uint8Array[] = [pcap.subarray(0, 24)];
  for (let o = 24; o + 16 <= pcap.length; ) {
    const incl = view.getUint32(o + 8, le), orig = view.getUint32(o + 12, le);
    const rec = new Uint8Array(16 + incl + 4);
    const rv = new DataView(rec.buffer);
    rec.set(pcap.subarray(o, o + 16));
    rv.setUint32(8, incl + 4, le);
    rv.setUint32(12, orig + 4, le);
    rec.set(pcap.subarray(o + 16, o + 28), 16);
    rec.set([0x81, 0x00, 0x00, 0x64], 28);
    rec.set(pcap.subarray(o + 28, o + 16 + incl), 32);
    parts.push(rec);
    o += 16 + incl;
  }
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of parts) { out.set(x, at); at += x.length; }
  return out;
}
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
  // DNS findings: about a client and a server (stream -1), not a TCP stream.
  diagnose('dns-timeout.node-eth0.pcap'),
  diagnose('dns-ndots.node-eth0.pcap'),
  grouped,
  vlan,
];

async function both(file: string, mtu?: number) {
  const cli = buildReport(await loadCapture(file), path.basename(file), { lang: 'en', mtu }).json;
  const engine = new AnalysisEngine(loadCore());
  const summary = await engine.open(new File([readFileSync(file)], path.basename(file)), mtu ?? 0, 'en', () => undefined);
  return { cli, engine, summary, mtu: mtu ?? 0 };
}

async function compare(file: string, mtu?: number) {
  const { cli, engine, summary, mtu: m } = await both(file, mtu);
  // The summary: one rule for each number (a VLAN tag is no tunnel, in either).
  const c = cli.capture;
  expect({
    format: summary.format.replace(/ \(gzip\)$/, ''), linkTypes: summary.linkTypes, interfaces: summary.interfaces, packets: summary.packets,
    tcpPackets: summary.tcpPackets, firstTime: summary.firstTime, lastTime: summary.lastTime, streams: summary.streams, tunnels: summary.tunnels,
  }).toEqual({
    format: c.format, linkTypes: c.linkTypes.map((linkType, i) => ({ linkType, name: c.linkTypeNames[i] })), interfaces: c.interfaces, packets: c.frames,
    tcpPackets: c.tcpPackets, firstTime: c.firstTime, lastTime: c.lastTime, streams: c.streams, tunnels: c.tunnels,
  });
  expect(summary.warnings.map((w) => [w.kind, w.message])).toEqual(c.warnings.map((w) => [w.kind, w.message]));
  const list = engine.findings(m, 'en').findings;
  // The findings list: same findings, same order, same kinds and severities, same streams.
  expect(list.map((f) => [f.id, f.kind, f.severity, f.stream, f.streams ?? [f.stream]]))
    .toEqual(cli.findings.map((f) => [f.id, f.kind, f.severity, f.stream, (f.streams as number[] | undefined) ?? [f.stream]]));
  const rows = engine.streams({ type: 'streams', sort: { key: 'index', desc: false }, filter: '', problemsOnly: false, from: 0, count: 5000 }).rows;
  expect(rows.map((r) => r.index)).toEqual(cli.streams.map((s) => s.index));
  for (const s of cli.streams) {
    const row = rows[s.index];
    expect({ stream: s.index, a: row.a, b: row.b, packets: row.packets, bytes: row.bytes, duration: row.duration, retrans: row.retrans, holes: row.holes, findings: row.findings })
      .toEqual({
        stream: s.index, a: s.a, b: s.b, packets: s.packets, bytes: s.bytes.aToB + s.bytes.bToA, duration: s.duration,
        retrans: s.retransmissions, holes: s.holes, findings: s.findings.length,
      });
    expect(engine.streamFindings(s.index, m, 'en').findings.map((f) => f.id)).toEqual(s.findings);
    // The stream's numbers (the stream view's "Numbers", the JSON's `stats`).
    expect(engine.streamStats(s.index).stats).toEqual(s.stats);
    expect(s.stats!.sides[0].retransmittedSegments + s.stats!.sides[1].retransmittedSegments).toBe(s.retransmissions);
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

  it('a VLAN tag is no tunnel, in the app as in the CLI', async () => {
    const { cli, engine } = await compare(vlan);
    expect(cli.capture.tunnels).toEqual([]);
    expect(engine.summary().summary?.tunnels).toEqual([]);
    expect(cli.streams.length).toBe(5);
    // The tags were decoded (Encap.Vlan is 32): they are simply not counted as a tunnel.
    expect((await loadCapture(vlan)).encaps & 32).toBe(32);
  });

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
