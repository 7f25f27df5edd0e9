"""Anchors per page, and resolving references to them.

When a page is read, :func:`read_page` returns what it offers (its edition, clause headings,
glossary terms, statements, proposals and changes) as a :class:`Page`, which the ``spec``
domain keeps per document (:mod:`.domain`). Once everything is read, :func:`build_index` joins
the pages into one lookup by (document, edition); when a page is written, :func:`resolve_page`
gives each pending reference its address, or leaves it as text with a ``spectrace.ref``
warning when it names nothing, and links the defined terms (:mod:`.terms`). Nothing here
keeps state: the domain holds the pages and the index.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docutils import nodes
from sphinx.errors import NoUri
from sphinx.util import logging

from spectrace.model.refs import is_clause_number, split_heading
from spectrace.sphinx.matrix import matrix_row
from spectrace.sphinx.nodes import (
    edition_marker,
    item_label,
    mark,
    pending_ref,
    statement_anchor,
    used_in,
)
from spectrace.sphinx.terms import TermLinker, is_clause

logger = logging.getLogger(__name__)

Edition = tuple[str, str]
NO_EDITION: Edition = ("", "")


@dataclass
class Page:
    """What one page offers to references; anchors are HTML ids on that page."""

    edition: Edition | None = None
    view: str = "text"
    title: str = ""
    clauses: dict[str, str] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)
    glossary: str = ""
    statements: list[str] = field(default_factory=list)
    irps: dict[str, str] = field(default_factory=dict)
    changes: dict[str, str] = field(default_factory=dict)
    pictures: dict[str, str] = field(default_factory=dict)  # "IRP603#3": its label
    references: int = 0


@dataclass
class Targets:
    """Where each thing is: {(document, edition): {key: (docname, anchor)}}, and proposals."""

    clauses: dict[Edition, dict[str, tuple[str, str]]] = field(default_factory=dict)
    terms: dict[Edition, dict[str, tuple[str, str]]] = field(default_factory=dict)
    glossaries: dict[Edition, tuple[str, str]] = field(default_factory=dict)
    statements: dict[Edition, dict[str, tuple[str, str]]] = field(default_factory=dict)
    irps: dict[str, tuple[str, str]] = field(default_factory=dict)
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    pictures: dict[str, str] = field(default_factory=dict)  # changes read from a picture
    editions: dict[str, Edition] = field(default_factory=dict)
    linkers: dict[Edition, TermLinker | None] = field(default_factory=dict)

    def linker(self, edition: Edition) -> TermLinker | None:
        """Return the term linker of an edition's glossary (None when it has no terms)."""
        if edition not in self.linkers:
            terms = self.terms.get(edition)
            self.linkers[edition] = TermLinker(terms) if terms else None
        return self.linkers[edition]


# Reading -----------------------------------------------------------------------------------


def read_page(doctree: nodes.document) -> Page:
    """Return what the page just read offers; give clause headings their anchors."""
    page = Page()
    metadata = _docinfo(doctree)
    if metadata.get("spec-edition"):
        parts = metadata["spec-edition"].split()
        if len(parts) == 2:
            page.edition = (parts[0], parts[1])
        page.view = metadata.get("spec-view", "text")
    _Collector(page).walk(doctree)
    return page


def _docinfo(doctree: nodes.document) -> dict[str, str]:
    """Return the page's metadata fields (Sphinx collects them only after this extension)."""
    info = doctree.next_node(nodes.docinfo)
    fields: dict[str, str] = {}
    for item in info.findall(nodes.field) if info is not None else ():
        fields[item[0].astext().strip().lower()] = " ".join(item[1].astext().split())
    return fields


