"""The ``spec`` domain keeps the extension's data: incremental and parallel builds stay correct.

Each incremental test builds a small project, changes one thing in its sources, rebuilds in
the same build folder, and compares every page (and the domain's data) with a fresh build of
the changed sources: nothing the old version offered may survive in targets or links. The
last tests check clear_doc and merge_domaindata on the domain alone.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

from sphinx.testing.util import SphinxTestApp

from spectrace.sphinx import ENV_VERSION
from spectrace.sphinx.domain import SpecDomain
from spectrace.sphinx.targets import NO_EDITION, Page
from tests.sphinx.conftest import CONF

INDEX = """\
.. spec:document:: DOC
   :edition: 1
   :title: A document

.. toctree::

   notes
   one
   two
   glossary
   refs
"""

NOTES = "Notes\n=====\n\nA page with no clause and no reference.\n"

ONE = """\
1 Timekeeping
=============

1.1 Clock
---------

:st:`DOC-1.1-1` The Meter shall keep time within ten seconds of UTC.

1.2 Display
-----------

:st:`DOC-1.2-1` The Meter shall show the time.
"""

TWO = """\
2 Logging
=========

:st:`DOC-2-1` The Meter shall log every Event.
"""

GLOSSARY = """\
3 Glossary
==========

.. spec:glossary::

   Meter
      A device that measures energy.

      .. spec:used::

         DOC-1.1-1 DOC-1.2-1 DOC-2-1

   Event
      Something the Meter notices.
"""

REFS = """\
References
==========

See :clause:`DOC 1.1`, :clause:`DOC 1.2`, :clause:`DOC 2`, :statement:`DOC-1.2-1`,
:statement:`DOC-2-1` and :gloss:`Meter`.
"""

SOURCES = {
    "index": INDEX,
    "notes": NOTES,
    "one": ONE,
    "two": TWO,
    "glossary": GLOSSARY,
    "refs": REFS,
}


@dataclass
class Build:
    """One build's pages (name → bytes), warnings, the documents it read, and its domain data."""

    pages: dict[str, bytes]
    warnings: str
    read: list[str]
    data: dict
    written: list[str]


#: Settings of a project whose pages show only their neighbours, not the whole table of
#: contents (as the site spectrace publishes).
NEIGHBOURS = {
    "spectrace_global_toc": False,
    "html_sidebars": {"**": ["localtoc.html", "relations.html", "searchbox.html"]},
}


def build(
    source: Path, builddir: Path, *, fresh: bool, parallel: int = 0, settings: dict | None = None
) -> Build:
    """Build ``source`` into ``builddir`` (reusing its environment unless ``fresh``), with
    the extra ``settings``."""
    warning = StringIO()
    app = SphinxTestApp(
        "html",
        srcdir=source,
        builddir=builddir,
        freshenv=fresh,
        parallel=parallel,
        warning=warning,
        confoverrides={"html_last_updated_fmt": None, **(settings or {})},
    )
    read: list[str] = []
    app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))
    written: list[str] = []
    app.connect("html-page-context", lambda app, name, *rest: written.append(name))
    try:
        app.build()
        pages = {
            path.relative_to(app.outdir).as_posix(): path.read_bytes()
            for path in sorted([*app.outdir.rglob("*.html"), app.outdir / "searchindex.js"])
        }
        spec = SpecDomain.of(app.env)
        data = dict(spec.data, pages=dict(spec.pages))
        return Build(pages, warning.getvalue(), read, data, written)
    finally:
        app.cleanup()


def write(source: Path, sources: dict[str, str]) -> None:
    """Write the project's sources; a changed file's time moves on so Sphinx sees the change."""
    source.mkdir(exist_ok=True)
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    for name, text in sources.items():
        path = source / f"{name}.rst"
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        existed = path.is_file()
        path.write_text(text, encoding="utf-8")
        if existed:
            later = path.stat().st_mtime + 10
            os.utime(path, (later, later))
    for path in source.glob("*.rst"):
        if path.stem not in sources:
            path.unlink()


def rebuild(
    rootdir: Path,
    changed: dict[str, str],
    parallel: int = 0,
    *,
    sources: dict[str, str] = SOURCES,
    settings: dict | None = None,
) -> tuple[Build, Build]:
    """Build the project (``sources``), change its sources to ``changed``, and return the
    incremental rebuild and a fresh build of the changed sources."""
    source = rootdir / "src"
    write(source, sources)
    first = build(source, rootdir / "incremental", fresh=True, parallel=parallel, settings=settings)
    assert first.warnings == "" and "notes" in first.read
    write(source, changed)
    again = build(
        source, rootdir / "incremental", fresh=False, parallel=parallel, settings=settings
    )
    fresh = build(source, rootdir / "fresh", fresh=True, settings=settings)
    return again, fresh


