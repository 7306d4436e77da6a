import { describe, expect, it } from 'vitest';
import { diagnose, renderFinding, type Finding } from '../../src/diagnose/index';
import { ACK, Conv, FIN, PSH, RST, SYN } from './diagnoseSynth';

const kinds = (f: Finding[]) => f.map((x) => x.kind);

/** A sends 4 small bytes, then a big segment (1398 bytes, IP 1450) and a smaller one (1307, IP 1359). */
function bigWrite(c: Conv): number {
  c.seg(0, { seq: 1, len: 100, flags: ACK | PSH });
  c.seg(1, { seq: 1, ack: 101, dt: 0.002 });
  return c.seg(0, { seq: 101, len: 1398, flags: ACK | PSH, dt: 0.3 });
}

describe('PMTU black hole', () => {
  function blackhole(): { c: Conv; big: number } {
    const c = new Conv();
    c.handshake();
    const big = bigWrite(c);
    c.seg(0, { seq: 1499, len: 1307, flags: ACK | PSH });
    c.seg(1, { seq: 1, ack: 101, sack: [[1499, 2806]], dt: 0.002 });
    let rto = 0.2;
    for (let k = 0; k < 5; k++) { c.seg(0, { seq: 101, len: 1398, flags: ACK | PSH, dt: rto }); rto *= 2; }
    return { c, big };
  }

  it('brackets the path MTU between the largest delivered and the smallest lost size', () => {
    const { c, big } = blackhole();
    const f = diagnose({ cols: c.cols });
    const b = f[0];
    expect(b.kind).toBe('pmtu-blackhole');
    if (b.kind !== 'pmtu-blackhole') return;
    expect(b.id).toBe(`pmtu-blackhole:s0:d0:f${big}`);
    expect(b.pathMtu).toEqual({ min: 1359, max: 1449 });
    expect(b.transmissions).toBe(6);
    expect(b.mss).toEqual([1460, 1460]);
    // Only what the capture guarantees is recommended: the largest size delivered; 1440 (a common
    // setting inside the bracket) is a candidate, with the probe that settles it.
    expect(b.suggestedMtu).toBe(1359);
    expect(b.suggestedMss).toBe(1319);
    expect(b.candidateMtus.map((x) => x.mtu)).toContain(1440);
    expect(b.candidateMtus.find((x) => x.mtu === 1440)?.probe).toMatch(/^ping -M do -s 1412 /);
    expect(b.severity).toBe('critical');
    expect(kinds(f)).toContain('retransmission-timeout');
    const en = renderFinding(b, 'en');
    expect(en.remedy.join(' ')).toContain('--set-mss 1319');
    expect(en.remedy.join(' ')).toContain('not prove: 1440 bytes');
    expect(en.remedy.join(' ')).toContain('tracepath -n');
    expect(en.remedy.join(' ')).toContain('tcp_mtu_probing=1');
    expect(en.story.join(' ')).toContain('frame 6');
    const zh = renderFinding(b, 'zh-CN');
    expect(zh.title).toContain('PMTU 黑洞');
  });

  it('does not fire on random loss: a lost segment whose same-size retransmission is delivered', () => {
    const c = new Conv();
    c.handshake();
    c.seg(0, { seq: 1, len: 1448 });
    c.seg(0, { seq: 1449, len: 1448 });
    c.seg(1, { ack: 1, sack: [[1449, 2897]], dt: 0.01 });
    c.seg(0, { seq: 1, len: 1448, dt: 0.2 });
    c.seg(0, { seq: 1, len: 1448, dt: 0.4 });
    c.seg(0, { seq: 1, len: 1448, dt: 0.8 });
    c.seg(1, { ack: 2897, dt: 0.01 });
    expect(kinds(diagnose({ cols: c.cols }))).not.toContain('pmtu-blackhole');
  });

  it('does not fire on a dead path, where small packets are lost too', () => {
    const c = new Conv();
    c.handshake();
    bigWrite(c);
    c.seg(0, { seq: 1499, len: 50 });
    for (let k = 0; k < 4; k++) { c.seg(0, { seq: 101, len: 1398, dt: 0.5 }); c.seg(0, { seq: 1499, len: 50 }); }
    const f = diagnose({ cols: c.cols });
    expect(kinds(f)).not.toContain('pmtu-blackhole');
    expect(kinds(f)).toContain('retransmission-timeout');
  });

  it('reports working PMTU discovery as info, not as a black hole', () => {
    const c = new Conv();
    c.handshake();
    bigWrite(c);
    const icmp = c.icmpPtb(1440, 101, 1450);
    const fit = c.seg(0, { seq: 101, len: 1388 });
    c.seg(0, { seq: 1489, len: 10 });
    c.seg(1, { ack: 1499, dt: 0.002 });
    const f = diagnose({ cols: c.cols });
    expect(kinds(f)).toEqual(['icmp-ptb']);
    expect(f[0].severity).toBe('info');
    expect(f[0].frames).toEqual([icmp, fit]);
  });

  it('labels big packets that were acknowledged (TSO/GSO) as such, never as drops', () => {
    const c = new Conv();
    c.handshake();
    c.seg(0, { seq: 1, len: 2896, ipLen: 2948 });
    c.seg(1, { ack: 2897, dt: 0.002 });
    const auto = diagnose({ cols: c.cols });
    expect(kinds(auto)).toEqual(['oversized-df']);
    expect(auto[0].severity).toBe('info');
    const user = diagnose({ cols: c.cols }, { pathMtu: 1440 });
    const o = user[0];
    expect(o.kind === 'oversized-df' && o.mtuSource === 'user' && o.delivered === 1).toBe(true);
  });

  it('ignores copies of a packet seen at a second capture point', () => {
    const c = new Conv();
    c.handshake();
    c.seg(0, { seq: 1, len: 1000, ipId: 77 });
    c.seg(0, { seq: 1, len: 1000, ipId: 77, iface: 1, dt: 0.00005 });
    c.seg(1, { ack: 1001, dt: 0.002 });
    c.seg(1, { ack: 1001, iface: 1, dt: 0.00005 });
    expect(diagnose({ cols: c.cols })).toEqual([]);
  });
});

