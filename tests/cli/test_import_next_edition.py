"""``spectrace import spec … --from EDITION`` end to end: a consolidated "next edition" of SMETS
is generated as a Word file from the project's own amended edition (SMETS 4.2+IRP603), with one
IRP change left out, one edit no IRP explains and typographic noise planted, then imported. The
report must name exactly the two planted discrepancies, and every statement must keep the id
it had in the amended edition."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from spectrace.api import Session, load_document
from spectrace.config import load_project
from spectrace.model import Block, BlockKind, Clause, Document
from spectrace.text import plain
from spectrace.transforms.statements import segment, split_sentences
from spectrace.writers.docx import write_docx
from tests.cli.test_cli import one_error_line, run

FROM = "SMETS 4.2+IRP603"


def import_next(project: Path, *extra: str):
    return run(
        "import",
        "spec",
        str(project / "next.docx"),
        "--doc",
        "SMETS",
        "--edition",
        "4.3",
        "--from",
        FROM,
        *extra,
        cwd=project,
    )


def retext(block: Block, text: str) -> None:
    block.text = text
    block.statements = [
        type(s)(s.id, piece)
        for s, piece in zip(block.statements, split_sentences(text), strict=False)
    ]


def plant(project: Path, missing: int, seed: int) -> dict:
    """Write ``next.docx``: the amended edition without change ``missing`` of IRP603 (that
    clause as the base has it), with one word inserted into a statement of a clause chosen by
    ``seed``, and straight quotes and doubled spaces everywhere; return what was planted."""
    session = Session(load_project(project))
    built = session.edition(FROM)
    amended, revisions = built.document, built.revisions
    base = session.documents[0]
    revision = next(r for r in revisions if r.change == missing)
    edition = amended.copy()
    index = next(i for i, c in enumerate(edition.clauses) if c.number == revision.clause)
    edition.clauses[index] = base.clause(revision.clause).copy()
    touched = {r.clause for r in revisions}
    rng = random.Random(seed)
    candidates = [
        (clause, block)
        for clause in edition.clauses
        if clause.number not in touched
        for block in clause.blocks
        if block.kind is BlockKind.PARAGRAPH and block.statements and " shall " in block.text
    ]
    clause, block = rng.choice(candidates)
    before = block.text
    statement = block.statements[0]
    edited_text = before.replace(" shall ", " shall always ", 1)
    retext(block, edited_text)
    for other in edition.clauses:
        for each in other.blocks:
            if each.kind is not BlockKind.TABLE and each is not block:
                retext(each, each.text.replace("\u2019", "'").replace(" the ", "  the ", 1))
    write_docx(edition, project / "next.docx")
    return {
        "revision": revision,
        "clause": clause.number,
        "before": before,
        "after": edited_text,
        "edited": statement.id,
        "amended": {s.id: s.text for _, s in amended.statements()},
    }


@pytest.mark.parametrize(("missing", "seed"), [(1, 0), (3, 1), (4, 2), (2, 3), (3, 4)])
def test_a_next_edition_keeps_ids_and_reports_the_planted_discrepancies(
    project_copy, missing, seed
):
    planted = plant(project_copy, missing, seed)
    revision = planted["revision"]
    result = import_next(project_copy, "--json")
    assert result.exit_code == 1, result.output
    assert not (project_copy / "specs" / "SMETS" / "4.3").exists()  # --json writes nothing
    data = json.loads(result.stdout)
    found = [(d["kind"], d["clause"], d["irp"], d["change"]) for d in data["discrepancies"]]
    expected = {
        ("missing", revision.clause, "IRP603", missing),
        ("unexplained", planted["clause"], None, None),
    }
    assert set(found) == expected and len(found) == 2, data["discrepancies"]
    unexplained = next(d for d in data["discrepancies"] if d["kind"] == "unexplained")
    assert plain(unexplained["before"]) == plain(planted["before"])
    assert plain(unexplained["after"]) == plain(planted["after"])
    missed = next(d for d in data["discrepancies"] if d["kind"] == "missing")
    assert missed["before"] != missed["after"]
    assert data["doubts"] == []

    # the ids: every statement keeps its amended id; the edited one and those of the left-out
    # change are the only ones not carried
    status = {item["id"]: item["status"] for item in data["continuity"]}
    expected_status = dict.fromkeys(planted["amended"], "carried")
    expected_status[planted["edited"]] = "changed"
    expected_status |= dict.fromkeys(revision.added, "retired")
    expected_status |= dict.fromkeys(revision.changed, "changed")
    assert status == expected_status
    statements = {s["id"]: s["text"] for c in data["clauses"] for s in c["statements"]}
    for sid, text in statements.items():
        if status[sid] == "carried":
            assert plain(text) == plain(planted["amended"][sid])


def test_the_edition_is_written_with_its_record_and_the_exit_status_says_look(project_copy):
    planted = plant(project_copy, 1, 0)
    result = import_next(project_copy)
    assert result.exit_code == 1, result.output
    assert "missing: SMETS 4.4.5 IRP603 change 1" in result.stdout
    assert f"unexplained: SMETS {planted['clause']}" in result.stdout
    assert "continues SMETS 4.2+IRP603: " in result.stderr
    folder = project_copy / "specs" / "SMETS" / "4.3"
    written = load_document(folder)
    assert written.continues == FROM
    assert set(written.changed) == {planted["edited"], "SMETS-4.4.5-5"}
    assert {s.id for _, s in written.statements()} == set(planted["amended"])
    # the same import again is refused, keeping what is there, unless forced
    again = import_next(project_copy)
    one_error_line(again, "already holds files; pass --force")
    assert import_next(project_copy, "--force").exit_code == 1


def test_a_faithful_next_edition_exits_0_and_carries_every_id(project_copy):
    session = Session(load_project(project_copy))
    amended = session.edition(FROM).document
    write_docx(amended, project_copy / "next.docx")
    result = import_next(project_copy, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["discrepancies"] == [] and data["doubts"] == []
    assert {item["status"] for item in data["continuity"]} == {"carried"}
    assert data["continues"] == FROM


def test_a_sentence_inserted_first_in_a_clause_moves_no_id(project_copy):
    """The issue's finding: the old first sentence kept -1 only by luck of position before."""
    session = Session(load_project(project_copy))
    amended = session.edition(FROM).document
    edition = amended.copy()
    clause = edition.clause("5.7.5.31") or edition.clause("5.6.1")
    block = next(b for b in clause.blocks if b.statements)
    old = [(s.id, s.text) for s in block.statements]
    block.text = "ESME shall keep a Security Log. " + block.text
    block.statements = [type(old and block.statements[0])("x", "ESME shall keep a Security Log.")]
    block.statements += [type(block.statements[0])(sid, text) for sid, text in old]
    write_docx(edition, project_copy / "next.docx")
    data = json.loads(import_next(project_copy, "--json").stdout)
    statements = {
        s["text"]: s["id"]
        for c in data["clauses"]
        if c["number"] == clause.number
        for s in c["statements"]
    }
    for sid, text in old:
        assert statements[text] == sid
    added = statements["ESME shall keep a Security Log."]
    assert added not in {sid for sid, _ in old}
    assert {"id": added, "status": "new", "clause": clause.number, "before": None} in data[
        "continuity"
    ]


