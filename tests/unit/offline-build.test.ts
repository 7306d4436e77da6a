/**
 * The pieces of the one-file build, the offline app and the CLI bundle that are plain functions:
 * the one file's Content-Security-Policy (the inlined script's hash, no connection), the service
 * worker's file list, the Node 18 check of the CLI bundle, and a browser that refuses to start the
 * analysis worker (the page says so instead of waiting).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { node18Problems } from '../../scripts/build/cli';
import { MANIFEST, serviceWorkerSource } from '../../scripts/build/offlineApp';
import { singleFileCsp } from '../../scripts/build/singleFile';
import { openFile, setWorkerFactory, useSession } from '../../web/store/session';

const page = (script: string) => `<!doctype html><html><head>
<meta
  http-equiv="Content-Security-Policy"
  content="default-src 'self'; script-src 'sha256-pending'"
/>
<script type="module" crossorigin>${script}</script>
</head><body></body></html>`;

describe('the one file\'s policy', () => {
  it('allows the inlined script by its SHA-256 and nothing else to run or connect', () => {
    const script = 'console.log("x")';
    const csp = /content="([^"]*)"/.exec(singleFileCsp(page(script)))?.[1] ?? '';
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain('worker-src blob:');
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? '';
    expect(scriptSrc).toBe(`script-src 'sha256-${hash}'`);
    expect(csp).not.toMatch(/unsafe-eval|sha256-pending/);
  });

  it('refuses a page without a policy to adapt', () => {
    expect(() => singleFileCsp('<html><script>1</script></html>')).toThrow(/Content-Security-Policy/);
  });
});

describe('the service worker', () => {
  it('answers only the files it was given, under its version', () => {
    const src = serviceWorkerSource(['index.html', 'assets/index-abc.js'], 'v1');
    expect(src).toContain('const FILES = ["index.html","assets/index-abc.js"];');
    expect(src).toContain('const VERSION = "v1";');
    // Whatever is not in the list is left to the network, never put in the cache.
    expect(src).toContain('if (!FILES.includes(file)) return;');
    expect(src).not.toMatch(/cache\.put|\.put\(/);
    expect(() => new Function(src)).not.toThrow();
  });

  it('the manifest names the app and an icon', () => {
    expect(MANIFEST).toMatchObject({ name: 'Capture Inspector', display: 'standalone', start_url: './' });
    expect(MANIFEST.icons[0].src).toBe('favicon.svg');
  });
});

describe('the CLI bundle\'s Node 18 check', () => {
  it('names what Node 18 lacks', () => {
    expect(node18Problems('const a = xs.toSorted((p, q) => p - q); const d = import.meta.dirname;')).toEqual([
      'import.meta.dirname/filename (Node 20.11)', 'Array.prototype.toSorted/toReversed/toSpliced (Node 20)',
    ]);
    expect(node18Problems('const a = [...xs].sort(); const b = xs.at(-1);')).toEqual([]);
  });
});

describe('a browser that refuses to start the analysis worker', () => {
  it('says so in the page instead of waiting', async () => {
    setWorkerFactory(() => { throw new Error('SecurityError: blob: workers are not allowed'); });
    await openFile(new File([new Uint8Array(24)], 'x.pcap'));
    const s = useSession.getState();
    expect(s.status).toBe('failed');
    expect(s.error?.kind).toBe('crashed');
    expect(s.error?.message).toContain('refused to start the analysis worker: SecurityError');
  });
});
