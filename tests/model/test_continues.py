"""An edition imported to continue another records which edition (``continues``) and which
statements changed text there (``changed``): spec-as-code keeps both, the reader refuses a
changed id no statement has, and the matrix makes the links of a changed statement suspect."""

from __future__ import annotations

import pytest

from spectrace.errors import ReadError
from spectrace.fileio import write_tree
from spectrace.model import Block, BlockKind, Clause, Document
from spectrace.readers.rst.spec import read_rst_spec
from spectrace.trace.matrix import Inputs, compute
from spectrace.trace.model import Link, LinkKind
from spectrace.trace.review import Record
from spectrace.transforms.statements import segment
from spectrace.writers import rst


def edition() -> Document:
    document = Document(
        "SMETS",
        "4.3",
        clauses=[
            Clause(
                "1",
                "Log",
                1,
                [Block(BlockKind.PARAGRAPH, "ESME shall log it. ESME shall keep it.")],
            )
        ],
        retired=["SMETS-1-3"],
        continues="SMETS 4.2+IRP603",
        changed=["SMETS-1-2"],
    )
    segment(document)
    return document


def test_spec_as_code_keeps_what_an_edition_continues_and_what_changed(tmp_path):
    written = edition()
    files = rst.render(written)
    assert ":continues: SMETS 4.2+IRP603" in files["index.rst"]
    assert ":changed: SMETS-1-2" in files["index.rst"]
    write_tree(files, tmp_path / "4.3")
    read = read_rst_spec(tmp_path / "4.3")
    assert (read.continues, read.changed, read.retired) == (
        "SMETS 4.2+IRP603",
        ["SMETS-1-2"],
        ["SMETS-1-3"],
    )


def test_an_edition_that_continues_nothing_writes_neither_option():
    plain = edition()
    plain.continues, plain.changed = "", []
    index = rst.render(plain)["index.rst"]
    assert ":continues:" not in index and ":changed:" not in index


def test_a_changed_id_that_no_statement_has_is_refused(tmp_path):
    written = edition()
    written.changed = ["SMETS-1-9"]
    write_tree(rst.render(written), tmp_path / "4.3")
    with pytest.raises(ReadError, match="SMETS-1-9 as :changed:, but no statement has"):
        read_rst_spec(tmp_path / "4.3")


@pytest.mark.parametrize(
    ("reviewed", "suspect"),
    [({}, {"SMETS-1-1": False, "SMETS-1-2": True}), ({"SMETS-1-2": "current"}, {})],
)
def test_links_to_a_statement_the_import_changed_are_suspect_until_reviewed(reviewed, suspect):
    document = edition()
    if reviewed:
        reviewed = {"SMETS-1-2": Record(document.clauses[0].blocks[0].statements[1].fingerprint)}
        suspect = {"SMETS-1-1": False, "SMETS-1-2": False}
    links = [
        Link(LinkKind.IMPLEMENTS, sid, "src/meter.py", line)
        for line, sid in enumerate(["SMETS-1-1", "SMETS-1-2"], start=1)
    ]
    matrix = compute(
        Inputs(
            editions=[document],
            bases=[document],
            links=links,
            results=[],
            reviewed=reviewed,
            changes={},
            documents=[],
            modalities=["shall"],
            waivers=[],
            record=True,  # as `spectrace trace` does: an unchanged link is recorded, not suspect
        )
    )
    assert {row.statement: row.suspect for row in matrix.rows} == suspect
