/**
 * A stream's numbers (src/view/streamStats.ts through analysis.streamStats): synthetic streams whose
 * every number is known, the bundled sample, the CLI's JSON and text, the app's engine, and the real
 * captures of ../shared/captures against their ground truth and tshark's reading of the SYNs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAnalysis, type Analysis } from '../../src/analysis';
import { buildReport, formatText, loadCapture } from '../../src/cli/analyze';
import { asStreamId } from '../../src/types';
import type { StreamStats } from '../../src/view/streamStats';
import { AnalysisEngine } from '../../web/worker/engine';
import { loadCore } from '../../web/worker/core';
import { Conversation } from './tcpBuilder';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const sample = path.join(repoRoot, 'public', 'samples', 'pmtu-blackhole.pcap');
const captures = path.resolve(repoRoot, '..', 'shared', 'captures');
const haveShared = existsSync(path.join(captures, 'ground-truth.json'));
if (!haveShared) console.warn('streamStats.test.ts: ../shared/captures is absent; the stream numbers of the shared captures are not checked');

function analyse(c: Conversation): Analysis {
  const run = openAnalysis();
  run.push(c.toPcap());
  return run.finish();
}

const stats = (a: Analysis, s = 0): StreamStats => {
  const st = a.streamStats(asStreamId(s));
  if (!st) throw new Error(`no stream ${s}`);
  return st;
};

/**
 * The server 30 ms beyond the capture point, the client 1 ms: four 1000-byte segments from A, the
 * second lost after the capture point and re-sent at 0.2 s; FINs, A first.
 */
function lossyTransfer(): Conversation {
  const c = new Conversation();
  c.tcp('A', { flags: 'S', seq: 0, win: 64240, mss: 1460, ws: 7, sackPerm: true, t: 0 });
  c.tcp('B', { flags: 'SA', seq: 0, ack: 1, win: 65160, mss: 1400, ws: 9, sackPerm: true, t: 0.03 });
  c.tcp('A', { seq: 1, ack: 1, win: 502, t: 0.031 });
  for (let k = 0; k < 4; k++) c.tcp('A', { seq: 1 + k * 1000, len: 1000, win: 502, t: 0.1 + k * 0.001 });
  c.tcp('B', { ack: 1001, win: 100, t: 0.13 });
  c.tcp('B', { ack: 1001, win: 100, sack: [[2001, 3001]], t: 0.132 });
  c.tcp('B', { ack: 1001, win: 100, sack: [[2001, 4001]], t: 0.133 });
  c.tcp('A', { seq: 1001, len: 1000, win: 502, t: 0.2 });
  c.tcp('B', { ack: 4001, win: 100, t: 0.23 });
  c.tcp('A', { flags: 'FA', seq: 4001, win: 502, t: 0.3 });
  c.tcp('B', { flags: 'FA', ack: 4002, win: 100, t: 0.33 });
  c.tcp('A', { seq: 4002, ack: 2, win: 502, t: 0.331 });
  return c;
}

