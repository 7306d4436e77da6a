/**
 * Zero-window stalls: the receiver advertised a window of 0, so the sender had to stop and probe
 * (persist timer) until the window opened again. One finding per stall long enough to matter.
 */
import { TcpFlag } from '../decode/columns';
import type { DiagnoseContext } from './context';
import type { Detector } from './detectors';
import { senderOf } from './groupKeys';
import type { StreamModel } from './streams';
import { ends, findingId, secs } from './text';
import type { Msg, ZeroWindowFinding } from './types';
import { frameAt, type Direction } from '../types';

const MIN_STALL_SECONDS = 0.2;

/** Kind 'zero-window-stall'; messages `zw.*`. Grouped by the receiver that closed its receive window */
export const zeroWindowDetector: Detector<ZeroWindowFinding> = {
  kinds: ['zero-window-stall'],
  messages: ['zw.'],
  walk: 'streams',
  find: (ctx) => findZeroWindowStalls(ctx),
  groupKey: (f, m) => `${senderOf(m, 1 - (f.direction ?? 0))}`,
};

export function findZeroWindowStalls(ctx: DiagnoseContext): ZeroWindowFinding[] {
  const out: ZeroWindowFinding[] = [];
  for (const m of ctx.active) stalls(ctx, m, out);
  return out;
}

function stalls(ctx: DiagnoseContext, m: StreamModel, out: ZeroWindowFinding[]): void {
  const cols = ctx.cols;
  // Per receiving direction r: the row where its window went to 0, and the probes seen since.
  const start = [-1, -1];
  const probes: number[][] = [[], []];
  let maxWin = [0, 0];
  const emit = (r: Direction, endRow: number) => {
    const s = start[r];
    const reopened = endRow >= 0;
    const last = reopened ? endRow : m.rows[m.rows.length - 1];
    const duration = ctx.span(s, last);
    start[r] = -1;
    const pr = probes[r];
    probes[r] = [];
    if (reopened && duration < MIN_STALL_SECONDS) return;
    if (!reopened && duration < MIN_STALL_SECONDS && pr.length === 0) return;
    const sender = (1 - r) as Direction;
    const [src, dst] = ends(cols, m, sender);
    const frames = [frameAt(s), ...pr.map(frameAt)];
    if (reopened) frames.push(frameAt(endRow));
    const params = { receiver: dst, sender: src, frame: s + 1, end: endRow + 1, duration: secs(duration), probes: pr.length, maxWin: maxWin[r] };
    const story: Msg[] = [
      { key: 'zw.story.start', params },
      { key: pr.length ? 'zw.story.probes' : 'zw.story.noProbes', params },
      { key: reopened ? 'zw.story.reopened' : 'zw.story.never', params },
      { key: 'zw.story.meaning', params },
    ];
    out.push({
      id: findingId('zero-window-stall', m.index, sender, s + 1), kind: 'zero-window-stall',
      severity: !reopened ? 'error' : duration >= 1 ? 'warning' : 'info',
      stream: m.index, direction: sender, frames, t0: ctx.at(s), t1: ctx.at(last),
      title: { key: 'zw.title', params },
      summary: { key: reopened ? 'zw.summary' : 'zw.summaryNever', params },
      story,
      remedy: [{ key: 'zw.remedy.app', params }, { key: 'zw.remedy.buffer', params }],
      duration, probes: pr.length, reopened,
    });
  };
  for (let p = 0; p < m.rows.length; p++) {
    if (m.copy[p]) continue;
    const i = m.rows[p], d = m.dir[p] as Direction, f = cols.tcpFlags[i];
    if (f & (TcpFlag.Syn | TcpFlag.Rst)) continue;
    const win = cols.winRaw[i];
    // A zero-window stall is about the window d advertises to the other side.
    if (win === 0 && start[d] < 0 && f & TcpFlag.Ack) start[d] = i;
    else if (win > 0) {
      const scaled = win << Math.max(0, m.wscale[d]);
      if (scaled > maxWin[d]) maxWin = d === 0 ? [scaled, maxWin[1]] : [maxWin[0], scaled];
      if (start[d] >= 0) emit(d, i);
    }
    const other = (1 - d) as Direction;
    if (start[other] >= 0 && cols.tcpLen[i] <= 1 && i !== start[other]) probes[other].push(i);
  }
  for (const r of [0, 1] as const) if (start[r] >= 0) emit(r, -1);
}
