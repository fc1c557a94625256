#!/usr/bin/env python3
"""Downscales the course's photographs to the small PNGs the site serves (public/photos/).

Pure Python (zlib, struct): no Pillow, no new dependency. Reads 8-bit RGB/RGBA, non-interlaced
PNGs, averages each output pixel over the source area it covers (box filter, exact fractions of
edge pixels), and writes 8-bit RGB PNGs. Sources and licences: docs/data.md.

    python3 scripts/downscale-photos.py SRC_DIR [LONG_SIDE]
SRC_DIR holds chelsea.png, coffee.png, astronaut.png (Debian's python3-skimage, skimage/data/).
"""
import os
import struct
import sys
import zlib

PHOTOS = ['chelsea', 'coffee', 'astronaut']


def read_png(path):
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', f'{path}: not a PNG'
    pos, idat, ihdr = 8, b'', None
    while pos < len(data):
        (length,) = struct.unpack('>I', data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            ihdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = ihdr
    assert depth == 8 and colour in (2, 6) and interlace == 0, f'{path}: unsupported PNG {ihdr}'
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, at = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        rows.append([tuple(line[i * bpp:i * bpp + 3]) for i in range(width)])
        prev = line
    return width, height, rows


def spans(n_in, n_out):
    """For each output index, the (source index, weight) pairs of the box it covers."""
    scale = n_in / n_out
    out = []
    for o in range(n_out):
        lo, hi = o * scale, (o + 1) * scale
        parts, i = [], int(lo)
        while i < hi and i < n_in:
            w = min(hi, i + 1) - max(lo, i)
            if w > 1e-12:
                parts.append((i, w))
            i += 1
        out.append(parts)
    return out


def downscale(width, height, rows, long_side):
    s = long_side / max(width, height)
    ow, oh = max(1, round(width * s)), max(1, round(height * s))
    xs, ys = spans(width, ow), spans(height, oh)
    out = []
    for yparts in ys:
        line = []
        for xparts in xs:
            acc, total = [0.0, 0.0, 0.0], 0.0
            for y, wy in yparts:
                row = rows[y]
                for x, wx in xparts:
                    w = wy * wx
                    px = row[x]
                    acc[0] += px[0] * w
                    acc[1] += px[1] * w
                    acc[2] += px[2] * w
                    total += w
            line.append(tuple(min(255, max(0, round(v / total))) for v in acc))
        out.append(line)
    return ow, oh, out


def write_png(path, width, height, rows):
    raw = b''.join(b'\x00' + bytes(v for px in row for v in px) for row in rows)
    chunk = lambda kind, body: (struct.pack('>I', len(body)) + kind + body
                                + struct.pack('>I', zlib.crc32(kind + body) & 0xFFFFFFFF))
    png = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
           + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b''))
    open(path, 'wb').write(png)


def main():
    src = sys.argv[1]
    long_side = int(sys.argv[2]) if len(sys.argv) > 2 else 128
    dest = os.path.join(os.path.dirname(__file__), '..', 'public', 'photos')
    os.makedirs(dest, exist_ok=True)
    for name in PHOTOS:
        w, h, rows = read_png(os.path.join(src, f'{name}.png'))
        ow, oh, small = downscale(w, h, rows, long_side)
        out = os.path.join(dest, f'{name}.png')
        write_png(out, ow, oh, small)
        print(f'{name}: {w}×{h} → {ow}×{oh}, {os.path.getsize(out)} bytes')


if __name__ == '__main__':
    main()
