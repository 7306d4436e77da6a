/**
 * Clock offset between two points from their matched packets. A packet travelling a→b shows
 * tB - tA = offset + delay(a→b); one travelling b→a shows tB - tA = offset - delay(b→a). The
 * direction with the larger median delta travels a→b. The smallest a→b delta and the largest b→a
 * delta are the packets that met no queue (minimum one-way delay); assuming the two minimum delays
 * equal, the offset is their midpoint. With one direction only, the smallest delta is taken (the
 * minimum delay is counted as clock offset). Points on one clock have offset 0.
 */
import { median } from './rows';
import type { Direction } from '../types';

/** Deltas tB - tA of the matched packets of one flow (stream and direction at a). */
export interface FlowDeltas {
  streamA: number;
  dirA: Direction;
  deltas: number[];
}

export interface ClockEstimate {
  offset: number;
  method: 'same-clock' | 'two-way' | 'one-way' | 'none';
  /** Per flow key streamA * 2 + dirA: true when its packets travel a→b. */
  downstream: Map<number, boolean>;
}

export function estimateClock(flows: FlowDeltas[], sameClock: boolean): ClockEstimate {
  const downstream = new Map<number, boolean>();
  const med = new Map<number, number>();
  for (const f of flows) if (f.deltas.length) med.set(f.streamA * 2 + f.dirA, median(f.deltas));
  if (!med.size) return { offset: 0, method: sameClock ? 'same-clock' : 'none', downstream };
  if (sameClock) {
    for (const [k, m] of med) downstream.set(k, m >= 0);
    return { offset: 0, method: 'same-clock', downstream };
  }
  // Streams matched both ways tell the direction of travel by comparing their two medians.
  let fwdMin = Infinity, revMax = -Infinity;
  for (const f of flows) {
    const k = f.streamA * 2 + f.dirA, other = f.streamA * 2 + (1 - f.dirA);
    const m = med.get(k), mo = med.get(other);
    if (m === undefined || mo === undefined) continue;
    const down = m > mo || (m === mo && f.dirA === 0);
    downstream.set(k, down);
    for (const d of f.deltas) {
      if (down) fwdMin = Math.min(fwdMin, d);
      else revMax = Math.max(revMax, d);
    }
  }
  if (fwdMin < Infinity && revMax > -Infinity) {
    const offset = (fwdMin + revMax) / 2;
    for (const [k, m] of med) if (!downstream.has(k)) downstream.set(k, m >= offset);
    return { offset, method: 'two-way', downstream };
  }
  let min = Infinity;
  for (const f of flows) for (const d of f.deltas) min = Math.min(min, d);
  for (const k of med.keys()) downstream.set(k, true);
  return { offset: min, method: 'one-way', downstream };
}
