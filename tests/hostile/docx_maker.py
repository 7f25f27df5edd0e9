"""Build small Word packages in tests, so that hostile .docx files need no binary fixtures.

:func:`make_docx` writes a minimal valid package: a body of paragraphs, heading styles 1-3
numbered "1", "1.1", "1.1.1" by list 1, and a lower-roman list 2 for list items. Every part can
be replaced or dropped, and :func:`patch_member` rewrites a member's zip headers afterwards
(declared sizes, compression method, flags) to make the archive lie about itself.
:func:`read_spec` and :func:`spec_error` read a file back the way ``spectrace import spec`` does.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from spectrace.errors import ReadError
from spectrace.model import Document
from spectrace.readers.docx.spec import read_docx_spec

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = (
    _DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
PACKAGE_RELS = (
    _DECL + f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
    f'Type="{_OFFICE_REL}/officeDocument" Target="word/document.xml"/></Relationships>'
)


def relationships(**targets: str) -> str:
    """Return word/_rels/document.xml.rels relating the document to ``type=target`` parts."""
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_OFFICE_REL}/{kind}" Target="{target}"/>'
        for i, (kind, target) in enumerate(targets.items(), 1)
    )
    return f'{_DECL}<Relationships xmlns="{_PKG_REL}">{rels}</Relationships>'


def _style(style_id: str, name: str, extra: str = "") -> str:
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f"{extra}</w:style>"
    )


def styles_xml(extra: str = "") -> str:
    """Return styles.xml: Normal, Heading1-3 (numbered by list 1), ListParagraph, ``extra``."""
    headings = "".join(
        _style(
            f"Heading{n}",
            f"heading {n}",
            f'<w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:ilvl w:val="{n - 1}"/>'
            f'<w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="{n - 1}"/></w:pPr>',
        )
        for n in (1, 2, 3)
    )
    return (
        f'{_DECL}<w:styles xmlns:w="{W_NS}">'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        f"</w:style>{headings}{_style('ListParagraph', 'List Paragraph')}{extra}</w:styles>"
    )


def level(ilvl: int, text: str, fmt: str = "decimal", start: str = "1", extra: str = "") -> str:
    """Return one ``w:lvl``; every value is written as given, so that tests can pass junk."""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


HEADING_LEVELS = "".join(
    level(
        i, ".".join(f"%{n}" for n in range(1, i + 2)), extra=f'<w:pStyle w:val="Heading{i + 1}"/>'
    )
    for i in range(3)
)
LIST_LEVELS = level(0, "%1.", "lowerRoman") + level(1, "(%2)", "lowerLetter")


def numbering_xml(headings: str = HEADING_LEVELS, items: str = LIST_LEVELS, extra: str = "") -> str:
    """Return numbering.xml: list 1 (abstract 0) numbers headings, list 2 (abstract 1) items."""
    return (
        f'{_DECL}<w:numbering xmlns:w="{W_NS}">'
        f'<w:abstractNum w:abstractNumId="0">{headings}</w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="1">{items}</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        f'<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>{extra}</w:numbering>'
    )


def document_xml(body: str) -> str:
    """Return document.xml with ``body`` (paragraphs and tables) as the body's content."""
    return f'{_DECL}<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'


