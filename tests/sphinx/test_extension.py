"""The Sphinx extension on the bundled spec-as-code sources and on small test projects."""

from __future__ import annotations

import re
import shutil

import pytest

from spectrace.site import PublishError, build_html
from spectrace.sphinx import setup
from spectrace.sphinx.targets import Page, build_index
from tests.sphinx.conftest import CONF, SPECS, spec_project, sphinx_build


@pytest.fixture(scope="module")
def smets(tmp_path_factory):
    """The bundled SMETS 4.2 sources, plus a page of references, built once as HTML."""
    source = spec_project(tmp_path_factory.mktemp("smets") / "src")
    (source / "refs.rst").write_text(
        ":orphan:\n\nReferences\n==========\n\n"
        "See :clause:`SMETS 5.6.1`, :clause:`Section 5.5.2.2 <5.5.2.2>`, "
        ":clause:`SMETS@4.2 4.4.5`, :gloss:`ESME`, :gloss:`the link <Communications Link>` "
        "and :statement:`SMETS-5.6.1-1`; the glossary is :clause:`SMETS Glossary`.\n",
        encoding="utf-8",
    )
    return sphinx_build(source)


def test_the_bundled_spec_builds_without_warnings(smets):
    assert smets.status == 0
    assert smets.warnings == ""


def test_statements_are_anchored_by_id_with_a_badge(smets):
    page = smets.html("section-05")
    assert '<span class="spectrace-st" id="SMETS-5.6.1-1">' in page
    assert 'href="#SMETS-5.6.1-1"' in page


def test_clause_headings_get_clause_anchors(smets):
    page = smets.html("section-05")
    assert '<section id="clause-5.6.1">' in page
    assert 'id="clause-5.12.1"' in page
    assert 'id="clause-5.1"' in page  # a heading under an unnumbered "Part A" heading


def test_defined_terms_are_linked_at_their_first_use_in_each_clause(smets):
    page = smets.html("section-05")
    clause = page[page.index('<section id="clause-5.6.1">') :]
    clause = clause[: clause.index("</section>")]
    assert clause.count('href="section-06.html#gloss-esme"') == 1
    assert 'href="section-06.html#gloss-communications-link">Communications Link</a>' in clause
    assert 'href="section-06.html#gloss-type-1-device">Type 1 Devices</a>' in clause
    glossary = smets.html("section-06")
    assert "spectrace-ref spectrace-gloss" not in glossary


def test_term_links_can_be_turned_off(rootdir):
    source = spec_project(rootdir / "src")
    built = sphinx_build(source, spectrace_link_terms=False)
    assert built.warnings == ""
    assert "spectrace-ref spectrace-gloss" not in built.html("section-05")


def test_item_role_labels_a_paragraph(rootdir):
    source = rootdir / "src"
    source.mkdir()
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    (source / "index.rst").write_text(
        "T\n=\n\n:item:`(a)` first\n\n:item:`(i) <1>` nested\n\n:item:`x <no>` bad\n",
        encoding="utf-8",
    )
    built = sphinx_build(source)
    page = built.html("index")
    assert (
        '<p class="spectrace-item spectrace-level-0"><span class="spectrace-item-label">(a)' in page
    )
    assert (
        '<p class="spectrace-item spectrace-level-1"><span class="spectrace-item-label">(i)'
        "</span> nested</p>" in page
    )
    assert "'no' is not a list level" in built.warnings


def test_glossary_terms_are_anchors(smets):
    page = smets.html("section-06")
    assert '<dt class="spectrace-term" id="gloss-esme">ESME' in page


def test_spec_document_gives_the_untitled_index_its_title(smets):
    page = smets.html("index")
    assert "<title>SMETS 4.2: Smart Metering Equipment Technical Specifications" in page
    assert 'class="spectrace-document' in page


def test_references_resolve_to_the_anchors(smets):
    page = smets.html("refs")
    assert 'href="section-05.html#clause-5.6.1"' in page
    assert re.search(r'href="section-05.html#clause-5.5.2.2">Section 5.5.2.2<', page)
    assert 'href="section-04.html#clause-4.4.5"' in page
    assert 'href="section-06.html#gloss-esme"' in page
    assert re.search(r'href="section-06.html#gloss-communications-link">the link<', page)
    assert 'href="section-05.html#SMETS-5.6.1-1"' in page
    assert 'href="section-06.html#spectrace-glossary"' in page


