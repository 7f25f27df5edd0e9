"""The proposal commands as a user runs them: import irp, amend, diff, and build with IRPs."""

from __future__ import annotations

import json
import sqlite3

from spectrace.api import load_document
from tests.cli.test_cli import one_error_line, run
from tests.conftest import CHTS_DOCX, FIXTURES, PROJECT_ROOT, SMETS_DOCX

IRP603 = FIXTURES / "IRP603.docx"
FORMATTED = FIXTURES / "IRP603-formatted-markup.docx"


class TestImportIrp:
    def test_json_prints_the_proposal_and_writes_nothing(self, tmp_path):
        result = run("import", "irp", str(IRP603), "--json", cwd=tmp_path)
        assert result.exit_code == 0, result.output
        assert list(tmp_path.iterdir()) == []
        data = json.loads(result.stdout)
        assert (data["irp"], data["date"], data["references"]) == (
            "IRP603",
            "2019-07-11",
            ["SMETS v4.2", "CHTS v1.3"],
        )
        assert [c["target"] for c in data["changes"]][-1] == "CHTS Glossary"

    def test_writes_irp_as_code_and_keeps_it_unless_forced(self, tmp_path):
        args = ("import", "irp", str(IRP603), "--out", str(tmp_path))
        assert run(*args).exit_code == 0
        written = tmp_path / "IRP603.rst"
        assert written.read_text() == (PROJECT_ROOT / "specs" / "irps" / "IRP603.rst").read_text()
        written.write_text("edited")
        one_error_line(run(*args), "IRP603.rst", "--force")
        assert written.read_text() == "edited"
        assert run(*args, "--force").exit_code == 0

    def test_bad_files_are_one_line_errors_and_write_nothing(self, tmp_path):
        cut = tmp_path / "cut.docx"
        cut.write_bytes(IRP603.read_bytes()[:4000])
        out = tmp_path / "out"
        one_error_line(run("import", "irp", str(cut), "--out", str(out)), "cut.docx", "truncated")
        one_error_line(
            run("import", "irp", str(SMETS_DOCX), "--out", str(out)), "no metadata table"
        )
        source = PROJECT_ROOT / "specs" / "irps" / "IRP603.rst"
        one_error_line(run("import", "irp", str(source), "--out", str(out)), "IRP-as-code")
        assert not out.exists()


