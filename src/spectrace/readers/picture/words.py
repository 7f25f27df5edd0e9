"""The words of a picture: read by Tesseract, each classified kept, inserted or deleted by how
it is drawn (its colour, an underline, a line through it)."""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass

import numpy as np

from spectrace.limits import PICTURE_OCR_SECONDS, PICTURE_WORDS
from spectrace.model import Op
from spectrace.model.proposal import MarkupStyle
from spectrace.readers.picture.pixels import Page, PictureError, coloured, ink

#: A row of a word's box this full of ink is a line drawn through or under it.
RULED = 0.85
#: Characters OCR makes of formatting marks, glued to words: ``ESME:shall``, ``-be``.
_GLUE = re.compile(r"[·:\-]+")
_INSTALL = (
    "Tesseract is not installed, so picture mark-ups cannot be read; install it "
    "(Debian: apt install tesseract-ocr tesseract-ocr-eng)"
)


@dataclass
class Word:
    """One word as read: its text, box (left, top, right, bottom), OCR confidence (0–100),
    the line Tesseract put it in, and what the mark-up does to it."""

    text: str
    box: tuple[int, int, int, int]
    confidence: float
    line: tuple[int, int, int]
    op: Op = Op.KEEP
    sure: bool = True  # False when its colour says changed but no line says how

    @property
    def middle(self) -> tuple[float, float]:
        left, top, right, bottom = self.box
        return (left + right) / 2, (top + bottom) / 2


def read_words(page: Page) -> list[Word]:
    """Return the words Tesseract reads in ``page``, in reading order."""
    try:
        import pytesseract
    except ImportError:  # pragma: no cover - a runtime dependency
        raise PictureError(_INSTALL) from None
    # Tesseract's own threads only slow it on a small machine running a process a core.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        data = pytesseract.image_to_data(
            page.pixels,
            lang="eng",
            config="--psm 6",
            output_type=pytesseract.Output.DICT,
            timeout=PICTURE_OCR_SECONDS,
        )
    except pytesseract.TesseractNotFoundError:
        raise PictureError(_INSTALL) from None
    except RuntimeError as exc:
        if "timeout" not in str(exc).lower():
            raise PictureError(f"Tesseract could not read the picture ({exc})") from None
        raise PictureError(
            f"reading the picture took longer than {PICTURE_OCR_SECONDS} seconds"
        ) from None
    except pytesseract.TesseractError as exc:
        raise PictureError(f"Tesseract could not read the picture ({exc})") from None
    words = []
    for index, text in enumerate(data["text"]):
        if not text.strip():
            continue
        left, top = data["left"][index], data["top"][index]
        box = (left, top, left + data["width"][index], top + data["height"][index])
        line = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
        words.append(Word(text.strip(), box, float(data["conf"][index]), line))
    if len(words) > PICTURE_WORDS:
        raise PictureError(f"the picture reads as {len(words):,} words, over {PICTURE_WORDS:,}")
    return words


def classify(page: Page, words: list[Word], style: MarkupStyle) -> list[Word]:
    """Give each word its op; a word whose pieces are drawn differently (``only·following``
    read as one) is split where OCR glued it."""
    mask = ink(page.pixels)
    colour = coloured(page.pixels)
    result: list[Word] = []
    for word in words:
        pieces = [part for glued in _split(word) for part in _split_by_rules(page, glued)]
        for piece in pieces:
            ruled = _ruled(page, piece.box)
            if ruled is not None and (
                _wide(piece.box) or _tinted(mask, colour, piece.box) or _runs_on(page, piece.box)
            ):
                piece.op, piece.sure = ruled, True
            else:
                piece.op, piece.sure = _op(page.pixels, mask, colour, piece.box, style)
        if len({piece.op for piece in pieces}) > 1:
            result += pieces
        else:
            word.op, word.sure = pieces[0].op, all(piece.sure for piece in pieces)
            result.append(word)
    return result


def _ruled(page: Page, box: tuple[int, int, int, int]) -> Op | None:
    """Return DELETE when a rule taken out of the picture ran through the word's box, INSERT
    when one ran under it, else None."""
    left, top, right, bottom = box
    height, width = bottom - top, right - left
    if width <= 0 or height <= 0:
        return None
    through = under = 0
    for rule in page.rules:
        overlap = min(rule.right, right) - max(rule.left, left)
        if overlap < 0.6 * width:
            continue
        if top + 0.25 * height <= rule.y <= top + 0.8 * height:
            through += 1
        elif top + 0.8 * height < rule.y <= bottom + height / 3:
            under += 1
    if through:
        return Op.DELETE
    if under:
        return Op.INSERT
    return None


