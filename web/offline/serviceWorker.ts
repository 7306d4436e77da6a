/**
 * The offline app: the served build registers sw.js (made by the build, scripts/build/offlineApp.ts),
 * which keeps the app's own files so the next visit opens with no network. When a new version is
 * served, its worker installs and waits; `useAppUpdate` then holds it and the page offers a reload.
 * Nothing here runs in development, in the one-file build or from file://.
 */
import { create } from 'zustand';

interface UpdateState {
  /** A new version's worker, installed and waiting for the page to say go. */
  waiting: ServiceWorker | null;
}

export const useAppUpdate = create<UpdateState>()(() => ({ waiting: null }));

function offerWhenInstalled(w: ServiceWorker | null): void {
  if (!w) return;
  const check = () => {
    // A controller means an older version runs this page: the new one is an update, not the first install.
    if (w.state === 'installed' && navigator.serviceWorker.controller) useAppUpdate.setState({ waiting: w });
  };
  check();
  w.addEventListener('statechange', check);
}

function watch(reg: ServiceWorkerRegistration): void {
  if (reg.waiting && navigator.serviceWorker.controller) useAppUpdate.setState({ waiting: reg.waiting });
  reg.addEventListener('updatefound', () => offerWhenInstalled(reg.installing));
  // A tab left open for long still learns of a new version.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void reg.update().catch(() => undefined);
  });
}

/** Register the service worker of the served build (no-op elsewhere). */
export function registerOfflineApp(): void {
  if (!import.meta.env.PROD || import.meta.env.MODE === 'single') return;
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  if (location.protocol !== 'https:' && location.protocol !== 'http:') return;
  const register = () => {
    navigator.serviceWorker.register('./sw.js').then(watch, () => undefined);
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}

/** Switch to the waiting version, then reload once it controls the page. */
export function applyAppUpdate(): void {
  const w = useAppUpdate.getState().waiting;
  if (!w) return;
  navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
  w.postMessage({ type: 'skip-waiting' });
}

export function dismissAppUpdate(): void {
  useAppUpdate.setState({ waiting: null });
}