class TestAmend:
    def test_project_mode_applies_the_listed_proposals(self, project_copy):
        result = run("--project", str(project_copy), "amend")
        assert result.exit_code == 0, result.output
        assert "applied IRP603 change 3 to SMETS 5.6.1: +SMETS-5.6.1-2" in result.stderr
        assert "amended CHTS 1.3+IRP603" in result.stderr

    def test_json_has_the_documented_shape(self, project_copy):
        data = json.loads(run("--project", str(project_copy), "amend", "--json").stdout)
        assert data["edition"] == ["SMETS 4.2+IRP603", "CHTS 1.3+IRP603"]
        clause = next(c for c in data["clauses"] if c["number"] == "5.5.4")
        assert clause["after"][0].endswith(
            "on its User Interface only following physical "
            "access through the Secure Perimeter of ESME."
        )
        assert [g["term"] for g in data["glossary_added"]] == ["GSME Security Log"]
        assert data["problems"] == []

    def test_file_mode_with_word_files_names_editions_from_the_irp(self, tmp_path):
        result = run(
            "amend",
            "--spec",
            f"SMETS={SMETS_DOCX}",
            "--spec",
            f"CHTS={CHTS_DOCX}",
            "--irp",
            str(FORMATTED),
            "--json",
            cwd=tmp_path,
        )
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["edition"] == ["SMETS 4.2+IRP603", "CHTS 1.3+IRP603"]
        replaced = next(c for c in data["clauses"] if c["number"] == "5.6.1")["after"][0]
        assert "of providing the Data annotated" in replaced

    def test_a_change_to_a_document_not_given_is_skipped_not_a_failure(self, tmp_path):
        result = run(
            "amend",
            "--spec",
            f"SMETS@4.2={SMETS_DOCX}",
            "--irp",
            str(IRP603),
            "--json",
            cwd=tmp_path,
        )
        assert result.exit_code == 0, result.output
        problems = json.loads(result.stdout)["problems"]
        assert [(p["change"], p["target"], p["kind"], p["severity"]) for p in problems] == [
            (5, "CHTS 4.4.6.1", "not-in-project", "info"),
            (6, "CHTS Glossary", "not-in-project", "info"),
        ]
        plain = run(
            "amend", "--spec", f"SMETS@4.2={SMETS_DOCX}", "--irp", str(IRP603), cwd=tmp_path
        )
        assert plain.exit_code == 0
        assert (
            "info: IRP603 change 5 (CHTS 4.4.6.1): the change is for CHTS, which this project "
            "does not have; skipped [not-in-project]"
        ) in plain.stdout

    def test_with_every_document_required_a_document_not_given_is_refused(self, tmp_path):
        (tmp_path / "spectrace.toml").write_text("[amend]\nrequire-all-documents = true\n")
        plain = run(
            "amend", "--spec", f"SMETS@4.2={SMETS_DOCX}", "--irp", str(IRP603), cwd=tmp_path
        )
        assert plain.exit_code == 1
        assert (
            "error: IRP603 change 5 (CHTS 4.4.6.1): CHTS is not among the specifications "
            "given [unknown-document]"
        ) in plain.stdout

    def test_out_writes_the_amended_editions_as_spec_as_code(self, project_copy, tmp_path):
        out = tmp_path / "next"
        assert run("--project", str(project_copy), "amend", "--out", str(out)).exit_code == 0
        amended = load_document(out / "SMETS" / "4.2+IRP603")
        ids = [s.id for s in amended.clause("5.6.1").statements]
        assert ids == ["SMETS-5.6.1-1", "SMETS-5.6.1-2"]
        chts = load_document(out / "CHTS" / "1.3+IRP603")
        assert "GSME Security Log" in [e.term for e in chts.glossary]

    def test_bad_options_are_one_line_errors(self, project_copy):
        bad_spec = ("amend", "--spec", "SMETS", "--irp", str(IRP603))
        one_error_line(run("--project", str(project_copy), *bad_spec), "DOC=PATH")
        one_error_line(
            run("--project", str(project_copy), "amend", "--irp", str(IRP603)),
            "both --spec and --irp",
        )

    def test_a_project_that_lists_a_missing_irp_names_it(self, project_copy):
        (project_copy / "specs" / "irps" / "IRP603.rst").unlink()
        one_error_line(
            run("--project", str(project_copy), "amend"), "IRP603", "spectrace import irp"
        )

    def test_lint_and_db_report_a_refused_change_and_exit_1(self, project_copy):
        """A refused change is never dropped silently: lint's findings are of an edition
        without it, and the database stores it as a problem."""
        irps = project_copy / "specs" / "irps"
        text = (irps / "IRP603.rst").read_text()
        (irps / "IRP603.rst").write_text(text.replace(":ins:`only`", ":ins:`only` nowhere", 1))
        line = "error: IRP603 change 1 (SMETS 4.4.5)"
        lint = run("--project", str(project_copy), "lint")
        assert lint.exit_code == 1 and line in lint.stdout
        as_json = run("--project", str(project_copy), "lint", "--json")
        assert as_json.exit_code == 1 and line in as_json.stderr
        assert isinstance(json.loads(as_json.stdout), list)  # standard output stays JSON
        db = run("--project", str(project_copy), "db")
        assert db.exit_code == 1 and line in db.stdout
        assert (project_copy / "build/requirements.db").is_file()

    def test_a_conflicting_second_proposal_fails_the_build(self, project_copy):
        irps = project_copy / "specs" / "irps"
        text = (irps / "IRP603.rst").read_text()
        later = text.replace("spec:proposal:: IRP603", "spec:proposal:: IRP700").replace(
            ":ins:`only`", ":ins:`solely`"
        )
        (irps / "IRP700.rst").write_text(later)
        config = project_copy / "spectrace.toml"
        config.write_text(
            config.read_text().replace(
                'edition = "4.2"\nproposals = ["IRP603"]',
                'edition = "4.2"\nproposals = ["IRP603", "IRP700"]',
            )
        )
        result = run("--project", str(project_copy), "build")
        assert result.exit_code == 1
        assert (
            "error: IRP700 change 1 (SMETS 4.4.5): conflicts with IRP603 change 1" in result.stderr
        )
        assert "CHTS does not list IRP700" in result.stderr
        assert result.stdout == ""  # a build's results are its files
        rows = json.loads(
            run(
                "--project",
                str(project_copy),
                "query",
                "SELECT irp, change, kind FROM problems ORDER BY change",
                "--json",
            ).stdout
        )
        assert {"irp": "IRP700", "change": 1, "kind": "conflict"} in rows


