/**
 * The worker's UDP requests (web/worker/udpViews.ts through the engine) on the DNS timeout capture:
 * pages in an order, the free-text and display filters (a broken filter says why), one conversation
 * with its timeline and the DNS finding citing its packets, in both languages; none for a number
 * that is no conversation; the packet detail of a frame shows its DNS.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCore } from '../../web/worker/core';
import { AnalysisEngine } from '../../web/worker/engine';

const FIXTURE = path.resolve(import.meta.dirname, '..', 'fixtures', 'diagnose', 'dns-timeout.node-eth0.pcap');

async function engine(): Promise<AnalysisEngine> {
  const e = new AnalysisEngine(loadCore());
  const file = new File([readFileSync(FIXTURE)], 'dns-timeout.node-eth0.pcap');
  await e.open(file, 0, 'en', () => undefined);
  return e;
}

describe('worker: UDP conversations', () => {
  it('pages, sorts and filters', async () => {
    const e = await engine();
    const page = (o: { key?: 'index' | 'unanswered' | 'bytes'; desc?: boolean; filter?: string; display?: string; from?: number; count?: number }) =>
      e.udpConversations({ type: 'udpConversations', sort: { key: o.key ?? 'index', desc: o.desc ?? false }, filter: o.filter ?? '', display: o.display, from: o.from ?? 0, count: o.count ?? 100 });
    const all = await page({});
    expect(all.total).toBe(8);
    expect(all.all).toBe(8);
    expect(all.rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect((await page({ from: 6, count: 5 })).rows.map((r) => r.index)).toEqual([6, 7]);
    expect((await page({ key: 'unanswered', desc: true, count: 3 })).rows.map((r) => r.dns?.unanswered)).toEqual([1, 1, 1]);
    expect((await page({ filter: '53472' })).rows.map((r) => r.index)).toEqual([5]);
    const aaaa = await page({ display: 'dns.qry.type == 28 && dns.flags.response == 0' });
    expect(aaaa.rows.map((r) => r.index)).toEqual([0, 1, 3, 5, 7]);
    const broken = await page({ display: 'dns.nope == 1' });
    expect(broken.filterError).toBeTruthy();
  });

  it('one conversation: its timeline and the findings citing it, in either language', async () => {
    const e = await engine();
    const v = e.udpConversation({ type: 'udpConversation', conversation: 0, pixels: 600, mtu: 0, lang: 'en' }).view!;
    expect(v.row.a).toBe('198.18.1.2:37979');
    expect(Array.from(v.timeline.frame)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(v.findings.map((f) => f.kind)).toEqual(['dns-timeout']);
    const zh = e.udpConversation({ type: 'udpConversation', conversation: 0, pixels: 600, mtu: 0, lang: 'zh-CN' }).view!;
    expect(zh.findings[0].title).toMatch(/DNS 超时/);
    expect(e.udpConversation({ type: 'udpConversation', conversation: 8, pixels: 600, mtu: 0, lang: 'en' }).view).toBeNull();
    // Conversation 2 (frames 11 and 12) is cited by no finding.
    expect(e.udpConversation({ type: 'udpConversation', conversation: 2, pixels: 600, mtu: 0, lang: 'en' }).view!.findings).toEqual([]);
  });
});
