/**
 * The kernel's split of a sender's time (tcp_info chrono counters) and ours in the same four groups,
 * for tests/oracle/rate.test.ts and scripts/rate-table.ts. The kernel counts busy time (data
 * unacknowledged or unsent), of which limited by the receiver's window (tcpi_rwnd_limited) and by
 * its own send buffer (tcpi_sndbuf_limited); the rest it had nothing to send. Ours: application
 * (and latency with nothing in flight) is the kernel's idle time; receiver-window and zero-window
 * its rwnd-limited time; sender-buffer its sndbuf-limited time; congestion, bandwidth, slow start
 * (and latency with a small flight awaiting its ACK) its other busy time.
 */
import type { RateDetail, RateLimit } from '../../src/diagnose/rate';

export type Group = 'application' | 'rwnd' | 'sndbuf' | 'busy';
export const GROUPS: Group[] = ['application', 'rwnd', 'sndbuf', 'busy'];

interface TcpInfo { busy_time: number; rwnd_limited: number; sndbuf_limited: number }
export interface ClientLog { event: string; seconds: number; seconds_drained?: number; tcp_info: TcpInfo; tcp_info_drained?: TcpInfo; request_ms?: number[] }

/** The sender's log in a scenario's meta file: the client's first line with tcp_info. */
export function clientLogOf(meta: unknown): ClientLog | undefined {
  const m = meta as { client_log?: ClientLog | ClientLog[] };
  if (!m.client_log) return undefined;
  const logs = Array.isArray(m.client_log) ? m.client_log : [m.client_log];
  return logs.find((l) => l.tcp_info);
}

/** The kernel's split of the sender's time, from a meta file (undefined without the sender's tcp_info). */
export function kernelGroups(meta: unknown): Record<Group, number> | undefined {
  const log = clientLogOf(meta);
  if (!log) return undefined;
  const info = log.tcp_info_drained ?? log.tcp_info;
  const t = (log.seconds_drained ?? log.seconds) * 1e6;
  if (!(t > 0)) return undefined;
  const rwnd = info.rwnd_limited / t, sndbuf = info.sndbuf_limited / t;
  const busy = Math.min(1, info.busy_time / t);
  return { application: 1 - busy, rwnd, sndbuf, busy: busy - rwnd - sndbuf };
}

/** Our verdict of one direction in the kernel's groups. */
export function ourGroups(r: RateDetail): Record<Group, number> {
  const s = r.shares;
  const busyLatency = r.seconds > 0 ? r.busyLatency / r.seconds : 0;
  return {
    application: s.application + s.latency - busyLatency,
    rwnd: s['receiver-window'] + s['zero-window'],
    sndbuf: s['sender-buffer'],
    busy: s.congestion + s.bandwidth + s['slow-start'] + busyLatency,
  };
}

/** The group a limit of ours falls in (latency by where most of its time went). */
export function groupOf(l: RateLimit, r: RateDetail): Group {
  if (l === 'application') return 'application';
  if (l === 'receiver-window' || l === 'zero-window') return 'rwnd';
  if (l === 'sender-buffer') return 'sndbuf';
  if (l === 'latency') return r.busyLatency * 2 >= r.shares.latency * r.seconds ? 'busy' : 'application';
  return 'busy';
}

export const dominantGroup = (g: Record<Group, number>): Group => GROUPS.reduce((a, b) => (g[b] > g[a] ? b : a));

export const groupsText = (g: Record<Group, number>): string => GROUPS.map((k) => `${k} ${(g[k] * 100).toFixed(0)}`).join(', ');
