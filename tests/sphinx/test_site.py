"""The published site of the bundled project (SMETS 4.2, CHTS 1.3, IRP603), built once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spectrace.api import amend_project, load_project_documents, project_proposals, publish_html
from spectrace.config import load_project
from spectrace.model import Block, BlockKind, Clause, Document, GlossaryEntry, Statement
from spectrace.model.revision import Amendment
from spectrace.site import PublishError, build_html, write_site_sources
from tests.sphinx.conftest import PROJECT_ROOT


@pytest.fixture(scope="module")
def project():
    return load_project(PROJECT_ROOT)


@pytest.fixture(scope="module")
def site(project, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("site") / "html"
    publish_html(project, output)
    return output


def page(site: Path, name: str) -> str:
    return (site / f"{name}.html").read_text(encoding="utf-8")


def body(html: str) -> str:
    """Return the page's main text, without the sidebar."""
    return html[html.index('<div class="body"') : html.index('<div class="sphinxsidebar"')]


def test_index_lists_documents_editions_and_irps(site):
    index = body(page(site, "index"))
    for label, target in [
        ("SMETS 4.2", "SMETS/4.2/index.html"),
        ("SMETS 4.2+IRP603", "SMETS/4.2%2BIRP603/index.html"),
        ("CHTS 1.3", "CHTS/1.3/index.html"),
        ("CHTS 1.3+IRP603", "CHTS/1.3%2BIRP603/index.html"),
        ("IRP603", "irps/IRP603.html"),
    ]:
        assert f'href="{target}"><span class="doc">{label}</span>' in index


def test_clean_text_has_headings_anchors_and_links(site):
    text = body(page(site, "SMETS/4.2+IRP603/section-05"))
    assert '<section id="clause-5.6.1">' in text
    assert "5.6.1 Type 1 Devices and Type 2 Device information provision" in text
    assert 'id="SMETS-5.6.1-1"' in text and 'id="SMETS-5.6.1-2"' in text
    assert 'href="#clause-5.5.2.2">5.5.2.2</a>' in text
    assert 'href="glossary.html#gloss-esme">ESME</a>' in text
    assert "<ins" not in text  # the clean text carries no marks


def test_cross_document_references_link_to_the_same_build(site):
    text = body(page(site, "CHTS/1.3+IRP603/section-04"))
    assert 'href="#clause-4.6.3.5"' in text


def test_change_marked_view_labels_each_mark_with_its_change(site):
    changes = body(page(site, "SMETS/4.2+IRP603/changes"))
    assert re.search(
        r'<ins class="spectrace-ins" title="inserted by IRP603 change 1">only</ins> '
        r'<a class="spectrace-ref spectrace-label" '
        r'href="../../irps/IRP603.html#IRP603-change-1">\[IRP603 change 1\]</a>',
        changes,
    )
    # The new statement of change 3, wholly inserted, and the clause's unchanged context.
    assert "inserted by IRP603 change 3" in changes
    assert "ESME shall be capable, immediately upon establishment" in changes
    assert changes.count('<ins class="spectrace-ins"') == 4


def test_amended_glossary_marks_the_added_term(site):
    glossary = body(page(site, "CHTS/1.3+IRP603/glossary"))
    entry = glossary[glossary.index('id="gloss-gsme-security-log"') :]
    entry = entry[: entry.index("</dd>")]
    assert "Added by" in entry and 'href="../../irps/IRP603.html#IRP603-change-6"' in entry
    assert '<ins class="spectrace-ins">The information held on GSME' in entry
    assert 'href="section-04.html#CHTS-4.4.6.1-10"' in entry  # where it is used
    assert glossary.count("Added by") == 1 and "Changed by" not in glossary


def test_base_glossary_lists_terms_and_where_used(site):
    glossary = body(page(site, "SMETS/4.2/glossary"))
    assert 'id="gloss-communications-link"' in glossary
    assert "Used in:" in glossary and 'href="section-05.html#SMETS-5.6.1-1"' in glossary
    assert "GSME Security Log" not in body(page(site, "CHTS/1.3/glossary"))


