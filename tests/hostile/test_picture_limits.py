"""Picture input limits (docs/limits.rst): a picture mark-up may not exhaust memory or time.

Each limit the picture reader enforces is tried just past it: the picture is refused with a
reason naming the limit, before anything past it is decoded or read, and a Word IRP holding
such a picture gets a change refused as unreadable, never a half-read mark-up.
"""

from __future__ import annotations

import io
import shutil
import struct
import zlib

import pytest
from PIL import Image, ImageDraw, PngImagePlugin

from spectrace.limits import PICTURE_BYTES, PICTURE_PIXELS, PICTURE_WORDS
from spectrace.readers.docx.irp import read_docx_irp
from spectrace.readers.picture import PictureError, pixels, read_picture, words
from tests.conftest import load_benchmark

mp = load_benchmark("make_pictures")


def _png(width: int, height: int) -> bytes:
    """Return a small, well-formed PNG whose header says ``width`` x ``height`` RGB pixels
    (its one data chunk holds a single row: decoding it would fail, or take the memory)."""
    chunk = lambda kind, data: (  # noqa: E731
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * (3 * width + 1)))
        + chunk(b"IEND", b"")
    )


def _words_picture(count: int) -> bytes:
    """Return a PNG of ``count`` short words, a few underlined in blue (inserted)."""
    image = Image.new("RGB", (1400, 40 + 30 * (count // 12 + 1)), "white")
    draw = ImageDraw.Draw(image)
    for n in range(count):
        x, y = 20 + (n % 12) * 110, 20 + (n // 12) * 30
        colour = (0, 0, 255) if n % 5 == 0 else (0, 0, 0)
        draw.text((x, y), f"word{n}", fill=colour, font_size=18)
        if n % 5 == 0:
            draw.line((x, y + 22, x + 70, y + 22), fill=colour, width=2)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _refused_in_an_irp(tmp_path, data: bytes) -> str:
    """Return the problem of the one change of a Word IRP whose mark-up is ``data``."""
    path = mp.irp_with_pictures(
        tmp_path / "IRP.docx", [("At SMETS 4.4.5 amend the text as shown:", data, "png")]
    )
    (change,) = read_docx_irp(path).changes
    assert change.markup == [] and change.source == "picture"
    return change.problem


def test_a_picture_over_the_byte_limit_is_not_decoded(monkeypatch, tmp_path):
    picture = _png(40, 10)
    monkeypatch.setattr(pixels, "PICTURE_BYTES", len(picture) - 1)
    decoded = []
    with monkeypatch.context() as opening:
        opening.setattr(pixels.Image, "open", lambda *a, **k: decoded.append(a))
        with pytest.raises(
            PictureError, match=f"{len(picture):,} bytes, over {len(picture) - 1:,}"
        ):
            read_picture(picture)
    assert decoded == []
    problem = _refused_in_an_irp(tmp_path, picture)
    assert "cannot be read" in problem and "bytes, over" in problem


def test_the_byte_limit_is_the_documented_one():
    assert PICTURE_BYTES == 32 * 1024 * 1024
    assert pixels.PICTURE_BYTES == PICTURE_BYTES


@pytest.mark.parametrize(
    ("width", "height"),
    [(6000, 6000), (1, PICTURE_PIXELS + 1), (5478, 5477)],
)
def test_a_picture_over_the_pixel_limit_is_refused_from_its_header(width, height, tmp_path):
    assert width * height > PICTURE_PIXELS
    with pytest.raises(PictureError, match=f"{width} x {height} pixels, over 30,000,000"):
        read_picture(_png(width, height))
    assert "pixels, over" in _refused_in_an_irp(tmp_path, _png(width, height))


def test_a_picture_within_the_pixel_limit_is_decoded(monkeypatch):
    """Just within the limit the reader goes on to decode the picture (stopped here before it
    takes the memory), so the limit, not the decoder, refused the one just past it."""
    width, height = 5477, 5477
    assert width * height <= PICTURE_PIXELS

    def stop(image):
        raise OSError(f"decoding {image.size[0]} x {image.size[1]}")

    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", stop)
    with pytest.raises(PictureError, match="decoding 5477 x 5477"):
        read_picture(_png(width, height))


def test_the_pixel_limit_refuses_a_real_picture_when_lowered(monkeypatch):
    picture = _words_picture(12)
    monkeypatch.setattr(pixels, "PICTURE_PIXELS", 1000)
    with pytest.raises(PictureError, match="over 1,000 in all"):
        read_picture(picture)


@pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)",
)
def test_a_picture_of_too_many_words_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")
    picture = _words_picture(24)
    monkeypatch.setattr(words, "PICTURE_WORDS", 10)
    with pytest.raises(PictureError, match=r"reads as \d+ words, over 10$"):
        read_picture(picture)
    assert "words, over 10" in _refused_in_an_irp(tmp_path, picture)
    monkeypatch.setattr(words, "PICTURE_WORDS", PICTURE_WORDS)
    assert words.PICTURE_WORDS == 5_000
    try:  # within the limit the words are read (what they make is the reader's business)
        read_picture(picture)
    except PictureError as why:
        assert "words, over" not in str(why)
