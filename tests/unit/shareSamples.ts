/** Shared inputs of the share tests: a full state and the black-hole evidence snapshot. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SeriesSnapshot } from '../../src/share/snapshot.js';
import type { ShareState } from '../../src/share/state.js';
import type { StreamSeries } from '../../src/view/seriesTypes';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const F64 = ['segTime', 'segSeq', 'segEnd', 'ackTime', 'ackSeq', 'ackWin', 'sackTime', 'sackLeft', 'sackRight', 'markTime', 'markSeq'] as const;
const U32 = ['segFrame', 'segLen', 'segIpLen', 'segFlags', 'segN', 'ackFrame', 'sackFrame', 'markFrame'] as const;
const U8 = ['sackDsack', 'markKind', 'markDir'] as const;
const TIMES = ['segTime', 'ackTime', 'sackTime', 'markTime'] as const;

/** Plain arrays (as JSON holds them) → the typed arrays of a StreamSeries. */
export function reviveSeries(s: Record<string, unknown>): StreamSeries {
  const o: Record<string, unknown> = { ...s };
  for (const k of F64) o[k] = Float64Array.from(s[k] as number[]);
  for (const k of U32) o[k] = Uint32Array.from(s[k] as number[]);
  for (const k of U8) o[k] = Uint8Array.from(s[k] as number[]);
  o.ackFlags = Uint16Array.from(s.ackFlags as number[]);
  const h = s.holes as Record<string, number[] | number>;
  o.holes = {
    count: h.count, t0: Float64Array.from(h.t0 as number[]), t1: Float64Array.from(h.t1 as number[]),
    seq0: Float64Array.from(h.seq0 as number[]), seq1: Float64Array.from(h.seq1 as number[]),
    kind: Uint8Array.from(h.kind as number[]), open: Uint8Array.from(h.open as number[]), frame: Uint32Array.from(h.frame as number[]),
  };
  return o as unknown as StreamSeries;
}

export function blackholeSnapshot(): SeriesSnapshot {
  const raw = JSON.parse(readFileSync(path.join(repoRoot, 'tests/fixtures/share/pmtu-blackhole.snapshot.json'), 'utf8')) as SeriesSnapshot;
  return { ...raw, series: reviveSeries(raw.series as unknown as Record<string, unknown>) };
}

const q = (t: number) => Math.round(t * 1e6) / 1e6;

/** The snapshot as a link gives it back: every time held to microseconds. */
export function quantized(snap: SeriesSnapshot): SeriesSnapshot {
  const s = snap.series;
  const out: StreamSeries = { ...s, t0: q(s.t0), t1: q(s.t1), extent: { ...s.extent, t0: q(s.extent.t0), t1: q(s.extent.t1) } };
  for (const k of TIMES) out[k] = s[k].map(q);
  out.holes = { ...s.holes, t0: s.holes.t0.map(q), t1: s.holes.t1.map(q) };
  return { ...snap, series: out };
}

export function fullState(): ShareState {
  return {
    capture: { fingerprint: '0123456789abcdef0123456789abcdef', name: 'pmtu-blackhole.pcap', size: 15665 },
    stream: { index: 0, a: { addr: '198.18.1.2', port: 39144 }, b: { addr: '198.18.3.2', port: 9090 }, isn: [3735928559, 12345] },
    direction: 'a',
    window: { t0: 0.5, t1: 2.25 },
    frame: 21,
    finding: 'pmtu-blackhole.0',
    mtu: 1440,
    lang: 'zh-CN',
  };
}
