import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { assertChromiumInstalled } from './browser';
import { serveStatic } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
  }
}

/** Serves the built site (dist/) for every browser test file. */
export default async function setup(project: TestProject) {
  assertChromiumInstalled();
  // CONVBOOK_DIST lets a run test a snapshot of the build while `dist/` is being rebuilt.
  const dist = resolve(process.env.CONVBOOK_DIST ?? 'dist');
  if (!existsSync(resolve(dist, 'index.html'))) {
    throw new Error(
      'dist/ has no built site: run `npm run build` first (npm run test:browser does).',
    );
  }
  const harness = resolve('tests/e2e/.harness-dist');
  if (!existsSync(resolve(harness, 'index.html'))) {
    throw new Error(
      'the test harness is not built: npm run test:browser builds it (vite build --config tests/e2e/harness/vite.config.ts).',
    );
  }
  const server = await serveStatic(dist, { '/__harness/': harness });
  project.provide('baseURL', server.url);
  return () => server.close();
}
