/**
 * Keyboard focus that would be lost when the page changes under it: "Open sample" and a finding's
 * button are gone once the capture or the stream opens, and the browser then puts the focus on the
 * page itself, so the next Tab starts from the top. When the view changes and nothing has the focus,
 * this gives it to the new view's first place to act: the first finding (else the stream list) of
 * the overview, the time–sequence chart of a stream.
 */
import { useEffect } from 'react';

const TARGETS: Record<'overview' | 'stream', string[]> = {
  overview: ['[data-testid="findings"] button.finding', '[data-testid="stream-rows"]'],
  stream: ['[data-testid="sequence-chart"]'],
};

function focusLost(): boolean {
  const a = document.activeElement;
  return !a || a === document.body || !a.isConnected;
}

export function useFocusRescue(view: 'overview' | 'stream' | null): void {
  useEffect(() => {
    if (!view) return;
    let tries = 0;
    let timer = 0;
    const attempt = () => {
      // Someone placed the focus (a link, the joint chart, the user): leave it.
      if (!focusLost()) return;
      const el = TARGETS[view].map((s) => document.querySelector<HTMLElement>(s)).find((e) => e !== null);
      if (el) { el.focus({ preventScroll: true }); return; }
      // The view's parts come with the worker's first answers.
      if (++tries < 40) timer = window.setTimeout(attempt, 50);
    };
    timer = window.setTimeout(attempt, 0);
    return () => window.clearTimeout(timer);
  }, [view]);
}
