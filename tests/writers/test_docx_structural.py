"""The Word redline of structural changes: inserted, deleted, withdrawn, renamed and renumbered
clauses as real tracked changes around their headings, each by its IRP on its date.

Accepting every change gives the clean file's text paragraph by paragraph (and reads back as
the amended edition); rejecting every change reads back as the base edition's text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from spectrace.writers.docx import write_docx
from tests.structural import Editor, item, para, sample, table
from tests.writers.test_docx_writer import (
    W,
    body_of,
    changes,
    paragraph_texts,
    read_back,
    review,
    shape,
    write_redline,
)

IRP9_DATE = "2021-03-04T00:00:00Z"


def _all_kinds() -> Editor:
    editor = Editor(sample())
    blocks = [
        para("ESME shall offer display options.", "SMETS-4.1.2-1"),
        item("(a)", "large text;"),
        table([["Option", "Default"], ["Large text", "Off"]]),
    ]
    editor.insert("IRP9", 1, "4.1.2", "Display options", blocks, "4.1.1")
    editor.delete("IRP9", 2, "4.3")
    editor.withdraw("IRP9", 3, "4.2")
    editor.rename("IRP9", 4, "4", "Meter functions")
    editor.renumber("IRP10", 1, "5", "6")
    editor.rename("IRP10", 2, "4.1.2", "Display choices")
    return editor


def _first_clause_kinds() -> Editor:
    editor = Editor(sample())
    editor.delete("IRP9", 1, "1")
    editor.insert("IRP9", 2, "0", "Introduction", [para("New first clause.")], "")
    return editor


def _nested_kinds() -> Editor:
    editor = Editor(sample())
    editor.delete("IRP9", 1, "4.1")  # with 4.1.1
    editor.renumber("IRP9", 2, "4.2", "4.1")
    editor.withdraw("IRP10", 1, "4.3")
    editor.insert("IRP10", 2, "5.1", "Annex detail", [para("Last.")], "5")
    return editor


SCENARIOS = {"all": _all_kinds, "first": _first_clause_kinds, "nested": _nested_kinds}


def _write(editor: Editor, folder: Path) -> tuple[Path, Path]:
    clean, redline = folder / "clean.docx", folder / "redline.docx"
    base, amended, revisions = editor.base, editor.document, editor.revisions
    write_docx(amended, clean)
    write_redline(redline, base, amended, revisions, {p.irp: p for p in editor.proposals()})
    return clean, redline


@pytest.fixture(params=list(SCENARIOS))
def written(request, tmp_path):
    editor = SCENARIOS[request.param]()
    return (editor, *_write(editor, tmp_path))


def test_accepting_every_change_gives_the_clean_text_and_the_amended_edition(written, tmp_path):
    editor, clean, redline = written
    accepted = review(redline, tmp_path / "accepted.docx", accept=True)
    assert paragraph_texts(accepted) == paragraph_texts(clean)
    assert changes(accepted) == []
    assert read_back(accepted, editor.document) == shape(editor.document)
    assert read_back(redline, editor.document) == shape(editor.document)


def test_rejecting_every_change_gives_the_base_text_but_a_renumbered_heading(written, tmp_path):
    """A renumbered heading keeps the heading list's new number when its changes are
    rejected (the old one, typed, comes back before the title): accepting is what the
    redline is made for, and it gives the clean edition exactly."""
    editor, _, redline = written
    rejected = review(redline, tmp_path / "rejected.docx", accept=False)
    renumbered = {r.number_before: r.clause for r in editor.revisions if r.number_before}
    expected = [
        (renumbered[number], f"{number} {title}", *rest) if number in renumbered else
        (number, title, *rest)
        for number, title, *rest in shape(editor.base)["clauses"]
    ]  # fmt: skip
    assert read_back(rejected, editor.base)["clauses"] == expected


def _headings(path: Path) -> dict[str, etree._Element]:
    """Return the heading paragraphs by their text as the markup view shows it."""
    found = {}
    for p in body_of(path).iter(W + "p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(W + "val").startswith("Heading"):
            text = "".join(t.text or "" for t in p.iter(W + "t", W + "delText"))
            found[text] = p
    return found


def _mark(p: etree._Element) -> tuple[str, str] | None:
    """Return (ins or del, author) of the paragraph's mark, or None."""
    rpr = p.find(f"{W}pPr/{W}rPr")
    if rpr is None or not len(rpr):
        return None
    return etree.QName(rpr[0]).localname, rpr[0].get(W + "author")


