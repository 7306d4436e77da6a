/**
 * DNS through glibc in network namespaces (tools/kernel-captures, `--only "dns-timeout dns-ndots
 * dns-clean"`): a tiny DNS server in the server namespace, the client resolving with getaddrinfo
 * (A and AAAA in parallel from one socket) and the namespace's own resolv.conf. Against the ground
 * truth in each `<scenario>.meta.json` (tests/fixtures/diagnose): the node's nftables drop counter,
 * the server's log of every query it answered (name, type, rcode), the client's time per lookup.
 *
 * - dns-timeout: `options timeout:5 attempts:2 ndots:1`; the node drops one query in four (the
 *   second of each four: the AAAA of a parallel pair), as the conntrack race does.
 * - dns-ndots: `options ndots:5` with the search list of a Kubernetes pod: every name is tried
 *   under the three search domains (A and AAAA each, NXDOMAIN) before the real name.
 * - dns-clean: the same lookups with ndots:1 and nothing dropped.
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

interface Finding { id: string; kind: string; severity: string; stream: number; frames: number[]; summary: string; [k: string]: unknown }
interface Lookup { name: string; ms: number; error: string | null }
interface ServerEvent { event: string; name?: string; qtype?: number; rcode?: number }
interface Meta {
  resolv_options: string;
  search: string;
  node_nft_counters: string[];
  client_log: { event: string; lookups?: Lookup[] }[];
  server_log: ServerEvent[];
}

async function findings(file: string): Promise<Finding[]> {
  const r = await runCli('analyze', path.join(fixtures, file), '--format', 'json');
  expect(r.code, r.err).toBe(0);
  return (JSON.parse(r.out) as { findings: Finding[] }).findings;
}

function meta(scenario: string): Meta {
  return JSON.parse(readFileSync(path.join(fixtures, `${scenario}.meta.json`), 'utf8')) as Meta;
}

const lookups = (m: Meta): Lookup[] => m.client_log.find((e) => e.event === 'dns-client-done')?.lookups ?? [];
const optionOf = (m: Meta, name: string): number => Number(new RegExp(`(?:^|\\s)${name}:(\\d+)`).exec(m.resolv_options)?.[1] ?? NaN);

describe('dns-timeout: one query of a parallel A/AAAA pair dropped in the node', () => {
  it('is one dns-timeout finding with the drops, the 5 s re-asks and the race named', async () => {
    const m = meta('dns-timeout');
    const timeout = optionOf(m, 'timeout');
    expect(timeout).toBe(5);
    const dropped = Number(/packets (\d+)/.exec(m.node_nft_counters.find((l) => l.includes('drop')) ?? '')?.[1]);
    expect(dropped).toBe(3);
    // The client waited a timeout in each lookup that lost a query.
    const stalled = lookups(m).filter((l) => l.ms >= timeout * 1000 && !l.error).length;
    expect(stalled).toBe(dropped);

    const all = await findings('dns-timeout.node-eth0.pcap');
    const dns = all.filter((f) => f.kind.startsWith('dns-'));
    expect(dns.map((f) => f.kind)).toEqual(['dns-timeout']);
    const f = dns[0];
    expect(f.severity).toBe('warning');
    expect(f.stream).toBe(-1);
    expect(f.unanswered).toBe(dropped);
    // Two of the dropped queries were asked again, each after the resolver's timeout; the third
    // lookup gave up on its AAAA (the A had been answered) and asked nothing more.
    expect(f.retries).toBe(2);
    for (const s of f.retryAfter as number[]) expect(Math.abs(s - timeout)).toBeLessThan(0.05);
    expect(f.samePort).toBe(1);
    // The first two drops hit the AAAA of a pair sent together from one socket, the race's
    // signature; after a lookup got only one of its two answers, glibc sends the pair from two
    // sockets one after the other (single-request-reopen by itself), so the third drop is not one.
    expect(f.parallel).toBe(2);
    expect(f.failed).toBe(0);
    expect(f.names).toEqual(['api.example.com (AAAA)', 'db.internal.example (AAAA)']);
    // Frames as tshark numbers them: the dropped AAAA queries 2, 10, 17 and the re-asks 6, 13.
    expect(f.frames).toEqual([2, 6, 10, 13, 17]);
    expect(f.timeLost as number).toBeCloseTo(2 * timeout, 1);
  });
});

describe('dns-ndots: search-path expansion with ndots:5', () => {
  it('counts the NXDOMAINs per lookup and the time they cost', async () => {
    const m = meta('dns-ndots');
    const domains = m.search.split(/\s+/).filter(Boolean);
    expect(optionOf(m, 'ndots')).toBe(5);
    const answered = m.server_log.filter((e) => e.event === 'answered');
    const nx = answered.filter((e) => e.rcode === 3).length;
    const ls = lookups(m);
    expect(nx).toBe(ls.length * domains.length * 2);

    const all = await findings('dns-ndots.node-eth0.pcap');
    const dns = all.filter((f) => f.kind.startsWith('dns-'));
    expect(dns.map((f) => f.kind)).toEqual(['dns-search-expansion']);
    const f = dns[0];
    expect(f.severity).toBe('info');
    expect(f.lookups).toBe(ls.length);
    expect(f.nxdomains).toBe(nx);
    expect(f.nxdomainsPerLookup).toBe(domains.length * 2);
    expect(f.nxdomainsEach).toEqual(ls.map(() => domains.length * 2));
    expect(f.searchDomains).toEqual(domains);
    expect(f.names).toEqual([...new Set(ls.map((l) => l.name))]);
    // The time lost per lookup is part of the lookup's own time as the client measured it.
    const perLookup = f.timeLostPerLookup as number;
    expect(perLookup).toBeGreaterThan(0);
    expect(perLookup * 1000).toBeLessThan(Math.max(...ls.map((l) => l.ms)));
    expect(f.frames.slice(0, 2)).toEqual([1, 13]);
  });
});

describe('dns-clean: the same lookups, nothing dropped, ndots:1', () => {
  it('has no DNS finding', async () => {
    const all = await findings('dns-clean.node-eth0.pcap');
    expect(all.filter((f) => f.kind.startsWith('dns-'))).toEqual([]);
  });
});
