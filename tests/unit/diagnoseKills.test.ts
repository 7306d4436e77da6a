/**
 * idle-timeout, foreign-reset and untranslated-reply on synthetic conversations (diagnoseSynth.ts):
 * what each needs, what it must not take for itself, and the findings it takes over.
 */
import { describe, expect, it } from 'vitest';
import { consistentDefaults } from '../../src/diagnose/idleTimeout';
import { diagnose, type Finding, type ForeignResetFinding, type IdleTimeoutFinding, type UntranslatedReplyFinding } from '../../src/diagnose/index';
import { renderFinding } from '../../src/diagnose/render';
import { ACK, Conv, FIN, PSH, RST, SYN } from './diagnoseSynth';

const kinds = (f: Finding[]): string[] => f.map((x) => x.kind).sort();
const one = <K extends Finding['kind']>(f: Finding[], kind: K): Extract<Finding, { kind: K }> => {
  const all = f.filter((x) => x.kind === kind);
  expect(all.length, kind).toBe(1);
  return all[0] as Extract<Finding, { kind: K }>;
};
const ttl = (c: Conv, frame: number, value: number): void => { c.cols.ipTtl[frame - 1] = value; };

/** A request and its answer: A sends `len` bytes at `seq`, B answers 100 bytes at `bseq`. */
function exchange(c: Conv, seq: number, bseq: number, dt = 0.01, len = 100): void {
  c.seg(0, { seq, ack: bseq, len, flags: ACK | PSH, dt });
  c.seg(1, { seq: bseq, ack: seq + len, len: 100, flags: ACK | PSH, dt: 0.002 });
  c.seg(0, { seq: seq + len, ack: bseq + 100, dt: 0.0001 });
}

/** Every packet of B with TTL 57 (six hops from 64), as a far server's packets arrive. */
function farServer(c: Conv): void {
  for (let i = 0; i < c.cols.length; i++) if (c.cols.srcPort[i] === 80) c.cols.ipTtl[i] = 57;
}