def assert_same(again: Build, fresh: Build) -> None:
    assert again.data == fresh.data
    for page, html in fresh.pages.items():
        assert again.pages[page] == html, page
    assert "notes" not in again.read  # really incremental: the plain page is not read again


def test_an_incremental_rebuild_after_a_statement_changes_matches_a_fresh_build(rootdir):
    changed = dict(SOURCES, two=TWO.replace("shall log", "shall record"))
    again, fresh = rebuild(rootdir, changed)
    assert again.warnings == fresh.warnings == ""
    assert_same(again, fresh)
    assert "two" in again.read
    assert b"shall record" in again.pages["two.html"]
    assert b"shall log" not in again.pages["two.html"]
    # the pages linking to it still link to the same anchors: they are not written again
    assert again.read == ["two"]
    # (Sphinx itself writes the page whose table of contents holds it)
    assert set(again.written) & set(SOURCES) == {"two", "index"}


def test_a_word_gone_from_the_site_is_gone_from_the_search_index(rootdir):
    again, _ = rebuild(rootdir, dict(SOURCES, notes=NOTES.replace("A page", "Zebra. A page")))
    assert b"zebra" in again.pages["searchindex.js"]
    source = rootdir / "src"
    write(source, SOURCES)  # the word's only page loses it
    undone = build(source, rootdir / "incremental", fresh=False)
    assert b"zebra" not in undone.pages["searchindex.js"]
    assert undone.pages == build(source, rootdir / "fresh2", fresh=True).pages


def test_a_new_anchor_rewrites_the_pages_with_links_without_reading_them(rootdir):
    changed = dict(SOURCES, two=TWO + "\n:st:`DOC-2-2` The Meter shall log every Alert.\n")
    again, fresh = rebuild(rootdir, changed)
    assert again.warnings == fresh.warnings == ""
    assert_same(again, fresh)
    assert again.read == ["two"]
    assert {"refs", "glossary", "one", "two"} <= set(again.written)
    assert "notes" not in again.written


def test_a_changed_title_rewrites_the_pages_that_show_it(rootdir):
    changed = dict(
        SOURCES, two=TWO.replace("2 Logging\n=========", "2 Event logging\n===============")
    )
    again, fresh = rebuild(rootdir, changed)
    assert_same(again, fresh)
    assert again.read == ["two"]
    assert b"Event logging" in again.pages["one.html"]  # the "next" link names it
    assert set(again.written) >= set(SOURCES)  # the navigation of every page may name it


# Pages that show only their neighbours (spectrace_global_toc = False) ------------------------

#: A proposal's page, and a page linking to it and to one of its changes.
IRP = """\
IRP7: Clocks
============

.. spec:proposal:: IRP7
   :title: Clocks

.. spec:change:: 1
   :target: DOC 1.1

   The clock shall be :ins:`more` accurate.
"""
CITES = "Citing\n======\n\nSee :irp:`IRP7` and :irp:`IRP7#1`.\n"
#: The project with the page citing the proposal, which has no page yet (a link to a change
#: names it without a page: the citing page warns until the proposal's page comes).
WITH_CITES = dict(SOURCES, index=INDEX.replace("   refs\n", "   refs\n   cites\n"), cites=CITES)


def test_a_new_page_rewrites_its_neighbours_and_the_pages_linking_to_it_only(rootdir):
    listed = WITH_CITES["index"].replace("   two\n", "   two\n   irp7\n")
    changed = dict(WITH_CITES, index=listed, irp7=IRP)
    source = rootdir / "src"
    write(source, WITH_CITES)
    build(source, rootdir / "incremental", fresh=True, settings=NEIGHBOURS)
    write(source, changed)
    again = build(source, rootdir / "incremental", fresh=False, settings=NEIGHBOURS)
    fresh = build(source, rootdir / "fresh", fresh=True, settings=NEIGHBOURS)
    assert again.warnings == fresh.warnings == ""
    assert_same(again, fresh)
    assert sorted(again.read) == ["index", "irp7"]
    # two and glossary come before and after it; cites links to it; the others do not change
    assert set(again.written) & set(changed) == {"index", "irp7", "two", "glossary", "cites"}
    assert b"irp7.html#IRP7-change-1" in again.pages["cites.html"]
    assert b"irp7.html" in again.pages["two.html"]  # its "next" link


