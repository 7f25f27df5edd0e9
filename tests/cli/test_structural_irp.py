"""Structural IRPs end to end: an IRP-as-code proposal that inserts, withdraws, deletes,
renumbers and renames clauses and adds a table row, applied by ``spectrace amend`` and
``spectrace build`` in a copy of the bundled project."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from spectrace.api import load_document
from tests.cli.test_cli import run
from tests.conftest import bundled_project

ROOT = Path(__file__).parents[2]

IRP900 = """\
.. spec:proposal:: IRP900
   :title: Security Log export
   :date: 2026-01-05

Required Changes to Documentation
=================================

.. spec:change:: 1
   :target: SMETS 4.6.5.17A
   :instruction: Insert new Section 4.6.5.17A after Section 4.6.5.17 as shown below:
   :action: insert_clause
   :after: 4.6.5.17

   .. spec:heading::

      :ins:`4.6.5.17A Security Log export`

   :ins:`GSME shall be capable of exporting the Security Log. The export may be compressed.`

.. spec:change:: 2
   :target: SMETS 4.6.5.16
   :instruction: Withdraw SMETS Section 4.6.5.16 ("Not used").
   :action: withdraw_clause

.. spec:change:: 3
   :target: SMETS 4.6.5.15
   :instruction: Delete SMETS Section 4.6.5.15 in its entirety.
   :action: delete_clause

.. spec:change:: 4
   :target: SMETS 4.6.5.13
   :instruction: Renumber SMETS Section 4.6.5.13 as 4.6.5.13A.
   :action: renumber_clause
   :new-number: 4.6.5.13A

.. spec:change:: 5
   :target: SMETS 4.5.1
   :instruction: At SMETS 4.5.1 amend the heading as shown:

   .. spec:heading::

      4.5.1 Gas Proxy Function :del:`information` :ins:`data` provision
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return bundled_project(tmp_path, {"IRP900": IRP900}, listed_in=("SMETS",))


def test_amend_applies_every_structural_change_and_reports_it(project):
    result = run("amend", "--json", cwd=project)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    structural = [
        (r["change"], r["clause"], r["action"]) for r in report["revisions"] if r["irp"] == "IRP900"
    ]
    assert structural == [
        (1, "4.6.5.17A", "insert_clause"),
        (2, "4.6.5.16", "withdraw_clause"),
        (3, "4.6.5.15", "delete_clause"),
        (4, "4.6.5.13A", "renumber_clause"),
        (5, "4.5.1", "amend"),
    ]


def test_the_amended_spec_as_code_holds_the_new_structure(project):
    out = project / "amended"
    result = run("amend", "--out", str(out), cwd=project)
    assert result.exit_code == 0, result.output
    (folder,) = (out / "SMETS").iterdir()
    amended = load_document(folder, "SMETS", folder.name)
    numbers = [c.number for c in amended.clauses]
    assert "4.6.5.15" not in numbers
    assert numbers.index("4.6.5.17A") == numbers.index("4.6.5.17") + 1
    assert "4.6.5.13A" in numbers and "4.6.5.13" not in numbers
    new = amended.clause("4.6.5.17A")
    assert new.title == "Security Log export"
    assert [s.id for s in new.statements] == ["SMETS-4.6.5.17A-1", "SMETS-4.6.5.17A-2"]
    withdrawn = amended.clause("4.6.5.16")
    assert [b.text for b in withdrawn.blocks] == ["Not used"]
    assert amended.clause("4.5.1").title == "Gas Proxy Function data provision"
    assert [s.id for s in amended.clause("4.5.1").statements] == ["SMETS-4.5.1-1"]


def test_build_writes_the_new_clauses_to_the_database_and_the_site(project):
    result = run("build", cwd=project)
    assert result.exit_code == 0, result.output
    database = sqlite3.connect(project / "build" / "requirements.db")
    try:
        texts = dict(
            database.execute(
                "SELECT id, text FROM statements WHERE id LIKE 'SMETS-4.6.5.17A-%'"
            ).fetchall()
        )
    finally:
        database.close()
    assert texts == {
        "SMETS-4.6.5.17A-1": "GSME shall be capable of exporting the Security Log.",
        "SMETS-4.6.5.17A-2": "The export may be compressed.",
    }
    pages = "".join(
        p.read_text(encoding="utf-8") for p in (project / "build" / "html").rglob("*.html")
    )
    assert "Security Log export" in pages


IRP901 = """\
.. spec:proposal:: IRP901
   :title: Drop the Security Log clause

Required Changes to Documentation
=================================

.. spec:change:: 1
   :target: SMETS 4.6.5.17
   :instruction: Delete SMETS Section 4.6.5.17 in its entirety.
   :action: delete_clause
"""


def test_deleting_a_traced_clause_reports_every_link_to_it(tmp_path):
    """The reference model's code and tests trace to SMETS 4.6.5.17: deleting it retires its
    statements, and ``check`` and ``impact`` name every tag that still points at them."""
    for name in ("specs", "trace"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "src" / "smartmeter", tmp_path / "src" / "smartmeter")
    shutil.copytree(ROOT / "tests" / "meter", tmp_path / "tests" / "meter")
    (tmp_path / "specs" / "irps" / "IRP901.rst").write_text(IRP901, encoding="utf-8")
    toml = (ROOT / "spectrace.toml").read_text(encoding="utf-8")
    toml = toml.replace(
        'proposals = ["IRP603"]            #', 'proposals = ["IRP603", "IRP901"] #', 1
    )
    (tmp_path / "spectrace.toml").write_text(toml, encoding="utf-8")
    tagged = sorted(
        path.relative_to(tmp_path).as_posix()
        for folder in ("src", "tests")
        for path in (tmp_path / folder).rglob("*.py")
        if "SMETS-4.6.5.17-" in path.read_text(encoding="utf-8")
    )
    assert len(tagged) >= 3, "the reference model's code and tests trace to SMETS 4.6.5.17"

    check = run("check", cwd=tmp_path)
    assert check.exit_code == 1
    reported = sorted(
        line.split(" ")[1].rstrip(":")
        for line in check.output.splitlines()
        if line.endswith("[retired-target]") and "SMETS-4.6.5.17-" in line
    )
    assert sorted({place.split(":")[0] for place in reported}) == tagged
    impact = run("impact", "IRP901", cwd=tmp_path)
    assert all(f"still tagged at {place}" in impact.output for place in reported)


def test_amend_says_what_each_structural_change_did(project):
    result = run("amend", cwd=project)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "IRP900" in line]
    assert lines == [
        "applied IRP900 change 1 to SMETS 4.6.5.17A (clause inserted after 4.6.5.17): "
        "+SMETS-4.6.5.17A-1 +SMETS-4.6.5.17A-2",
        "applied IRP900 change 2 to SMETS 4.6.5.16 (clause withdrawn)",
        "applied IRP900 change 3 to SMETS 4.6.5.15 (clause deleted)",
        "applied IRP900 change 4 to SMETS 4.6.5.13A (renumbered from 4.6.5.13)",
        "applied IRP900 change 5 to SMETS 4.5.1 (heading renamed from “Gas Proxy Function "
        "information provision” to “Gas Proxy Function data provision”)",
        "amended SMETS 4.2+IRP603+IRP900",
    ]
