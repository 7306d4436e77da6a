/** Pieces of the grouping keys the detectors give (detectors.ts `groupKey`, group.ts). */
import type { StreamModel } from './streams';
import type { Finding } from './types';

/** Address of the host that sends direction `d`. */
export function senderOf(m: StreamModel, d: number): number {
  return d === 0 ? m.addrA : m.addrB;
}

/** Client and server address of a stream, and the server's port (A and B when no SYN was seen). */
export function roles(m: StreamModel): [number, number, number] {
  return m.clientDir === 1 ? [m.addrB, m.addrA, m.portA] : [m.addrA, m.addrB, m.portB];
}

/** A connection attempt that failed (refused or unanswered), not a handshake left without its last ACK. */
export const isAttempt = (f: Finding): boolean => f.kind === 'handshake-failure' && f.reason !== 'no-final-ack';

/** Sender and receiver of the finding's direction: "a>b". */
export const pair = (f: Finding, m: StreamModel): string => `${senderOf(m, f.direction ?? 0)}>${senderOf(m, 1 - (f.direction ?? 0))}`;
