"""Sphinx configuration of the spectrace user guide.

Build it with ``sphinx-build -W -n -b html docs build/docs`` (warnings are errors). Only Sphinx's
built-in extensions and theme are used, so ``pip install -e '.[docs]'`` is all it needs.
"""

from __future__ import annotations

from importlib import metadata

project = "spectrace"
author = "the spectrace authors"
copyright = "the spectrace authors"

try:
    release = metadata.version("spectrace")
except metadata.PackageNotFoundError:  # building the docs without installing the package
    release = "0.1.0"
version = ".".join(release.split(".")[:2])

extensions: list[str] = []

root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
nitpicky = True

# Code blocks say their language; anything else is shown as plain text.
highlight_language = "none"

html_theme = "alabaster"
html_title = f"spectrace {release} user guide"
html_theme_options = {
    "description": "Specifications as code for the GB smart-metering specifications",
    "fixed_sidebar": True,
}