describe('stream numbers of synthetic streams', () => {
  const a = analyse(lossyTransfer());
  const st = stats(a);

  it('splits the handshake at the capture point and says which end is nearer', () => {
    expect(st.handshake.client).toBe(0);
    expect(st.handshake.synToSynAck).toBeCloseTo(0.03, 6);
    expect(st.handshake.synAckToAck).toBeCloseTo(0.001, 6);
    expect(st.handshake.total).toBeCloseTo(0.031, 6);
    expect(st.handshake.total).toBeCloseTo(a.tcp.streams[0].irtt, 6);
    expect(st.handshake.nearer).toBe(0);
    expect(st.handshake.synRepeated).toBe(false);
  });

  it('reads the options each side announced and what was negotiated', () => {
    const [A, B] = st.sides;
    expect([A.mss, B.mss]).toEqual([1460, 1400]);
    expect([A.wscale, B.wscale]).toEqual([7, 9]);
    expect([A.sackPermitted, B.sackPermitted]).toEqual([true, true]);
    expect([A.timestamps, B.timestamps]).toEqual([false, false]);
    expect(st.negotiated).toEqual({ windowScaling: true, sack: true, timestamps: false });
    expect(st.windowsScaled).toBe(true);
    // The SYN's window is never scaled; later ones are, by the sender's own shift.
    expect([A.initialWindow, A.maxWindow]).toEqual([64240, 502 * 128]);
    expect([B.initialWindow, B.maxWindow]).toEqual([65160, 65160]);
  });

  it('counts the retransmission by its fate, as the stream table does', () => {
    const A = st.sides[0];
    expect(A.dataSegments).toBe(5);
    expect(A.sentBytes).toBe(5000);
    expect(A.uniqueBytes).toBe(4000);
    expect(A.deliveredBytes).toBe(4000);
    expect(A.retransmittedSegments).toBe(1);
    expect(A.retransmittedBytes).toBe(1000);
    expect(A.retransmissionRate).toBeCloseTo(0.2, 9);
    expect(st.sides[0].retransmittedSegments + st.sides[1].retransmittedSegments).toBe(a.streamTable(0)[0].retrans);
    expect(st.sides[1].retransmissionRate).toBeNull();
  });

  it('measures throughput and goodput over the data', () => {
    const A = st.sides[0];
    expect(A.dataStart).toBeCloseTo(0.1, 6);
    expect(A.dataEnd).toBeCloseTo(0.2, 6);
    expect(A.throughput).toBeCloseTo(5000 / 0.1, 0);
    // 4000 bytes from the first segment (0.1 s) to the ACK covering them all (0.23 s).
    expect(A.goodput).toBeCloseTo(4000 / 0.13, 0);
    expect(st.sides[1].throughput).toBeNull();
    expect(st.sides[1].goodput).toBeNull();
  });

  it('takes ACK round trips by Karn\'s rule', () => {
    const r = st.sides[0].ackRtt;
    // The SYN, the first segment and the FIN: 30 ms each; the ACK after the re-send is skipped.
    expect(r.samples).toBe(3);
    expect(r.min).toBeCloseTo(0.03, 6);
    expect(r.median).toBeCloseTo(0.03, 6);
    expect(r.max).toBeCloseTo(0.03, 6);
    expect(r.skipped).toBe(1);
    expect(st.sides[1].ackRtt.median).toBeCloseTo(0.001, 6);
  });

  it('tells how the connection ended', () => {
    expect(st.close).toMatchObject({ kind: 'fin', firstFin: 0, firstRst: null });
    expect(st.close.finTime).toBeCloseTo(0.3, 6);
    expect(st.duration).toBeCloseTo(0.331, 6);
  });

  it('says unknown when the handshake was not captured', () => {
    const c = new Conversation();
    c.tcp('A', { seq: 1, ack: 1, len: 500, win: 300, t: 0 });
    c.tcp('B', { ack: 501, win: 200, t: 0.01 });
    const m = stats(analyse(c));
    expect(m.handshake).toMatchObject({ synToSynAck: null, synAckToAck: null, total: null, nearer: null });
    expect(m.negotiated).toEqual({ windowScaling: null, sack: null, timestamps: null });
    expect(m.windowsScaled).toBe(false);
    expect(m.sides[0]).toMatchObject({ synSeen: false, mss: null, wscale: null, sackPermitted: null, timestamps: null, initialWindow: 300 });
    expect(m.close.kind).toBe('open');
  });

  it('names who reset and who half-closed', () => {
    const r = new Conversation().handshake({ wsA: 7, wsB: 7 });
    r.tcp('A', { len: 100, t: 0.1 });
    r.tcp('B', { flags: 'R', t: 0.2 });
    expect(stats(analyse(r)).close).toMatchObject({ kind: 'reset', firstRst: 1, firstFin: null });
    const h = new Conversation().handshake();
    h.tcp('B', { flags: 'FA', t: 0.1 });
    h.tcp('A', { t: 0.11 });
    const hs = stats(analyse(h));
    expect(hs.close).toMatchObject({ kind: 'half-closed', firstFin: 1 });
    // Neither side announced a window scale: scaling is off, the windows are bytes all the same.
    expect(hs.negotiated.windowScaling).toBe(false);
    expect(hs.windowsScaled).toBe(true);
  });

  it('answers null for a stream that does not exist', () => {
    expect(a.streamStats(asStreamId(1))).toBeNull();
    expect(a.streamStats(asStreamId(-1))).toBeNull();
  });
});

