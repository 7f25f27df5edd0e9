"""A picture as pixels: decoded within limits, its ink found, and what is not text taken out.

Word shows formatting marks (``·`` between words, ``¶``, ``→``) and change bars in the margin;
OCR reads them as stray characters glued to the words (``ESME:shall-be``). They are found by
their shape and whitened before OCR; table grid lines are found and whitened too, and give
the table's rows and columns.
"""

from __future__ import annotations

import io
import itertools
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PIL import Image, UnidentifiedImageError

from spectrace.limits import PICTURE_BYTES, PICTURE_PIXELS

#: A pixel is ink when darker than this (0–255, the mean of its channels) ...
DARK = 170
#: ... or coloured: its channels spread by more than this.
COLOURED = 80
#: A text line lower than this many pixels cannot be read; smaller pictures are enlarged.
SMALL_LINE = 24


class PictureError(Exception):
    """The picture cannot be read; the message says why (it becomes the change's problem)."""


@dataclass
class Grid:
    """A table drawn as a grid: the y of each horizontal line, the x of each vertical one."""

    rows: list[int] = field(default_factory=list)
    columns: list[int] = field(default_factory=list)

    def cell(self, x: float, y: float) -> tuple[int, int] | None:
        """Return (row, column) of the cell holding the point, or None outside the grid."""
        row = _between(self.rows, y)
        column = _between(self.columns, x)
        return None if row is None or column is None else (row, column)


def _between(lines: list[int], value: float) -> int | None:
    for index, (low, high) in enumerate(itertools.pairwise(lines)):
        if low <= value < high:
            return index
    return None


@dataclass(frozen=True)
class Rule:
    """A thin horizontal line drawn under or through text: row ``y``, columns ``left`` to
    ``right`` (exclusive), in the picture as OCR sees it."""

    y: int
    left: int
    right: int


@dataclass
class Page:
    """The decoded picture (RGB), cleaned for OCR, and what cleaning found."""

    pixels: np.ndarray
    scale: int = 1
    marks: int = 0  # formatting marks (middle dots) taken out
    bars: list[tuple[int, int]] = field(default_factory=list)  # rows spanned by change bars
    grid: Grid | None = None
    rules: list[Rule] = field(default_factory=list)  # underlines and strike lines taken out


