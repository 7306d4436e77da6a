/**
 * The wheel on a plot (the sequence chart's and the graph's under it): zooms at the pointer. React's
 * wheel listener is passive and zooming must keep the page from scrolling, so it listens natively
 * on the plot's group once the plot has a size, reading the latest scales and callback.
 */
import { useEffect, useRef, type RefObject } from 'react';
import type { Scales } from './scales';

export function useWheelZoom(gRef: RefObject<SVGGElement | null>, ready: boolean, sc: Scales, onWheelZoom: (at: number, factor: number) => void): void {
  const latest = useRef({ sc, onWheelZoom });
  useEffect(() => { latest.current = { sc, onWheelZoom }; });
  useEffect(() => {
    const g = gRef.current;
    if (!ready || !g) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const { sc: s, onWheelZoom: zoom } = latest.current;
      const px = e.clientX - (g.ownerSVGElement?.getBoundingClientRect().left ?? 0);
      const lines = e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? 400 : 1;
      zoom(s.tAt(px), Math.pow(1.0015, e.deltaY * lines));
    };
    g.addEventListener('wheel', onWheel, { passive: false });
    return () => g.removeEventListener('wheel', onWheel);
  }, [ready, gRef]);
}
