"""Link defined terms where clauses use them, without any markup in the source.

On a page that shows an edition's text, the first use in each clause of each term of that
edition's glossary (plurals and possessives included, as :mod:`spectrace.transforms.statements`
finds them) becomes a link to the term's entry. Only running text is linked: not headings,
tables, glossaries, existing links or marked-up insertions and deletions. A term already linked
in the clause with ``:gloss:`` is not linked again. ``spectrace_link_terms = False`` turns
this off.

This runs when a page is written, so the sources stay plain and the doctrees stay small while
they are read: for a 10,000-clause edition that saves most of the build's markup. A text with
links stays one text node, wrapped in one :class:`~.nodes.term_links` that says where its links
are (tens of thousands of link nodes cost more to make, index for search and write than the
links themselves).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from docutils import nodes

from spectrace.sphinx.nodes import pending_ref, term_links
from spectrace.transforms.statements import term_variants

_NEVER = re.compile(r"(?!)")


class TermLinker:
    """The terms of one edition: a pattern matching any of them, and where each is defined."""

    def __init__(self, targets: dict[str, tuple[str, str]]):
        self.targets = targets
        variants: dict[str, str] = {}
        for term in sorted(targets):
            for variant in term_variants(term):
                variants.setdefault(variant, term)
        self.canonical = variants
        self.pattern = (
            re.compile(r"(?<![\w-])(" + longest_first(variants) + r")(?![\w-])")
            if variants
            else _NEVER
        )

    def link(self, section: nodes.section, uri) -> None:
        """Link first uses in a clause section (see :func:`is_clause`), not in its sub-clauses;
        ``uri(found)`` gives a link's address from (docname, anchor), or None when it cannot
        be linked."""
        seen = {
            ref["target"]
            for paragraph in _paragraphs(section)
            for ref in paragraph.children
            if isinstance(ref, pending_ref) and ref["kind"] == "gloss"
        }
        for paragraph in _paragraphs(section):
            self._paragraph(paragraph, seen, uri)

    def _paragraph(self, paragraph: nodes.paragraph, seen: set[str], uri) -> None:
        children = paragraph.children
        for index, child in enumerate(children):
            if isinstance(child, nodes.Text):
                links = self._find(str(child), seen, uri)
                if links:
                    linked = term_links("", links=links)
                    linked.children.append(child)
                    child.parent = linked
                    linked.parent = paragraph
                    children[index] = linked

    def _find(self, text: str, seen: set[str], uri) -> list[tuple[int, int, str]]:
        """Return the (start, end, address) of each first use in ``text`` of a term not
        ``seen`` yet (which it then is)."""
        links: list[tuple[int, int, str]] = []
        for match in self.pattern.finditer(text):
            term = self.canonical[match.group(1)]
            if term in seen:
                continue
            seen.add(term)
            address = uri(self.targets[term])
            if address is not None:
                links.append((match.start(), match.end(), address))
        return links


def longest_first(keys) -> str:
    """Return a regular expression matching any of ``keys`` (not empty), the longest that fits
    first, as ``"|".join`` of them longest first would, but as a tree of their common
    prefixes: a position that starts no key fails at its first character, not once per key."""
    tree: dict[str, dict] = {}
    for key in keys:
        node = tree
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(tree)


def _branches(node: dict[str, dict]) -> str:
    """Return the regular expression of a prefix tree: longer continuations before the end."""
    branches = [re.escape(char) + _branches(child) for char, child in sorted(node.items()) if char]
    if "" not in node:
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + "|".join(branches) + ")?" if branches else ""


def is_clause(section: nodes.section) -> bool:
    """Return whether a section is a clause (its first id is ``clause-…``)."""
    ids = section["ids"]
    return bool(ids) and ids[0].startswith("clause-")


def _paragraphs(section: nodes.section) -> Iterator[nodes.paragraph]:
    """Yield the running-text paragraphs of the clause itself (not of its sub-clauses)."""
    for child in section.children:
        if isinstance(child, nodes.paragraph):
            yield child
        elif isinstance(child, nodes.container) and "spectrace-item" in child["classes"]:
            yield from (p for p in child.children if isinstance(p, nodes.paragraph))
