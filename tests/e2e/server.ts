/**
 * A minimal static server for the built site, with the cross-origin-isolation headers the real
 * deployment needs (see README). Used by the browser tests and the benchmark. Like
 * `npm run preview` (scripts/preview.mjs) and the hosts in docs/hosting.md, it sends the
 * precompressed `.br` / `.gz` file beside a file when the browser accepts that encoding.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.webmanifest': 'application/manifest+json',
};

/** The precompressed sibling the request accepts (brotli first), if scripts/compress.mjs wrote one. */
async function encoded(
  file: string,
  accept: string,
): Promise<{ path: string; encoding: string } | null> {
  for (const [encoding, ext] of [
    ['br', '.br'],
    ['gzip', '.gz'],
  ] as const) {
    if (!new RegExp(`\\b${encoding}\\b`).test(accept)) continue;
    try {
      await stat(file + ext);
      return { path: file + ext, encoding };
    } catch {
      // not written for this file
    }
  }
  return null;
}

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `dir` at `/`, and each `mounts` folder at its URL prefix (e.g. the test harness at
 * `/__harness/`).
 */
export async function serveStatic(
  dir: string,
  mounts: Readonly<Record<string, string>> = {},
): Promise<StaticServer> {
  const server = createServer((req, res) => {
    void (async () => {
      let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      let root = resolve(dir);
      for (const [prefix, mounted] of Object.entries(mounts)) {
        if (path.startsWith(prefix)) {
          root = resolve(mounted);
          path = '/' + path.slice(prefix.length);
          break;
        }
      }
      let file = normalize(join(root, path));
      if (!file.startsWith(root)) {
        res.writeHead(403).end();
        return;
      }
      try {
        if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
        await stat(file);
      } catch {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${path}`);
        return;
      }
      const accept = String(req.headers['accept-encoding'] ?? '');
      const sibling = await encoded(file, accept);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cache-Control': 'no-store',
        Vary: 'Accept-Encoding',
        ...(sibling ? { 'Content-Encoding': sibling.encoding } : {}),
      });
      createReadStream(sibling?.path ?? file).pipe(res);
    })();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        // Keep-alive sockets would hold close() open, and keep serving a test that cut the site.
        server.closeAllConnections();
      }),
  };
}
