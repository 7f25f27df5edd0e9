"""Open a .docx file safely: a zip of XML parts, refused when it is not one or is too large.

Nothing in the archive is trusted before it is checked: the file must be a regular file within
DOCX_FILE_BYTES; its directory may list at most DOCX_MEMBERS members, none twice, none
encrypted, each stored or deflated (all a Word package may use); the sizes the directory
declares are checked against DOCX_UNPACKED_BYTES, DOCX_PART_RATIO and DOCX_PART_BYTES before
anything is unpacked, and a part is then unpacked in pieces that stop at the declared size,
so that a member lying about its size costs no more than it declared. XML parts are parsed by
:mod:`spectrace.xmlsafe` (no DTD, no entities, no XInclude, bounded depth).
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
import zlib
from contextlib import ExitStack
from pathlib import Path
from typing import IO, BinaryIO

from lxml import etree

from spectrace import xmlsafe
from spectrace.errors import ReadError
from spectrace.fileio import open_input
from spectrace.limits import (
    DOCX_DIRECTORY_BYTES,
    DOCX_FILE_BYTES,
    DOCX_MEMBERS,
    DOCX_PART_BYTES,
    DOCX_PART_RATIO,
    DOCX_UNPACKED_BYTES,
    MiB,
)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError)
#: What zipfile raises for what it does not implement (a newer zip version, encryption).
_UNSUPPORTED = (NotImplementedError, RuntimeError)


class Package:
    """The parts of one .docx file, read on demand and checked for size before reading."""

    def __init__(self, path: Path):
        self.path = path
        self.name = path.name
        self._stack = ExitStack()
        try:
            handle = self._stack.enter_context(open_input(path, limit=DOCX_FILE_BYTES))
            self._zip = _open_zip(handle, self.name)
            self._stack.callback(self._zip.close)
            self._members = _check_members(self._zip, self.name)
            self.main = self._main_part()
        except BaseException:
            self._stack.close()
            raise

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has(self, part: str) -> bool:
        return part in self._members

    def read(self, part: str) -> bytes:
        """Return the bytes of ``part``, unpacked no further than its declared size (which is
        within DOCX_PART_BYTES); a damaged member is a ReadError naming it."""
        info = self._members.get(part)
        if info is None:
            raise ReadError(f"{part} is not in the archive", file=self.name)
        if info.file_size > DOCX_PART_BYTES:
            raise ReadError(
                f"{part} is {info.file_size / MiB:,.0f} MiB unpacked, over the limit of "
                f"{DOCX_PART_BYTES // MiB} MiB",
                file=self.name,
            )
        try:
            with self._zip.open(info) as stream:
                return _read_up_to(stream, info.file_size)
        except _DAMAGE as exc:
            raise ReadError(
                f"{part} is damaged ({exc}); is the file truncated?", file=self.name
            ) from None
        except _UNSUPPORTED as exc:
            raise ReadError(f"{part} cannot be unpacked ({exc})", file=self.name) from None

    def xml(self, part: str) -> etree._Element:
        """Return the parsed root of ``part`` (see :func:`spectrace.xmlsafe.parse`)."""
        return xmlsafe.parse(self.read(part), file=self.name, part=part)

    def related(self, source: str, rel_type: str) -> str | None:
        """Return the part that ``source`` relates to by ``rel_type``, or None when it relates
        to none (an optional part left out); a relationship to a part the archive does not
        hold is a ReadError."""
        rels, target = self._relationship(source, rel_type)
        if target is not None and not self.has(target):
            raise ReadError(
                f"{rels} relates {source or 'the package'} to {target}, "
                "which is not in the archive",
                file=self.name,
            )
        return target

    def target(self, source: str, rel_id: str) -> str | None:
        """Return the part ``source``'s relationship ``rel_id`` names (a picture's
        ``r:embed``), or None when there is no such relationship, it points outside the
        package or to a part the archive does not hold."""
        folder, base = posixpath.split(source)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels):
            return None
        for rel in self.xml(rels).iter(f"{_REL_NS}Relationship"):
            if rel.get("Id") == rel_id and rel.get("TargetMode") != "External":
                target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
                target = target.lstrip("/")
                return target if self.has(target) else None
        return None

    def _relationship(self, source: str, rel_type: str) -> tuple[str, str | None]:
        """Return the relationships part of ``source`` and the target of ``rel_type`` in it."""
        folder, base = posixpath.split(source)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels):
            return rels, None
        for rel in self.xml(rels).iter(f"{_REL_NS}Relationship"):
            if rel.get("Type") == rel_type and rel.get("TargetMode") != "External":
                target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
                return rels, target.lstrip("/")
        return rels, None

    def _main_part(self) -> str:
        main = self._relationship("", OFFICE_DOCUMENT)[1] or "word/document.xml"
        if not self.has(main):
            raise ReadError(f"not a Word document: the archive has no {main}", file=self.name)
        return main


def _read_up_to(stream: IO[bytes], size: int) -> bytes:
    """Return at most ``size`` bytes of ``stream``, unpacked a piece at a time (zipfile's own
    read() unpacks up to 2 GiB in one go before it cuts the data to the declared size)."""
    pieces: list[bytes] = []
    left = size
    while left > 0:
        piece = stream.read(min(left, 4 * MiB))
        if not piece:
            break
        pieces.append(piece)
        left -= len(piece)
    return b"".join(pieces)


def _open_zip(handle: BinaryIO, name: str) -> zipfile.ZipFile:
    """Return the archive in ``handle``, refusing an OLE file, a non-zip and a zip whose
    directory is larger than DOCX_DIRECTORY_BYTES (zipfile would hold all of it in memory)."""
    head = handle.read(8)
    if head == _OLE_MAGIC:
        raise ReadError(_ole_message(handle), file=name)
    directory = _directory_size(handle)
    if directory is not None and directory > DOCX_DIRECTORY_BYTES:
        raise ReadError(
            f"its zip directory is {directory / MiB:,.1f} MiB, more than "
            f"{DOCX_MEMBERS:,} members need; refused",
            file=name,
        )
    handle.seek(0)
    try:
        return zipfile.ZipFile(handle)
    except _DAMAGE:
        raise ReadError(_not_a_zip(head), file=name) from None
    except _UNSUPPORTED as exc:
        raise ReadError(f"uses zip features a Word file never uses ({exc})", file=name) from None


def _directory_size(handle: BinaryIO) -> int | None:
    """Return the size of the zip directory that the end record (or the Zip64 end record)
    declares, or None when there is no end record to read (zipfile then says what is wrong)."""
    size = handle.seek(0, 2)
    tail_start = max(0, size - (22 + 0xFFFF))
    handle.seek(tail_start)
    tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    (directory,) = struct.unpack_from("<I", tail, at + 12)
    locator = at - 20
    if directory == 0xFFFFFFFF and locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", tail, locator + 8)
        handle.seek(offset)
        record = handle.read(56)
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            (directory,) = struct.unpack_from("<Q", record, 40)
    return directory


def _not_a_zip(head: bytes) -> str:
    if not head:
        return "is empty; is it truncated?"
    if head.startswith(b"PK"):
        return "is a damaged zip archive (its directory is missing): the file looks truncated"
    return "is not a Word .docx file (not a zip archive); is it misnamed?"


def _check_members(archive: zipfile.ZipFile, name: str) -> dict[str, zipfile.ZipInfo]:
    """Return the members by name after checking their number, names, flags and declared
    sizes; anything a Word package never holds is refused with one line naming the member."""
    members = archive.infolist()
    if len(members) > DOCX_MEMBERS:
        raise ReadError(
            f"the archive has {len(members):,} members, over the limit of {DOCX_MEMBERS:,}",
            file=name,
        )
    by_name: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in members:
        _check_member(info, name)
        if info.filename in by_name:
            raise ReadError(f"{info.filename} is in the archive twice; refused", file=name)
        by_name[info.filename] = info
        total += info.file_size
    if total > DOCX_UNPACKED_BYTES:
        raise ReadError(
            f"parts would unpack to {total // MiB:,} MiB, over the "
            f"{DOCX_UNPACKED_BYTES // MiB:,} MiB limit",
            file=name,
        )
    return by_name


def _check_member(info: zipfile.ZipInfo, name: str) -> None:
    if info.flag_bits & 0x1:
        raise ReadError(
            f"{info.filename} is encrypted in the zip archive, which Word never does; refused",
            file=name,
        )
    if info.compress_type not in _METHODS:
        raise ReadError(
            f"{info.filename} is packed with zip method {info.compress_type}; a Word file "
            "uses only deflate or none",
            file=name,
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > MiB and ratio > DOCX_PART_RATIO:
        raise ReadError(
            f"{info.filename} would expand {ratio:.0f}-fold; refused as a zip bomb", file=name
        )


def _ole_message(handle: BinaryIO) -> str:
    data = handle.read(4 * MiB)
    if _ENCRYPTED in data:
        return "is password-protected (encrypted); remove the password in Word and save as .docx"
    return "is a legacy Word .doc (OLE) file; open it in Word and save it as .docx"
