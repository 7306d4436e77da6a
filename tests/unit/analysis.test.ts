/**
 * src/analysis.ts, the core's one entry point: each thing computed once and kept, the options
 * passed to the reading, and a cancelled read told apart from a damaged file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { asRow, asStreamId, openAnalysis, type AnalysisOptions } from '../../src/index';
import type { RowProcessor } from '../../src/decode/index';

const sample = new Uint8Array(readFileSync(path.resolve(import.meta.dirname, '..', '..', 'public', 'samples', 'pmtu-blackhole.pcap')));

function analysed(bytes: Uint8Array, options: AnalysisOptions = {}, chunk = 4096) {
  const run = openAnalysis({ expectedBytes: bytes.length, ...options });
  for (let o = 0; o < bytes.length && !run.stopped; o += chunk) run.push(bytes.subarray(o, o + chunk));
  return run;
}

describe('openAnalysis', () => {
  it('computes each thing once and keeps it', () => {
    const a = analysed(sample).finish();
    expect(a.summary()).toBe(a.summary());
    expect(a.caveats()).toBe(a.caveats());
    expect(a.streamIndex()).toBe(a.streamIndex());
    const d = a.diagnosis(0);
    expect(a.diagnosis()).toBe(d);
    expect(a.streamTable(0)).toBe(a.streamTable(0));
    // Two MTUs are kept; a third one diagnoses again and drops the oldest.
    const d1440 = a.diagnosis(1440);
    expect(a.diagnosis(0)).toBe(d);
    a.diagnosis(1400);
    expect(a.diagnosis(0)).toBe(d);
    expect(a.diagnosis(1440)).not.toBe(d1440);
  });

  it('the summary, the diagnosis and the stream table agree with each other', () => {
    const a = analysed(sample).finish();
    const s = a.summary();
    expect(s).toMatchObject({ format: 'pcap', packets: a.columns.length, streams: a.tcp.streams.length, linkTypeNames: ['Ethernet'], compressed: false });
    const d = a.diagnosis(0);
    // Sorted once, most severe first.
    const rank = { critical: 4, error: 3, warning: 2, info: 1 };
    expect(d.findings.map((f) => rank[f.severity])).toEqual([...d.findings.map((f) => rank[f.severity])].sort((x, y) => y - x));
    const rows = a.streamTable(0);
    expect(rows.map((r) => r.index)).toEqual(a.tcp.streams.map((st) => st.index));
    for (const r of rows) {
      const f = d.facts[r.index];
      expect([r.retrans, r.holes]).toEqual([f?.retransmitted ?? 0, f?.holes ?? 0]);
      expect(r.findings).toBe(d.byStream.get(r.index)?.length ?? 0);
    }
    expect(d.problemStreams).toBe(rows.filter((r) => r.findings > 0).length);
    expect(rows[0]).toMatchObject({ retrans: 7, holes: 1 });
  });

  it('passes its options to the reading: a packet limit, extra row processors', () => {
    const seen: number[] = [];
    const counter: RowProcessor = { process: (_cols, row) => { seen.push(row); } };
    const run = analysed(sample, { maxPackets: 10, processors: [counter] });
    expect(run.stopped).toBe(true);
    const a = run.finish();
    expect(a.columns.length).toBe(10);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a.warnings.map((w) => w.kind)).toEqual(['memory-limit']);
    expect(a.caveats().length).toBeGreaterThan(0);
  });

  it('a read stopped by the caller is no damage; the same bytes at the end of the input are', () => {
    const half = sample.subarray(0, 9_001);
    expect(analysed(half).finish({ stopped: true }).warnings).toEqual([]);
    expect(analysed(half).finish().warnings.map((w) => w.kind)).toEqual(['truncated-record']);
  });

  it('a packet\'s fate and the capture as a point come from the same analysis', () => {
    const a = analysed(sample).finish();
    const p = a.point('here');
    expect(p).toMatchObject({ name: 'here', cols: a.columns });
    expect(p.tcp.stream).toBe(a.tcp.stream);
    let fates = 0;
    for (let row = 0; row < a.columns.length; row++) {
      const f = a.fate(asRow(row));
      if (!f) continue;
      fates++;
      expect(f.messages.length).toBeGreaterThan(0);
    }
    expect(fates).toBeGreaterThan(0);
    const series = a.series({ stream: asStreamId(0), dir: 0, t0: 0, t1: 1e9, pixels: 200, mtu: 1500 });
    expect(series.segCount).toBeGreaterThan(0);
  });
});