class TestDiffAndDatabase:
    def test_diff_prints_a_word_level_redline(self, project_copy):
        run("--project", str(project_copy), "db")
        result = run("--project", str(project_copy), "diff", "SMETS 4.2", "SMETS 4.2+IRP603")
        assert result.exit_code == 0
        assert "SMETS 5.5.4  Display of information" in result.stdout
        assert "on its User Interface {+only+} following physical access" in result.stdout
        assert "{+ESME shall not provide any information from the Security Log" in result.stdout
        glossary = run("--project", str(project_copy), "diff", "CHTS 1.3", "CHTS 1.3+IRP603")
        assert "{+GSME Security Log\t" in glossary.stdout

    def test_diff_of_an_unknown_edition_lists_the_known_ones(self, project_copy):
        run("--project", str(project_copy), "db")
        one_error_line(
            run("--project", str(project_copy), "diff", "SMETS 4.2", "SMETS 9.9"),
            "no edition 'SMETS 9.9'",
            "SMETS 4.2+IRP603",
        )

    def test_which_statements_irp603_added_or_changed_is_one_query(self, project_copy):
        run("--project", str(project_copy), "db")
        rows = json.loads(
            run(
                "--project",
                str(project_copy),
                "query",
                "SELECT statement_id, action FROM statement_changes "
                "WHERE irp = 'IRP603' AND action IN ('added', 'changed')",
                "--json",
            ).stdout
        )
        assert rows == [
            {"statement_id": "SMETS-4.4.5-5", "action": "changed"},
            {"statement_id": "SMETS-5.5.4-1", "action": "changed"},
            {"statement_id": "SMETS-5.6.1-2", "action": "added"},
            {"statement_id": "SMETS-5.12.1-3", "action": "added"},
            {"statement_id": "CHTS-4.4.6.1-10", "action": "added"},
        ]


def test_a_listed_irp_that_changes_nothing_in_a_document_gives_no_new_edition(project_copy):
    irps = project_copy / "specs" / "irps"
    text = (irps / "IRP603.rst").read_text()
    only_chts = text[: text.index(".. spec:change:: 1")] + text[text.index(".. spec:change:: 5") :]
    (irps / "IRP603.rst").write_text(only_chts)
    result = run("--project", str(project_copy), "build")
    assert result.exit_code == 0, result.output
    assert "SMETS 4.2, CHTS 1.3+IRP603" in result.stderr
    rows = json.loads(
        run(
            "--project",
            str(project_copy),
            "query",
            "SELECT label FROM editions ORDER BY label",
            "--json",
        ).stdout
    )
    assert [row["label"] for row in rows] == ["CHTS 1.3", "CHTS 1.3+IRP603", "SMETS 4.2"]


def test_retired_ids_survive_consolidation_and_are_never_reissued(project_copy, tmp_path):
    """IRP603 adds SMETS-5.6.1-2; a later edition deletes it; the edition after that must not
    give the id out again, even though it is read back from its sources."""
    from spectrace.api import write_spec_sources
    from spectrace.model import Change, MarkupBlock, MarkupKind, Op, Proposal, Span, Target
    from spectrace.transforms.amend import amend

    out = tmp_path / "next"
    assert run("--project", str(project_copy), "amend", "--out", str(out)).exit_code == 0
    edition = load_document(out / "SMETS" / "4.2+IRP603")
    first, added = (block.text for block in edition.clause("5.6.1").blocks)

    def change(*blocks: MarkupBlock) -> Proposal:
        return Proposal(
            "IRP9",
            changes=[Change(1, "At SMETS 5.6.1", Target("SMETS", "5.6.1"), markup=list(blocks))],
        )

    keep = MarkupBlock(MarkupKind.PARAGRAPH, [Span(first)])
    deleted = amend(
        [edition], [change(keep, MarkupBlock(MarkupKind.PARAGRAPH, [Span(added, Op.DELETE)]))]
    )
    assert deleted.revisions[0].retired == ["SMETS-5.6.1-2"]
    consolidated = load_document(write_spec_sources(deleted.amended[0], tmp_path / "again"))
    assert consolidated.retired == ["SMETS-5.6.1-2"]
    inserted = amend(
        [consolidated],
        [change(keep, MarkupBlock(MarkupKind.PARAGRAPH, [Span("ESME may log it.", Op.INSERT)]))],
    )
    assert inserted.revisions[0].added == ["SMETS-5.6.1-3"]


def test_amend_out_keeps_existing_editions_unless_forced(project_copy, tmp_path):
    out = tmp_path / "next"
    assert run("--project", str(project_copy), "amend", "--out", str(out)).exit_code == 0
    one_error_line(run("--project", str(project_copy), "amend", "--out", str(out)), "--force")
    assert run("--project", str(project_copy), "amend", "--out", str(out), "--force").exit_code == 0


def test_import_irp_says_how_to_apply_an_irp_the_project_does_not_list(tmp_path):
    (tmp_path / "spectrace.toml").write_text('[documents.SMETS]\nedition = "4.2"\n')
    result = run("import", "irp", str(IRP603), cwd=tmp_path)
    assert result.exit_code == 0
    assert (tmp_path / "specs" / "irps" / "IRP603.rst").is_file()
    assert (
        'add "IRP603" to the proposals of [documents.CHTS], [documents.SMETS] in spectrace.toml'
    ) in result.stderr


