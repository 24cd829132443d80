#!/usr/bin/env python3
"""Rewrites an .ico so that every image in it is PNG-compressed (Windows Vista and later read
PNG at every size): ImageMagick stores the 48, 32 and 16 px images as uncompressed bitmaps,
14 KB of the exe's 8,000,000-byte budget. Usage: ico_png.py ICON.ico (rewritten in place)."""
import struct
import sys
import zlib


def png(width, height, rgba_rows):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + row for row in rgba_rows)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def bmp_to_png(data):
    header, width, height2, _, bits = struct.unpack("<IiiHH", data[:16])
    height = height2 // 2
    if header != 40 or bits != 32:
        raise SystemExit(f"unexpected bitmap: header {header}, {bits} bits")
    pixels = data[header:header + width * height * 4]
    rows = []
    for y in range(height - 1, -1, -1):  # bitmaps are stored bottom-up
        row = pixels[y * width * 4:(y + 1) * width * 4]
        rows.append(b"".join(row[i + 2:i + 3] + row[i + 1:i + 2] + row[i:i + 1] + row[i + 3:i + 4]
                             for i in range(0, len(row), 4)))
    return png(width, height, rows)


def main(path):
    d = open(path, "rb").read()
    _, kind, n = struct.unpack("<HHH", d[:6])
    entries = []
    for i in range(n):
        w, h, colours, res, planes, bits, size, off = struct.unpack("<BBBBHHII", d[6 + 16 * i:22 + 16 * i])
        image = d[off:off + size]
        if image[:4] != b"\x89PNG":
            image = bmp_to_png(image)
        entries.append((w, h, colours, res, planes, bits, image))
    out = struct.pack("<HHH", 0, kind, n)
    offset = 6 + 16 * n
    for w, h, colours, res, planes, bits, image in entries:
        out += struct.pack("<BBBBHHII", w, h, colours, res, planes, bits, len(image), offset)
        offset += len(image)
    out += b"".join(e[6] for e in entries)
    open(path, "wb").write(out)
    print(f"{path}: {len(d)} -> {len(out)} bytes")


main(sys.argv[1])
