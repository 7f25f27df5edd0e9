"""A word-level redline of clause lines: deletions and insertions marked in place.

Plain markers (``[-deleted-]``, ``{+inserted+}``) for files and pipes; on a terminal, deleted
words are red and struck through, inserted words green and underlined. A line prints as its
cells separated by a tab.
"""

from __future__ import annotations

from spectrace.model import Action, Document
from spectrace.model.refs import GLOSSARY
from spectrace.model.revision import Revision, RevisionLine
from spectrace.transforms.diff import aligned_lines, opcodes

PLAIN = {"delete": ("[-", "-]"), "insert": ("{+", "+}")}
COLOUR = {"delete": ("\x1b[9;31m", "\x1b[0m"), "insert": ("\x1b[4;32m", "\x1b[0m")}


def redline(
    before: list[RevisionLine], after: list[RevisionLine], *, colour: bool = False
) -> list[str]:
    """Return ``after`` with what changed from ``before`` marked word by word.

    Lines (paragraphs, list items, rows) are matched first; a removed line is shown wholly
    deleted, a new one wholly inserted, a changed one marked word by word.
    """
    marks = COLOUR if colour else PLAIN
    lines: list[str] = []
    for i, j, unchanged in aligned_lines(before, after):
        if i is None:
            assert j is not None, "aligned_lines never yields a line missing on both sides"
            lines.append(_mark(_text(after[j]), "insert", marks))
        elif j is None:
            lines.append(_mark(_text(before[i]), "delete", marks))
        else:
            new = _text(after[j])
            lines.append(new if unchanged else words(_text(before[i]), new, marks))
    return lines


def _text(line: RevisionLine) -> str:
    """Return ``line`` as the redline prints it: its cells separated by a tab."""
    return "\t".join(line.cells)


def words(before: str, after: str, marks: dict = PLAIN) -> str:
    """Return ``after`` with the words changed from ``before`` marked."""
    old, new = before.split(" "), after.split(" ")
    out: list[str] = []
    for tag, i1, i2, j1, j2 in opcodes(old, new):
        if tag == "equal":
            out += new[j1:j2]
            continue
        if i2 > i1:
            out.append(_mark(" ".join(old[i1:i2]), "delete", marks))
        if j2 > j1:
            out.append(_mark(" ".join(new[j1:j2]), "insert", marks))
    return " ".join(out)


def _mark(text: str, op: str, marks: dict) -> str:
    start, end = marks[op]
    return f"{start}{text}{end}"


def document_lines(document: Document) -> list[tuple[str, str, list[RevisionLine]]]:
    """Return (clause number, title, lines) for every numbered clause of ``document``, then
    ("Glossary", "", entries), as the database gives them for an edition
    (:meth:`spectrace.store.read.Database.lines`): a line is a block's text (after its label,
    for a list item), a table row's cells, or a glossary entry's term and definition."""
    clauses: list[tuple[str, str, list[RevisionLine]]] = []
    for clause in document.clauses:
        if clause.number is None:
            continue
        lines: list[RevisionLine] = []
        for block in clause.blocks:
            if block.rows:
                lines += [RevisionLine(tuple(row)) for row in block.rows]
            else:
                lines.append(
                    RevisionLine((f"{block.label} {block.text}" if block.label else block.text,))
                )
        clauses.append((clause.number, clause.title, lines))
    glossary = [RevisionLine((entry.term, entry.definition)) for entry in document.glossary]
    return [*clauses, (GLOSSARY, "", glossary)]


#: What a structural revision did to its clause, as the outputs say it.
_ACTIONS = {
    Action.INSERT_CLAUSE: "clause inserted",
    Action.DELETE_CLAUSE: "clause deleted",
    Action.WITHDRAW_CLAUSE: "clause withdrawn",
}


def structural_summary(revision: Revision, after: str = "") -> str:
    """Return what a revision did to its clause as a whole, as plain text: "clause inserted"
    (" after 4.6.4.9", when ``after`` names the clause before it), "clause deleted", "clause
    withdrawn", "renumbered from 4.6.4.9", "heading renamed from “Old” to “New”" (joined by
    "; "); "" for a revision that only changed the clause's text."""
    parts = []
    if revision.action in _ACTIONS:
        where = f" after {after}" if after and revision.action is Action.INSERT_CLAUSE else ""
        parts.append(_ACTIONS[revision.action] + where)
    if revision.action is Action.RENUMBER_CLAUSE and revision.number_before:
        parts.append(f"renumbered from {revision.number_before}")
    before, now = revision.title_before, revision.title_after
    if before is not None and now is not None and before != now:
        parts.append(f"heading renamed from “{before}” to “{now}”")
    return "; ".join(parts)
