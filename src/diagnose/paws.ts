/**
 * SYNs dropped for an old timestamp (PAWS): connections from one address to one server whose SYNs,
 * sent again and again, were never answered, each carrying a TCP timestamp (TSval) behind one the
 * same address had sent the server shortly before on another connection, while that address's other
 * connections, their timestamps ahead, were answered. Several hosts behind one NAT address have
 * clocks of their own: a server that keeps the last timestamp per peer address (tcp_tw_recycle on
 * Linux before 4.12, some middleboxes) takes the SYN of the host whose clock is behind for an old
 * duplicate and drops it without a word. The packets show the pattern; the server's PAWS counters
 * confirm it, so the finding says "consistent with" and names them.
 */
import type { DiagnoseContext } from './context';
import type { Detector } from './detectors';
import { handshakes, type Handshake } from './handshakes';
import { endpoint, findingId, host, listParams, secondsParams } from './text';
import type { Msg, PawsDropFinding } from './types';
import { frameAt, type Direction } from '../types';

/** How long a peer's last timestamp is remembered for the check (TCP_PAWS_MSL, 60 s). */
const PAWS_MSL = 60;
/** Connections compared per address pair at most (a NAT address can open thousands). */
const MAX_PER_PAIR = 4000;

/**
 * Kind 'paws-drop'; messages `paws.*`. One finding per client address and server address (run once
 * on the whole capture).
 */
export const pawsDetector: Detector<PawsDropFinding> = {
  kinds: ['paws-drop'],
  messages: ['paws.'],
  walk: 'capture',
  find: (ctx) => pawsGroups(ctx).map((g) => finding(ctx, g)),
};

interface Behind {
  h: Handshake;
  /** The packet of another connection from the same address whose TSval was ahead, before the first SYN. */
  ahead: number;
  aheadStream: number;
  /** TSval ticks the first SYN was behind it. */
  by: number;
}

interface PawsGroup {
  client: number;
  server: number;
  dropped: Behind[];
  /** Connections from the address to the server answered while the dropped ones waited. */
  answered: Handshake[];
}

const groups = new WeakMap<DiagnoseContext, PawsGroup[]>();

/** The PAWS patterns of the capture (computed once; synDropped.ts and reset.ts leave their streams alone). */
export function pawsGroups(ctx: DiagnoseContext): PawsGroup[] {
  let out = groups.get(ctx);
  if (out) return out;
  out = [];
  groups.set(ctx, out);
  const cols = ctx.cols;
  const byPair = new Map<string, Handshake[]>();
  for (const h of handshakes(ctx)) {
    const k = `${h.client}>${h.server}`;
    const list = byPair.get(k);
    if (list) { if (list.length < MAX_PER_PAIR) list.push(h); } else byPair.set(k, [h]);
  }
  for (const list of byPair.values()) {
    // Sent again and never answered: three attempts, or two and the capture watching past the last.
    const failed = list.filter((h) => h.fate === 'failed' && h.stackRetries && h.attempts.every((r) => cols.hasTs[r])
      && (h.attempts.length >= 3 || ctx.coveredAfter(h.attempts[h.attempts.length - 1]) >= 1));
    if (!failed.length || list.length < 2) continue;
    const dropped: Behind[] = [];
    let against = false;
    for (const h of failed) {
      const b = behind(ctx, h, list);
      // Every attempt must be behind: a later SYN ahead again and still unanswered is not this.
      if (!b || !h.attempts.every((r) => behind(ctx, h, list, r))) { against = true; break; }
      dropped.push(b);
    }
    if (against || !dropped.length) continue;
    // A SYN behind as well that the server answered shows it keeps no such check: not this.
    const t0 = cols.time(dropped[0].h.attempts[0]) - PAWS_MSL, t1 = Math.max(...dropped.map((b) => cols.time(b.h.attempts[b.h.attempts.length - 1])));
    const answered: Handshake[] = [];
    let clock = 0;
    for (const h of list) {
      if (h.fate !== 'answered' && h.fate !== 'delayed') continue;
      const t = cols.time(h.attempts[0]);
      if (t < t0 || t > t1 + PAWS_MSL) continue;
      if (cols.hasTs[h.attempts[0]] && behind(ctx, h, list)) { against = true; break; }
      if (cols.hasTs[h.attempts[0]]) clock++;
      if (t >= cols.time(dropped[0].h.attempts[0]) - 5 && t <= t1 + 5) answered.push(h);
    }
    // One clock per address is what makes "behind" mean anything: two answered connections at least,
    // their timestamps in step (none behind another). Timestamps random per connection, as modern
    // Linux sends them, would put one behind the other half of the time.
    if (against || clock < 2) continue;
    const first = list[0];
    out.push({ client: first.client, server: first.server, dropped, answered });
  }
  return out;
}

