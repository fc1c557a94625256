// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import rehypeFocusableMath from './src/site/rehype-focusable-math.ts';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

// The one inline script (the theme, before first paint) is allowed by its hash; every other script
// is a bundled module Astro hashes itself. 'wasm-unsafe-eval' lets onnxruntime-web and Pagefind
// compile their WebAssembly; nothing may eval JavaScript. Styles may be inline: KaTeX writes its
// layout into style attributes (at build time and in widgets), Observable Plot puts a <style> in
// each chart, and Vite inlines KaTeX's smallest fonts as data: URLs. A style cannot run code.
const themeInit = readFileSync(new URL('./src/site/theme-init.js', import.meta.url), 'utf8');
const themeHash = `sha256-${createHash('sha256').update(themeInit).digest('base64')}`;
/** @type {import('astro').AstroUserConfig['security']} */
const security = {
  csp: {
    directives: [
      "default-src 'self'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      "connect-src 'self'",
      // blob: for workers only: each notebook-cell run is a module worker made from a blob: URL
      // holding the reader's code (docs/cells.md). It inherits this policy, so it cannot eval,
      // and it may import only same-origin scripts ('self'), never another blob.
      "worker-src 'self' blob:",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
    ],
    scriptDirective: {
      resources: ["'self'", "'wasm-unsafe-eval'"],
      hashes: [/** @type {`sha256-${string}`} */ (themeHash)],
    },
    styleDirective: {
      resources: ["'self'", "'unsafe-inline'"],
    },
  },
};

// Cross-origin isolation lets onnxruntime-web's wasm backend use SharedArrayBuffer threads.
// Every asset is same-origin, so `require-corp` costs nothing. A static host must send the same
// two headers (see README, "Deploying").
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  site: 'https://convbook.example',
  output: 'static',
  // Lossless whitespace compression. Astro 7's default ('jsx') drops the line break between a
  // word and an element on the next line, so "then by\n<strong>onnxruntime-web</strong>" read
  // "then byonnxruntime-web" in every .astro file written as ordinary wrapped HTML.
  compressHTML: true,
  trailingSlash: 'always',
  integrations: [mdx()],
  security,
  markdown: {
    // KaTeX renders at build time: pages ship HTML + CSS, no math JavaScript.
    processor: unified({
      remarkPlugins: [remarkMath],
      rehypePlugins: [rehypeKatex, rehypeFocusableMath],
    }),
  },
  server: { host: '127.0.0.1', headers: isolationHeaders },
  vite: {
    server: { headers: isolationHeaders },
    preview: { headers: isolationHeaders },
    worker: { format: 'es' },
  },
  devToolbar: { enabled: false },
});
