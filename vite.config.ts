import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The app is served from any path (relative base) so a static copy works anywhere.
export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: { outDir: 'dist', sourcemap: true, target: 'es2022' },
});
