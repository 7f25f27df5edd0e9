"""Every output of ``spectrace build`` shows an IRP-as-code proposal's structural changes:
the change-marked view and the IRP page, the Word redline (accepting it gives the clean file),
and the database's revisions."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.cli.test_structural_irp import project  # noqa: F401  (the fixture)
from tests.sphinx.test_site import body
from tests.writers.test_docx_writer import W, body_of, changes, paragraph_texts, review

EDITION = "SMETS 4.2+IRP603+IRP900"


@pytest.fixture
def built(project: Path) -> Path:  # noqa: F811
    result = run("build", cwd=project)
    assert result.exit_code == 0, result.output
    return project / "build"


def test_build_shows_every_structural_change_in_every_output(built):
    html = built / "html"
    changes_page = body((html / "SMETS" / "4.2+IRP603+IRP900" / "changes.html").read_text())
    for change, said in [(1, "clause inserted; added"), (2, "clause withdrawn"),
                         (3, "clause deleted"), (4, "renumbered from 4.6.5.13"),
                         (5, "heading renamed from")]:  # fmt: skip
        assert f'IRP900.html#IRP900-change-{change}">IRP900 change {change}</a>: {said}' in (
            changes_page
        )
    assert 'title="inserted by IRP900 change 1">4.6.5.17A Security Log export</ins>' in changes_page
    assert re.search(r'title="deleted by IRP900 change 3">4\.6\.5\.15 ', changes_page)
    assert 'href="../4.2/section-04.html#clause-4.6.5.15"' in changes_page
    assert '<del class="spectrace-del" title="deleted by IRP900 change 4">4.6.5.13</del>' in (
        changes_page
    )
    irp = body((html / "irps" / "IRP900.html").read_text())
    assert "5 of 5 changes applied." in irp
    assert "(insert clause after 4.6.5.17)" in irp and "(renumber clause as 4.6.5.13A)" in irp

    folder = built / "docx"
    redline, clean = folder / f"{EDITION} redline.docx", folder / f"{EDITION}.docx"
    headings = {
        "".join(p.itertext()): p
        for p in body_of(redline).iter(W + "p")
        if (p.find(f"{W}pPr/{W}pStyle") is not None)
        and p.find(f"{W}pPr/{W}pStyle").get(W + "val").startswith("Heading")
    }
    inserted = headings["Security Log export"]
    assert inserted.find(f"{W}pPr/{W}rPr/{W}ins").get(W + "author") == "IRP900"
    deleted = next(p for text, p in headings.items() if text.startswith("4.6.5.15"))
    assert deleted.find(f"{W}pPr/{W}rPr/{W}del").get(W + "author") == "IRP900"
    renumbered = next(p for text, p in headings.items() if text.startswith("4.6.5.13"))
    assert renumbered.find(f"{W}del").get(W + "author") == "IRP900"
    accepted = review(redline, built / "accepted.docx", accept=True)
    assert paragraph_texts(accepted) == paragraph_texts(clean) and changes(accepted) == []

    database = sqlite3.connect(built / "requirements.db")
    try:
        rows = database.execute(
            "SELECT change, clause, action, title_after, number_before FROM revisions "
            "WHERE irp = 'IRP900' ORDER BY change"
        ).fetchall()
    finally:
        database.close()
    assert [(row[0], row[1], row[2]) for row in rows] == [
        (1, "4.6.5.17A", "insert_clause"),
        (2, "4.6.5.16", "withdraw_clause"),
        (3, "4.6.5.15", "delete_clause"),
        (4, "4.6.5.13A", "renumber_clause"),
        (5, "4.5.1", "amend"),
    ]
    assert rows[0][3] == "Security Log export" and rows[3][4] == "4.6.5.13"
