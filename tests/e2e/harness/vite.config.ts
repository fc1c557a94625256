// Builds the browser-test harness (not part of the site): tests/e2e/.harness-dist, served by the
// test server at /__harness/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/__harness/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../.harness-dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 5000,
  },
  worker: { format: 'es' },
});