def test_a_removed_page_rewrites_its_neighbours_and_the_pages_linking_to_it_only(rootdir):
    listed = WITH_CITES["index"].replace("   two\n", "   two\n   irp7\n")
    sources = dict(WITH_CITES, index=listed, irp7=IRP, cites="Citing\n======\n\nNone.\n")
    changed = {name: text for name, text in sources.items() if name != "irp7"}
    changed["index"] = WITH_CITES["index"]
    again, fresh = rebuild(rootdir, changed, sources=sources, settings=NEIGHBOURS)
    assert again.warnings == fresh.warnings == ""
    assert_same(again, fresh)
    assert sorted(again.read) == ["index"]
    assert set(again.written) & set(changed) == {"index", "two", "glossary"}
    assert b"irp7" not in again.pages["two.html"]


def test_a_removed_page_that_other_pages_link_to_rewrites_them(rootdir):
    listed = WITH_CITES["index"].replace("   two\n", "   two\n   irp7\n")
    sources = dict(WITH_CITES, index=listed, irp7=IRP)
    changed = {name: text for name, text in sources.items() if name != "irp7"}
    changed["index"] = WITH_CITES["index"]
    again, fresh = rebuild(rootdir, changed, sources=sources, settings=NEIGHBOURS)
    assert "no page for IRP7" in again.warnings
    assert again.warnings == fresh.warnings
    assert_same(again, fresh)
    assert "cites" in again.written


def test_a_changed_title_rewrites_only_the_pages_that_show_it_when_no_page_shows_all(rootdir):
    changed = dict(
        SOURCES, two=TWO.replace("2 Logging\n=========", "2 Event logging\n===============")
    )
    again, fresh = rebuild(rootdir, changed, settings=NEIGHBOURS)
    assert_same(again, fresh)
    assert again.read == ["two"]
    assert b"Event logging" in again.pages["one.html"]  # the "next" link names it
    assert b"Event logging" in again.pages["glossary.html"]  # the "previous" link
    assert set(again.written) & set(SOURCES) == {"index", "one", "two", "glossary"}


def test_an_incremental_rebuild_after_a_clause_is_removed_matches_a_fresh_build(rootdir):
    changed = dict(SOURCES, one=ONE[: ONE.index("1.2 Display")])
    again, fresh = rebuild(rootdir, changed)
    assert_same(again, fresh)
    assert "no clause 1.2 in DOC 1" in again.warnings
    assert "no statement DOC-1.2-1 in DOC 1" in again.warnings
    for page in ("refs.html", "glossary.html"):
        assert b"#clause-1.2" not in again.pages[page]
        assert b"one.html#DOC-1.2-1" not in again.pages[page]
    assert "1.2" not in again.data["pages"]["one"].clauses
    assert again.data["pages"]["one"].statements == ["DOC-1.1-1"]


def test_an_incremental_rebuild_after_a_file_is_removed_matches_a_fresh_build(rootdir):
    changed = {name: text for name, text in SOURCES.items() if name != "two"}
    changed["index"] = INDEX.replace("   two\n", "")
    again, fresh = rebuild(rootdir, changed)
    assert_same(again, fresh)
    assert "no clause 2 in DOC 1" in again.warnings
    assert "no statement DOC-2-1 in DOC 1" in again.warnings
    for page in ("refs.html", "glossary.html"):
        assert b"two.html" not in again.pages[page]
    assert "two" not in again.data["pages"]


def test_a_parallel_build_matches_a_serial_one(rootdir):
    source = rootdir / "src"
    write(source, SOURCES)
    serial = build(source, rootdir / "serial", fresh=True)
    parallel = build(source, rootdir / "parallel", fresh=True, parallel=2)
    assert serial.warnings == parallel.warnings == ""
    assert parallel.data == serial.data
    assert parallel.pages == serial.pages
    assert sorted(parallel.data["pages"]) == sorted(SOURCES)


def test_a_parallel_incremental_rebuild_matches_a_fresh_serial_build(rootdir):
    changed = dict(SOURCES, one=ONE[: ONE.index("1.2 Display")])
    again, fresh = rebuild(rootdir, changed, parallel=2)
    assert_same(again, fresh)


# The domain on its own ----------------------------------------------------------------------


def spec_domain(**pages: Page) -> SpecDomain:
    """Return a domain over a bare environment, holding ``pages``."""
    spec = SpecDomain(SimpleNamespace(domaindata={}))
    for docname, page in pages.items():
        spec.note_page(docname, page)
    return spec


