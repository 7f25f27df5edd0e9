"""The Word redline labels the tracked changes of a change read from a picture: their author is
"IRP2 (read from a picture)", which Word shows on the change and lists as a reviewer of its
own; every other change keeps its IRP as author, and nothing else in the file changes."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import pytest

from spectrace.model import Change, Proposal, Target
from spectrace.model.proposal import PICTURE
from tests.writers.test_docx_structural import _all_kinds
from tests.writers.test_docx_writer import (
    W,
    _amendment,
    body_of,
    changes,
    read_back,
    review,
    shape,
    write_redline,
)

PICTURE_IRP2 = "IRP2 (read from a picture)"
PICTURE_IRP1 = "IRP1 (read from a picture)"


def _with_pictures(proposals: dict[str, Proposal], pictures: set[tuple[str, int]]) -> dict:
    """Return ``proposals`` given changes 1 to 5, those in ``pictures`` read from a picture."""
    given = {}
    for irp, proposal in proposals.items():
        made = [
            Change(n, "", Target("SMETS", "1"), source=PICTURE if (irp, n) in pictures else "")
            for n in range(1, 6)
        ]
        given[irp] = dataclasses.replace(proposal, changes=made)
    return given


def _redline(path: Path, pictures: set[tuple[str, int]]) -> Path:
    """Write the synthetic redline of test_docx_writer (IRP1 changes 1 and 2, IRP2 changes 3 to
    5) with the changes in ``pictures`` read from a picture."""
    base, amended, revisions, proposals = _amendment()
    write_redline(path, base, amended, revisions, _with_pictures(proposals, pictures))
    return path


def _run_authors(path: Path) -> dict[str, set[str]]:
    """Return {text: {author}} of every tracked run."""
    found: dict[str, set[str]] = {}
    for element in changes(path):
        if element.getparent().tag in (W + "rPr", W + "trPr"):
            continue
        text = "".join(t.text for t in element.iter(W + "t", W + "delText")).strip()
        found.setdefault(text, set()).add(element.get(W + "author"))
    return found


def _mark_authors(path: Path) -> dict[str, set[str]]:
    """Return {text of the paragraph or row: {author}} of every marked paragraph or row mark."""
    found: dict[str, set[str]] = {}
    root = body_of(path)
    for element in root.iter(W + "ins", W + "del"):
        holder = element.getparent()
        if holder.tag not in (W + "rPr", W + "trPr"):
            continue
        line = holder.getparent().getparent() if holder.tag == W + "rPr" else holder.getparent()
        text = "".join(line.itertext()).strip()
        found.setdefault(text, set()).add(element.get(W + "author"))
    return found


@pytest.fixture
def labelled(tmp_path) -> Path:
    # IRP2 change 3 rewrites clause 1; IRP1 change 2 adds to and changes the glossary
    return _redline(tmp_path / "pictures.docx", {("IRP2", 3), ("IRP1", 2)})


def test_the_runs_of_a_picture_change_are_by_the_irp_read_from_a_picture(labelled):
    found = _run_authors(labelled)
    assert found["only"] == {PICTURE_IRP2}
    assert found["the Debt Recovery Rates; and"] == {PICTURE_IRP2}
    assert found["A new paragraph."] == {PICTURE_IRP2}
    assert found["Greek"] == {PICTURE_IRP1}
    assert found["Gamma"] == {PICTURE_IRP1}
    # the typed changes of the same IRPs, in the same clause and glossary
    assert found["data"] == {"IRP1"} and found["Data"] == {"IRP1"}
    assert found["Old row"] == {"IRP2"} and found["Beta"] == {"IRP2"}


def test_paragraph_and_row_marks_of_a_picture_change_carry_the_label(labelled):
    marks = _mark_authors(labelled)
    assert marks["An old closing paragraph."] == {PICTURE_IRP2}
    assert marks["GammaNew."] == {PICTURE_IRP1}  # a glossary row added
    assert marks["Old row1"] == {"IRP2"} and marks["BetaGone."] == {"IRP2"}


def test_a_picture_change_keeps_its_irps_date(labelled):
    dates = {e.get(W + "author"): e.get(W + "date") for e in changes(labelled)}
    assert dates[PICTURE_IRP1] == dates["IRP1"] == "2020-01-02T00:00:00Z"
    assert dates[PICTURE_IRP2] == dates["IRP2"]


def test_the_labelled_redline_still_accepts_to_the_amended_and_rejects_to_the_base(
    labelled, tmp_path
):
    base, amended, _, _ = _amendment()
    assert read_back(labelled, amended) == shape(amended)
    rejected = review(labelled, tmp_path / "rejected.docx", accept=False)
    assert read_back(rejected, base) == shape(base)


@pytest.mark.parametrize(
    "pictures",
    [
        {("IRP2", 3)},
        {("IRP1", 1), ("IRP1", 2)},
        {(irp, n) for irp in ("IRP1", "IRP2") for n in range(6)},
    ],
    ids=["one", "one-irp", "all"],
)
def test_the_label_is_the_only_difference(tmp_path, pictures):
    typed = _redline(tmp_path / "typed.docx", set())
    labelled = _redline(tmp_path / "labelled.docx", pictures)
    xml = _parts(labelled)
    xml["word/document.xml"] = (
        xml["word/document.xml"]
        .replace(PICTURE_IRP1.encode(), b"IRP1")
        .replace(PICTURE_IRP2.encode(), b"IRP2")
    )
    assert xml == _parts(typed)
    assert _parts(labelled)["word/document.xml"].count(b"(read from a picture)") > 0


def test_without_a_picture_the_redline_is_byte_for_byte_as_before(tmp_path):
    # proposals whose changes are all typed write what proposals without changes write
    base, amended, revisions, proposals = _amendment()
    with_changes = _redline(tmp_path / "typed.docx", set())
    without = tmp_path / "plain.docx"
    write_redline(without, base, amended, revisions, proposals)
    assert with_changes.read_bytes() == without.read_bytes()


def test_structural_picture_changes_label_their_headings(tmp_path):
    editor = _all_kinds()
    proposals = {p.irp: p for p in editor.proposals()}
    for irp, number in (("IRP9", 1), ("IRP10", 1)):  # 4.1.2 inserted; 5 renumbered 6
        change = next(c for c in proposals[irp].changes if c.number == number)
        change.source, change.confidence = PICTURE, 0.8
    redline = tmp_path / "redline.docx"
    base, amended, revisions = editor.base, editor.document, editor.revisions
    write_redline(redline, base, amended, revisions, proposals)
    marks = _mark_authors(redline)
    # 4.1.2's heading and body, inserted by IRP9 change 1, its heading renamed by IRP10 change 2
    assert marks["Display choices"] == {"IRP9 (read from a picture)"}
    assert marks["ESME shall offer display options."] == {"IRP9 (read from a picture)"}
    runs = _run_authors(redline)
    assert runs["Display"] == {"IRP9 (read from a picture)"}
    assert runs["choices"] == {"IRP10"}  # the typed rename
    assert runs["5"] == {"IRP10 (read from a picture)"}  # the old number, deleted
    # the delete (4.3), withdraw (4.2) and rename (4) of IRP9 stay typed
    assert marks["Not used"] == {"IRP9"} and runs["Meter functions"] == {"IRP9"}
    assert runs["Old interface"] == {"IRP9"}
    assert read_back(redline, amended) == shape(amended)


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
