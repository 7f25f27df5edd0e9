"""The ``spec`` domain: the ``spec:`` directives and reference roles, and all of the extension's
data; and the build events that fill and use that data.

The data is what each document offers to references, one :class:`~.targets.Page` per docname
in ``data["pages"]``, as Sphinx's own domains keep theirs: it is pickled with the environment,
:meth:`SpecDomain.clear_doc` drops a document's page before it is read again or once it is
removed, and :meth:`SpecDomain.merge_domaindata` takes the pages a parallel reader made, so
incremental and parallel builds see the same data as a fresh serial one. The index joining the
pages (:class:`~.targets.Targets`) is derived: it is built once reading is done, dropped
whenever a page changes, and never pickled.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import replace
from typing import Any, ClassVar

from docutils import nodes
from sphinx.domains import Domain

from spectrace.sphinx.directives import DIRECTIVES
from spectrace.sphinx.matrix import MatrixDirective
from spectrace.sphinx.nodes import CITED, OWN_EDITION
from spectrace.sphinx.roles import ROLES
from spectrace.sphinx.targets import Page, Targets, build_index, read_page, resolve_page

#: Roles that also answer to ``spec:`` names (``:spec:clause:``).
DOMAIN_ROLES = ("clause", "gloss", "statement", "irp")


class SpecDomain(Domain):
    """Holds the ``spec:`` directives and roles, the pages' targets (``data["pages"]``) and
    what each page links to (``data["cited"]``: keys of :func:`.nodes.cited`, pages that
    link to nothing left out)."""

    name = "spec"
    label = "Specification"
    directives = {**DIRECTIVES, "matrix": MatrixDirective}
    roles = {name: role for name, role in ROLES.items() if name in DOMAIN_ROLES}
    initial_data: ClassVar[dict[str, Any]] = {"pages": {}, "cited": {}}
    #: Bump when ``data`` changes shape (with the extension's ``env_version``).
    data_version = 3

    def __init__(self, env) -> None:
        super().__init__(env)
        self._index: Targets | None = None
        #: What the pages being read again offered before (see :func:`outdated`).
        self.before: dict[str, tuple[Page, str] | None] = {}
        #: What each page showed of its neighbours before anything was read (see
        #: :func:`outdated`).
        self.shown: dict[str, Shown] = {}

    @classmethod
    def of(cls, env) -> SpecDomain:
        """Return the environment's ``spec`` domain."""
        return env.get_domain(cls.name)

    @property
    def pages(self) -> dict[str, Page]:
        """Return what each document offers, by docname."""
        return self.data["pages"]

    @property
    def cited(self) -> dict[str, list[str]]:
        """Return what each page links to (:func:`.nodes.cited`), by docname (nothing: not
        there)."""
        return self.data["cited"]

    def note_page(self, docname: str, page: Page, cited: Iterable[str] = ()) -> None:
        """Keep what the document just read offers, and what it links to."""
        self.pages[docname] = page
        self.cited.pop(docname, None)
        if cited:
            self.cited[docname] = sorted(cited)
        self._index = None

    def clear_doc(self, docname: str) -> None:
        self.pages.pop(docname, None)
        self.cited.pop(docname, None)
        self._index = None

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        theirs: dict[str, Page] = otherdata["pages"]
        cited: dict[str, list[str]] = otherdata["cited"]
        for docname in docnames:
            if docname in theirs:
                self.pages[docname] = theirs[docname]
            if docname in cited:
                self.cited[docname] = cited[docname]
        self._index = None

    def index(self, configured: str = "") -> Targets:
        """Return every target of the project (``configured`` is ``spectrace_edition``), built
        once until a page changes."""
        if self._index is None:
            self._index = build_index(self.pages, configured)
        return self._index


# Events ------------------------------------------------------------------------------------


def collect(app, doctree: nodes.document) -> None:
    """Keep what the page just read offers; give clause headings their anchors."""
    env = app.env
    cited = env.temp_data.get(CITED, ())
    SpecDomain.of(env).note_page(env.docname, read_page(doctree), cited)


def fix_title(app, doctree: nodes.document) -> None:
    """Give a page that starts with a ``spec:document`` or ``spec:proposal`` rather than a
    heading (a spec's index.rst, an IRP) the title the directive names."""
    env = app.env
    page = SpecDomain.of(env).pages.get(env.docname)
    if page and page.title:
        env.titles[env.docname] = nodes.title(page.title, page.title)
        env.longtitles[env.docname] = nodes.title(page.title, page.title)


def outdated(app, env, added, changed, removed) -> list[str]:
    """Remember what the pages now gone offered, and what every page shows of its neighbours
    (see :func:`updated`); read nothing else again: references are resolved when a page is
    written, not when it is read."""
    spec = SpecDomain.of(env)
    spec.before = {docname: _offer(env, docname) for docname in removed}
    spec.shown = _shown(env)
    return []


