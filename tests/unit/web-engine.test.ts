/** The worker's engine on the bundled sample, in Node: summary, findings, tables, detail, series. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TcpFlagBit } from '../../src/tcp/types';
import { loadCore, reconcileFate } from '../../web/worker/core';
import { AnalysisEngine } from '../../web/worker/engine';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const sample = readFileSync(path.join(repoRoot, 'public', 'samples', 'pmtu-blackhole.pcap'));

async function opened(mtu = 1500) {
  const engine = new AnalysisEngine(loadCore());
  const progress: number[] = [];
  const file = new File([sample], 'pmtu-blackhole.pcap');
  const summary = await engine.open(file, mtu, 'en', (p) => progress.push(p.bytes));
  return { engine, summary, progress };
}

describe('analysis engine on the PMTU black-hole sample', () => {
  it('summarises the capture', async () => {
    const { summary, progress } = await opened();
    expect(summary.packets).toBe(32);
    expect(summary.streams).toBe(1);
    expect(summary.format).toBe('pcap');
    expect(summary.linkTypes.map((l) => l.name)).toEqual(['Ethernet']);
    expect(summary.bytesRead).toBe(sample.length);
    expect(summary.cancelled).toBe(false);
    expect(progress[progress.length - 1]).toBe(sample.length);
    expect(summary.problemStreams).toBe(1);
  });

  it('finds the black hole, most severe first, with frame links in its story', async () => {
    const { engine } = await opened();
    const { findings } = engine.findings(1500, 'en');
    expect(findings[0].kind).toBe('pmtu-blackhole');
    expect(findings[0].stream).toBe(0);
    expect(findings[0].frame).toBe(21);
    const full = engine.finding(findings[0].id, 1500, 'en').finding;
    expect(full).toMatchObject({ id: findings[0].id, title: findings[0].title, frame: 21 });
    expect(full?.frames).toContain(21);
    const links = (full?.story ?? []).flat().filter((p) => 'frame' in p).map((p) => ('frame' in p ? p.frame : 0));
    expect(links).toContain(21);
    const zh = engine.findings(1500, 'zh-CN').findings[0];
    expect(zh.title).not.toBe(findings[0].title);
    expect(engine.finding(findings[0].id, 1500, 'zh-CN').finding?.title).toBe(zh.title);
    expect(engine.finding('no-such-finding', 1500, 'en').finding).toBeNull();
  });

  it('the list carries no story; a stream\'s findings come in full, in the list\'s order and language', async () => {
    const { engine } = await opened();
    const list = engine.findings(1500, 'en').findings;
    expect(list[0]).not.toHaveProperty('story');
    expect(list[0]).not.toHaveProperty('numbers');
    const full = engine.streamFindings(0, 1500, 'en').findings;
    expect(full.map((f) => f.id)).toEqual(list.filter((f) => f.stream === 0).map((f) => f.id));
    expect(full.every((f) => f.story.length > 0)).toBe(true);
    const zh = engine.streamFindings(0, 1500, 'zh-CN').findings;
    expect(zh[0].story.flat().map((p) => p.text).join('')).not.toBe(full[0].story.flat().map((p) => p.text).join(''));
    expect(() => engine.streamFindings(7, 1500, 'en')).toThrow(/no TCP stream 7/);
  });

  it('a language switch renders again without diagnosing again; another MTU diagnoses', async () => {
    const core = loadCore();
    let runs = 0;
    const counting = { ...core, start: (n?: number) => {
      const run = core.start(n);
      return { ...run, finish: () => { const a = run.finish(); return { ...a, diagnose: (mtu: number) => { runs++; return a.diagnose(mtu); } }; } };
    } };
    const engine = new AnalysisEngine(counting);
    await engine.open(new File([sample], 'pmtu-blackhole.pcap'), 1500, 'en', () => undefined);
    expect(runs).toBe(1);
    engine.findings(1500, 'zh-CN');
    engine.finding(engine.findings(1500, 'en').findings[0].id, 1500, 'zh-CN');
    expect(runs).toBe(1);
    engine.findings(0, 'en');
    expect(runs).toBe(2);
    // The last two MTUs are kept: back to 1500 without diagnosing.
    engine.findings(1500, 'en');
    expect(runs).toBe(2);
  });

  it('without a chosen MTU (0) the findings carry the inferred path MTU bracket', async () => {
    const { engine } = await opened(0);
    const bh = engine.findings(0, 'en').findings.find((f) => f.kind === 'pmtu-blackhole');
    expect(bh?.pathMtu).toEqual({ min: 1359, max: 1449, source: 'blackhole' });
    expect(engine.findings(0, 'en').findings.some((f) => f.kind === 'oversized-df' && f.stream === 0)).toBe(false);
  });

  it('serves the stream table, sorted and filtered', async () => {
    const { engine } = await opened();
    const all = engine.streams({ type: 'streams', sort: { key: 'index', desc: false }, filter: '', problemsOnly: false, from: 0, count: 10 });
    expect(all.total).toBe(1);
    expect(all.rows[0]).toMatchObject({ index: 0, a: '198.18.1.2:39144', b: '198.18.3.2:9090', packets: 32, retrans: 7, holes: 1 });
    expect(engine.streams({ type: 'streams', sort: { key: 'index', desc: false }, filter: ':9091', problemsOnly: false, from: 0, count: 10 }).total).toBe(0);
    expect(engine.streams({ type: 'streams', sort: { key: 'bytes', desc: true }, filter: '#0', problemsOnly: true, from: 0, count: 10 }).total).toBe(1);
  });

  it('serves packet rows with relative numbers, flags and the oversized mark', async () => {
    const { engine } = await opened(1440);
    const { total, rows } = engine.packetRows({ type: 'packetRows', stream: 0, from: 0, count: 100, mtu: 1440 });
    expect(total).toBe(32);
    expect(rows[0]).toMatchObject({ frame: 1, seq: 0, tcpFlags: 'SYN', dir: 0 });
    const f21 = rows[20];
    expect(f21).toMatchObject({ frame: 21, seq: 346, len: 1398, ipLen: 1450, df: true, oversized: true });
    expect(rows[23].analysis).toContain('retransmission');
    expect(engine.packetRows({ type: 'packetRows', stream: 0, from: 20, count: 1, mtu: 1500 }).rows[0].oversized).toBe(false);
    expect(engine.locateFrame(21)).toEqual({ stream: 0, position: 20, dir: 0, time: expect.closeTo(0.914129, 6) });
    expect(engine.locateFrame(999)).toBeNull();
  });

  it('re-reads one packet from the file for its detail', async () => {
    const { engine } = await opened();
    const { detail } = await engine.packetDetail(24);
    expect(detail.bytes.length).toBe(detail.capturedLength);
    expect(detail.layers.map((l) => l.name)).toEqual(expect.arrayContaining(['Ethernet', 'IPv4', 'TCP']));
    expect(detail.why.map((w) => w.flag)).toContain('retransmission');
    await expect(engine.packetDetail(0)).rejects.toThrow(/no frame/);
  });

  it('gives each data segment its fate in the language asked, beside Wireshark\'s flags and their values', async () => {
    const { engine } = await opened();
    const d21 = (await engine.packetDetail(21, 'en')).detail;
    expect(d21.why).toEqual([]);
    expect(d21.fate?.key).toBe('fate.lost');
    expect(d21.fate?.parts).toContainEqual({ text: '24', frame: 24 });
    const d24 = (await engine.packetDetail(24, 'zh-CN')).detail;
    expect(d24.why[0]).toMatchObject({ flag: 'retransmission', values: { seq: 346 } });
    expect(d24.fate?.key).toBe('fate.lost');
    expect(d24.fate?.parts.map((p) => p.text).join('')).toMatch(/^在本抓包点之后丢失：.*（帧 25）。$/);
    // The last re-send: the connection was reset before any answer.
    expect((await engine.packetDetail(30)).detail.fate?.key).toBe('fate.unresolved');
    // A pure ACK has no fate.
    expect((await engine.packetDetail(23)).detail.fate).toBeNull();
  });

  it('serves the chart series through the core', async () => {
    const { engine } = await opened();
    const { series } = engine.streamSeries({ type: 'streamSeries', stream: 0, dir: 0, t0: NaN, t1: NaN, pixels: 800, mtu: 1440 });
    expect(series.stream).toBe(0);
    expect(series.segCount).toBeGreaterThan(0);
  });

  it('answers errors as values when nothing is loaded', () => {
    const engine = new AnalysisEngine(loadCore());
    expect(engine.summary().summary).toBeNull();
    expect(() => engine.findings(1500, 'en')).toThrow(/no capture/);
  });
});

describe('a cancelled read', () => {
  // Cut inside a packet: what a Cancel leaves when it lands between two slices of the file.
  const half = sample.subarray(0, 9_001);
  it('is not reported as damage (the file does not end there, reading did)', () => {
    const run = loadCore().start(sample.length);
    run.push(half);
    const a = run.finish({ stopped: true });
    expect(a.columns.length).toBeGreaterThan(0);
    expect(a.warnings).toEqual([]);
    expect(a.caveats.map((c) => c.kind)).not.toContain('reader-warnings');
  });
  it('while the same bytes read to their end are a file cut short', () => {
    const run = loadCore().start(sample.length);
    run.push(half);
    const a = run.finish();
    expect(a.warnings.map((w) => w.kind)).toEqual(['truncated-record']);
  });
});

describe('a fate worded against Wireshark\'s flags', () => {
  it('a copy Wireshark calls a retransmission or a duplicate ACK says it is neither; others pass unchanged', () => {
    const copy = { key: 'fate.copy', params: { frame: 1 } } as const;
    expect(reconcileFate(copy, TcpFlagBit.Retransmission)).toEqual([{ key: 'fate.copyRetrans', params: { frame: 1 } }]);
    expect(reconcileFate(copy, TcpFlagBit.SpuriousRetransmission)).toEqual([{ key: 'fate.copyRetrans', params: { frame: 1 } }]);
    expect(reconcileFate(copy, TcpFlagBit.DuplicateAck)).toEqual([{ key: 'fate.copyDupAck', params: { frame: 1 } }]);
    expect(reconcileFate(copy, TcpFlagBit.OutOfOrder)).toEqual([{ key: 'fate.copyOutOfOrder', params: { frame: 1 } }]);
    expect(reconcileFate(copy, 0)).toEqual([copy]);
    const lost = { key: 'fate.lost', params: { next: 9 } } as const;
    expect(reconcileFate(lost, TcpFlagBit.Retransmission)).toEqual([lost]);
    // Lost or unknown says nothing a Wireshark "out of order" contradicts.
    expect(reconcileFate(lost, TcpFlagBit.OutOfOrder)).toEqual([lost]);
    expect(reconcileFate({ key: 'fate.reordered' }, TcpFlagBit.OutOfOrder)).toEqual([{ key: 'fate.reordered' }]);
    const repair = { key: 'fate.deliveredRepair', params: { earlier: 3, cover: 5 } } as const;
    expect(reconcileFate(repair, TcpFlagBit.OutOfOrder)).toEqual([repair, { key: 'fate.note.notReordered' }]);
    expect(reconcileFate(repair, TcpFlagBit.Retransmission)).toEqual([repair]);
    // Delivered and seen here first: Wireshark's "retransmission" compared it with packets captured out of order.
    const delivered = { key: 'fate.delivered', params: { cover: 5 } } as const;
    expect(reconcileFate(delivered, TcpFlagBit.SpuriousRetransmission)).toEqual([delivered, { key: 'fate.note.firstSeen' }]);
    expect(reconcileFate(delivered, TcpFlagBit.OutOfOrder)).toEqual([delivered]);
  });

  it('a re-send Wireshark calls out of order says why it is a retransmission all the same', async () => {
    const file = path.join(repoRoot, 'tests', 'fixtures', 'diagnose', 'pmtu-ok.node-eth0.pcap');
    const engine = new AnalysisEngine(loadCore());
    await engine.open(new File([readFileSync(file)], 'pmtu-ok.pcap'), 0, 'en', () => undefined);
    const d = (await engine.packetDetail(23, 'en')).detail;
    expect(d.why.map((w) => w.flag)).toEqual(['out_of_order']);
    expect(d.fate?.key).toBe('fate.deliveredRepair');
    const text = d.fate?.parts.map((p) => p.text).join('');
    expect(text).toMatch(/^A retransmission of frame 21, and it was delivered: .* Wireshark calls it out of order because it came soon after later data, but these bytes had been sent before: a retransmission, not reordering\.$/);
  });
});
