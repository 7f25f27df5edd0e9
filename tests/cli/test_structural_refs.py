"""References across documents after a structural IRP, end to end: an IRP-as-code proposal that
deletes, withdraws, renumbers and retitles clauses of the bundled SMETS and CHTS, and the
references ``spectrace lint`` and ``spectrace build`` then report, in both documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.conftest import bundled_project

IRP901 = """\
.. spec:proposal:: IRP901
   :title: Tidy the data items
   :date: 2026-02-01

Required Changes to Documentation
=================================

.. spec:change:: 1
   :target: SMETS 4.6.5.11
   :instruction: Delete SMETS Section 4.6.5.11 in its entirety.
   :action: delete_clause

.. spec:change:: 2
   :target: CHTS 4.6.3.5
   :instruction: Withdraw CHTS Section 4.6.3.5 ("Not used").
   :action: withdraw_clause

.. spec:change:: 3
   :target: SMETS 4.6.5.17
   :instruction: Renumber SMETS Section 4.6.5.17 as 4.6.5.18.
   :action: renumber_clause
   :new-number: 4.6.5.18

.. spec:change:: 4
   :target: SMETS 5.6.1
   :instruction: At SMETS 5.6.1 amend the heading as shown:

   .. spec:heading::

      5.6.1 :del:`Type 1 Devices and Type 2 Device` :ins:`HAN Device` information provision

.. spec:change:: 5
   :target: CHTS 4.5.4
   :instruction: At CHTS 4.5.4 amend the text as shown:
   :run-on: before

   A GPF shall be capable of executing the Commands set out in this Section 4.5.4.

   :ins:`The GPF shall keep its copy of the GSME Security Log as SMETS 4.6.5.17 describes.`

.. spec:change:: 6
   :target: SMETS 4.4.3
   :instruction: At SMETS 4.4.3 amend the text as shown:
   :run-on: before

   GSME shall be capable of retaining all data held in its Non-Volatile Memory on loss of power.

   :ins:`GSME shall keep its log as the CHTS 4.6.3.5 log is kept.`
"""

#: Changes that leave every reference true: a withdrawn clause no text names, and a new clause
#: that new text names by its new number (4.6.5.17A, not 4.6.5.17).
IRP902 = """\
.. spec:proposal:: IRP902
   :title: Security Log export
   :date: 2026-02-02

Required Changes to Documentation
=================================

.. spec:change:: 1
   :target: SMETS 4.6.5.16
   :instruction: Withdraw SMETS Section 4.6.5.16 ("Not used").
   :action: withdraw_clause

.. spec:change:: 2
   :target: SMETS 4.6.5.17A
   :instruction: Insert new Section 4.6.5.17A after Section 4.6.5.17 as shown below:
   :action: insert_clause
   :after: 4.6.5.17

   .. spec:heading::

      :ins:`4.6.5.17A Security Log export`

   :ins:`GSME shall be capable of exporting the Security Log (4.6.5.17) as Section 4.6.5.17A says.`

.. spec:change:: 3
   :target: CHTS 4.5.4
   :instruction: At CHTS 4.5.4 amend the text as shown:
   :run-on: before

   A GPF shall be capable of executing the Commands set out in this Section 4.5.4.

   :ins:`The GPF shall keep the export of SMETS 4.6.5.17A.`
