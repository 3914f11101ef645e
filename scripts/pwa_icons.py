"""Write the web app manifest's PNG icons (dangvu/web/static/dangvu/icons/) from the favicon's design: the
red square with the yellow star. Pure Python (zlib), no imaging dependency; run once after changing it:
    python scripts/pwa_icons.py"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "dangvu" / "web" / "static" / "dangvu" / "icons"
RED, YELLOW = (0xC8, 0x10, 0x2E), (0xFF, 0xCD, 0x00)


def star(size: int, scale: float) -> list[tuple[float, float]]:
    cx = cy = size / 2
    outer, inner = size * scale, size * scale * 0.382
    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + 0.04 * size + r * math.sin(angle)))
    return points


def inside(x: float, y: float, poly: list[tuple[float, float]]) -> bool:
    hit = False
    for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            hit = not hit
    return hit


def png(size: int, scale: float) -> bytes:
    poly = star(size, scale)
    rows = bytearray()
    for y in range(size):
        rows.append(0)
        for x in range(size):
            rows.extend(YELLOW if inside(x + 0.5, y + 0.5, poly) else RED)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (OUT / f"icon-{size}.png").write_bytes(png(size, 0.42))
        # maskable: the star inside the safe zone (the inner 80 % circle)
        (OUT / f"maskable-{size}.png").write_bytes(png(size, 0.30))
