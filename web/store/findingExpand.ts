/**
 * The finding of the findings list shown in full under its line: one about the capture as a whole
 * (a DNS finding, `stream` -1) has no stream to open, so activating it expands its text in place. A
 * link to such a finding sets it too.
 */
import { create } from 'zustand';

export interface FindingExpandState {
  /** The expanded finding's id, or null. */
  id: string | null;
  toggle(id: string): void;
  expand(id: string | null): void;
}

export const useFindingExpand = create<FindingExpandState>()((set) => ({
  id: null,
  toggle: (id) => set((s) => ({ id: s.id === id ? null : id })),
  expand: (id) => set({ id }),
}));