class _Collector:
    """One walk over a page's doctree."""

    def __init__(self, page: Page):
        self.page = page
        self.irp = ""

    def walk(self, doctree: nodes.document) -> None:
        markers: list[edition_marker] = []
        stack: list[nodes.Element] = [doctree]
        while stack:
            node = stack.pop()
            if isinstance(node, edition_marker):
                markers.append(node)
                continue
            self.visit(node)
            stack.extend(
                child for child in reversed(node.children) if isinstance(child, nodes.Element)
            )
        for marker in markers:
            self.marker(marker)
            marker.parent.remove(marker)

    def visit(self, node: nodes.Element) -> None:
        page = self.page
        if isinstance(node, statement_anchor):
            page.statements.append(node["statement"])
        elif isinstance(node, (pending_ref, used_in, matrix_row)):
            page.references += 1
        elif isinstance(node, mark) and not node.get("irp"):
            _attribute(node)
        elif isinstance(node, item_label):
            node.parent["classes"] += ["spectrace-item", f"spectrace-level-{node.get('level', 0)}"]
        elif isinstance(node, nodes.section):
            self.section(node)
        elif isinstance(node, nodes.term) and node.get("spectrace_term"):
            page.terms.setdefault(node["spectrace_term"], node["ids"][0])
        elif node.get("spectrace_glossary"):
            node["ids"].insert(0, "spectrace-glossary")
            page.glossary = page.glossary or "spectrace-glossary"
        elif node.get("spectrace_irp"):
            self.irp = node["spectrace_irp"]
            page.irps.setdefault(self.irp, node["ids"][0])
        elif node.get("spectrace_change") and self.irp:
            anchor = f"{self.irp}-change-{node['spectrace_change']}"
            node["ids"].insert(0, anchor)
            key = f"{self.irp}#{node['spectrace_change']}"
            page.changes.setdefault(key, anchor)
            if node.get("spectrace_picture"):
                page.pictures.setdefault(key, node["spectrace_picture"])

    def section(self, node: nodes.section) -> None:
        title = node.next_node(nodes.title)
        if title is None or title.rawsource.lstrip().startswith("\\"):
            return
        number, _ = split_heading(" ".join(title.astext().split()))
        if number is None:
            return
        anchor = f"clause-{number}"
        if anchor not in node["ids"]:
            node["ids"].insert(0, anchor)
        self.page.clauses.setdefault(number, anchor)

    def marker(self, marker: edition_marker) -> None:
        page = self.page
        if marker.get("title") and not page.title and _before_any_section(marker):
            page.title = marker["title"]
        if marker.get("document") and page.edition is None:
            page.edition = (marker["document"], marker.get("edition", ""))
            page.view = marker.get("view", "text")
        elif marker.get("view") and page.edition is None:
            page.view = marker["view"]


def _attribute(node: mark) -> None:
    """Give an unlabelled mark the change of the labelled mark right after it (a replacement,
    ``:del:`old` :ins:`new <IRP603#3>```, is one change with one label)."""
    sibling = node.next_node(descend=False, siblings=True)
    while isinstance(sibling, nodes.Text) and not sibling.strip():
        sibling = sibling.next_node(descend=False, siblings=True)
    if isinstance(sibling, mark) and sibling.get("irp"):
        node["irp"], node["change"] = sibling["irp"], sibling.get("change", 0)


def _before_any_section(node: nodes.Element) -> bool:
    """Return whether ``node`` stands at the top of its page, before the first heading."""
    parent = node.parent
    if not isinstance(parent, nodes.document):
        return False
    first = next((c for c in parent.children if isinstance(c, nodes.section)), None)
    return first is None or parent.index(node) < parent.index(first)


# The index ---------------------------------------------------------------------------------


def build_index(all_pages: dict[str, Page], configured: str = "") -> Targets:
    """Return every target of the project, first page (by name) first."""
    index = Targets()
    declared = sorted({page.edition for page in all_pages.values() if page.edition})
    default = _configured(configured) or (declared[0] if len(declared) == 1 else NO_EDITION)
    for docname in sorted(all_pages):
        page = all_pages[docname]
        edition = page.edition or default
        index.editions[docname] = edition
        for irp, anchor in page.irps.items():
            index.irps.setdefault(irp, (docname, anchor))
        for change, anchor in page.changes.items():
            index.changes.setdefault(change, (docname, anchor))
        for change, label in page.pictures.items():
            index.pictures.setdefault(change, label)
        if page.view != "text":
            continue
        for number, anchor in page.clauses.items():
            index.clauses.setdefault(edition, {}).setdefault(number, (docname, anchor))
        for term, anchor in page.terms.items():
            index.terms.setdefault(edition, {}).setdefault(term, (docname, anchor))
        if page.glossary:
            index.glossaries.setdefault(edition, (docname, page.glossary))
        statements = index.statements.setdefault(edition, {})
        for statement in page.statements:
            statements.setdefault(statement, (docname, statement))
    return index


def _configured(text: str) -> Edition | None:
    parts = text.split()
    return (parts[0], parts[1]) if len(parts) == 2 else None


# Resolving ---------------------------------------------------------------------------------


def resolve_page(
    doctree: nodes.document, docname: str, index: Targets, builder, *, link_terms: bool
) -> None:
    """Resolve the page's references: set each one's ``refuri``, or mark it missing (with a
    warning when it asked for one). No node is replaced: the nodes render as the links. Give
    each mark made by a change read from a picture that change's label (``picture``). Then,
    if ``link_terms``, link the defined terms of the page's edition where its clauses first
    use them. One walk over the page does it all, in document order."""
    uris = _Uris(builder, docname)
    linker = index.linker(index.editions.get(docname, NO_EDITION)) if link_terms else None
    stack: list[nodes.Node] = [doctree]
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.Text):
            continue
        if isinstance(node, pending_ref):
            _resolve_ref(node, index, uris)
        elif isinstance(node, used_in):
            here = index.editions.get(node.get("refdoc", ""), NO_EDITION)
            node["refuris"] = [uris(_statement(index, s, here), node) for s in node["statements"]]
        elif isinstance(node, matrix_row):
            _resolve_row(node, index, uris)
        elif isinstance(node, mark) and index.pictures:
            label = index.pictures.get(f"{node.get('irp')}#{node.get('change', 0)}")
            if label:
                node["picture"] = label
        elif linker is not None and isinstance(node, nodes.section) and is_clause(node):
            linker.link(node, uris.address)
        stack.extend(reversed(node.children))


