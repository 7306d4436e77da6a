/**
 * The kinds of capture users send, made by the real Linux kernel in network namespaces
 * (tools/kernel-captures, `KINDS=1 ./make-captures.sh`), against their ground truth: the
 * `<scenario>.meta.json` beside each capture in tests/fixtures/diagnose (the kernel's tcp_info and
 * nstat counters at both ends, the node's nftables counters, the wire's report) and the packets
 * themselves (frame numbers as tshark 4.0 shows them).
 *
 * - stall-at-end: the node drops everything from the client; the client retransmits one request
 *   with back-off and the capture stops while it is still retrying: a stall in progress.
 * - spurious-rto: the path's delay jumps for 1.5 s (the wire holds the data, drops nothing): the
 *   sender's RTO fires twice although nothing was lost, and the receiver D-SACKs both copies.
 * - blackhole-wide: a black hole behind a 1280-byte tunnel after requests of at most 572 bytes: a
 *   wide bracket.
 * - capture-gaps: a clean transfer captured through a BPF filter that leaves out one data segment
 *   in 32 (by IP ID): the receiver acknowledges data the capture never saw.
 * - offload-copies: the sender has TSO/GSO on: super-segments at the node's eth0, their MTU-sized
 *   pieces on its tunl0 (`tcpdump -i any`) and at the server.
 *
 * Runs the CLI in-process (`analyze ... --format json`), as a user does; needs neither root nor
 * ../shared.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../unit/cliRun';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = path.resolve(repoRoot, 'tests', 'fixtures', 'diagnose');

interface Finding {
  id: string;
  kind: string;
  severity: 'critical' | 'error' | 'warning' | 'info';
  stream: number;
  frames: number[];
  summary: string;
  [k: string]: unknown;
}
interface Stream {
  index: number;
  retransmissions: number;
  lost: number;
  spurious: number;
  holes: number;
  notCaptured: number;
  flags: { fin: [boolean, boolean]; rst: [boolean, boolean] };
}
interface Caveat { kind: string; severity: string; count: number; frames: number[]; streams?: number[] }
interface Report { findings: Finding[]; streams: Stream[]; caveats: Caveat[]; points?: { name: string }[] }

async function analyze(...files: string[]): Promise<Report> {
  const r = await runCli('analyze', ...files.map((f) => path.join(fixtures, f)), '--format', 'json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Report;
}

async function analyzeText(...files: string[]): Promise<string> {
  const r = await runCli('analyze', ...files.map((f) => path.join(fixtures, f)));
  expect(r.code, r.err).toBe(0);
  return r.out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Meta = Record<string, any>;
const meta = (scenario: string): Meta => JSON.parse(readFileSync(path.join(fixtures, `${scenario}.meta.json`), 'utf8')) as Meta;
const logEvent = (log: Meta[], event: string): Meta => {
  const e = log.find((x) => x.event === event);
  if (!e) throw new Error(`no ${event} in the log`);
  return e;
};
const kinds = (r: Report, kind: string) => r.findings.filter((f) => f.kind === kind);
const aboveInfo = (r: Report) => r.findings.filter((f) => f.severity !== 'info').map((f) => f.id);
/** The node's nftables counter of the rule whose text contains `rule`: packets. */
const nftPackets = (m: Meta, rule: string): number => {
  const line = (m.node_nft_counters as string[]).find((l) => l.includes(rule));
  if (!line) throw new Error(`no nft rule ${rule}`);
  return Number(/counter packets (\d+)/.exec(line)![1]);
};

