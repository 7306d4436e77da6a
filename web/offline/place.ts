/**
 * Where this copy of the app runs: served from a web address, or opened as one HTML file from disk
 * (`npm run build:single`: file://, no server). Features that need an origin ask here.
 */

/** True when the page was opened from a file (file://), e.g. the one-file build on a USB stick. */
export function openedFromFile(): boolean {
  return typeof location !== 'undefined' && location.protocol === 'file:';
}

/** The sample capture carried inside the one-file build (base64), or null. */
function inlineSample(): string | null {
  const b64 = import.meta.env.SINGLE_SAMPLE;
  return typeof b64 === 'string' && b64.length > 0 ? b64 : null;
}

/** Whether "Open sample" can work: served (fetched from the app's origin), or inlined in the one file. */
export function sampleAvailable(): boolean {
  return import.meta.env.MODE !== 'single' || inlineSample() !== null;
}

/** The inlined sample's bytes, or null when the sample is fetched from the origin (or left out). */
export function inlineSampleBytes(): Uint8Array<ArrayBuffer> | null {
  const b64 = inlineSample();
  if (b64 === null) return null;
  const text = atob(b64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * The address of this page with a fragment: served, the origin and path (the query dropped);
 * from a file, the file itself (file:///…/capture-inspector.html#…), since there is no server to name.
 */
export function pageAddress(fragment: string): string {
  if (openedFromFile()) return `${location.href.replace(/#.*$/, '')}${fragment}`;
  return `${location.origin}${location.pathname}${fragment}`;
}