def test_the_css_is_shipped_and_linked(smets):
    assert (smets.out / "_static" / "spectrace.css").is_file()
    assert "_static/spectrace.css" in smets.html("section-05")


def test_an_unknown_clause_is_a_spectrace_warning(rootdir):
    source = spec_project(rootdir / "src")
    (source / "bad.rst").write_text(
        ":orphan:\n\nBad\n===\n\nSee :clause:`SMETS 9.9.9` and :gloss:`Nothing`.\n",
        encoding="utf-8",
    )
    built = sphinx_build(source)
    assert "no clause 9.9.9 in SMETS 4.2 [spectrace.ref]" in built.warnings
    assert "'Nothing' is not a term of the SMETS 4.2 glossary [spectrace.ref]" in built.warnings
    assert '<span class="spectrace-ref spectrace-clause spectrace-missing">SMETS 9.9.9' in (
        built.html("bad")
    )
    with pytest.raises(PublishError) as raised:
        build_html(source, rootdir / "html")
    assert str(raised.value) == (
        "bad.rst: line 6: SMETS 9.9.9: no clause 9.9.9 in SMETS 4.2 [spectrace.ref] (and 1 more)"
    )


def test_a_malformed_reference_is_an_error(rootdir):
    source = spec_project(rootdir / "src")
    (source / "bad.rst").write_text(
        ":orphan:\n\nBad\n===\n\nSee :clause:`not a clause`.\n", encoding="utf-8"
    )
    assert "is not a clause address" in sphinx_build(source).warnings


def test_parallel_build_gives_the_same_html_as_serial(rootdir):
    source = spec_project(rootdir / "src")
    serial = sphinx_build(source, parallel=0)
    parallel = sphinx_build(source, parallel=2)
    assert parallel.warnings == "" and serial.warnings == ""
    pages = sorted(path.relative_to(serial.out) for path in serial.out.rglob("*.html"))
    assert len(pages) >= 7
    for page in pages:
        assert (serial.out / page).read_bytes() == (parallel.out / page).read_bytes(), page


def test_the_irp_source_builds_with_change_anchors_and_marks(rootdir):
    source = rootdir / "irp"
    source.mkdir()
    shutil.copy(SPECS / "irps" / "IRP603.rst", source / "index.rst")
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    built = sphinx_build(source)
    assert built.warnings == ""
    page = built.html("index")
    assert '<table class="spectrace-proposal' in page and 'id="IRP603"' in page
    assert all(f'id="IRP603-change-{n}"' in page for n in range(1, 7))
    assert '<ins class="spectrace-ins">only</ins>' in page
    assert "<title>IRP603: Security Log display over HAN" in page
    # Targets of other projects are shown as text, without a warning.
    assert '<span class="spectrace-ref spectrace-clause spectrace-unlinked">SMETS 4.4.5' in page


def test_labelled_marks_link_to_the_change(rootdir):
    source = rootdir / "src"
    source.mkdir()
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    (source / "index.rst").write_text(
        "Marks\n=====\n\n.. toctree::\n\n   irp\n\n"
        "Text :ins:`new words <IRP603#3>` and :del:`old <IRP603#3>`, :ins:`a\\<b>` and "
        ":ins:`IRP9 <IRP9#1>`.\n",
        encoding="utf-8",
    )
    shutil.copy(SPECS / "irps" / "IRP603.rst", source / "irp.rst")
    page = sphinx_build(source).html("index")
    assert '<ins class="spectrace-ins" title="inserted by IRP603 change 3">new words</ins>' in page
    assert 'href="irp.html#IRP603-change-3">[IRP603 change 3]</a>' in page
    assert '<del class="spectrace-del" title="deleted by IRP603 change 3">old</del>' in page
    assert '<ins class="spectrace-ins">a&lt;b&gt;</ins>' in page
    # A label naming an IRP the project lacks is plain text.
    assert '<span class="spectrace-ref spectrace-label spectrace-unlinked">[IRP9 change 1]' in page


