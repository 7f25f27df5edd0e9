"""``amend`` and ``build`` say which changes were read from pictures: in ``amend --json`` (each
revision and problem) and in the ``applied`` lines (tests/picture_project.py: IRP700)."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.conftest import PROJECT_ROOT
from tests.picture_project import APPLIED, picture_project


@pytest.fixture
def pictures(project_copy: Path) -> Path:
    return picture_project(project_copy)


def _applied_lines(stderr: str) -> dict[tuple[str, int], str]:
    """Return each ``applied IRP change N …`` line by (IRP, change)."""
    lines = {}
    for line in stderr.splitlines():
        if line.startswith("applied "):
            irp, _, number = line.split()[1:4]
            lines[(irp, int(number))] = line
    return lines


class TestAmendJson:
    def test_each_revision_says_whether_its_change_was_read_from_a_picture(self, pictures):
        result = run("--project", str(pictures), "amend", "--json")
        assert result.exit_code == 1, result.output  # IRP700 change 2 is refused
        data = json.loads(result.stdout)
        origins = {
            (r["irp"], r["change"]): (r["source"], r["confidence"]) for r in data["revisions"]
        }
        assert origins[("IRP700", 1)] == ("picture", 0.93)
        assert origins[("IRP700", 3)] == ("picture", None)  # the glossary; confidence not known
        assert origins[("IRP700", 4)] == (None, None)  # typed, in the same IRP
        typed = [origin for (irp, _), origin in origins.items() if irp == "IRP603"]
        assert len(typed) == 6 and set(typed) == {(None, None)}

    def test_a_refused_picture_change_says_so_in_its_problem(self, pictures):
        data = json.loads(run("--project", str(pictures), "amend", "--json").stdout)
        (problem,) = data["problems"]
        assert (problem["irp"], problem["change"], problem["code"]) == ("IRP700", 2, "unverified")
        assert (problem["source"], problem["confidence"]) == ("picture", 0.41)
        assert "the picture lacks 'Memory' <b>bold</b> & more" in problem["message"]

    def test_the_existing_keys_stay_and_come_first(self, pictures):
        data = json.loads(run("--project", str(pictures), "amend", "--json").stdout)
        revision, problem = data["revisions"][0], data["problems"][0]
        assert list(revision)[:11] == [
            "irp", "change", "document", "clause", "action", "title_before", "title_after",
            "number_before", "added", "changed", "retired",
        ]  # fmt: skip
        assert list(revision)[11:] == ["source", "confidence"]
        assert list(problem) == [
            "severity", "code", "irp", "change", "target", "message", "kind", "source",
            "confidence",
        ]  # fmt: skip

    def test_without_pictures_every_revision_says_typed(self, project_copy):
        data = json.loads(run("--project", str(project_copy), "amend", "--json").stdout)
        assert data["revisions"] and all(
            (r["source"], r["confidence"]) == (None, None) for r in data["revisions"]
        )

    def test_file_mode_takes_irp_as_code_as_its_reviewer_left_it(self, pictures):
        # --irp does not check an IRP-as-code picture change again: its :unverified: says
        # what holds, as in the project (only a change just read from Word is checked)
        irp = pictures / "specs/irps/IRP700.rst"
        spec = f"SMETS={pictures / 'specs/SMETS/4.2'}"
        data = json.loads(run("amend", "--spec", spec, "--irp", str(irp), "--json").stdout)
        applied = [(r["change"], r["source"], r["confidence"]) for r in data["revisions"]]
        assert applied == [(1, "picture", 0.93), (3, "picture", None), (4, None, None)]
        refused = {p["change"]: (p["code"], p["source"], p["confidence"]) for p in data["problems"]}
        assert refused == {2: ("unverified", "picture", 0.41)}


class TestAppliedLines:
    def test_amend_labels_each_applied_picture_change_and_no_other(self, pictures):
        result = run("--project", str(pictures), "amend")
        lines = _applied_lines(result.stderr)
        assert lines[("IRP700", 1)] == (
            "applied IRP700 change 1 to SMETS 4.4.4 (read from a picture, confidence 0.93): "
            "~SMETS-4.4.4-1"
        )
        assert (
            lines[("IRP700", 3)]
            == "applied IRP700 change 3 to SMETS Glossary (read from a picture)"
        )
        assert "picture" not in lines[("IRP700", 4)]
        assert not any("picture" in line for (irp, _), line in lines.items() if irp == "IRP603")
        assert ("IRP700", 2) not in lines  # refused: an error line instead
        assert "[unverified]" in result.stdout

    def test_build_prints_an_applied_line_for_each_picture_change_only(self, pictures):
        result = run("--project", str(pictures), "build")
        lines = _applied_lines(result.stderr)
        assert set(lines) == {("IRP700", change) for change in APPLIED}
        for (_, change), line in lines.items():
            assert f"({APPLIED[change]})" in line or f"({APPLIED[change]}):" in line
        order = [line.split()[0] for line in result.stderr.splitlines()]
        assert order.index("applied") < order.index("amended")

    def test_build_of_a_project_without_pictures_prints_no_applied_line(self, project_copy):
        result = run("--project", str(project_copy), "build")
        assert result.exit_code == 0, result.output
        assert not _applied_lines(result.stderr)

    def test_quiet_hides_the_applied_lines(self, pictures):
        result = run("--project", str(pictures), "-q", "amend")
        assert not _applied_lines(result.stderr)


# What ``build`` writes: the site and the Word redline --------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The build folder of the picture project, built once."""
    root = tmp_path_factory.mktemp("pictures")
    shutil.copy(PROJECT_ROOT / "spectrace.toml", root / "spectrace.toml")
    shutil.copytree(PROJECT_ROOT / "specs", root / "specs")
    picture_project(root)
    result = run("--project", str(root), "build")
    assert result.exit_code == 1, result.output  # IRP700 change 2 is refused
    return root / "build"


