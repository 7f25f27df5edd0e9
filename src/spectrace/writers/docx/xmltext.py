"""Text from documents as XML data: escaped, and stripped of characters XML cannot hold."""

from __future__ import annotations

import re

XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NS_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ROOT_NS = f'xmlns:w="{NS_W}" xmlns:r="{NS_R}"'

# Characters XML 1.0 forbids (C0 controls other than tab, newline and return; surrogates;
# U+FFFE/U+FFFF): a document holding one would not open, so they are dropped.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def text(value: str) -> str:
    """Return ``value`` escaped as XML character data."""
    return _FORBIDDEN.sub("", value).translate(_TEXT)


def attr(value: str) -> str:
    """Return ``value`` escaped for a double-quoted XML attribute (tabs and newlines kept)."""
    value = _FORBIDDEN.sub("", value).translate(_ATTR)
    return value.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")
