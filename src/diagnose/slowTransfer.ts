/**
 * Slow transfers and the receive buffer too small for them, from the rate verdict of each direction
 * (rate.ts): a transfer of at least MIN_BYTES over at least MIN_SECONDS gets a `slow-transfer`
 * finding naming what limited it, with its shares of the time, the evidence frames and its window
 * on the chart; one held back by the receiver's window for much of its time also gets
 * `small-receive-buffer`, with the window the round-trip time calls for.
 */
import { oneWay, type DiagnoseContext } from './context';
import type { Detector } from './detectors';
import { pair } from './groupKeys';
import { msText, RATE_LIMITS, type RateDetail, type RateLimit } from './rate';
import type { StreamModel } from './streams';
import { ends, findingId, pct, secs } from './text';
import type { MessageKey } from '../i18n/messages.en';
import type { Msg, SlowTransferFinding, SmallReceiveBufferFinding } from './types';
import { frameAt, type Direction, type Frame } from '../types';

/** A transfer this long and this large is slow enough to matter. */
const MIN_SECONDS = 1;
const MIN_BYTES = 64 * 1024;
/** A connection waiting on its application or on turns this much of the time is a conversation (interactive, request/response), not a transfer. */
const MAX_IDLE = 0.9;
/** Shares told in the story. */
const SHOWN_SHARE = 0.02;
/** The receiver's window held the transfer back this much of its time: a finding; from WARN_SHARE on, a warning. */
const RWND_SHARE = 0.3;
const RWND_WARN_SHARE = 0.5;

/** Message key suffix of each limit. */
export const LIMIT_KEY: Record<RateLimit, string> = {
  application: 'application', 'receiver-window': 'receiverWindow', 'zero-window': 'zeroWindow', congestion: 'congestion',
  bandwidth: 'bandwidth', 'sender-buffer': 'senderBuffer', 'slow-start': 'slowStart', latency: 'latency',
};

/** Kinds 'slow-transfer' and 'small-receive-buffer'; messages `slow.*`, `rcvbuf.*`. Grouped by sender and receiver (and limit). */
export const slowTransferDetector: Detector<SlowTransferFinding | SmallReceiveBufferFinding> = {
  kinds: ['slow-transfer', 'small-receive-buffer'],
  messages: ['slow.', 'rcvbuf.'],
  walk: 'streams',
  find: (ctx) => findSlowTransfers(ctx),
  groupKey: (f, m) => `${pair(f, m)}:${f.kind === 'slow-transfer' ? f.dominant : ''}`,
};

export function findSlowTransfers(ctx: DiagnoseContext): (SlowTransferFinding | SmallReceiveBufferFinding)[] {
  const out: (SlowTransferFinding | SmallReceiveBufferFinding)[] = [];
  for (const m of ctx.active) {
    if (oneWay(m)) continue;
    for (const d of [0, 1] as const) {
      const r = ctx.rate(m, d);
      if (!r || r.seconds < MIN_SECONDS || r.bytes < MIN_BYTES) continue;
      // Waiting on the application or on turns nearly all the time: a conversation, not a transfer.
      if (r.shares.application + r.shares.latency >= MAX_IDLE) continue;
      // A transfer held up mostly by a zero window is the zero-window-stall finding's: one pattern, one finding.
      if (r.dominant !== 'zero-window') out.push(slowTransfer(ctx, m, d, r));
      const rb = smallBuffer(ctx, m, d, r);
      if (rb) out.push(rb);
    }
  }
  return out;
}

