"""Helpers for the Sphinx extension and site tests: small Sphinx projects built in tmp dirs."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SPECS = PROJECT_ROOT / "specs"
CONF = 'extensions = ["spectrace.sphinx"]\nhtml_last_updated_fmt = None\n'


@dataclass
class Built:
    out: Path
    warnings: str
    status: int

    def html(self, page: str) -> str:
        return (self.out / f"{page}.html").read_text(encoding="utf-8")

    def text(self, page: str) -> str:
        return (self.out / f"{page}.txt").read_text(encoding="utf-8")


def sphinx_build(srcdir: Path, builder: str = "html", parallel: int = 0, **overrides) -> Built:
    """Build ``srcdir`` with Sphinx's test application; return the output and the warnings."""
    build = srcdir.parent / f"_build-{srcdir.name}-{builder}-{parallel}"
    app = SphinxTestApp(
        builder,
        srcdir=srcdir,
        builddir=build,
        freshenv=True,
        parallel=parallel,
        warning=StringIO(),
        confoverrides=overrides,
    )
    try:
        app.build(force_all=True)
        return Built(app.outdir, app.warning.getvalue(), app.statuscode)
    finally:
        app.cleanup()


def spec_project(target: Path, document: str = "SMETS", edition: str = "4.2") -> Path:
    """Copy a bundled spec-as-code edition into ``target`` as a Sphinx project."""
    shutil.copytree(SPECS / document / edition, target)
    (target / "conf.py").write_text(CONF, encoding="utf-8")
    return target


@pytest.fixture
def rootdir(tmp_path) -> Path:
    """A fresh folder for one test's Sphinx projects."""
    return tmp_path
