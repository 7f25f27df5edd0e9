"""The published site: Sphinx sources for every edition and proposal, and the HTML build.

:func:`write_site_sources` writes the Sphinx project (jinja2 templates, every document value
escaped for reStructuredText); :func:`build_html` runs Sphinx on it into a folder that replaces
the previous one only when the build succeeded; :func:`write_html` does both for documents
already amended, into a folder a build swaps in with its other outputs
(:func:`spectrace.api.publish_html` for a whole project).
"""

from spectrace.site.build import build_html, check_output, sphinx_html, write_html
from spectrace.site.sources import PublishError, render_site, write_site_sources

__all__ = [
    "PublishError",
    "build_html",
    "check_output",
    "render_site",
    "sphinx_html",
    "write_html",
    "write_site_sources",
]
