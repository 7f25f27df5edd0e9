"""Paragraph styles from ``styles.xml``: which styles are headings, and which carry numbering."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from spectrace.readers.docx.ooxml import BODY_OUTLINE, Place, W, int_attr, list_level

_HEADING_NAME = re.compile(r"^heading ([1-9])$")


@dataclass
class Style:
    id: str
    name: str
    based_on: str | None = None
    outline: int | None = None
    num_id: str | None = None
    ilvl: int | None = None


@dataclass(frozen=True)
class _Resolved:
    """What a style gives its paragraphs once its ``basedOn`` chain is followed."""

    heading: int = 0
    num_id: str | None = None
    ilvl: int | None = None


_NOTHING = _Resolved()


class Styles:
    """The paragraph (and numbering) styles of a document, resolved through ``basedOn``.

    ``place`` names the part in errors. Each style is resolved once and remembered, so asking
    for every paragraph costs the same however long the ``basedOn`` chains are.
    """

    def __init__(self, root: etree._Element | None = None, place: Place | None = None):
        self.by_id: dict[str, Style] = {}
        self.default: str | None = None
        self._place = place or Place("", "word/styles.xml")
        self._resolved: dict[str, _Resolved] = {}
        if root is not None:
            for element in root.iter(W + "style"):
                # Numbering styles are kept too: w:numStyleLink names one.
                if element.get(W + "type", "paragraph") in ("paragraph", "numbering"):
                    self._add(element)

    def _add(self, element: etree._Element) -> None:
        style_id = element.get(W + "styleId", "")
        place = self._place.at(f"style {style_id!r}")
        name = element.find(W + "name")
        style = Style(style_id, (name.get(W + "val", "") if name is not None else style_id).lower())
        based = element.find(W + "basedOn")
        style.based_on = based.get(W + "val") if based is not None else None
        outline = element.find(f"{W}pPr/{W}outlineLvl")
        if outline is not None:
            style.outline = int_attr(outline, place, low=0, high=BODY_OUTLINE, default=BODY_OUTLINE)
        num_pr = element.find(f"{W}pPr/{W}numPr")
        if num_pr is not None:
            num_id = num_pr.find(W + "numId")
            style.num_id = num_id.get(W + "val") if num_id is not None else None
            style.ilvl = list_level(num_pr.find(W + "ilvl"), place)
        self.by_id[style_id] = style
        if element.get(W + "default") in ("1", "true"):
            self.default = style_id

    def name(self, style_id: str | None) -> str:
        """Return the lower-case name of a paragraph's style ("" when it has none)."""
        style = self.by_id.get(style_id or self.default or "")
        return style.name if style else ""

    def heading_level(self, style_id: str | None, outline: int | None) -> int:
        """Return 1-9 for a heading paragraph, 0 for body text.

        A paragraph's own outline level wins; otherwise the nearest style in the chain that has
        an outline level or is a built-in "heading N" decides. TOC headings are never headings.
        """
        if outline is not None:
            return outline + 1 if outline < BODY_OUTLINE else 0
        return self._resolve(style_id).heading

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        """Return the (numId, ilvl) a style gives its paragraphs, inherited through the chain."""
        resolved = self._resolve(style_id)
        return resolved.num_id, resolved.ilvl

    def names(self) -> dict[str, str]:
        return {style_id: style.name for style_id, style in self.by_id.items()}

    def _resolve(self, style_id: str | None) -> _Resolved:
        """Return what the style ``style_id`` (or the default style) gives its paragraphs.

        The chain is walked up to the first style already resolved (or a cycle, which is cut),
        then resolved back down, each style once: linear in the number of styles overall.
        """
        first = style_id or self.default
        path: list[str] = []
        seen: set[str] = set()
        current = first
        while current in self.by_id and current not in self._resolved and current not in seen:
            seen.add(current)
            path.append(current)
            current = self.by_id[current].based_on
        resolved = _NOTHING
        if current is not None and current not in seen:
            resolved = self._resolved.get(current, _NOTHING)
        for sid in reversed(path):
            resolved = _resolve_one(self.by_id[sid], resolved)
            self._resolved[sid] = resolved
        return self._resolved.get(first, _NOTHING) if first else _NOTHING


def _resolve_one(style: Style, base: _Resolved) -> _Resolved:
    """Return what ``style`` gives, given what the style it is based on gives."""
    heading = base.heading
    if style.name.startswith("toc"):
        heading = 0
    elif style.outline is not None:
        heading = style.outline + 1 if style.outline < BODY_OUTLINE else 0
    elif match := _HEADING_NAME.match(style.name):
        heading = int(match.group(1))
    num_id = style.num_id if style.num_id is not None else base.num_id
    ilvl = style.ilvl if style.ilvl is not None else base.ilvl
    return _Resolved(heading, num_id, ilvl)
