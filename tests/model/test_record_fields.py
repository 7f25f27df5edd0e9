"""Every field of a Proposal and of its Changes survives each format: IRP-as-code written and
read back, the JSON form, the database, the site and the Sphinx table. The records are filled
from the dataclasses' own field lists, every field away from its default, so a field added to
Proposal or Change and missed by a format fails here; so does one missing from the field
tables (PROPOSAL_FIELDS, CHANGE_OPTIONS) that every format derives from."""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
import typing
from pathlib import Path

import pytest

from spectrace.model import (
    Action,
    Change,
    Location,
    MarkupBlock,
    MarkupKind,
    Op,
    Proposal,
    Revision,
    Span,
    Target,
)
from spectrace.model.proposal import CHANGE_OPTIONS, PROPOSAL_FIELDS, FieldKind
from spectrace.model.refs import parse_change_target
from spectrace.readers.rst.irp import read_rst_irp
from spectrace.readers.rst.markup import ChangeDirective, ProposalDirective
from spectrace.site.plan import ProposalSite
from spectrace.store.write import CHANGE_COLUMNS, write_database
from spectrace.transforms.statements import Vocabulary
from spectrace.writers.json import proposal_to_dict
from spectrace.writers.rst_irp import render_proposal
from tests.conftest import PROJECT_ROOT
from tests.sphinx.conftest import CONF, sphinx_build

#: Fields that are the record's key, content or origin rather than an entry of a field table.
PROPOSAL_OWN = {"irp", "sections", "changes", "file"}
CHANGE_OWN = {"number", "markup", "location"}
#: What the database does not keep of a change, and why: the IRP's source keeps it.
NOT_IN_DATABASE = {
    "run_on_before": "the mark-up's context, needed only to apply it",
    "run_on_after": "the mark-up's context, needed only to apply it",
    "markup": "the mark-up itself; revisions keep what it did",
    "revised_by": "informational, from Word's tracked changes",
    "revised_on": "informational, from Word's tracked changes",
    "location": "where it was read from",
    "after": "where a structural change places a clause; revisions keep what it did",
    "new_number": "the number a renumbering gives; revisions keep what it did",
    "corrections": "what reconciling a picture's reading corrected; informational",
    "doubtful": "words OCR read with low confidence; informational once reconciled",
}

_MARKUP = [
    MarkupBlock(
        MarkupKind.PARAGRAPH,
        [Span("Keep "), Span("added", Op.INSERT), Span(" and "), Span("gone", Op.DELETE)],
    ),
    MarkupBlock(MarkupKind.LIST_ITEM, [Span("first")], label="(a)"),
    MarkupBlock(MarkupKind.LIST_ITEM, [Span("nested", Op.INSERT)], label="(i)", level=1),
    MarkupBlock(MarkupKind.TABLE_ROW, cells=[[Span("cell")], [Span("new", Op.INSERT)]]),
]
#: Values a generic sample would make invalid; every other field gets one from its type.
_SAMPLES: dict[str, object] = {
    "irp": "IRP777",
    "date": "2019-07-11",
    "date_raised": "2019-04-03",
    "references": ["SMETS v4.2", "CHTS v1.3"],
    "sections": {"Description": "Why.\n• one point", "Proposed Position": "What."},
    "file": "irps/IRP777.rst",
    "number": 3,
    "target": Target("CHTS"),
    "action": Action.AMEND_TERM,
    "term": "Security Log",
    "markup": _MARKUP,
    "revised_on": "2019-07-12",
    "after": "4.6.4.9",
    "new_number": "4.6.4.11",
    "source": "picture",
    "confidence": 0.87,
    "location": Location("irps/IRP777.rst", "line 30"),
}


def filled(cls: type) -> typing.Any:
    """Return a ``cls`` (Proposal or Change) with every field set away from its default."""
    hints = typing.get_type_hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        value = _SAMPLES[f.name] if f.name in _SAMPLES else _sample(hints[f.name], f.name)
        assert value != _default(f), f"{cls.__name__}.{f.name}: sample is its default"
        values[f.name] = value
    return cls(**values)


def _sample(hint: object, name: str) -> object:
    if hint is str or hint == str | None:
        return f"{name} text"
    if hint is bool:
        return True
    if hint == list[Change]:
        # No one change can hold every field (a term goes with a glossary, a new number with a
        # renumbered clause): together these do.
        full = filled(Change)
        return [
            dataclasses.replace(full, after="", new_number=""),
            dataclasses.replace(full, number=4, target=None, after="", new_number=""),
            dataclasses.replace(
                full,
                number=5,
                action=Action.RENUMBER_CLAUSE,
                target=Target("", "4.6.4.10"),
                term=None,
            ),
        ]
    raise AssertionError(f"no sample value for {hint!r} ({name}); add one to _SAMPLES")


