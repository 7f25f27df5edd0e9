"""Escape plain document text for reStructuredText so that docutils reads back exactly that text.

Inline markup characters are backslash-escaped; text that would start a block construct (a list,
a field list, a directive, a table, a transition) is protected by escaping its first character.
A property test checks the round trip through docutils for arbitrary text.
"""

from __future__ import annotations

import re

_INLINE = re.compile(r"[\\*`|]")
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_ENUMERATOR = re.compile(r"^\w+[.)](?:\s|$)")
_SAFE_FIRST = "[\"“‘'"


def inline(text: str) -> str:
    """Return ``text`` with inline-markup characters escaped.

    A trailing "::" is escaped too: at the end of a paragraph it would announce a literal block.
    """
    text = _INLINE.sub(lambda m: "\\" + m.group(0), text)
    text = _UNDERSCORE.sub(r"\\_", text)
    return text[:-1] + "\\:" if text.endswith("::") else text


def block(text: str) -> str:
    """Return ``text`` escaped to stand at the start of a paragraph, list item, cell or title."""
    escaped = inline(text)
    if escaped and not escaped.startswith("\\") and _needs_guard(text):
        escaped = "\\" + escaped
    elif escaped and not escaped.strip("\\"):
        escaped = "\\ " + escaped  # a line of backslashes alone is a transition or an adornment
    return escaped


def _needs_guard(text: str) -> bool:
    first = text[0]
    if first.isalnum() or first == "_":
        return bool(_ENUMERATOR.match(text))
    # Brackets and quotes start no block construct, unless the line is one repeated character
    # (a transition or a section adornment).
    return first not in _SAFE_FIRST or len(set(text)) == 1