describe('stream numbers of the bundled sample, in the CLI and the app', () => {
  it('the black hole\'s stream: a 2.6 ms handshake nearer the client, 7 re-sends of 1398 bytes, reset by the client', async () => {
    const a = await loadCapture(sample);
    const st = stats(a);
    expect(st.handshake.total! * 1000).toBeCloseTo(2.598, 2);
    expect(st.handshake.nearer).toBe(0);
    expect(st.sides[0].retransmittedSegments).toBe(7);
    expect(st.sides[0].retransmittedBytes).toBe(7 * 1398);
    expect(st.sides[0].deliveredBytes).toBe(345);
    expect(st.close).toMatchObject({ kind: 'reset', firstRst: 0, firstFin: 1 });

    const rep = buildReport(a, 'pmtu-blackhole.pcap', { lang: 'en' });
    expect(rep.json.streams[0].stats).toEqual(st);
    // The fields that were there before keep their values.
    expect(rep.json.streams[0]).toMatchObject({ index: 0, retransmissions: 7, packets: 32 });
    const text = formatText(rep.json, rep.findings, 'en');
    expect(text).toContain('Numbers of the streams with findings');
    expect(text).toContain('handshake RTT 2.598 ms: SYN → SYN/ACK 2.543 ms, SYN/ACK → ACK 0.055 ms; capture point nearer A');
    expect(text).toContain('reset: RST from A');
    const zh = formatText(buildReport(a, 'pmtu-blackhole.pcap', { lang: 'zh-CN' }).json, rep.findings, 'zh-CN');
    expect(zh).toContain('握手 RTT 2.598 毫秒');
    expect(zh).toContain('；抓包点离 A 较近');

    const engine = new AnalysisEngine(loadCore());
    await engine.open(new File([readFileSync(sample)], 'pmtu-blackhole.pcap'), 0, 'en', () => undefined);
    expect(engine.streamStats(0).stats).toEqual(st);
    expect(() => engine.streamStats(5)).toThrow(/no TCP stream 5/);
  });
});

/** tshark's fields of one frame of `<file>.tshark.tsv`, by name. */
function tsharkFrames(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(`${file}.tshark.tsv`, 'utf8').split('\n').filter(Boolean);
  const names = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [names[i], v])));
}

