/**
 * The DNS diagnoses (src/diagnose/dns.ts) on small synthetic captures: error answers grouped per
 * client and server with severity by how many names stayed failed, a re-ask after the timeout, an
 * unanswered query the capture did not watch long enough, search-path expansion, and the texts in
 * both languages.
 */
import { describe, expect, it } from 'vitest';
import { openAnalysis } from '../../src/analysis';
import { renderFinding, type Finding } from '../../src/diagnose/index';
import { pcapFile } from './captureBuilders';
import { eth, ipv4, udp } from './decodeBuilders';
import { dnsMsg } from './packetListCapture';

interface Msg { t: number; from: 'c' | 's'; id: number; flags: number; q: string; qtype?: number; port?: number }

function capture(msgs: Msg[]): Finding[] {
  const records = msgs.map((m) => {
    const port = m.port ?? 40000;
    const [src, dst, sp, dp] = m.from === 'c' ? ['10.0.0.2', '10.0.0.53', port, 53] : ['10.0.0.53', '10.0.0.2', 53, port];
    const data = eth(0x0800, ipv4({ proto: 17, src, dst }, udp(sp, dp, dnsMsg({ id: m.id, flags: m.flags, q: m.q, qtype: m.qtype ?? 1 }))));
    return { sec: 1700000000 + Math.floor(m.t), frac: Math.round((m.t % 1) * 1e6), data };
  });
  const bytes = pcapFile({ records });
  const run = openAnalysis({ expectedBytes: bytes.length });
  run.push(bytes);
  return run.finish().diagnosis(0).findings.filter((f) => f.kind.startsWith('dns-'));
}

const Q = 0x0100, OK = 0x8180, NX = 0x8183, SERVFAIL = 0x8182, REFUSED = 0x8185;