def _html(built: Path, page: str) -> str:
    html = (built / "html" / f"{page}.html").read_text(encoding="utf-8")
    return html[html.index('<div class="body"') : html.index('<div class="sphinxsidebar"')]


def _change(html: str, irp: str, number: int) -> str:
    start = html.index(f'id="{irp}-change-{number}"')
    end = html.find(f'id="{irp}-change-', start + 1)
    return html[start : end if end != -1 else len(html)]


class TestSite:
    def test_the_irp_page_labels_each_change_read_from_a_picture(self, built):
        html = _html(built, "irps/IRP700")
        for number, label in APPLIED.items():
            head = _change(html, "IRP700", number).split("</p>")[0]
            assert f'<span class="spectrace-picture">({label})</span>' in head
        assert "spectrace-picture" not in _change(html, "IRP700", 4)
        assert "read from a picture" not in _html(built, "irps/IRP603")

    def test_its_corrections_are_listed(self, built):
        change = _change(_html(built, "irps/IRP700"), "IRP700", 1)
        assert (
            "Corrected against the clause: 'lnterface' -&gt; 'Interface'; 'PlN' -&gt; 'PIN'"
            in change
        )

    def test_an_unverified_change_shows_why_it_was_refused_and_its_best_reading(self, built):
        change = _change(_html(built, "irps/IRP700"), "IRP700", 2)
        problem = change[change.index('<p class="spectrace-problem">') :].split("</p>")[0]
        assert "Not applied: read from a picture and not verified: the picture lacks " in problem
        assert "'Memory' &lt;b&gt;bold&lt;/b&gt; &amp; more" in problem  # text, not markup
        assert "[unverified]" in problem
        assert "<b>" not in change
        assert change.count("Unverified") == 0  # the refusal says it once
        assert "The best reading of the picture:" in change
        assert 'Non-Volatile Mernory on loss of <ins class="spectrace-ins">mains</ins>' in change

    def test_the_changes_view_names_the_change_with_its_label_and_its_marks_say_so(self, built):
        html = _html(built, "SMETS/4.2+IRP603+IRP700/changes")
        assert "IRP700 change 1</a> (read from a picture, confidence 0.93): changed" in html
        assert "IRP700 change 4</a>: changed" in html
        assert (
            '<ins class="spectrace-ins" title="inserted by IRP700 change 1 (read from a picture, '
            'confidence 0.93)">personal</ins>'
        ) in html
        assert '<ins class="spectrace-ins" title="inserted by IRP700 change 4">five</ins>' in html
        assert "Added by" in html and "IRP700 change 3</a> (read from a picture)." in html

    def test_the_glossary_names_the_change_that_added_a_term_with_its_label(self, built):
        html = _html(built, "SMETS/4.2+IRP603+IRP700/glossary")
        assert "IRP700 change 3</a> (read from a picture)." in html

    def test_the_other_editions_say_nothing_of_pictures(self, built):
        for page in ("CHTS/1.3+IRP603/changes", "SMETS/4.2/section-04"):
            assert "picture" not in _html(built, page)


class TestRedline:
    def _authors(self, built: Path, name: str) -> dict[str, set[str]]:
        """Return {author: texts of the runs they inserted or deleted} of a Word file."""
        with zipfile.ZipFile(built / "docx" / name) as archive:
            xml = archive.read("word/document.xml").decode()
        found: dict[str, set[str]] = {}
        for author, inner in re.findall(
            r'<w:(?:ins|del) [^>]*w:author="([^"]*)"[^>]*>(.*?)</w:(?:ins|del)>', xml
        ):
            words = "".join(re.findall(r"<w:(?:t|delText)[^>]*>([^<]*)<", inner)).strip()
            found.setdefault(author, set()).add(words)
        return found

    def test_the_picture_changes_are_by_the_irp_read_from_a_picture(self, built):
        authors = self._authors(built, "SMETS 4.2+IRP603+IRP700 redline.docx")
        assert set(authors) == {"IRP603", "IRP700", "IRP700 (read from a picture)"}
        assert {"personal", "Privacy PIN"} <= authors["IRP700 (read from a picture)"]
        assert authors["IRP700"] == {"ten", "five"}
        assert not any("picture" in text for text in authors["IRP603"])

    def test_a_redline_with_no_picture_change_names_only_its_irps(self, built):
        assert set(self._authors(built, "CHTS 1.3+IRP603 redline.docx")) == {"IRP603"}

    def test_the_clean_file_tracks_nothing(self, built):
        assert self._authors(built, "SMETS 4.2+IRP603+IRP700.docx") == {}
