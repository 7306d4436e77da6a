/**
 * The stream graph in permalinks (format v4: `g`, `ga`) and in snapshots (wire version 2: `G`):
 * round trips, older links and snapshots still opening, and damaged fields refused with their name.
 */
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodeBase64url } from '../../src/share/base64url.js';
import { stateFromUrl, tryUrlFromState, urlFromState } from '../../src/share/codec.js';
import { maskState } from '../../src/share/maskState.js';
import type { SeriesSnapshot } from '../../src/share/snapshot.js';
import { decodeSnapshot, encodeSnapshot, snapshotToWire } from '../../src/share/snapshotCodec.js';
import { MAX_SNAPSHOT_POINTS } from '../../src/share/snapshotWire.js';
import type { GraphKind, StreamGraph } from '../../src/view/graphTypes';
import { LINK_V3_WITH_SNAPSHOT_V1, LINK_V4_WITH_GRAPH_SNAPSHOT_V2, SNAPSHOT_V1 } from '../fixtures/share/snapshotLinks.js';
import { blackholeSnapshot, fullState } from './shareSamples.js';

/** A small graph of each kind, with values a link holds exactly (µs times, whole values). */
function graph(kind: GraphKind, n = 5): StreamGraph {
  const pts = (scale: number, frames: boolean) => ({
    count: n,
    time: Float64Array.from({ length: n }, (_, i) => 0.5 + i * 0.25),
    value: Float64Array.from({ length: n }, (_, i) => (i + 1) * scale),
    frame: Uint32Array.from({ length: n }, (_, i) => (frames ? 20 + i : 0)),
  });
  const series = kind === 'throughput' ? [pts(1_000_000, false), pts(900_000, false), pts(950_000, false)]
    : kind === 'rtt' ? [pts(0.012345, true)] : [pts(65_535, true), pts(14_480, true)];
  return {
    stream: 0, dir: 0, kind, t0: 0.5, t1: 2.25, pixels: 1000, rowsInWindow: 42, decimated: false, series,
    binT0: kind === 'throughput' ? 0.5 : 0, binWidth: kind === 'throughput' ? 0.25 : 0, average: kind === 'throughput' ? 0.1 : 0,
    yMax: series.reduce((m, s) => Math.max(m, ...s.value), 0),
    markCount: 2, markTime: Float64Array.of(0.75, 1.5), markFrame: Uint32Array.of(21, 30), markFlags: Uint32Array.of(1, 2),
  };
}

function plainGraph(g: StreamGraph | undefined) {
  if (!g) return g;
  return {
    ...g, series: g.series.map((s) => ({ ...s, time: [...s.time], value: [...s.value].map((v) => +v.toPrecision(12)), frame: [...s.frame] })),
    markTime: [...g.markTime], markFrame: [...g.markFrame], markFlags: [...g.markFlags],
  };
}