def test_a_renumbered_clause_keeps_its_ids_and_is_reported(project_copy):
    session = Session(load_project(project_copy))
    amended = session.edition(FROM).document
    edition = amended.copy()
    clause = edition.clause("5.6.1")
    clause.number = "5.6.9"
    write_docx(edition, project_copy / "next.docx")
    data = json.loads(import_next(project_copy, "--json").stdout)
    assert [(d["kind"], d["before"], d["after"]) for d in data["discrepancies"]] == [
        ("heading", f"5.6.1 {clause.title}", f"5.6.9 {clause.title}")
    ]
    moved = [item for item in data["continuity"] if item["before"] == "5.6.1"]
    assert moved and all(i["clause"] == "5.6.9" and i["status"] == "carried" for i in moved)
    assert all(i["id"].startswith("SMETS-5.6.1-") for i in moved)


# Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edition", "words"),
    [
        ("SMETS 4.1", ["--from 'SMETS 4.1'", "the project can build no edition 'SMETS 4.1'"]),
        ("SMETS 4.2+IRP999", ["--from 'SMETS 4.2+IRP999'", "no IRP source for 'IRP999'"]),
        ("GBCS 1.0", ["--from 'GBCS 1.0'", "the project can build no edition 'GBCS 1.0'"]),
        ("CHTS 1.3", ["continues CHTS 1.3, a different document from --doc SMETS"]),
        ("SMETS 4.2+IRP603+IRP603", ["cannot be built", "already-applied"]),
        ("SMETS 4.2+", ["no IRP source for ''"]),
    ],
)
def test_an_edition_the_project_cannot_build_is_one_error_line(project_copy, edition, words):
    write_docx(Session(load_project(project_copy)).documents[0], project_copy / "next.docx")
    result = run(
        "import",
        "spec",
        str(project_copy / "next.docx"),
        "--doc",
        "SMETS",
        "--edition",
        "4.3",
        "--from",
        edition,
        cwd=project_copy,
    )
    line = one_error_line(result, *words)
    assert line.startswith(f"error: {project_copy / 'spectrace.toml'}: ")
    assert not (project_copy / "specs" / "SMETS" / "4.3").exists()


def test_a_word_edition_whose_headings_match_nothing_is_refused(project_copy):
    stranger = Document(
        "SMETS",
        "9",
        clauses=[
            Clause("77", "Zebra crossings", 1, [Block(BlockKind.PARAGRAPH, "Cars shall stop.")]),
            Clause("77.1", "Lamps", 2, [Block(BlockKind.PARAGRAPH, "Lamps shall flash.")]),
        ],
    )
    segment(stranger)
    write_docx(stranger, project_copy / "next.docx")
    result = import_next(project_copy)
    one_error_line(result, "next.docx: headings: none of its 2 headings matches a clause of")
    assert not (project_copy / "specs" / "SMETS" / "4.3").exists()


def test_from_needs_a_project(tmp_path):
    session_free = tmp_path / "next.docx"
    from tests.conftest import SMETS_DOCX

    session_free.write_bytes(SMETS_DOCX.read_bytes())
    result = run(
        "import",
        "spec",
        str(session_free),
        "--doc",
        "SMETS",
        "--edition",
        "4.3",
        "--from",
        FROM,
        cwd=tmp_path,
    )
    one_error_line(result, "spectrace.toml")
