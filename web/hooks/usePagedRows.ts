/**
 * Rows of a long worker-side list, fetched page by page as a virtualized table scrolls. The cache
 * is dropped whenever `key` changes (new sort, filter, stream, MTU or data).
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export const PAGE = 200;

export type PageFetcher<R> = (from: number, count: number) => Promise<{ total: number; rows: R[] } | null>;

/** `pageSize`: rows per request (the packet list's pages re-read bytes, so they are small). */
export function usePagedRows<R>(key: string, fetchPage: PageFetcher<R>, pageSize = PAGE) {
  const cache = useRef<{ key: string; pages: Map<number, R[]>; inflight: Set<number> }>({ key, pages: new Map(), inflight: new Set() });
  const [total, setTotal] = useState<number | null>(null);
  const [, setTick] = useState(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const load = useCallback((page: number) => {
    const c = cache.current;
    if (c.pages.has(page) || c.inflight.has(page)) return;
    c.inflight.add(page);
    const k = c.key;
    void fetchRef.current(page * pageSize, pageSize).then((res) => {
      if (cache.current.key !== k) return;
      c.inflight.delete(page);
      if (!res) return;
      c.pages.set(page, res.rows);
      setTotal(res.total);
      setTick((t) => t + 1);
    });
  }, [pageSize]);

  useEffect(() => {
    cache.current = { key, pages: new Map(), inflight: new Set() };
    setTotal(null);
    load(0);
  }, [key, load]);

  /** Ask for the pages covering [from, to]; rows arrive with a re-render. */
  const ensure = useCallback((from: number, to: number) => {
    for (let p = Math.floor(Math.max(0, from) / pageSize); p <= Math.floor(Math.max(0, to) / pageSize); p++) load(p);
  }, [load, pageSize]);

  const row = useCallback((i: number): R | undefined => cache.current.pages.get(Math.floor(i / pageSize))?.[i % pageSize], [pageSize]);

  return { total, row, ensure };
}
