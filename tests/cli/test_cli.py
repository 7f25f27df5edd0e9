"""The spectrace command as a user runs it: outputs, exit codes, and one-line errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner

from spectrace.cli import cli
from tests.conftest import CHTS_DOCX, PROJECT_ROOT, SMETS_DOCX


def run(*args: str, cwd=None):
    """Run ``spectrace ARGS`` in-process, in ``cwd`` when given."""
    previous = os.getcwd()
    os.chdir(cwd or previous)
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(previous)


IMPORT_CHTS = ("import", "spec", str(CHTS_DOCX), "--doc", "CHTS", "--edition", "1.3")


def import_smets(source=SMETS_DOCX) -> tuple[str, ...]:
    return ("import", "spec", str(source), "--doc", "SMETS", "--edition", "4.2")


IMPORT_SMETS = import_smets()


def one_error_line(result, *words: str) -> str:
    """Assert the result is exit 2 with exactly one 'error:' line containing ``words``."""
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert "Traceback" not in result.output
    return lines[0]


class TestImportSpec:
    def test_json_has_the_documented_shape_and_writes_nothing(self, tmp_path):
        result = run(
            *IMPORT_SMETS,
            "--json",
            cwd=tmp_path,
        )
        assert result.exit_code == 0, result.output
        assert list(tmp_path.iterdir()) == []
        data = json.loads(result.stdout)
        assert (data["doc"], data["edition"]) == ("SMETS", "4.2")
        clause = next(c for c in data["clauses"] if c["number"] == "5.6.1")
        assert set(clause) >= {"number", "title", "level", "blocks", "statements"}
        assert clause["level"] == 3
        assert clause["blocks"][0]["kind"] == "paragraph"
        statement = clause["statements"][0]
        assert set(statement) == {"id", "text", "modality", "actors", "refs", "terms"}
        assert statement["modality"] == "shall"
        assert statement["refs"] == ["5.5.2.2", "5.5.2.3", "5.7.1", "5.7.4", "5.7.5"]
        numbers = [c["number"] for c in data["clauses"]]
        assert len(numbers) == len(set(numbers)) and None not in numbers
        table = next(
            b
            for c in data["clauses"]
            if c["number"] == "4.6.5.17"
            for b in c["blocks"]
            if b["kind"] == "table"
        )
        assert table["rows"][0] == ["Data item", "Annotation", "Description"]
        items = [
            b
            for c in data["clauses"]
            if c["number"] == "4.4.5"
            for b in c["blocks"]
            if b["kind"] == "list_item"
        ]
        assert [i["label"] for i in items] == ["i.", "ii.", "iii."]
        assert all("  " not in b["text"] for c in data["clauses"] for b in c["blocks"])
        assert data["glossary"][0] == {
            "term": "Communications Link",
            "definition": "A connection between two Devices over the HAN Interface that has "
            "been established in accordance with the applicable technical "
            "specifications.",
        }

    def test_json_output_is_deterministic(self):
        assert run(*IMPORT_CHTS, "--json").stdout == run(*IMPORT_CHTS, "--json").stdout

    def test_writes_spec_as_code_identical_to_the_bundled_sources(self, tmp_path):
        result = run(*IMPORT_CHTS, "--out", str(tmp_path / "specs"))
        assert result.exit_code == 0, result.output
        written = tmp_path / "specs" / "CHTS" / "1.3"
        bundled = PROJECT_ROOT / "specs" / "CHTS" / "1.3"
        assert sorted(p.name for p in written.iterdir()) == sorted(
            p.name for p in bundled.iterdir()
        )
        for path in bundled.iterdir():
            assert (written / path.name).read_text() == path.read_text()

    def test_existing_sources_are_kept_unless_forced(self, tmp_path):
        args = [*IMPORT_CHTS, "--out", str(tmp_path)]
        assert run(*args).exit_code == 0
        index = tmp_path / "CHTS" / "1.3" / "index.rst"
        index.write_text("edited by hand")
        one_error_line(run(*args), "--force")
        assert index.read_text() == "edited by hand"
        assert run(*args, "--force").exit_code == 0
        assert "spec:document" in index.read_text()
        assert [p.name for p in (tmp_path / "CHTS").iterdir()] == ["1.3"]

    @pytest.mark.parametrize(
        ("make", "words"),
        [
            (lambda p: p.write_bytes(SMETS_DOCX.read_bytes()[:5000]), ["truncated"]),
            (lambda p: p.write_text("plain text, renamed"), ["not a Word"]),
            (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)), ["legacy"]),
            (lambda p: zipfile.ZipFile(p, "w").writestr("hello.txt", "x"), ["word/document.xml"]),
        ],
        ids=["truncated", "renamed", "legacy-doc", "no-document-xml"],
    )
    def test_bad_files_give_one_error_line_and_write_nothing(self, tmp_path, make, words):
        source = tmp_path / "in" / "broken.docx"
        source.parent.mkdir()
        make(source)
        out = tmp_path / "specs"
        result = run(*import_smets(source), "--out", str(out))
        one_error_line(result, "broken.docx", *words)
        assert not out.exists()

    def test_a_document_without_numbered_headings_is_refused(self, tmp_path):
        source = tmp_path / "plain.docx"
        with zipfile.ZipFile(SMETS_DOCX) as original, zipfile.ZipFile(source, "w") as copy:
            for item in original.infolist():
                data = original.read(item)
                if item.filename == "word/document.xml":
                    data = (
                        b'<w:document xmlns:w="http://schemas.openxmlformats.org/'
                        b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Just text'
                        b"</w:t></w:r></w:p></w:body></w:document>"
                    )
                copy.writestr(item, data)
        result = run(
            *import_smets(source),
            "--out",
            str(tmp_path / "specs"),
        )
        one_error_line(result, "plain.docx", "no numbered headings")

    def test_a_missing_file_and_unsafe_names_are_refused(self, tmp_path):
        out = ("--out", str(tmp_path))
        missing = run(*import_smets(tmp_path / "none.docx"), *out)
        one_error_line(missing, "no such file")
        bad_doc = ("import", "spec", str(SMETS_DOCX), "--doc", "../etc", "--edition", "4.2")
        one_error_line(run(*bad_doc, *out), "not a document name")
        bad_edition = ("import", "spec", str(SMETS_DOCX), "--doc", "SMETS", "--edition", "../x")
        one_error_line(run(*bad_edition, *out), "not an edition")
        assert list(tmp_path.iterdir()) == []


class TestProjectCommands:
    def test_build_reads_lints_and_writes_the_database(self, project_copy):
        result = run("--project", str(project_copy), "build")
        assert result.exit_code == 0, result.output
        assert (project_copy / "build" / "requirements.db").is_file()
        assert "read SMETS 4.2" in result.stderr and "read CHTS 1.3" in result.stderr
        assert "lint: 0 errors" in result.stderr

    def test_quiet_build_prints_nothing_on_success(self, project_copy):
        result = run("--project", str(project_copy), "-q", "build")
        assert result.exit_code == 0 and result.output == ""

    def test_the_project_is_found_from_the_working_folder(self, project_copy):
        nested = project_copy / "specs" / "SMETS"
        assert run("db", cwd=nested).exit_code == 0
        assert (project_copy / "build" / "requirements.db").is_file()

    def test_query_prints_a_table_or_json(self, project_copy):
        run("--project", str(project_copy), "db")
        sql = (
            "SELECT id, modality FROM requirements WHERE modality = 'shall_not' "
            "AND edition = 'SMETS 4.2'"
        )
        table = run("--project", str(project_copy), "query", sql)
        assert table.exit_code == 0
        assert table.stdout.splitlines()[0].split() == ["id", "modality"]
        assert "SMETS-5.12.1-1  shall_not" in table.stdout and "(1 row)" in table.stdout
        rows = json.loads(run("--project", str(project_copy), "query", sql, "--json").stdout)
        assert rows == [{"id": "SMETS-5.12.1-1", "modality": "shall_not"}]

    def test_query_refuses_writes_and_reports_sql_errors_in_one_line(self, project_copy):
        run("--project", str(project_copy), "db")
        one_error_line(
            run("--project", str(project_copy), "query", "DROP TABLE statements"), "readonly"
        )
        one_error_line(run("--project", str(project_copy), "query", "SELEC 1"), "syntax error")

    def test_query_before_the_database_exists_says_what_to_run(self, project_copy):
        one_error_line(run("--project", str(project_copy), "query", "SELECT 1"), "spectrace db")

    def test_show_prints_a_clause_with_statements_and_terms(self, project_copy):
        run("--project", str(project_copy), "db")
        result = run("--project", str(project_copy), "show", "SMETS 5.5.4")
        assert result.exit_code == 0
        # the edition the build ends with: the bundled project applies IRP603
        assert result.stdout.startswith("SMETS 4.2+IRP603 5.5.4  Display of information")
        assert "on its User Interface only following" in result.stdout
        base = run("--project", str(project_copy), "show", "SMETS@4.2 5.5.4").stdout
        assert "on its User Interface following" in base
        assert "SMETS-5.5.4-1  [shall]" in result.stdout
        assert "Secure Perimeter: The physical boundary" in result.stdout
        data = json.loads(
            run("--project", str(project_copy), "show", "CHTS@1.3 4.4.6.1", "--json").stdout
        )
        assert data["number"] == "4.4.6.1" and len(data["statements"]) == 9

    def test_show_finds_the_clause_a_statement_is_in_now(self, project_copy):
        run("--project", str(project_copy), "db")
        by_id = run("--project", str(project_copy), "show", "SMETS-5.5.4-1")
        assert by_id.exit_code == 0, by_id.output
        assert by_id.stdout == run("--project", str(project_copy), "show", "SMETS 5.5.4").stdout
        one_error_line(
            run("--project", str(project_copy), "show", "SMETS-5.5.4-99"),
            "SMETS 4.2+IRP603 has no statement SMETS-5.5.4-99",
        )

    @pytest.mark.parametrize(
        ("address", "label", "entry"),
        [
            ("CHTS Glossary", "CHTS 1.3+IRP603", "CHF Security Log: The log held by"),
            ("SMETS@4.2 Glossary", "SMETS 4.2", "Secure Perimeter: The physical boundary"),
        ],
    )
    def test_show_prints_a_glossary(self, project_copy, address, label, entry):
        run("--project", str(project_copy), "db")
        result = run("--project", str(project_copy), "show", address)
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert lines[:2] == [f"{label} Glossary", ""]
        assert any(line.startswith(entry) for line in lines[2:])
        data = json.loads(run("--project", str(project_copy), "show", address, "--json").stdout)
        entries = [line for line in lines[2:] if not line.startswith("    ")]  # then its lines
        assert data["edition"] == label and len(data["glossary"]) == len(entries)
        one_error_line(run("--project", str(project_copy), "show", "GBCS Glossary"), "GBCS")

    def test_show_of_the_clause_the_glossary_is_in_lists_its_entries(self, project_copy):
        run("--project", str(project_copy), "db")
        clause = run("--project", str(project_copy), "show", "CHTS 5").stdout
        glossary = run("--project", str(project_copy), "show", "CHTS Glossary").stdout
        entries = glossary.split("\n\n", 1)[1]  # after its title line
        assert clause.startswith("CHTS 1.3+IRP603 5  Glossary\n(informative)\n\n" + entries)
        data = json.loads(run("--project", str(project_copy), "show", "CHTS 5", "--json").stdout)
        assert data["entries"][0]["term"] == "CHF Security Log"
        other = run("--project", str(project_copy), "show", "CHTS 4.4.6.1", "--json").stdout
        assert json.loads(other)["entries"] == []

    def test_show_unknown_clause_and_bad_address(self, project_copy):
        run("--project", str(project_copy), "db")
        one_error_line(run("--project", str(project_copy), "show", "SMETS 9.9"), "no clause 9.9")
        one_error_line(run("--project", str(project_copy), "show", "5.6.1"), "not a clause address")

    def test_lint_exits_1_on_errors_and_prints_json(self, project_copy):
        assert run("--project", str(project_copy), "lint").exit_code == 0
        config = project_copy / "spectrace.toml"
        config.write_text(config.read_text().split("[[lint.waive]]")[0])
        result = run("--project", str(project_copy), "lint")
        assert result.exit_code == 1
        assert "error: SMETS 4.2+IRP603 4.4.5: SMETS-4.4.5-2 refers to 4.6.4.9" in result.stdout
        findings = json.loads(run("--project", str(project_copy), "lint", "--json").stdout)
        assert {"severity", "code", "document", "edition", "clause", "message"} == set(findings[0])

    def test_a_broken_source_fails_the_build_and_keeps_the_previous_database(self, project_copy):
        assert run("--project", str(project_copy), "build").exit_code == 0
        database = project_copy / "build" / "requirements.db"
        before = database.read_bytes()
        section = project_copy / "specs" / "SMETS" / "4.2" / "section-05.rst"
        section.write_text(
            section.read_text().replace(":st:`SMETS-5.5.4-1` ESME", ":st:`SMETS-5.5.4-1` *ESME")
        )
        line = one_error_line(run("--project", str(project_copy), "build"), "section-05.rst")
        assert "line " in line and "emphasis" in line.lower()
        assert database.read_bytes() == before

    def test_project_file_errors_are_one_line(self, project_copy):
        config = project_copy / "spectrace.toml"
        config.write_text(config.read_text().replace('edition = "4.2"', 'editon = "4.2"'))
        one_error_line(
            run("--project", str(project_copy), "build"), "spectrace.toml", "unknown key 'editon'"
        )
        config.write_text("[project\n")
        one_error_line(run("--project", str(project_copy), "build"), "not valid TOML")

    def test_a_document_whose_sources_are_missing_is_named(self, project_copy):
        shutil.rmtree(project_copy / "specs" / "CHTS")
        one_error_line(
            run("--project", str(project_copy), "build"), "CHTS 1.3", "spectrace import spec"
        )

    def test_without_a_project_the_commands_say_so(self, tmp_path):
        one_error_line(run("build", cwd=tmp_path), "spectrace.toml")


def test_every_command_has_help_text():
    def walk(group, prefix=()):
        for name, command in group.commands.items():
            yield (*prefix, name), command
            if hasattr(command, "commands"):
                yield from walk(command, (*prefix, name))

    for path, command in walk(cli):
        assert command.help, f"spectrace {' '.join(path)} has no help text"
        assert run(*path, "--help").exit_code == 0


def test_python_dash_m_runs_the_cli():
    result = subprocess.run(
        [sys.executable, "-m", "spectrace", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "import" in result.stdout


def test_the_database_does_not_depend_on_where_the_project_is(tmp_path):
    databases = []
    for name in ("one", "two"):
        folder = tmp_path / name
        shutil.copy(PROJECT_ROOT / "spectrace.toml", folder.mkdir() or folder / "spectrace.toml")
        shutil.copytree(PROJECT_ROOT / "specs", folder / "specs")
        assert run("--project", str(folder), "db").exit_code == 0
        databases.append((folder / "build" / "requirements.db").read_bytes())
    assert databases[0] == databases[1]


def test_import_spec_refuses_a_folder(tmp_path):
    folder = PROJECT_ROOT / "specs" / "SMETS" / "4.2"
    one_error_line(run(*import_smets(folder), "--out", str(tmp_path)), "is a folder")


def test_every_command_is_documented_in_the_user_guide():
    guide = (PROJECT_ROOT / "docs" / "cli.rst").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        names = [f"{name} {sub}" for sub in getattr(command, "commands", {})] or [name]
        for full in names:
            assert f"spectrace {full}" in guide, f"docs/cli.rst does not document {full}"
