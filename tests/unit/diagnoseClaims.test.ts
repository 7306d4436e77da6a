/**
 * Findings are claims: what the packets show, no more. Each case here is a kind of capture users send
 * (from the review of real captures): a stall still in progress when the capture stopped, a port
 * scan, retransmissions that were not loss, data the capture missed, offload copies, a capture of two
 * packets, a black hole with a wide bracket, a black hole's MTU on other paths.
 */
import { describe, expect, it } from 'vitest';
import { L4, PacketColumns, emptyRow } from '../../src/decode/columns';
import { caveats, diagnose, diagnoseCapture, notCapturedOf, renderFinding, type Finding } from '../../src/diagnose/index';
import { ACK, Conv, PSH, RST, SYN } from './diagnoseSynth';

const atLeastWarning = (f: Finding[]) => f.filter((x) => x.severity !== 'info');

/** A free-form packet table: any hosts and ports. */
class Table {
  readonly cols = new PacketColumns(64);
  t = 1_700_000_000;
  private id = 1;
  host(n: number): number {
    return this.cols.addresses.internV4(0x0a000000 + n);
  }
  tcp(o: { dt?: number; src: number; dst: number; sp: number; dp: number; flags: number; seq?: number; ack?: number; len?: number; win?: number; mss?: number; ipLen?: number; ipId?: number }): number {
    this.t += o.dt ?? 0.001;
    const r = emptyRow();
    r.tsSec = Math.floor(this.t);
    r.tsNsec = Math.round((this.t - Math.floor(this.t)) * 1e9);
    r.ipVersion = 4; r.ipDf = 1; r.ipTtl = 64; r.ipId = o.ipId ?? this.id++;
    r.ipLen = o.ipLen ?? 20 + 32 + (o.len ?? 0);
    r.src = o.src; r.dst = o.dst; r.srcPort = o.sp; r.dstPort = o.dp; r.l4 = L4.Tcp;
    r.tcpFlags = o.flags; r.seqRaw = (o.seq ?? 1000) >>> 0; r.ackRaw = (o.ack ?? 0) >>> 0; r.tcpLen = o.len ?? 0; r.tcpHdrLen = 32;
    r.winRaw = o.win ?? 1000; r.mss = o.mss ?? 0; r.wscale = o.flags & SYN ? 0 : -1;
    return this.cols.commit(r) + 1;
  }
}

describe('a stall in progress when the capture stopped', () => {
  it('is a retransmission-timeout ending at capture end, with the back-off so far', () => {
    // Caught mid-connection: the peer's ACKs never seen; one 648-byte segment sent 6 times over 9 s.
    const c = new Conv();
    c.seg(0, { seq: 1, len: 100, flags: ACK | PSH });
    c.seg(1, { seq: 1, ack: 101, dt: 0.01 });
    let dt = 0.3;
    for (let k = 0; k < 6; k++) { c.seg(0, { seq: 101, len: 648, flags: ACK | PSH, dt: k ? dt : 0.1 }); if (k) dt *= 2; }
    const f = diagnose({ cols: c.cols });
    const rto = f.find((x) => x.kind === 'retransmission-timeout');
    expect(rto).toBeDefined();
    if (rto?.kind !== 'retransmission-timeout') return;
    expect(rto.ending).toBe('capture-end');
    expect(rto.retransmissions).toBe(5);
    expect(rto.severity).toBe('error');
    const en = renderFinding(rto, 'en');
    expect(en.title).toMatch(/^Stalled: /);
    expect(en.story.join(' ')).toMatch(/still unacknowledged: the connection was stalled, not yet dead\. Linux keeps retrying up to net\.ipv4\.tcp_retries2/);
  });

  it('counts a segment lost again and again once as a loss, not as high loss', () => {
    const c = new Conv();
    c.handshake();
    c.seg(0, { seq: 1, len: 31, flags: ACK | PSH });
    let dt = 0.3;
    for (let k = 0; k < 5; k++) { c.seg(0, { seq: 1, len: 31, flags: ACK | PSH, dt }); dt *= 2; }
    expect(diagnose({ cols: c.cols }).map((x) => x.kind)).toEqual(['retransmission-timeout']);
  });
});

