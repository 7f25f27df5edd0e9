"""Readers: each turns one input format into model objects and nothing else.

:data:`READERS` maps a format name to its reader; :func:`detect` names the format of a path.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from spectrace.errors import ReadError
from spectrace.model import Document, Proposal
from spectrace.model.proposal import MarkupStyle


def _docx(
    path: Path, document: str | None, edition: str | None, cache: Path | None = None
) -> Document:
    from spectrace.readers.docx.spec import read_docx_spec

    if not document or not edition:
        raise ReadError("a Word specification needs --doc and --edition", file=path.name)
    return read_docx_spec(path, document, edition)


def _rst(
    path: Path, document: str | None, edition: str | None, cache: Path | None = None
) -> Document:
    from spectrace.readers.rst.spec import read_rst_spec

    read = read_rst_spec(path.parent if path.name == "index.rst" else path, cache)
    for asked, found, what in (
        (document, read.name, "document"),
        (edition, read.edition, "edition"),
    ):
        if asked and asked != found:
            raise ReadError(f"the sources are {what} {found}, not {asked}", file=str(path))
    return read


#: Reader functions by format name: (path, document name, edition, cache folder) -> Document.
#: With a cache folder, a reader may keep what it read there (spec-as-code does, per file).
READERS: dict[str, Callable[[Path, str | None, str | None, Path | None], Document]] = {
    "docx": _docx,
    "rst": _rst,
}


def _docx_proposal(path: Path, markup: MarkupStyle | None) -> Proposal:
    from spectrace.readers.docx.irp import read_docx_irp

    return read_docx_irp(path, markup)


def _rst_proposal(path: Path, markup: MarkupStyle | None) -> Proposal:
    from spectrace.readers.rst.irp import read_rst_irp

    return read_rst_irp(path)


#: Proposal readers by format name: (path, how formatting shows a mark-up) -> Proposal.
PROPOSAL_READERS: dict[str, Callable[[Path, MarkupStyle | None], Proposal]] = {
    "docx": _docx_proposal,
    "rst": _rst_proposal,
}


def detect_proposal(path: Path) -> str:
    """Return the format of a proposal file: ``.rst`` is IRP-as-code, anything else Word."""
    return "rst" if path.suffix.lower() == ".rst" else "docx"


def detect(path: Path) -> str:
    """Return the format of ``path``: a folder or index.rst is spec-as-code, anything else Word."""
    return "rst" if path.is_dir() or path.name == "index.rst" else "docx"
