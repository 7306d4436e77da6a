/**
 * Find a link's stream in a loaded capture. The index alone is only a hint (another analyser
 * version could number streams differently); the 5-tuple and the initial sequence numbers are what
 * identify a connection. Masked addresses (placeholders) match any address: then ports and ISNs decide.
 */
import { isPlaceholder } from './endpoint.js';
import type { StreamRef } from './state.js';

/** What the resolver needs of a stream (a subset of TcpStreamInfo, with addresses as text). */
export interface StreamIdentity {
  index: number;
  addrA: string;
  portA: number;
  addrB: string;
  portB: number;
  /** Raw ISN per direction, -1 when unknown. */
  isn: [number, number];
}

export type StreamResolution =
  | { ok: true; index: number; by: 'tuple' | 'index' }
  | { ok: false; reason: 'not-found' | 'ambiguous' };

function addrMatches(linkAddr: string, addr: string): boolean {
  return isPlaceholder(linkAddr) || linkAddr.toLowerCase() === addr.toLowerCase();
}

function isnMatches(link: number | null, actual: number): boolean {
  return link === null || actual < 0 || link === actual;
}

export function resolveStream(ref: StreamRef, streams: readonly StreamIdentity[]): StreamResolution {
  if (!ref.a || !ref.b) {
    return streams.some((s) => s.index === ref.index) ? { ok: true, index: ref.index, by: 'index' } : { ok: false, reason: 'not-found' };
  }
  const { a, b } = ref;
  const isn = ref.isn ?? [null, null];
  const found = streams.filter(
    (s) =>
      s.portA === a.port && s.portB === b.port && addrMatches(a.addr, s.addrA) && addrMatches(b.addr, s.addrB) &&
      isnMatches(isn[0], s.isn[0]) && isnMatches(isn[1], s.isn[1]),
  );
  if (found.length === 0) return { ok: false, reason: 'not-found' };
  // Several connections can share a tuple (port reuse, masked addresses): the index hint decides.
  const hinted = found.find((s) => s.index === ref.index);
  if (hinted) return { ok: true, index: hinted.index, by: 'tuple' };
  return found.length === 1 ? { ok: true, index: found[0].index, by: 'tuple' } : { ok: false, reason: 'ambiguous' };
}