describe('one pattern, one finding', () => {
  it('a SYN scan of 2,000 ports is one finding with the streams and the counts', () => {
    const t = new Table();
    const a = t.host(1), b = t.host(2);
    for (let p = 1; p <= 2000; p++) {
      t.tcp({ dt: 0.0015, src: a, dst: b, sp: 50000, dp: p, flags: SYN, seq: p * 7 });
      if (p % 250 === 0) t.tcp({ dt: 0.0001, src: b, dst: a, sp: p, dp: 50000, flags: RST | ACK, seq: 0, ack: p * 7 + 1 });
    }
    // Two more passes at the ports, a second apart: the scanner retried.
    for (let pass = 0; pass < 2; pass++) {
      t.t += 1;
      for (let p = 1; p <= 2000; p++) if (p % 250 !== 0) t.tcp({ dt: 0.0001, src: a, dst: b, sp: 50000, dp: p, flags: SYN, seq: p * 7 });
    }
    const f = atLeastWarning(diagnose({ cols: t.cols }));
    expect(f.length).toBe(1);
    const g = f[0];
    expect(g.kind).toBe('handshake-failure');
    expect(g.streams?.length).toBe(2000);
    expect(g.severity).toBe('warning');
    const en = renderFinding(g, 'en');
    expect(en.title).toBe('10.0.0.1 probed 1 host on 2,000 ports: 2,000 connection attempts failed');
    expect(en.summary).toMatch(/^10\.0\.0\.1 tried 2,000 ports on 1 host within [\d.]+ s: 2,000 attempts failed, 1,992 with no answer and 8 refused with a reset\.$/);
    expect(en.story.join(' ')).toContain('a scan (a port scan or host discovery)');
    expect(renderFinding(g, 'zh-CN').summary).toContain('2,000 次尝试失败');
  });
});

describe('what is not loss', () => {
  it('a retransmission the receiver reports with a D-SACK is spurious, not loss', () => {
    const c = new Conv();
    c.handshake();
    let seq = 1;
    for (let k = 0; k < 30; k++) {
      c.seg(0, { seq, len: 1000 });
      if (k % 5 === 2) {
        // Sent again too early; the receiver had it and says so (D-SACK below its cumulative ACK).
        c.seg(0, { seq, len: 1000, dt: 0.2 });
        c.seg(1, { ack: seq + 1000, sack: [[seq, seq + 1000]], dt: 0.01 });
      } else c.seg(1, { ack: seq + 1000 });
      seq += 1000;
    }
    const { findings, streams } = diagnoseCapture({ cols: c.cols });
    expect(findings.filter((x) => x.kind === 'high-loss')).toEqual([]);
    expect(streams[0].spurious).toBe(6);
    expect(streams[0].lost).toBe(0);
  });

  it('data acknowledged but never captured is a caveat about the capture, not a finding', () => {
    const c = new Conv();
    c.handshake();
    let seq = 1;
    for (let k = 0; k < 40; k++) {
      if (k % 8 !== 4) c.seg(0, { seq, len: 500 }); // every eighth segment missing from the capture
      seq += 500;
      c.seg(1, { ack: seq });
    }
    const input = { cols: c.cols };
    const { findings, streams } = diagnoseCapture(input);
    expect(findings).toEqual([]);
    expect(streams[0].notCaptured).toBe(5);
    const cv = caveats({ ...input, notCaptured: notCapturedOf(streams) }).find((x) => x.kind === 'capture-gaps');
    expect(cv?.count).toBe(5);
  });

  it('an offload super-segment and its MTU-sized copies are neither loss nor an oversized warning', () => {
    const c = new Conv();
    c.handshake();
    let seq = 1;
    for (let k = 0; k < 6; k++) {
      c.seg(0, { seq, len: 6406, ipLen: 6458 });
      for (let j = 0; j < 5; j++) c.seg(0, { seq: seq + j * 1448, len: Math.min(1448, 6406 - j * 1448), dt: 0.000002 });
      seq += 6406;
      c.seg(1, { ack: seq, dt: 0.001 });
    }
    const { findings, streams } = diagnoseCapture({ cols: c.cols });
    expect(atLeastWarning(findings)).toEqual([]);
    expect(findings.filter((x) => x.kind === 'high-loss')).toEqual([]);
    expect(streams[0].retransmitted).toBe(0);
  });

  it('the same packet captured twice at one point counts once', () => {
    const c = new Conv();
    c.handshake();
    let seq = 1;
    for (let k = 0; k < 20; k++) {
      c.seg(0, { seq, len: 100, ipId: 500 + k });
      c.seg(0, { seq, len: 100, ipId: 500 + k, dt: 0 });
      seq += 100;
      c.seg(1, { ack: seq });
    }
    const { findings, streams } = diagnoseCapture({ cols: c.cols });
    expect(findings).toEqual([]);
    expect(streams[0].retransmitted).toBe(0);
    expect(streams[0].copies).toBe(20);
  });

  it('a re-send that keeps its IP ID is not a copy: the receiver acknowledged the bytes between, or it came a timeout later', () => {
    // A sender (or a middlebox re-sending for it) that keeps the IP ID, as in a real PPPoE capture:
    // once after the receiver's ACK of those bytes, once 300 ms later with nothing in between.
    const c = new Conv();
    c.handshake();
    c.seg(0, { seq: 1, len: 500, ipId: 700 });
    c.seg(1, { ack: 501 });
    c.seg(0, { seq: 1, len: 500, ipId: 700, dt: 0.01 });
    c.seg(0, { seq: 501, len: 500, ipId: 701 });
    c.seg(0, { seq: 501, len: 500, ipId: 701, dt: 0.3 });
    c.seg(1, { ack: 1001 });
    const { streams } = diagnoseCapture({ cols: c.cols });
    expect(streams[0].copies).toBe(0);
    expect(streams[0].spurious + streams[0].lost).toBe(2);
  });
});