def _default(f: dataclasses.Field) -> object:
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return None if f.default is dataclasses.MISSING else f.default


@pytest.fixture
def proposal() -> Proposal:
    return filled(Proposal)


def test_the_field_tables_hold_every_field_once():
    metadata = [field.attribute for field in PROPOSAL_FIELDS]
    names = [f.name for f in dataclasses.fields(Proposal)]
    assert sorted(metadata) == sorted(set(names) - PROPOSAL_OWN)
    assert metadata == [name for name in names if name in metadata], "in declaration order"
    held = [attribute for option in CHANGE_OPTIONS for attribute in option.attributes]
    assert sorted(held) == sorted({f.name for f in dataclasses.fields(Change)} - CHANGE_OWN)
    # Each directive's options are unique (``:source:`` is a proposal's origin, "DCC", and a
    # change's, "picture").
    for options in ([f.option for f in PROPOSAL_FIELDS], [o.option for o in CHANGE_OPTIONS]):
        assert len(set(options)) == len(options)


def test_the_directives_take_the_tables_options():
    assert list(ProposalDirective.option_spec) == [field.option for field in PROPOSAL_FIELDS]
    assert list(ChangeDirective.option_spec) == [option.option for option in CHANGE_OPTIONS]


def test_the_docs_describe_every_option():
    text = (PROJECT_ROOT / "docs" / "proposals.rst").read_text(encoding="utf-8")
    for option in [*PROPOSAL_FIELDS, *CHANGE_OPTIONS]:
        assert f"``:{option.option}:``" in text, option.option


def test_the_sample_changes_together_set_every_field(proposal):
    for f in dataclasses.fields(Change):
        assert any(getattr(c, f.name) != _default(f) for c in proposal.changes), f.name


def test_irp_as_code_keeps_every_field(proposal, tmp_path):
    path = tmp_path / "IRP777.rst"
    path.write_text(render_proposal(proposal), encoding="utf-8")
    read = read_rst_irp(path)
    for back, change in zip(read.changes, proposal.changes, strict=True):
        for f in dataclasses.fields(Change):
            if f.name != "location":  # the line it was read from
                assert getattr(back, f.name) == getattr(change, f.name), f"change {f.name}"
    for f in dataclasses.fields(Proposal):
        if f.name != "file":  # the reader names the file it read
            assert getattr(read, f.name) == getattr(proposal, f.name), f.name
    assert read.file == str(path)


def test_the_json_form_keeps_every_field(proposal):
    data = json.loads(json.dumps(proposal_to_dict(proposal)))
    changes = [_change_from_json(change) for change in data.pop("changes")]
    assert Proposal(**data, changes=changes, file=proposal.file) == proposal


def _change_from_json(data: dict) -> Change:
    target = parse_change_target(data["target"]) if data["target"] else None
    markup = [
        MarkupBlock(
            MarkupKind(block["kind"]),
            [] if "cells" in block else [_span(span) for span in block["spans"]],
            [[_span(span) for span in cell] for cell in block.get("cells", [])],
            block.get("label", ""),
            block.get("level", 0),
        )
        for block in data["markup"]
    ]
    return Change(
        **data
        | {
            "target": Target(*target) if target else None,
            "action": Action(data["action"]),
            "markup": markup,
            "revised_by": data["revised_by"] or "",
            "revised_on": data["revised_on"] or "",
        }
    )


def _span(data: dict) -> Span:
    return Span(data["text"], Op(data["op"]))


def test_the_database_keeps_every_metadata_field_and_what_it_lists_of_a_change(proposal, tmp_path):
    path = tmp_path / "requirements.db"
    write_database([], path, Vocabulary(), proposals=[proposal])
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    (row,) = db.execute("SELECT * FROM proposals").fetchall()
    assert set(row.keys()) == {f.name for f in dataclasses.fields(Proposal)} - {"changes"}
    assert row["irp"] == proposal.irp
    for field in PROPOSAL_FIELDS:
        value = row[field.attribute]
        if field.kind is FieldKind.LIST:
            value = json.loads(value)
        assert value == getattr(proposal, field.attribute), field.attribute
    assert json.loads(row["sections"]) == proposal.sections
    assert row["file"] == Path(proposal.file).name
    rows = db.execute("SELECT * FROM proposal_changes ORDER BY number").fetchall()
    kept = {f.name for f in dataclasses.fields(Change)} - set(NOT_IN_DATABASE)
    assert set(CHANGE_COLUMNS) == kept
    for change_row, change in zip(rows, proposal.changes, strict=True):
        assert set(change_row.keys()) == {"irp", *CHANGE_COLUMNS}
        assert change_row["irp"] == proposal.irp
        assert change_row["number"] == change.number
        assert change_row["target"] == (str(change.target) if change.target else None)
        assert change_row["action"] == change.action.value
        assert change_row["term"] == change.term
        assert change_row["instruction"] == change.instruction
        assert change_row["problem"] == change.problem
        assert change_row["source"] == change.source
        assert change_row["confidence"] == change.confidence
        assert change_row["unverified"] == change.unverified
    db.close()