describe('the graph in a link (format v4)', () => {
  it('round-trips the kind and the average, and leaves both out when no graph is shown', () => {
    const url = urlFromState({ ...fullState(), graph: { kind: 'throughput', average: 0.01 } });
    expect(url).toMatch(/^#v=4&/);
    expect(url).toContain('&g=throughput&ga=0.01&');
    const r = stateFromUrl(url);
    expect(r.ok && r.state.graph).toEqual({ kind: 'throughput', average: 0.01 });
    for (const kind of ['rtt', 'window'] as const) {
      const back = stateFromUrl(urlFromState({ ...fullState(), graph: { kind } }));
      expect(back.ok && back.state.graph).toEqual({ kind });
    }
    const none = urlFromState(fullState());
    expect(none).not.toMatch(/&g=|&ga=/);
    const back = stateFromUrl(none);
    expect(back.ok && back.state.graph).toBeUndefined();
  });

  it('still opens links of format v3 (no graph), upgraded', () => {
    const r = stateFromUrl(LINK_V3_WITH_SNAPSHOT_V1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.upgradedFrom).toBe(3);
    expect(r.state.graph).toBeUndefined();
    expect(r.state.snapshot?.graph).toBeUndefined();
  });

  it('refuses an unknown graph, an average out of range, and an average without a graph', () => {
    const bad = (graph: NonNullable<Parameters<typeof urlFromState>[0]['graph']>) => tryUrlFromState({ ...fullState(), graph });
    const unknown = bad({ kind: 'cwnd' as GraphKind });
    expect(!unknown.ok && unknown.error.message).toMatch(/graph \("cwnd"\)/);
    const zero = bad({ kind: 'throughput', average: 0 });
    expect(!zero.ok && zero.error.kind).toBe('invalid-field');
    const huge = bad({ kind: 'throughput', average: 7200 });
    expect(!huge.ok && huge.error.message).toMatch(/graph average/);
    // Built by hand (the codec never writes it): `ga` alone.
    const good = urlFromState({ ...fullState(), graph: { kind: 'throughput', average: 1 } });
    const fields = new URLSearchParams(good.slice(1));
    fields.delete('g');
    const edited = stateFromUrl('#' + fields.toString().replace(/%2C/g, ','));
    // The check digits catch the edit first: a link is never read half-changed.
    expect(!edited.ok && edited.error.kind).toBe('tampered');
  });
});

describe('the graph in a snapshot (wire version 2)', () => {
  it.each(['throughput', 'rtt', 'window'] as const)('a %s graph round-trips with its marks', (kind) => {
    const snap: SeriesSnapshot = { ...blackholeSnapshot(), graph: graph(kind) };
    const back = decodeSnapshot(encodeSnapshot(snap));
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(plainGraph(back.value.graph)).toEqual(plainGraph(snap.graph));
    // And inside a link, masked: the graph is no address and stays as it was.
    const link = urlFromState(maskState({ ...fullState(), graph: { kind }, snapshot: snap }, true));
    const r = stateFromUrl(link);
    expect(r.ok && r.state.snapshot?.graph?.kind).toBe(kind);
    expect(r.ok && r.state.graph?.kind).toBe(kind);
  });

  it('holds RTT to the microsecond and rates to the whole bit per second', () => {
    const g = graph('rtt');
    g.series[0].value[0] = 0.0123454321;
    const t = graph('throughput');
    t.series[2].value[0] = 1234.56;
    const rtt = decodeSnapshot(encodeSnapshot({ ...blackholeSnapshot(), graph: g }));
    const tput = decodeSnapshot(encodeSnapshot({ ...blackholeSnapshot(), graph: t }));
    expect(rtt.ok && rtt.value.graph?.series[0].value[0]).toBeCloseTo(0.012345, 9);
    expect(tput.ok && tput.value.graph?.series[2].value[0]).toBe(1235);
  });

  it('a snapshot without a graph has none, and version 1 snapshots still open', () => {
    const plain = decodeSnapshot(encodeSnapshot(blackholeSnapshot()));
    expect(plain.ok && plain.value.graph).toBeUndefined();
    expect(snapshotToWire(blackholeSnapshot())).not.toHaveProperty('G');
    const v1 = decodeSnapshot(SNAPSHOT_V1);
    expect(v1.ok && v1.value.graph).toBeUndefined();
  });

  it('is bounded like the series: more points than a column holds are refused when the link is built', () => {
    const big = graph('rtt', MAX_SNAPSHOT_POINTS + 1);
    const r = tryUrlFromState({ ...fullState(), snapshot: { ...blackholeSnapshot(), graph: big } });
    expect(!r.ok && r.error.message).toMatch(/snapshot cannot be put in a link: G\.s\.0/);
  });

  it('refuses a damaged graph: columns of different lengths, a frame out of range', () => {
    const wire = snapshotToWire({ ...blackholeSnapshot(), graph: graph('window') });
    const G = wire.G!;
    const cut = { ...wire, G: { ...G, s: [{ ...G.s[0], v: G.s[0].v.slice(1) }, G.s[1]] } };
    const neg = { ...wire, G: { ...G, m: { ...G.m, f: [-5, 0] } } };
    for (const w of [cut, neg]) {
      const r = decodeSnapshot(packWire(w));
      expect(!r.ok && r.error.kind).toBe('snapshot-invalid');
    }
  });

  it('a link made by this version (v4, snapshot version 2 with a throughput graph) opens', () => {
    const r = stateFromUrl(LINK_V4_WITH_GRAPH_SNAPSHOT_V2);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.upgradedFrom).toBeUndefined();
    expect(r.state.graph).toEqual({ kind: 'throughput', average: 0.01 });
    const g = r.state.snapshot?.graph;
    expect(g?.kind).toBe('throughput');
    expect(g?.series.length).toBe(3);
    expect(g?.series[0].count).toBeGreaterThan(0);
  });
});


function packWire(w: unknown): string {
  return encodeBase64url(deflateSync(new TextEncoder().encode(JSON.stringify(w))));
}
