/**
 * Asks the worker for the series of the visible window whenever the stream, direction, MTU, window
 * or width changes; answers that arrive after a newer question are dropped.
 */
import { useCallback, useEffect, useRef, useState, type RefCallback } from 'react';
import type { StreamSeries } from '../../src/view/index';
import type { Window } from './chartMath';

export type SeriesRequester = (t0: number, t1: number, pixels: number) => Promise<{ series: StreamSeries } | null>;

export interface SeriesState {
  series: StreamSeries | null;
  status: 'loading' | 'ready' | 'failed';
}

/**
 * `key` names the data (stream and direction: a change hides the old marks at once); `variant`
 * changes what is drawn of the same data (MTU: refetched while the old marks stay).
 */
export function useSeries(request: SeriesRequester, key: string, variant: string, view: Window | null, pixels: number): SeriesState {
  const [state, setState] = useState<SeriesState & { key: string }>({ series: null, status: 'loading', key });
  // The parent may hand a new function on every render; only the data it names should refetch.
  const requestRef = useRef(request);
  useEffect(() => { requestRef.current = request; });
  const seq = useRef(0);
  const t0 = view?.t0 ?? NaN, t1 = view?.t1 ?? NaN;
  useEffect(() => {
    if (pixels < 8) return;
    const id = ++seq.current;
    requestRef.current(t0, t1, Math.round(pixels)).then(
      (r) => { if (id === seq.current) setState({ series: r?.series ?? null, status: r ? 'ready' : 'failed', key }); },
      () => { if (id === seq.current) setState((s) => ({ ...s, status: 'failed', key })); },
    );
  }, [key, variant, t0, t1, pixels]);
  // Another stream or direction: never show the previous one's marks meanwhile.
  if (state.key !== key) return { series: null, status: 'loading' };
  return state;
}

/** Size of an element, following resizes (0 × 0 until measured, and where ResizeObserver is absent). */
export function useElementSize<T extends HTMLElement>(): [RefCallback<T>, { width: number; height: number }] {
  const [size, setSize] = useState({ width: 0, height: 0 });
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((el: T | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!el || typeof ResizeObserver === 'undefined') return;
    observer.current = new ResizeObserver(([entry]) => {
      const { width, height } = entry.contentRect;
      setSize((s) => (Math.abs(s.width - width) < 1 && Math.abs(s.height - height) < 1 ? s : { width, height }));
    });
    observer.current.observe(el);
  }, []);
  return [ref, size];
}
