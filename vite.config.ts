import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { viteSingleFile } from 'vite-plugin-singlefile';
import { offlineApp } from './scripts/build/offlineApp.js';
import { inlineWorkers, sampleDefine, SINGLE_FILE_NAME, singleFileBuild, singleFileFinish, singleFileHtml } from './scripts/build/singleFile.js';

/**
 * The dev server needs an inline script (React refresh) and a websocket (hot reload), which the
 * strict Content-Security-Policy of index.html forbids; only the built app keeps the policy.
 */
function relaxCspInDev(): Plugin {
  return {
    name: 'relax-csp-in-dev',
    apply: 'serve',
    // The manifest is made by the build (scripts/build/offlineApp.ts): the dev server has none to link.
    transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>\s*/, '').replace(/\s*<link rel="manifest"[^>]*\/>/, ''),
  };
}

const root = import.meta.dirname;

// The app is served from any path (relative base) so a static copy works anywhere.
// `--mode single` (npm run build:single) writes the whole app as one HTML file instead (scripts/build/singleFile.ts).
export default defineConfig(({ mode }) => mode === 'single'
  ? {
    base: './',
    plugins: [react(), inlineWorkers(), singleFileHtml(root), viteSingleFile({ outputFileName: SINGLE_FILE_NAME }), singleFileFinish()],
    // Classic workers: Chromium refuses a module worker from a Blob URL made by a file:// page.
    worker: { format: 'iife' },
    define: sampleDefine(root),
    build: singleFileBuild(root),
  }
  : {
    base: './',
    plugins: [react(), relaxCspInDev(), offlineApp()],
    worker: { format: 'es' },
    define: { 'import.meta.env.SINGLE_SAMPLE': '""' },
    build: { outDir: 'dist', sourcemap: true, target: 'es2022' },
  });
