/**
 * A frame chosen outside the chart (a link in the analysis text, a row of the packet table) may lie
 * outside the chart's zoomed window: pan the window to it, keeping its width, so the selection is
 * never invisible. The worker tells the frame's time (`locateFrame`).
 */
import { useEffect } from 'react';
import { asFrame } from '../../src/index';
import { ask } from '../store/session';
import { useUi, type TimeWindow } from '../store/uiStore';

/** The window to show time `t` in: null when `zoom` already shows it (or shows everything). */
export function windowShowing(zoom: TimeWindow | null, t: number): TimeWindow | null {
  if (!zoom || !Number.isFinite(t) || (t >= zoom.t0 && t <= zoom.t1)) return null;
  const width = Math.max(zoom.t1 - zoom.t0, 1e-6);
  // Centred on the frame, never before the capture start.
  const t0 = Math.max(0, t - width / 2);
  return { t0, t1: t0 + width };
}

export function useFollowFrame(stream: number): void {
  const frame = useUi((s) => s.frame);
  useEffect(() => {
    if (frame === null || useUi.getState().zoom === null) return;
    let live = true;
    void ask({ type: 'locateFrame', frame: asFrame(frame) }).then((o) => {
      const ui = useUi.getState();
      // Only if the selection is still this frame of this stream (a newer click wins).
      if (!live || !o.ok || !o.value || o.value.stream !== stream || ui.frame !== frame || ui.stream !== stream) return;
      const next = windowShowing(ui.zoom, o.value.time);
      if (next) ui.setZoom(next);
    });
    return () => { live = false; };
  }, [frame, stream]);
}