def test_irp_page_lists_metadata_sections_and_its_six_changes(site):
    irp = body(page(site, "irps/IRP603"))
    assert "<h1>IRP603: Security Log display over HAN" in irp
    assert "TS1104" in irp and "Proposed Position" in irp
    assert re.findall(r'id="IRP603-change-(\d+)"', irp) == ["1", "2", "3", "4", "5", "6"]
    assert "6 of 6 changes applied." in irp
    assert 'href="../SMETS/4.2%2BIRP603/section-04.html#clause-4.4.5"' in irp


def test_search_index_holds_the_text(site):
    index = (site / "searchindex.js").read_text(encoding="utf-8")
    assert '"esm":' in index and '"perimet":' in index  # stemmed: "ESME", "Perimeter"
    assert (site / "search.html").is_file()


def test_pages_carry_no_build_date(site):
    assert "Last updated" not in page(site, "index")


def test_two_builds_give_the_same_bytes(project, site, tmp_path):
    again = tmp_path / "html"
    publish_html(project, again, parallel=1)
    names = sorted(p.relative_to(site) for p in site.rglob("*") if p.suffix in {".html", ".js"})
    assert len(names) > 30
    for name in names:
        assert (site / name).read_bytes() == (again / name).read_bytes(), name


# Escaping ----------------------------------------------------------------------------------


def _hostile() -> Document:
    nasty = "<script>alert(1)</script> *emph* `tick` |sub| _under [1]_ :role:`x` .. note::"
    statement = Statement("DOC-1-1", f"DOC shall show {nasty} as text.")
    clause = Clause(
        "1",
        "Title with *stars* and <b>tags</b>",
        1,
        [
            Block(BlockKind.PARAGRAPH, statement.text, [statement]),
            Block(BlockKind.PARAGRAPH, "- not a list item, 1. nor this"),
            Block(BlockKind.LIST_ITEM, "* item <i>x</i>", label="(a)"),
            Block(BlockKind.TABLE, "", rows=[["`a`", "<td>b"], ["*c*", ""]], header_rows=1),
        ],
    )
    unnumbered = Clause(None, "9.9 Looks numbered but is not", 1, [Block(BlockKind.PARAGRAPH, "x")])
    return Document(
        "DOC",
        "1",
        title="A <title> with `backticks`",
        clauses=[clause, unnumbered],
        glossary=[GlossaryEntry("Odd : Term*", "Means <this> and `that`.")],
        front_matter=[".. raw:: html", "<script>x</script>"],
    )


def test_document_text_never_becomes_markup(tmp_path):
    document = _hostile()
    write_site_sources(None, [document], Amendment(documents=[document]), [], tmp_path / "src")
    build_html(tmp_path / "src", tmp_path / "html")
    text = body((tmp_path / "html" / "DOC" / "1" / "section-01.html").read_text("utf-8"))
    assert "<script>" not in text and "<b>" not in text and "<em>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *emph* `tick` |sub| _under [1]_" in text
    assert ":role:`x` .. note::" in text
    assert "Title with *stars* and &lt;b&gt;tags&lt;/b&gt;" in text
    assert "- not a list item, 1. nor this" in text
    assert "* item &lt;i&gt;x&lt;/i&gt;" in text
    assert "`a`" in text and "&lt;td&gt;b" in text
    other = body((tmp_path / "html" / "DOC" / "1" / "part-02.html").read_text("utf-8"))
    assert "9.9 Looks numbered but is not" in other and 'id="clause-9.9"' not in other
    edition = body((tmp_path / "html" / "DOC" / "1" / "index.html").read_text("utf-8"))
    assert ".. raw:: html" in edition and "&lt;script&gt;x&lt;/script&gt;" in edition
    glossary = body((tmp_path / "html" / "DOC" / "1" / "glossary.html").read_text("utf-8"))
    assert "Odd : Term*" in glossary and "Means &lt;this&gt; and `that`." in glossary


# Errors and the swap -----------------------------------------------------------------------


