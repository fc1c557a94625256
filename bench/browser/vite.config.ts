// Builds the bench's peer page (not part of the site): bench/.dist, served by bench/run.mjs at
// /__bench/ beside the site and the test harness.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/__bench/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../.dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 5000,
    // ORT's wasm threads load the entry bundle itself as their worker script, where the
    // polyfill's `document` does not exist.
    modulePreload: { polyfill: false },
  },
});