def test_the_site_writes_every_metadata_field(proposal):
    options = ProposalSite(proposal, [], 0).options
    assert list(options) == [field.option for field in PROPOSAL_FIELDS]
    assert options["references"] == "SMETS v4.2, CHTS v1.3"


def test_the_sphinx_table_shows_every_metadata_field_with_its_label(proposal, tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    (source / "index.rst").write_text(render_proposal(proposal), encoding="utf-8")
    built = sphinx_build(source)
    assert built.warnings == ""
    table = re.search(
        r'<table class="[^"]*spectrace-proposal.*?</table>', built.html("index"), re.S
    )
    assert table is not None
    cells = re.findall(r"<p>(.*?)</p>", table.group(0))
    rows = [("IRP", proposal.irp)] + [(f.label, f.text(proposal)) for f in PROPOSAL_FIELDS]
    assert cells == [cell for row in rows for cell in row]


# Revisions ---------------------------------------------------------------------------------

#: How the JSON forms and the database hold each field of a Revision: the revision's own key
#: (its edition, change and clause) and what it did; its lines and statement ids are checked
#: by name below, the rest are its structural fields.
REVISION_KEYS = {"irp", "change", "document", "clause"}
REVISION_LINES = {"before", "after"}
REVISION_IDS = {"added", "changed", "retired"}


def _structural_revisions():
    from tests.structural import Editor, para, sample

    editor = Editor(sample())
    editor.insert("IRP9", 1, "4.9", "New", [para("ESME shall beep.", "SMETS-4.9-1")], "4.3")
    editor.renumber("IRP9", 2, "5", "6")
    editor.rename("IRP9", 3, "4.2", "Event logs")
    editor.delete("IRP9", 4, "4.3")
    return editor


def test_every_revision_field_is_in_the_json_form_and_the_database(tmp_path):
    from spectrace.writers.json import amendment_to_dict, lines_data

    editor = _structural_revisions()
    names = {f.name for f in dataclasses.fields(Revision)}
    structural = names - REVISION_KEYS - REVISION_LINES - REVISION_IDS
    assert structural == {"action", "title_before", "title_after", "number_before"}
    data = amendment_to_dict(editor.amendment())["revisions"]
    path = tmp_path / "requirements.db"
    write_database([editor.base], path, Vocabulary(), editor.amendment())
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    rows = db.execute("SELECT * FROM revisions ORDER BY id").fetchall()
    ids = db.execute("SELECT revision_id, statement_id, action FROM revision_statements")
    by_row: dict[int, dict[str, list[str]]] = {}
    for revision_id, statement, kind in ids.fetchall():
        by_row.setdefault(revision_id, {}).setdefault(kind, []).append(statement)
    db.close()
    assert len(data) == len(rows) == len(editor.revisions)
    for revision, record, row in zip(editor.revisions, data, rows, strict=True):
        # the JSON form also says where the revision's change came from (its proposal's record)
        assert set(record) == (names - REVISION_LINES) | {"source", "confidence"}
        assert set(row.keys()) == ((names - REVISION_IDS) | {"id", "edition_id"}) - {"document"}
        for name in REVISION_KEYS - {"document"}:
            assert record[name] == row[name] == getattr(revision, name), name
        for name in structural:
            value = getattr(revision, name)
            value = value.value if name == "action" else value or None
            assert record[name] == row[name] == value, name
        for name in REVISION_LINES:
            assert json.loads(row[name]) == lines_data(getattr(revision, name)), name
        for name in REVISION_IDS:
            assert (
                record[name] == by_row.get(row["id"], {}).get(name, []) == getattr(revision, name)
            ), name
    assert [(r["action"], r["number_before"]) for r in data] == [
        ("insert_clause", None),
        ("renumber_clause", "5"),
        ("amend", None),
        ("delete_clause", None),
    ]
    assert [(r["title_before"], r["title_after"]) for r in data] == [
        (None, "New"),
        (None, None),
        ("Logs", "Event logs"),
        ("Old interface", None),
    ]
