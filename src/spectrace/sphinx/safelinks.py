"""Links in published pages lead only to the web or to mail: http, https and mailto.

docutils turns any text that looks like a URI into a live link — a statement reading
``javascript:alert(document.domain)//`` became ``<a href="javascript:…">`` in the site. Document
text is data, so a post-transform turns every reference whose scheme is not allowed back into
its text, whichever way it came (a bare URI, an explicit hyperlink, a named target), and the
extension's own nodes check their links the same way.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

#: The schemes a link in a published page may have; links without one stay within the site.
SCHEMES = frozenset({"http", "https", "mailto"})
#: What browsers ignore in a URL before reading its scheme: ASCII whitespace and controls.
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def scheme(uri: str) -> str | None:
    """Return the scheme a browser would read from ``uri`` (lower case), or None."""
    match = _SCHEME.match(_IGNORED.sub("", uri))
    return match.group(1).lower() if match else None


def is_safe(uri: str) -> bool:
    """Whether ``uri`` may be a link: relative (within the site), or http, https or mailto."""
    if ":" not in uri:
        return True  # no scheme; the site's own links, tens of thousands a page
    found = scheme(uri)
    return found is None or found in SCHEMES


class SafeLinks(SphinxPostTransform):
    """Turn each reference to a URI of another scheme into its plain text."""

    default_priority = 1  # before any other post-transform looks at the references

    def run(self, **kwargs: Any) -> None:
        for reference in list(self.document.findall(nodes.reference)):
            if not is_safe(reference.get("refuri", "")):
                reference.replace_self(reference.children or [nodes.Text(reference["refuri"])])
        for image in list(self.document.findall(nodes.image)):
            if not is_safe(image.get("uri", "")):
                image.parent.remove(image)
