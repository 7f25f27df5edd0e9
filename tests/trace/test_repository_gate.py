"""The repository's own gate: the reference meter model covers the amended editions, and CI
fails when a tag goes or a verifying test fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from spectrace.cli import cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> Path:
    """A copy of the project's traced parts: project file, specs, review record, model, tests."""
    root = tmp_path_factory.mktemp("repository")
    for name in ("spectrace.toml", "specs", "trace", "src/smartmeter", "tests/meter"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, root / name)
    return root


def run_meter_tests(root: Path) -> None:
    """Run the model's tests as CI does, writing build/junit.xml (failures are allowed)."""
    environment = {**os.environ, "PYTHONPATH": str(root / "src")}
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/meter",
         "--junitxml=build/junit.xml", "--rootdir", str(root)],
        cwd=root, env=environment, capture_output=True, check=False,
    )  # fmt: skip


def check(root: Path):
    from click.testing import CliRunner

    return CliRunner().invoke(cli, ["--project", str(root), "check"])


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text


def test_the_reference_model_passes_the_repositorys_gate(repository):
    run_meter_tests(repository)
    result = check(repository)
    assert result.exit_code == 0, result.output
    assert "check: 0 of " in result.output


def test_removing_an_implements_tag_fails_the_gate(repository):
    meters = repository / "src/smartmeter/meters.py"
    original = edit(meters, "implements: SMETS-5.5.4-1", "see SMETS 5.5.4")
    try:
        run_meter_tests(repository)
        result = check(repository)
    finally:
        meters.write_text(original, encoding="utf-8")
    assert result.exit_code == 1
    assert "fail: SMETS-5.5.4-1 " in result.output
    assert "is tested-only [tested-only]" in result.output


def test_a_failing_verifying_test_fails_the_gate(repository):
    tests = repository / "tests/meter/test_esme.py"
    original = tests.read_text(encoding="utf-8")
    marked = original.index('@pytest.mark.verifies("SMETS-5.5.4-1")')
    body = original.index("assert ", marked)
    tests.write_text(original[:body] + "assert not " + original[body + 7 :], encoding="utf-8")
    try:
        run_meter_tests(repository)
        result = check(repository)
    finally:
        tests.write_text(original, encoding="utf-8")
    assert result.exit_code == 1
    assert "fail: SMETS-5.5.4-1 " in result.output
    assert "is failing [failing]" in result.output


def test_a_hand_edit_of_a_linked_statement_fails_the_gate(repository):
    """trace/reviewed.json holds the text of every statement the model is linked to, so a
    change to one that nobody reviewed fails CI."""
    section = repository / "specs/SMETS/4.2/section-05.rst"
    original = edit(
        section, "the oldest entry shall be overwritten", "no entry shall be overwritten"
    )
    try:
        run_meter_tests(repository)
        result = check(repository)
    finally:
        section.write_text(original, encoding="utf-8")
    assert result.exit_code == 1
    assert "fail: SMETS-5.7.5.31-2 (SMETS 4.2+IRP603 5.7.5.31) is suspect (changed since" in (
        result.output
    )


def test_every_statement_the_model_is_linked_to_has_a_record(repository):
    """`spectrace trace` on the repository records nothing new: the committed record is
    complete (run it, and commit trace/reviewed.json, after linking a new statement)."""
    from click.testing import CliRunner

    run_meter_tests(repository)
    reviewed = repository / "trace/reviewed.json"
    before = reviewed.read_bytes()
    result = CliRunner().invoke(cli, ["--project", str(repository), "trace"])
    assert result.exit_code == 0, result.output
    assert "recorded" not in result.output
    assert reviewed.read_bytes() == before
