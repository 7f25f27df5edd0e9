"""``spectrace diff OLD NEW`` compares any two editions the project can build: a base
("SMETS 4.2"), an amended one ("SMETS 4.2+IRP603"), a base with any proposals of the IRP folder
applied in order ("SMETS 4.2+IRP603+IRP900"), an edition imported into the specs folder that the
project does not use ("SMETS 4.3") and a spec-as-code folder (``amend --out``'s)."""

from __future__ import annotations

import shutil

import pytest

from tests.cli.test_cli import one_error_line, run
from tests.conftest import bundled_project

IRP900 = """\
.. spec:proposal:: IRP900
   :title: A tighter clock
   :references: SMETS v4.2

Required Changes to Documentation
=================================

.. spec:change:: 1
   :target: SMETS 4.4.1
   :instruction: At SMETS 4.4.1 amend the text as shown in the following mark-up:
   :run-on: before after

   keeping time within :del:`ten`\\ :ins:`five` seconds
"""

CLOCK = """\
SMETS 4.4.1  Clock
    GSME shall be capable of keeping time within [-ten-] {+five+} seconds of UTC.

"""


@pytest.fixture
def project(project_copy):
    (project_copy / "specs/irps/IRP900.rst").write_text(IRP900, encoding="utf-8")
    return project_copy


def diff(project, *editions: str):
    return run("--project", str(project), "diff", *editions)


def test_a_base_and_its_amended_edition_need_no_database(project):
    result = diff(project, "SMETS 4.2", "SMETS 4.2+IRP603")
    assert result.exit_code == 0, result.output
    assert not (project / "build/requirements.db").exists()
    assert "on its User Interface {+only+} following physical access" in result.stdout
    run("--project", str(project), "db")  # the same as from the database
    database = str(project / "build/requirements.db")
    stored = run("diff", "--database", database, "SMETS 4.2", "SMETS 4.2+IRP603")
    assert result.stdout == stored.stdout
    glossary = diff(project, "CHTS 1.3", "CHTS 1.3+IRP603")
    assert "{+GSME Security Log\t" in glossary.stdout


def test_two_amended_editions(project):
    result = diff(project, "SMETS 4.2+IRP603", "SMETS 4.2+IRP603+IRP900")
    assert result.exit_code == 0, result.output
    assert result.stdout == CLOCK  # only what IRP900 changed after IRP603
    result = diff(project, "SMETS 4.2+IRP900", "SMETS 4.2+IRP603+IRP900")
    assert result.exit_code == 0, result.output
    assert "SMETS 4.4.1" not in result.stdout  # both have IRP900's change
    assert "SMETS 5.5.4  Display of information" in result.stdout  # IRP603's


def test_an_imported_edition_against_an_amended_one(project):
    """An official SMETS 4.3 imported beside 4.2, which consolidated IRP603 but also changed
    the clock: the difference is what no listed IRP explains."""
    amended = project / "build/amended"
    assert run("--project", str(project), "amend", "--out", str(amended)).exit_code == 0
    official = project / "specs/SMETS/4.3"
    shutil.copytree(amended / "SMETS/4.2+IRP603", official)
    index = official / "index.rst"
    index.write_text(
        index.read_text(encoding="utf-8").replace(":edition: 4.2+IRP603", ":edition: 4.3"),
        encoding="utf-8",
    )
    section = official / "section-04.rst"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("within ten seconds", "within five seconds"), "utf-8")

    result = diff(project, "SMETS 4.2+IRP603", "SMETS 4.3")
    assert result.exit_code == 0, result.output
    assert result.stdout == CLOCK
    by_folder = run("diff", "SMETS 4.2+IRP603", "specs/SMETS/4.3", cwd=project)  # a path
    assert by_folder.stdout == CLOCK
    amended_folder = diff(project, str(amended / "SMETS/4.2+IRP603"), "SMETS 4.2+IRP603+IRP900")
    assert amended_folder.stdout == CLOCK
    assert diff(project, "SMETS 4.2+IRP603+IRP900", "SMETS 4.3").stdout == ""
    again = diff(project, "SMETS 4.3", "SMETS 4.3+IRP900")  # IRP900 on another base
    assert again.exit_code == 1 and again.stdout == ""
    assert again.stderr.rstrip().endswith("[already-applied]")