@pytest.mark.parametrize("builder", ["text", "latex"])
def test_other_builders_render_plainly(rootdir, builder):
    source = spec_project(rootdir / "src")
    shutil.copy(SPECS / "irps" / "IRP603.rst", source / "irp.rst")
    (source / "index.rst").write_text(
        (source / "index.rst").read_text(encoding="utf-8") + "   irp\n", encoding="utf-8"
    )
    built = sphinx_build(source, builder)
    assert built.warnings == ""
    if builder == "text":
        assert "SMETS-5.6.1-1 ESME shall be capable" in built.text("section-05")
        assert "[+only+]" in built.text("irp")


def test_the_page_edition_can_be_set_by_metadata_or_directive(rootdir):
    source = rootdir / "src"
    source.mkdir()
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    (source / "index.rst").write_text(".. toctree::\n\n   a\n   b\n   refs\n", encoding="utf-8")
    (source / "a.rst").write_text(
        ":spec-edition: DOC 1\n\n1 One\n=====\n\n:st:`DOC-1-1` First.\n", encoding="utf-8"
    )
    (source / "b.rst").write_text(
        ".. spec:edition:: DOC 2\n\n1 One again\n===========\n\n:st:`DOC-1-1` Second.\n",
        encoding="utf-8",
    )
    (source / "refs.rst").write_text(
        ".. spec:edition:: DOC 2\n\nRefs\n====\n\n"
        ":clause:`1` :clause:`DOC@1 1` :statement:`DOC@1 DOC-1-1` :statement:`DOC-1-1`\n",
        encoding="utf-8",
    )
    built = sphinx_build(source)
    assert built.warnings == ""
    page = built.html("refs")
    hrefs = re.findall(r'class="spectrace-ref spectrace-\w+" href="([^"]+)"', page)
    assert hrefs == ["b.html#clause-1", "a.html#clause-1", "a.html#DOC-1-1", "b.html#DOC-1-1"]


def test_changes_views_offer_no_clause_targets():
    pages = {
        "text": Page(edition=("DOC", "1"), clauses={"1": "clause-1"}),
        "changes": Page(edition=("DOC", "1"), view="changes", clauses={"1": "clause-1"}),
    }
    index = build_index(pages)
    assert index.clauses[("DOC", "1")] == {"1": ("text", "clause-1")}


def test_setup_declares_parallel_safety_and_versions():
    class App:
        def __getattr__(self, name):
            return lambda *args, **kwargs: None

    metadata = setup(App())
    assert metadata["parallel_read_safe"] and metadata["parallel_write_safe"]
    assert metadata["env_version"] >= 1 and metadata["version"]


def test_an_edition_directive_needs_a_document_and_edition(rootdir):
    source = rootdir / "src"
    source.mkdir()
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    (source / "index.rst").write_text(".. spec:edition:: DOC x/y\n\nT\n=\n", encoding="utf-8")
    assert "spec:edition names a document and an edition" in sphinx_build(source).warnings


def test_statement_ids_are_checked(rootdir):
    source = rootdir / "src"
    source.mkdir()
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    (source / "index.rst").write_text("T\n=\n\n:st:`not an id` text\n", encoding="utf-8")
    assert "'not an id' is not a statement id" in sphinx_build(source).warnings


def test_singlehtml_links_point_at_anchors_in_the_one_page(rootdir):
    source = spec_project(rootdir / "single")
    (source / "refs.rst").write_text(
        "References\n==========\n\nSee :clause:`SMETS 5.6.1` and :gloss:`ESME`.\n",
        encoding="utf-8",
    )
    index = source / "index.rst"
    index.write_text(index.read_text(encoding="utf-8") + "   refs\n", encoding="utf-8")
    built = sphinx_build(source, "singlehtml")
    assert built.status == 0, built.warnings
    links = re.findall(r'class="spectrace-ref[^"]*" href="([^"]*)"', built.html("index"))
    assert "#clause-5.6.1" in links and "#gloss-esme" in links
    assert all(link.count("#") == 1 for link in links), links
