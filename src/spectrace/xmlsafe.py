"""Parse XML that comes from outside (Word parts, JUnit results) so that it stays data.

The parser itself refuses what no Word part or results file needs: it loads no DTD, expands no
entity, touches no network, and a document that declares a DOCTYPE, or uses an entity
reference or an XInclude, is refused wherever in the file it stands — not only if it appears
in the first few kilobytes. Every refusal is a ReadError naming the file, the part and the
line.
"""

from __future__ import annotations

from lxml import etree

from spectrace.errors import ReadError
from spectrace.limits import XML_DEPTH

XINCLUDE = "{http://www.w3.org/2001/XInclude}"


def parser(*, huge: bool = False) -> etree.XMLParser:
    """Return a parser with DTDs, entities and the network off.

    ``huge`` lifts libxml2's 10 MB limit on one text node (a test's captured output can pass
    it), and its depth limit with it: :func:`parse` then checks the depth itself
    (:func:`check_depth`), so that :data:`~spectrace.limits.XML_DEPTH` holds either way.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=huge,
        remove_comments=True,
        remove_pis=True,
    )


_PARSER = parser()
_HUGE_PARSER = parser(huge=True)


def parse(data: bytes, *, file: str, part: str | None = None, huge: bool = False) -> etree._Element:
    """Return the root element of ``data``, refused as a ReadError if it is malformed, declares
    a DOCTYPE, uses entity references or XIncludes, or nests deeper than the limit."""
    try:
        root = etree.fromstring(data, _HUGE_PARSER if huge else _PARSER)
    except etree.XMLSyntaxError as exc:
        raise malformed(exc, file=file, part=part) from None
    check_document(root, file=file, part=part)
    check_content(root, file=file, part=part)
    if huge:  # libxml2's own depth limit is lifted to 2,048 levels
        check_depth(root, file=file, part=part)
    return root


def check_document(root: etree._Element, *, file: str, part: str | None = None) -> None:
    """Refuse a document whose prolog declares a DOCTYPE (internal subset or external)."""
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise refused("declares a DTD (<!DOCTYPE>), which is refused", file=file, part=part)


def check_content(root: etree._Element, *, file: str, part: str | None = None) -> None:
    """Refuse entity references, XIncludes and nesting over the limit below ``root``."""
    for element in root.iter(etree.Entity, f"{XINCLUDE}*"):
        if isinstance(element, etree._Entity):
            message = f"uses the entity reference {element.text}, which is refused"
        else:
            message = "uses XInclude, which is refused"
        raise refused(message, file=file, part=part, line=element.sourceline)


def check_depth(root: etree._Element, *, file: str, part: str | None = None) -> None:
    """Refuse elements nested deeper than :data:`~spectrace.limits.XML_DEPTH`.

    libxml2 refuses them while parsing, but a huge tree may nest 2,048 deep. An XPath of
    ``XML_DEPTH + 1`` steps from the document's root finds the first element past the limit
    without recursion, in one pass over the levels above it (so: once per document, not per
    element of a document read as a stream).
    """
    deeper = root.xpath("(" + "/*" * (XML_DEPTH + 1) + ")[1]")
    if deeper:
        message = f"elements nest deeper than {XML_DEPTH} levels; refused"
        raise refused(message, file=file, part=part, line=deeper[0].sourceline)


def refused(message: str, *, file: str, part: str | None, line: int | None = None) -> ReadError:
    """Return the ReadError for ``message`` at ``part`` (and ``line``) of ``file``."""
    where = " ".join(w for w in (part, f"line {line}" if line else None) if w) or None
    return ReadError(message, file=file, where=where)


def malformed(exc: etree.XMLSyntaxError, *, file: str, part: str | None = None) -> ReadError:
    """Return the ReadError for a syntax error (also: nesting over the depth limit)."""
    message = " ".join((exc.msg or "malformed XML").split())  # libxml2 may end it with a newline
    if "Excessive depth" in message:
        message = f"elements nest deeper than {XML_DEPTH} levels; refused"
    else:
        message = f"malformed XML ({message})"
    return refused(message, file=file, part=part, line=exc.lineno)
