"""Link defined terms where clauses use them, without any markup in the source.

On a page that shows an edition's text, the first use in each clause of each term of that
edition's glossary (plurals and possessives included, as :mod:`spectrace.transforms.statements`
finds them) becomes a link to the term's entry. Only running text is linked: not headings,
tables, glossaries, existing links or marked-up insertions and deletions. A term already linked
in the clause with ``:gloss:`` is not linked again. ``spectrace_link_terms = False`` turns
this off.

This runs when a page is written, so the sources stay plain and the doctrees stay small while
they are read: for a 10,000-clause edition that saves most of the build's markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from docutils import nodes

from spectrace.sphinx.nodes import pending_ref
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
        keys = sorted(variants, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])")
            if keys
            else _NEVER
        )

    def link(self, doctree: nodes.document, uri) -> None:
        """Link first uses in each clause section of ``doctree``; ``uri(found)`` gives a link's
        address from (docname, anchor), or None when it cannot be linked."""
        for section in _clause_sections(doctree):
            seen = {
                ref["target"]
                for paragraph in _paragraphs(section)
                for ref in paragraph.children
                if isinstance(ref, pending_ref) and ref["kind"] == "gloss"
            }
            for paragraph in _paragraphs(section):
                self._paragraph(paragraph, seen, uri)

    def _paragraph(self, paragraph: nodes.paragraph, seen: set[str], uri) -> None:
        children: list[nodes.Node] = []
        changed = False
        for child in paragraph.children:
            if not isinstance(child, nodes.Text):
                children.append(child)
                continue
            pieces = self._split(str(child), seen, uri)
            if pieces is None:
                children.append(child)
            else:
                children += pieces
                changed = True
        if changed:
            paragraph.children = children
            for child in children:
                child.parent = paragraph

    def _split(self, text: str, seen: set[str], uri) -> list[nodes.Node] | None:
        pieces: list[nodes.Node] = []
        position = 0
        for match in self.pattern.finditer(text):
            term = self.canonical[match.group(1)]
            if term in seen:
                continue
            seen.add(term)
            address = uri(self.targets[term])
            if address is None:
                continue
            if match.start() > position:
                pieces.append(nodes.Text(text[position : match.start()]))
            pieces.append(_link(match.group(1), term, address))
            position = match.end()
        if not pieces:
            return None
        if position < len(text):
            pieces.append(nodes.Text(text[position:]))
        return pieces


def _link(shown: str, term: str, address: str) -> pending_ref:
    """Return a resolved term link, built directly (this runs tens of thousands of times)."""
    link = pending_ref()
    link.attributes.update(kind="gloss", target=term, refuri=address)
    text = nodes.Text(shown)
    text.parent = link
    link.children.append(text)
    return link


def _clause_sections(doctree: nodes.document) -> Iterator[nodes.section]:
    """Yield every section that is a clause (its first id is ``clause-…``), outside glossaries."""
    stack: list[nodes.Element] = [doctree]
    while stack:
        node = stack.pop()
        for child in reversed(node.children):
            if isinstance(child, nodes.section):
                stack.append(child)
        if isinstance(node, nodes.section) and node["ids"] and node["ids"][0].startswith("clause-"):
            yield node


def _paragraphs(section: nodes.section) -> Iterator[nodes.paragraph]:
    """Yield the running-text paragraphs of the clause itself (not of its sub-clauses)."""
    for child in section.children:
        if isinstance(child, nodes.paragraph):
            yield child
        elif isinstance(child, nodes.container) and "spectrace-item" in child["classes"]:
            yield from (p for p in child.children if isinstance(p, nodes.paragraph))
