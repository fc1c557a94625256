// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import rehypeFocusableMath from './src/site/rehype-focusable-math.ts';

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
  trailingSlash: 'always',
  integrations: [mdx()],
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
