"""A project that has some of the documents a proposal changes, as a user runs it.

IRP603 changes SMETS and CHTS. A SMETS-only project (the repository's project without CHTS)
builds with it: the CHTS changes are skipped, shown as info lines, in JSON, in the database and
on the site, and fail nothing; ``[amend] require-all-documents = true`` makes them errors again.
Targets that name only a clause go to the project document that has it.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_cli import one_error_line, run

SKIPPED_5 = (
    "info: IRP603 change 5 (CHTS 4.4.6.1): the change is for CHTS, which this project does not "
    "have; skipped [not-in-project]"
)
SKIPPED_6 = (
    "info: IRP603 change 6 (CHTS Glossary): the change is for CHTS, which this project does not "
    "have; skipped [not-in-project]"
)
REFUSED_5 = (
    "error: IRP603 change 5 (CHTS 4.4.6.1): CHTS is not among the specifications given "
    "[unknown-document]"
)


def drop_document(root: Path, name: str) -> None:
    """Remove document ``name`` from the project in ``root``: its [documents.NAME] table, its
    sources, and the [[check.waive]] entries for its statements."""
    toml = (root / "spectrace.toml").read_text(encoding="utf-8")
    toml = re.sub(rf"\[documents\.{name}\]\n(?:[^\[\n][^\n]*\n|\n)*", "", toml)
    toml = re.sub(
        rf'\[\[check\.waive\]\]\nstatement = "{name}-[^"]*"\nreason = [^\n]*\n\n?', "", toml
    )
    assert f"[documents.{name}]" not in toml and f'"{name}-' not in toml
    (root / "spectrace.toml").write_text(toml, encoding="utf-8")
    shutil.rmtree(root / "specs" / name)


def add_table(root: Path, text: str) -> None:
    with (root / "spectrace.toml").open("a", encoding="utf-8") as file:
        file.write("\n" + text)


@pytest.fixture
def smets_only(project_copy: Path) -> Path:
    """The repository's project without CHTS: SMETS 4.2 with IRP603, which also changes CHTS."""
    drop_document(project_copy, "CHTS")
    return project_copy


def in_project(root: Path, *args: str):
    return run("--project", str(root), *args)


