/**
 * The rate verdicts (src/diagnose/rate.ts) against the kernel's own measure of the same transfers:
 * real Linux TCP in network namespaces (tools/kernel-captures/rate-fixtures.sh), captured at the
 * forwarding node next to the sender, with the sender's tcp_info read once every byte was
 * acknowledged (`<scenario>.meta.json` beside each capture in tests/fixtures/rate).
 *
 * The kernel splits a socket's time by its chrono counters: busy (data unacknowledged or unsent),
 * of which limited by the receiver's window (tcpi_rwnd_limited) and by its own send buffer
 * (tcpi_sndbuf_limited); the rest of the time it had nothing to send (application-limited). Our
 * limits fall into the same four groups: application (and latency with nothing in flight) is the
 * kernel's idle time; receiver-window and zero-window its rwnd-limited time; congestion,
 * bandwidth, slow start (and latency with a small flight awaiting its ACK) its other busy time. On
 * each fixture the dominant group is the kernel's, and each group's share is within 15 points.
 *
 * - slow-rwnd: a receiver with SO_RCVBUF 16384, 1 MB over a 20 ms round trip.
 * - slow-paced: a sender paced at 250 kB/s (SO_MAX_PACING_RATE), 1 MB.
 * - slow-app: an application writing 16 KB every 100 ms, 600 KB.
 * The slow-* transfers were also captured at the receiver (server-eth0), a round trip away: there
 * the dominant limit is the kernel's too, the shares within 25 points.
 *
 * - slow-loss: 1 MB with 2 % of the client's data segments dropped in the node (nftables): the
 *   kernel is busy all along (its retransmissions in total_retrans), we see it recovering from loss.
 * - idle-burst: 64 KB written every 700 ms (pauses longer than the RTO), tcp_slow_start_after_idle=1
 *   (the default): each burst restarts from the initial window; idle-burst-off: the same with 0.
 * - nagle-delayed-ack: 20 requests, each written as a 4-byte header and a 200-byte body without
 *   TCP_NODELAY, against the server's delayed ACKs; nagle-off: the same with TCP_NODELAY.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openAnalysis } from '../../src/analysis';
import { readCaptureFileIntoAnalysis } from '../../src/cli/readFile';
import { DiagnoseContext } from '../../src/diagnose/context';
import { streamModels } from '../../src/diagnose/index';
import type { RateDetail, RateLimit } from '../../src/diagnose/rate';
import { runCli } from '../unit/cliRun';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = path.resolve(repoRoot, 'tests', 'fixtures', 'rate');

type Group = 'application' | 'rwnd' | 'sndbuf' | 'busy';
const GROUPS: Group[] = ['application', 'rwnd', 'sndbuf', 'busy'];
const TOLERANCE = 0.15;
const FAR_TOLERANCE = 0.25;

interface TcpInfo { busy_time: number; rwnd_limited: number; sndbuf_limited: number }
interface ClientLog { event: string; seconds: number; seconds_drained?: number; tcp_info: TcpInfo; tcp_info_drained?: TcpInfo; request_ms?: number[] }

function clientLog(scenario: string): ClientLog {
  const meta = JSON.parse(readFileSync(path.join(fixtures, `${scenario}.meta.json`), 'utf8')) as { client_log: ClientLog | ClientLog[] };
  const logs = Array.isArray(meta.client_log) ? meta.client_log : [meta.client_log];
  return logs.find((l) => l.tcp_info)!;
}

/** The kernel's split of the sender's time. */
function kernelShares(scenario: string): Record<Group, number> {
  const log = clientLog(scenario);
  const info = log.tcp_info_drained ?? log.tcp_info;
  const t = (log.seconds_drained ?? log.seconds) * 1e6;
  const rwnd = info.rwnd_limited / t, sndbuf = info.sndbuf_limited / t;
  const busy = Math.min(1, info.busy_time / t);
  return { application: 1 - busy, rwnd, sndbuf, busy: busy - rwnd - sndbuf };
}

