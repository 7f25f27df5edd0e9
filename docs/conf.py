"""Sphinx configuration of the spectrace user guide.

Build it with ``sphinx-build -W -n -b html docs build/docs`` (warnings are errors). Besides
Sphinx's built-in theme it uses spectrace's own Sphinx extension (``spectrace.sphinx``), so the
guide needs spectrace installed: ``pip install -e .`` (or ``.[docs]``) is all it needs.

The guide includes the repository's bundled specifications as ``spectrace build`` publishes
them: when the builder starts, :func:`write_published` reads the repository's project
(``spectrace.toml``), applies its proposals and writes the site's Sphinx sources into
``docs/published/`` (generated, ignored by git, rewritten on every build), which the index's
"Published specifications" toctree includes.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

project = "spectrace"
author = "the spectrace authors"
copyright = "the spectrace authors"

try:
    release = metadata.version("spectrace")
except metadata.PackageNotFoundError:  # building the docs without installing the package
    release = "0.1.0"
version = ".".join(release.split(".")[:2])

extensions: list[str] = ["spectrace.sphinx"]

root_doc = "index"
#: The generated site's own Sphinx configuration and navigation template are not pages of the
#: guide (Sphinx reads only .rst files; this keeps it explicit).
exclude_patterns = [
    "_build",
    "Thumbs.db",
    ".DS_Store",
    "published/conf.py",
    "published/_templates",
]
nitpicky = True

# Code blocks say their language; anything else is shown as plain text.
highlight_language = "none"

html_theme = "alabaster"
html_title = f"spectrace {release} user guide"
html_theme_options = {
    "description": "Specifications as code for the GB smart-metering specifications",
    "fixed_sidebar": True,
}

#: The repository root (its spectrace.toml) and where the published sources are written.
REPOSITORY = Path(__file__).resolve().parent.parent
PUBLISHED = Path(__file__).resolve().parent / "published"
PUBLISHED_TITLE = "The bundled specifications"


def write_published(app) -> None:
    """Write the Sphinx sources of the bundled specifications' published site into
    ``docs/published`` (replaced as a whole), as ``spectrace build`` does for build/html."""
    from sphinx.errors import ConfigError

    from spectrace.api import amend_project, load_project_documents, project_proposals
    from spectrace.config import load_project
    from spectrace.errors import SpectraceError
    from spectrace.site import write_site_sources

    try:
        spec_project = load_project(REPOSITORY)
        documents = load_project_documents(spec_project)
        proposals = project_proposals(spec_project)
        amendment = amend_project(spec_project, documents, proposals)
        write_site_sources(
            spec_project, documents, amendment, proposals, PUBLISHED, title=PUBLISHED_TITLE
        )
    except SpectraceError as exc:  # bad spec or IRP sources: one line, as `spectrace build`
        raise ConfigError(f"cannot publish the bundled specifications: error: {exc}") from None


def setup(app) -> None:
    app.connect("builder-inited", write_published)
