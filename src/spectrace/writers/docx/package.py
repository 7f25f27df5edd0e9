"""The .docx package: the fixed parts, and a zip written with fixed timestamps in a fixed order."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from spectrace.writers.docx.xmltext import NS_W, ROOT_NS, XML_DECL, attr, text

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
FLUSH_CHARS = 1 << 18
_CT_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
#: (relationship id, type, target) of the parts the main document uses, in a fixed order.
DOCUMENT_RELS = (
    ("rId1", "styles", "styles.xml"),
    ("rId2", "numbering", "numbering.xml"),
    ("rId3", "settings", "settings.xml"),
    ("rId4", "header", "header1.xml"),
    ("rId5", "footer", "footer1.xml"),
)
HEADER_REL, FOOTER_REL = "rId4", "rId5"
#: Page setup: A4 with one-inch margins; the text width is 9026 twips.
SECTION = (
    f'<w:sectPr><w:headerReference w:type="default" r:id="{HEADER_REL}"/>'
    f'<w:footerReference w:type="default" r:id="{FOOTER_REL}"/>'
    '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" '
    'w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>'
)


class Sink:
    """Buffer XML strings and write them UTF-8 encoded to a zip member in large chunks."""

    def __init__(self, stream: IO[bytes]):
        self.stream = stream
        self.buffer: list[str] = []
        self.size = 0

    def __call__(self, piece: str) -> None:
        self.buffer.append(piece)
        self.size += len(piece)
        if self.size >= FLUSH_CHARS:
            self.flush()

    def flush(self) -> None:
        self.stream.write("".join(self.buffer).encode("utf-8"))
        self.buffer.clear()
        self.size = 0


def member(name: str) -> zipfile.ZipInfo:
    """Return the zip entry for ``name`` with a fixed date and attributes."""
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0
    info.external_attr = 0
    return info


@contextmanager
def docx_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    """Yield a zip file at ``path`` (normally a temporary file) for the parts of a .docx."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        yield archive


def write_streamed(archive: zipfile.ZipFile, name: str, write: Callable[[Sink], None]) -> None:
    """Add the member ``name`` whose XML ``write`` emits piece by piece."""
    with archive.open(member(name), "w") as stream:
        sink = Sink(stream)
        write(sink)
        sink.flush()


def content_types_xml() -> str:
    overrides = [
        ("/word/document.xml", f"{_CT_WML}.document.main+xml"),
        ("/word/styles.xml", f"{_CT_WML}.styles+xml"),
        ("/word/numbering.xml", f"{_CT_WML}.numbering+xml"),
        ("/word/settings.xml", f"{_CT_WML}.settings+xml"),
        ("/word/header1.xml", f"{_CT_WML}.header+xml"),
        ("/word/footer1.xml", f"{_CT_WML}.footer+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        ),
    ]
    body = "".join(
        f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides
    )
    return (
        f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f"{body}</Types>"
    )


def _rels(rels: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{g}"/>' for i, t, g in rels)
    return f'{XML_DECL}<Relationships xmlns="{_PKG_REL}">{body}</Relationships>'


def package_rels_xml() -> str:
    props = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
    return _rels(
        [
            ("rId1", f"{_REL}/officeDocument", "word/document.xml"),
            ("rId2", props, "docProps/core.xml"),
            ("rId3", f"{_REL}/extended-properties", "docProps/app.xml"),
        ]
    )


def document_rels_xml() -> str:
    return _rels([(rid, f"{_REL}/{kind}", target) for rid, kind, target in DOCUMENT_RELS])


def core_xml(title: str, subject: str) -> str:
    """Return the core properties: title and subject, no dates (the bytes must not change)."""
    return (
        f'{XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
        '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{text(title)}</dc:title><dc:subject>{text(subject)}</dc:subject>"
        "<dc:creator>spectrace</dc:creator></cp:coreProperties>"
    )


def app_xml() -> str:
    return (
        f'{XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>spectrace</Application></Properties>'
    )


def settings_xml(track_revisions: bool) -> str:
    """Return the settings part; a redline turns on track changes so edits stay marked."""
    track = "<w:trackRevisions/>" if track_revisions else ""
    return (
        f'{XML_DECL}<w:settings xmlns:w="{NS_W}">{track}<w:defaultTabStop w:val="720"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting '
        'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
        'w:val="15"/></w:compat></w:settings>'
    )


def header_xml(label: str) -> str:
    """Return the page header: the document and edition."""
    return (
        f'{XML_DECL}<w:hdr {ROOT_NS}><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr><w:r>'
        f'<w:t xml:space="preserve">{text(label)}</w:t></w:r></w:p></w:hdr>'
    )


def footer_xml() -> str:
    """Return the page footer: "Page X of Y" as PAGE and NUMPAGES fields."""

    def field(code: str) -> str:
        return f'<w:fldSimple w:instr="{attr(code)}"><w:r><w:t>1</w:t></w:r></w:fldSimple>'

    return (
        f'{XML_DECL}<w:ftr {ROOT_NS}><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">Page </w:t></w:r>{field(" PAGE ")}'
        f'<w:r><w:t xml:space="preserve"> of </w:t></w:r>{field(" NUMPAGES ")}</w:p></w:ftr>'
    )