def decode(data: bytes) -> np.ndarray:
    """Return the picture ``data`` as an RGB array; refuse what is not a picture the reader can
    decode, or one over the limits (checked from the header, before decoding)."""
    if len(data) > PICTURE_BYTES:
        raise PictureError(f"the picture is {len(data):,} bytes, over {PICTURE_BYTES:,}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > PICTURE_PIXELS:
                raise PictureError(
                    f"the picture is {width} x {height} pixels, over {PICTURE_PIXELS:,} in all"
                )
            if image.format not in {"PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP"}:
                raise PictureError(f"a {image.format or 'unknown'} picture cannot be read")
            image.load()
            shown: Image.Image = image
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                # A transparent picture shows on a white page: compose it on white.
                white = Image.new("RGBA", image.size, (255, 255, 255, 255))
                shown = Image.alpha_composite(white, image.convert("RGBA"))
            rgb = shown.convert("RGB")
    except PictureError:
        raise
    except UnidentifiedImageError:
        raise PictureError("not a picture that can be decoded (no image format knows it)") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise PictureError(f"not a picture that can be decoded ({exc})") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refuses it from the header, before PICTURE_PIXELS is looked at.
        raise PictureError(
            f"the picture is too large to decode: over {PICTURE_PIXELS:,} pixels in all"
        ) from None
    return np.asarray(rgb).copy()


def ink(pixels: np.ndarray) -> np.ndarray:
    """Return where ``pixels`` has ink: dark or coloured."""
    wide = pixels.astype(np.int16)
    spread = wide.max(axis=2) - wide.min(axis=2)
    return (wide.mean(axis=2) < DARK) | (spread > COLOURED)


def coloured(pixels: np.ndarray) -> np.ndarray:
    wide = pixels.astype(np.int16)
    return (wide.max(axis=2) - wide.min(axis=2)) > COLOURED


def bands(rows: Any) -> list[tuple[int, int]]:
    """Return the runs of True in ``rows`` as (start, end)."""
    padded = np.concatenate([[False], rows, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def prepare(data: bytes) -> Page:
    """Return the picture decoded and cleaned for OCR."""
    pixels = decode(data)
    page = Page(pixels)
    mask = ink(pixels)
    if not mask.any():
        raise PictureError("the picture has no text")
    if mask.mean() > 0.4:  # text covers a fraction of its page; a photo or noise most of it
        raise PictureError("the picture is not text on a plain background")
    page.grid = _take_grid(page, mask)
    page.bars = _take_bars(page, mask)
    lines = bands(mask.any(axis=1))
    heights = sorted(end - start for start, end in lines)
    typical = heights[len(heights) // 2]
    page.marks = _take_marks(page, mask, lines)
    page.rules = _take_rules(page, ink(page.pixels), typical)
    if typical < SMALL_LINE:  # OCR reads small text better enlarged
        page.scale = 2 if typical * 2 >= SMALL_LINE else 3
        image = Image.fromarray(page.pixels)
        image = image.resize(
            (image.width * page.scale, image.height * page.scale), Image.Resampling.LANCZOS
        )
        page.pixels = np.asarray(image).copy()
        page.rules = [
            Rule(r.y * page.scale, r.left * page.scale, r.right * page.scale) for r in page.rules
        ]
        if page.grid:
            page.grid = Grid(
                [y * page.scale for y in page.grid.rows],
                [x * page.scale for x in page.grid.columns],
            )
    return page


def _take_rules(page: Page, mask: np.ndarray, typical: int) -> list[Rule]:
    """Whiten thin horizontal lines at least a line's height long (underlines and strike
    lines: OCR misreads the words they cross); return them, a rule a row."""
    height = mask.shape[0]
    shortest = max(typical, 8)
    thickest = max(2, typical // 6)
    found: list[Rule] = []
    runs_by_row: list[list[tuple[int, int]]] = []
    for y in range(height):
        row = mask[y]
        runs = [(a, b) for a, b in bands(row) if b - a >= shortest] if row.sum() >= shortest else []
        runs_by_row.append(runs)
    for y, runs in enumerate(runs_by_row):
        for left, right in runs:
            # A rule is thin: the rows a little above and below it are not inked along it.
            above = mask[max(y - thickest - 1, 0), left:right].mean() if y > 0 else 0.0
            below = mask[min(y + thickest + 1, height - 1), left:right].mean()
            if above < 0.6 or below < 0.6:
                found.append(Rule(y, left, right))
    # A rule crosses letters: where a stroke runs on above or below it, the pixels are the
    # letter's and stay; elsewhere the rule is whitened.
    rows = {(rule.y, rule.left): rule for rule in found}
    for rule in found:
        if (rule.y - 1, rule.left) in rows:
            continue  # not the top row of its rule
        bottom = rule.y
        while (bottom + 1, rule.left) in rows:
            bottom += 1
        above = mask[max(rule.y - 1, 0), rule.left : rule.right]
        below = mask[min(bottom + 1, height - 1), rule.left : rule.right]
        clear = ~(above | below)
        for y in range(rule.y, bottom + 1):
            page.pixels[y, rule.left : rule.right][clear] = 255
    return found


def _take_grid(page: Page, mask: np.ndarray) -> Grid | None:
    """Whiten long straight lines; return them as a grid when they make one (two or more
    horizontal and vertical lines), else None."""
    height, width = mask.shape
    # A grid line is one unbroken run across half the picture: underlines of several cells
    # of one row add up to as much ink, but in pieces.
    horizontal = [
        y
        for y in np.flatnonzero(mask.sum(axis=1) >= 0.5 * width).tolist()
        if max(end - start for start, end in bands(mask[y])) >= 0.5 * width
    ]
    vertical = [
        x
        for x in np.flatnonzero(mask.sum(axis=0) >= 0.5 * height).tolist()
        if max(end - start for start, end in bands(mask[:, x])) >= 0.5 * height
    ]
    rows = [start for start, _ in bands(_flags(height, horizontal))]
    columns = [start for start, _ in bands(_flags(width, vertical))]
    if len(rows) < 2 or len(columns) < 2:
        return None
    for y in horizontal:
        page.pixels[y, :] = 255
        mask[y, :] = False
    for x in vertical:
        page.pixels[:, x] = 255
        mask[:, x] = False
    return Grid(rows, columns)


def _flags(size: int, indices: list[int]) -> np.ndarray:
    flags = np.zeros(size, dtype=bool)
    flags[indices] = True
    return flags


def _take_bars(page: Page, mask: np.ndarray) -> list[tuple[int, int]]:
    """Whiten change bars: thin vertical lines in the left margin, clear of the text."""
    columns = mask.any(axis=0)
    runs = bands(columns)
    if len(runs) < 2:
        return []
    first, second = runs[0], runs[1]
    thin = first[1] - first[0] <= 6
    clear = second[0] - first[1] >= 4
    column_rows = mask[:, first[0] : first[1]].any(axis=1)
    tall = max((end - start for start, end in bands(column_rows)), default=0)
    if not (thin and clear and tall >= 8):
        return []
    found = bands(column_rows)
    page.pixels[:, first[0] : first[1]] = 255
    mask[:, first[0] : first[1]] = False
    return found


def _take_marks(page: Page, mask: np.ndarray, lines: list[tuple[int, int]]) -> int:
    """Whiten the middle dots Word shows between words; return how many there were.

    A middle dot is a small, roughly square blob alone in its columns, in the middle of its
    line's height: not a full stop (on the baseline), a hyphen (wider than high) or a colon
    (two blobs).
    """
    taken = 0
    for top, bottom in lines:
        height = bottom - top
        if height < 6:
            continue
        # Rows low in the line hold underlines, which run under the dots between inserted
        # words: the dot is looked for above them.
        upper = mask[top : top + int(0.72 * height)]
        for start, end in bands(upper.any(axis=0)):
            width = end - start
            if width > 0.3 * height:
                continue
            rows = upper[:, start:end].any(axis=1)
            if len(bands(rows)) != 1:
                continue
            ys = np.flatnonzero(rows)
            tall = ys[-1] - ys[0] + 1
            middle = (ys[0] + ys[-1]) / 2 / height
            square = width <= 2 * tall and tall <= 2 * width
            if tall <= 0.3 * height and square and 0.3 < middle < 0.62:
                page.pixels[top : top + int(0.72 * height), start:end] = 255
                taken += 1
    return taken
