#!/usr/bin/env node
/**
 * Draws the web-app icons in public/icons/ from the brand mark of public/favicon.svg (a framed
 * square with two overlapping filters, in the site's accent colour --accent, #1d5fbf): 192 and
 * 512 px PNGs, and a 512 px "maskable" one whose mark sits inside the central 60% a launcher may
 * crop to a circle. Pure Node (zlib for the PNG), 4×4 samples a pixel. The outputs are committed;
 * rerun after changing the mark: node scripts/make-icons.mjs
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const ACCENT = [0x1d, 0x5f, 0xbf];
const WHITE = [0xff, 0xff, 0xff];

/** Inside a rounded rectangle (x0, y0)–(x1, y1) with corner radius r. */
function inRounded(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);

/** The favicon's colour at (x, y) in its 24-unit viewBox, or null outside the mark. */
function mark(x, y) {
  if (!inRounded(x, y, 1, 1, 23, 23, 4)) return null; // outer edge of the 2-unit stroke
  if (!inRounded(x, y, 3, 3, 21, 21, 2)) return ACCENT; // the frame
  if (x >= 11 && x <= 18 && y >= 11 && y <= 18) return ACCENT;
  if (x >= 6 && x <= 13 && y >= 6 && y <= 13) return mix(WHITE, ACCENT, 0.55);
  return WHITE;
}

/**
 * RGBA pixels of a size×size icon; the mark fills `scale` of the side, centred, over `background`
 * (null: transparent).
 */
function render(size, scale, background) {
  const px = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const sum = [0, 0, 0, 0];
      for (let sj = 0; sj < n; sj++) {
        for (let si = 0; si < n; si++) {
          const u = ((i + (si + 0.5) / n) / size - 0.5) / scale + 0.5;
          const v = ((j + (sj + 0.5) / n) / size - 0.5) / scale + 0.5;
          const c = mark(u * 24, v * 24) ?? background;
          if (!c) continue;
          for (let k = 0; k < 3; k++) sum[k] += c[k];
          sum[3] += 255;
        }
      }
      const o = (j * size + i) * 4;
      const alpha = sum[3] / (n * n);
      // Colour averaged over the covered samples only (straight, not premultiplied, alpha).
      const covered = sum[3] / 255 || 1;
      for (let k = 0; k < 3; k++) px[o + k] = Math.round(sum[k] / covered);
      px[o + 3] = Math.round(alpha);
    }
  }
  return px;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let j = 0; j < size; j++)
    rgba.copy(rows, j * (size * 4 + 1) + 1, j * size * 4, (j + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = new URL('../public/icons/', import.meta.url);
mkdirSync(out, { recursive: true });
for (const [name, size, scale, background] of [
  ['icon-192.png', 192, 1, null],
  ['icon-512.png', 512, 1, null],
  ['maskable-512.png', 512, 0.6, WHITE],
]) {
  writeFileSync(new URL(name, out), png(size, render(size, scale, background)));
  console.log(`public/icons/${name}`);
}
