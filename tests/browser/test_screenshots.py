"""`dangvu screenshots`: on a small world, one log-in, one page, one size — the command serves the site
itself, signs in and writes a PNG that is read back here (signature, chunk checksums, size, pixel data)."""

from __future__ import annotations

import struct
import zlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from dangvu import testing
from dangvu.web.screens import VIEWPORTS
from tests.browser.chromium import playwright_api

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def read_png(path: Path) -> tuple[int, int, bytes]:
    """(width, height, raw scanlines) of a PNG, checking its signature, every chunk's CRC and that the
    image data decompresses to exactly height scanlines of width pixels."""
    data = path.read_bytes()
    assert data[:8] == SIGNATURE, f"{path.name} is not a PNG"
    offset, chunks = 8, []
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in chunk {kind!r}"
        chunks.append((kind, body))
        offset += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    assert len(raw) == height * (1 + width * channels * depth // 8)
    return width, height, raw


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_screenshots_command_writes_a_png_of_the_size(tmp_path, tree, people, monkeypatch):
    playwright_api()  # fails (not skips) when chromium or Playwright is missing
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    testing.make_cast(tree, people["an"])
    out = StringIO()

    call_command(
        "screenshots",
        "--out", str(tmp_path),
        "--user", "office",
        "--password", testing.PASSWORD,
        "--size", "phone",
        "--page", "/members/",
        stdout=out,
    )  # fmt: skip

    shot = tmp_path / "office-members-phone.png"
    width, height, raw = read_png(shot)
    assert (width, height) == (VIEWPORTS["phone"]["width"], VIEWPORTS["phone"]["height"])
    assert len(set(raw)) > 10  # a rendered page, not a blank screen
    assert "office-members-phone.png" in (tmp_path / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["office-members-phone.png"]
