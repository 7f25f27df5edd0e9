"""Find a mark-up's unchanged text in a clause: strict about words, tolerant of the rest.

Both sides become a stream of characters without whitespace, with quotes and dashes folded to
one style, so "Security Log(5.7.5.31)" matches "Security Log (5.7.5.31)" and ’ matches '. Block
boundaries are kept as separator characters, so a mark-up's paragraphs must line up with the
clause's paragraphs (the first and last may be partial: the excerpt may start or end mid-block).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spectrace.text import TYPOGRAPHY

UNIT = "\x1e"  # between paragraphs, list items and table rows
SEGMENT = "\x1f"  # between the cells of a table row


@dataclass
class Stream:
    """Folded characters and, for each, where it came from (None for a separator)."""

    text: str = ""
    origin: list[tuple | None] = field(default_factory=list)

    def add(self, char: str, origin: tuple | None) -> None:
        self.text += char
        self.origin.append(origin)


def unit_stream(units: list[list[str]]) -> Stream:
    """Return the stream of a clause given as units of segments; origins are (unit, segment,
    offset in the segment's text)."""
    stream = Stream()
    stream.add(UNIT, None)
    for unit, segments in enumerate(units):
        for index, text in enumerate(segments):
            if index:
                stream.add(SEGMENT, None)
            _add_text(stream, text, (unit, index))
        stream.add(UNIT, None)
    return stream


def span_stream(blocks: list[list[list[tuple[str, bool]]]]) -> Stream:
    """Return the stream of mark-up blocks given as segments of (text, shown) spans; origins are
    (block, segment, span, offset in the span). Spans not shown are left out, and so are
    blocks and segments with no text shown."""
    stream = Stream()
    first = True
    for block, segments in enumerate(blocks):
        if not any(text.strip() for segment in segments for text, shown in segment if shown):
            continue
        if not first:
            stream.add(UNIT, None)
        first = False
        for index, segment in enumerate(segments):
            if index:
                stream.add(SEGMENT, None)
            for span, (text, shown) in enumerate(segment):
                if shown:
                    _add_text(stream, text, (block, index, span))
    return stream


def find_all(haystack: str, needle: str) -> list[int]:
    """Return every index where ``needle`` starts in ``haystack`` (overlapping ones too)."""
    found, start = [], haystack.find(needle)
    while needle and start != -1:
        found.append(start)
        start = haystack.find(needle, start + 1)
    return found


def find_words(stream: Stream, units: list[list[str]], needle: str) -> list[int]:
    """Return where ``needle`` starts in the ``stream`` of ``units`` (see :func:`unit_stream`),
    leaving out matches that begin or end inside a word: "shal" is not found in "shall"."""
    end = len(needle) - 1
    return [
        hit
        for hit in find_all(stream.text, needle)
        if _at_edge(stream, units, hit, -1) and _at_edge(stream, units, hit + end, 1)
    ]


def _at_edge(stream: Stream, units: list[list[str]], index: int, step: int) -> bool:
    """Return whether the stream character at ``index`` has no letter or digit next to it in the
    clause text, on the side ``step`` points to."""
    where = stream.origin[index]
    if where is None or not stream.text[index].isalnum():
        return True
    unit, segment, offset = where
    text = units[unit][segment]
    return not (0 <= offset + step < len(text) and text[offset + step].isalnum())


def fold(text: str) -> str:
    """Return ``text`` as the streams see it: no whitespace, one style of quotes and dashes."""
    return "".join(text.split()).translate(TYPOGRAPHY)


def _add_text(stream: Stream, text: str, where: tuple) -> None:
    for offset, char in enumerate(text):
        if not char.isspace():
            stream.add(char.translate(TYPOGRAPHY), (*where, offset))
