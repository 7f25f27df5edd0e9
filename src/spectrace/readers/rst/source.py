"""Read and parse one reStructuredText source (a spec-as-code or IRP-as-code file).

The one place that reads an RST file and hands it to docutils. A source is refused, with one
:class:`~spectrace.errors.ReadError` naming the file and line, when it is not a regular UTF-8
file within :data:`~spectrace.limits.RST_FILE_BYTES`, holds a control character, nests blocks
deeper than :data:`~spectrace.limits.RST_DEPTH`, or when docutils reports anything about it
that could change what it reads (every warning and error, and the notes where it guessed,
such as a heading underline too short to be one). The first such problem stops the parse, so
no source costs more than reading it up to there.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.parsers.rst.states import Inliner
from docutils.utils import new_document

from spectrace.errors import ReadError
from spectrace.fileio import read_text_input
from spectrace.limits import RST_BLOCKS, RST_DEPTH, RST_FILE_BYTES, RST_PARAGRAPH_CHARS
from spectrace.readers.rst import markup
from spectrace.text import squash

#: Control characters (other than tab and line ends) and the two non-characters XML refuses:
#: docutils drops a NUL (it marks its escapes with one) and the Word writer cannot write them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
#: What docutils (str.splitlines) counts as a line end, for line numbers that agree with it.
_LINE_END = re.compile("\r\n|[\n\r\u2028\u2029]")
#: What opens a nested block on the same line as its parent: a bullet, an enumerator, a field
#: name, a directive or footnote, a line-block bar or a table cell's border.
_OPENER = re.compile(
    r"(?:[-+*•‣⁃]|\(?(?:\d+|[A-Za-z]|[ivxlcdm]+|[IVXLCDM]+|#)[.)]|:[^:\s][^:]*:|\|"
    r"|\.\.[ \t]+(?:\[[^\]]*\]|(?:\|[^|]*\|[ \t]+)?[^\s]+?::))(?:[ \t]+|$)"
)
#: docutils' notes (INFO messages) that change nothing it reads; any other note is refused.
#: (A directive or role it cannot find by its English name is also reported as an error.)
_HARMLESS_NOTES = (
    "Enumerated list start value not ordinal-1",
    "No directive entry for",
    "No role entry for",
)
#: Harmless for two headings of one title, which specifications have ("General"); for links
#: it is refused, as docutils' handling of each costs time in proportion to the section.
_DUPLICATE_TITLE = "Duplicate implicit target name"


def read_source(path: Path) -> str:
    """Return the text of the RST source ``path``, checked as this module describes."""
    text = read_text_input(path, limit=RST_FILE_BYTES)
    check_text(text, str(path))
    return text


def check_text(text: str, file: str) -> None:
    """Refuse ``text`` if it holds a control character or nests blocks too deeply."""
    control = _CONTROL.search(text)
    if control:
        raise ReadError(
            f"holds the control character U+{ord(control.group()):04X}",
            file=file,
            where=f"line {_line_at(text, control.start())}",
        )
    for number, depth in depths(text):
        if depth > RST_DEPTH:
            raise ReadError(
                f"nests blocks (block quotes, lists, directives) deeper than {RST_DEPTH}",
                file=file,
                where=f"line {number}",
            )


def depths(text: str) -> Iterator[tuple[int, int]]:
    """Yield (line number, how deep its blocks nest) for each line of ``text`` with text.

    One pass over the lines: the indentations of the blocks still open are kept on a stack
    (a line closes those indented deeper than itself), and a line adds the blocks it opens
    before its text ("- - text", ".. note:: text"). docutils parses each level by recursion;
    what this estimate misses, the parse itself guards against (:func:`parse_text`).
    """
    stack = [0]
    for number, line in enumerate(text.splitlines(), start=1):
        body = line.lstrip(" \t")
        if not body:
            continue
        indent = len(line[: len(line) - len(body)].expandtabs(8))
        while indent < stack[-1]:
            stack.pop()
        if indent > stack[-1]:
            stack.append(indent)
        yield number, len(stack) - 1 + _openers(body)


def _openers(body: str) -> int:
    """Return how many blocks ``body`` (a line without its indentation) opens before its text."""
    count, position = 0, 0
    while match := _OPENER.match(body, position):
        count, position = count + 1, match.end()
    return count


def _line_at(text: str, position: int) -> int:
    return sum(1 for _ in _LINE_END.finditer(text, 0, position)) + 1


def parse(path: Path) -> nodes.document:
    """Return the doctree of the RST source ``path``; any problem is a ReadError."""
    return parse_text(read_source(path), str(path))


def parse_text(text: str, file: str) -> nodes.document:
    """Return the doctree of ``text`` (already checked), read as the source ``file``."""
    _check_blocks(text, file)
    settings = get_default_settings(Parser)
    settings.report_level = 5
    settings.halt_level = 5
    settings.warning_stream = io.StringIO()
    settings.file_insertion_enabled = False
    settings.raw_enabled = False
    settings.character_level_inline_markup = False
    settings.line_length_limit = RST_FILE_BYTES  # paragraphs are limited instead (_limited_inliner)
    tree = new_document(file, settings)
    tree.reporter.attach_observer(lambda message: _refuse(message, tree, file))
    try:
        with markup.registered():
            Parser(inliner=_limited_inliner()).parse(text, tree)
    except RecursionError:
        raise ReadError(
            "is nested too deeply, or holds too many links in a row, for docutils to read",
            file=file,
        ) from None
    return tree


def _check_blocks(text: str, file: str) -> None:
    """Refuse ``text`` if it holds more than :data:`~spectrace.limits.RST_BLOCKS` blocks (a
    line with text after a blank line): docutils' time grows with them, not with bytes."""
    blocks, blank = 0, True
    for line in text.splitlines():
        filled = bool(line.strip())
        blocks += filled and blank
        blank = not filled
        if blocks > RST_BLOCKS:
            raise ReadError(
                f"holds more than {RST_BLOCKS:,} blocks (paragraphs, list items, headings) "
                "outside spectrace's own form, more than docutils reads in a minute; split it",
                file=file,
            )