def _split_by_rules(page: Page, word: Word) -> list[Word]:
    """Return ``word`` cut where the rule under or through it changes: Word draws a
    replacement's deleted and inserted text side by side ("tenfive"), which OCR reads as one
    word."""
    left, top, right, bottom = word.box
    width, height = right - left, bottom - top
    if width <= 0 or height <= 0 or len(word.text) < 2:
        return [word]
    kinds = np.zeros(width, dtype=np.int8)  # 0 none, 1 through (deleted), 2 under (inserted)
    for rule in page.rules:
        start, end = max(rule.left, left) - left, min(rule.right, right) - left
        if end <= start:
            continue
        if top + 0.25 * height <= rule.y <= top + 0.8 * height:
            kinds[start:end] = 1
        elif top + 0.8 * height < rule.y <= bottom + height / 3:
            kinds[start:end] = np.where(kinds[start:end] == 1, 1, 2)
    runs = [(a, b, int(kinds[a])) for a, b in _runs(kinds) if b - a >= 0.15 * width]
    if len({kind for _, _, kind in runs}) < 2:
        return [word]
    pieces = []
    for a, b, _ in runs:
        first = round(a / width * len(word.text))
        last = round(b / width * len(word.text))
        if last > first:
            box = (left + a, top, left + b, bottom)
            pieces.append(Word(word.text[first:last], box, word.confidence, word.line))
    return pieces or [word]


def _runs(values: np.ndarray) -> list[tuple[int, int]]:
    """Return the runs of equal values as (start, end)."""
    edges = [0, *(np.flatnonzero(np.diff(values)) + 1).tolist(), len(values)]
    return list(itertools.pairwise(edges))


def _split(word: Word) -> list[Word]:
    """Return ``word`` cut at its glue characters, each piece with its share of the box."""
    parts = [(m.start(), m.end()) for m in re.finditer(r"[^·:\-]+", word.text)]
    if len(parts) < 2:
        return [Word(word.text, word.box, word.confidence, word.line)]
    left, top, right, bottom = word.box
    step = (right - left) / max(len(word.text), 1)
    return [
        Word(
            word.text[start:end],
            (int(left + start * step), top, int(left + end * step), bottom),
            word.confidence,
            word.line,
        )
        for start, end in parts
    ]


def _op(
    pixels: np.ndarray,
    mask: np.ndarray,
    colour: np.ndarray,
    box: tuple[int, int, int, int],
    style: MarkupStyle,
) -> tuple[Op, bool]:
    left, top, right, bottom = box
    height = bottom - top
    if right - left < 2 or height < 4:
        return Op.KEEP, True
    below = min(mask.shape[0], bottom + max(3, height // 4))
    region = mask[top:below, left:right]
    coverage = region.mean(axis=1)
    middle = coverage[int(0.3 * height) : int(0.72 * height) + 1]
    under = coverage[int(0.78 * height) :]
    is_coloured = _tinted(mask, colour, box)
    # A short word's own strokes can fill a row ("1", "a"): its line counts only when it is
    # coloured like a revision too.
    trusted = is_coloured or _wide(box)
    if trusted and middle.size and middle.max() >= RULED:
        return Op.DELETE, True
    if trusted and under.size and under.max() >= RULED:
        return Op.INSERT, True
    if not is_coloured:
        return Op.KEEP, True
    tinted = colour[top:bottom, left:right] & mask[top:bottom, left:right]
    shade = np.median(pixels[top:bottom, left:right][tinted], axis=0)
    insert = _nearest(shade, style.insert_colors)
    delete = _nearest(shade, style.delete_colors)
    if min(insert, delete) < 120:
        return (Op.INSERT if insert <= delete else Op.DELETE), True
    return Op.KEEP, False


def _runs_on(page: Page, box: tuple[int, int, int, int]) -> bool:
    """Whether a rule along the word runs on past it (a line struck or drawn through several
    words, not a stroke of this one's letters)."""
    left, top, right, bottom = box
    reach = 0.5 * (bottom - top)
    return any(
        rule.left <= left
        and rule.right >= right
        and (left - rule.left >= reach or rule.right - right >= reach)
        and top <= rule.y <= bottom + (bottom - top) / 3
        for rule in page.rules
    )


def _tinted(mask: np.ndarray, colour: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Whether most of a word's ink is coloured."""
    left, top, right, bottom = box
    inked = mask[top:bottom, left:right]
    return bool(
        inked.sum() > 0 and (colour[top:bottom, left:right] & inked).sum() >= 0.5 * inked.sum()
    )


def _wide(box: tuple[int, int, int, int]) -> bool:
    """Whether a word is wide enough (half again its height) that a line along it is not one
    of its own strokes ("1", "a" and "ll" can fill a row)."""
    left, top, right, bottom = box
    return right - left >= 1.5 * (bottom - top)


def _nearest(shade: np.ndarray, colours: frozenset[str]) -> float:
    """Return the distance from ``shade`` (RGB) to the nearest of ``colours`` (hex)."""
    best = float("inf")
    for hex_colour in colours:
        rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (0, 2, 4)], dtype=float)
        best = min(best, float(np.linalg.norm(shade.astype(float) - rgb)))
    return best