describe('stall-at-end: the client retransmits into a path that drops it; the capture stops while it retries', () => {
  const m = meta('stall-at-end');
  const done = logEvent(m.client_log, 'stall-done');
  // The kernel's view when the capture stopped: tcp_info sampled every 0.5 s after the request.
  const atStop = [...done.ticks].reverse().find((t: Meta) => t.t <= Number(m.capture_stopped_at) - done.t_sent);

  it('ground truth: still established and retrying at capture end, no RST/FIN, the node dropped the client', () => {
    expect(done.outcome).toBe('no-answer');
    expect(atStop.state).toBe(1); // TCP_ESTABLISHED
    expect(atStop.unacked).toBe(1);
    expect(atStop.total_retrans).toBe(6);
    expect(nftPackets(m, 'ip saddr 198.18.1.2')).toBeGreaterThanOrEqual(7);
  });

  it('stall-at-end.node-eth0.pcap: one retransmission-timeout, ending capture-end, the kernel\'s count of retries', async () => {
    const r = await analyze('stall-at-end.node-eth0.pcap');
    const rto = kinds(r, 'retransmission-timeout');
    expect(rto).toHaveLength(1);
    const f = rto[0];
    expect(f.ending).toBe('capture-end');
    expect(f.severity).toBe('error'); // 3 retries or more over 3 s or more
    expect(f.retransmissions).toBe(atStop.total_retrans);
    // frame 20: the request (204 bytes at relative seq 1031); frames 21-26: the same bytes again
    expect(f.frames).toEqual([20, 21, 22, 23, 24, 25, 26]);
    expect(r.streams[0].flags.fin).toEqual([false, false]);
    expect(r.streams[0].flags.rst).toEqual([false, false]);
    expect(r.streams[0].retransmissions).toBe(6);
    expect(kinds(r, 'reset')).toEqual([]);
    expect(r.findings.map((x) => x.kind)).toEqual(['retransmission-timeout']);
    expect(r.caveats).toEqual([]);
    const text = await analyzeText('stall-at-end.node-eth0.pcap');
    expect(text).toContain('retransmission-timeout:s0:d0:f20');
  });

  it('stall-at-end.node-eth0.pcap: the stream table counts the one segment lost again and again once', async () => {
    // docs/analyze-json.md, streams[].lost: "a segment lost again and again counts once". One
    // segment (relative seq 1031, 204 bytes) was sent 7 times (frames 20-26) and never delivered.
    const r = await analyze('stall-at-end.node-eth0.pcap');
    expect(r.streams[0].lost).toBe(1);
  });
});

describe('spurious-rto: a delay spike fires the RTO twice; nothing is lost, the receiver D-SACKs both copies', () => {
  const m = meta('spurious-rto');
  const sent = logEvent(m.client_log, 'bulk-sent');

  it('ground truth: 2 retransmissions, 2 D-SACKs, no drop anywhere, all bytes delivered', () => {
    expect(m.client_nstat.TcpRetransSegs).toBe(2);
    expect(m.client_nstat.TcpExtTCPTimeouts).toBe(2);
    expect(m.client_nstat.TcpExtTCPDSACKRecv).toBe(2);
    expect(m.client_nstat.TcpExtTCPLossUndo).toBe(1); // the kernel itself undid the RTO as spurious
    expect(m.server_nstat.TcpExtTCPDSACKOldSent).toBe(2);
    expect(m.node_nft_counters).toEqual([]);
    expect(m.wire.stall.held).toBeGreaterThan(0);
    for (const s of Object.values(m.wire.socket_stats) as Meta[]) expect(s.drops).toBe(0);
    expect(m.wire.send_errors).toEqual({});
    expect(sent.reply).toBe(`OK ${m.bytes}`);
  });

  it('spurious-rto.node-eth0.pcap (sender side): not reported as loss; spurious counted', async () => {
    const r = await analyze('spurious-rto.node-eth0.pcap');
    expect(kinds(r, 'high-loss')).toEqual([]);
    expect(aboveInfo(r)).toEqual([]);
    const s = r.streams[0];
    expect(s.retransmissions).toBe(m.client_nstat.TcpRetransSegs);
    expect(s.spurious).toBeGreaterThan(0);
    expect(s.lost).toBeLessThanOrEqual(1);
  });

  it('spurious-rto.node-eth0.pcap (sender side): both retransmissions spurious, none lost', async () => {
    // Frames 106 and 107 re-send relative seq 68057 (original: frame 85); frames 126 and 127 each
    // carry a D-SACK 68057-69505 below ACK 97017: two duplicates reached the receiver, so the
    // original and both copies were delivered (server nstat TCPDSACKOldSent 2, client
    // TCPDSACKRecv 2, no drop anywhere).
    const r = await analyze('spurious-rto.node-eth0.pcap');
    const s = r.streams[0];
    expect(s.spurious).toBe(m.server_nstat.TcpExtTCPDSACKOldSent);
    expect(s.lost).toBe(0);
  });

  it('spurious-rto.server-eth0.pcap (receiver side): both retransmissions spurious, none lost', async () => {
    // Frames 122 and 124: the copies of frame 86, each answered by a D-SACK (frames 123, 125).
    const r = await analyze('spurious-rto.server-eth0.pcap');
    expect(kinds(r, 'high-loss')).toEqual([]);
    expect(aboveInfo(r)).toEqual([]);
    expect(r.streams[0]).toMatchObject({ retransmissions: 2, spurious: 2, lost: 0 });
  });

  it('both points: nothing lost between them, nothing reported as loss', async () => {
    const r = await analyze('spurious-rto.node-eth0.pcap', 'spurious-rto.server-eth0.pcap');
    expect(kinds(r, 'lost-between-points')).toEqual([]);
    expect(kinds(r, 'high-loss')).toEqual([]);
  });
});

