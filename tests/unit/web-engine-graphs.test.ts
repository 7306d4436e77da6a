/** The worker's engine answers streamGraph (the stream graphs) on the bundled sample, in Node. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { graphTransferables, GRAPH_KINDS } from '../../src/view/index';
import { SegFlag } from '../../src/view/seriesTypes';
import { loadCore } from '../../web/worker/core';
import { AnalysisEngine } from '../../web/worker/engine';
import type { GraphKind } from '../../web/worker/protocol';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const sample = readFileSync(path.join(repoRoot, 'public', 'samples', 'pmtu-blackhole.pcap'));

async function opened() {
  const engine = new AnalysisEngine(loadCore());
  await engine.open(new File([sample], 'pmtu-blackhole.pcap'), 1500, 'en', () => {});
  return engine;
}

const ask = (kind: GraphKind, t0 = NaN, t1 = NaN) => ({ type: 'streamGraph' as const, stream: 0, dir: 0 as const, kind, t0, t1, pixels: 600, average: 0 });

describe('streamGraph request', () => {
  it('answers each kind with its series, distinct transferable buffers, and the retransmissions marked', async () => {
    const engine = await opened();
    for (const kind of GRAPH_KINDS) {
      const { graph } = engine.streamGraph(ask(kind));
      expect(graph.kind).toBe(kind);
      expect(graph.series).toHaveLength(kind === 'throughput' ? 3 : kind === 'rtt' ? 1 : 2);
      const buffers = graphTransferables(graph);
      expect(new Set(buffers).size).toBe(buffers.length);
      // The black hole's re-sends of the oversized segment.
      expect(Array.from(graph.markFlags).filter((f) => f & SegFlag.Retransmission).length).toBeGreaterThanOrEqual(5);
      expect(graph.yMax).toBeGreaterThan(0);
    }
    const th = engine.streamGraph(ask('throughput')).graph;
    expect(th.binWidth).toBeGreaterThan(0);
    expect(th.average).toBeGreaterThanOrEqual(th.binWidth);
  });

  it('a zoomed window keeps the whole stream\'s y axis; an unknown stream or kind is a bad request', async () => {
    const engine = await opened();
    const whole = engine.streamGraph(ask('window')).graph;
    const zoom = engine.streamGraph(ask('window', whole.t0, whole.t0 + (whole.t1 - whole.t0) / 10)).graph;
    expect(zoom.yMax).toBe(whole.yMax);
    expect(zoom.rowsInWindow).toBeLessThan(whole.rowsInWindow);
    expect(() => engine.streamGraph({ ...ask('rtt'), stream: 9 })).toThrow(/no TCP stream 9/);
    expect(() => engine.streamGraph({ ...ask('rtt'), kind: 'pie' as GraphKind })).toThrow(/no graph kind pie/);
  });
});