def test_a_failed_build_leaves_the_previous_output(tmp_path, project):
    output = tmp_path / "html"
    output.mkdir()
    (output / "previous.txt").write_text("kept", encoding="utf-8")
    documents = load_project_documents(project)
    proposals = project_proposals(project)
    amendment = amend_project(project, documents, proposals)
    sources = tmp_path / "src"
    write_site_sources(project, documents, amendment, proposals, sources)
    broken = sources / "SMETS" / "4.2" / "section-05.rst"
    lines = broken.read_text(encoding="utf-8").split("\n")
    after = next(n for n, line in enumerate(lines) if line.startswith("===")) + 1
    lines[after:after] = ["", "See :clause:`SMETS 99.1`."]
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(PublishError) as raised:
        build_html(sources, output)
    message = str(raised.value)
    assert message == (
        f"SMETS/4.2/section-05.rst: line {after + 2}: SMETS 99.1: no clause 99.1 in SMETS 4.2 "
        "[spectrace.ref]"
    )
    assert (output / "previous.txt").read_text(encoding="utf-8") == "kept"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_successful_build_replaces_the_output(tmp_path, project):
    output = tmp_path / "html"
    output.mkdir()
    (output / "stale.html").write_text("old", encoding="utf-8")
    publish_html(project, output)
    assert not (output / "stale.html").exists()
    assert (output / "index.html").is_file()


def test_the_sources_can_be_kept(tmp_path, project):
    publish_html(project, tmp_path / "html", parallel=1, sources=tmp_path / "src")
    assert (tmp_path / "src" / "conf.py").is_file()
    assert (tmp_path / "src" / "SMETS" / "4.2+IRP603" / "changes.rst").is_file()
    assert (tmp_path / "html" / "SMETS" / "4.2+IRP603" / "changes.html").is_file()


def test_an_output_that_is_a_file_is_an_error(tmp_path, project):
    output = tmp_path / "html"
    output.write_text("not a folder", encoding="utf-8")
    with pytest.raises(PublishError) as raised:
        publish_html(project, output)
    assert str(raised.value) == f"{output}: exists and is not a folder"
    assert output.read_text(encoding="utf-8") == "not a folder"


def test_a_template_error_names_the_template_and_line(tmp_path, project):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "index.rst.j2").write_text("Title\n=====\n\n{% for x in %}\n", encoding="utf-8")
    documents = load_project_documents(project)
    amendment = Amendment(documents=documents)
    with pytest.raises(PublishError) as raised:
        write_site_sources(project, documents, amendment, [], tmp_path / "src", templates=templates)
    message = str(raised.value)
    assert message.startswith(f"{templates / 'index.rst.j2'}: line 4: template error:")
    assert "\n" not in message
    assert not (tmp_path / "src").exists()


# Deletions, refused changes ----------------------------------------------------------------

IRP900 = """\
.. spec:proposal:: IRP900
   :title: Test <b>deletions</b> & refusals
   :status: Draft

Required Changes to Documentation
=================================

.. spec:change:: 1
   :target: SMETS 5.5.4
   :instruction: At SMETS 5.5.4 amend the text as shown

   ESME shall be capable of displaying the Security Log (5.7.5.31) on its User Interface \
:del:`following` :ins:`after` physical access through the Secure Perimeter of ESME.

.. spec:change:: 2
   :target: SMETS 9.9.9
   :instruction: At SMETS 9.9.9 amend the text as shown

   Nothing :ins:`here`.
"""


def test_deletions_and_refused_changes(tmp_path, project):
    from spectrace.api import load_proposal
    from spectrace.transforms.amend import amend

    source = tmp_path / "IRP900.rst"
    source.write_text(IRP900, encoding="utf-8")
    proposal = load_proposal(source)
    documents = load_project_documents(project)
    amendment = amend(documents[:1], [proposal], project.vocabulary)
    assert [p.location.change for p in amendment.problems] == [2]
    write_site_sources(project, documents[:1], amendment, [proposal], tmp_path / "src")
    build_html(tmp_path / "src", tmp_path / "html")
    changes = body(page(tmp_path / "html", "SMETS/4.2+IRP900/changes"))
    assert re.search(
        r'<del class="spectrace-del" title="deleted by IRP900 change 1">following</del> '
        r'<ins class="spectrace-ins" title="inserted by IRP900 change 1">after</ins> '
        r'<a class="spectrace-ref spectrace-label" href="../../irps/IRP900.html#IRP900-change-1">'
        r"\[IRP900 change 1\]</a>",
        changes,
    )
    irp = body(page(tmp_path / "html", "irps/IRP900"))
    assert "Test &lt;b&gt;deletions&lt;/b&gt; &amp; refusals" in irp
    assert "1 of 2 changes applied." in irp
    assert "Not applied: SMETS 4.2 has no clause 9.9.9 [unknown-clause]" in irp
    assert (
        '<del class="spectrace-del">following</del> <ins class="spectrace-ins">after</ins>' in irp
    )