describe('blackhole-wide: a 1280-byte tunnel after requests of at most 572 bytes', () => {
  const m = meta('blackhole-wide');
  const tunnel = Number(m.path_mtu);

  it('ground truth: tunnel MTU 1280, the node\'s ICMP frag-needed dropped', () => {
    expect(tunnel).toBe(1280);
    expect(nftPackets(m, 'frag-needed')).toBeGreaterThan(0);
  });

  it('blackhole-wide.node-eth0.pcap: the black hole, with a bracket and advice that hold the tunnel MTU', async () => {
    const r = await analyze('blackhole-wide.node-eth0.pcap');
    const b = kinds(r, 'pmtu-blackhole');
    expect(b).toHaveLength(1);
    const f = b[0] as Finding & { pathMtu: { min: number; max: number }; suggestedMtu: number; suggestedMss: number; candidateMtus: { mtu: number }[]; icmpFrames: number[]; evidence: string };
    expect(f.severity).toBe('critical');
    expect(f.evidence).toBe('sender');
    expect(f.icmpFrames).toEqual([]);
    // largest delivered: frame 16, 572 bytes (520-byte request); never delivered: frames 22-23
    // (1359 bytes) and 21, 25-29 (1450 bytes)
    expect(f.pathMtu.min).toBe(572);
    expect(f.pathMtu.min).toBeLessThanOrEqual(tunnel);
    expect(f.pathMtu.max).toBeGreaterThanOrEqual(tunnel);
    expect(f.suggestedMtu).toBeLessThanOrEqual(tunnel);
    expect(f.suggestedMss).toBe(f.suggestedMtu - 40);
    const candidates = f.candidateMtus.map((x) => x.mtu);
    expect(candidates.includes(tunnel) || (f.pathMtu.min <= tunnel && tunnel <= f.pathMtu.max)).toBe(true);
    expect(candidates).toContain(tunnel);
    const rto = kinds(r, 'retransmission-timeout');
    expect(rto).toHaveLength(1);
    expect(rto[0].retransmissions).toBe(5); // frames 25-29 re-send frame 21
  });

  it('blackhole-wide.node-eth0.pcap: the summary counts the packets of the size it names', async () => {
    // IP lengths of the never-delivered transmissions, as tshark shows them.
    const sizes: Record<number, number[]> = { 1450: [21, 25, 26, 27, 28, 29], 1359: [22, 23] };
    const r = await analyze('blackhole-wide.node-eth0.pcap');
    const f = kinds(r, 'pmtu-blackhole')[0];
    const said = /(\d+) transmissions of (\d+)-byte packets/.exec(f.summary);
    if (said) expect(Number(said[1]), f.summary).toBe(sizes[Number(said[2])]?.length);
  });
});

