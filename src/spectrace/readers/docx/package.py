"""Open a .docx file safely: a zip of XML parts, refused when it is not one or is too large."""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from spectrace.errors import ReadError

#: Refuse packages whose parts would unpack to more than this many bytes in all.
MAX_UNPACKED = 1 << 30
#: Refuse a part that claims to expand more than this many times its compressed size.
MAX_RATIO = 400

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"

_SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
)


class Package:
    """The parts of one .docx file, read on demand and checked for size before reading."""

    def __init__(self, path: Path):
        self.path = path
        self.name = path.name
        self._zip = _open_zip(path)
        self._names = set(self._zip.namelist())
        self.main = self._main_part()

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has(self, part: str) -> bool:
        return part in self._names

    def read(self, part: str) -> bytes:
        """Return the bytes of ``part``; a damaged member is a ReadError naming it."""
        try:
            return self._zip.read(part)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise ReadError(
                f"{part} is damaged ({exc}); is the file truncated?", file=self.name
            ) from exc

    def xml(self, part: str) -> etree._Element:
        """Return the parsed root of ``part``, parsed without DTDs or entity expansion."""
        return parse_xml(self.read(part), file=self.name, part=part)

    def related(self, source: str, rel_type: str) -> str | None:
        """Return the name of the part that ``source`` relates to by ``rel_type``, if any."""
        folder, base = posixpath.split(source)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels):
            return None
        for rel in self.xml(rels).iter(f"{_REL_NS}Relationship"):
            if rel.get("Type") == rel_type and rel.get("TargetMode") != "External":
                target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
                return target.lstrip("/")
        return None

    def _main_part(self) -> str:
        main = self.related("", OFFICE_DOCUMENT) if self.has("_rels/.rels") else None
        main = main or "word/document.xml"
        if not self.has(main):
            raise ReadError(f"not a Word document: the archive has no {main}", file=self.name)
        return main


def parse_xml(data: bytes, *, file: str, part: str) -> etree._Element:
    """Parse ``data`` without loading DTDs or expanding entities; refuse any DOCTYPE."""
    refuse_dtd(data, file=file, part=part)
    try:
        return etree.fromstring(data, _SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise malformed(exc, file=file, part=part) from exc


def refuse_dtd(data: bytes, *, file: str, part: str) -> None:
    """Refuse a part that declares a DTD or entities before anything parses it."""
    head = data[:4096].lstrip()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise ReadError(
            f"{part} declares a DTD or entities, which Word never writes; refused", file=file
        )


def malformed(exc: etree.XMLSyntaxError, *, file: str, part: str) -> ReadError:
    """Return the ReadError for a syntax error in ``part``, naming its line."""
    return ReadError(f"{part} line {exc.lineno}: malformed XML ({exc.msg})", file=file)


def _open_zip(path: Path) -> zipfile.ZipFile:
    name = path.name
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise ReadError("no such file", file=str(path)) from None
    except IsADirectoryError:
        raise ReadError("is a directory, not a Word file", file=str(path)) from None
    except OSError as exc:
        raise ReadError(f"cannot be read ({exc.strerror})", file=str(path)) from None
    if head == _OLE_MAGIC:
        raise ReadError(_ole_message(path), file=name)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise ReadError(_not_a_zip(head), file=name) from None
    _check_sizes(archive, name)
    return archive


def _not_a_zip(head: bytes) -> str:
    if not head:
        return "is empty; is it truncated?"
    if head.startswith(b"PK"):
        return "is a damaged zip archive (its directory is missing): the file looks truncated"
    return "is not a Word .docx file (not a zip archive); is it misnamed?"


def _check_sizes(archive: zipfile.ZipFile, name: str) -> None:
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > (1 << 20) and ratio > MAX_RATIO:
            raise ReadError(
                f"{info.filename} would expand {ratio:.0f}-fold; refused as a zip bomb", file=name
            )
    if total > MAX_UNPACKED:
        raise ReadError(
            f"parts would unpack to {total >> 20} MiB, over the {MAX_UNPACKED >> 20} MiB limit",
            file=name,
        )


def _ole_message(path: Path) -> str:
    data = path.read_bytes()[: 1 << 22]
    if _ENCRYPTED in data:
        return "is password-protected (encrypted); remove the password in Word and save as .docx"
    return "is a legacy Word .doc (OLE) file; open it in Word and save it as .docx"
