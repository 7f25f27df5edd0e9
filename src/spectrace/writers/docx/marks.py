"""Tracked changes: marked words as ``w:ins`` / ``w:del`` runs, and marked paragraph and row marks.

Every change names its IRP as the author and carries the IRP's date, so a reviewer sees who
made it and can accept or reject it in Word or LibreOffice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

from spectrace.model import Op, Proposal
from spectrace.model.marks import Mark
from spectrace.writers.docx.xmltext import attr, text

#: The date of a change whose IRP date is unknown: a fixed one, so outputs stay deterministic.
UNKNOWN_DATE = "2000-01-01T00:00:00Z"
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%B %d, %Y")

# Which views show a piece: (accepted, rejected).
_VIEWS = {Op.KEEP: (True, True), Op.INSERT: (True, False), Op.DELETE: (False, True)}


def word_date(value: str) -> str:
    """Return an IRP date ("2019-07-11", "11 July 2019") as a Word revision date, midnight UTC;
    :data:`UNKNOWN_DATE` when it cannot be read."""
    value = value.strip()
    match = re.match(r"^(\d{4}-\d{2}-\d{2})", value)
    try:
        if match:
            return f"{date.fromisoformat(match.group(1)).isoformat()}T00:00:00Z"
    except ValueError:
        return UNKNOWN_DATE
    for fmt in _DATE_FORMATS:
        try:
            return f"{datetime.strptime(value, fmt).date().isoformat()}T00:00:00Z"
        except ValueError:
            continue
    return UNKNOWN_DATE


class Tracker:
    """Hands out revision attributes: a unique ``w:id``, the IRP as author and its date."""

    def __init__(self, proposals: Mapping[str, Proposal] | None = None):
        self.dates = {irp: word_date(p.date) for irp, p in (proposals or {}).items()}
        self.next_id = 1

    def attrs(self, irp: str) -> str:
        """Return ` w:id=… w:author=… w:date=…` for one change made by ``irp``."""
        ident = self.next_id
        self.next_id += 1
        author = attr(irp or "spectrace")
        return f' w:id="{ident}" w:author="{author}" w:date="{self.dates.get(irp, UNKNOWN_DATE)}"'

    def mark(self, op: Op, irp: str) -> str:
        """Return the ``w:ins``/``w:del`` element that marks a paragraph or row mark ("" for
        an unchanged one)."""
        if op is Op.KEEP:
            return ""
        tag = "w:ins" if op is Op.INSERT else "w:del"
        return f"<{tag}{self.attrs(irp)}/>"

    def runs(self, marks: list[Mark], line_op: Op = Op.KEEP, line_irp: str = "") -> str:
        """Return the runs of one paragraph or cell whose words carry ``marks``.

        In a line wholly inserted or deleted (``line_op``, by ``line_irp``) the unmarked words
        take the line's mark; a word an earlier IRP inserted into a line a later one deleted
        is an insertion holding a deletion. Spaces go where each view (all changes accepted,
        all rejected) shows them once.
        """
        pieces = _pieces([(m.text, _key(m, line_op, line_irp)) for m in marks])
        return "".join(self._run(piece, key) for piece, key in pieces)

    def _run(self, piece: str, key: tuple[Op, str, str]) -> str:
        op, irp, deleted_by = key
        if op is Op.KEEP:
            return plain_run(piece)
        if op is Op.DELETE:
            return f"<w:del{self.attrs(irp)}>{_deleted_run(piece)}</w:del>"
        if deleted_by:
            inner = f"<w:del{self.attrs(deleted_by)}>{_deleted_run(piece)}</w:del>"
            return f"<w:ins{self.attrs(irp)}>{inner}</w:ins>"
        return f"<w:ins{self.attrs(irp)}>{plain_run(piece)}</w:ins>"


def plain_run(value: str) -> str:
    """Return one run of text."""
    return f'<w:r><w:t xml:space="preserve">{text(value)}</w:t></w:r>'


def _deleted_run(value: str) -> str:
    return f'<w:r><w:delText xml:space="preserve">{text(value)}</w:delText></w:r>'


def _key(mark: Mark, line_op: Op, line_irp: str) -> tuple[Op, str, str]:
    """Return (op, IRP, IRP that deleted it afterwards) for a word of a line."""
    op, irp = mark.op, mark.irp
    if line_op is Op.INSERT:
        if op is Op.DELETE:
            return Op.INSERT, line_irp, irp
        return Op.INSERT, irp if op is Op.INSERT else line_irp, ""
    if line_op is Op.DELETE:
        if op is Op.INSERT:
            return Op.INSERT, irp, line_irp
        return Op.DELETE, irp if op is Op.DELETE else line_irp, ""
    return op, irp, ""


def _pieces(words: list[tuple[str, tuple[Op, str, str]]]) -> list[tuple[str, tuple]]:
    """Join words into pieces of one key each, with the spaces between words placed so that
    each view shows exactly one space between the words it shows."""
    pieces: list[list] = []
    last: list[int | None] = [None, None]  # the last piece each view shows
    for word, key in words:
        views = (False, False) if key[2] else _VIEWS[key[0]]
        needed = [shown and last[v] is not None for v, shown in enumerate(views)]
        if any(views) and needed == list(views):
            word = " " + word
        elif any(needed):  # an unchanged word after words that only one view shows
            previous = last[needed.index(True)]
            assert previous is not None, "a view needs a space only after a piece it shows"
            pieces[previous][0] += " "
        elif not any(views) and pieces:
            word = " " + word
        if not (pieces and pieces[-1][1] == key):
            pieces.append(["", key])
        pieces[-1][0] += word
        for v in range(2):
            last[v] = len(pieces) - 1 if views[v] else last[v]
    return [(piece, key) for piece, key in pieces]