def before_read(app, env, docnames: list[str]) -> None:
    """Remember what the pages about to be read (again) offered (None: a new page)."""
    SpecDomain.of(env).before.update((docname, _offer(env, docname)) for docname in docnames)


def updated(app, env) -> list[str]:
    """Build the index once everything is read (before any parallel writer starts); return
    the pages to write again although they were not read: those whose neighbours (previous,
    next, the pages above) came, went or were retitled, and those whose links may now go
    elsewhere:

    - the clause, term, glossary or statement targets of an edition moved: the pages linking
      into it, and the pages of that edition with clauses (whose defined terms are linked);
    - a proposal's page came, went or offers other anchors: the pages linking to it;
    - a page not read now shows another edition (the one implied changed): every page with
      references or clauses;
    - a page came, went or was retitled and ``spectrace_global_toc`` is on (the theme shows
      the whole table of contents on every page): every page.
    """
    spec = SpecDomain.of(env)
    configured = app.config.spectrace_edition
    index = spec.index(configured)
    before, spec.before = spec.before, {}
    shown, spec.shown = spec.shown, {}
    write = {docname for docname, now in _shown(env).items() if shown.get(docname) != now}
    now = {docname: _offer(env, docname) for docname in before}
    if before != now:
        titles = [
            (then and then[1], offer and offer[1])
            for then, offer in zip(before.values(), now.values(), strict=True)
        ]
        retitled = any(then is None or offer is None or then != offer for then, offer in titles)
        if retitled and app.config.spectrace_global_toc:
            return sorted(set(env.found_docs) - set(before))
        earlier = dict(spec.pages)
        for docname, offer in before.items():
            if offer is None:
                earlier.pop(docname, None)
            else:
                earlier[docname] = offer[0]
        write |= _linking(spec, build_index(earlier, configured), index, set(before))
    return sorted((write & set(env.found_docs)) - set(before))


def _linking(spec: SpecDomain, earlier: Targets, now: Targets, read: set[str]) -> set[str]:
    """Return the pages whose links may go elsewhere now that the index is ``now`` rather
    than ``earlier`` (``read``: the pages read again, whose own edition may have changed)."""
    others = (set(earlier.editions) | set(now.editions)) - read
    if any(earlier.editions.get(d) != now.editions.get(d) for d in others):
        return {d for d, page in spec.pages.items() if page.references or page.clauses}
    moved: set[tuple[str, str]] = set()
    for name in ("clauses", "terms", "glossaries", "statements"):
        old, new = getattr(earlier, name), getattr(now, name)
        moved.update(key for key in set(old) | set(new) if old.get(key) != new.get(key))
    keys = {f"{document}@{edition}" for document, edition in moved}
    keys |= {f"{document}@" for document, _ in moved}
    for name in ("irps", "changes", "pictures"):
        old, new = getattr(earlier, name), getattr(now, name)
        keys.update(k.partition("#")[0] for k in set(old) | set(new) if old.get(k) != new.get(k))
    pages = {d for d, cited in spec.cited.items() if keys.intersection(cited)}
    for docname, page in spec.pages.items():
        own = now.editions.get(docname)
        if own in moved and (page.clauses or OWN_EDITION in spec.cited.get(docname, ())):
            pages.add(docname)
    return pages


#: What a page shows of its neighbours: the pages above it, its previous and next page, each
#: with its title.
Shown = tuple[tuple[tuple[str, str], ...], tuple[str, str] | None, tuple[str, str] | None]


def _shown(env) -> dict[str, Shown]:
    """Return what each page in the table of contents shows of its neighbours."""
    relations = env.collect_relations()

    def titled(docname: str) -> tuple[str, str]:
        title = env.titles.get(docname)
        return (docname, title.astext() if title is not None else "")

    shown: dict[str, Shown] = {}
    for docname, (parent, previous, following) in relations.items():
        above: list[tuple[str, str]] = []
        while parent is not None and len(above) < len(relations):  # a cycle ends somewhere
            above.append(titled(parent))
            parent = relations.get(parent, [None])[0]
        shown[docname] = (
            tuple(above),
            titled(previous) if previous is not None else None,
            titled(following) if following is not None else None,
        )
    return shown


def _offer(env, docname: str) -> tuple[Page, str] | None:
    """Return what a page offers other pages: its targets, and its title (None: no page)."""
    page = SpecDomain.of(env).pages.get(docname)
    if page is None:
        return None
    title = env.titles.get(docname)
    return (replace(page, references=0), title.astext() if title is not None else "")


def resolve(app, doctree: nodes.document, docname: str) -> None:
    """Resolve the page's references; link defined terms on a page showing an edition's text
    (unless ``spectrace_link_terms`` is off)."""
    spec = SpecDomain.of(app.env)
    index = spec.index(app.config.spectrace_edition)
    page = spec.pages.get(docname)
    link_terms = app.config.spectrace_link_terms and page is not None and page.view == "text"
    resolve_page(doctree, docname, index, app.builder, link_terms=link_terms)
