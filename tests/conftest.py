"""Shared test fixtures: paths to the bundled Word files and documents read from them."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT_ROOT = Path(__file__).parent.parent
SMETS_DOCX = FIXTURES / "SMETS-v4.2-excerpt.docx"
CHTS_DOCX = FIXTURES / "CHTS-v1.3-excerpt.docx"


@pytest.fixture(autouse=True)
def _outside_ci(monkeypatch):
    """Run every test as on a developer's machine: in CI (the CI variable set), ``trace`` and
    ``build`` record no baselines, and the tests that want that set it themselves."""
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def bundled_documents():
    """The bundled SMETS v4.2 and CHTS v1.3, read from the committed spec-as-code sources."""
    from spectrace.api import load_project_documents
    from spectrace.config import load_project

    return load_project_documents(load_project(PROJECT_ROOT))


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the repository's project (spectrace.toml and specs/) in a temporary folder."""
    import shutil

    shutil.copy(PROJECT_ROOT / "spectrace.toml", tmp_path / "spectrace.toml")
    shutil.copytree(PROJECT_ROOT / "specs", tmp_path / "specs")
    return tmp_path


def bundled_project(
    folder: Path,
    irps: dict[str, str] | None = None,
    *,
    listed_in: tuple[str, ...] = ("SMETS", "CHTS"),
    extra_toml: str = "",
) -> Path:
    """Copy the repository's project (spectrace.toml, without its tracing, and specs/) into
    ``folder``; write each IRP-as-code source of ``irps`` (IRP number -> text) and list it
    after IRP603 in the documents ``listed_in``. Return ``folder``."""
    import shutil

    shutil.copytree(PROJECT_ROOT / "specs", folder / "specs")
    toml = (PROJECT_ROOT / "spectrace.toml").read_text(encoding="utf-8")
    toml = toml.split("# Tracing the reference meter model")[0]  # no code to trace in a copy
    for irp, source in (irps or {}).items():
        (folder / "specs" / "irps" / f"{irp}.rst").write_text(source, encoding="utf-8")
    names = ", ".join(f'"{irp}"' for irp in ["IRP603", *(irps or {})])
    for document in listed_in:
        toml = re.sub(
            rf'(\[documents\.{document}\]\nedition = "[^"]*"\nproposals = )\["IRP603"\]',
            rf"\g<1>[{names}]",
            toml,
        )
    (folder / "spectrace.toml").write_text(toml + extra_toml, encoding="utf-8")
    return folder


def load_benchmark(name: str):
    """Import benchmarks/NAME.py by path (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