/** Our verdict of the client's direction (A→B), in the kernel's groups. */
function ourShares(r: RateDetail): Record<Group, number> {
  const s = r.shares;
  const busyLatency = r.seconds > 0 ? r.busyLatency / r.seconds : 0;
  return {
    application: s.application + s.latency - busyLatency,
    rwnd: s['receiver-window'] + s['zero-window'],
    sndbuf: 0,
    busy: s.congestion + s.bandwidth + s['slow-start'] + busyLatency,
  };
}

function groupOf(l: RateLimit, r: RateDetail): Group {
  if (l === 'application') return 'application';
  if (l === 'receiver-window' || l === 'zero-window') return 'rwnd';
  if (l === 'latency') return r.busyLatency * 2 >= r.shares.latency * r.seconds ? 'busy' : 'application';
  return 'busy';
}

const dominantGroup = (g: Record<Group, number>): Group => GROUPS.reduce((a, b) => (g[b] > g[a] ? b : a));

async function rateOfClient(scenario: string, point = 'node-eth0'): Promise<RateDetail> {
  const file = path.join(fixtures, `${scenario}.${point}.pcap`);
  const a = await readCaptureFileIntoAnalysis(file, openAnalysis());
  const ctx = new DiagnoseContext(a.columns, streamModels(a.input), {}, a.input.tcp?.flags);
  const m = ctx.streams.find((s) => s.clientDir === 0 && s.rows.length > 10)!;
  return ctx.rate(m, 0)!;
}

interface Finding { kind: string; severity: string; direction: number; frames: number[]; [k: string]: unknown }
interface Report { streams: { index: number; rate: [unknown, unknown] }[]; findings: Finding[] }

