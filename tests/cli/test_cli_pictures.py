"""``amend`` and ``build`` say which changes were read from pictures: in ``amend --json`` (each
revision and problem) and in the ``applied`` lines (tests/picture_project.py: IRP700)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run
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

    def test_file_mode_looks_the_changes_up_in_the_proposals_as_checked(self, pictures):
        # --irp checks each picture against the clause again: in this wording "personal",
        # "mains" and "number" are no words of the specification, so all three are refused
        irp = pictures / "specs/irps/IRP700.rst"
        spec = f"SMETS={pictures / 'specs/SMETS/4.2'}"
        data = json.loads(run("amend", "--spec", spec, "--irp", str(irp), "--json").stdout)
        assert [(r["change"], r["source"]) for r in data["revisions"]] == [(4, None)]
        refused = {p["change"]: (p["code"], p["source"], p["confidence"]) for p in data["problems"]}
        assert refused == {
            1: ("unverified", "picture", 0.93),
            2: ("unverified", "picture", 0.41),
            3: ("unverified", "picture", None),
        }


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
