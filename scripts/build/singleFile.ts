/**
 * `vite build --mode single`: the whole app in one HTML file that opens from file:// (a USB stick, a
 * ticket attachment) with no server. vite-plugin-singlefile inlines the entry script and the styles;
 * these plugins do the rest:
 * - workers: every `?worker` import becomes `?worker&inline`, so the worker's code travels inside the
 *   page and starts from a Blob URL (a module worker cannot be started from a file:// URL);
 * - the favicon becomes a data: URL; the manifest link goes (an installable app needs an origin);
 * - the sample capture is inlined (base64) unless SINGLE_SAMPLE=0;
 * - the Content-Security-Policy allows the inline script by its SHA-256 (not 'unsafe-inline') and
 *   still forbids any connection: the page cannot reach the network.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin, UserConfig } from 'vite';

export const SINGLE_FILE_NAME = 'capture-inspector.html';
export const SINGLE_OUT_DIR = 'dist-single';

/** Imports of workers (`…?worker`) resolve to their inline form. */
export function inlineWorkers(): Plugin {
  return {
    name: 'ci-inline-workers',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!/[?&]worker$/.test(source)) return null;
      return this.resolve(`${source}&inline`, importer, { ...options, skipSelf: true });
    },
  };
}

/** The Content-Security-Policy of the one file: the inline script by hash, data: for images and fonts. */
export function singleFileCsp(html: string): string {
  const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
    .filter((m) => m[1].length > 0)
    .map((m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
  const policy = [
    "default-src 'none'",
    `script-src ${hashes.join(' ')}`,
    // The workers start from a Blob URL of their inlined code; where a browser refuses that, Vite's
    // loader tries a data: URL of the same code (nothing is fetched either way).
    'worker-src blob: data:',
    "style-src 'unsafe-inline'",
    'img-src data: blob:',
    'font-src data:',
    // Exports are downloads of Blob URLs; nothing is fetched.
    "connect-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const meta = /<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/?>/;
  if (!meta.test(html)) throw new Error('index.html has no Content-Security-Policy meta to adapt');
  return html.replace(meta, `<meta http-equiv="Content-Security-Policy" content="${policy}" />`);
}

/** index.html adapted before inlining: favicon as data:, no manifest, no theme of the installed app. */
export function singleFileHtml(root: string): Plugin {
  return {
    name: 'ci-single-file-html',
    transformIndexHtml(html) {
      const svg = readFileSync(path.join(root, 'public', 'favicon.svg'));
      return html
        // A placeholder hash (allows nothing) until singleFileFinish puts the inlined script's.
        .replace("script-src 'self'", "script-src 'sha256-pending'")
        .replace(/<link rel="icon" href="[^"]*"([^>]*)\/>/, `<link rel="icon" href="data:image/svg+xml;base64,${svg.toString('base64')}"$1/>`)
        .replace(/\s*<link rel="manifest"[^>]*\/>/, '');
    },
  };
}

/** After vite-plugin-singlefile wrote the file: the policy with the script's hash. */
export function singleFileFinish(): Plugin {
  let outDir = '';
  return {
    name: 'ci-single-file-finish',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const file = path.join(outDir, SINGLE_FILE_NAME);
      writeFileSync(file, singleFileCsp(readFileSync(file, 'utf8')));
    },
  };
}

/** The sample capture as base64 for `import.meta.env.SINGLE_SAMPLE` ('' when left out). */
export function sampleDefine(root: string): Record<string, string> {
  const include = process.env.SINGLE_SAMPLE !== '0';
  const b64 = include ? readFileSync(path.join(root, 'public', 'samples', 'pmtu-blackhole.pcap')).toString('base64') : '';
  return { 'import.meta.env.SINGLE_SAMPLE': JSON.stringify(b64) };
}

/** Build options of the one file. */
export function singleFileBuild(root: string): UserConfig['build'] {
  return {
    outDir: path.join(root, SINGLE_OUT_DIR),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    copyPublicDir: false,
  };
}
