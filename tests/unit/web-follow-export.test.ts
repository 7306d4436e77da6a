/**
 * The worker's follow, save, export and stream-filter requests (engine.ts) on the sample, and how the
 * stream filter box tells a display filter from free text.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAnalysis } from '../../src/analysis';
import { loadCore } from '../../web/worker/core';
import { AnalysisEngine } from '../../web/worker/engine';
import { classifyFilter } from '../../web/components/filterText';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const samplePath = path.join(repoRoot, 'public', 'samples', 'pmtu-blackhole.pcap');

async function engineOnSample(): Promise<AnalysisEngine> {
  const engine = new AnalysisEngine(loadCore());
  const file = new File([readFileSync(samplePath)], 'pmtu-blackhole.pcap');
  await engine.open(file, 0, 'en', () => undefined);
  return engine;
}

const sort = { key: 'index' as const, desc: false };

describe('worker: follow stream, export, stream filter', () => {
  it('pages a followed stream, one direction or both, and saves its bytes', async () => {
    const e = await engineOnSample();
    const all = await e.follow({ type: 'follow', target: { tcp: 0 }, dirs: 'both', from: 0, maxBytes: 1 << 20 });
    expect(all.info?.protocol).toBe('tcp');
    expect(all.info?.a).toEqual({ addr: '198.18.1.2', port: 39144 });
    expect(all.next).toBe(all.info?.count);
    const data = (d: number | 'both') => all.chunks.filter((c) => c.kind === 'data' && (d === 'both' || c.dir === d)).reduce((n, c) => n + (c.kind === 'data' ? c.bytes.length : 0), 0);
    expect(data(0)).toBe(all.info!.bytes[0]);
    expect(data(1)).toBe(all.info!.bytes[1]);
    // Small pages read on where the last one ended and add up to the same.
    let from = 0;
    let pages = 0;
    let bytes = 0;
    while (from < all.info!.count) {
      const p = await e.follow({ type: 'follow', target: { tcp: 0 }, dirs: 1, from, maxBytes: 40 });
      expect(p.chunks.every((c) => c.dir === 1)).toBe(true);
      for (const c of p.chunks) if (c.kind === 'data') bytes += c.bytes.length;
      expect(p.next).toBeGreaterThan(from);
      from = p.next;
      pages++;
    }
    expect(bytes).toBe(all.info!.bytes[1]);
    expect(pages).toBeGreaterThan(1);
    const saved = await e.followSave({ type: 'followSave', target: { tcp: 0 }, dirs: 0 });
    expect(saved.bytes).toBe(all.info!.bytes[0]);
    expect(saved.blob.size).toBe(saved.bytes);
    // No such stream; a frame that is not UDP.
    expect((await e.follow({ type: 'follow', target: { tcp: 99 }, dirs: 'both', from: 0, maxBytes: 100 })).info).toBeNull();
    expect((await e.follow({ type: 'follow', target: { udp: 1 as never }, dirs: 'both', from: 0, maxBytes: 100 })).info).toBeNull();
  });

  it('exports a stream, a finding and a display filter as pcapng', async () => {
    const e = await engineOnSample();
    const read = async (blob: Blob | null) => {
      const run = openAnalysis();
      run.push(new Uint8Array(await blob!.arrayBuffer()));
      return run.finish();
    };
    const stream = await e.exportPcapng({ type: 'exportPcapng', target: { stream: 0 } });
    expect(stream.packets).toBe(32);
    expect((await read(stream.blob)).summary().packets).toBe(32);
    const id = e.findings(0, 'en').findings.find((f) => f.kind === 'pmtu-blackhole')!.id;
    const ev = await e.exportPcapng({ type: 'exportPcapng', target: { finding: id, mtu: 0, lang: 'zh-CN' } });
    expect((await read(ev.blob)).summary().packets).toBe(ev.packets);
    expect(Buffer.from(await ev.blob!.arrayBuffer()).toString('utf8')).toContain('PMTU 黑洞');
    const shown = await e.exportPcapng({ type: 'exportPcapng', target: { filter: 'tcp.analysis.retransmission' } });
    expect(shown.packets).toBe(7);
    const bad = await e.exportPcapng({ type: 'exportPcapng', target: { filter: 'tcp.prot == 1' } });
    expect(bad.blob).toBeNull();
    expect(bad.error).toMatch(/tcp\.prot/);
  });

  it('keeps the streams a display filter matches', async () => {
    const e = await engineOnSample();
    const page = (display?: string, filter = '') => e.streamsFiltered({ type: 'streams', sort, filter, display, problemsOnly: false, from: 0, count: 10 });
    expect((await page('tcp.port == 9090')).total).toBe(1);
    expect((await page('tcp.port == 80')).total).toBe(0);
    // Asked together, the pages wait for one run of the filter.
    const [a, b] = await Promise.all([page('udp'), page('udp')]);
    expect([a.total, b.total]).toEqual([0, 0]);
    // The synchronous page reads the filter run last; another must be run first.
    expect(e.streams({ type: 'streams', sort, filter: '', display: 'udp', problemsOnly: false, from: 0, count: 10 }).total).toBe(0);
    expect(() => e.streams({ type: 'streams', sort, filter: '', display: 'tcp', problemsOnly: false, from: 0, count: 10 })).toThrow();
    expect((await page(undefined, ':9090')).total).toBe(1);
    const bad = await page('tcp.prot == 1');
    expect(bad.filterError).toMatch(/tcp\.prot/);
    expect(bad.total).toBe(1);
  });

  it('tells display filters from free text', () => {
    expect(classifyFilter('   ').kind).toBe('none');
    for (const f of ['tcp.port == 80', 'tcp', 'ip.addr == 10.0.0.1 && !tcp.analysis.retransmission']) expect(classifyFilter(f).kind).toBe('display');
    for (const f of ['10.0.0.1', '#3', '3', ':9090', '2001:db8::1', '198.18 :443', '[::1]']) expect(classifyFilter(f).kind).toBe('text');
    for (const f of ['tcp.prot == 80', 'tcp.port ==', 'example', 'ip.addr == 1.2.3.4 &&']) {
      const k = classifyFilter(f);
      expect(k.kind).toBe('error');
      if (k.kind === 'error') expect(k.error.start).toBeGreaterThanOrEqual(0);
    }
    const k = classifyFilter('tcp.prot == 80');
    expect(k.kind === 'error' && k.error.suggestions).toContain('tcp.port');
  });
});