describe('severity follows the evidence', () => {
  it('a reset on a connection captured one way only claims nothing about what it cut off', () => {
    // Only the client's packets (asymmetric routing): its ACKs move on, so the server was there.
    const c = new Conv();
    c.seg(0, { seq: 1, ack: 1, len: 426, flags: ACK | PSH });
    c.seg(0, { seq: 427, ack: 374, flags: ACK, dt: 0.05 });
    c.seg(0, { seq: 427, ack: 374, flags: RST | ACK, dt: 0.26 });
    const f = diagnose({ cols: c.cols }).filter((x) => x.kind === 'reset');
    expect(f.map((x) => x.severity)).toEqual(['info']);
    const en = renderFinding(f[0], 'en');
    expect(en.title).toContain('only its side was captured');
    expect(en.story.join(' ')).not.toContain('threw them away');
  });

  it('two SYNs 0.1 ms apart with different window and MSS, and nothing else, prove no failure', () => {
    const t = new Table();
    const a = t.host(1), b = t.host(2);
    t.tcp({ src: a, dst: b, sp: 40000, dp: 443, flags: SYN, seq: 77, win: 64240, mss: 1460 });
    t.tcp({ dt: 0.0001, src: a, dst: b, sp: 40000, dp: 443, flags: SYN, seq: 77, win: 29200, mss: 1380 });
    const f = diagnose({ cols: t.cols });
    expect(atLeastWarning(f)).toEqual([]);
    expect(f.length).toBe(1);
    const en = renderFinding(f[0], 'en');
    expect(en.story.join(' ')).toContain('with a different window, MSS or TTL');
    expect(en.story.join(' ')).toContain('before an answer was due');
  });

  it('a SYN retried three times without an answer is an error; twice, a warning', () => {
    for (const [n, sev] of [[3, 'error'], [2, 'warning']] as const) {
      const t = new Table();
      const a = t.host(1), b = t.host(2);
      let dt = 1;
      for (let k = 0; k < n; k++) { t.tcp({ dt: k ? dt : 0, src: a, dst: b, sp: 40000, dp: 443, flags: SYN, seq: 77 }); if (k) dt *= 2; }
      const f = diagnose({ cols: t.cols });
      expect(f.map((x) => x.severity)).toEqual([sev]);
      expect(renderFinding(f[0], 'en').story.join(' ')).toMatch(/Seconds between the attempts: /);
    }
  });

  it('a client that completes the handshake and resets at once is a scan or a health check: info', () => {
    const t = new Table();
    const a = t.host(1), b = t.host(2);
    t.tcp({ src: a, dst: b, sp: 40000, dp: 443, flags: SYN, seq: 77 });
    t.tcp({ src: b, dst: a, sp: 443, dp: 40000, flags: SYN | ACK, seq: 9, ack: 78 });
    t.tcp({ src: a, dst: b, sp: 40000, dp: 443, flags: RST, seq: 78 });
    const f = diagnose({ cols: t.cols });
    expect(f.map((x) => [x.kind, x.severity])).toEqual([['reset', 'info']]);
    expect(renderFinding(f[0], 'en').story[0]).toContain('health check');
  });
});

