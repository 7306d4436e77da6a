/**
 * The stream table's choice between TCP streams and UDP conversations, the UDP list's order, and the
 * UDP conversation opened (its view replaces the list). Plain and small; the rows live in the worker.
 */
import { create } from 'zustand';
import type { UdpSortKey } from '../worker/protocol';

export type ConversationKind = 'tcp' | 'udp';

export interface UdpState {
  kind: ConversationKind;
  sort: { key: UdpSortKey; desc: boolean };
  /** The UDP conversation opened, or null for the list. */
  open: number | null;
  setKind(kind: ConversationKind): void;
  sortBy(key: UdpSortKey): void;
  openConversation(c: number | null): void;
  reset(): void;
}

const INITIAL = { kind: 'tcp' as ConversationKind, sort: { key: 'index' as UdpSortKey, desc: false }, open: null as number | null };

export const useUdp = create<UdpState>()((set) => ({
  ...INITIAL,
  setKind: (kind) => set({ kind }),
  // Numbers and times ascend first; sizes and counts descend first (the largest is the likeliest question).
  sortBy: (key) => set((s) => ({ sort: { key, desc: s.sort.key === key ? !s.sort.desc : key !== 'index' && key !== 'start' && key !== 'app' } })),
  openConversation: (open) => set({ open }),
  reset: () => set({ ...INITIAL, sort: { ...INITIAL.sort } }),
}));