"""

EDITIONS = {"SMETS": "4.2+IRP603+IRP901", "CHTS": "1.3+IRP603+IRP901"}

#: (severity, code, document, clause, message) of every reference IRP901 leaves wrong.
EXPECTED = [
    (
        "error",
        "ref-deleted",
        "SMETS",
        "4.4.5",
        "SMETS-4.4.5-4 refers to 4.6.5.11, which IRP901 change 1 deleted",
    ),
    (
        "error",
        "ref-moved",
        "SMETS",
        "4.4.5",
        "SMETS-4.4.5-5 refers to 4.6.5.17, which IRP901 change 3 renumbered 4.6.5.18",
    ),
    (
        "error",
        "ref-moved",
        "SMETS",
        "6",
        'the glossary entry "Security Log" refers to 4.6.5.17, which IRP901 change 3 '
        "renumbered 4.6.5.18",
    ),
    (  # text the same IRP inserted, in the other document
        "error",
        "ref-moved",
        "CHTS",
        "4.5.4",
        "CHTS-4.5.4-2 refers to SMETS 4.6.5.17, which IRP901 change 3 renumbered 4.6.5.18",
    ),
    (
        "warning",
        "ref-withdrawn",
        "SMETS",
        "4.4.3",
        'SMETS-4.4.3-2 refers to CHTS 4.6.3.5, which IRP901 change 2 withdrew ("Not used")',
    ),
    (
        "warning",
        "ref-retitled",
        "SMETS",
        "5.12.1",
        'SMETS-5.12.1-1 refers to 5.6.1 as "Type 1 Devices and Type 2 Device information '
        'provision", which IRP901 change 4 retitled "HAN Device information provision"',
    ),
    *(
        (
            "warning",
            "ref-withdrawn",
            "CHTS",
            "4.4.6.1",
            f'CHTS-4.4.6.1-{n} refers to 4.6.3.5, which IRP901 change 2 withdrew ("Not used")',
        )
        for n in (4, 6, 10)  # 10: the statement IRP603 change 5 added
    ),
    (
        "warning",
        "ref-withdrawn",
        "CHTS",
        "5",
        'the glossary entry "CHF Security Log" refers to 4.6.3.5, which IRP901 change 2 '
        'withdrew ("Not used")',
    ),
]


def _project(tmp_path: Path, irp: str, source: str, extra_toml: str = "") -> Path:
    return bundled_project(tmp_path, {irp: source}, extra_toml=extra_toml)


def _structural(result) -> list[tuple[str, str, str, str, str]]:
    findings = json.loads(result.stdout)
    for finding in findings:
        if finding["code"].startswith("ref-"):
            assert finding["edition"] == EDITIONS[finding["document"]]
    return [
        (f["severity"], f["code"], f["document"], f["clause"], f["message"])
        for f in findings
        if f["code"].startswith("ref-")
    ]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return _project(tmp_path, "IRP901", IRP901)


def test_lint_reports_every_reference_the_irp_left_wrong_in_both_documents(project):
    result = run("lint", "--json", cwd=project)
    assert result.exit_code == 1, result.output
    assert sorted(_structural(result)) == sorted(EXPECTED)
    messages = [f["message"] for f in json.loads(result.stdout) if f["code"] == "dangling-ref"]
    assert not any("4.6.5.11" in m or "4.6.5.17" in m for m in messages), messages


def test_build_prints_the_findings_and_fails_on_the_errors(project):
    result = run("build", cwd=project)
    assert result.exit_code == 1, result.output
    assert (
        "error: CHTS 1.3+IRP603+IRP901 4.5.4: CHTS-4.5.4-2 refers to SMETS 4.6.5.17, which "
        "IRP901 change 3 renumbered 4.6.5.18 [ref-moved]"
    ) in result.output
    assert "[ref-retitled]" in result.output


def test_the_project_file_regrades_and_waives_the_new_codes(tmp_path):
    policy = (
        '\n[lint.severity]\nref-deleted = "warning"\nref-moved = "warning"\n'
        'ref-withdrawn = "info"\n'
        '\n[[lint.waive]]\ncode = "ref-retitled"\nclause = "SMETS 5.12.1"\n'
        'reason = "the old title names the clause as Part A had it"\n'
    )
    project = _project(tmp_path, "IRP901", IRP901, policy)
    result = run("lint", "--json", cwd=project)
    assert result.exit_code == 0, result.output
    found = _structural(result)
    graded = {"ref-deleted": "warning", "ref-moved": "warning", "ref-withdrawn": "info"}
    expected = [
        (graded[code], code, *rest) for _, code, *rest in EXPECTED if code != "ref-retitled"
    ]
    assert sorted(found) == sorted(expected)


def test_an_irp_that_leaves_every_reference_true_adds_no_finding(tmp_path):
    project = _project(tmp_path, "IRP902", IRP902)
    amended = json.loads(run("amend", "--json", cwd=project).stdout)
    assert not amended["problems"]
    assert [(r["change"], r["clause"]) for r in amended["revisions"] if r["irp"] == "IRP902"] == [
        (1, "4.6.5.16"),
        (2, "4.6.5.17A"),
        (3, "4.5.4"),
    ]
    result = run("lint", "--json", cwd=project)
    assert result.exit_code == 0, result.output
    codes = {finding["code"] for finding in json.loads(result.stdout)}
    assert not {code for code in codes if code.startswith("ref-")}, result.stdout
    assert "dangling-ref" not in codes
