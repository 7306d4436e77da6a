import { describe, expect, it } from 'vitest';
import { diagnose, renderFinding, type Finding } from '../../src/diagnose/index';
import type { AsymmetricPathFinding, PawsDropFinding, SynDroppedFinding } from '../../src/diagnose/types';
import { ACK, asymmetricNet, Net, pawsNet, retries, RST, SYN, synDroppedNet } from './connFailSynth';

const kinds = (f: Finding[]): string[] => f.map((x) => x.kind);

describe('syn-dropped', () => {
  it('tells the unanswered SYNs of some connections to a service that answers others, once, per client', () => {
    const found = diagnose({ cols: synDroppedNet().columns() });
    const f = found.filter((x): x is SynDroppedFinding => x.kind === 'syn-dropped');
    expect(f).toHaveLength(1);
    expect(kinds(found)).not.toContain('handshake-failure');
    const s = f[0];
    expect(s.severity).toBe('error');
    expect([s.failed, s.delayed, s.connections]).toEqual([3, 1, 10]);
    expect(s.share).toBeCloseTo(0.4);
    expect(s.retryAfter).toEqual([1, 3, 7]);
    expect(s.services).toEqual(['10.0.0.2:443 (4/10)']);
    expect(s.unaffected).toEqual(['10.0.0.2:22 (0/1)', '10.0.0.2:80 (0/4)']);
    expect(s.carriedOn).toBe(1);
    expect(s.streams).toHaveLength(4);
    for (const lang of ['en', 'zh-CN'] as const) {
      const r = renderFinding(s, lang);
      expect(r.title + r.summary + r.story.join(' ') + r.remedy.join(' ')).not.toMatch(/\{\{|undefined|NaN/);
    }
    expect(renderFinding(s, 'en').summary).toContain('3 of the 10 new connections');
  });

  it('does not call a connection failed when the capture ends before its last SYN could be answered', () => {
    const n = new Net();
    for (let k = 0; k < 4; k++) n.conn({ c: 1, cport: 40000 + k, s: 2, sport: 443, syns: [k], answer: k + 0.002 });
    // Two SYNs, the capture ending with the second: only the first is proven unanswered.
    n.conn({ c: 1, cport: 41000, s: 2, sport: 443, syns: [10, 11], answer: null });
    expect(kinds(diagnose({ cols: n.columns() }))).not.toContain('syn-dropped');
  });

  it('leaves a service that never answers to handshake-failure', () => {
    const n = new Net();
    for (let k = 0; k < 3; k++) n.conn({ c: 1, cport: 40000 + k, s: 2, sport: 443, syns: retries(k * 10), answer: null });
    n.conn({ c: 1, cport: 41000, s: 2, sport: 80, syns: [1], answer: 1.002 });
    const found = diagnose({ cols: n.columns() });
    expect(kinds(found)).toContain('handshake-failure');
    expect(kinds(found)).not.toContain('syn-dropped');
  });

  it('is info when a single connection was only answered after a retry, and nothing with one', () => {
    const one = new Net();
    one.conn({ c: 1, cport: 40000, s: 2, sport: 443, syns: retries(0, 2), answer: 1.002 });
    for (let k = 1; k < 5; k++) one.conn({ c: 1, cport: 40000 + k, s: 2, sport: 443, syns: [k * 2], answer: k * 2 + 0.002 });
    expect(kinds(diagnose({ cols: one.columns() }))).not.toContain('syn-dropped');
    const two = new Net();
    for (let k = 0; k < 2; k++) two.conn({ c: 1, cport: 40000 + k, s: 2, sport: 443, syns: retries(k * 3, 2), answer: k * 3 + 1.002 });
    for (let k = 2; k < 30; k++) two.conn({ c: 1, cport: 40000 + k, s: 2, sport: 443, syns: [k * 3], answer: k * 3 + 0.002 });
    const f = diagnose({ cols: two.columns() }).find((x): x is SynDroppedFinding => x.kind === 'syn-dropped');
    expect(f?.severity).toBe('info');
    expect(f?.delayed).toBe(2);
  });

  it('names a source port reused while the server may still hold the earlier connection', () => {
    const n = synDroppedNet();
    // Port 40002 (a failed one at 5 s) had carried a connection that ended with FINs at 4.2 s.
    n.conn({ c: 1, cport: 40002, s: 2, sport: 443, syns: [0.1], answer: 0.102 });
    const f = diagnose({ cols: n.columns() }).find((x): x is SynDroppedFinding => x.kind === 'syn-dropped');
    expect(f?.reusedPorts).toBe(1);
  });
});

describe('syn-dropped: ports reused while the server holds the old connection', () => {
  it('tells SYNs answered by a bare ACK, reset by the client and sent again, not as SYNs without an answer', () => {
    const n = new Net();
    for (let k = 0; k < 6; k++) n.conn({ c: 1, cport: 40000 + k, s: 2, sport: 80, syns: [k], answer: k + 0.002 });
    for (const [port, t] of [[40001, 8], [40003, 9]]) {
      // The new SYN on the old four-tuple meets the server's TIME-WAIT: an ACK of the old connection.
      n.add({ t, src: Net.ip(1), dst: Net.ip(2), sport: port, dport: 80, flags: SYN, seq: 777_000, tsval: 5 });
      n.add({ t: t + 0.002, src: Net.ip(2), dst: Net.ip(1), sport: 80, dport: port, flags: ACK, seq: 9000 + port + 101, ack: 1000 + port + 22, tsval: 9 });
      n.add({ t: t + 0.003, src: Net.ip(1), dst: Net.ip(2), sport: port, dport: 80, flags: RST, seq: 1000 + port + 22 });
      n.add({ t: t + 1, src: Net.ip(1), dst: Net.ip(2), sport: port, dport: 80, flags: SYN, seq: 777_000, tsval: 6 });
      n.add({ t: t + 1.002, src: Net.ip(2), dst: Net.ip(1), sport: 80, dport: port, flags: SYN | ACK, seq: 123, ack: 777_001, tsval: 10 });
      n.add({ t: t + 1.003, src: Net.ip(1), dst: Net.ip(2), sport: port, dport: 80, flags: ACK, seq: 777_001, ack: 124, tsval: 7 });
    }
    const found = diagnose({ cols: n.columns() });
    const f = found.find((x): x is SynDroppedFinding => x.kind === 'syn-dropped');
    expect(f).toBeDefined();
    expect([f?.staleAck, f?.failed, f?.delayed, f?.reusedPorts]).toEqual([2, 0, 0, 2]);
    expect(renderFinding(f!, 'en').title).toContain('reused too soon');
    expect(kinds(found)).not.toContain('handshake-failure');
    expect(kinds(found)).not.toContain('reset');
  });
});

describe('paws-drop', () => {
  it('tells unanswered SYNs whose timestamp went backwards from one address, and nothing else about them', () => {
    const found = diagnose({ cols: pawsNet().columns() });
    const f = found.filter((x): x is PawsDropFinding => x.kind === 'paws-drop');
    expect(f).toHaveLength(1);
    expect(kinds(found)).not.toContain('syn-dropped');
    expect(kinds(found)).not.toContain('handshake-failure');
    expect([f[0].connections, f[0].syns, f[0].severity]).toEqual([2, 8, 'warning']);
    expect(f[0].answered).toBeGreaterThanOrEqual(2);
    expect(f[0].behindBy).toBeGreaterThan(3_590_000);
    const r = renderFinding(f[0], 'zh-CN');
    expect(r.title + r.summary + r.story.join(' ')).not.toMatch(/\{\{|undefined|NaN/);
  });

  it('is not made on one answered connection: no clock to be behind', () => {
    const n = new Net();
    n.conn({ c: 1, cport: 40000, s: 2, sport: 80, syns: [0], answer: 0.002, tsval: (t) => 50_000_000 + Math.round(t * 1000) });
    n.conn({ c: 1, cport: 40001, s: 2, sport: 80, syns: retries(1), answer: null, tsval: (t) => 10_000_000 + Math.round(t * 1000) });
    const found = kinds(diagnose({ cols: n.columns() }));
    expect(found).not.toContain('paws-drop');
    expect(found).toContain('syn-dropped');
  });

  it('is not made when a SYN behind was answered (timestamps random per connection)', () => {
    const n = pawsNet();
    n.conn({ c: 1, cport: 45000, s: 2, sport: 80, syns: [6.5], answer: 6.502, tsval: (t) => 40_000_000 + Math.round(t * 1000) });
    expect(kinds(diagnose({ cols: n.columns() }))).not.toContain('paws-drop');
  });
});

describe('asymmetric-path', () => {
  it('tells SYN-ACKs never captured while the rest of the server\'s packets are', () => {
    const f = diagnose({ cols: asymmetricNet('unseen').columns() }).filter((x): x is AsymmetricPathFinding => x.kind === 'asymmetric-path');
    expect(f).toHaveLength(1);
    expect([f[0].variant, f[0].handshakes, f[0].of, f[0].severity]).toEqual(['synack-unseen', 4, 4, 'warning']);
  });

  it('tells SYN-ACKs arriving on another interface than the SYNs left by', () => {
    const f = diagnose({ cols: asymmetricNet('iface').columns() }).filter((x): x is AsymmetricPathFinding => x.kind === 'asymmetric-path');
    expect(f).toHaveLength(1);
    expect([f[0].variant, f[0].synInterface, f[0].synAckInterface]).toEqual(['interface', 'ifindex 2', 'ifindex 3']);
    expect(renderFinding(f[0], 'en').story.join(' ')).toContain('only the SYN-ACKs took the other way');
  });

  it('tells SYN-ACKs from another Ethernet neighbour than the SYNs went to, not a VRRP gateway\'s', () => {
    const mac = (last: number): number[] => [2, 0, 0, 0, 0, last];
    const n = asymmetricNet('mac', mac(3));
    const f = diagnose({ cols: n.columns() }).filter((x): x is AsymmetricPathFinding => x.kind === 'asymmetric-path');
    expect([f[0]?.variant, f[0]?.synInterface, f[0]?.synAckInterface]).toEqual(['mac', '02:00:00:00:00:01', '02:00:00:00:00:03']);
    // Sent to a VRRP virtual MAC, answered from the router's own: one gateway, no other path.
    const vrrp = asymmetricNet('mac', mac(3), [0, 0, 0x5e, 0, 1, 7]);
    expect(kinds(diagnose({ cols: vrrp.columns() }))).not.toContain('asymmetric-path');
    // A made-up capture sending unicast IP to the broadcast MAC: no neighbour to compare.
    const bcast = asymmetricNet('mac', mac(3), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(kinds(diagnose({ cols: bcast.columns() }))).not.toContain('asymmetric-path');
  });

  it('a single missing SYN-ACK among many is what a capture misses: no finding', () => {
    const n = new Net();
    for (let k = 0; k < 10; k++) n.conn({ c: 1, cport: 40000 + k, s: 2, sport: 80, syns: [k], answer: k + 0.002, hideSynAck: k === 3 });
    expect(kinds(diagnose({ cols: n.columns() }))).not.toContain('asymmetric-path');
  });
});