describe('resets and handshakes', () => {
  it('a RST answering a SYN is a refusal', () => {
    const c = new Conv();
    c.seg(0, { seq: 0, flags: SYN, ack: 0 });
    const rst = c.seg(1, { seq: 0, ack: 1, flags: RST | ACK, win: 0 });
    const f = diagnose({ cols: c.cols });
    expect(f.map((x) => [x.kind, x.kind === 'handshake-failure' ? x.reason : '', x.frames[0]])).toEqual([['handshake-failure', 'refused', rst]]);
  });

  it('SYNs without any answer are an unanswered handshake', () => {
    const c = new Conv();
    c.seg(0, { seq: 0, flags: SYN, ack: 0 });
    c.seg(0, { seq: 0, flags: SYN, ack: 0, dt: 1 });
    c.seg(0, { seq: 0, flags: SYN, ack: 0, dt: 2 });
    const f = diagnose({ cols: c.cols });
    expect(f.length).toBe(1);
    expect(f[0].kind === 'handshake-failure' && f[0].reason === 'unanswered' && f[0].attempts === 3).toBe(true);
  });

  it('a RST while the peer is sending is a mid-stream reset by that side', () => {
    const c = new Conv();
    c.handshake();
    c.seg(0, { seq: 1, len: 4, flags: ACK | PSH });
    c.seg(1, { seq: 1, ack: 5, len: 1000 });
    c.seg(1, { seq: 1001, ack: 5, len: 1000 });
    const rst = c.seg(0, { seq: 5, ack: 1001, flags: RST | ACK });
    const f = diagnose({ cols: c.cols });
    const r = f.find((x) => x.kind === 'reset');
    expect(r && r.kind === 'reset' && r.context === 'mid-stream' && r.by === 'client' && r.frames[0] === rst).toBe(true);
    expect(renderFinding(r!, 'en').story.join(' ')).toContain('still sending');
    expect(renderFinding(r!, 'zh-CN').title).toContain('客户端');
  });

  it('a RST after FIN is only info', () => {
    const c = new Conv();
    c.handshake();
    c.seg(1, { seq: 1, ack: 1, flags: FIN | ACK });
    c.seg(0, { seq: 1, ack: 2, flags: RST | ACK });
    const f = diagnose({ cols: c.cols });
    expect(f.map((x) => [x.kind, x.severity])).toEqual([['reset', 'info']]);
  });
});

describe('zero-window stall', () => {
  it('measures the stall from the zero window to the window update and counts probes', () => {
    const c = new Conv();
    c.handshake();
    c.seg(0, { seq: 1, len: 1000 });
    const zero = c.seg(1, { ack: 1001, win: 0 });
    c.seg(0, { seq: 1000, dt: 0.2 });
    c.seg(1, { ack: 1001, win: 0 });
    c.seg(0, { seq: 1000, dt: 0.4 });
    c.seg(1, { ack: 1001, win: 0 });
    const open = c.seg(1, { ack: 1001, win: 500, dt: 1.4 });
    const f = diagnose({ cols: c.cols });
    expect(f.length).toBe(1);
    const z = f[0];
    expect(z.kind === 'zero-window-stall' && z.probes === 2 && z.reopened).toBe(true);
    if (z.kind !== 'zero-window-stall') return;
    expect(z.duration).toBeCloseTo(2.002, 2);
    expect(z.severity).toBe('warning');
    expect(z.frames[0]).toBe(zero);
    expect(z.frames[z.frames.length - 1]).toBe(open);
    expect(z.direction).toBe(0); // the stalled sender
  });
});

describe('high loss', () => {
  it('reports scattered recovered loss with its rate', () => {
    const c = new Conv();
    c.handshake();
    let seq = 1;
    for (let k = 0; k < 40; k++) {
      c.seg(0, { seq, len: 1000 });
      if (k % 10 === 3) c.seg(0, { seq, len: 1000, dt: 0.01 });
      seq += 1000;
      c.seg(1, { ack: seq });
    }
    const f = diagnose({ cols: c.cols });
    expect(f.length).toBe(1);
    const l = f[0];
    expect(l.kind === 'high-loss' && l.retransmitted === 4 && l.segments === 40 && l.recovered).toBe(true);
  });
});

describe('finding order', () => {
  it('sorts most severe first and keeps ids stable across runs', () => {
    const c = new Conv();
    c.seg(0, { seq: 0, flags: SYN, ack: 0 });
    c.seg(1, { seq: 0, ack: 1, flags: RST | ACK });
    const a = diagnose({ cols: c.cols }).map((x) => x.id);
    const b = diagnose({ cols: c.cols }).map((x) => x.id);
    expect(a).toEqual(b);
    expect(a).toEqual(['handshake-failure:s0:d0:f2']);
  });
});
