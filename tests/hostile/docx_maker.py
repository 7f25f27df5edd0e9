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


# --- mark-up: Word tracked changes or formatting --------------------------------------------

#: Who made a tracked change, and when.
REVISION = 'w:author="BEIS" w:date="2019-07-11T10:14:00Z"'
#: Run properties that mark text inserted (underlined blue) or deleted (struck red) by formatting.
INSERTED_FORMAT = '<w:color w:val="0000FF"/><w:u w:val="single"/>'
DELETED_FORMAT = '<w:strike/><w:color w:val="FF0000"/>'
#: The ways a mark-up can be written: Word tracked changes, or formatting.
MARKUP_WAYS = ("tracked", "formatted")
_FORMATS = {"keep": "", "insert": INSERTED_FORMAT, "delete": DELETED_FORMAT}


def revision(tag: str, content: str = "") -> str:
    """Return a ``w:ins`` or ``w:del`` (``tag``) by BEIS around ``content``; empty, it marks the
    paragraph mark or row it is put in."""
    return (
        f'<w:{tag} w:id="1" {REVISION}>{content}</w:{tag}>'
        if content
        else (f'<w:{tag} w:id="1" {REVISION}/>')
    )


def marked(pieces: list[tuple[str, str]], way: str) -> str:
    """Return the runs of ``pieces``, each (text, "keep" | "insert" | "delete"), marked up as
    Word tracked changes (``way`` "tracked") or by formatting ("formatted")."""
    runs = ""
    for text, op in pieces:
        if way == "formatted":
            runs += run(text, _FORMATS[op])
        elif op == "insert":
            runs += revision("ins", run(text))
        elif op == "delete":
            deleted = f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r>'
            runs += revision("del", deleted)
        else:
            runs += run(text)
    return runs


def marked_para(
    pieces: list[tuple[str, str]], way: str, *, style: str | None = None, num: str = ""
) -> str:
    """Return a paragraph of ``pieces`` marked up ``way``. Tracked, a paragraph whose text is
    all inserted (or all deleted) has its paragraph mark inserted (deleted) too, as Word does."""
    ops = {op for text, op in pieces if text.strip()}
    mark = ""
    if way == "tracked" and len(ops) == 1 and ops != {"keep"}:
        mark = f"<w:rPr>{revision('ins' if ops == {'insert'} else 'del')}</w:rPr>"
    return para(marked(pieces, way), style=style, num=num, props=mark)


def marked_row(cells: list[list[tuple[str, str]]], way: str) -> str:
    """Return a table row whose cells hold ``cells`` marked up ``way``; tracked, a row whose
    text is all inserted is an inserted row."""
    ops = {op for cell in cells for text, op in cell if text.strip()}
    whole = way == "tracked" and len(ops) == 1 and ops != {"keep"}
    props = f"<w:trPr>{revision('ins' if ops == {'insert'} else 'del')}</w:trPr>" if whole else ""
    tcs = "".join(f"<w:tc><w:tcPr/>{para(marked(cell, way))}</w:tc>" for cell in cells)
    return f"<w:tr>{props}{tcs}</w:tr>"


# --- IRPs ----------------------------------------------------------------------------------

#: A heading style with an outline level and no numbering (an excerpt types the number).
HEADING_STYLE = (
    '<w:style w:type="paragraph" w:styleId="Heading4"><w:name w:val="heading 4"/>'
    '<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="3"/></w:pPr></w:style>'
)


def irp_body(*changes: str, irp: str = "IRP900") -> str:
    """Return the body of a Word IRP: its metadata table, the heading "Required Changes to
    Documentation", then ``changes`` (each an instruction paragraph and its excerpt)."""
    metadata = table(
        [cell("Issue Resolution Proposal"), cell(irp)],
        [cell("Issue Title"), cell("Structural changes")],
        [cell("Date"), cell("11 July 2019")],
    )
    return (
        metadata
        + para("Description: clauses come and go.")
        + para("Required Changes to Documentation")
        + "".join(changes)
    )


def make_irp(path: Path, *changes: str, irp: str = "IRP900") -> Path:
    """Write a Word IRP of ``changes`` at ``path`` (with the unnumbered style Heading4)."""
    return make_docx(path, irp_body(*changes, irp=irp), styles=styles_xml(HEADING_STYLE))


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