/**
 * Is the SYN at `row` (the first attempt by default) behind a TSval the same address sent the server
 * on another connection in the PAWS_MSL seconds before? The most recent such packet of each other
 * connection is compared (its clock's latest reading).
 */
function behind(ctx: DiagnoseContext, h: Handshake, list: Handshake[], row = h.attempts[0]): Behind | null {
  const cols = ctx.cols;
  const t = cols.time(row), ts = cols.tsval[row];
  let best: Behind | null = null;
  for (const o of list) {
    if (o === h) continue;
    const m = o.m;
    if (cols.time(m.rows[0]) > t || cols.time(o.last) < t - PAWS_MSL) continue;
    // The other connection's last packet from the client before `row`.
    let lo = 0, hi = m.rows.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (m.rows[mid] < row) lo = mid + 1; else hi = mid; }
    for (let p = lo - 1; p >= 0; p--) {
      if (m.dir[p] !== m.clientDir || m.copy[p]) continue;
      const i = m.rows[p];
      if (cols.time(i) < t - PAWS_MSL) break;
      if (!cols.hasTs[i]) break;
      const d = (ts - cols.tsval[i]) | 0;
      if (d < 0 && (!best || -d < best.by)) best = { h, ahead: i, aheadStream: m.index, by: -d };
      break;
    }
  }
  return best;
}

function finding(ctx: DiagnoseContext, g: PawsGroup): PawsDropFinding {
  const cols = ctx.cols;
  g.dropped.sort((a, b) => b.h.attempts.length - a.h.attempts.length || a.h.attempts[0] - b.h.attempts[0]);
  const rep = g.dropped[0];
  const m = rep.h.m;
  const d = m.clientDir as Direction;
  const syns = g.dropped.reduce((n, b) => n + b.h.attempts.length, 0);
  const a0 = rep.h.attempts[0];
  const server = host(cols, g.server);
  const params = {
    client: host(cols, g.client), server, service: endpoint(cols, g.server, rep.h.sport), count: g.dropped.length, syns, stream: m.index,
    answered: g.answered.length, by: rep.by, frame: a0 + 1, ahead: rep.ahead + 1, tsval: cols.tsval[a0], aheadTsval: cols.tsval[rep.ahead],
    aheadStream: rep.aheadStream,
    ago: (cols.time(a0) - cols.time(rep.ahead)).toFixed(2),
    ...listParams('frames', rep.h.attempts.map((r) => r + 1)),
    ...listParams('streams', g.dropped.map((b) => b.h.m.index)),
    ...listParams('answeredStreams', g.answered.map((h) => h.m.index)),
    ...secondsParams('retries', rep.h.attempts.slice(1).map((r) => ctx.span(a0, r))),
  };
  const story: Msg[] = [{ key: 'paws.story.syn', params }];
  if (g.answered.length) story.push({ key: 'paws.story.others', params });
  story.push({ key: 'paws.story.meaning', params });
  const frames = [...rep.h.attempts.map(frameAt), frameAt(rep.ahead)];
  for (const b of g.dropped.slice(1)) if (frames.length < 60) frames.push(frameAt(b.h.attempts[0]));
  return {
    id: findingId('paws-drop', m.index, d, a0 + 1), kind: 'paws-drop', severity: g.dropped.length >= 3 ? 'error' : 'warning',
    stream: m.index, direction: d, frames,
    streams: g.dropped.length > 1 ? g.dropped.map((b) => b.h.m.index).sort((a, b) => a - b) : undefined,
    t0: ctx.at(Math.min(...g.dropped.map((b) => b.h.attempts[0]))),
    t1: ctx.at(Math.max(...g.dropped.map((b) => b.h.attempts[b.h.attempts.length - 1]))),
    client: host(cols, g.client), server, connections: g.dropped.length, syns, answered: g.answered.length, behindBy: rep.by,
    title: { key: 'paws.title', params },
    summary: { key: 'paws.summary', params },
    story,
    remedy: [{ key: 'paws.remedy.probe', params }, { key: 'paws.remedy.fix', params }],
  };
}
