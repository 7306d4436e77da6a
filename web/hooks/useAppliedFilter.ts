/**
 * The stream tables' filter box (TCP streams and UDP conversations): what the text is
 * (classifyFilter: none, free text, display filter, error) and what is applied, a display filter
 * once the typing pauses (it reads the whole capture), free text at once.
 */
import { useEffect, useMemo, useState } from 'react';
import { classifyFilter, type FilterKind } from '../components/filterText';

export interface AppliedFilter {
  /** Free text (pieces of endpoints, numbers): '' when the box holds none. */
  text: string;
  /** A display filter: '' when the box holds none. */
  display: string;
}

export function useAppliedFilter(filter: string): { kind: FilterKind; applied: AppliedFilter } {
  const kind = useMemo(() => classifyFilter(filter), [filter]);
  const [applied, setApplied] = useState<AppliedFilter>({ text: '', display: '' });
  useEffect(() => {
    const next = kind.kind === 'text' ? { text: filter, display: '' } : kind.kind === 'display' ? { text: '', display: filter.trim() } : { text: '', display: '' };
    if (next.text === applied.text && next.display === applied.display) return;
    const id = setTimeout(() => setApplied(next), kind.kind === 'display' ? 250 : 0);
    return () => clearTimeout(id);
  }, [kind, filter, applied]);
  return { kind, applied };
}
