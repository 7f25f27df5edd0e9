"""Applying IRP mark-ups to base editions: what the amend engine does, and what it refuses.

Documents and proposals are built in code. A mark-up line is written in a compact notation:
``keep [-deleted-] {+inserted+}``; a line starting ``* `` is a list item, ``| a | b |`` a table
row, ``# 5.6.1 Title`` a heading line. A document's clause is a list of lines: ``"i.\\ttext"`` is a
list item labelled "i.", a list of rows is a table whose first row is its header.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path

import pytest

from spectrace.findings import Stage, codes
from spectrace.model import (
    Action,
    Block,
    BlockKind,
    Change,
    Clause,
    Document,
    GlossaryEntry,
    MarkupBlock,
    MarkupKind,
    Modality,
    Op,
    Problem,
    Proposal,
    RevisionLine,
    Span,
    Target,
)
from spectrace.model.proposal import normalize_spans
from spectrace.model.revision import Amendment
from spectrace.readers.docx.irp import read_docx_irp
from spectrace.readers.rst.irp import read_rst_irp
from spectrace.transforms.amend import amend
from spectrace.transforms.statements import analyse, segment
from spectrace.writers.rst_irp import render_proposal

FIXTURES = Path(__file__).parent.parent / "fixtures"
_MARK = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}")


# -- building documents and proposals ------------------------------------------------------------


def spans(text: str) -> list[Span]:
    """Return the spans of ``keep [-deleted-] {+inserted+}``."""
    found, position = [], 0
    for match in _MARK.finditer(text):
        found.append(Span(text[position : match.start()]))
        if match[1] is not None:
            found.append(Span(match[1], Op.DELETE))
        else:
            found.append(Span(match[2], Op.INSERT))
        position = match.end()
    found.append(Span(text[position:]))
    return normalize_spans(found)


def markup(line: str) -> MarkupBlock:
    if line.startswith("# "):
        return MarkupBlock(MarkupKind.HEADING, spans(line[2:]))
    if line.startswith("|"):
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        return MarkupBlock(MarkupKind.TABLE_ROW, cells=[spans(cell) for cell in cells])
    if line.startswith("* "):
        return MarkupBlock(MarkupKind.LIST_ITEM, spans(line[2:]))
    return MarkupBlock(MarkupKind.PARAGRAPH, spans(line))


def change(
    number: int,
    target: str,
    *lines: str,
    run_on: tuple[bool, bool] = (True, True),
    action: Action = Action.AMEND,
    term: str | None = None,
    problem: str | None = None,
) -> Change:
    """Return change ``number`` to ``target`` ("SMETS 5.6.1", "SMETS Glossary") with the
    mark-up ``lines``; by default the excerpt runs on from and into existing text."""
    document, _, clause = target.partition(" ")
    return Change(
        number,
        f"At {target} amend the text as shown in the following mark-up:",
        Target(document, None if clause == "Glossary" else clause),
        action=action,
        term=term,
        run_on_before=run_on[0],
        run_on_after=run_on[1],
        markup=[markup(line) for line in lines],
        problem=problem,
    )


def applied(base: Document, *changes: Change, irp: str = "IRP1") -> Amendment:
    """Return what applying one proposal of ``changes`` to ``base`` gives."""
    return amend([base], [proposal(irp, *changes)])


def proposal(irp: str, *changes: Change) -> Proposal:
    return Proposal(irp, title=f"{irp} for testing", changes=list(changes))


def block(line: str | list[list[str]]) -> Block:
    if isinstance(line, list):
        text = " ".join(cell for row in line for cell in row if cell)
        return Block(BlockKind.TABLE, text, rows=[list(row) for row in line], header_rows=1)
    label, tab, text = line.partition("\t")
    if tab:
        return Block(BlockKind.LIST_ITEM, text, label=label)
    return Block(BlockKind.PARAGRAPH, line)


def document(
    clauses: dict[str, list], glossary: list[tuple[str, str]] = (), name: str = "SMETS"
) -> Document:
    doc = Document(
        name,
        "4.2",
        clauses=[
            Clause(number, f"Clause {number}", number.count(".") + 1, [block(x) for x in lines])
            for number, lines in clauses.items()
        ],
        glossary=[GlossaryEntry(term, definition) for term, definition in glossary],
        glossary_clause="9",
    )
    segment(doc)
    analyse(doc)
    return doc


def lines(doc: Document | Amendment, number: str) -> list[str]:
    """Return a clause's lines as revisions give them: a table row's cells joined by tabs."""
    if isinstance(doc, Amendment):
        doc = doc.documents[0]
    clause = doc.clause(number)
    assert clause is not None
    found: list[str] = []
    for item in clause.blocks:
        if item.kind is BlockKind.TABLE:
            found += ["\t".join(row) for row in item.rows]
        else:
            found.append(item.text)
    return found


def as_lines(texts: list[str]) -> list[RevisionLine]:
    """Return lines written as :func:`lines` and :func:`glossary` write them (a table row's or a
    glossary entry's cells joined by a tab) as a revision holds them."""
    return [RevisionLine(tuple(text.split("\t"))) for text in texts]


def glossary(doc: Document | Amendment) -> list[str]:
    if isinstance(doc, Amendment):
        doc = doc.documents[0]
    return [f"{entry.term}\t{entry.definition}" for entry in doc.glossary]


def ids(doc: Document | Amendment, number: str) -> list[list[str]]:
    """Return the statement ids of each block of a clause."""
    if isinstance(doc, Amendment):
        doc = doc.documents[0]
    return [[s.id for s in item.statements] for item in doc.clause(number).blocks]


def labels(doc: Document | Amendment, number: str) -> list[str]:
    if isinstance(doc, Amendment):
        doc = doc.documents[0]
    return [item.label for item in doc.clause(number).blocks]


def refused(result: Amendment) -> list[tuple[str, int, str, str]]:
    return [(p.location.irp, p.location.change, p.location.target, p.code) for p in result.problems]


def only_problem(result: Amendment) -> Problem:
    (problem,) = result.problems
    assert problem.code in codes(Stage.AMEND)
    return problem


SECURITY_LOG = (
    "ESME shall be capable of displaying the Security Log (5.7.5.31) on its User Interface "
    "following physical access through the Secure Perimeter of ESME."
)
DISPLAY = {
    "5.5.4": [SECURITY_LOG],
    "5.5.5": [
        "The ‘Secure Perimeter’ is set out in Section 5.1 – see there.",
        "ESME shall record each event.",
    ],
}


# -- IRP603 against the bundled SMETS 4.2 and CHTS 1.3 ------------------------------------------


@cache
def _word(name: str) -> Proposal:
    return read_docx_irp(FIXTURES / f"{name}.docx")


@cache
def _expected(name: str) -> dict:
    return json.loads((FIXTURES / "expected" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(
    scope="module",
    params=[
        ("IRP603", "word"),
        ("IRP603", "rst"),
        ("IRP603-formatted-markup", "word"),
        ("IRP603-formatted-markup", "rst"),
    ],
    ids=lambda p: "-".join(p),
)
def irp603(request, tmp_path_factory, bundled_documents):
    """IRP603 read from a Word fixture (or rendered as RST and read back), applied to the
    bundled documents: (name, the proposal, the amendment)."""
    name, form = request.param
    read = _word(name)
    if form == "rst":
        path = tmp_path_factory.mktemp("irps") / "IRP603.rst"
        path.write_text(render_proposal(read), encoding="utf-8")
        read = read_rst_irp(path)
    return name, read, amend(bundled_documents, [read])


def _without_header(rows: list[str]) -> list[str]:
    """Return glossary rows without the table's header row, which the glossary does not hold."""
    assert rows[0] == "Term\tDefinition"
    return rows[1:]


class TestIRP603:
    def test_every_change_applies_without_problems(self, irp603):
        _, read, result = irp603
        assert result.problems == []
        assert [r.change for r in result.revisions] == [c.number for c in read.changes]

    def test_the_clauses_read_exactly_as_expected_after_all_changes(self, irp603):
        name, _, result = irp603
        for target, expected in _expected(name)["clauses_after_all_changes"].items():
            document_name, number = target.split(" ")
            amended = result.document(document_name)
            if number == "Glossary":
                assert glossary(amended) == _without_header(expected), target
            else:
                assert lines(amended, number) == expected, target

    def test_each_revision_holds_the_clause_before_and_after_its_change(self, irp603):
        name, _, result = irp603
        for revision, expected in zip(result.revisions, _expected(name)["changes"], strict=True):
            assert (revision.irp, revision.change) == ("IRP603", expected["number"])
            assert f"{revision.document} {revision.clause}" == expected["target"]
            before, after = expected["clause_before"], expected["clause_after"]
            if revision.clause == "Glossary":
                before, after = _without_header(before), _without_header(after)
            assert revision.before == as_lines(before)
            assert revision.after == as_lines(after)

    def test_editions_are_named_after_the_proposal(self, irp603):
        _, _, result = irp603
        assert [d.label for d in result.documents] == ["SMETS 4.2+IRP603", "CHTS 1.3+IRP603"]

    def test_the_bases_are_not_modified(self, bundled_documents):
        before = copy.deepcopy(bundled_documents)
        amend(bundled_documents, [_word("IRP603")])
        assert bundled_documents == before
        assert [d.edition for d in bundled_documents] == ["4.2", "1.3"]

    def test_statement_ids_are_kept_added_and_analysed(self, irp603):
        name, _, result = irp603
        by_change = {r.change: r for r in result.revisions}
        assert by_change[1].changed == ["SMETS-4.4.5-5"]
        assert by_change[1].added == by_change[1].retired == []
        assert by_change[3].added == ["SMETS-5.6.1-2"]
        # The formatted variant also changes "data" to "Data" in the existing statement.
        assert by_change[3].changed == (["SMETS-5.6.1-1"] if "formatted" in name else [])
        assert by_change[5].added == ["CHTS-4.4.6.1-10"]
        smets = dict((s.id, s) for _, s in result.document("SMETS").statements())
        assert "only following physical access" in smets["SMETS-4.4.5-5"].text
        assert smets["SMETS-5.6.1-2"].modality is Modality.SHALL_NOT
        chts = dict((s.id, s) for _, s in result.document("CHTS").statements())
        new = chts["CHTS-4.4.6.1-10"]
        assert new.text.startswith("Neither the GPF nor the CHF shall provide")
        assert new.modality is Modality.SHALL_NOT
        assert "GSME Security Log" in new.terms


# -- word-level edits ------------------------------------------------------------------------------


class TestWordEdits:
    def test_an_insertion_goes_between_the_words_the_mark_up_shows(self):
        base = document(DISPLAY)
        result = applied(base, change(1, "SMETS 5.5.4", "on its User Interface {+only+} following"))
        assert result.problems == []
        assert lines(result, "5.5.4") == [SECURITY_LOG.replace("Interface ", "Interface only ")]

    def test_a_deletion_and_a_replacement_in_one_paragraph(self):
        base = document(DISPLAY)
        markup_line = (
            "ESME shall be [-capable of displaying-]{+able to display+} the Security Log "
            "(5.7.5.31) on its User Interface [-following physical access-]{+after access+} "
            "through the [-Secure-] Perimeter of ESME."
        )
        result = applied(base, change(1, "SMETS 5.5.4", markup_line))
        assert lines(result, "5.5.4") == [
            "ESME shall be able to display the Security Log (5.7.5.31) on its User Interface "
            "after access through the Perimeter of ESME."
        ]

    def test_words_at_the_start_and_end_of_a_paragraph(self):
        base = document({"1.1": ["The log is kept.", "A second paragraph."]})
        result = applied(
            base,
            change(1, "SMETS 1.1", "{+In short:+} The log is kept {+securely+}."),
            change(2, "SMETS 1.1", "A [-second-] paragraph{+, amended+}."),
        )
        assert result.problems == []
        assert lines(result, "1.1") == [
            "In short: The log is kept securely.",
            "A paragraph, amended.",
        ]

    def test_unchanged_text_keeps_the_clause_spelling_of_quotes_and_dashes(self):
        base = document(DISPLAY)
        result = applied(
            base,
            change(1, "SMETS 5.5.5", "The 'Secure Perimeter' is {+also+} set out in"),
            change(2, "SMETS 5.5.5", "Section 5.1 - see {+there and+} there."),
        )
        assert lines(result, "5.5.5")[0] == (
            "The ‘Secure Perimeter’ is also set out in Section 5.1 – see there and there."
        )

    def test_an_edit_inside_a_list_item(self):
        base = document({"1.1": ["Lead-in:", "i.\tthe first item;", "ii.\tthe second item."]})
        result = applied(base, change(1, "SMETS 1.1", "* the [-second-]{+last+} item."))
        assert lines(result, "1.1") == ["Lead-in:", "the first item;", "the last item."]
        assert labels(result, "1.1") == ["", "i.", "ii."]

    def test_one_change_can_edit_several_paragraphs(self):
        base = document({"1.1": ["First one here.", "Second one here.", "Third one here."]})
        result = applied(
            base,
            change(
                1,
                "SMETS 1.1",
                "First one {+is+} here.",
                "Second one here.",
                "[-Third-]{+Last+} one here.",
                run_on=(False, False),
            ),
        )
        assert lines(result, "1.1") == ["First one is here.", "Second one here.", "Last one here."]
        (revision,) = result.revisions
        assert revision.changed == ["SMETS-1.1-1", "SMETS-1.1-3"]


# -- whole paragraphs, list items and rows -------------------------------------------------------


class TestBlocks:
    def test_a_new_paragraph_goes_where_the_mark_up_puts_it(self):
        base = document({"1.1": ["First.", "Second."]})
        result = applied(base, change(1, "SMETS 1.1", "First.", "{+Between.+}", "Second."))
        assert lines(result, "1.1") == ["First.", "Between.", "Second."]

    def test_a_deleted_paragraph_goes(self):
        base = document({"1.1": ["First.", "Second.", "Third."]})
        result = applied(base, change(1, "SMETS 1.1", "First.", "[-Second.-]", "Third."))
        assert lines(result, "1.1") == ["First.", "Third."]
        assert result.revisions[0].retired == ["SMETS-1.1-2"]

    def test_a_new_list_item_takes_its_label_and_later_items_are_renumbered(self):
        base = document({"1.1": ["Lead-in:", "i.\tone;", "ii.\ttwo;", "iii.\tthree.", "After."]})
        result = applied(base, change(1, "SMETS 1.1", "* one;", "* {+one and a half;+}"))
        assert lines(result, "1.1") == [
            "Lead-in:",
            "one;",
            "one and a half;",
            "two;",
            "three.",
            "After.",
        ]
        assert labels(result, "1.1") == ["", "i.", "ii.", "iii.", "iv.", ""]
        assert labels(base, "1.1") == ["", "i.", "ii.", "iii.", ""]

    def test_a_new_first_list_item_takes_the_first_label(self):
        base = document({"1.1": ["Lead-in:", "a)\tone;", "b)\ttwo."]})
        result = applied(base, change(1, "SMETS 1.1", "Lead-in:", "* {+zero;+}"))
        assert lines(result, "1.1") == ["Lead-in:", "zero;", "one;", "two."]
        assert labels(result, "1.1") == ["", "a)", "b)", "c)"]

    def test_deleting_a_list_item_renumbers_the_items_after_it(self):
        base = document({"1.1": ["Lead-in:", "i.\tone;", "ii.\ttwo;", "iii.\tthree."]})
        result = applied(base, change(1, "SMETS 1.1", "* [-two;-]"))
        assert lines(result, "1.1") == ["Lead-in:", "one;", "three."]
        assert labels(result, "1.1") == ["", "i.", "ii."]

    def test_deleting_the_first_list_item_renumbers_from_the_first_label(self):
        base = document({"1.1": ["Lead-in:", "i.\tone;", "ii.\ttwo;", "iii.\tthree."]})
        result = applied(base, change(1, "SMETS 1.1", "Lead-in:", "* [-one;-]"))
        assert lines(result, "1.1") == ["Lead-in:", "two;", "three."]
        assert labels(result, "1.1") == ["", "i.", "ii."]
        assert ids(result, "1.1") == [["SMETS-1.1-1"], ["SMETS-1.1-3"], ["SMETS-1.1-4"]]

    def test_new_text_alone_goes_at_the_end_when_it_runs_on_from_existing_text(self):
        base = document({"1.1": ["First.", "Second."]})
        p = proposal(
            "IRP1", change(1, "SMETS 1.1", "{+Third.+}", "* {+a new item+}", run_on=(True, False))
        )
        result = amend([base], [p])
        assert lines(result, "1.1") == ["First.", "Second.", "Third.", "a new item"]
        assert labels(result, "1.1") == ["", "", "", "•"]  # a new list with no style is bulleted
        again = amend(result.documents, [p])
        assert refused(again) == [("IRP1", 1, "SMETS 1.1", "already-applied")]
        assert lines(again, "1.1") == lines(result, "1.1")

    def test_new_text_alone_goes_at_the_start_when_the_heading_is_shown(self):
        base = document({"1.1": ["First."]})
        p = proposal(
            "IRP1",
            change(1, "SMETS 1.1", "# 1.1 Clause 1.1", "{+Opening.+}", run_on=(False, False)),
        )
        result = amend([base], [p, p])
        assert refused(result) == [("IRP1", 1, "SMETS 1.1", "already-applied")]
        assert lines(result, "1.1") == ["Opening.", "First."]

    def test_new_text_alone_with_nothing_to_place_it_by_is_refused(self):
        base = document({"1.1": ["First."]})
        result = applied(base, change(1, "SMETS 1.1", "{+Where?+}", run_on=(False, False)))
        problem = only_problem(result)
        assert problem.code == "unsupported"
        assert "place" in problem.message
        assert lines(result, "1.1") == ["First."]

    def test_a_new_clause_heading_starts_a_new_clause_not_text_of_this_one(self):
        base = document({"1.1": ["Last paragraph."], "1.2": ["Next clause."]})
        result = applied(
            base, change(1, "SMETS 1.1", "Last paragraph.", "# {+1.1A New clause+}", "{+Body.+}")
        )
        assert result.problems == []
        assert lines(result, "1.1") == ["Last paragraph."]
        assert [c.number for c in result.documents[0].clauses] == ["1.1", "1.1A", "1.2"]
        assert lines(result, "1.1A") == ["Body."]


TABLE = [["Data item", "Annotation", "Description"], ["Log entry", "[INFO]", "An event"]]


class TestTables:
    def base(self) -> Document:
        rows = [*TABLE, ["Log capacity", "", "100 entries"]]
        return document({"4.6.5.17": ["A log.", rows, "Note after the table."]})

    def test_a_row_inserted_between_rows(self):
        result = applied(
            self.base(),
            change(
                1,
                "SMETS 4.6.5.17",
                "| Log entry | [INFO] | An event |",
                "| {+Log size+} | {+[INFO]+} | {+Entries held+} |",
                "| Log capacity | | 100 entries |",
            ),
        )
        assert result.problems == []
        assert lines(result, "4.6.5.17") == [
            "A log.",
            "Data item\tAnnotation\tDescription",
            "Log entry\t[INFO]\tAn event",
            "Log size\t[INFO]\tEntries held",
            "Log capacity\t\t100 entries",
            "Note after the table.",
        ]

    def test_a_row_inserted_after_the_last_row_joins_the_table(self):
        result = applied(
            self.base(),
            change(
                1,
                "SMETS 4.6.5.17",
                "| Log capacity | | 100 entries |",
                "| {+Log size+} | {+[INFO]+} | {+Entries held+} |",
            ),
        )
        tables = [b for b in result.documents[0].clause("4.6.5.17").blocks if b.rows]
        assert len(tables) == 1
        assert tables[0].rows[-1] == ["Log size", "[INFO]", "Entries held"]
        assert tables[0].header_rows == 1

    def test_a_row_deleted(self):
        result = applied(
            self.base(),
            change(1, "SMETS 4.6.5.17", "| [-Log entry-] | [-[INFO]-] | [-An event-] |"),
        )
        assert lines(result, "4.6.5.17") == [
            "A log.",
            "Data item\tAnnotation\tDescription",
            "Log capacity\t\t100 entries",
            "Note after the table.",
        ]

    def test_cells_edited(self):
        result = applied(
            self.base(),
            change(
                1,
                "SMETS 4.6.5.17",
                "| Log capacity | {+[INFO]+} | [-100-]{+200+} entries |",
            ),
        )
        assert lines(result, "4.6.5.17")[3] == "Log capacity\t[INFO]\t200 entries"
        (revision,) = result.revisions
        assert revision.before[3] == RevisionLine(("Log capacity", "", "100 entries"))
        assert revision.after[3] == RevisionLine(("Log capacity", "[INFO]", "200 entries"))

    def test_a_refused_change_leaves_the_table_as_it_was(self):
        base = self.base()
        result = applied(base, change(1, "SMETS 4.6.5.17", "| Log size | {+x+} | y |"))
        assert refused(result) == [("IRP1", 1, "SMETS 4.6.5.17", "not-found")]
        assert result.documents[0].clause("4.6.5.17") == base.clause("4.6.5.17")


# -- statement ids ---------------------------------------------------------------------------------


class TestStatementIds:
    def test_a_changed_statement_keeps_its_id_and_is_marked_changed(self):
        base = document({"1.1": ["The log is kept. It is read.", "Another."]})
        result = applied(base, change(1, "SMETS 1.1", "It is [-read-]{+shown+}."))
        (revision,) = result.revisions
        assert (revision.added, revision.changed, revision.retired) == ([], ["SMETS-1.1-2"], [])
        statements = list(result.documents[0].clause("1.1").statements)
        assert [(s.id, s.text) for s in statements] == [
            ("SMETS-1.1-1", "The log is kept."),
            ("SMETS-1.1-2", "It is shown."),
            ("SMETS-1.1-3", "Another."),
        ]

    def test_an_inserted_sentence_gets_the_next_new_id(self):
        base = document({"1.1": ["The log is kept.", "Another."], "1.2": ["Elsewhere."]})
        result = applied(base, change(1, "SMETS 1.1", "The log is kept. {+It is read.+}"))
        assert result.revisions[0].added == ["SMETS-1.1-3"]
        assert ids(result, "1.1") == [["SMETS-1.1-1", "SMETS-1.1-3"], ["SMETS-1.1-2"]]
        assert ids(result, "1.2") == [["SMETS-1.2-1"]]

    def test_a_deleted_paragraph_retires_its_ids_and_they_are_never_reused(self):
        base = document({"1.1": ["First.", "Second. More.", "Third is last."]})
        result = amend(
            [base],
            [
                proposal(
                    "IRP1", change(1, "SMETS 1.1", "[-Third is last.-]", run_on=(True, False))
                ),
                proposal(
                    "IRP2",
                    change(1, "SMETS 1.1", "First.", "{+New one.+}", "Second."),
                ),
            ],
        )
        assert result.problems == []
        first, second = result.revisions
        assert first.retired == ["SMETS-1.1-4"]
        assert second.added == ["SMETS-1.1-5"]
        assert ids(result, "1.1") == [
            ["SMETS-1.1-1"],
            ["SMETS-1.1-5"],
            ["SMETS-1.1-2", "SMETS-1.1-3"],
        ]

    def test_a_statement_removed_from_a_paragraph_is_retired(self):
        base = document({"1.1": ["The log is kept. It is read. It is full."]})
        result = applied(base, change(1, "SMETS 1.1", "[-It is read.-] It is"))
        assert lines(result, "1.1") == ["The log is kept. It is full."]
        assert result.revisions[0].retired == ["SMETS-1.1-2"]
        assert ids(result, "1.1") == [["SMETS-1.1-1", "SMETS-1.1-3"]]

    def test_ids_are_never_duplicated_across_the_document(self):
        base = document({"1.1": ["A.", "B."], "1.2": ["C."]})
        result = applied(
            base,
            change(1, "SMETS 1.1", "A.", "{+New A.+}", "B.", "{+New B.+}"),
            change(2, "SMETS 1.2", "C.", "{+New C.+}"),
        )
        every = [s.id for _, s in result.documents[0].statements()]
        assert len(every) == len(set(every)) == 6
        assert sorted(result.revisions[0].added) == ["SMETS-1.1-3", "SMETS-1.1-4"]
        assert result.revisions[1].added == ["SMETS-1.2-2"]


# -- the glossary ----------------------------------------------------------------------------------

GLOSSARY = [
    ("Alert", "A message from a Device."),
    ("Gas Proxy Function", "Part of the Communications Hub."),
    ("Sensitive Event", "An event that may indicate an attack."),
]


class TestGlossary:
    def test_a_new_term_goes_in_alphabetical_order(self):
        base = document({}, GLOSSARY)
        result = applied(
            base,
            change(
                1,
                "SMETS Glossary",
                "| Gas Proxy Function | Part of the Communications Hub. |",
                "| {+GPF Security Log+} | {+The log held by the GPF.+} |",
                action=Action.ADD_TERM,
                term="GPF Security Log",
            ),
        )
        assert result.problems == []
        assert [entry.term for entry in result.documents[0].glossary] == [
            "Alert",
            "Gas Proxy Function",
            "GPF Security Log",
            "Sensitive Event",
        ]
        (revision,) = result.revisions
        assert revision.clause == "Glossary"
        assert revision.before == as_lines(glossary(base))
        assert revision.after[2] == RevisionLine(("GPF Security Log", "The log held by the GPF."))

    def test_a_new_term_is_used_by_the_statements(self):
        base = document({"1.1": ["The GSME Security Log shall be kept."]}, GLOSSARY)
        assert base.clause("1.1").blocks[0].statements[0].terms == []
        result = applied(
            base, change(1, "SMETS Glossary", "| {+GSME Security Log+} | {+A log.+} |")
        )
        statement = result.documents[0].clause("1.1").blocks[0].statements[0]
        assert statement.terms == ["GSME Security Log"]

    def test_a_definition_amended(self):
        result = applied(
            document({}, GLOSSARY),
            change(1, "SMETS Glossary", "| Alert | A message from a [-Device-]{+Meter+}. |"),
        )
        assert glossary(result)[0] == "Alert\tA message from a Meter."

    def test_a_term_deleted(self):
        result = applied(
            document({}, GLOSSARY),
            change(
                1,
                "SMETS Glossary",
                "| [-Sensitive Event-] | [-An event that may indicate an attack.-] |",
                action=Action.DELETE_TERM,
                term="Sensitive Event",
            ),
        )
        assert [entry.term for entry in result.documents[0].glossary] == [
            "Alert",
            "Gas Proxy Function",
        ]

    def test_a_term_renamed_moves_to_its_place(self):
        result = applied(
            document({}, GLOSSARY),
            change(1, "SMETS Glossary", "| [-Alert-]{+Warning+} | A message from a Device. |"),
        )
        assert glossary(result) == [
            "Gas Proxy Function\tPart of the Communications Hub.",
            "Sensitive Event\tAn event that may indicate an attack.",
            "Warning\tA message from a Device.",
        ]

    @pytest.mark.parametrize(
        "rows",
        [
            [
                "| [-Sensitive Event-] | [-An event that may indicate an attack.-] |",
                "| [-Sensitive Event-] | [-An event that may indicate an attack.-] |",
            ],
            [
                "| [-Alert-] | [-A message from a Device.-] |",
                "| Alert | A message from a [-Device-]{+Meter+}. |",
            ],
            [
                "| [-Alert-]{+Warning+} | A message from a Device. |",
                "| Alert | A message from a [-Device-]{+Meter+}. |",
            ],
            ["| {+Zone+} | {+An area.+} |", "| {+Zone+} | {+Another area.+} |"],
            ["| [-Alert-]{+Zone+} | A message from a Device. |", "| {+Zone+} | {+An area.+} |"],
        ],
        ids=[
            "delete-twice",
            "delete-then-amend",
            "rename-then-amend",
            "add-twice",
            "rename-onto-add",
        ],
    )
    def test_two_rows_changing_one_term_are_refused_and_nothing_is_applied(self, rows):
        base = document({}, GLOSSARY)
        result = applied(base, change(1, "SMETS Glossary", *rows))
        problem = only_problem(result)
        assert problem.code == "unsupported"
        assert "two rows of the mark-up change" in problem.message
        assert glossary(result) == glossary(Amendment([base]))

    def test_a_term_already_defined_is_refused(self):
        base = document({}, GLOSSARY)
        result = applied(
            base,
            change(1, "SMETS Glossary", "| {+Alert+} | {+Something else.+} |"),
            change(2, "SMETS Glossary", "| {+Zone+} | {+An area.+} |"),
        )
        problem = only_problem(result)
        assert (problem.location.irp, problem.location.change, problem.location.target) == (
            "IRP1",
            1,
            "SMETS Glossary",
        )
        assert problem.code == "conflict"
        assert "already defines 'Alert'" in problem.message
        assert glossary(result)[0] == "Alert\tA message from a Device."
        assert glossary(result)[-1] == "Zone\tAn area."

    def test_renaming_onto_a_defined_term_is_refused(self):
        base = document({}, GLOSSARY)
        result = applied(
            base,
            change(
                1,
                "SMETS Glossary",
                "| [-Alert-]{+Sensitive Event+} | A message from a Device. |",
            ),
        )
        problem = only_problem(result)
        assert problem.code == "conflict"
        assert "Sensitive Event" in problem.message
        assert glossary(result) == glossary(base)

    def test_a_missing_term_is_refused(self):
        base = document({}, GLOSSARY)
        result = applied(
            base,
            change(1, "SMETS Glossary", "| Firmware | The [-code-]{+software+}. |"),
            change(2, "SMETS Glossary", "| [-Zone-] | [-An area.-] |"),
            change(3, "SMETS Glossary", "| {+Zone+} | {+An area.+} |"),
        )
        assert refused(result) == [
            ("IRP1", 1, "SMETS Glossary", "not-found"),
            ("IRP1", 2, "SMETS Glossary", "not-found"),
        ]
        assert "no entry 'Firmware'" in result.problems[0].message
        assert "no entry 'Zone'" in result.problems[1].message
        assert [e.term for e in result.documents[0].glossary][-1] == "Zone"

    def test_a_definition_that_differs_from_the_mark_up_is_refused(self):
        base = document({}, GLOSSARY)
        result = applied(
            base, change(1, "SMETS Glossary", "| Alert | A warning from a [-Device-]{+Meter+}. |")
        )
        problem = only_problem(result)
        assert problem.code == "not-found"
        assert "definition of 'Alert'" in problem.message
        assert glossary(result) == glossary(base)

    def test_an_amended_definition_applied_twice_is_reported(self):
        p = proposal(
            "IRP1", change(1, "SMETS Glossary", "| Alert | A message from a [-Device-]{+Meter+}. |")
        )
        once = amend([document({}, GLOSSARY)], [p])
        twice = amend(once.documents, [p])
        assert refused(twice) == [("IRP1", 1, "SMETS Glossary", "already-applied")]
        assert glossary(twice) == glossary(once)
        assert twice.revisions == []

    def test_a_new_term_added_twice_is_reported(self):
        p = proposal("IRP1", change(1, "SMETS Glossary", "| {+Zone+} | {+An area.+} |"))
        result = amend([document({}, GLOSSARY)], [p, p])
        assert refused(result) == [("IRP1", 1, "SMETS Glossary", "already-applied")]
        assert [e.term for e in result.documents[0].glossary].count("Zone") == 1

    def test_deleting_a_term_another_proposal_added_is_a_conflict(self):
        result = amend(
            [document({}, GLOSSARY)],
            [
                proposal("IRP1", change(2, "SMETS Glossary", "| {+Zone+} | {+An area.+} |")),
                proposal("IRP2", change(1, "SMETS Glossary", "| [-Zone-] | [-An area.-] |")),
            ],
        )
        problem = only_problem(result)
        assert (problem.location.irp, problem.location.change, problem.code) == (
            "IRP2",
            1,
            "conflict",
        )
        assert "IRP1 change 2" in problem.message
        assert glossary(result)[-1] == "Zone\tAn area."

    def test_two_proposals_amending_one_entry_conflict(self):
        result = amend(
            [document({}, GLOSSARY)],
            [
                proposal(
                    "IRP1",
                    change(
                        1, "SMETS Glossary", "| Alert | A message [-from-]{+sent by+} a Device. |"
                    ),
                ),
                proposal(
                    "IRP2",
                    change(
                        4, "SMETS Glossary", "| Alert | A message from a [-Device-]{+Meter+}. |"
                    ),
                ),
            ],
        )
        problem = only_problem(result)
        assert (problem.location.irp, problem.location.change, problem.code) == (
            "IRP2",
            4,
            "conflict",
        )
        assert "IRP1 change 1" in problem.message
        assert glossary(result)[0] == "Alert\tA message sent by a Device."


# -- refusals --------------------------------------------------------------------------------------


class TestRefusals:
    """Each refusal names the IRP, the change and the target, leaves the clause as it was, and
    does not stop the proposal's other changes."""

    OTHER = change(9, "SMETS 5.5.5", "ESME shall record each {+and every+} event.")

    def check(self, result: Amendment, irp: str, number: int, target: str, kind: str) -> Problem:
        problem = next(
            p for p in result.problems if (p.location.irp, p.location.change) == (irp, number)
        )
        assert (problem.location.target, problem.code) == (target, kind)
        assert problem.message
        assert str(problem).startswith(f"error: {irp} change {number} ({target}): ")
        return problem

    def other_applied(self, result: Amendment) -> None:
        assert lines(result, "5.5.5")[1] == "ESME shall record each and every event."

    def test_a_clause_whose_change_is_refused_stays_exactly_as_it_was(self):
        # Labels the engine would renumber ("2a.") stay, as nothing was applied to the clause.
        base = document({"1.1": ["Lead-in:", "1.\tone;", "2a.\ttwo;", "3.\tthree."], **DISPLAY})
        result = applied(base, change(1, "SMETS 1.1", "* four {+x+}"), self.OTHER, irp="IRP7")
        self.check(result, "IRP7", 1, "SMETS 1.1", "not-found")
        assert result.documents[0].clause("1.1") == base.clause("1.1")
        assert labels(result, "1.1") == ["", "1.", "2a.", "3."]
        self.other_applied(result)

    def test_an_unknown_document_when_every_document_is_required(self):
        # Without require_all it is skipped, not refused (test_amend_spanning.py).
        result = amend(
            [document(DISPLAY)],
            [proposal("IRP7", change(1, "GBCS 5.5.4", "on its {+own+} User"), self.OTHER)],
            require_all=True,
        )
        problem = self.check(result, "IRP7", 1, "GBCS 5.5.4", "unknown-document")
        assert "GBCS" in problem.message
        self.other_applied(result)

    def test_an_unknown_clause(self):
        result = applied(
            document(DISPLAY),
            change(1, "SMETS 5.5.40", "on its {+own+} User"),
            self.OTHER,
            irp="IRP7",
        )
        problem = self.check(result, "IRP7", 1, "SMETS 5.5.40", "unknown-clause")
        assert "5.5.40" in problem.message
        self.other_applied(result)

    def test_unchanged_text_not_in_the_clause(self):
        base = document(DISPLAY)
        result = applied(
            base,
            change(1, "SMETS 5.5.4", "on its Display {+only+} following"),
            self.OTHER,
            irp="IRP7",
        )
        problem = self.check(result, "IRP7", 1, "SMETS 5.5.4", "not-found")
        assert "not in the clause" in problem.message
        assert lines(result, "5.5.4") == lines(base, "5.5.4")
        self.other_applied(result)

    def test_unchanged_text_found_twice(self):
        base = document(
            {"5.5.4": ["The log is kept.", "The log is kept."], "5.5.5": DISPLAY["5.5.5"]}
        )
        result = applied(
            base, change(1, "SMETS 5.5.4", "The log {+always+} is"), self.OTHER, irp="IRP7"
        )
        problem = self.check(result, "IRP7", 1, "SMETS 5.5.4", "ambiguous")
        assert "2 times" in problem.message
        assert lines(result, "5.5.4") == ["The log is kept.", "The log is kept."]
        self.other_applied(result)

    def test_a_conflict_over_the_same_words_names_the_earlier_irp(self):
        base = document(DISPLAY)
        earlier = proposal("IRP1", change(3, "SMETS 5.5.4", "User [-Interface-]{+Display+}"))
        later = proposal("IRP2", change(1, "SMETS 5.5.4", "User [-Display-]{+Screen+}"), self.OTHER)
        result = amend([base], [earlier, later])
        problem = self.check(result, "IRP2", 1, "SMETS 5.5.4", "conflict")
        assert problem.message == "conflicts with IRP1 change 3, which already changed this text"
        assert lines(result, "5.5.4") == lines(amend([base], [earlier]), "5.5.4")
        self.other_applied(result)

    def test_a_conflict_over_words_another_irp_inserted(self):
        result = amend(
            [document(DISPLAY)],
            [
                proposal("IRP1", change(2, "SMETS 5.5.4", "Interface {+only+} following")),
                proposal("IRP2", change(1, "SMETS 5.5.4", "Interface [-only-] following")),
            ],
        )
        assert "IRP1 change 2" in self.check(result, "IRP2", 1, "SMETS 5.5.4", "conflict").message
        assert "Interface only following" in lines(result, "5.5.4")[0]

    def test_a_conflict_by_inserting_words_at_the_same_point(self):
        result = amend(
            [document(DISPLAY)],
            [
                proposal("IRP1", change(1, "SMETS 5.5.4", "User Interface {+only+} following")),
                proposal(
                    "IRP2", change(1, "SMETS 5.5.4", "User Interface only {+just+} following")
                ),
            ],
        )
        assert "IRP1 change 1" in self.check(result, "IRP2", 1, "SMETS 5.5.4", "conflict").message
        assert "Interface only following" in lines(result, "5.5.4")[0]

    def test_a_conflict_by_inserting_paragraphs_at_the_same_point(self):
        base = document(DISPLAY)
        result = amend(
            [base],
            [
                proposal("IRP1", change(1, "SMETS 5.5.5", "see there.", "{+From IRP1.+}")),
                proposal(
                    "IRP2", change(2, "SMETS 5.5.5", "see there.", "{+From IRP2.+}"), self.OTHER
                ),
            ],
        )
        problem = self.check(result, "IRP2", 2, "SMETS 5.5.5", "conflict")
        assert "IRP1 change 1" in problem.message
        assert lines(result, "5.5.5") == [
            "The ‘Secure Perimeter’ is set out in Section 5.1 – see there.",
            "From IRP1.",
            "ESME shall record each and every event.",
        ]

    def test_a_conflict_by_removing_a_paragraph_another_irp_changed(self):
        base = document(DISPLAY)
        earlier = proposal("IRP1", change(2, "SMETS 5.5.5", "ESME shall [-record-]{+log+} each"))
        later = proposal(
            "IRP2", change(6, "SMETS 5.5.5", "see there.", "[-ESME shall log each event.-]")
        )
        result = amend([base], [earlier, later])
        problem = self.check(result, "IRP2", 6, "SMETS 5.5.5", "conflict")
        assert "IRP1 change 2" in problem.message
        assert lines(result, "5.5.5") == lines(amend([base], [earlier]), "5.5.5")

    def test_an_excerpt_quoting_text_an_earlier_irp_changed_applies_where_it_reaches(self):
        # IRP2 quotes "Security", which IRP1 deleted, but inserts five words further on: the
        # excerpt is located in the base edition and the insertion made in the text as it is.
        first = proposal("IRP1", change(5, "SMETS 5.5.4", "displaying the [-Security-] Log"))
        second = proposal(
            "IRP2",
            change(1, "SMETS 5.5.4", "displaying the Security Log (5.7.5.31) on its {+own+}"),
            self.OTHER,
        )
        for order in ([first, second], [second, first]):
            result = amend([document(DISPLAY)], order)
            assert result.problems == []
            assert "displaying the Log (5.7.5.31) on its own User" in lines(result, "5.5.4")[0]
            self.other_applied(result)

    def test_an_excerpt_quoting_text_an_earlier_irp_changed_next_to_its_own_change(self):
        result = amend(
            [document(DISPLAY)],
            [
                proposal("IRP1", change(5, "SMETS 5.5.4", "displaying the [-Security-] Log")),
                proposal(
                    "IRP2", change(1, "SMETS 5.5.4", "the Security [-Log-]{+Record+} (5.7.5.31)")
                ),
            ],
        )
        problem = self.check(result, "IRP2", 1, "SMETS 5.5.4", "conflict")
        assert problem.message == "conflicts with IRP1 change 5, which already changed this text"
        assert "displaying the Log (5.7.5.31) on its User" in lines(result, "5.5.4")[0]

    def test_a_refused_change_is_never_half_applied(self):
        base = document({"1.1": ["Alpha one.", "Beta two."]})
        result = amend(
            [base],
            [
                proposal("IRP1", change(1, "SMETS 1.1", "Beta [-two-]{+three+}.")),
                proposal(
                    "IRP2",
                    change(
                        1,
                        "SMETS 1.1",
                        "Alpha [-one-]{+eleven+}.",
                        "Beta [-three-]{+four+}.",
                        run_on=(False, False),
                    ),
                ),
            ],
        )
        self.check(result, "IRP2", 1, "SMETS 1.1", "conflict")
        assert lines(result, "1.1") == ["Alpha one.", "Beta three."]
        assert [r.irp for r in result.revisions] == ["IRP1"]

    def test_the_same_proposal_twice_in_one_build(self):
        p = proposal(
            "IRP1",
            change(1, "SMETS 5.5.4", "User Interface {+only+} following"),
            change(2, "SMETS 5.5.5", "see there.", "{+New paragraph.+}"),
            change(3, "SMETS 5.5.5", "ESME shall [-record-]{+log+} each"),
        )
        result = amend([document(DISPLAY)], [p, p])
        assert refused(result) == [
            ("IRP1", 1, "SMETS 5.5.4", "already-applied"),
            ("IRP1", 2, "SMETS 5.5.5", "already-applied"),
            ("IRP1", 3, "SMETS 5.5.5", "already-applied"),
        ]
        assert lines(result, "5.5.4")[0].count("only") == 1
        assert lines(result, "5.5.5")[1:] == ["New paragraph.", "ESME shall log each event."]
        assert len(result.revisions) == 3

    def test_a_proposal_applied_to_its_own_result(self):
        p = proposal(
            "IRP1",
            change(1, "SMETS 5.5.4", "User Interface {+only+} following"),
            change(2, "SMETS 5.5.5", "see there.", "{+New paragraph.+}"),
        )
        once = amend([document(DISPLAY)], [p])
        twice = amend(once.documents, [p])
        assert [problem.code for problem in twice.problems] == ["already-applied"] * 2
        assert twice.problems[0].message == "the change is already in the text"
        for number in ("5.5.4", "5.5.5"):
            assert lines(twice, number) == lines(once, number)

    def test_applied_again_where_its_unchanged_text_still_matches(self):
        # Deleting the second of two equal paragraphs brings the first next to the edited one,
        # so the unchanged text matches again; the inserted word shows the change is in already.
        base = document({"1.1": ["Intro.", "A log.", "A log.", "Audit trail."]})
        p = proposal("IRP1", change(1, "SMETS 1.1", "[-A log.-]", "Audit {+log+}"))
        once = amend([base], [p])
        assert lines(once, "1.1") == ["Intro.", "A log.", "Audit log trail."]
        twice = amend(once.documents, [p])
        assert refused(twice) == [("IRP1", 1, "SMETS 1.1", "already-applied")]
        assert lines(twice, "1.1") == lines(once, "1.1")

    def test_an_unreadable_change(self):
        result = applied(
            document(DISPLAY),
            change(1, "SMETS 5.5.4", "on its {+own+} User", problem="the mark-up is an image"),
            self.OTHER,
            irp="IRP7",
        )
        problem = self.check(result, "IRP7", 1, "SMETS 5.5.4", "unreadable")
        assert problem.message == "the mark-up is an image"
        assert lines(result, "5.5.4") == [SECURITY_LOG]
        self.other_applied(result)

    def test_a_problem_only_for_the_refused_changes(self):
        result = applied(
            document(DISPLAY), change(1, "SMETS 5.5.40", "x {+y+}"), self.OTHER, irp="IRP7"
        )
        assert len(result.problems) == 1
        assert [(r.irp, r.change, r.clause) for r in result.revisions] == [("IRP7", 9, "5.5.5")]


# -- locating the excerpt: tolerant of typography, strict about words ----------------------------


class TestLocating:
    @pytest.mark.parametrize(
        "excerpt",
        [
            "The 'Secure Perimeter' is {+also+} set",  # straight quotes for curly ones
            "Section 5.1 - see {+also+} there.",  # a hyphen for an en dash
            "The  ‘Secure   Perimeter’ is {+also+} set",  # extra spaces
            "The‘Secure Perimeter’is {+also+} set",  # missing spaces
        ],
    )
    def test_typography_does_not_matter(self, excerpt):
        result = applied(document(DISPLAY), change(1, "SMETS 5.5.5", excerpt))
        assert result.problems == []
        assert "also" in lines(result, "5.5.5")[0]
        assert "‘Secure Perimeter’" in lines(result, "5.5.5")[0]

    @pytest.mark.parametrize(
        ("clause", "excerpt"),
        [
            ("the Security Log (5.7.5.31) on its", "the Security Log(5.7.5.31) {+display+} on"),
            ("the Security Log(5.7.5.31) on its", "the Security Log (5.7.5.31) {+display+} on"),
        ],
    )
    def test_words_split_differently_still_locate(self, clause, excerpt):
        base = document({"5.5.4": [f"ESME shows {clause} screen."]})
        result = applied(base, change(1, "SMETS 5.5.4", excerpt))
        assert result.problems == []
        assert lines(result, "5.5.4") == [
            f"ESME shows {clause.replace(' on', ' display on')} screen."
        ]

    @pytest.mark.parametrize(
        "excerpt",
        [
            "ESME shal be capable {+always+} of",  # a misspelt word
            "ESME {+always+} shal",  # a word cut short at the end of the excerpt
            "SME {+always+} shall be",  # a word cut short at the start
            "ESME shall be capable of showing {+always+} the",  # a different word
        ],
    )
    def test_a_changed_word_does_not_locate(self, excerpt):
        base = document(DISPLAY)
        result = applied(base, change(1, "SMETS 5.5.4", excerpt))
        assert refused(result) == [("IRP1", 1, "SMETS 5.5.4", "not-found")]
        assert lines(result, "5.5.4") == [SECURITY_LOG]

    def test_an_excerpt_with_the_heading_must_start_at_the_clause_start(self):
        base = document({"1.1": ["Second. First."]})
        result = applied(
            base,
            change(1, "SMETS 1.1", "# 1.1 Clause 1.1", "First. {+Next.+}", run_on=(False, True)),
        )
        assert refused(result) == [("IRP1", 1, "SMETS 1.1", "not-found")]


def test_deleting_text_before_punctuation_leaves_no_space_before_it():
    base = Document(
        "SMETS",
        "4.2",
        clauses=[
            Clause(
                "1.1",
                "Storage",
                2,
                [Block(BlockKind.PARAGRAPH, "GSME shall keep its data on loss of power (1.1.2).")],
            ),
        ],
    )
    segment(base)
    change = Change(
        1,
        "At SMETS 1.1 amend",
        Target("SMETS", "1.1"),
        markup=[
            MarkupBlock(
                MarkupKind.PARAGRAPH,
                normalize_spans(
                    [
                        Span("GSME shall keep its data on loss of power ", Op.KEEP),
                        Span("(1.1.2)", Op.DELETE),
                        Span(".", Op.KEEP),
                    ]
                ),
            )
        ],
    )
    result = amend([base], [Proposal("IRP1", changes=[change])])
    assert result.problems == []
    assert result.document("SMETS").clause("1.1").blocks[0].text == (
        "GSME shall keep its data on loss of power."
    )
