/**
 * The rate verdicts (src/diagnose/rate.ts) against the kernel's own measure of the same transfers:
 * real Linux TCP in network namespaces (tools/kernel-captures/rate-fixtures.sh), captured at the
 * forwarding node next to the sender, with the sender's tcp_info read once every byte was
 * acknowledged (`<scenario>.meta.json` beside each capture in tests/fixtures/rate).
 *
 * The kernel splits a socket's time by its chrono counters: busy (data unacknowledged or unsent),
 * of which limited by the receiver's window (tcpi_rwnd_limited) and by its own send buffer
 * (tcpi_sndbuf_limited); the rest of the time it had nothing to send (application-limited). Our
 * limits fall into the same four groups (rateGroups.ts): application (and latency with nothing in
 * flight) is the kernel's idle time; receiver-window and zero-window its rwnd-limited time;
 * sender-buffer its sndbuf-limited time; congestion, bandwidth, slow start (and latency with a
 * small flight awaiting its ACK) its other busy time. On each fixture the dominant group is the
 * kernel's, and each group's share is within 15 points; one table prints them all.
 *
 * - slow-rwnd: a receiver with SO_RCVBUF 16384, 1 MB over a 20 ms round trip.
 * - slow-paced: a sender paced at 250 kB/s (SO_MAX_PACING_RATE), 1 MB.
 * - slow-app: an application writing 16 KB every 100 ms, 600 KB.
 * - slow-sndbuf: a sender with SO_SNDBUF 16384 behind its own 50 Mbit/s interface (a token bucket
 *   on its eth0), 3 MB over a 50 ms round trip: the kernel sndbuf-limited most of the time.
 * - slow-cable: a 2 Mbit/s link (a token bucket at the far end with a queue of 400 kB, nothing
 *   dropped), 1 MB over 20 ms: busy, neither window nor buffer limited; the round trip grows as the
 *   queue fills, and the rate is the link's.
 * These five, slow-loss and idle-burst(-off) were also captured at the receiver (server-eth0), a
 * round trip away from the sender: there too the dominant limit is the kernel's and the shares
 * within 15 points (the Nagle pair only at the node).
 *
 * - slow-loss: 1 MB with 2 % of the client's data segments dropped in the node (nftables): the
 *   kernel is busy all along (its retransmissions in total_retrans), we see it recovering from loss.
 * - idle-burst: 64 KB written every 700 ms (pauses longer than the RTO), tcp_slow_start_after_idle=1
 *   (the default): each burst restarts from the initial window; idle-burst-off: the same with 0.
 * - diagnose/spurious-rto (tests/fixtures/diagnose): a sender paced at 80 kB/s, its ACKs back
 *   before its next segment is due, and a 1.5 s delay spike: busy all along.
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
import { clientLogOf, dominantGroup, GROUPS, groupOf, groupsText, kernelGroups, ourGroups, type ClientLog, type Group } from './rateGroups';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = path.resolve(repoRoot, 'tests', 'fixtures', 'rate');

const TOLERANCE = 0.15;

// A scenario of tests/fixtures/diagnose, as "diagnose/<scenario>".
const fileOf = (scenario: string, ext: string) =>
  scenario.startsWith('diagnose/') ? path.resolve(fixtures, '..', `${scenario}${ext}`) : path.join(fixtures, `${scenario}${ext}`);

function meta(scenario: string): unknown {
  return JSON.parse(readFileSync(fileOf(scenario, '.meta.json'), 'utf8'));
}
const clientLog = (scenario: string): ClientLog => clientLogOf(meta(scenario))!;
const kernelShares = (scenario: string): Record<Group, number> => kernelGroups(meta(scenario))!;

async function rateOfClient(scenario: string, point = 'node-eth0'): Promise<RateDetail> {
  const file = fileOf(scenario, `.${point}.pcap`);
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

describe('rate verdicts against the kernel (tests/fixtures/rate)', () => {
  const rows: string[] = [];
  const cases: [string, RateLimit][] = [
    ['slow-rwnd', 'receiver-window'],
    ['slow-paced', 'bandwidth'],
    ['slow-app', 'application'],
    ['slow-sndbuf', 'sender-buffer'],
    ['slow-cable', 'bandwidth'],
    ['slow-loss', 'congestion'],
    ['idle-burst', 'application'],
    ['idle-burst-off', 'application'],
    ['nagle-delayed-ack', 'latency'],
    ['nagle-off', 'application'],
    // Paced at 80 kB/s (two segments every 36 ms) over a 10 ms round trip, the ACKs back before the
    // next segment is due: busy, not idle; the wire's 1.5 s stall in it holds nothing up at the sender.
    ['diagnose/spurious-rto', 'bandwidth'],
  ];
  // The same transfers captured at the receiver, a round trip from the sender: the peer's ACKs are
  // taken later by that round trip, a new window edge from the sender's answer (rate.ts).
  const far = ['slow-rwnd', 'slow-paced', 'slow-app', 'slow-sndbuf', 'slow-cable', 'slow-loss', 'idle-burst', 'idle-burst-off'];
  for (const [point, side, list] of [['node-eth0', 'sender', cases], ['server-eth0', 'receiver', cases.filter(([c]) => far.includes(c))]] as const) {
    for (const [scenario, expected] of list) {
      it(`${scenario} at the ${side}: the dominant limit is the kernel's, every share within ${TOLERANCE * 100} points`, async () => {
        const r = await rateOfClient(scenario, point);
        const ours = ourGroups(r), kernel = kernelShares(scenario);
        rows.push(`${scenario.padEnd(21)} | ${side.padEnd(8)} | ${r.dominant.padEnd(15)} | ${groupsText(ours)} | ${dominantGroup(kernel).padEnd(11)} | ${groupsText(kernel)}`);
        expect(r.dominant).toBe(expected);
        expect(groupOf(r.dominant, r)).toBe(dominantGroup(kernel));
        for (const g of GROUPS) expect(Math.abs(ours[g] - kernel[g]), `${scenario} ${side} ${g}: ours ${ours[g]}, kernel ${kernel[g]}`).toBeLessThanOrEqual(TOLERANCE);
      });
    }
  }
  it('prints the table', () => {
    const head = `${'fixture'.padEnd(21)} | ${'side'.padEnd(8)} | ${'ours'.padEnd(15)} | our shares (%) in the kernel's groups | ${'kernel'.padEnd(11)} | kernel's shares (%)`;
    console.log([head, ...rows].join('\n'));
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

  it('slow-sndbuf: a slow transfer held by the sender\'s buffer, the flight held and the send buffer as the remedy', async () => {
    const rep = await analyze('slow-sndbuf');
    const slow = rep.findings.find((f) => f.kind === 'slow-transfer')!;
    expect(slow.dominant).toBe('sender-buffer');
    expect(slow.severity).toBe('info');
    const r = await rateOfClient('slow-sndbuf');
    // SO_SNDBUF 16384 (the kernel keeps twice that, overhead included): the flight held was a few tens of KB.
    expect(r.heldFlight).toBeGreaterThan(32768);
    expect(r.heldFlight).toBeLessThan(131072);
    expect((slow.remedy as string[])[0]).toMatch(/net\.ipv4\.tcp_wmem.*SO_SNDBUF/);
    expect(slow.story as string[]).not.toEqual(expect.arrayContaining([expect.stringMatching(/away from/)]));
    // At the receiver the same verdict, with the caveat that the pauses were seen from afar.
    const far = await runCli('analyze', path.join(fixtures, 'slow-sndbuf.server-eth0.pcap'), '--format', 'json');
    const farSlow = (JSON.parse(far.out) as Report).findings.find((f) => f.kind === 'slow-transfer')!;
    expect(farSlow.dominant).toBe('sender-buffer');
    expect(farSlow.story as string[]).toEqual(expect.arrayContaining([expect.stringMatching(/away from .* an estimate/)]));
    // No sender-buffer on the others: a receiver's window, a pacing rate, an application's writes, a slow link.
    for (const scenario of ['slow-rwnd', 'slow-paced', 'slow-app', 'slow-cable', 'slow-loss', 'idle-burst']) {
      expect((await rateOfClient(scenario)).shares['sender-buffer'], scenario).toBeLessThan(0.05);
    }
  });

  it('slow-cable: bandwidth, at the link\'s rate, the round trip growing with the queue, nothing lost', async () => {
    const m = meta('slow-cable') as { tbf: { options: { rate: number }; drops: number } };
    expect(m.tbf.drops).toBe(0);
    const r = await rateOfClient('slow-cable');
    expect(r.dominant).toBe('bandwidth');
    expect(r.shares.congestion).toBe(0);
    // The rate is the link's (250 kB/s), to within the first round trips of slow start.
    const rate = r.bytes / r.seconds;
    expect(rate).toBeGreaterThan(0.85 * m.tbf.options.rate);
    expect(rate).toBeLessThanOrEqual(1.02 * m.tbf.options.rate);
    // The kernel's smoothed RTT at the end is many times its fastest (the queue): a path limit, not the sender.
    const info = clientLog('slow-cable').tcp_info_drained as unknown as { rtt: number; min_rtt: number };
    expect(info.rtt).toBeGreaterThan(5 * info.min_rtt);
    // The finding tells the queue (seen at the sender's side), and pacing at the sender apart.
    const slow = (await analyze('slow-cable')).findings.find((f) => f.kind === 'slow-transfer')!;
    expect(slow.story as string[]).toEqual(expect.arrayContaining([expect.stringMatching(/round trip grew from .* bottleneck/)]));
    const paced = (await analyze('slow-paced')).findings.find((f) => f.kind === 'slow-transfer')!;
    expect(paced.story as string[]).toEqual(expect.arrayContaining([expect.stringMatching(/round trip stayed near .* rate set at the sender/)]));
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
