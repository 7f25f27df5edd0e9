"""reStructuredText for the site's sources: document text escaped, markup built on purpose.

Every value a template inserts is escaped (:func:`escape`) unless it is an :class:`RST`, which
only the helpers here make: a role around escaped content, a heading, a paragraph whose words
are escaped and whose links and marks are roles. So text from a document never becomes markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docutils.utils import column_width

from spectrace.writers.rst_text import block, inline

UNDERLINES = "=-~^\"'`+#*"
_CLASSIFIER = re.compile(r"(?<= ):(?= )")
_ROLE_SPECIAL = re.compile(r"[\\`<>]")


class RST(str):
    """Text that is reStructuredText already: templates insert it as it is."""

    __slots__ = ()


def squash(text: object) -> str:
    """Return ``text`` as a string on one line, runs of white space made one space."""
    return " ".join(str(text).split())


def escape(value: object) -> RST:
    """Return ``value`` as it is when it is RST, else its text escaped to read back as itself
    wherever it stands (start of a paragraph, list item, cell, title, or mid-line)."""
    if isinstance(value, RST):
        return value
    if value is None:
        return RST("")
    return RST(block(squash(value)))


def option(value: object) -> RST:
    """Return ``value`` for a directive option or argument: read raw, so only kept on one line."""
    return RST(squash(value))


def role_text(text: str) -> str:
    """Return ``text`` escaped for the inside of a role (backslash, backtick, angle brackets)."""
    return _ROLE_SPECIAL.sub(lambda m: "\\" + m.group(0), squash(text))


def role(name: str, text: str, target: str | None = None) -> RST:
    """Return ``:name:`text``` or ``:name:`text <target>```, both parts escaped."""
    if target is None:
        return RST(f":{name}:`{role_text(text)}`")
    return RST(f":{name}:`{role_text(text)} <{role_text(target)}>`")


def heading(text: object, depth: int, *, guard: bool = False) -> RST:
    """Return a section title and its underline for nesting ``depth`` (1 is the page title).

    ``guard`` escapes the first character even where that changes nothing in the text: for an
    unnumbered heading whose title starts like a clause number, which is not a clause.
    """
    title = escape(text) or "\\ "
    if guard and not title.startswith("\\"):
        title = "\\" + title
    char = UNDERLINES[min(depth, len(UNDERLINES)) - 1]
    width = len(title) if title.isascii() else column_width(title)  # docutils' is slow
    return RST(f"{title}\n{char * max(width, 1)}")


def term_line(term: str) -> RST:
    """Return a glossary term escaped for a definition list (" : " would start a classifier)."""
    return RST(_CLASSIFIER.sub(r"\\:", escape(term)) or "\\ ")


def indent(text: str, spaces: int, *, first: bool = False) -> RST:
    """Return ``text`` with its lines indented, the first one too when ``first``."""
    pad = " " * spaces
    lines = text.split("\n")
    return RST(
        "\n".join(
            pad + line if line and (index or first) else line for index, line in enumerate(lines)
        )
    )


def joined(items, separator: str = ", ") -> RST:
    """Return ``items`` (each escaped unless RST) joined by ``separator``."""
    return RST(separator.join(escape(item) for item in items))


def definition(text: str) -> RST:
    """Return a glossary definition escaped; an empty one as an empty comment."""
    return RST(escape(text) or "..")


def join(pieces: Iterable[str | RST]) -> RST:
    """Return plain text pieces (escaped) and RST pieces (as they are) as one line.

    A role needs white space or punctuation beside it; where a neighbour is a word character,
    an escaped space (which shows as nothing) separates them.
    """
    out: list[str] = []
    previous: str | RST | None = None
    for piece in pieces:
        if not piece:
            continue
        text: str
        if isinstance(piece, RST):
            text = piece
            if previous is not None and _needs_gap(out[-1][-1:], text[:1], True):
                out.append("\\ ")
        else:
            text = block(piece) if not out else inline(piece)
            if isinstance(previous, RST) and _needs_gap(out[-1][-1:], piece[:1], False):
                out.append("\\ ")
        out.append(text)
        previous = piece
    return RST("".join(out))


def _needs_gap(before: str, after: str, role_after: bool) -> bool:
    if role_after:
        return not before.isspace() and before not in "([{'\"-/:<‘“"
    return not after.isspace() and after not in ")]}'\".,;:!?-/>’”"


# Marks -------------------------------------------------------------------------------------


def marked(marks, *, labels: bool = True, whole: tuple[str, str, int] | None = None) -> RST:
    """Return marked words as one line: unchanged words escaped, runs of inserted or deleted
    words as ``:ins:``/``:del:`` roles, each group of one change labelled with its IRP and
    change number (when ``labels``).

    ``whole`` = (op, irp, change) marks a line wholly inserted or deleted by one change: its
    unchanged words are shown as that op.
    """
    runs = _runs(marks, whole)
    pieces: list[str | RST] = []
    for index, (op, irp, change, words) in enumerate(runs):
        text = " ".join(words)
        if op == "keep":
            pieces += [text, " "]
            continue
        following = runs[index + 1] if index + 1 < len(runs) else None
        last_of_change = (
            following is None or following[0] == "keep" or following[1:3] != (irp, change)
        )
        name = "ins" if op == "insert" else "del"
        if labels and irp and last_of_change:
            pieces += [role(name, text, f"{irp}#{change}" if change else irp), " "]
        else:
            pieces += [role(name, text), " "]
    return join(pieces[:-1])


def _runs(marks, whole):
    """Group consecutive marks of one op and one change: [(op, irp, change, [words])]."""
    runs: list[tuple[str, str, int, list[str]]] = []
    for item in marks:
        op, irp, change = str(item.op), item.irp, item.change
        if whole is not None and op == "keep":
            op, irp, change = whole
        if runs and runs[-1][:3] == (op, irp, change):
            runs[-1][3].append(item.text)
        else:
            runs.append((op, irp, change, [item.text]))
    return runs
