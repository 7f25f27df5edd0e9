"""The parts every Word reader needs, read once: styles, numbering, and the body."""

from __future__ import annotations

from dataclasses import dataclass

from spectrace.readers.docx.numbering import Numbering
from spectrace.readers.docx.ooxml import BodyReader, Place, toc_style_ids
from spectrace.readers.docx.package import NUMBERING, STYLES, Package
from spectrace.readers.docx.styles import Styles


@dataclass
class WordParts:
    styles: Styles
    numbering: Numbering
    body: BodyReader


def open_parts(package: Package) -> WordParts:
    """Return the styles, numbering and body reader of ``package``'s main document.

    A package without a styles or numbering part has no styles or no numbering; a
    relationship naming a part the archive does not hold is a ReadError.
    """
    styles_part = package.related(package.main, STYLES)
    styles = Styles(
        package.xml(styles_part) if styles_part else None,
        Place(package.name, styles_part or "word/styles.xml"),
    )
    numbering_part = package.related(package.main, NUMBERING)
    numbering = Numbering(
        package.xml(numbering_part) if numbering_part else None,
        styles,
        Place(package.name, numbering_part or "word/numbering.xml"),
    )
    body = BodyReader(
        package.read(package.main),
        file=package.name,
        part=package.main,
        toc_styles=toc_style_ids(styles.names()),
    )
    return WordParts(styles, numbering, body)