def test_the_domain_keeps_only_pages_what_they_cite_and_its_version():
    spec = spec_domain(a=Page(statements=["X-1-1"]))
    spec.note_page("b", Page(), cited={"IRP9", "IRP1"})
    spec.index()
    pages = {"a": spec.pages["a"], "b": Page()}
    assert spec.data == {
        "version": SpecDomain.data_version,
        "pages": pages,
        "cited": {"b": ["IRP1", "IRP9"]},
    }
    spec.note_page("b", Page())  # read again, citing nothing
    assert spec.cited == {}
    assert pickle.loads(pickle.dumps(spec.data)) == spec.data
    assert ENV_VERSION >= 2 and SpecDomain.data_version >= 1


def test_clear_doc_removes_exactly_one_documents_data():
    a = Page(edition=("X", "1"), clauses={"1": "clause-1"}, statements=["X-1-1"])
    b = Page(edition=("X", "1"), clauses={"2": "clause-2"}, statements=["X-2-1"])
    spec = spec_domain(a=a, b=b)
    assert spec.index().statements == {
        ("X", "1"): {"X-1-1": ("a", "X-1-1"), "X-2-1": ("b", "X-2-1")}
    }
    spec.clear_doc("b")
    assert spec.pages == {"a": a}
    assert spec.index().statements == {("X", "1"): {"X-1-1": ("a", "X-1-1")}}
    assert spec.index().clauses == {("X", "1"): {"1": ("a", "clause-1")}}
    spec.clear_doc("never-read")
    assert spec.pages == {"a": a}
    spec.note_page("c", Page(), cited={"IRP1"})
    spec.clear_doc("c")
    assert spec.cited == {}


def test_merge_domaindata_takes_the_named_documents_from_another_reader():
    spec = spec_domain(a=Page(statements=["X-1-1"]), b=Page(statements=["X-2-1"]))
    assert spec.index().statements[NO_EDITION] == {"X-1-1": ("a", "X-1-1"), "X-2-1": ("b", "X-2-1")}
    other = spec_domain(
        b=Page(statements=["X-2-2"]), c=Page(irps={"IRP1": "IRP1"}), d=Page(statements=["X-4-1"])
    )
    other.note_page("b", other.pages["b"], cited={"IRP1"})
    other.note_page("d", other.pages["d"], cited={"IRP2"})
    spec.merge_domaindata({"b", "c"}, pickle.loads(pickle.dumps(other.data)))
    assert spec.cited == {"b": ["IRP1"]}
    assert spec.pages == {
        "a": Page(statements=["X-1-1"]),
        "b": Page(statements=["X-2-2"]),
        "c": Page(irps={"IRP1": "IRP1"}),
    }
    assert spec.index().statements[NO_EDITION] == {"X-1-1": ("a", "X-1-1"), "X-2-2": ("b", "X-2-2")}
    assert spec.index().irps == {"IRP1": ("c", "IRP1")}


def test_an_incremental_site_build_reads_a_few_pages_in_its_own_process(tmp_path, monkeypatch):
    """run_sphinx reads fewer than SERIAL_READ pages of a kept build in this process (a
    parallel reader would pickle the whole environment back from each worker); a build from
    nothing reads in parallel, and both give the pages a fresh serial build gives."""
    import sphinx.application

    from spectrace.site import runner

    read: list[str] = []
    real_init = sphinx.application.Sphinx.__init__

    def counting_init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        self.connect("doctree-read", lambda app, doctree: read.append(app.env.docname))

    monkeypatch.setattr(sphinx.application.Sphinx, "__init__", counting_init)
    source, out, doctrees = tmp_path / "src", tmp_path / "out", tmp_path / "doctrees"
    many = {f"page{n}": f"Page {n}\n=======\n\nText {n}.\n" for n in range(8)}
    index = INDEX.replace("   refs\n", "   refs\n" + "".join(f"   {n}\n" for n in many))
    write(source, dict(SOURCES, index=index, **many))
    runner.run_sphinx(source, out, doctrees, 2, fresh=True)
    assert read == []  # the workers read them
    read.clear()
    write(source, dict(SOURCES, index=index, **many, two=TWO.replace("log", "record")))
    runner.run_sphinx(source, out, doctrees, 2, fresh=False, changed={"two.rst"})
    assert read == ["two"]
    assert b"shall record" in (out / "two.html").read_bytes()
