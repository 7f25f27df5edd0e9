"""Picture mark-ups end to end (issue 13): a Word IRP whose mark-ups are pictures, imported
with ``spectrace import irp`` into a copy of the bundled project, listed in the project file
and applied with ``spectrace amend``; and applied directly with ``amend --spec --irp``.

The IRP's changes are pictures of ``benchmarks/make_pictures.py``'s corpus: three that the
reader reads and reconciles exactly, one whose instruction names a clause the picture does
not quote and one whose clause does not exist (both unverified), and one that is no picture
at all (unreadable). What the IRP-as-code says about each, and what the amend engine
does with it, must match: verified changes applied as the excerpts say, unverified ones
refused as ``unverified``, the unreadable one as ``unreadable``.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from spectrace.api import load_document
from spectrace.model import Proposal, Target
from spectrace.readers.rst.irp import read_rst_irp
from spectrace.transforms.amend import amend
from tests.cli.test_cli import run
from tests.conftest import bundled_project, load_benchmark

ROOT = Path(__file__).parents[2]
mp = load_benchmark("make_pictures")

pytestmark = [
    pytest.mark.skipif(
        shutil.which("tesseract") is None,
        reason="Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)",
    ),
    pytest.mark.skipif(
        not mp.available_fonts(), reason="no TrueType font (apt-get install fonts-liberation)"
    ),
]

#: The IRP's changes, in order, by what the reader makes of them (numbers from 1).
EXACT = {
    1: "table-cell-edit/pillow-tracked-150",  # SMETS 4.6.5.17
    2: "delete-sentence/pillow-tracked-150",  # SMETS 5.7.5.31
    3: "delete-words/pillow-tracked-150",  # CHTS 4.4.6.1
}
UNVERIFIED = {
    4: "replace-words/pillow-tracked-150",  # shows SMETS 4.4.1; its instruction names 4.4.2
    5: "missing-target/pillow-tracked-150",  # SMETS 4.6.5.99 does not exist
}
UNREADABLE = {6: "hostile/not-an-image"}
CASES = {c.name: c for c in mp.corpus(libreoffice=False)}
_QUOTED = CASES["replace-words/pillow-tracked-150"]
CASES[_QUOTED.name] = replace(
    _QUOTED,
    excerpt=replace(
        _QUOTED.excerpt,
        instruction="At SMETS 4.4.2 amend the text as shown in the following mark-up:",
        target=Target("SMETS", "4.4.2"),
    ),
)
IRP = "IRP9603"  # the number irp_with_pictures gives


@pytest.fixture(autouse=True)
def _one_ocr_thread(monkeypatch):
    """Tesseract on one thread: its OpenMP threads only slow it down on two busy cores."""
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")


def _excerpt(number: int):
    return CASES[{**EXACT, **UNVERIFIED, **UNREADABLE}[number]].excerpt


def _irp(folder: Path) -> Path:
    names = [{**EXACT, **UNVERIFIED, **UNREADABLE}[n] for n in range(1, 7)]
    return mp.irp_of_cases(folder / "IRP-pictures.docx", [CASES[name] for name in names])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the bundled project (IRP603 listed), without its tracing."""
    return bundled_project(tmp_path)


def _options(source: str) -> dict[int, dict[str, str]]:
    """Return each change directive's options in IRP-as-code ``source``, by change number."""
    changes = {}
    for block in re.split(r"^\.\. spec:change:: ", source, flags=re.M)[1:]:
        number, _, rest = block.partition("\n")
        options = re.findall(r"^   :([a-z-]+):(.*)$", rest.split("\n\n")[0], flags=re.M)
        changes[int(number)] = {name: value.strip() for name, value in options}
    return changes


def _amended_by_the_excerpts(documents, numbers) -> dict[str, list]:
    """Return the clauses the exact changes ``numbers`` amend, as amending them gives them:
    {"SMETS 4.6.5.17": [title, block texts and rows]}."""
    changes = [_excerpt(n).change(n) for n in numbers]
    result = amend(documents, [Proposal(IRP, date="2019-07-11", changes=changes)])
    assert result.problems == []
    return {str(c.target): _clause(result.final(documents), c.target) for c in changes}


def _clause(documents, target) -> list:
    document = next(d for d in documents if d.name == target.document)
    clause = document.clause(target.clause)
    return [clause.title, *[(b.text, b.rows) for b in clause.blocks]]