describe('idle-timeout', () => {
  it('a write after 400 s of silence answered by a RST with another TTL: one warning, the defaults below 400 s named, the reset finding yields', () => {
    const c = new Conv();
    c.handshake();
    exchange(c, 1, 1);
    const write = c.seg(0, { seq: 101, ack: 101, len: 50, flags: ACK | PSH, dt: 400 });
    const rst = c.seg(1, { seq: 101, flags: RST, dt: 0.001 });
    farServer(c);
    ttl(c, rst, 250);
    const found = diagnose({ cols: c.cols });
    expect(kinds(found)).toEqual(['idle-timeout']);
    const f = one(found, 'idle-timeout') as IdleTimeoutFinding;
    expect(f.severity).toBe('warning');
    expect(f.ending).toBe('rst');
    expect(f.idle).toBeCloseTo(400, 1);
    expect(f.defaults).toEqual([350, 240]);
    expect(f.rstForeign).toBe(true);
    expect(f.rstFrame).toBe(rst);
    expect(f.frames).toEqual([write, write - 1, rst]);
    const text = renderFinding(f, 'en');
    expect(text.title).toContain('idle timeout');
    expect(text.story.join(' ')).toContain('AWS Network Load Balancer');
  });

  it('retransmitted until the capture ends after 300 s: an error ending in retransmissions, the retransmission-timeout finding yields', () => {
    const c = new Conv();
    c.handshake();
    exchange(c, 1, 1);
    c.seg(0, { seq: 101, ack: 101, len: 50, flags: ACK | PSH, dt: 300 });
    let rto = 0.2;
    for (let k = 0; k < 5; k++) { c.seg(0, { seq: 101, ack: 101, len: 50, flags: ACK | PSH, dt: rto }); rto *= 2; }
    const found = diagnose({ cols: c.cols });
    expect(kinds(found)).toEqual(['idle-timeout']);
    const f = one(found, 'idle-timeout');
    expect(f.severity).toBe('error');
    expect(f.ending).toBe('retransmissions');
    expect(f.retransmissions).toBe(5);
    expect(f.defaults).toEqual([240]);
    expect(f.rstForeign).toBeNull();
  });

  it('an earlier silence the connection survived bounds the timeout from below; the remedy names it as proven', () => {
    const c = new Conv();
    c.handshake();
    exchange(c, 1, 1);
    exchange(c, 101, 101, 200);
    c.seg(0, { seq: 201, ack: 201, len: 50, flags: ACK | PSH, dt: 400 });
    c.seg(1, { seq: 201, flags: RST, dt: 0.001 });
    const f = one(diagnose({ cols: c.cols }), 'idle-timeout');
    expect(f.survived).toBeCloseTo(200, 1);
    expect(f.defaults).toEqual([350, 240]);
    expect(f.rstForeign).toBe(false);
    expect(f.remedy[0].key).toBe('idle.remedy.keepaliveProven');
    expect(f.title.key).toBe('idle.title.rstPeer');
  });

  it('a retransmission back-off is no idle period: a silence with data outstanding is not told', () => {
    const c = new Conv();
    c.handshake();
    exchange(c, 1, 1);
    c.seg(0, { seq: 101, ack: 101, len: 1000, flags: ACK | PSH });
    let rto = 1;
    for (let k = 0; k < 5; k++) { c.seg(0, { seq: 101, ack: 101, len: 1000, flags: ACK | PSH, dt: rto }); rto *= 2; }
    expect(kinds(diagnose({ cols: c.cols }))).not.toContain('idle-timeout');
  });

  it('a silence shorter than 5 s, or a write the peer acknowledged, is not told', () => {
    const short = new Conv();
    short.handshake();
    exchange(short, 1, 1);
    short.seg(0, { seq: 101, ack: 101, len: 50, flags: ACK | PSH, dt: 4 });
    short.seg(1, { seq: 101, flags: RST, dt: 0.001 });
    expect(kinds(diagnose({ cols: short.cols }))).not.toContain('idle-timeout');
    const alive = new Conv();
    alive.handshake();
    exchange(alive, 1, 1);
    exchange(alive, 101, 101, 400);
    expect(kinds(diagnose({ cols: alive.cols }))).toEqual([]);
  });

  it('a write that was the goodbye (FIN after it) is only seen: info, no remedy', () => {
    const c = new Conv();
    c.handshake();
    exchange(c, 1, 1);
    c.seg(0, { seq: 101, ack: 101, len: 23, flags: ACK | PSH, dt: 20 });
    c.seg(0, { seq: 124, ack: 101, flags: ACK | FIN });
    c.seg(1, { seq: 101, flags: RST, dt: 0.01 });
    const f = one(diagnose({ cols: c.cols }), 'idle-timeout');
    expect(f.severity).toBe('info');
    expect(f.remedy).toEqual([]);
  });

  it('a RST that answered nothing, 240 s into the silence: the timeout itself, info, consistent with Azure\'s default', () => {
    const c = new Conv();
    c.handshake();
    exchange(c, 1, 1);
    const rst = c.seg(1, { seq: 101, ack: 101, flags: RST | ACK, dt: 240.2 });
    farServer(c);
    ttl(c, rst, 61);
    const found = diagnose({ cols: c.cols });
    expect(kinds(found)).toEqual(['idle-timeout']);
    const f = one(found, 'idle-timeout');
    expect(f.prompted).toBe(false);
    expect(f.severity).toBe('info');
    expect(f.direction).toBe(0);
    expect(f.idle).toBeCloseTo(240.2, 1);
    expect(f.defaults).toEqual([240]);
    expect(f.rstForeign).toBe(true);
    expect(f.frames).toEqual([rst, rst - 1]);
    expect(f.remedy[0].key).toBe('idle.remedy.keepaliveExact');
  });

  it('three connections of one client to one service killed alike: one finding with their streams', () => {
    const c = new Conv();
    const starts: number[] = [];
    for (let k = 0; k < 3; k++) {
      starts.push(c.cols.length);
      c.handshake();
      exchange(c, 1, 1);
      c.seg(0, { seq: 101, ack: 101, len: 50, flags: ACK | PSH, dt: 400 });
      const rst = c.seg(1, { seq: 101, flags: RST, dt: 0.001 });
      ttl(c, rst, 250);
    }
    starts.push(c.cols.length);
    // Each conversation its own client port.
    for (let k = 0; k < 3; k++) for (let i = starts[k]; i < starts[k + 1]; i++) {
      if (c.cols.srcPort[i] === 40000) c.cols.srcPort[i] = 40000 + k; else c.cols.dstPort[i] = 40000 + k;
    }
    const found = diagnose({ cols: c.cols });
    expect(kinds(found)).toEqual(['idle-timeout']);
    const f = one(found, 'idle-timeout');
    expect(f.streams).toEqual([0, 1, 2]);
    expect(renderFinding(f, 'en').title).toContain('2 more connections alike');
  });

  it('a keep-alive probe after 7200 s (Linux\'s default) answered by a RST: the keep-alive came too late', () => {
    const c = new Conv();
    c.handshake();
    exchange(c, 1, 1);
    const probe = c.seg(0, { seq: 100, ack: 101, dt: 7200 });
    const rst = c.seg(1, { seq: 101, flags: RST, dt: 0.001 });
    farServer(c);
    ttl(c, rst, 250);
    const found = diagnose({ cols: c.cols });
    expect(kinds(found)).toEqual(['idle-timeout']);
    const f = one(found, 'idle-timeout');
    expect(f.prompted).toBe(true);
    expect(f.severity).toBe('warning');
    expect(f.frames).toEqual([probe, probe - 1, rst]);
    expect(f.story[0].key).toBe('idle.story.keepAlive');
    expect(f.defaults).toEqual([3600, 1200, 600, 350, 240]);
  });

  it('names the defaults between what was survived and the silence, nearest first', () => {
    expect(consistentDefaults(10, 0)).toEqual([]);
    expect(consistentDefaults(240, 0)).toEqual([240]);
    expect(consistentDefaults(700, 300)).toEqual([600, 350]);
    expect(consistentDefaults(100000, 3600)).toEqual([86400]);
  });
});