def _resolve_ref(node: pending_ref, index: Targets, uris: _Uris) -> None:
    found = _lookup(index, node)
    uri = uris.address(found) if isinstance(found, tuple) else None
    if uri is not None:
        node["refuri"] = uri
    elif node.get("warn") and isinstance(found, str):
        logger.warning(found, type="spectrace", subtype="ref", location=node)


def _resolve_row(node: matrix_row, index: Targets, uris: _Uris) -> None:
    """Set a matrix row's ``refuri`` (its statement; a warning when missing) and ``refuris``
    (its changes, each None when the site has no page for it)."""
    here = index.editions.get(node.get("refdoc", ""), NO_EDITION)
    target = node.get("target")
    node["refuri"] = uris(_statement(index, target, here), node) if target else None
    changes = [_proposal(index, change) if change else None for change in node["changes"]]
    node["refuris"] = [uris.address(c) if isinstance(c, tuple) else None for c in changes]


class _Uris:
    """Relative URIs from one page, each target page's computed once."""

    def __init__(self, builder, docname: str):
        self.builder = builder
        self.docname = docname
        self.known: dict[str, str | None] = {docname: ""}

    def __call__(self, found, node: nodes.Node) -> str | None:
        """Return the address of ``found``, or warn that it is missing (a message)."""
        if not isinstance(found, tuple):
            logger.warning(found, type="spectrace", subtype="ref", location=node)
            return None
        return self.address(found)

    def address(self, found: tuple[str, str]) -> str | None:
        """Return the address of (docname, anchor) from this page, or None if it has none."""
        target, anchor = found
        if target not in self.known:
            try:
                self.known[target] = self.builder.get_relative_uri(self.docname, target)
            except NoUri:
                self.known[target] = None
        page = self.known[target]
        if page is None:
            return None
        # singlehtml addresses every page as "#document-NAME" already: the anchor replaces it.
        return f"{page.split('#', 1)[0]}#{anchor}" if "#" in page else f"{page}#{anchor}"


def _lookup(index: Targets, node: pending_ref) -> tuple[str, str] | str:
    """Return (docname, anchor) of what the node names, or why it names nothing."""
    kind, target = node["kind"], node["target"]
    here = index.editions.get(node.get("refdoc", ""), NO_EDITION)
    if kind in ("irp", "label"):
        return _proposal(index, target)
    if kind == "clause":
        return _clause(index, target, here)
    if kind == "gloss":
        found = index.terms.get(here, {}).get(target)
        return found or f"'{target}' is not a term of the {_label(here)} glossary"
    return _statement(index, target, here)


def _proposal(index: Targets, target: str) -> tuple[str, str] | str:
    irp = target.partition("#")[0]
    return index.changes.get(target) or index.irps.get(irp) or f"no page for {target}"


def _clause(index: Targets, target: str, here: Edition) -> tuple[str, str] | str:
    head, _, number = target.rpartition(" ")
    document, _, edition = head.partition("@")
    if not head:
        document, edition = here
    if not (is_clause_number(number) or number == "Glossary"):
        return f"'{target}' is not a clause address"
    implied = edition or _implied(index, document, here)
    if implied is None:
        return f"{target}: name the edition (several editions of {document} are built)"
    key = (document, implied)
    if number == "Glossary":
        found = index.glossaries.get(key)
    else:
        found = index.clauses.get(key, {}).get(number)
    return found or f"{target}: no clause {number} in {_label(key)}"


def _implied(index: Targets, document: str, here: Edition) -> str | None:
    if here[0] == document:
        return here[1]
    editions = sorted({key[1] for key in [*index.clauses, *index.glossaries] if key[0] == document})
    if len(editions) == 1:
        return editions[0]
    return None if editions else ""


def _statement(index: Targets, target: str, here: Edition) -> tuple[str, str] | str:
    qualifier, _, ident = target.rpartition(" ")
    document, _, named = qualifier.partition("@")
    edition = (document, named) if qualifier else here
    found = index.statements.get(edition, {}).get(ident)
    return found or f"no statement {ident} in {_label(edition)}"


def _label(edition: Edition) -> str:
    return " ".join(part for part in edition if part) or "this project's"
