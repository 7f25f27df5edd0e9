"""The site's change-marked view and IRP pages show structural changes: inserted, deleted,
withdrawn, renamed and renumbered clauses, each mark attributed to its change, document text
escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spectrace.site import build_html, write_site_sources
from tests.sphinx.test_site import body
from tests.structural import Editor, item, para, sample, table


def _editor() -> Editor:
    editor = Editor(sample())
    blocks = [
        para("ESME shall show <b>options</b>.", "SMETS-4.1.2-1"),
        item("(a)", "large *text*;"),
        table([["Option", "Default"], ["Large text", "Off"]]),
    ]
    editor.insert("IRP9", 1, "4.1.2", "Display <options>", blocks, "4.1.1")
    editor.delete("IRP9", 2, "4.3")
    editor.withdraw("IRP9", 3, "4.2")
    editor.rename("IRP9", 4, "4", "Meter functions")
    editor.renumber("IRP10", 1, "5", "6")
    editor.rename("IRP10", 2, "4.1.2", "Display <choices>")
    return editor


@pytest.fixture(scope="module")
def html(tmp_path_factory) -> Path:
    editor = _editor()
    folder = tmp_path_factory.mktemp("structural")
    write_site_sources(None, [editor.base], editor.amendment(), editor.proposals(), folder / "src")
    build_html(folder / "src", folder / "html")
    return folder / "html"


def _page(html: Path, name: str) -> str:
    return body((html / f"{name}.html").read_text(encoding="utf-8"))


def _section(page: str, title: str) -> str:
    """Return the section of the change-marked view headed ``title``."""
    start = page.index(f'{title}<a class="headerlink"')
    end = page.find("<section", start + 1)
    return page[start : end if end > 0 else len(page)]


def _label(irp: str, change: int) -> str:
    return (
        f'<a class="spectrace-ref spectrace-label" href="../../irps/{irp}.html#{irp}-change-'
        f'{change}">[{irp} change {change}]</a>'
    )


def test_an_inserted_clause_shows_its_heading_and_body_inserted(html):
    page = _page(html, "SMETS/1+IRP9+IRP10/changes")
    section = _section(page, "<h2>4.1.2 Display &lt;choices&gt;")
    assert "IRP9 change 1</a>: clause inserted; added" in section
    heading = re.search(r"Heading: (.*?)</p>", section, re.S).group(1)
    assert '<ins class="spectrace-ins" title="inserted by IRP9 change 1">4.1.2 Display</ins>' in (
        heading
    )
    assert "&lt;choices&gt;</ins> " + _label("IRP10", 2) in heading
    assert "ESME shall show &lt;b&gt;options&lt;/b&gt;." in section
    assert "<b>" not in section and "<em>" not in section  # document text stays text
    assert 'title="inserted by IRP9 change 1">Large text</ins>' in section  # a table row


def test_a_deleted_clause_is_struck_and_links_to_the_base_edition(html):
    page = _page(html, "SMETS/1+IRP9+IRP10/changes")
    section = _section(page, "<h2>4.3 Old interface")
    assert "IRP9 change 2</a>: clause deleted; retired" in section and "In SMETS 1:" in section
    assert 'href="../1/section-04.html#clause-4.3"' in section
    assert (
        '<del class="spectrace-del" title="deleted by IRP9 change 2">4.3 Old interface</del>'
        in (section)
    )
    assert (
        '<del class="spectrace-del" title="deleted by IRP9 change 2">ESME shall have a port.'
        in (section)
    )


def test_a_withdrawn_clause_shows_its_body_replaced_by_not_used(html):
    section = _section(_page(html, "SMETS/1+IRP9+IRP10/changes"), "<h2>4.2 Logs")
    assert "IRP9 change 3</a>: clause withdrawn" in section and "Heading:" not in section
    assert '<ins class="spectrace-ins" title="inserted by IRP9 change 3">Not used</ins>' in section
    assert 'title="deleted by IRP9 change 3">ESME shall keep logs.</del>' in section


def test_a_renamed_and_a_renumbered_heading_are_marked(html):
    page = _page(html, "SMETS/1+IRP9+IRP10/changes")
    renamed = re.search(r"Heading: (.*?)</p>", _section(page, "<h2>4 Meter functions"), re.S).group(
        1
    )
    assert renamed.startswith("4 <del") and "Functions</del>" in renamed
    assert ">Meter functions</ins> " + _label("IRP9", 4) in renamed
    renumbered = _section(page, "<h2>6 Annex")
    assert "IRP10 change 1</a>: renumbered from 5." in renumbered
    heading = re.search(r"Heading: (.*?)</p>", renumbered, re.S).group(1)
    assert heading.startswith(
        '<del class="spectrace-del" title="deleted by IRP10 change 1">5</del>'
    )
    assert ">6</ins> " + _label("IRP10", 1) + " Annex" in heading
    summary = page[page.index('<table class="spectrace-summary') :]
    assert "renumbered from 5" in summary[: summary.index("</table>")]


def test_the_irp_page_shows_each_clause_a_change_acted_on(html):
    irp9 = _page(html, "irps/IRP9")
    assert "Applied: clause inserted; added" in irp9
    assert '<ins class="spectrace-ins">4.1.2 Display &lt;options&gt;</ins>' in irp9
    assert "Applied: clause deleted; retired" in irp9
    assert '<del class="spectrace-del">4.3 Old interface</del>' in irp9
    assert "Applied: clause withdrawn; retired" in irp9
    assert "heading renamed from “Functions” to “Meter functions”" in irp9
    irp10 = _page(html, "irps/IRP10")
    assert "Applied: renumbered from 5." in irp10
    assert "(renumber clause as 6)" in irp10
    assert '<del class="spectrace-del">5</del> <ins class="spectrace-ins">6</ins>' in irp10


def test_a_change_deleting_a_clause_and_its_sub_clauses_lists_each(tmp_path):
    editor = Editor(sample())
    editor.delete("IRP9", 1, "4.1")
    write_site_sources(None, [editor.base], editor.amendment(), editor.proposals(), tmp_path / "s")
    build_html(tmp_path / "s", tmp_path / "h")
    irp = _page(tmp_path / "h", "irps/IRP9")
    assert "Applied to SMETS 4.1: clause deleted; retired" in irp
    assert "Applied to SMETS 4.1.1: clause deleted; retired" in irp
    changes = _page(tmp_path / "h", "SMETS/1+IRP9/changes")
    assert changes.count("clause deleted") == 4  # two rows of the summary, two sections