def test_amend_out_writes_nothing_when_one_edition_is_already_there(project_copy, tmp_path):
    out = tmp_path / "next"
    (out / "CHTS" / "1.3+IRP603").mkdir(parents=True)
    one_error_line(run("--project", str(project_copy), "amend", "--out", str(out)), "--force")
    assert not (out / "SMETS").exists()


def test_a_broken_project_file_is_not_silently_ignored(project_copy):
    (project_copy / "spectrace.toml").write_text("[project\n")
    one_error_line(run("import", "irp", str(IRP603), cwd=project_copy), "not valid TOML")


def test_a_retired_id_used_again_in_the_sources_is_an_error(project_copy):
    index = project_copy / "specs" / "SMETS" / "4.2" / "index.rst"
    index.write_text(
        index.read_text().replace(
            "   :edition: 4.2\n", "   :edition: 4.2\n   :retired: SMETS-5.6.1-1\n"
        )
    )
    line = one_error_line(run("--project", str(project_copy), "build"), "SMETS-5.6.1-1", "retired")
    assert "section-05.rst: line" in line


def test_the_database_names_a_consolidated_base(project_copy, tmp_path):
    """An edition amended from an already amended base records that base, not its root."""
    from spectrace.api import write_spec_sources
    from spectrace.model import Change, MarkupBlock, MarkupKind, Op, Proposal, Span, Target
    from spectrace.store import write_database
    from spectrace.transforms.amend import amend
    from spectrace.transforms.statements import Vocabulary

    out = tmp_path / "next"
    assert run("--project", str(project_copy), "amend", "--out", str(out)).exit_code == 0
    base = load_document(
        write_spec_sources(load_document(out / "SMETS" / "4.2+IRP603"), tmp_path / "again")
    )
    text = base.clause("5.5.4").blocks[0].text
    change = Change(
        1,
        "At SMETS 5.5.4",
        Target("SMETS", "5.5.4"),
        markup=[
            MarkupBlock(MarkupKind.PARAGRAPH, [Span(text), Span("Now.", Op.INSERT)]),
        ],
    )
    result = amend([base], [Proposal("IRP9", changes=[change])])
    assert result.problems == []
    path = tmp_path / "db.sqlite"
    write_database([base], path, Vocabulary(), result, [])
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT label, base, proposals FROM editions ORDER BY label").fetchall()
    assert rows == [
        ("SMETS 4.2+IRP603", None, "[]"),
        ("SMETS 4.2+IRP603+IRP9", "SMETS 4.2+IRP603", '["IRP9"]'),
    ]


def test_build_writes_the_word_files_of_each_amended_edition(project_copy):
    result = run("--project", str(project_copy), "build")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (project_copy / "build" / "docx").iterdir())
    assert names == [
        "CHTS 1.3+IRP603 redline.docx",
        "CHTS 1.3+IRP603.docx",
        "SMETS 4.2+IRP603 redline.docx",
        "SMETS 4.2+IRP603.docx",
    ]
    clean = load_document(
        project_copy / "build" / "docx" / "SMETS 4.2+IRP603.docx", "SMETS", "4.2+IRP603"
    )
    assert clean.clause("5.6.1").blocks[1].text.startswith("ESME shall not provide")


def test_an_output_folder_that_is_a_file_is_an_error_and_the_database_is_kept(project_copy):
    assert run("--project", str(project_copy), "build").exit_code == 0
    database = project_copy / "build" / "requirements.db"
    previous = database.read_bytes()
    docx = project_copy / "build" / "docx"
    docx.unlink()  # the link spectrace made, replaced by somebody's file
    docx.write_text("not a folder")
    one_error_line(
        run("--project", str(project_copy), "build"), "docx", "is a regular file that spectrace did"
    )
    assert docx.read_text() == "not a folder"
    assert database.read_bytes() == previous


def test_import_of_a_structural_irp_names_the_documents_it_changes_and_flags_problems(
    project_copy,
):
    from tests.hostile.docx_maker import make_irp, marked_para, para

    irp = make_irp(
        project_copy / "IRP900.docx",
        para("Insert new Section 4.6.4.10 after Section 4.6.4.9:"),
        marked_para([("No heading line here.", "insert")], "tracked"),
        para("Delete CHTS Section 4.4.6.1 in its entirety"),
    )
    result = run("--project", str(project_copy), "import", "irp", str(irp))
    assert result.exit_code == 0, result.output
    assert "[documents.CHTS] in spectrace.toml" in result.output
    assert "[documents.]" not in result.output
    assert (
        "warning: IRP900 change 1 (4.6.4.10): the mark-up has no heading line for the new "
        "clause; start it with '4.6.4.10 Title' [unreadable]"
    ) in result.output
    written = (project_copy / "specs" / "irps" / "IRP900.rst").read_text()
    assert ":target: 4.6.4.10\n   :instruction:" in written
