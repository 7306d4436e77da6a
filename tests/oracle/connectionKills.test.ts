/**
 * Connections killed by something on the path, made by the real Linux kernel in network namespaces
 * (tools/kernel-captures, `--only "idle-reset idle-drop foreign-reset untranslated-syn
 * untranslated-data"`), against the ground truth in each `<scenario>.meta.json`
 * (tests/fixtures/diagnose): what the programs did and logged, the client's tcp_info, the node's
 * nftables rules and counters. The captures are cut to their headers (editcap -s 96).
 *
 * - idle-reset: a request, 10 s of silence, another request; half-way through the silence the node
 *   starts answering the client's packets with a TCP reset in the server's name (a load balancer
 *   with TCP reset on idle).
 * - idle-drop: the same, the node dropping them instead: the client retransmits until its user
 *   timeout (8 s).
 * - idle-conntrack: the node's conntrack forgets the idle connection itself (a ct timeout policy of
 *   5 s for established, nf_conntrack_tcp_loose=0) and rejects INVALID packets with a TCP reset;
 *   idle-keepalive the same against a client with SO_KEEPALIVE and TCP_KEEPIDLE 8 s.
 * - foreign-reset: requests every 0.3 s; after 1.2 s the node rejects the client's packets with a
 *   TCP reset: a RST with the node's TTL (64) where the server's packets arrive with 62;
 *   foreign-reset-v6 the same over IPv6 (hop limits, no IP ID); foreign-reset-varied with the node
 *   also setting the TTL of every other server packet to 50 (a path whose TTL varies).
 * - untranslated-syn / untranslated-data: the node DNATs 198.18.9.9:80 to the server; the server's
 *   SYN/ACKs (syn), or every reply after the first request (data), skip the node's connection
 *   tracking (`notrack`), so they reach the client from the server's own address.
 *
 * Runs the CLI in-process (`analyze ... --format json`); needs neither root nor ../shared (the last
 * test, none of these findings on the clean captures of ../shared/captures, skips without it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../unit/cliRun';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = path.resolve(repoRoot, 'tests', 'fixtures', 'diagnose');
const sharedCaptures = path.resolve(repoRoot, '..', 'shared', 'captures');
const haveShared = existsSync(sharedCaptures);

interface Finding { id: string; kind: string; severity: string; stream: number; frames: number[]; summary: string; [k: string]: unknown }
interface Request { request: number; t: number; ms: number; error?: string; reply?: number }
interface ClientEvent { event: string; log?: Request[]; error?: string; connected?: boolean; tcp_info?: Record<string, number> }
interface Meta {
  idle_s?: number;
  forgotten_after_s?: number;
  node_default_ttl?: number;
  server_hops_to_capture?: number;
  ttl_rewritten_to?: number | null;
  node_nft_counters: string[];
  client_log: ClientEvent[];
}

const OURS = ['idle-timeout', 'foreign-reset', 'untranslated-reply'];

async function findings(scenario: string): Promise<Finding[]> {
  const r = await runCli('analyze', path.join(fixtures, `${scenario}.node-eth0.pcap`), '--format', 'json');
  expect(r.code, r.err).toBe(0);
  return (JSON.parse(r.out) as { findings: Finding[] }).findings;
}

function meta(scenario: string): Meta {
  return JSON.parse(readFileSync(path.join(fixtures, `${scenario}.meta.json`), 'utf8')) as Meta;
}

const done = (m: Meta): ClientEvent => m.client_log.find((e) => e.event.endsWith('-done')) ?? { event: 'none' };
const counter = (m: Meta, what: string): number => Number(/packets (\d+)/.exec(m.node_nft_counters.find((l) => l.includes(what)) ?? '')?.[1] ?? NaN);

describe('idle-reset: the node forgets the idle connection and resets the next write', () => {
  it('is one idle-timeout finding: idle 10 s, ended by a RST the server did not send', async () => {
    const m = meta('idle-reset');
    const log = done(m).log ?? [];
    expect(log[1].error).toBe('ECONNRESET');
    expect(counter(m, 'reject with tcp reset')).toBeGreaterThan(0);
    // The silence the client kept: from the first reply to the second request.
    const idle = log[1].t - (log[0].t + log[0].ms / 1000);

    const all = await findings('idle-reset');
    expect(all.map((f) => f.kind)).toEqual(['idle-timeout']);
    const f = all[0];
    expect(f.severity).toBe('warning');
    expect(f.ending).toBe('rst');
    expect(f.idle as number).toBeCloseTo(m.idle_s as number, 1);
    expect(Math.abs((f.idle as number) - idle)).toBeLessThan(0.01);
    // The node forgot it after 5 s: the timeout is at most the silence, and nothing shorter was survived.
    expect(f.idle as number).toBeGreaterThanOrEqual(m.forgotten_after_s as number);
    expect(f.survived as number).toBeLessThan(m.forgotten_after_s as number);
    expect(f.rstForeign).toBe(true);
    expect(f.defaults).toEqual([]);
    expect(f.retransmissions).toBe(0);
    // Frames: the write after the silence (8), the last packet before it (7), the RST (9).
    expect(f.frames).toEqual([8, 7, 9]);
    expect(f.rstFrame).toBe(9);
  });
});

describe('idle-conntrack: the node\'s conntrack entry times out while idle (a ct timeout policy of 5 s, no mid-stream pickup)', () => {
  it('the write after 10 s is INVALID and rejected with a TCP reset: one idle-timeout finding, idle 10 s, the timeout 5 s below it', async () => {
    const m = meta('idle-conntrack');
    const log = done(m).log ?? [];
    expect(log[1].error).toBe('ECONNRESET');
    expect(counter(m, 'ct state invalid')).toBeGreaterThan(0);
    const idle = log[1].t - (log[0].t + log[0].ms / 1000);
    const all = await findings('idle-conntrack');
    expect(all.map((f) => f.kind)).toEqual(['idle-timeout']);
    const f = all[0];
    expect(f.severity).toBe('warning');
    expect(f.ending).toBe('rst');
    expect(f.prompted).toBe(true);
    expect(Math.abs((f.idle as number) - idle)).toBeLessThan(0.01);
    // The conntrack timeout (5 s) lies between what was survived and the silence, as the finding says.
    expect(f.idle as number).toBeGreaterThanOrEqual(m.forgotten_after_s as number);
    expect(f.survived as number).toBeLessThan(m.forgotten_after_s as number);
    expect(f.rstForeign).toBe(true);
    expect(f.frames).toEqual([8, 7, 9]);
  });
});

describe('idle-keepalive: the same conntrack timeout (5 s) against a client whose keep-alive comes after 8 s', () => {
  it('the keep-alive probe is rejected with a TCP reset: one idle-timeout finding told as a keep-alive too late, idle = the keep-alive time', async () => {
    const m = meta('idle-keepalive') as Meta & { keepalive_idle_s: number };
    expect(done(m).log?.[1].error).toBe('ECONNRESET');
    expect(counter(m, 'ct state invalid')).toBeGreaterThan(0);
    const all = await findings('idle-keepalive');
    expect(all.map((f) => f.kind)).toEqual(['idle-timeout']);
    const f = all[0];
    expect(f.severity).toBe('warning');
    expect(f.ending).toBe('rst');
    expect(f.title).toContain('keep-alive');
    // TCP_KEEPIDLE 8 s: the probe leaves 8 s after the last packet (the kernel's timer a little late).
    expect(f.idle as number).toBeGreaterThanOrEqual(m.keepalive_idle_s);
    expect(f.idle as number).toBeLessThan(m.keepalive_idle_s + 0.3);
    expect(f.idle as number).toBeGreaterThanOrEqual(m.forgotten_after_s as number);
    expect(f.rstForeign).toBe(true);
    expect(f.frames).toEqual([8, 7, 9]);
  });
});

describe('idle-drop: the node forgets the idle connection and drops the next write', () => {
  it('is one idle-timeout finding ending in retransmissions, as many as the kernel counted; no retransmission-timeout or reset beside it', async () => {
    const m = meta('idle-drop');
    const c = done(m);
    const log = c.log ?? [];
    expect(log[1].error).toBe('ETIMEDOUT');
    const idle = log[1].t - (log[0].t + log[0].ms / 1000);

    const all = await findings('idle-drop');
    expect(all.map((f) => f.kind)).toEqual(['idle-timeout']);
    const f = all[0];
    expect(f.severity).toBe('error');
    expect(f.ending).toBe('retransmissions');
    expect(Math.abs((f.idle as number) - idle)).toBeLessThan(0.01);
    expect(f.retransmissions).toBe(c.tcp_info?.total_retrans);
    expect(f.rstFrame).toBe(0);
    expect(f.rstForeign).toBeNull();
    expect(f.frames).toEqual([8, 7, 9, 10, 11, 12, 13, 14]);
  });
});

describe('foreign-reset: the node resets the connection in the server\'s name', () => {
  it('is one foreign-reset finding: TTL 64 (the node\'s) against the server\'s 62; the reset finding yields', async () => {
    const m = meta('foreign-reset');
    const log = done(m).log ?? [];
    expect(log[log.length - 1].error).toBe('ECONNRESET');
    expect(counter(m, 'reject with tcp reset')).toBeGreaterThan(0);

    const all = await findings('foreign-reset');
    expect(all.map((f) => f.kind)).toEqual(['foreign-reset']);
    const f = all[0];
    expect(f.severity).toBe('warning');
    expect(f.ttl).toBe(m.node_default_ttl);
    expect(f.usualTtl).toBe(64 - (m.server_hops_to_capture as number));
    expect(f.rsts).toBe(1);
    expect(f.frames).toEqual([18]);
    // Linux gives the SYN/ACK and the node's RST IP ID 0: the IP ID tells nothing here.
    expect(f.ipIdFits).toBeNull();
    expect(f.varied).toBe(false);
  });

  it('foreign-reset-v6: the same over IPv6, told by the hop limit alone', async () => {
    const m = meta('foreign-reset-v6');
    const log = done(m).log ?? [];
    expect(log[log.length - 1].error).toBe('ECONNRESET');
    const all = await findings('foreign-reset-v6');
    expect(all.map((f) => f.kind)).toEqual(['foreign-reset']);
    const f = all[0];
    expect(f.severity).toBe('warning');
    expect(f.ttl).toBe(m.node_default_ttl);
    expect(f.usualTtl).toBe(64 - (m.server_hops_to_capture as number));
    expect(f.ipIdFits).toBeNull();
    expect(f.frames).toEqual([15]);
  });

  it('foreign-reset-varied: the node also rewrote the TTL of every other server packet: the origin is only likely; a warning still, for the request the RST cut off', async () => {
    const m = meta('foreign-reset-varied');
    const rewritten = counter(m, 'ttl set');
    expect(rewritten).toBeGreaterThan(0);
    const all = await findings('foreign-reset-varied');
    expect(all.map((f) => f.kind)).toEqual(['foreign-reset']);
    const f = all[0];
    expect(f.severity).toBe('warning');
    expect(f.title).toContain('likely');
    expect(f.varied).toBe(true);
    expect(f.ttl).toBe(m.node_default_ttl);
    expect(f.frames).toEqual([12]);
    expect(f.summary).toContain(`${m.ttl_rewritten_to} to 62`);
  });
});

describe('untranslated replies: the node DNATs a service address and the replies skip the reverse translation', () => {
  it('untranslated-syn: every SYN/ACK came from the backend and was reset; one error finding, no handshake failure beside it', async () => {
    const m = meta('untranslated-syn');
    expect(done(m).connected).toBe(false);
    expect(counter(m, 'notrack')).toBeGreaterThan(0);

    const all = await findings('untranslated-syn');
    expect(all.map((f) => f.kind)).toEqual(['untranslated-reply']);
    const f = all[0];
    expect(f.severity).toBe('error');
    expect(f.phase).toBe('handshake');
    expect(f.client).toMatch(/^198\.18\.1\.2:\d+$/);
    expect(f.service).toBe('198.18.9.9:80');
    expect(f.backend).toBe('198.18.3.2:9090');
    expect(f.stream).toBe(0);
    expect(f.replyStream).toBe(1);
    // Each of the client's five SYNs: a SYN/ACK from the backend (the notrack rule's counter) and the client's RST.
    expect(f.replies).toBe(counter(m, 'notrack'));
    expect(f.clientResets).toBe(f.replies);
    expect(f.frames.slice(0, 3)).toEqual([2, 3, 1]);
  });

  it('untranslated-data: the answer to the second request and the backend\'s later resets came from its own address; no retransmission-timeout beside it', async () => {
    const m = meta('untranslated-data');
    const log = done(m).log ?? [];
    expect(log[0].reply).toBeGreaterThan(0);
    expect(log[1].error).toBe('ETIMEDOUT');

    const all = await findings('untranslated-data');
    expect(all.map((f) => f.kind)).toEqual(['untranslated-reply']);
    const f = all[0];
    expect(f.severity).toBe('error');
    expect(f.phase).toBe('data');
    // Every packet the notrack rule let through untranslated: the reply (frame 9) and five RSTs.
    expect(f.replies).toBe(counter(m, 'notrack'));
    expect(f.clientResets).toBe(1);
    expect(f.frames).toEqual([9, 10, 8, 12, 14, 16, 18, 20]);
  });
});

describe('the other kernel fixtures', () => {
  it('have none of these findings', async () => {
    for (const file of ['rst-and-refused.node-eth0.pcap', 'stall-at-end.node-eth0.pcap', 'spurious-rto.node-eth0.pcap', 'zero-window.node-eth0.pcap',
      'pmtu-blackhole.node-eth0.pcap', 'dns-timeout.node-eth0.pcap', 'capture-gaps.node-eth0.pcap']) {
      const r = await runCli('analyze', path.join(fixtures, file), '--format', 'json');
      expect(r.code, r.err).toBe(0);
      const kinds = (JSON.parse(r.out) as { findings: Finding[] }).findings.map((f) => f.kind);
      expect(kinds.filter((k) => OURS.includes(k)), file).toEqual([]);
    }
  });
});

describe.skipIf(!haveShared)('the clean captures of ../shared/captures (skipped when ../shared/captures is absent)', () => {
  it('have none of these findings', async () => {
    const files = readdirSync(sharedCaptures).filter((f) => /\.pcap(ng)?(\.gz)?$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const r = await runCli('analyze', path.join(sharedCaptures, file), '--format', 'json');
      expect(r.code, r.err).toBe(0);
      const kinds = (JSON.parse(r.out) as { findings: Finding[] }).findings.map((f) => f.kind);
      expect(kinds.filter((k) => OURS.includes(k)), file).toEqual([]);
    }
  }, 240_000);
});