describe('foreign-reset', () => {
  function transfer(): { c: Conv; rst: number } {
    const c = new Conv();
    c.handshake();
    exchange(c, 1, 1);
    c.seg(0, { seq: 101, ack: 101, len: 100, flags: ACK | PSH });
    c.seg(1, { seq: 101, ack: 201, len: 1000, dt: 0.002 });
    c.seg(1, { seq: 1101, ack: 201, len: 1000 });
    const rst = c.seg(1, { seq: 2101, ack: 201, flags: RST | ACK, dt: 0.001 });
    farServer(c);
    return { c, rst };
  }

  it('a RST with the TTL of a device nearer than the server, mid-transfer: a warning; the reset finding yields', () => {
    const { c, rst } = transfer();
    ttl(c, rst, 63);
    const found = diagnose({ cols: c.cols });
    expect(kinds(found)).toEqual(['foreign-reset']);
    const f = one(found, 'foreign-reset') as ForeignResetFinding;
    expect(f.severity).toBe('warning');
    expect(f.ttl).toBe(63);
    expect(f.usualTtl).toBe(57);
    expect(f.frames).toEqual([rst]);
    expect(f.varied).toBe(false);
    expect(renderFinding(f, 'zh-CN').summary).toContain('63');
  });

  it('a RST with the TTL of the server\'s own packets is the server\'s: no finding of this kind', () => {
    const { c } = transfer();
    expect(kinds(diagnose({ cols: c.cols }))).toEqual(['reset']);
  });

  it('a sender whose own TTL varied: the origin only likely; the severity is what the RST cut off (a transfer: warning), told with it', () => {
    const { c, rst } = transfer();
    ttl(c, rst, 120);
    ttl(c, 2, 50);
    const found = diagnose({ cols: c.cols });
    expect(kinds(found)).toEqual(['foreign-reset']);
    const f = one(found, 'foreign-reset');
    expect(f.varied).toBe(true);
    expect(f.title.key).toBe('freset.title.likely');
    expect(f.severity).toBe('warning');
    expect(f.story.some((m) => m.key === 'reset.story.ownUnacked')).toBe(true);
    expect(f.story.some((m) => m.key === 'reset.story.ttl')).toBe(false);
  });

  it('a RST long after the connection had ended: info', () => {
    const c = new Conv();
    c.handshake();
    exchange(c, 1, 1);
    c.seg(0, { seq: 101, ack: 101, flags: ACK | FIN });
    c.seg(1, { seq: 101, ack: 102, flags: ACK | FIN, dt: 0.002 });
    c.seg(0, { seq: 102, ack: 102 });
    const rst = c.seg(1, { seq: 102, ack: 102, flags: RST | ACK, dt: 20 });
    farServer(c);
    ttl(c, rst, 255);
    const f = one(diagnose({ cols: c.cols }), 'foreign-reset');
    expect(f.severity).toBe('info');
  });
});

