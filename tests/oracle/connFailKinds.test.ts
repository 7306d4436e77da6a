/**
 * Handshake failures made with real Linux kernels in network namespaces (tools/kernel-captures,
 * `--only "syn-drop-range paws-nat asym-synack"`, scenarios in conn-failures.sh), against the ground
 * truth in each `<scenario>.meta.json` (tests/fixtures/diagnose):
 *
 * - syn-drop-range: the node drops every SYN to ports 9091-9099 whose source port & 6 == 2; the
 *   client opens 20 connections to 9091 and 20 to 9090 (connect timeout 8 s) while a paced transfer
 *   on 5001 goes on. Truth: the clients' logs (ok / timed out), the drop rule's counter (SYNs).
 * - syn-drop: 30 short connections, two at a time; the node drops one SYN in five (`numgen inc mod 5`,
 *   retries counted too): those connections are answered a second later. Truth: the drop counter.
 * - paws-nat: two hosts masqueraded to one address, host B's timestamp clock an hour behind (wire.py
 *   --ts-shift-ms); the server drops SYNs from that address with a TSval below host A's clock
 *   (tcp_tw_recycle's check, emulated in nftables). Truth: the clients' logs, the server's drop counter.
 * - asym-synack: the server routes its SYN-ACKs by a second link (an nft mark and a policy rule).
 *   Truth: the server's mark counter (SYN-ACKs sent the other way), the client's links.
 * - asym-mac: the same on one bridged LAN: the SYN-ACKs reach the client from the server's LAN port
 *   instead of its gateway (the node). Truth: the mark counter, the MACs of the three ports.
 *
 * Runs the CLI in-process (`analyze ... --format json`); needs neither root nor ../shared.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../unit/cliRun';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = path.resolve(repoRoot, 'tests', 'fixtures', 'diagnose');

interface Finding { id: string; kind: string; severity: string; stream: number; streams?: number[]; frames: number[]; summary: string; [k: string]: unknown }
interface ClientLog { event: string; ok?: number; n_errors?: number }

async function findings(file: string): Promise<Finding[]> {
  const r = await runCli('analyze', path.join(fixtures, file), '--format', 'json');
  expect(r.code, r.err).toBe(0);
  return (JSON.parse(r.out) as { findings: Finding[] }).findings;
}

function meta(scenario: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(fixtures, `${scenario}.meta.json`), 'utf8')) as Record<string, unknown>;
}

const counter = (lines: unknown): number => Number(/packets (\d+)/.exec((lines as string[])[0] ?? '')?.[1]);
const client = (log: unknown): ClientLog => (log as ClientLog[]).find((e) => e.event === 'many-client') ?? { event: '' };

describe('syn-drop-range: SYNs to a port range dropped for some source ports', () => {
  it('is one syn-dropped finding for the client with the failed share, the retries and the ports not hit', async () => {
    const m = meta('syn-drop-range');
    const hit = client(m.client_log_dropped_port), kept = client(m.client_log_kept_port);
    expect(kept.n_errors).toBe(0);
    const all = await findings('syn-drop-range.node-eth0.pcap');
    const f = all.filter((x) => x.kind === 'syn-dropped');
    expect(f).toHaveLength(1);
    const s = f[0];
    // Every connection that timed out is a failed one, the others to that port answered at once.
    expect(s.failed).toBe(hit.n_errors);
    expect(s.delayed).toBe(0);
    expect(s.connections).toBe((hit.ok ?? 0) + (hit.n_errors ?? 0));
    expect(s.unansweredSyns).toBe(counter(m.node_nft_counters));
    expect(s.services).toEqual([`${m.server as string}:${m.dropped_port as number} (${hit.n_errors}/${s.connections})`]);
    expect(s.unaffected).toContain(`${m.server as string}:${m.port as number} (0/${kept.ok})`);
    expect(s.carriedOn).toBe(1);
    // The kernel's SYN timer: a second apart at first, then doubling.
    const r = s.retryAfter as number[];
    expect(r.length).toBe(6);
    for (const [k, want] of [1, 2, 3, 4, 5, 7].entries()) expect(Math.abs(r[k] - want)).toBeLessThan(0.2);
    expect(s.severity).toBe('error');
    expect(s.streams).toHaveLength(hit.n_errors ?? 0);
    // One pattern, one finding: the same SYNs are no handshake-failure as well.
    expect(all.filter((x) => x.kind === 'handshake-failure')).toEqual([]);
    expect(all.filter((x) => x.kind === 'paws-drop' || x.kind === 'asymmetric-path')).toEqual([]);
  });
});

describe('syn-drop: one SYN in five dropped in the node (numgen), retries included', () => {
  it('is one syn-dropped finding of delayed connections, every dropped SYN counted', async () => {
    const m = meta('syn-drop');
    const c = client(m.client_log);
    expect(c.n_errors).toBe(0);
    const all = await findings('syn-drop.node-eth0.pcap');
    const f = all.filter((x) => x.kind === 'syn-dropped');
    expect(f).toHaveLength(1);
    const s = f[0];
    expect(s.failed).toBe(0);
    expect(s.connections).toBe(m.conns);
    expect(s.unansweredSyns).toBe(counter(m.node_nft_counters));
    // Each dropped SYN delayed its connection; a retry dropped too delayed the same one again.
    expect(s.delayed as number).toBeGreaterThanOrEqual(Math.ceil((s.unansweredSyns as number) / 2));
    expect(s.delayed as number).toBeLessThanOrEqual(s.unansweredSyns as number);
    expect(s.severity).toBe('warning');
    expect(Math.abs((s.retryAfter as number[])[0] - 1)).toBeLessThan(0.2);
  });
});

describe('paws-nat: SYNs with a timestamp behind the NAT address\'s clock dropped by the server', () => {
  it('is one paws-drop finding (and no syn-dropped or handshake-failure) with the connections and SYNs of host B', async () => {
    const m = meta('paws-nat');
    const a = client(m.client_log_a), b = client(m.client_log_b);
    expect([a.ok, b.ok]).toEqual([m.conns_a, 0]);
    const all = await findings('paws-nat.server-eth0.pcap');
    const f = all.filter((x) => x.kind === 'paws-drop');
    expect(f).toHaveLength(1);
    expect(f[0].connections).toBe(b.n_errors);
    expect(f[0].syns).toBe(counter(m.server_nft_counters));
    expect(f[0].answered).toBe(m.conns_a);
    // Behind by the shift, less the time between the two packets compared (under 10 s).
    const behind = f[0].behindBy as number, shift = m.client_b_behind_ms as number;
    expect(behind).toBeLessThanOrEqual(shift);
    expect(behind).toBeGreaterThan(shift - 10_000);
    expect(f[0].summary).toContain('consistent with PAWS');
    expect(all.filter((x) => x.kind === 'syn-dropped' || x.kind === 'handshake-failure' || x.kind === 'asymmetric-path')).toEqual([]);
  });
});

describe('asym-synack: the server\'s SYN-ACKs take another link', () => {
  it('at the node: every handshake without its SYN-ACK, the rest of the connection seen', async () => {
    const m = meta('asym-synack');
    const marked = counter(m.server_mark_counters);
    expect(marked).toBe(m.conns);
    const all = await findings('asym-synack.node-eth0.pcap');
    const f = all.filter((x) => x.kind === 'asymmetric-path');
    expect(f).toHaveLength(1);
    expect([f[0].variant, f[0].handshakes, f[0].of, f[0].severity]).toEqual(['synack-unseen', marked, marked, 'warning']);
    expect(all.filter((x) => x.kind !== 'asymmetric-path' && x.severity !== 'info')).toEqual([]);
  });

  it('at the client (-i any): the SYN-ACKs arrive on eth1, the SYNs leave by eth0', async () => {
    const m = meta('asym-synack');
    const links = m.client_links as Record<string, { ifindex: number }>;
    const all = await findings('asym-synack.client-any.sll2.pcap');
    const f = all.filter((x) => x.kind === 'asymmetric-path');
    expect(f).toHaveLength(1);
    expect([f[0].variant, f[0].handshakes, f[0].synInterface, f[0].synAckInterface])
      .toEqual(['interface', m.conns, `ifindex ${links.eth0.ifindex}`, `ifindex ${links.eth1.ifindex}`]);
  });

  it('asym-mac, at the client on one LAN: the SYN-ACKs come from the server\'s LAN port, the SYNs go to the node', async () => {
    const m = meta('asym-mac');
    const macs = m.macs as Record<string, string>;
    expect(counter(m.server_mark_counters)).toBe(m.conns);
    const all = await findings('asym-mac.client-eth0.pcap');
    const f = all.filter((x) => x.kind === 'asymmetric-path');
    expect(f).toHaveLength(1);
    expect([f[0].variant, f[0].handshakes, f[0].of, f[0].synInterface, f[0].synAckInterface, f[0].severity])
      .toEqual(['mac', m.conns, m.conns, macs.node_eth0, macs.server_eth1, 'warning']);
    expect((f[0] as unknown as { text: string }).text).toContain('only the SYN-ACKs took the other way');
  });
});
