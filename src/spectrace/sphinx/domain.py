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

from collections.abc import Set
from dataclasses import replace
from typing import Any, ClassVar

from docutils import nodes
from sphinx.domains import Domain

from spectrace.sphinx.directives import DIRECTIVES
from spectrace.sphinx.matrix import MatrixDirective
from spectrace.sphinx.roles import ROLES
from spectrace.sphinx.targets import Page, Targets, build_index, read_page, resolve_page

#: Roles that also answer to ``spec:`` names (``:spec:clause:``).
DOMAIN_ROLES = ("clause", "gloss", "statement", "irp")


class SpecDomain(Domain):
    """Holds the ``spec:`` directives and roles, and the pages' targets (``data["pages"]``)."""

    name = "spec"
    label = "Specification"
    directives = {**DIRECTIVES, "matrix": MatrixDirective}
    roles = {name: role for name, role in ROLES.items() if name in DOMAIN_ROLES}
    initial_data: ClassVar[dict[str, Any]] = {"pages": {}}
    #: Bump when ``data`` changes shape (with the extension's ``env_version``).
    data_version = 2

    def __init__(self, env) -> None:
        super().__init__(env)
        self._index: Targets | None = None
        #: What the pages being read again offered before (see :func:`outdated`).
        self.before: dict[str, tuple[Page, str] | None] = {}

    @classmethod
    def of(cls, env) -> SpecDomain:
        """Return the environment's ``spec`` domain."""
        return env.get_domain(cls.name)

    @property
    def pages(self) -> dict[str, Page]:
        """Return what each document offers, by docname."""
        return self.data["pages"]

    def note_page(self, docname: str, page: Page) -> None:
        """Keep what the document just read offers."""
        self.pages[docname] = page
        self._index = None

    def clear_doc(self, docname: str) -> None:
        self.pages.pop(docname, None)
        self._index = None

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        theirs: dict[str, Page] = otherdata["pages"]
        for docname in docnames:
            if docname in theirs:
                self.pages[docname] = theirs[docname]
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
    SpecDomain.of(env).note_page(env.docname, read_page(doctree))


def fix_title(app, doctree: nodes.document) -> None:
    """Give a page that starts with a ``spec:document`` or ``spec:proposal`` rather than a
    heading (a spec's index.rst, an IRP) the title the directive names."""
    env = app.env
    page = SpecDomain.of(env).pages.get(env.docname)
    if page and page.title:
        env.titles[env.docname] = nodes.title(page.title, page.title)
        env.longtitles[env.docname] = nodes.title(page.title, page.title)


def outdated(app, env, added, changed, removed) -> list[str]:
    """Remember what the pages now gone offered (see :func:`updated`); read nothing else
    again: references are resolved when a page is written, not when it is read."""
    SpecDomain.of(env).before = {docname: _offer(env, docname) for docname in removed}
    return []


def before_read(app, env, docnames: list[str]) -> None:
    """Remember what the pages about to be read (again) offered (None: a new page)."""
    SpecDomain.of(env).before.update((docname, _offer(env, docname)) for docname in docnames)


def updated(app, env) -> list[str]:
    """Build the index once everything is read (before any parallel writer starts); return
    the pages to write again although they were not read.

    When a page read or removed offers anything other than it did, its neighbours may show
    it differently: when a page came, went or was retitled, every page (the navigation names
    them all); when only its anchors changed, every page with references or clauses (whose
    defined terms are linked); else none."""
    spec = SpecDomain.of(env)
    spec.index(app.config.spectrace_edition)
    before, spec.before = spec.before, {}
    now = {docname: _offer(env, docname) for docname in before}
    if before == now:
        return []
    titles = [
        (then and then[1], offer and offer[1])
        for then, offer in zip(before.values(), now.values(), strict=True)
    ]
    if any(then is None or offer is None or then != offer for then, offer in titles):
        return sorted(set(env.found_docs) - set(before))
    return sorted(
        docname
        for docname, page in spec.pages.items()
        if (page.references or page.clauses) and docname not in before
    )


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
