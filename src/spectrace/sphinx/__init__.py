"""The Sphinx extension for spec-as-code: ``extensions = ["spectrace.sphinx"]``.

It lets specification and IRP sources (``specs/``) build as they are, and gives what a published
edition needs:

- ``:st:`SMETS-5.6.1-1``` — a statement's start: an anchor with that id and a small id badge;
- ``.. spec:document::``, ``.. spec:glossary::`` (terms become anchors), ``.. spec:item::``,
  ``.. spec:level::``, ``.. spec:proposal::`` (a metadata table), ``.. spec:change::``,
  ``.. spec:heading::``; ``toctree`` is Sphinx's own;
- ``.. spec:matrix:: traceability.json`` — a traceability matrix: chart, problems, and a
  filterable table of statements linked to their anchors (:mod:`.matrix`);
- ``:ins:`` and ``:del:`` — ``<ins>``/``<del>``, labelled with the change when written
  ``:ins:`text <IRP603#3>```;
- ``.. spec:edition:: SMETS 4.2+IRP603`` (or ``:spec-edition:`` page metadata, or the
  ``spectrace_edition`` setting, or the one ``spec:document`` of the project) — the edition a
  page shows, which references on it resolve against;
- references: ``:clause:`SMETS 5.6.1```, ``:gloss:`Security Log```,
  ``:statement:`SMETS-5.6.1-1```, ``:irp:`IRP603#3```. One that names nothing is shown as text
  with a warning of type ``spectrace.ref``, so ``-W`` catches dangling references.

Every section heading that starts with a clause number gets the anchor ``clause-<number>``,
and the first use in each clause of each defined term links to its glossary entry
(``spectrace_link_terms = False`` turns that off; :mod:`.terms`).
``spectrace_lean = True`` skips the transforms that would change nothing on a page; only for
a site whose pages come from spectrace (:mod:`.lean`).
A page that comes, goes or is retitled makes an incremental build write every page again, as
the theme's sidebar shows the whole table of contents; a project whose pages show only their
neighbours (the site spectrace publishes) sets ``spectrace_global_toc = False``.
The extension keeps its data per page in its ``spec`` domain, which clears and merges it for
incremental and parallel builds (:mod:`.domain`).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from spectrace.sphinx import domain, lean, matrix, nodes
from spectrace.sphinx.domain import SpecDomain
from spectrace.sphinx.roles import ROLES
from spectrace.sphinx.safelinks import SafeLinks

__all__ = ["setup"]

VERSION = "0.1.0"
#: Bump when the data kept in the environment changes shape (2: the pages moved from
#: ``env.spectrace_pages`` into the ``spec`` domain's data; 3: pages name the changes read
#: from a picture; 4: the proposals each page links to).
ENV_VERSION = 4
STATIC = Path(__file__).parent / "static"


def _add_static(app) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC))


def _whole_search_index(app) -> None:
    """Make an incremental HTML build's search index the one a fresh build makes: Sphinx
    drops a page's words before writing it again, but keeps each word it was the last page
    of, with no page, in the index. And stem each word once per build, not once per page
    (the stemmer is a pure function; Sphinx remembers its stems only page by page)."""
    load = getattr(app.builder, "load_indexer", None)
    if load is None:
        return

    def load_indexer(docnames) -> None:
        load(docnames)
        indexer = app.builder.indexer
        for mapping in (indexer._mapping, indexer._title_mapping):
            for word in [word for word, pages in mapping.items() if not pages]:
                del mapping[word]
        indexer.lang.stem = functools.cache(indexer.lang.stem)

    app.builder.load_indexer = load_indexer


def setup(app) -> dict[str, Any]:
    app.add_config_value("spectrace_edition", "", "env", types=frozenset({str}))
    app.add_config_value("spectrace_link_terms", True, "html", types=frozenset({bool}))
    app.add_config_value("spectrace_lean", False, "", types=frozenset({bool}))
    app.add_config_value("spectrace_global_toc", True, "html", types=frozenset({bool}))
    app.add_domain(SpecDomain)
    for node_class, handlers in {**nodes.visitors(), **matrix.visitors()}.items():
        app.add_node(node_class, **handlers)
    for name, role in ROLES.items():
        app.add_role(name, role)
    app.connect("doctree-read", domain.collect, priority=400)
    app.connect("doctree-read", domain.fix_title, priority=600)
    app.connect("env-get-outdated", domain.outdated)
    app.connect("env-before-read-docs", domain.before_read)
    app.connect("env-updated", domain.updated)
    app.connect("doctree-resolved", domain.resolve)
    app.connect("builder-inited", _add_static)
    app.connect("builder-inited", _whole_search_index)
    app.add_post_transform(SafeLinks)
    app.add_transform(lean.ReadCensus)
    app.add_post_transform(lean.PostCensus)
    app.connect("builder-inited", lean.lean_steps)
    app.add_css_file("spectrace.css")
    app.add_css_file("spectrace-matrix.css")
    return {
        "version": VERSION,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
