import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The dev server needs an inline script (React refresh) and a websocket (hot reload), which the
 * strict Content-Security-Policy of index.html forbids; only the built app keeps the policy.
 */
function relaxCspInDev(): Plugin {
  return {
    name: 'relax-csp-in-dev',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>\s*/, ''),
  };
}

// The app is served from any path (relative base) so a static copy works anywhere.
export default defineConfig({
  base: './',
  plugins: [react(), relaxCspInDev()],
  worker: { format: 'es' },
  build: { outDir: 'dist', sourcemap: true, target: 'es2022' },
});
