/**
 * Asks the worker for a stream graph of the visible window whenever the stream, direction, kind,
 * average, window or width changes; answers that arrive after a newer question are dropped (as
 * useSeries does for the chart), so a zoom never waits for an older window's answer.
 */
import { useEffect, useRef, useState } from 'react';
import type { StreamGraph } from '../../src/view/index';

export type GraphRequester = (t0: number, t1: number, pixels: number) => Promise<{ graph: StreamGraph } | null>;

export interface GraphState {
  graph: StreamGraph | null;
  status: 'idle' | 'loading' | 'ready' | 'failed';
}

/**
 * `key` names the data (stream, direction, kind: a change hides the old graph at once); `variant`
 * changes what is drawn of it (the average: refetched while the old lines stay). `off`: nothing asked.
 */
export function useGraph(request: GraphRequester, key: string, variant: string, t0: number, t1: number, pixels: number, off: boolean): GraphState {
  const [state, setState] = useState<GraphState & { key: string }>({ graph: null, status: 'loading', key });
  const requestRef = useRef(request);
  useEffect(() => { requestRef.current = request; });
  const seq = useRef(0);
  useEffect(() => {
    if (off || pixels < 8 || !(t1 > t0)) return;
    const id = ++seq.current;
    requestRef.current(t0, t1, Math.round(pixels)).then(
      (r) => { if (id === seq.current) setState({ graph: r?.graph ?? null, status: r ? 'ready' : 'failed', key }); },
      () => { if (id === seq.current) setState((s) => ({ ...s, status: 'failed', key })); },
    );
  }, [key, variant, t0, t1, pixels, off]);
  if (off) return { graph: null, status: 'idle' };
  if (state.key !== key) return { graph: null, status: 'loading' };
  return state;
}