class TestSkipped:
    def test_build_succeeds_and_lists_the_skipped_changes_as_info_lines(self, smets_only):
        result = in_project(smets_only, "build")
        assert result.exit_code == 0, result.output
        assert SKIPPED_5 in result.stderr.splitlines()  # diagnostics of a build: stderr
        assert SKIPPED_6 in result.stderr.splitlines()
        assert "error: IRP603" not in result.output
        assert "amended SMETS 4.2+IRP603" in result.stderr

    def test_quiet_leaves_the_info_lines_out(self, smets_only):
        result = in_project(smets_only, "--quiet", "amend")
        assert result.exit_code == 0, result.output
        assert "not-in-project" not in result.output

    def test_amend_exits_0_and_its_json_gives_them_as_problems_of_severity_info(self, smets_only):
        plain = in_project(smets_only, "amend")
        assert plain.exit_code == 0, plain.output
        assert [line for line in plain.stdout.splitlines() if line] == [SKIPPED_5, SKIPPED_6]
        result = in_project(smets_only, "amend", "--json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["edition"] == "SMETS 4.2+IRP603"
        assert [
            (p["change"], p["target"], p["severity"], p["code"], p["kind"])
            for p in data["problems"]
        ] == [
            (5, "CHTS 4.4.6.1", "info", "not-in-project", "not-in-project"),
            (6, "CHTS Glossary", "info", "not-in-project", "not-in-project"),
        ]
        assert {r["document"] for r in data["revisions"]} == {"SMETS"}

    def test_db_and_lint_do_not_fail_and_the_database_keeps_them(self, smets_only):
        assert in_project(smets_only, "db").exit_code == 0
        with sqlite3.connect(smets_only / "build" / "requirements.db") as db:
            rows = db.execute(
                "SELECT change, target, kind FROM problems ORDER BY change"
            ).fetchall()
        assert rows == [
            (5, "CHTS 4.4.6.1", "not-in-project"),
            (6, "CHTS Glossary", "not-in-project"),
        ]
        assert in_project(smets_only, "lint").exit_code == 0

    def test_the_site_shows_the_proposed_mark_up_and_the_note_not_a_failure(self, smets_only):
        assert in_project(smets_only, "build").exit_code == 0
        page = (smets_only / "build" / "html" / "irps" / "IRP603.html").read_text(encoding="utf-8")
        change_5 = page[page.index("Change 5") : page.index("Change 6")]
        assert "Not in this project: the change is for CHTS" in change_5
        assert "spectrace-skipped" in change_5 and "spectrace-problem" not in change_5
        assert "Not applied" not in page
        # The proposal's mark-up, its insertion marked: what the change would do to CHTS.
        assert re.search(r"<ins[^>]*>.*?Neither the GPF nor the CHF", change_5, re.S)
        assert "4 of 6 changes applied; 2 not in this project." in page
        index = (smets_only / "build" / "html" / "index.html").read_text(encoding="utf-8")
        assert "4 of 6 (2 not in this project)" in index

    def test_check_does_not_fail_on_skipped_changes(self, smets_only):
        (smets_only / "src/x").mkdir(parents=True)
        (smets_only / "src/x/meter.py").write_text(
            'def show_log():\n    """implements: SMETS-5.6.1-2"""\n', encoding="utf-8"
        )
        (smets_only / "build").mkdir()
        (smets_only / "build/junit.xml").write_text(
            '<testsuites><testsuite name="t"><testcase classname="tests.x.test_meter" '
            'name="test_show_log"/></testsuite></testsuites>',
            encoding="utf-8",
        )
        toml = (smets_only / "spectrace.toml").read_text(encoding="utf-8")
        toml = toml[: toml.index("[trace]")]  # the repository's own trace tables
        (smets_only / "spectrace.toml").write_text(
            toml + '[trace]\ncode = ["src/x"]\nresults = ["build/junit.xml"]\n'
            '[check]\nfail-on = ["errors"]\n',
            encoding="utf-8",
        )
        result = in_project(smets_only, "check")
        assert result.exit_code == 0, result.output
        assert "0 tracing problems" in result.stderr
        assert "not-in-project" not in result.stdout

    def test_a_document_of_the_project_that_does_not_list_the_irp_is_still_not_listed(
        self, project_copy
    ):
        # Not a document outside the project: a project document left out by mistake.
        toml = (project_copy / "spectrace.toml").read_text(encoding="utf-8")
        toml = toml.replace('edition = "1.3"\nproposals = ["IRP603"]', 'edition = "1.3"')
        (project_copy / "spectrace.toml").write_text(toml, encoding="utf-8")
        result = in_project(project_copy, "amend")
        assert result.exit_code == 1
        assert "[not-listed]" in result.stdout and "not-in-project" not in result.stdout


class TestRequireAllDocuments:
    def test_build_and_amend_fail_with_the_error_line(self, smets_only):
        add_table(smets_only, "[amend]\nrequire-all-documents = true\n")
        for command in ("build", "amend", "db"):
            result = in_project(smets_only, command)
            assert result.exit_code == 1, (command, result.output)
            shown = result.stderr if command == "build" else result.stdout
            assert REFUSED_5 in shown.splitlines(), command
            assert "not-in-project" not in result.output

    def test_false_is_the_default(self, smets_only):
        add_table(smets_only, "[amend]\nrequire-all-documents = false\n")
        assert in_project(smets_only, "amend").exit_code == 0

    def test_a_project_with_every_document_passes(self, project_copy):
        add_table(project_copy, "[amend]\nrequire-all-documents = true\n")
        result = in_project(project_copy, "amend")
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() == ""

    @pytest.mark.parametrize("value", ['"true"', "1", "[true]", '"yes"'])
    def test_anything_but_true_or_false_is_one_error_line(self, smets_only, value):
        add_table(smets_only, f"[amend]\nrequire-all-documents = {value}\n")
        one_error_line(
            in_project(smets_only, "build"),
            "spectrace.toml",
            "[amend] require-all-documents",
            "must be true or false",
        )

    def test_an_unknown_amend_key_is_one_error_line(self, smets_only):
        add_table(smets_only, "[amend]\nrequire-all-documents-please = true\n")
        one_error_line(in_project(smets_only, "amend"), "[amend]", "unknown key")


def by_context(root: Path, *targets: str) -> None:
    """Rewrite IRP603 in the project at ``root`` so that the changes to ``targets`` ("SMETS
    5.5.4") name only their clause."""
    path = root / "specs" / "irps" / "IRP603.rst"
    text = path.read_text(encoding="utf-8")
    for target in targets:
        clause = target.split()[1]
        assert f":target: {target}\n" in text
        text = text.replace(f":target: {target}\n", f":target: {clause}\n")
    path.write_text(text, encoding="utf-8")


class TestByContext:
    @pytest.mark.parametrize(
        ("targets", "documents"),
        [
            (["SMETS 5.5.4"], {2: "SMETS"}),
            (["SMETS 5.5.4", "SMETS 5.6.1"], {2: "SMETS", 3: "SMETS"}),
            (["CHTS 4.4.6.1", "SMETS 5.12.1"], {4: "SMETS", 5: "CHTS"}),
        ],
    )
    def test_a_clause_only_target_is_applied_to_the_document_that_has_it(
        self, project_copy, targets, documents
    ):
        by_context(project_copy, *targets)
        result = in_project(project_copy, "amend", "--json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["problems"] == []
        applied = {r["change"]: r["document"] for r in data["revisions"]}
        assert {change: applied[change] for change in documents} == documents
        assert data["edition"] == ["SMETS 4.2+IRP603", "CHTS 1.3+IRP603"]
        plain = in_project(project_copy, "amend")
        for change, document in documents.items():
            assert f"applied IRP603 change {change} to {document} " in plain.stderr

    def test_the_site_names_the_resolved_document(self, project_copy):
        by_context(project_copy, "SMETS 5.5.4")
        assert in_project(project_copy, "build").exit_code == 0
        page = (project_copy / "build/html/irps/IRP603.html").read_text(encoding="utf-8")
        change_2 = page[page.index("Change 2") : page.index("Change 3")]
        assert "SMETS 5.5.4" in change_2 and "Applied" in change_2

    def test_a_clause_both_documents_have_is_an_ambiguous_target_error(self, project_copy):
        by_context(project_copy, "SMETS 4.4.5")  # CHTS has a 4.4.5 too
        result = in_project(project_copy, "build")
        assert result.exit_code == 1
        (line,) = [line for line in result.stderr.splitlines() if "[ambiguous-target]" in line]
        assert line.startswith("error: IRP603 change 1 (4.4.5): ")
        assert "CHTS, SMETS" in line

    def test_the_same_clause_in_a_one_document_project_is_not_ambiguous(self, smets_only):
        by_context(smets_only, "SMETS 4.4.5")
        result = in_project(smets_only, "amend", "--json")
        assert result.exit_code == 0, result.output
        revisions = json.loads(result.stdout)["revisions"]
        assert ("SMETS", "4.4.5") in {(r["document"], r["clause"]) for r in revisions}

    def test_a_clause_no_project_document_has_is_skipped(self, smets_only):
        by_context(smets_only, "CHTS 4.4.6.1")
        result = in_project(smets_only, "amend")
        assert result.exit_code == 0, result.output
        assert (
            "info: IRP603 change 5 (4.4.6.1): no document of this project has clause 4.4.6.1; "
            "skipped (it may be for a document the project does not have) [not-in-project]"
        ) in result.stdout.splitlines()

    def test_with_every_document_required_a_clause_nowhere_is_an_error(self, smets_only):
        by_context(smets_only, "CHTS 4.4.6.1")
        add_table(smets_only, "[amend]\nrequire-all-documents = true\n")
        result = in_project(smets_only, "amend")
        assert result.exit_code == 1
        assert (
            "error: IRP603 change 5 (4.4.6.1): no document of this project has clause 4.4.6.1 "
            "[unknown-clause]"
        ) in result.stdout.splitlines()
