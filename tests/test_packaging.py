"""A regular (non-editable) install ships every file the package reads at run time.

An editable install reads templates straight from src/, so a file missing from the wheel only
shows after `pip install .`: `spectrace trace` then died with TemplateNotFound. The wheel is
built from a copy of the tree (setuptools' build/lib would otherwise mix with build outputs).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "src" / "spectrace"


def _package_files() -> set[str]:
    return {
        "spectrace/" + path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    tree = tmp_path_factory.mktemp("tree")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(PROJECT_ROOT / name, tree / name)
    shutil.copytree(
        PACKAGE, tree / "src" / "spectrace", ignore=shutil.ignore_patterns("__pycache__")
    )
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(tree)]
    built = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if built.returncode != 0:
        pytest.skip(
            f"cannot build a wheel here (no build backend reachable): {built.stderr[-300:]}"
        )
    return next(out.glob("*.whl"))


def test_the_wheel_holds_every_file_of_the_package(wheel):
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if name.startswith("spectrace/")}
    assert sorted(_package_files() - shipped) == []


def test_the_wheel_holds_the_templates_of_the_matrix_and_the_site(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for template in ("trace/matrix.html.j2", "trace/chart.svg.j2", "site/conf.py.j2"):
        assert f"spectrace/templates/{template}" in names
    assert "smartmeter/__init__.py" not in names  # the reference model is not shipped