def run(text: str, props: str = "") -> str:
    """Return one ``w:r`` holding ``text``."""
    r_pr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{r_pr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def para(content: str = "", *, style: str | None = None, num: str = "", props: str = "") -> str:
    """Return one ``w:p``: plain ``content`` becomes a run, content starting with "<" is kept.

    ``num`` is "numId" or "numId/ilvl" for direct numbering; ``props`` is more ``w:pPr``.
    """
    p_pr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num:
        num_id, given, ilvl = num.partition("/")
        p_pr += "<w:numPr>" + (f'<w:ilvl w:val="{ilvl}"/>' if given else "")
        p_pr += f'<w:numId w:val="{num_id}"/></w:numPr>'
    p_pr += props
    runs = content if content.startswith("<") or not content else run(content)
    return f"<w:p>{f'<w:pPr>{p_pr}</w:pPr>' if p_pr else ''}{runs}</w:p>"


def heading(text: str, n: int = 1) -> str:
    """Return a paragraph in style Heading{n}, numbered by list 1."""
    return para(text, style=f"Heading{n}")


def item(text: str, ilvl: int | str = 0) -> str:
    """Return a list item of list 2 at level ``ilvl``."""
    return para(text, style="ListParagraph", num=f"2/{ilvl}")


def cell(content: str, props: str = "") -> str:
    """Return one ``w:tc`` with ``props`` as its ``w:tcPr`` and ``content`` as a paragraph."""
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{para(content)}</w:tc>"


def table(*rows: list[str]) -> str:
    """Return a ``w:tbl`` whose rows are lists of ``w:tc`` strings."""
    return "<w:tbl>" + "".join(f"<w:tr>{''.join(r)}</w:tr>" for r in rows) + "</w:tbl>"


#: A body any spec reader accepts: two numbered clauses with text.
SIMPLE_BODY = heading("Scope") + para("Scope text.") + heading("Detail", 2) + para("Detail text.")

_DEFAULT = object()


def make_docx(
    path: Path,
    body: str = SIMPLE_BODY,
    *,
    document: str | bytes | None = None,
    styles: str | bytes | object | None = _DEFAULT,
    numbering: str | bytes | object | None = _DEFAULT,
    rels: str | None = None,
    extra: dict[str, str | bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """Write a .docx at ``path`` and return it.

    ``document`` replaces the whole document.xml (else it is built around ``body``);
    ``styles``/``numbering`` replace their part, or drop it (and its relationship) when None;
    ``rels`` replaces the document's relationships; ``extra`` adds or replaces members.
    """
    styles = styles_xml() if styles is _DEFAULT else styles
    numbering = numbering_xml() if numbering is _DEFAULT else numbering
    targets = {"styles": "styles.xml"} if styles is not None else {}
    if numbering is not None:
        targets["numbering"] = "numbering.xml"
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "word/document.xml": document if document is not None else document_xml(body),
        "word/_rels/document.xml.rels": rels if rels is not None else relationships(**targets),
    }
    if styles is not None:
        parts["word/styles.xml"] = styles
    if numbering is not None:
        parts["word/numbering.xml"] = numbering
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


# --- reading back ----------------------------------------------------------------------


def read_spec(path: Path) -> Document:
    """Return ``path`` read as SMETS 4.2, as ``spectrace import spec`` reads it."""
    return read_docx_spec(path, "SMETS", "4.2")


def spec_error(path: Path) -> str:
    """Read ``path`` expecting a ReadError; return its message, checked to be one line."""
    with pytest.raises(ReadError) as caught:
        read_spec(path)
    message = str(caught.value)
    assert "\n" not in message, message
    return message


def clause_texts(doc: Document) -> dict[str | None, list[str]]:
    """Return each clause's block texts by clause number."""
    return {clause.number: [block.text for block in clause.blocks] for clause in doc.clauses}


# --- zip-level damage ----------------------------------------------------------------------

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"


def patch_member(path: Path, member: str, **fields: int) -> Path:
    """Rewrite ``member``'s zip headers in the file ``path`` (see :func:`patch_bytes`)."""
    path.write_bytes(patch_bytes(path.read_bytes(), member, **fields))
    return path


def patch_bytes(data: bytes, member: str, **fields: int) -> bytes:
    """Return the zip ``data`` with ``member``'s local and central headers rewritten.

    ``fields`` may set ``file_size``, ``compress_size``, ``method``, ``flags`` (bit 0:
    encrypted) and ``crc``. Only the headers change, never the member's data: the archive then
    lies about the member's size, compression method, encryption or checksum.
    """
    raw = bytearray(data)
    name = member.encode()
    for signature, offsets in ((_LOCAL, _LOCAL_FIELDS), (_CENTRAL, _CENTRAL_FIELDS)):
        at = _find_header(raw, signature, name, offsets)
        for field, value in fields.items():
            fmt = "<H" if field in ("flags", "method") else "<I"
            struct.pack_into(fmt, raw, at + offsets[field], value)
    return bytes(raw)


_LOCAL_FIELDS = {
    "flags": 6,
    "method": 8,
    "crc": 14,
    "compress_size": 18,
    "file_size": 22,
    "name_length": 26,
    "name": 30,
}
_CENTRAL_FIELDS = {
    "flags": 8,
    "method": 10,
    "crc": 16,
    "compress_size": 20,
    "file_size": 24,
    "name_length": 28,
    "name": 46,
}


def _find_header(data: bytearray, signature: bytes, name: bytes, fields: dict[str, int]) -> int:
    """Return the offset of the first header with ``signature`` that names ``name``."""
    at = data.find(signature)
    while at >= 0:
        (length,) = struct.unpack_from("<H", data, at + fields["name_length"])
        start = at + fields["name"]
        if bytes(data[start : start + length]) == name:
            return at
        at = data.find(signature, at + 4)
    raise KeyError(name)


def make_lying_docx(path: Path, *, real: int, declared: int, member: str = "word/document.xml"):
    """Write a .docx whose ``member`` really unpacks to about ``real`` bytes (valid XML padded
    with spaces, which deflate to almost nothing) while its headers declare ``declared``."""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "word/_rels/document.xml.rels": relationships(
            styles="styles.xml", numbering="numbering.xml"
        ),
        "word/document.xml": document_xml(SIMPLE_BODY),
        "word/styles.xml": styles_xml(),
        "word/numbering.xml": numbering_xml(),
    }
    spaces = b" " * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != member:
                archive.writestr(name, data)
                continue
            with archive.open(name, "w", force_zip64=False) as stream:
                stream.write(data.encode() if isinstance(data, str) else data)
                for _ in range(real // len(spaces)):
                    stream.write(spaces)
    return patch_member(path, member, file_size=declared)
