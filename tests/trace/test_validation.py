"""Requirement 1 (continued): a tag that names no existing statement or clause is an error, so
a typo cannot pass silently; a tag naming a statement an IRP retired says so."""

from __future__ import annotations


def test_tags_naming_existing_statements_and_clauses_link_them(traced):
    traced.write("src/x/log.c", "// implements: SMETS-5.6.1-2, CHTS 4.5.4\nint f(void) {}\n")
    traced.write("src/x/log.py", "def g():\n    '''implements: SMETS@4.2 5.12.1'''\n")
    matrix = traced.trace(results=[])
    assert traced.errors(matrix) == []
    linked = {row.statement: [link.where for link in row.implemented_by] for row in matrix.rows}
    assert linked["SMETS-5.6.1-2"] == ["src/x/log.c:1 f"]
    assert linked["CHTS-4.5.4-1"] == ["src/x/log.c:1 f"]
    assert [s for s, where in linked.items() if where == ["src/x/log.py:2 g"]] == [
        "SMETS-5.12.1-1",
        "SMETS-5.12.1-2",
        "SMETS-5.12.1-3",
    ]


def test_unknown_statements_clauses_and_malformed_ids_are_errors_naming_file_and_line(traced):
    traced.write(
        "src/x/typos.c",
        "\n".join(
            [
                "// implements: SMETS-5.6.1-9",
                "// implements: SMETS 5.6.9",
                "// implements: SMETS 5.7.5",
                "// implements: GBCS 1.2",
                "// implements: SMETS@4.1 5.6.1",
                "// implements: SMETS5.6.1-2",
                "// implements:",
                "// implements: SMETS-5.6.1-2",
            ]
        )
        + "\n",
    )
    matrix = traced.trace(results=[])
    assert traced.errors(matrix) == [
        "src/x/typos.c:1: SMETS-5.6.1-9 names no statement of the editions the project builds",
        "src/x/typos.c:2: SMETS 5.6.9 names no clause with statements in SMETS 4.2+IRP603",
        "src/x/typos.c:3: SMETS 5.7.5 names no clause with statements in SMETS 4.2+IRP603",
        "src/x/typos.c:4: GBCS 1.2: the project builds no document GBCS",
        "src/x/typos.c:5: SMETS@4.1 5.6.1: the project builds SMETS 4.2+IRP603, not that edition",
        "src/x/typos.c:6: 'SMETS5.6.1-2' is not a statement id (SMETS-5.6.1-2) or a clause "
        "(SMETS 5.6.1)",
        "src/x/typos.c:7: 'implements:' names nothing",
    ]
    # the good tag after the bad ones still counts
    assert traced.row(matrix, "SMETS-5.6.1-2").implemented_by


def test_a_tag_naming_a_statement_an_irp_retired_says_so(traced):
    irp = traced.root / "specs/irps/IRP603.rst"
    paragraph = (
        "Type 1 Devices and Type 2 Device information provision (5.6.1) in Part A shall not "
        "apply to ESME."
    )
    text = irp.read_text(encoding="utf-8")
    assert text.count(f"   {paragraph}\n") == 1
    # IRP603 change 4 now also deletes the first paragraph of SMETS 5.12.1
    text = text.replace(f"   {paragraph}\n", f"   :del:`{paragraph}`\n")
    irp.write_text(text, encoding="utf-8")
    traced.write("src/x/han.c", "/* implements: SMETS-5.12.1-1 */\nint share(void) {}\n")
    matrix = traced.trace(results=[])
    assert matrix.row("SMETS-5.12.1-1") is None
    assert traced.errors(matrix) == [
        "src/x/han.c:1: SMETS-5.12.1-1 was retired by an amendment in SMETS 4.2+IRP603"
    ]