def test_a_template_runtime_error_is_a_publish_error(tmp_path, project):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "index.rst.j2").write_text("{{ site.no_such_thing }}\n", encoding="utf-8")
    documents = load_project_documents(project)
    with pytest.raises(PublishError) as raised:
        write_site_sources(
            project,
            documents,
            Amendment(documents=documents),
            [],
            tmp_path / "src",
            templates=templates,
        )
    assert str(raised.value).startswith(f"{templates / 'index.rst.j2'}: template error:")
    assert "no_such_thing" in str(raised.value)


def test_write_html_fills_a_staging_folder_of_a_larger_build(tmp_path, project):
    from spectrace.fileio import replaced_folder
    from spectrace.site import write_html

    documents = load_project_documents(project)
    proposals = project_proposals(project)
    amendment = amend_project(project, documents, proposals)
    with replaced_folder(tmp_path / "build" / "html") as staging:
        write_html(project, documents, amendment, proposals, staging, parallel=1)
        assert (staging / "index.html").is_file()
    assert (tmp_path / "build" / "html" / "irps" / "IRP603.html").is_file()


def test_blocks_an_earlier_build_rendered_are_taken_only_while_they_and_their_links_hold(project):
    from spectrace.site.plan import RenderedBlocks
    from spectrace.site.sources import site_sources

    documents = load_project_documents(project)
    amendment = amend_project(project, documents)
    proposals = project_proposals(project)
    plain = site_sources(documents, amendment, proposals)
    first = RenderedBlocks()
    assert site_sources(documents, amendment, proposals, rendered=first) == plain
    again = RenderedBlocks(first.used)
    poisoned = {
        key: (*kept, "FROM THE MEMO") if isinstance(kept, tuple) else f"{kept}\n\nFROM THE MEMO"
        for key, kept in first.used.items()
    }
    taken = site_sources(documents, amendment, proposals, rendered=RenderedBlocks(poisoned))
    assert "FROM THE MEMO" in taken["SMETS/4.2/section-05.rst"]  # really taken from it
    assert "FROM THE MEMO" in taken["irps/IRP603.rst"]  # a revision's lines too
    assert site_sources(documents, amendment, proposals, rendered=again) == plain
    # a clause gone from the edition changes every block's links: nothing is taken
    smets = documents[0]
    smets.clauses = [c for c in smets.clauses if c.number != "5.7.5.31"]
    unamended = Amendment(documents=documents)
    gone = site_sources(documents, unamended, [], rendered=RenderedBlocks(poisoned))
    assert "FROM THE MEMO" not in "".join(gone.values())


@pytest.mark.parametrize(
    ("base", "irps", "named"),
    [
        ("4.2", ["IRP603"], "4.2+IRP603"),  # short: its own name
        ("4.2", [f"IRP{n}" for n in range(1001, 1007)], "4.2+proposals"),
        ("1", [f"IRP{n}" for n in range(1001, 1501)], "1+proposals"),
        # a base whose own name is long and looks amended keeps it; its amended edition
        # is still told apart from it
        ("1+IRP1+IRP2+IRP3+IRP4+IRP5+IRP6+IRP7+IRP8+IRP9+IRP10", ["IRP11"], None),
    ],
)
def test_a_long_amended_edition_is_named_by_its_base_and_stays_named_when_one_is_added(
    base, irps, named
):
    from spectrace.model import Document
    from spectrace.site.plan import LONG_EDITION, StatementLinks, site_editions

    documents = [Document("SYN", base)]
    amended = Document("SYN", "+".join([base, *irps]))
    one_more = Document("SYN", amended.edition + "+IRP9999")
    links = StatementLinks(site_editions(documents, [amended]))
    more = StatementLinks(site_editions(documents, [one_more]))
    name = links.edition(amended)
    assert name == (named or f"{base}+proposals")
    assert links.edition(documents[0]) == base  # a base keeps its own name
    assert name != base
    assert links.address(amended) == f"SYN@{name}"
    if len(amended.edition) > LONG_EDITION:
        assert more.edition(one_more) == name  # adding a proposal moves no page
