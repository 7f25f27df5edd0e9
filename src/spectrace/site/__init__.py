"""The published site: Sphinx sources for every edition and proposal, and the HTML build.

:func:`write_site_sources` writes the Sphinx project (jinja2 templates, every document value
escaped for reStructuredText); :func:`build_html` runs Sphinx on it into a folder that replaces
the previous one only when the build succeeded; :func:`publish_html` does both for a project,
and :func:`write_html` for documents already amended, into a folder a build swaps in with its
other outputs.
"""

from spectrace.site.build import build_html, publish_html, sphinx_html, write_html
from spectrace.site.sources import PublishError, render_site, write_site_sources

__all__ = [
    "PublishError",
    "build_html",
    "publish_html",
    "render_site",
    "sphinx_html",
    "write_html",
    "write_site_sources",
]