async function analyze(scenario: string): Promise<Report> {
  const r = await runCli('analyze', path.join(fixtures, `${scenario}.node-eth0.pcap`), '--format', 'json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Report;
}

const pctText = (g: Record<Group, number>) => GROUPS.map((k) => `${k} ${(g[k] * 100).toFixed(0)}`).join(', ');

describe('rate verdicts against the kernel (tests/fixtures/rate)', () => {
  const rows: string[] = [];
  const cases: [string, RateLimit][] = [
    ['slow-rwnd', 'receiver-window'],
    ['slow-paced', 'bandwidth'],
    ['slow-app', 'application'],
    ['slow-loss', 'congestion'],
    ['idle-burst', 'application'],
    ['idle-burst-off', 'application'],
    ['nagle-delayed-ack', 'latency'],
    ['nagle-off', 'application'],
  ];
  for (const [scenario, expected] of cases) {
    it(`${scenario}: the dominant limit is the kernel's, every share within ${TOLERANCE * 100} points`, async () => {
      const r = await rateOfClient(scenario);
      const ours = ourShares(r), kernel = kernelShares(scenario);
      rows.push(`${scenario.padEnd(18)} | ${r.dominant.padEnd(15)} | ours: ${pctText(ours)} | kernel: ${pctText(kernel)}`);
      expect(r.dominant).toBe(expected);
      expect(groupOf(r.dominant, r)).toBe(dominantGroup(kernel));
      for (const g of GROUPS) expect(Math.abs(ours[g] - kernel[g]), `${scenario} ${g}: ours ${ours[g]}, kernel ${kernel[g]}`).toBeLessThanOrEqual(TOLERANCE);
    });
  }
  // The same transfers captured at the receiver, a round trip from the sender: the peer's ACKs are
  // taken later by that round trip (rate.ts roundTrip). The dominant limit is the kernel's; the
  // shares are looser (a burst the sender let go at once reaches the receiver spread out by the path).
  for (const [scenario, expected] of cases.slice(0, 3)) {
    it(`${scenario} at the receiver: the dominant limit is the kernel's, every share within ${FAR_TOLERANCE * 100} points`, async () => {
      const r = await rateOfClient(scenario, 'server-eth0');
      const ours = ourShares(r), kernel = kernelShares(scenario);
      rows.push(`${`${scenario} (far)`.padEnd(18)} | ${r.dominant.padEnd(15)} | ours: ${pctText(ours)} | kernel: ${pctText(kernel)}`);
      expect(r.dominant).toBe(expected);
      expect(groupOf(r.dominant, r)).toBe(dominantGroup(kernel));
      for (const g of GROUPS) expect(Math.abs(ours[g] - kernel[g]), `${scenario} ${g}: ours ${ours[g]}, kernel ${kernel[g]}`).toBeLessThanOrEqual(FAR_TOLERANCE);
    });
  }
  it('prints the table', () => {
    console.log(['fixture            | ours dominant   | shares (%)', ...rows].join('\n'));
  });
});

describe('the findings on the kernel fixtures', () => {
  it('slow-rwnd: a slow transfer held by the receiver window, and the small receive buffer as a warning with the window it needs', async () => {
    const rep = await analyze('slow-rwnd');
    const rate = rep.streams[0].rate[0] as { dominant: string; shares: Record<string, number>; bytes: number; seconds: number };
    expect(rate.dominant).toBe('receiver-window');
    expect(rate.bytes).toBe(1000000);
    const slow = rep.findings.find((f) => f.kind === 'slow-transfer')!;
    expect(slow.severity).toBe('info');
    expect(slow.dominant).toBe('receiver-window');
    const rb = rep.findings.find((f) => f.kind === 'small-receive-buffer')!;
    expect(rb.severity).toBe('warning');
    expect(rb.scaled).toBe(true);
    // Round trip about 21 ms (the wire's 10 ms each way): about 2600 bytes of window per Mbit/s.
    expect(rb.bytesPerMbit as number).toBeGreaterThan(2500);
    expect(rb.bytesPerMbit as number).toBeLessThan(2800);
  });

  it('nagle-delayed-ack: every request but the first (quick-ACK mode) held about 40 ms; none with TCP_NODELAY', async () => {
    const rep = await analyze('nagle-delayed-ack');
    const n = rep.findings.find((f) => f.kind === 'nagle-delayed-ack')!;
    expect(n.direction).toBe(0);
    expect(n.holds).toBe(19);
    expect(n.medianHold as number).toBeGreaterThan(0.038);
    expect(n.medianHold as number).toBeLessThan(0.06);
    // The client measured each request: with the hold, 40 ms or more; the median of ours is theirs less a round trip or so.
    const ms = clientLog('nagle-delayed-ack').request_ms!.slice(1).sort((x, y) => x - y);
    expect(ms[ms.length >> 1] / 1000).toBeGreaterThan(n.medianHold as number);
    const off = await analyze('nagle-off');
    expect(off.findings.filter((f) => f.kind === 'nagle-delayed-ack')).toEqual([]);
  });

  it('idle-burst: after each pause longer than the RTO the burst restarts from the initial window (10 segments); not with tcp_slow_start_after_idle=0', async () => {
    const meta = (scenario: string) => JSON.parse(readFileSync(path.join(fixtures, `${scenario}.meta.json`), 'utf8')) as { tcp_slow_start_after_idle: number };
    expect(meta('idle-burst').tcp_slow_start_after_idle).toBe(1);
    expect(meta('idle-burst-off').tcp_slow_start_after_idle).toBe(0);
    const rep = await analyze('idle-burst');
    const f = rep.findings.find((x) => x.kind === 'slow-start-after-idle')!;
    expect(f.direction).toBe(0);
    // Six writes of 64 KB, 700 ms apart: five pauses, five restarts.
    expect(f.restarts).toBe(5);
    expect(f.firstRound).toBe(10 * 1448);
    expect(f.flightBefore as number).toBeGreaterThan(2 * 10 * 1448);
    const off = await analyze('idle-burst-off');
    expect(off.findings.filter((x) => x.kind === 'slow-start-after-idle')).toEqual([]);
  });

  it('slow-paced and slow-app: a slow transfer told by its limit, no warning', async () => {
    for (const [scenario, dominant] of [['slow-paced', 'bandwidth'], ['slow-app', 'application']] as const) {
      const rep = await analyze(scenario);
      const slow = rep.findings.find((f) => f.kind === 'slow-transfer')!;
      expect(slow.dominant).toBe(dominant);
      expect(rep.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    }
  });
});