def test_two_folders_need_no_project(project, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("elsewhere")
    amended = tmp_path / "amended"
    run("--project", str(project), "amend", "--out", str(amended))
    result = run("diff", str(project / "specs/SMETS/4.2"), str(amended / "SMETS/4.2+IRP603"),
                 cwd=tmp_path)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == diff(project, "SMETS 4.2", "SMETS 4.2+IRP603").stdout
    one_error_line(run("diff", "SMETS 4.2", "SMETS 4.2+IRP603", cwd=tmp_path), "in a project")


def test_a_refused_change_is_an_error_line_and_exit_1(project):
    (project / "specs/irps/IRP901.rst").write_text(
        IRP900.replace("IRP900", "IRP901").replace(":del:`ten`", ":del:`eleven`"),
        encoding="utf-8",
    )
    result = diff(project, "SMETS 4.2", "SMETS 4.2+IRP901")
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 1 and errors[0].startswith("error: IRP901 change 1 (SMETS 4.4.1): ")
    assert errors[0].endswith("[not-found]")
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("editions", "words"),
    [
        (("SMETS 4.2", "SMETS 9.9"), ["no edition 'SMETS 9.9'", "SMETS 4.2+IRP603", "SMETS 9.9"]),
        (("SMETS 4.2", "GBCS 1.0"), ["no edition 'GBCS 1.0'"]),
        (("SMETS 4.2", "SMETS 4.2+IRP777"), ["no IRP source for 'IRP777'"]),
        (("SMETS 4.2", "SMETS 4.2+IRP603+../x"), ["'SMETS 4.2+IRP603+../x' is neither"]),
        (("CHTS 1.3", "CHTS 1.3+IRP900"), ["IRP900 makes no change to CHTS"]),
        (("SMETS 4.2", "no/such/folder"), ["'no/such/folder' is neither an edition"]),
    ],
)
def test_an_edition_the_project_cannot_build_is_one_error_line(project, editions, words):
    one_error_line(diff(project, *editions), *words)


def test_identical_editions_say_so_and_print_nothing(project):
    result = diff(project, "SMETS 4.2", "SMETS 4.2")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.splitlines() == ["no differences between SMETS 4.2 and SMETS 4.2"]


@pytest.mark.parametrize(
    "editions", [("SMETS 4.2", "CHTS 1.3"), ("CHTS 1.3+IRP603", "SMETS 4.2+IRP603")]
)
def test_editions_of_two_documents_are_refused(project, editions):
    one_error_line(diff(project, *editions), *editions, "different documents")


def test_a_deleted_clause_is_shown_deleted(tmp_path):
    from tests.cli.test_structural_irp import IRP900 as STRUCTURAL

    project = bundled_project(tmp_path)
    (project / "specs/irps/IRP900.rst").write_text(STRUCTURAL, encoding="utf-8")
    result = diff(project, "SMETS 4.2", "SMETS 4.2+IRP900")
    assert result.exit_code == 0, result.output
    heading = next(line for line in result.stdout.splitlines() if " 4.6.5.15 " in line)
    assert heading == "SMETS 4.6.5.15  [Not reproduced in this excerpt]  (deleted)"  # no text


def test_a_deleted_clause_with_text_shows_its_words_struck_out(project):
    (project / "specs/irps/IRP950.rst").write_text(
        IRP900.replace("IRP900", "IRP950").split(".. spec:change::")[0]
        + ".. spec:change:: 1\n   :target: SMETS 4.4.1\n"
        "   :instruction: Delete SMETS Section 4.4.1 in its entirety.\n"
        "   :action: delete_clause\n",
        encoding="utf-8",
    )
    result = diff(project, "SMETS 4.2", "SMETS 4.2+IRP950")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "SMETS 4.4.1  Clock  (deleted)\n"
        "    [-GSME shall be capable of keeping time within ten seconds of UTC.-]\n\n"
    )