def _runs(p: etree._Element) -> list[tuple[str, str, str]]:
    """Return (kind, author, text) of each tracked run of a paragraph; kind "" for plain."""
    result = []
    for child in p:
        if child.tag == W + "r":
            text = "".join(child.itertext()) or ("\t" if child.find(W + "tab") is not None else "")
            result.append(("", "", text))
        elif child.tag in (W + "ins", W + "del"):
            text = "".join(child.itertext()) or (
                "\t" if child.find(f".//{W}tab") is not None else ""
            )
            result.append((etree.QName(child).localname, child.get(W + "author"), text))
    return result


def _numbered(p: etree._Element) -> bool:
    """Whether the heading list numbers the paragraph (its style's, or an instance's)."""
    num = p.find(f"{W}pPr/{W}numPr/{W}numId")
    return num is None or num.get(W + "val") != "0"


def test_an_inserted_clause_is_inserted_heading_mark_and_body(tmp_path):
    _, redline = _write(_all_kinds(), tmp_path)
    heading = _headings(redline)["Display choices"]
    assert _mark(heading) == ("ins", "IRP9") and _numbered(heading)
    assert _runs(heading) == [("ins", "IRP9", "Display"), ("ins", "IRP10", " choices")]
    body = heading.getnext()
    assert _mark(body) == ("ins", "IRP9")
    assert _runs(body) == [("ins", "IRP9", "ESME shall offer display options.")]
    assert _mark(body.getnext()) == ("ins", "IRP9")  # the list item
    rows = body.getnext().getnext().findall(W + "tr")
    assert [r.find(f"{W}trPr/{W}ins").get(W + "author") for r in rows] == ["IRP9", "IRP9"]
    assert heading.find(f"{W}pPr/{W}rPr/{W}ins").get(W + "date") == IRP9_DATE


def test_a_deleted_clause_is_deleted_heading_mark_and_body_its_number_typed(tmp_path):
    _, redline = _write(_all_kinds(), tmp_path)
    heading = _headings(redline)["4.3Old interface"]
    assert _mark(heading) == ("del", "IRP9") and not _numbered(heading)
    assert _runs(heading) == [("del", "IRP9", "4.3"), ("del", "IRP9", "\t"),
                              ("del", "IRP9", "Old interface")]  # fmt: skip
    body = heading.getnext()
    assert _mark(body) == ("del", "IRP9")
    assert _runs(body) == [("del", "IRP9", "ESME shall have a port.")]
    assert body.find(f".//{W}delText") is not None and body.find(f".//{W}t") is None


def test_a_renamed_heading_marks_its_words_inside_the_heading(tmp_path):
    _, redline = _write(_all_kinds(), tmp_path)
    heading = _headings(redline)["FunctionsMeter functions"]
    assert _mark(heading) is None and _numbered(heading)
    runs = [(kind, author, text.strip()) for kind, author, text in _runs(heading)]
    assert runs == [("del", "IRP9", "Functions"), ("ins", "IRP9", "Meter functions")]


def test_a_renumbered_heading_shows_its_old_number_deleted_before_the_new_one(tmp_path):
    _, redline = _write(_all_kinds(), tmp_path)
    heading = _headings(redline)["5Annex"]
    assert _numbered(heading) and _mark(heading) is None
    assert _runs(heading) == [("del", "IRP10", "5"), ("del", "IRP10", "\t"), ("", "", "Annex")]


def test_a_withdrawn_clause_keeps_its_heading_and_its_body_reads_not_used(tmp_path):
    _, redline = _write(_all_kinds(), tmp_path)
    heading = _headings(redline)["Logs"]
    assert _mark(heading) is None and _runs(heading) == [("", "", "Logs")]
    body = heading.getnext()
    assert _runs(body) == [("del", "IRP9", "ESME shall keep logs.")]
    rows = body.getnext().findall(W + "tr")
    assert {r.find(f"{W}trPr/{W}del").get(W + "author") for r in rows} == {"IRP9"}
    not_used = body.getnext().getnext()
    assert _runs(not_used) == [("ins", "IRP9", "Not used")] and _mark(not_used) == ("ins", "IRP9")