def _refuse(message: nodes.system_message, tree: nodes.document, file: str) -> None:
    """Raise the docutils ``message`` as a ReadError, unless it is a harmless note."""
    detail = squash(message.children[0].astext() if message.children else message.astext())
    if not _harmless(message, detail, tree):
        line = message.get("line")
        raise ReadError(detail, file=file, where=f"line {line}" if line else None)


def _harmless(message: nodes.system_message, detail: str, tree: nodes.document) -> bool:
    if message["level"] >= 2:
        return False
    if detail.startswith(_DUPLICATE_TITLE):
        return any(isinstance(tree.ids.get(id), nodes.section) for id in message["backrefs"])
    return detail.startswith(_HARMLESS_NOTES)


def _limited_inliner() -> Inliner:
    """Return docutils' inline parser, refusing a paragraph too long for it (see
    RST_PARAGRAPH_CHARS). Wrapped, not subclassed: it builds its patterns from the variables
    of its own class."""
    inliner = Inliner()
    inline = inliner.parse

    def limited(
        text: str, lineno: int, memo: SimpleNamespace, parent: nodes.Element
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        if len(text) > RST_PARAGRAPH_CHARS:
            memo.reporter.error(
                f"a paragraph of {len(text):,} characters is over the limit of "
                f"{RST_PARAGRAPH_CHARS:,} for hand-written sources; split it",
                line=lineno,
            )
        return inline(text, lineno, memo, parent)

    # Replacing the method on this one instance is the point (see above); mypy refuses any
    # assignment to a method, however well the types match.
    inliner.parse = limited  # type: ignore[method-assign]
    return inliner
