/**
 * Arrow keys for the one list that has the keyboard at a time (stream table or packet table), unless
 * the user is typing in a field. Escape and `?` are handled once, in the app.
 */
import { useEffect, useRef } from 'react';

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}

/** A control whose Enter does its own thing (a finding's button, a link, a disclosure): not the list's. */
function hasOwnEnter(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el?.closest?.('button, a[href], summary, [role="button"]');
}

export function useListKeys(handlers: { move(delta: number): void; enter?(): void }): void {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
      const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20 }[e.key];
      if (step !== undefined) {
        e.preventDefault();
        ref.current.move(step);
      } else if (e.key === 'Enter' && ref.current.enter && !hasOwnEnter(e.target)) {
        e.preventDefault();
        ref.current.enter();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
