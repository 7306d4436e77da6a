/**
 * What the user chose in the list of every packet: the tab shown, the order, the time format, the
 * time references. Plain and small; the rows live in the worker.
 */
import { create } from 'zustand';
import type { PacketSortKey } from '../worker/protocol';

export type MainTab = 'streams' | 'packets';
/** Wireshark's View → Time Display Format, those we offer. */
export const TIME_FORMATS = ['rel', 'delta', 'stream', 'utc', 'local'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

export interface PacketListState {
  tab: MainTab;
  sort: { key: PacketSortKey; desc: boolean };
  timeFormat: TimeFormat;
  /** Frames marked as time references, ascending. */
  refs: number[];
  /** A display filter's text ('' for every packet). */
  filter: string;
  /** The frame selected in the list. */
  selected: number | null;
  setFilter(filter: string): void;
  select(frame: number | null): void;
  setTab(tab: MainTab): void;
  /** Sort by a column: ascending first, then the other way. */
  sortBy(key: PacketSortKey): void;
  setTimeFormat(f: TimeFormat): void;
  toggleRef(frame: number): void;
  clearRefs(): void;
  reset(): void;
}

const INITIAL = { tab: 'streams' as MainTab, sort: { key: 'number' as PacketSortKey, desc: false }, timeFormat: 'rel' as TimeFormat, refs: [] as number[], filter: '', selected: null as number | null };

export const usePacketList = create<PacketListState>()((set) => ({
  ...INITIAL,
  setTab: (tab) => set({ tab }),
  setFilter: (filter) => set({ filter }),
  select: (selected) => set({ selected }),
  sortBy: (key) => set((s) => ({ sort: { key, desc: s.sort.key === key ? !s.sort.desc : false } })),
  setTimeFormat: (timeFormat) => set({ timeFormat }),
  toggleRef: (frame) => set((s) => ({ refs: s.refs.includes(frame) ? s.refs.filter((f) => f !== frame) : [...s.refs, frame].sort((a, b) => a - b) })),
  clearRefs: () => set({ refs: [] }),
  reset: () => set({ ...INITIAL, sort: { ...INITIAL.sort }, refs: [] }),
}));
