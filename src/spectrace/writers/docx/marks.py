"""Tracked changes: marked words as ``w:ins`` / ``w:del`` runs, and marked paragraph and row marks.

Every change names its IRP as the author and carries the IRP's date, so a reviewer sees who
made it and can accept or reject it in Word or LibreOffice. A change whose mark-up was read
from a picture is by "IRP603 (read from a picture)", which Word shows as its author and lets a
reviewer show or hide apart from the IRP's typed changes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

from spectrace.model import Op, Proposal
from spectrace.model.marks import Mark
from spectrace.model.proposal import READ_FROM_PICTURE, picture_changes
from spectrace.writers.docx.xmltext import attr, text

#: The date of a change whose IRP date is unknown: a fixed one, so outputs stay deterministic.
UNKNOWN_DATE = "2000-01-01T00:00:00Z"
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%B %d, %Y")

# Which views show a piece: (accepted, rejected).
_VIEWS = {Op.KEEP: (True, True), Op.INSERT: (True, False), Op.DELETE: (False, True)}

#: Who a tracked change is by: (IRP, whether its change was read from a picture).
Author = tuple[str, bool]
#: How a piece of a line is marked: (op, its author, the author that deleted it afterwards).
_Key = tuple[Op, Author, Author | None]


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
    """Hands out revision attributes: a unique ``w:id``, the IRP as author (marked when the
    change was read from a picture) and the IRP's date."""

    def __init__(self, proposals: Mapping[str, Proposal] | None = None):
        proposals = proposals or {}
        self.dates = {irp: word_date(p.date) for irp, p in proposals.items()}
        self.pictures = set(picture_changes(proposals.values()))
        self.next_id = 1

    def author(self, irp: str, change: int = 0) -> Author:
        """Return who change ``change`` of ``irp`` is by."""
        return irp, (irp, change) in self.pictures

    def attrs(self, irp: str, change: int = 0) -> str:
        """Return ` w:id=… w:author=… w:date=…` for one change made by change ``change`` of
        ``irp``."""
        return self._attrs(self.author(irp, change))

    def _attrs(self, author: Author) -> str:
        irp, picture = author
        ident = self.next_id
        self.next_id += 1
        name = f"{irp} ({READ_FROM_PICTURE})" if picture else irp or "spectrace"
        date = self.dates.get(irp, UNKNOWN_DATE)
        return f' w:id="{ident}" w:author="{attr(name)}" w:date="{date}"'

    def mark(self, op: Op, irp: str, change: int = 0) -> str:
        """Return the ``w:ins``/``w:del`` element that marks a paragraph or row mark ("" for
        an unchanged one)."""
        if op is Op.KEEP:
            return ""
        tag = "w:ins" if op is Op.INSERT else "w:del"
        return f"<{tag}{self.attrs(irp, change)}/>"

    def runs(
        self, marks: list[Mark], line_op: Op = Op.KEEP, line_irp: str = "", line_change: int = 0
    ) -> str:
        """Return the runs of one paragraph or cell whose words carry ``marks``.

        In a line wholly inserted or deleted (``line_op``, by change ``line_change`` of
        ``line_irp``) the unmarked words take the line's mark; a word an earlier IRP inserted
        into a line a later one deleted is an insertion holding a deletion. Spaces go where
        each view (all changes accepted, all rejected) shows them once.
        """
        line = self.author(line_irp, line_change)
        keyed = [(m.text, _key(m.op, self.author(m.irp, m.change), line_op, line)) for m in marks]
        return "".join(self._run(piece, key) for piece, key in _pieces(keyed))

    def _run(self, piece: str, key: _Key) -> str:
        op, author, deleted_by = key
        if op is Op.KEEP:
            return plain_run(piece)
        if op is Op.DELETE:
            return f"<w:del{self._attrs(author)}>{_deleted_run(piece)}</w:del>"
        if deleted_by is not None:
            inner = f"<w:del{self._attrs(deleted_by)}>{_deleted_run(piece)}</w:del>"
            return f"<w:ins{self._attrs(author)}>{inner}</w:ins>"
        return f"<w:ins{self._attrs(author)}>{plain_run(piece)}</w:ins>"


def plain_run(value: str) -> str:
    """Return one run of text."""
    return f'<w:r><w:t xml:space="preserve">{text(value)}</w:t></w:r>'


def _deleted_run(value: str) -> str:
    return f'<w:r><w:delText xml:space="preserve">{text(value)}</w:delText></w:r>'


def _key(op: Op, author: Author, line_op: Op, line: Author) -> _Key:
    """Return (op, author, author that deleted it afterwards) for a word marked ``op`` by
    ``author`` in a line marked ``line_op`` by ``line``."""
    if line_op is Op.INSERT:
        if op is Op.DELETE:
            return Op.INSERT, line, _named(author)
        return Op.INSERT, author if op is Op.INSERT else line, None
    if line_op is Op.DELETE:
        if op is Op.INSERT:
            return Op.INSERT, author, _named(line)
        return Op.DELETE, author if op is Op.DELETE else line, None
    return op, author, None


def _named(author: Author) -> Author | None:
    """Return ``author``, or None for a mark no IRP is named on."""
    return author if author[0] else None


def _pieces(words: list[tuple[str, _Key]]) -> list[tuple[str, _Key]]:
    """Join words into pieces of one key each, with the spaces between words placed so that
    each view shows exactly one space between the words it shows."""
    pieces: list[list] = []
    last: list[int | None] = [None, None]  # the last piece each view shows
    for word, key in words:
        views = (False, False) if key[2] is not None else _VIEWS[key[0]]
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
