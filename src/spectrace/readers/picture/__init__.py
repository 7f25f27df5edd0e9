"""Read a mark-up that is a picture: OCR with Tesseract, each word classified kept, inserted or
deleted by how it is drawn, then laid out as mark-up blocks.

The reading is raw: OCR confuses letters (``1``/``l``/``I``) and leaves debris of formatting
marks. :mod:`spectrace.transforms.reconcile` then checks it against the clause it amends and
corrects what it can; only what reconciles exactly is applied.

    pixels (decode within limits, whiten formatting marks, change bars, grid lines)
      -> words (Tesseract; colour, underline and strike line per word)
      -> layout (lines, paragraphs, list items, heading line, table rows)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spectrace.model import Change, MarkupBlock, Op
from spectrace.model.proposal import NOT_CHECKED, PICTURE, MarkupStyle
from spectrace.readers.picture.layout import blocks_of, confidence, has_marks
from spectrace.readers.picture.pixels import PictureError, prepare
from spectrace.readers.picture.words import classify, read_words

__all__ = ["PictureError", "Reading", "give", "read_picture"]

#: An inserted word OCR reads with less confidence than this (0–100) is doubtful: however
#: well it reads, the change is unverified until a reviewer has looked.
SURE_WORD = 90


@dataclass
class Reading:
    """What a picture says: its mark-up blocks and how sure the reading is (0–1)."""

    blocks: list[MarkupBlock] = field(default_factory=list)
    confidence: float = 0.0
    doubtful: list[str] = field(default_factory=list)  # inserted words read with low confidence


def give(change: Change, readings: list[Reading]) -> None:
    """Make ``change`` the mark-up its pictures' ``readings`` show, in order: read from a
    picture, as sure as its least sure picture, unverified until checked against its clause
    (:func:`spectrace.transforms.reconcile.reconcile_pictures`)."""
    change.source = PICTURE
    change.markup = [block for reading in readings for block in reading.blocks]
    change.confidence = min((r.confidence for r in readings), default=0.0)
    change.doubtful = " ".join(sorted({word for r in readings for word in r.doubtful}))
    change.unverified = NOT_CHECKED


def read_picture(data: bytes, style: MarkupStyle | None = None) -> Reading:
    """Return the mark-up the picture ``data`` shows; raise PictureError saying why it cannot
    be read (not a picture, too large, no text, no marks, Tesseract missing)."""
    page = prepare(data)
    words = classify(page, read_words(page), style or MarkupStyle())
    if not words:
        raise PictureError("no text can be read in the picture")
    blocks = blocks_of(page, words)
    if not has_marks(blocks):
        raise PictureError("the picture shows no inserted or deleted text")
    doubtful = [w.text for w in words if w.op is Op.INSERT and w.confidence < SURE_WORD]
    return Reading(blocks, confidence(words), sorted(set(doubtful)))