describe.skipIf(!haveShared)('stream numbers of the shared captures (skipped when ../shared/captures is absent)', () => {
  const meta = (scenario: string) => JSON.parse(readFileSync(path.join(captures, `${scenario}.meta.json`), 'utf8')) as { one_way_delay_us: number };
  const scenarios = ['clean-bulk', 'clean-bulk-v6', 'random-loss-sack', 'random-loss-sack-v6', 'pmtu-blackhole', 'pmtu-ok', 'zero-window', 'rst-and-refused'];

  for (const scenario of scenarios) {
    for (const point of ['node-eth0', 'server-eth0'] as const) {
      it(`${scenario} at ${point}: handshake RTT against the wire's delay, options against tshark's SYNs, retransmissions as the stream table`, async () => {
        const file = path.join(captures, `${scenario}.${point}.pcap`);
        const a = await loadCapture(file);
        const rtt = (2 * meta(scenario).one_way_delay_us) / 1e6;
        const table = a.streamTable(0);
        const frames = tsharkFrames(file);
        let measured = 0;
        for (const s of a.tcp.streams) {
          const st = stats(a, s.index);
          expect(st.sides[0].retransmittedSegments + st.sides[1].retransmittedSegments).toBe(table[s.index].retrans);
          const mine = frames.filter((f) => f['tcp.stream'] === String(s.index));
          const syn = mine.find((f) => (parseInt(f['tcp.flags'], 16) & 0x12) === 0x02);
          const synAck = mine.find((f) => (parseInt(f['tcp.flags'], 16) & 0x12) === 0x12);
          for (const [d, f] of [[0, syn], [1, synAck]] as const) {
            const side = st.sides[d];
            if (!f) { expect(side.synSeen).toBe(false); continue; }
            expect(side.mss).toBe(f['tcp.options.mss_val'] ? Number(f['tcp.options.mss_val']) : null);
            expect(side.wscale).toBe(f['tcp.options.wscale.shift'] ? Number(f['tcp.options.wscale.shift']) : null);
            expect(side.timestamps).toBe(f['tcp.options.timestamp.tsval'] !== '');
            // The README: SACK, timestamps and window scaling are on in every scenario.
            expect(side.sackPermitted).toBe(true);
          }
          if (syn && synAck) expect(st.negotiated).toEqual({ windowScaling: true, sack: true, timestamps: true });
          // tshark's zero-window flags, per side that advertised it.
          for (const d of [0, 1] as const) {
            const ip = d === 0 ? (syn?.['ip.src'] || syn?.['ipv6.src']) : (synAck?.['ip.src'] || synAck?.['ipv6.src']);
            if (!ip) continue;
            const zw = mine.filter((f) => f['tcp.analysis.zero_window'] === '1' && (f['ip.src'] || f['ipv6.src']) === ip).length;
            expect(st.sides[d].zeroWindows).toBe(zw);
          }
          const h = st.handshake;
          if (h.total === null) continue;
          measured++;
          // The whole round trip crosses the delayed wire both ways, and tshark's iRTT is the same span.
          expect(h.total).toBeGreaterThanOrEqual(rtt);
          expect(h.total).toBeLessThan(rtt + 0.005);
          expect(h.total).toBeCloseTo(s.irtt, 6);
          // The delay is between the far router and the server: node-eth0 is near the client (A), server-eth0 near the server (B).
          if (point === 'node-eth0') {
            expect(h.synToSynAck!).toBeGreaterThanOrEqual(rtt);
            expect(h.nearer).toBe(0);
          } else {
            expect(h.synAckToAck!).toBeGreaterThanOrEqual(rtt);
            expect(h.nearer).toBe(1);
          }
          // ACK round trips of the client's data cross the wire too, at node-eth0.
          const r = st.sides[0].ackRtt;
          if (point === 'node-eth0' && r.samples) expect(r.min!).toBeGreaterThanOrEqual(rtt * 0.99);
        }
        expect(measured).toBeGreaterThan(0);
      }, 60_000);
    }
  }

  it('ground truth: the lost segments re-sent, the zero windows, who reset', async () => {
    const loss = stats(await loadCapture(path.join(captures, 'random-loss-sack.server-eth0.pcap')));
    expect(loss.sides[0].retransmittedSegments).toBe(19);
    expect(loss.sides[0].deliveredBytes).toBe(1_500_000);
    expect(loss.sides[0].ackRtt.skipped).toBeGreaterThan(0);
    expect(loss.close).toMatchObject({ kind: 'fin' });
    const clean = stats(await loadCapture(path.join(captures, 'clean-bulk.node-eth0.pcap')));
    expect(clean.sides[0]).toMatchObject({ retransmittedSegments: 0, retransmissionRate: 0, deliveredBytes: 1_500_000 });
    // Paced at 10,000,000 bytes/s: the data cannot go faster.
    expect(clean.sides[0].throughput!).toBeLessThan(10_000_000);
    expect(clean.sides[0].goodput!).toBeLessThanOrEqual(clean.sides[0].throughput!);
    const zero = stats(await loadCapture(path.join(captures, 'zero-window.node-eth0.pcap')));
    expect(zero.sides[1].zeroWindows).toBeGreaterThanOrEqual(2);
    const rst = await loadCapture(path.join(captures, 'rst-and-refused.node-eth0.pcap'));
    expect(stats(rst, 0).close).toMatchObject({ kind: 'reset', firstRst: 1 });
    expect(stats(rst, 2).close).toMatchObject({ kind: 'reset', firstRst: 0 });
    expect(stats(rst, 3).close).toMatchObject({ kind: 'reset', firstRst: 1 });
    expect(stats(rst, 0).handshake.total).toBeNull();
  }, 60_000);
});
