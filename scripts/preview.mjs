#!/usr/bin/env node
/**
 * `npm run preview`: serves the built site (dist/) as a good static host would. Sends the
 * precompressed `.br` / `.gz` files scripts/compress.mjs wrote, with `Content-Encoding` and
 * `Vary: Accept-Encoding` (sirv); the cross-origin-isolation headers onnxruntime-web's threads
 * need; `Cache-Control` that never lets a browser keep an old service worker or page, while Vite's
 * hashed files under /_astro/ are immutable; and dist/404.html for unknown paths.
 * The same settings for real hosts are in docs/hosting.md.
 *
 * Usage: node scripts/preview.mjs [--host 127.0.0.1] [--port 4321] [--dist dist]
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sirv from 'sirv';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '4321' },
    dist: { type: 'string', default: 'dist' },
  },
  // `npm run preview -- --open` and the like: ignore what this server has no use for.
  strict: false,
});
const dist = resolve(String(values.dist));
const port = Number(values.port);
if (!existsSync(resolve(dist, 'index.html'))) {
  console.error(`preview: ${dist} has no built site; run \`npm run build\` first.`);
  process.exit(1);
}
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`preview: --port ${String(values.port)} is not a port number.`);
  process.exit(1);
}

/** @param {string} pathname */
export function cacheControl(pathname) {
  if (pathname.startsWith('/_astro/')) return 'public, max-age=31536000, immutable';
  // Pages, the service worker and everything unhashed: always ask the server.
  return 'no-cache';
}

const serve = sirv(dist, {
  brotli: true,
  gzip: true,
  etag: true,
  setHeaders(res, pathname) {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Cache-Control', cacheControl(pathname));
    if (pathname === '/sw.js') res.setHeader('Service-Worker-Allowed', '/');
  },
});
const notFound = readFileSync(resolve(dist, '404.html'));

const server = createServer((req, res) => {
  serve(req, res, () => {
    res.writeHead(404, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    res.end(notFound);
  });
});
server.listen(port, String(values.host), () => {
  const address = server.address();
  const shown = typeof address === 'object' && address ? address.port : port;
  console.log(`preview: http://${String(values.host)}:${shown}/ (dist: ${dist})`);
});