/** "48 MB", "640 KB", "3.2 MB" (decimal units, as rates are). */
export function sizeText(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(bytes >= 1e10 ? 0 : 1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(bytes >= 1e7 ? 0 : 1)} MB`;
  return `${Math.round(bytes / 1e3)} KB`;
}

function mbpsText(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function baseParams(ctx: DiagnoseContext, m: StreamModel, d: Direction, r: RateDetail) {
  const [src, dst] = ends(ctx.cols, m, d);
  const mbps = r.seconds > 0 ? (r.bytes * 8) / r.seconds / 1e6 : 0;
  return {
    src, dst, size: sizeText(r.bytes), bytes: r.bytes, seconds: secs(r.seconds), mbps: mbpsText(mbps), mbpsValue: mbps,
    rtt: msText(r.rtt), first: r.startRow + 1, last: r.endRow + 1,
    from: secs(ctx.at(r.startRow)), to: secs(ctx.at(r.endRow)), window: r.maxWindow,
    bytesPerMbit: Math.round(r.rtt * 125000),
    rttLow: msText(r.roundRtt.low), rttHigh: msText(r.roundRtt.high),
    held: r.heldFlight, heldMbps: mbpsText(r.rtt > 0 ? (r.heldFlight * 8) / r.rtt / 1e6 : 0), shiftMs: msText(r.shift),
  };
}

function evidence(r: RateDetail, limit: RateLimit): Frame[] {
  const frames = [frameAt(r.startRow)];
  const run = r.longest[limit].row;
  if (run >= 0) frames.push(frameAt(run));
  frames.push(frameAt(r.endRow));
  return frames;
}

function slowTransfer(ctx: DiagnoseContext, m: StreamModel, d: Direction, r: RateDetail): SlowTransferFinding {
  const { mbpsValue, ...p } = baseParams(ctx, m, d, r);
  const key = LIMIT_KEY[r.dominant];
  const params = { ...p, pct: pct(r.shares[r.dominant]) };
  const story: Msg[] = [];
  const shown = RATE_LIMITS.filter((l) => r.shares[l] >= SHOWN_SHARE).sort((a, b) => r.shares[b] - r.shares[a]);
  for (const l of shown) story.push({ key: `slow.share.${LIMIT_KEY[l]}` as MessageKey, params: { ...params, pct: pct(r.shares[l]), secs: secs(r.shares[l] * r.seconds) } });
  // Bandwidth: a queue building on the path (the round trip grew) points to a bottleneck link; none
  // seen at the sender, to pacing there (away from the sender a queue before the capture point is not seen).
  if (r.dominant === 'bandwidth' && r.roundRtt.high > 2 * r.rtt + 0.005) story.push({ key: 'slow.story.queue', params });
  else if (r.dominant === 'bandwidth' && r.shift <= r.rtt / 10 && r.roundRtt.high > 0 && r.roundRtt.high <= 1.5 * r.rtt + 0.002) story.push({ key: 'slow.story.noQueue', params });
  // Away from the sender (more than a tenth of a round trip), its pauses are seen late: an estimate.
  if (r.shares['sender-buffer'] >= SHOWN_SHARE && r.shift > r.rtt / 10) story.push({ key: 'slow.story.senderBufferAway', params });
  if (!r.complete) story.push({ key: 'slow.story.incomplete', params });
  story.push({ key: 'slow.story.window', params });
  const shares = {} as Record<RateLimit, number>;
  for (const l of RATE_LIMITS) shares[l] = Math.floor(r.shares[l] * 1e4) / 1e4;
  return {
    id: findingId('slow-transfer', m.index, d, r.startRow + 1), kind: 'slow-transfer', severity: 'info',
    stream: m.index, direction: d, frames: evidence(r, r.dominant), t0: ctx.at(r.startRow), t1: ctx.at(r.endRow),
    title: { key: 'slow.title', params },
    summary: { key: `slow.summary.${key}` as MessageKey, params },
    story,
    remedy: [{ key: `slow.remedy.${key}` as MessageKey, params }],
    dominant: r.dominant, shares, bytes: r.bytes, seconds: r.seconds, mbps: Math.round(mbpsValue * 1000) / 1000, rtt: r.rtt,
  };
}

function smallBuffer(ctx: DiagnoseContext, m: StreamModel, d: Direction, r: RateDetail): SmallReceiveBufferFinding | null {
  const share = r.shares['receiver-window'];
  // Without both SYNs the window's scale is unknown, and so is the window size.
  if (share < RWND_SHARE || !r.scaleKnown || !(r.rtt > 0) || r.maxWindow <= 0) return null;
  const { mbpsValue, ...p } = baseParams(ctx, m, d, r);
  const maxMbps = (r.maxWindow * 8) / r.rtt / 1e6;
  const params = { ...p, pct: pct(share), maxMbps: mbpsText(maxMbps), for100: Math.round(r.rtt * 125000) * 100 };
  const scaled = r.scaling;
  const story: Msg[] = [{ key: scaled ? 'rcvbuf.story.capped' : 'rcvbuf.story.unscaled', params }, { key: 'rcvbuf.story.window', params }];
  const remedy: Msg[] = [{ key: 'rcvbuf.remedy.buffer', params }];
  if (!scaled) remedy.push({ key: 'rcvbuf.remedy.scale', params });
  return {
    id: findingId('small-receive-buffer', m.index, d, r.startRow + 1), kind: 'small-receive-buffer',
    severity: share >= RWND_WARN_SHARE ? 'warning' : 'info',
    stream: m.index, direction: d, frames: evidence(r, 'receiver-window'), t0: ctx.at(r.startRow), t1: ctx.at(r.endRow),
    title: { key: 'rcvbuf.title', params },
    summary: { key: 'rcvbuf.summary', params },
    story, remedy,
    share: Math.floor(share * 1e4) / 1e4, window: r.maxWindow, scaled, rtt: r.rtt, mbps: Math.round(mbpsValue * 1000) / 1000,
    maxMbps: Math.round(maxMbps * 1000) / 1000, bytesPerMbit: Math.round(r.rtt * 125000),
  };
}