describe('dns-error', () => {
  it('one finding per client and server; a warning when two names stay failed', () => {
    const f = capture([
      { t: 0, from: 'c', id: 1, flags: Q, q: 'a.example' }, { t: 0.01, from: 's', id: 1, flags: SERVFAIL, q: 'a.example' },
      { t: 1, from: 'c', id: 2, flags: Q, q: 'b.example' }, { t: 1.01, from: 's', id: 2, flags: SERVFAIL, q: 'b.example' },
      { t: 2, from: 'c', id: 3, flags: Q, q: 'c.example' }, { t: 2.01, from: 's', id: 3, flags: REFUSED, q: 'c.example' },
    ]);
    expect(f.map((x) => x.kind)).toEqual(['dns-error']);
    const e = f[0];
    if (e.kind !== 'dns-error') throw new Error('kind');
    expect(e.severity).toBe('warning');
    expect(e.errors).toBe(3);
    expect(e.rcodes).toEqual({ SERVFAIL: 2, REFUSED: 1 });
    expect(e.stream).toBe(-1);
    expect(e.frames).toEqual([1, 2, 3, 4, 5, 6]);
    for (const lang of ['en', 'zh-CN'] as const) {
      const r = renderFinding(e, lang);
      expect(r.summary).toContain('SERVFAIL ×2');
      expect(r.summary).not.toMatch(/\{\{|@/);
    }
  });

  it('a name failing once and answered later is told, not raised', () => {
    const f = capture([
      { t: 0, from: 'c', id: 1, flags: Q, q: 'a.example' }, { t: 0.01, from: 's', id: 1, flags: SERVFAIL, q: 'a.example' },
      { t: 1, from: 'c', id: 2, flags: Q, q: 'a.example' }, { t: 1.01, from: 's', id: 2, flags: OK, q: 'a.example' },
    ]);
    expect(f.map((x) => [x.kind, x.severity])).toEqual([['dns-error', 'info']]);
  });
});

describe('dns-timeout', () => {
  it('a query re-asked 5 s later from the same port: a warning with the retry', () => {
    const f = capture([
      { t: 0, from: 'c', id: 7, flags: Q, q: 'api.example.com', qtype: 1 },
      { t: 0.001, from: 'c', id: 8, flags: Q, q: 'api.example.com', qtype: 28 },
      { t: 0.01, from: 's', id: 7, flags: OK, q: 'api.example.com', qtype: 1 },
      { t: 5.001, from: 'c', id: 8, flags: Q, q: 'api.example.com', qtype: 28 },
      { t: 5.01, from: 's', id: 8, flags: OK, q: 'api.example.com', qtype: 28 },
    ]);
    expect(f.map((x) => x.kind)).toEqual(['dns-timeout']);
    const t = f[0];
    if (t.kind !== 'dns-timeout') throw new Error('kind');
    expect(t.severity).toBe('warning');
    expect(t.retryAfter).toEqual([5]);
    expect(t.samePort).toBe(1);
    expect(t.parallel).toBe(1);
    expect(t.names).toEqual(['api.example.com (AAAA)']);
    expect(t.frames).toEqual([2, 4]);
    const zh = renderFinding(t, 'zh-CN');
    expect(zh.story.join('')).toContain('conntrack');
  });

  it('answers that come a second or more late are slow answers: info for one, a warning from three', () => {
    const one = capture([{ t: 0, from: 'c', id: 1, flags: Q, q: 'a.example' }, { t: 2.5, from: 's', id: 1, flags: OK, q: 'a.example' }]);
    expect(one.map((x) => [x.kind, x.severity])).toEqual([['dns-timeout', 'info']]);
    const t = one[0];
    if (t.kind !== 'dns-timeout') throw new Error('kind');
    expect([t.slow, t.slowest, t.unanswered]).toEqual([1, 2.5, 0]);
    expect(t.frames).toEqual([1, 2]);
    expect(renderFinding(t, 'en').title).toBe('Slow DNS answers: 10.0.0.53 took up to 2.50 s to answer 10.0.0.2');
    const three = capture([0, 1, 2].flatMap((k): Msg[] => [
      { t: k * 10, from: 'c', id: k + 1, flags: Q, q: `n${k}.example` }, { t: k * 10 + 1.5, from: 's', id: k + 1, flags: OK, q: `n${k}.example` },
    ]));
    expect(three.map((x) => [x.kind, x.severity])).toEqual([['dns-timeout', 'warning']]);
  });

  it('an unanswered query the capture did not watch for the timeout is not claimed', () => {
    const f = capture([
      { t: 0, from: 'c', id: 1, flags: Q, q: 'a.example' },
      { t: 2, from: 'c', id: 2, flags: Q, q: 'b.example' }, { t: 2.01, from: 's', id: 2, flags: OK, q: 'b.example' },
    ]);
    expect(f).toEqual([]);
  });
});

describe('dns-search-expansion', () => {
  it('counts the NXDOMAINs before the real name', () => {
    const msgs: Msg[] = [];
    let id = 1, t = 0;
    for (const name of ['api.example.com.ns.svc.cluster.local', 'api.example.com.svc.cluster.local', 'api.example.com']) {
      for (const qtype of [1, 28]) {
        const port = 41000 + id;
        msgs.push({ t, from: 'c', id, flags: Q, q: name, qtype, port }, { t: t + 0.002, from: 's', id, flags: name === 'api.example.com' ? OK : NX, q: name, qtype, port });
        id++; t += 0.005;
      }
    }
    const f = capture(msgs);
    expect(f.map((x) => x.kind)).toEqual(['dns-search-expansion']);
    const s = f[0];
    if (s.kind !== 'dns-search-expansion') throw new Error('kind');
    expect(s.severity).toBe('info');
    expect([s.lookups, s.nxdomains, s.nxdomainsPerLookup]).toEqual([1, 4, 4]);
    expect(s.searchDomains).toEqual(['ns.svc.cluster.local', 'svc.cluster.local']);
    expect(s.timeLostPerLookup).toBeCloseTo(0.02, 3);
  });
});