def test_imported_then_listed_the_verified_pictures_apply_and_the_rest_are_refused(project):
    irp = _irp(project)
    result = run("import", "irp", str(irp), cwd=project)
    assert result.exit_code == 0, result.output
    out = result.output
    for number in EXACT:
        assert f"{IRP} change {number} (" in out
        line = next(x for x in out.splitlines() if f"change {number} (" in x)
        assert line.endswith("checked against its clause"), line
    for number in UNVERIFIED:
        line = next(x for x in out.splitlines() if f"change {number} (" in x)
        assert line.startswith("warning:") and line.endswith("[unverified]"), line
    line = next(x for x in out.splitlines() if "change 6 (" in x)
    assert "cannot be read" in line and line.endswith("[unreadable]"), line

    source = (project / "specs" / "irps" / f"{IRP}.rst").read_text(encoding="utf-8")
    options = _options(source)
    assert sorted(options) == [1, 2, 3, 4, 5, 6]
    for number, given in options.items():
        assert given["source"] == "picture", number
        read = number not in UNREADABLE
        assert ("confidence" in given) == read, number
        if read:
            assert 0.0 < float(given["confidence"]) <= 1.0
        assert ("unverified" in given) == (number in UNVERIFIED), number
        assert ("problem" in given) == (number in UNREADABLE), number
    assert "the picture lacks" in options[4]["unverified"]  # 4.4.2's words are not shown
    assert options[5]["unverified"] == "there is no SMETS 4.6.5.99 to check the picture against"
    proposal = read_rst_irp(project / "specs" / "irps" / f"{IRP}.rst")
    for number in EXACT:
        assert proposal.changes[number - 1].markup == _excerpt(number).change(number).markup

    toml = project / "spectrace.toml"
    listed = toml.read_text(encoding="utf-8").replace(
        'proposals = ["IRP603"]', f'proposals = ["IRP603", "{IRP}"]'
    )
    toml.write_text(listed, encoding="utf-8")
    result = run("amend", "--json", cwd=project)
    assert result.exit_code == 1, result.output  # refusals
    data = json.loads(result.stdout)
    refused = {p["change"]: p["code"] for p in data["problems"] if p["irp"] == IRP}
    assert refused == {4: "unverified", 5: "unverified", 6: "unreadable"}
    assert all(p["irp"] == IRP for p in data["problems"]), "IRP603 applies as before"
    applied = sorted(r["change"] for r in data["revisions"] if r["irp"] == IRP)
    assert applied == sorted(EXACT)
    best = next(p for p in data["problems"] if p["change"] == 4)["message"]
    assert "within five seconds" in best  # the refusal shows the best reading


def test_amend_applies_a_word_irp_of_pictures_to_a_spec_directly(project, bundled_documents):
    irp = _irp(project)
    out = project / "out"
    result = run(
        "amend",
        "--spec",
        "SMETS=specs/SMETS/4.2",
        "--irp",
        str(irp),
        "--out",
        str(out),
        cwd=project,
    )
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert any(x.startswith(f"applied {IRP} change 1 to SMETS 4.6.5.17") for x in lines)
    assert any(x.startswith(f"applied {IRP} change 2 to SMETS 5.7.5.31") for x in lines)
    skipped = next(x for x in lines if "change 3 (" in x)
    assert skipped.startswith("info:") and skipped.endswith("[not-in-project]")
    codes = {
        int(m.group(1)): m.group(2)
        for m in (re.match(rf"error: {IRP} change (\d) .*\[(\S+)\]$", x) for x in lines)
        if m
    }
    assert codes == {4: "unverified", 5: "unverified", 6: "unreadable"}

    amended = load_document(out / "SMETS" / f"4.2+{IRP}", "SMETS", f"4.2+{IRP}")
    smets = [d for d in bundled_documents if d.name == "SMETS"]
    expected = _amended_by_the_excerpts(smets, [1, 2])
    for target, clause in expected.items():
        assert _clause([amended], _excerpt(1 if "4.6.5.17" in target else 2).target) == clause
    base = smets[0]
    assert _clause([amended], _excerpt(4).target) == _clause([base], _excerpt(4).target)


def test_importing_an_unreadable_picture_twice_writes_the_same_bytes(tmp_path):
    irp = mp.irp_of_cases(tmp_path / "IRP.docx", [CASES["hostile/not-an-image"]])
    written = []
    for attempt in ("first", "second"):
        folder = tmp_path / attempt
        folder.mkdir()
        assert run("import", "irp", str(irp), "--out", str(folder), cwd=tmp_path).exit_code == 0
        written.append((folder / f"{IRP}.rst").read_bytes())
    assert written[0] == written[1]