describe('capture-gaps: a clean transfer; the capture left out one data segment in 32', () => {
  const m = meta('capture-gaps');

  it('ground truth: no drop in the network, no retransmission, 4 segments left out of the capture', () => {
    expect(m.client_nstat.TcpRetransSegs).toBe(0);
    expect(logEvent(m.client_log, 'bulk-sent').tcp_info.total_retrans).toBe(0);
    expect(m.node_nft_counters.every((l: string) => !l.includes('drop'))).toBe(true);
    expect(m.left_out_of_capture).toBe(4);
    expect(m.frames_filtered_capture + m.left_out_of_capture).toBe(m.frames_full_capture);
  });

  it('capture-gaps.node-eth0.pcap: no loss, a capture-gaps caveat counting the gaps', async () => {
    const r = await analyze('capture-gaps.node-eth0.pcap');
    expect(kinds(r, 'high-loss')).toEqual([]);
    expect(aboveInfo(r)).toEqual([]);
    const gaps = r.caveats.filter((c) => c.kind === 'capture-gaps');
    expect(gaps).toHaveLength(1);
    expect(gaps[0].count).toBe(m.left_out_of_capture);
    expect(gaps[0].streams).toEqual([0]);
    // the segments right after the gaps: frames 38, 83, 125, 162
    expect(gaps[0].frames[0]).toBe(38);
    expect(r.streams[0]).toMatchObject({ retransmissions: 0, lost: 0, spurious: 0, holes: 0, notCaptured: m.left_out_of_capture });
  });
});

describe('offload-copies: TSO/GSO super-segments at the node\'s eth0, their pieces on tunl0 and at the server', () => {
  const m = meta('offload-copies');
  // super-segments (IP length > 1500) in each file, as tshark shows them
  const superAtEth0 = [4, 5, 6, 7, 8, 10, 12, 21, 22, 23, 24, 25, 26, 27, 28, 30, 34, 39, 40, 46, 47, 50, 51, 53];

  it('ground truth: TSO on at the sender, no retransmission, no drop rule, all bytes delivered', () => {
    expect(m.client_offloads['tcp-segmentation-offload']).toBe('on');
    expect(m.client_nstat.TcpRetransSegs).toBe(0);
    expect(logEvent(m.client_log, 'bulk-sent').reply).toBe(`OK ${m.bytes}`);
    expect(m.node_nft_counters).toEqual([]);
  });

  it('offload-copies.node-eth0.pcap: no retransmission or loss; the super-segments delivered', async () => {
    const r = await analyze('offload-copies.node-eth0.pcap');
    expect(r.streams[0]).toMatchObject({ retransmissions: 0, lost: 0, spurious: 0, holes: 0, notCaptured: 0 });
    expect(aboveInfo(r)).toEqual([]);
    const o = kinds(r, 'oversized-df');
    expect(o).toHaveLength(1);
    expect(o[0].frames).toEqual(superAtEth0);
    expect(o[0].delivered).toBe(o[0].count);
  });

  it('offload-copies.node-any.sll2.pcap (-i any): no retransmission or loss counted', async () => {
    const r = await analyze('offload-copies.node-any.sll2.pcap');
    expect(r.points?.length).toBe(2);
    expect(r.streams[0]).toMatchObject({ retransmissions: 0, lost: 0, spurious: 0 });
    expect(kinds(r, 'high-loss')).toEqual([]);
    expect(kinds(r, 'retransmission-timeout')).toEqual([]);
  });

  it('offload-copies.node-any.sll2.pcap (-i any): a super-segment cut into pieces is not lost between eth0 and tunl0', async () => {
    // Frame 7 (ifindex 2 = eth0, IP length 2948, relative seq 1, 2896 bytes) leaves by tunl0
    // (ifindex 3) as frames 8 and 9 (1500 bytes, seq 1 and 1449, 1448 bytes each); so do the
    // other 23 super-segments.
    const r = await analyze('offload-copies.node-any.sll2.pcap');
    expect(kinds(r, 'lost-between-points').map((f) => f.summary)).toEqual([]);
  });

  it('offload-copies node-eth0 + server-eth0: a super-segment cut into pieces is not lost between the points', async () => {
    // The server receives every byte in MTU-sized segments (its capture: 1514-byte frames only).
    const r = await analyze('offload-copies.node-eth0.pcap', 'offload-copies.server-eth0.pcap');
    expect(r.streams[0]).toMatchObject({ retransmissions: 0, lost: 0 });
    expect(kinds(r, 'lost-between-points').map((f) => f.summary)).toEqual([]);
  });
});