describe('MTU advice the evidence supports', () => {
  /** A black hole where 568-byte packets pass and 1500-byte ones never do. */
  function wide(): Conv {
    const c = new Conv();
    c.handshake();
    c.seg(0, { seq: 1, len: 516, ipLen: 568 });
    c.seg(1, { ack: 517, dt: 0.002 });
    c.seg(0, { seq: 517, len: 1448, ipLen: 1500 });
    c.seg(0, { seq: 1965, len: 516, ipLen: 568 });
    c.seg(1, { ack: 517, sack: [[1965, 2481]], dt: 0.002 });
    let dt = 0.2;
    for (let k = 0; k < 5; k++) { c.seg(0, { seq: 517, len: 1448, ipLen: 1500, dt }); dt *= 2; }
    return c;
  }

  it('recommends only the size seen delivered, and names the others as candidates with their probe', () => {
    const f = diagnose({ cols: wide().cols }).find((x) => x.kind === 'pmtu-blackhole');
    if (f?.kind !== 'pmtu-blackhole') throw new Error('no black hole');
    expect(f.pathMtu).toEqual({ min: 568, max: 1499 });
    expect(f.suggestedMtu).toBe(568);
    expect(f.suggestedMss).toBe(528);
    expect(f.candidateMtus[0]).toEqual({ mtu: 1480, basis: 'common', probe: 'ping -M do -s 1452 10.0.0.2' });
    const remedy = renderFinding(f, 'en').remedy.join('\n');
    expect(remedy).toContain('to 568 bytes or less (packets of that size were delivered on this path');
    expect(remedy).not.toMatch(/MTU to 1480/);
    expect(remedy).toContain('A candidate the capture does not prove: 1480 bytes');
    expect(remedy).toContain('tracepath -n 10.0.0.2');
  });

  it('a black hole on one path does not make the full-size packets of other paths oversized', () => {
    const c = wide();
    const t = new Table();
    void t;
    // Another host pair delivers 1500-byte DF packets: fine, whatever the black hole elsewhere says.
    const cols = c.cols;
    const x = cols.addresses.internV4(0x0a000009), y = cols.addresses.internV4(0x0a00000a);
    let time = 1_700_000_100;
    const put = (src: number, dst: number, sp: number, dp: number, flags: number, seq: number, ack: number, len: number) => {
      time += 0.001;
      const r = emptyRow();
      r.tsSec = Math.floor(time); r.tsNsec = Math.round((time - Math.floor(time)) * 1e9);
      r.ipVersion = 4; r.ipDf = 1; r.ipTtl = 64; r.ipLen = 52 + len; r.src = src; r.dst = dst; r.srcPort = sp; r.dstPort = dp; r.l4 = L4.Tcp;
      r.tcpFlags = flags; r.seqRaw = seq; r.ackRaw = ack; r.tcpLen = len; r.tcpHdrLen = 32; r.winRaw = 1000; r.wscale = -1;
      cols.commit(r);
    };
    for (let k = 0; k < 10; k++) { put(x, y, 5000, 80, ACK, 1 + k * 1448, 1, 1448); put(y, x, 80, 5000, ACK, 1, 1 + (k + 1) * 1448, 0); }
    const f = diagnose({ cols });
    expect(f.filter((z) => z.kind === 'oversized-df')).toEqual([]);
  });
});
