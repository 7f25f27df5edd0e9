"""Paragraph styles from ``styles.xml``: which styles are headings, and which carry numbering."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from spectrace.readers.docx.ooxml import W

_HEADING_NAME = re.compile(r"^heading ([1-9])$")


@dataclass
class Style:
    id: str
    name: str
    based_on: str | None = None
    outline: int | None = None
    num_id: str | None = None
    ilvl: int | None = None


class Styles:
    """The paragraph (and numbering) styles of a document, resolved through ``basedOn``."""

    def __init__(self, root: etree._Element | None = None):
        self.by_id: dict[str, Style] = {}
        self.default: str | None = None
        if root is not None:
            for element in root.iter(W + "style"):
                # Numbering styles are kept too: w:numStyleLink names one.
                if element.get(W + "type", "paragraph") in ("paragraph", "numbering"):
                    self._add(element)

    def _add(self, element: etree._Element) -> None:
        style_id = element.get(W + "styleId", "")
        name = element.find(W + "name")
        style = Style(style_id, (name.get(W + "val", "") if name is not None else style_id).lower())
        based = element.find(W + "basedOn")
        style.based_on = based.get(W + "val") if based is not None else None
        outline = element.find(f"{W}pPr/{W}outlineLvl")
        style.outline = int(outline.get(W + "val", "9")) if outline is not None else None
        num_pr = element.find(f"{W}pPr/{W}numPr")
        if num_pr is not None:
            num_id, ilvl = num_pr.find(W + "numId"), num_pr.find(W + "ilvl")
            style.num_id = num_id.get(W + "val") if num_id is not None else None
            style.ilvl = int(ilvl.get(W + "val", "0")) if ilvl is not None else None
        self.by_id[style_id] = style
        if element.get(W + "default") in ("1", "true"):
            self.default = style_id

    def chain(self, style_id: str | None) -> list[Style]:
        """Return the style and the styles it is based on, nearest first (cycles cut)."""
        result: list[Style] = []
        seen: set[str] = set()
        current = style_id or self.default
        while current and current not in seen and current in self.by_id:
            seen.add(current)
            style = self.by_id[current]
            result.append(style)
            current = style.based_on
        return result

    def heading_level(self, style_id: str | None, outline: int | None) -> int:
        """Return 1-9 for a heading paragraph, 0 for body text.

        A paragraph's own outline level wins; otherwise the nearest style in the chain that has
        an outline level or is a built-in "heading N" decides. TOC headings are never headings.
        """
        if outline is not None:
            return outline + 1 if outline < 9 else 0
        for style in self.chain(style_id):
            if style.name.startswith("toc"):
                return 0
            if style.outline is not None:
                return style.outline + 1 if style.outline < 9 else 0
            match = _HEADING_NAME.match(style.name)
            if match:
                return int(match.group(1))
        return 0

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        """Return the (numId, ilvl) a style gives its paragraphs, inherited through the chain."""
        num_id = ilvl = None
        for style in self.chain(style_id):
            num_id = num_id if num_id is not None else style.num_id
            ilvl = ilvl if ilvl is not None else style.ilvl
        return num_id, ilvl

    def names(self) -> dict[str, str]:
        return {style_id: style.name for style_id, style in self.by_id.items()}