describe('untranslated-reply', () => {
  /** Rewrite B's side of rows `frames` to the backend 10.0.0.200:8080 (the reply that was not translated back). */
  function fromBackend(c: Conv, frames: number[]): void {
    const p = c.cols.addresses.internV4(0x0a0000c8);
    for (const fr of frames) {
      const i = fr - 1;
      if (c.cols.srcPort[i] === 80) { c.cols.src[i] = p; c.cols.srcPort[i] = 8080; } else { c.cols.dst[i] = p; c.cols.dstPort[i] = 8080; }
    }
  }

  it("SYN/ACKs from the backend's address, each reset by the client: one error on the connection to the service, no handshake failure beside it", () => {
    const c = new Conv();
    const stray: number[] = [];
    for (let k = 0; k < 3; k++) {
      c.seg(0, { seq: 0, flags: SYN, ack: 0, mss: 1460, dt: k ? 1 : 0.001 });
      stray.push(c.seg(1, { seq: 0, ack: 1, flags: SYN | ACK, mss: 1460, dt: 0.002 }));
      stray.push(c.seg(0, { seq: 1, flags: RST, dt: 0.0001 }));
    }
    fromBackend(c, stray);
    const found = diagnose({ cols: c.cols });
    expect(kinds(found)).toEqual(['untranslated-reply']);
    const f = one(found, 'untranslated-reply') as UntranslatedReplyFinding;
    expect(f.severity).toBe('error');
    expect(f.phase).toBe('handshake');
    expect(f.service).toBe('10.0.0.2:80');
    expect(f.backend).toBe('10.0.0.200:8080');
    expect(f.replies).toBe(3);
    expect(f.clientResets).toBe(3);
    expect(f.frames.slice(0, 3)).toEqual([2, 3, 1]);
  });

  it('the same connection seen before and after the translation (two capture points) is no stray reply', () => {
    const c = new Conv();
    c.handshake();
    exchange(c, 1, 1);
    c.seg(0, { seq: 101, ack: 101, flags: RST | ACK });
    // The same packets again at a point behind the DNAT: the server's side is the backend's.
    const n = c.cols.length;
    const seen: number[] = [];
    for (let i = 0; i < n; i++) {
      const d = c.cols.srcPort[i] === 80 ? 1 : 0;
      const f = c.cols.tcpFlags[i], seq = (c.cols.seqRaw[i] - c.isn[d]) | 0, ack = (c.cols.ackRaw[i] - c.isn[1 - d]) | 0;
      seen.push(c.seg(d as 0 | 1, { seq, ack, flags: f, len: c.cols.tcpLen[i], mss: c.cols.mss[i], dt: 0.0001 }));
    }
    fromBackend(c, seen);
    expect(kinds(diagnose({ cols: c.cols }))).not.toContain('untranslated-reply');
  });

  it('a stray packet whose ACK matches nothing the client sent is not paired', () => {
    const c = new Conv();
    c.seg(0, { seq: 0, flags: SYN, ack: 0, mss: 1460 });
    const a = c.seg(1, { seq: 0, ack: 7, flags: SYN | ACK, mss: 1460, dt: 0.002 });
    const b = c.seg(0, { seq: 7, flags: RST, dt: 0.0001 });
    fromBackend(c, [a, b]);
    expect(kinds(diagnose({ cols: c.cols }))).not.toContain('untranslated-reply');
  });
});
