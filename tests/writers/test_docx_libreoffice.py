"""A real word processor opens the Word files: LibreOffice converts each to PDF, headless.

LibreOffice lays the documents out with its own numbering engine, so the PDF shows whether the
auto-numbered headings come out as the clause numbers ("5.6.1", "5.12.1") and whether the new
text is there. Skipped, with the reason, where LibreOffice (or poppler's pdftotext, for the
text check) is not installed; ``.ci/run`` installs both.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from spectrace.api import amend_project, load_project_documents, project_proposals
from spectrace.config import load_project
from spectrace.writers.docx import write_editions
from tests.conftest import PROJECT_ROOT

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
TIMEOUT = 300

pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it"
)

EXPECTED = {
    "SMETS": [
        "5.6.1 Type 1 Devices and Type 2 Device information provision",
        "5.12.1 HAN Interface information provision",
        "4.6.5.17 Security Log",
        "5.7.5.31 Security Log",
        "Part A: Single Element ESME",
        "on its User Interface only following physical access",
        "ESME shall not provide any information from the Security Log (5.7.5.31) to Type 1 "
        "Devices or Type 2 Devices.",
    ],
    "CHTS": [
        "4.4.6.1 General",
        "Neither the GPF nor the CHF shall provide any information from the GSME Security Log",
        "GSME Security Log The information held on GSME",
    ],
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """Convert the clean and redline files of both editions to PDF; {file stem: PDF path}."""
    project = load_project(PROJECT_ROOT)
    documents = load_project_documents(project)
    proposals = project_proposals(project)
    amendment = amend_project(project, documents, proposals)
    folder = tmp_path_factory.mktemp("docx")
    files: list[Path] = []
    for base, amended in zip(documents, amendment.documents, strict=True):
        files += write_editions(base, amended, amendment.revisions, proposals, folder)
    out = tmp_path_factory.mktemp("pdf")
    profile = tmp_path_factory.mktemp("lo-profile")
    command = [
        SOFFICE,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        *map(str, files),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    result = {path.stem: out / f"{path.stem}.pdf" for path in files}
    missing = [name for name, pdf in result.items() if not pdf.is_file()]
    assert not missing, f"LibreOffice made no PDF of {missing}: {done.stdout} {done.stderr}"
    return result


def _text(pdf: Path) -> str:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed, so the PDF text is not checked")
    done = subprocess.run(
        [PDFTOTEXT, "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        timeout=60,
        check=True,
    )
    return " ".join(done.stdout.decode("utf-8").split())


@pytest.mark.parametrize("kind", ["", " redline"], ids=["clean", "redline"])
@pytest.mark.parametrize("name", ["SMETS 4.2+IRP603", "CHTS 1.3+IRP603"])
def test_libreoffice_renders_the_numbers_and_the_new_text(pdfs, name, kind):
    pdf = pdfs[f"{name}{kind}"]
    assert pdf.read_bytes().startswith(b"%PDF")
    text = _text(pdf)
    for expected in EXPECTED[name.split()[0]]:
        assert expected in text


def _convert(files: list[Path], out: Path, profile: Path) -> dict[str, Path]:
    command = [
        SOFFICE,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        *map(str, files),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    result = {path.stem: out / f"{path.stem}.pdf" for path in files}
    missing = [name for name, pdf in result.items() if not pdf.is_file()]
    assert not missing, f"LibreOffice made no PDF of {missing}: {done.stdout} {done.stderr}"
    return result


def test_libreoffice_opens_a_redline_of_structural_changes(tmp_path):
    """Inserted, deleted, withdrawn, renamed and renumbered clauses: the redline opens and
    shows the deleted clause and the renumbered one's old number; its text with every change
    accepted is the clean file's, headings numbered alike.

    LibreOffice (7.4) shows a numbered paragraph holding a tracked deletion, or following a
    deleted paragraph mark, with its number in brackets, as a deleted list item, and numbers
    the headings after it from there while changes are shown; Word numbers them as the list
    does. So the redline's numbers are not checked here, only its text."""
    from tests.writers.test_docx_structural import _all_kinds, _write
    from tests.writers.test_docx_writer import review

    clean, redline = _write(_all_kinds(), tmp_path)
    accepted = review(redline, tmp_path / "accepted.docx", accept=True)
    pdfs = _convert([clean, redline, accepted], tmp_path / "pdf", tmp_path / "profile")
    marked = _text(pdfs["redline"])
    for expected in ("Display choices", "4.3 Old interface ESME shall have a port.",
                     "Security Log 50 Not used", "FunctionsMeter functions"):  # fmt: skip
        assert expected in marked
    assert "5Annex" in marked.replace("5 Annex", "5Annex")  # the deleted tab: a space or none
    assert _text(pdfs["accepted"]) == _text(pdfs["clean"])
    assert "6 Annex" in _text(pdfs["clean"]) and "4.3 Old interface" not in _text(pdfs["clean"])
