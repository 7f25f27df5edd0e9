"""Reading IRPs: from Word in both mark-up styles, and as IRP-as-code, to the same proposal."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from spectrace.errors import ReadError
from spectrace.model import Action, MarkupKind, Op, Target
from spectrace.model.proposal import MarkupStyle
from spectrace.readers.docx.irp import iso_date, parse_instruction, read_docx_irp
from spectrace.readers.rst.irp import read_rst_irp
from spectrace.writers.json import proposal_to_dict
from spectrace.writers.rst_irp import render_proposal
from tests.conftest import FIXTURES, PROJECT_ROOT

TRACKED = FIXTURES / "IRP603.docx"
FORMATTED = FIXTURES / "IRP603-formatted-markup.docx"
VARIANTS = [TRACKED, FORMATTED]


@pytest.fixture(scope="module", params=VARIANTS, ids=["tracked", "formatted"])
def irp603(request):
    return read_docx_irp(request.param)


def test_metadata_and_closing_table(irp603):
    assert (irp603.irp, irp603.issues_log_id, irp603.title, irp603.source) == (
        "IRP603",
        "TS1104",
        "Security Log display over HAN",
        "DCC",
    )
    assert (irp603.date, irp603.date_raised, irp603.status) == (
        "2019-07-11",
        "2019-04-03",
        "Draft 0_1",
    )
    assert irp603.references == ["SMETS v4.2", "CHTS v1.3"]
    assert (irp603.ts_version, irp603.impact_on_previous, irp603.attachments) == (
        "TBC",
        "None",
        "None",
    )


def test_prose_sections_are_read_in_the_accepted_view(irp603):
    assert list(irp603.sections) == [
        "Description",
        "Proposed Position",
        "Interoperability and / or Compatibility",
    ]
    description = irp603.sections["Description"]
    assert "on what is the expected behaviour" in description  # the tracked deletion is gone
    assert "the the" not in description
    position = irp603.sections["Proposed Position"].split("\n")
    assert position[0] == "SMETS / GBCS require that:"
    assert position[1].startswith("• the GPF, CHF, GSME and ESME Security Logs")


def test_each_instruction_names_its_target_and_run_on_markers(irp603):
    summary = [
        (c.number, str(c.target), c.action, c.term, c.run_on_before, c.run_on_after, c.problem)
        for c in irp603.changes
    ]
    assert summary == [
        (1, "SMETS 4.4.5", Action.AMEND, None, True, True, None),
        (2, "SMETS 5.5.4", Action.AMEND, None, True, True, None),
        (3, "SMETS 5.6.1", Action.AMEND, None, False, True, None),
        (4, "SMETS 5.12.1", Action.AMEND, None, False, True, None),
        (5, "CHTS 4.4.6.1", Action.AMEND, None, False, True, None),
        (6, "CHTS Glossary", Action.ADD_TERM, "GSME Security Log", False, True, None),
    ]


def test_markups_match_the_expected_excerpts(irp603):
    expected = json.loads(
        (
            FIXTURES
            / "expected"
            / ("IRP603.json" if irp603.file == TRACKED.name else "IRP603-formatted-markup.json")
        ).read_text()
    )
    for change, wanted in zip(irp603.changes, expected["changes"], strict=True):

        def view(after, change=change):
            return [text for b in change.markup if (text := _plain(b.text(after=after)))]

        assert view(False) == [_plain(line) for line in wanted["excerpt_before"]]
        assert view(True) == [_plain(line) for line in wanted["excerpt_after"]]


def _plain(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def test_markup_kinds_and_ops(irp603):
    change3 = irp603.changes[2]
    assert [b.kind for b in change3.markup] == [
        MarkupKind.HEADING,
        MarkupKind.PARAGRAPH,
        MarkupKind.PARAGRAPH,
    ]
    assert change3.markup[2].op is Op.INSERT
    items = [b for b in irp603.changes[4].markup if b.kind is MarkupKind.LIST_ITEM]
    assert [b.label for b in items] == ["i.", "ii."]
    rows = irp603.changes[5].markup
    assert [b.kind for b in rows] == [MarkupKind.TABLE_ROW] * 2
    assert [rows[0].op, rows[1].op] == [Op.KEEP, Op.INSERT]
    assert [rows[1].text(after=True)] == [
        "GSME Security Log\tThe information held on GSME as described at section 4 in the Smart "
        "Metering Equipment Technical Specifications."
    ]


def test_word_level_marks():
    tracked, formatted = read_docx_irp(TRACKED), read_docx_irp(FORMATTED)
    only = [s for s in tracked.changes[0].markup[0].spans if s.op is Op.INSERT]
    assert [s.text for s in only] == ["only"]
    replaced = [(s.op, s.text) for s in formatted.changes[2].markup[1].spans if s.op is not Op.KEEP]
    assert replaced == [(Op.DELETE, "data"), (Op.INSERT, "Data")]


def test_tracked_changes_keep_their_author_and_date():
    tracked = read_docx_irp(TRACKED)
    assert {(c.revised_by, c.revised_on) for c in tracked.changes} == {("BEIS", "2019-07-11")}
    assert {c.revised_by for c in read_docx_irp(FORMATTED).changes} == {""}


def test_formatting_colours_are_configurable():
    none_insert = MarkupStyle(insert_colors=frozenset({"00FF00"}))
    proposal = read_docx_irp(FORMATTED, none_insert)
    # underlining still marks insertions; only the colour list changed
    assert proposal.changes[0].problem is None


@pytest.mark.parametrize("path", VARIANTS, ids=["tracked", "formatted"])
def test_irp_as_code_reads_back_the_same_proposal(tmp_path, path):
    proposal = read_docx_irp(path)
    source = tmp_path / "IRP603.rst"
    source.write_text(render_proposal(proposal))
    again = read_rst_irp(source)
    again.file = proposal.file
    assert again == proposal


def test_the_bundled_irp_source_is_what_import_writes():
    bundled = (PROJECT_ROOT / "specs" / "irps" / "IRP603.rst").read_text()
    assert bundled == render_proposal(read_docx_irp(TRACKED))


def test_json_shape():
    data = proposal_to_dict(read_docx_irp(TRACKED))
    assert {
        "irp",
        "issues_log_id",
        "title",
        "source",
        "date",
        "date_raised",
        "status",
        "references",
        "ts_version",
        "impact_on_previous",
        "attachments",
        "sections",
        "changes",
    } <= set(data)
    change = data["changes"][5]
    assert (change["target"], change["action"], change["term"]) == (
        "CHTS Glossary",
        "add_term",
        "GSME Security Log",
    )
    assert change["markup"][1]["kind"] == "table_row"
    assert {span["op"] for span in change["markup"][1]["spans"]} <= {"insert", "keep"}
    assert data["changes"][0]["markup"][0]["spans"][1] == {"text": "only", "op": "insert"}


@pytest.mark.parametrize(
    ("text", "target", "action", "term"),
    [
        (
            "At SMETS 4.4.5 amend the text as shown in the following mark-up:",
            Target("SMETS", "4.4.5"),
            Action.AMEND,
            None,
        ),
        (
            "In CHTS Section 4.4.6.1, insert the following:",
            Target("CHTS", "4.4.6.1"),
            Action.AMEND,
            None,
        ),
        (
            "At CHTS Section 5, Glossary, add the new definition for ‘GSME Security Log’ as shown",
            Target("CHTS", None),
            Action.ADD_TERM,
            "GSME Security Log",
        ),
        (
            "At SMETS Section 6, Glossary, amend the definition of 'Security Log'",
            Target("SMETS", None),
            Action.AMEND_TERM,
            "Security Log",
        ),
        (
            "At SMETS Glossary, delete the definition of “Privacy PIN”",
            Target("SMETS", None),
            Action.DELETE_TERM,
            "Privacy PIN",
        ),
    ],
)
def test_instruction_targets(text, target, action, term):
    assert parse_instruction(text, file="x.docx", number=1) == (target, action, term, "", "")


def test_an_instruction_without_a_clause_is_an_error():
    with pytest.raises(ReadError, match=r"change 4: .*names no clause of SMETS"):
        parse_instruction("At SMETS amend the text", file="x.docx", number=4)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("11 July 2019", "2019-07-11"),
        ("3rd April 2019", "2019-04-03"),
        ("2019-07-11", "2019-07-11"),
        ("TBC", ""),
        ("n/a", ""),
        ("", ""),
        ("2019-13-45", None),
        ("31/02/2019", None),
        ("soon", None),
    ],
)
def test_dates_become_iso_dates_or_are_known_to_be_none(text, iso):
    assert iso_date(text) == iso


def _with_dates(source: Path, target: Path, raised: str, stamp: str) -> Path:
    """Write a copy of the IRP603 Word file whose Date Raised and tracked-change dates are
    ``raised`` and ``stamp``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:t>3 April 2019", f"<w:t>{raised}".encode())
                data = data.replace(b'w:date="2019-07-11T10:14:00Z"', f'w:date="{stamp}"'.encode())
            new.writestr(item, data)
    return target


@pytest.mark.parametrize("raised", ["31/02/2019", "2019-13-45", "next spring"])
def test_a_metadata_date_that_is_no_date_is_an_error_naming_it(fixtures, tmp_path, raised):
    path = _with_dates(fixtures / "IRP603.docx", tmp_path / "IRP603.docx", raised, "x")
    with pytest.raises(ReadError) as caught:
        read_docx_irp(path)
    assert str(caught.value) == (
        f"IRP603.docx: metadata table: Date Raised '{raised}' is not a date "
        "(write e.g. 11 July 2019 or 11/07/2019)"
    )


@pytest.mark.parametrize("stamp", ["garbage", "2019-13-45T00:00:00Z", ""])
def test_a_date_not_known_yet_and_a_broken_change_date_read_back_as_irp_as_code(
    fixtures, tmp_path, stamp
):
    path = _with_dates(fixtures / "IRP603.docx", tmp_path / "IRP603.docx", "TBC", stamp)
    proposal = read_docx_irp(path)
    assert proposal.date_raised == ""
    assert {change.revised_on for change in proposal.changes} == {""}
    source = tmp_path / "IRP603.rst"
    source.write_text(render_proposal(proposal), encoding="utf-8")
    assert read_rst_irp(source).date_raised == ""


def _rewrite(tmp_path, edit):
    """Copy IRP603.docx with word/document.xml passed through ``edit``."""
    target = tmp_path / "IRP.docx"
    with zipfile.ZipFile(TRACKED) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = edit(data.decode()).encode()
            copy.writestr(item, data)
    return target


def test_a_picture_markup_is_flagged_and_the_rest_kept(tmp_path):
    def to_picture(xml: str) -> str:
        # Replace the body of change 1's excerpt paragraph by a drawing.
        start = xml.index("GSME shall be capable of displaying")
        p_start = xml.rindex("<w:p ", 0, start)
        p_end = xml.index("</w:p>", start) + len("</w:p>")
        return xml[:p_start] + "<w:p><w:r><w:drawing/></w:r></w:p>" + xml[p_end:]

    proposal = read_docx_irp(_rewrite(tmp_path, to_picture))
    assert proposal.changes[0].problem == "the mark-up is an image; supply it as text"
    assert [c.problem for c in proposal.changes[1:]] == [None] * 5


def test_an_irp_without_its_metadata_table_is_an_error(tmp_path):
    def drop_table(xml: str) -> str:
        return re.sub(
            r"<w:tbl>.*?Issue Resolution Proposal.*?</w:tbl>", "", xml, count=1, flags=re.S
        )

    with pytest.raises(ReadError, match="no metadata table"):
        read_docx_irp(_rewrite(tmp_path, drop_table))


def test_an_unreadable_target_is_an_error_naming_the_change(tmp_path):
    def break_target(xml: str) -> str:
        return xml.replace("At SMETS 4.4.5 amend", "At SMETS amend", 1)

    with pytest.raises(ReadError) as raised:
        read_docx_irp(_rewrite(tmp_path, break_target))
    assert "IRP.docx" in str(raised.value) and "change 1" in str(raised.value)


def test_a_spec_file_is_not_an_irp(tmp_path):
    shutil.copy(FIXTURES / "SMETS-v4.2-excerpt.docx", tmp_path / "spec.docx")
    with pytest.raises(ReadError, match="no metadata table"):
        read_docx_irp(tmp_path / "spec.docx")


def test_an_item_of_the_instruction_list_is_an_instruction_even_when_unreadable(tmp_path):
    def reword(xml: str) -> str:
        return xml.replace("At SMETS 4.4.5 amend", "Amend SMETS 4.4.5", 1)

    with pytest.raises(ReadError) as raised:
        read_docx_irp(_rewrite(tmp_path, reword))
    assert "change 1: cannot read the target" in str(raised.value)


def test_a_note_after_the_end_marker_is_not_mark_up(tmp_path):
    def add_note(xml: str) -> str:
        end = xml.index("run on as is")
        close = xml.index("</w:p>", end) + len("</w:p>")
        note = "<w:p><w:r><w:t>Note: this applies to ESME only.</w:t></w:r></w:p>"
        return xml[:close] + note + xml[close:]

    change = read_docx_irp(_rewrite(tmp_path, add_note)).changes[0]
    assert [b.text(after=True) for b in change.markup] == [
        "GSME shall be capable of displaying the Security Log (4.6.5.17) on its User Interface "
        "only following physical access through the Secure Perimeter of GSME."
    ]


def test_a_marked_heading_line_survives_irp_as_code(tmp_path):
    from spectrace.model import Change, MarkupBlock, Proposal, Span

    heading = MarkupBlock(
        MarkupKind.HEADING,
        [
            Span("5.6.1 Type 1 Devices and "),
            Span("Type 2", Op.DELETE),
            Span("Other", Op.INSERT),
            Span(" Device information provision"),
        ],
    )
    body = MarkupBlock(MarkupKind.PARAGRAPH, [Span("Text "), Span("more", Op.INSERT)])
    proposal = Proposal(
        "IRP1",
        changes=[Change(1, "At SMETS 5.6.1", Target("SMETS", "5.6.1"), markup=[heading, body])],
    )
    source = tmp_path / "IRP1.rst"
    source.write_text(render_proposal(proposal))
    assert read_rst_irp(source).changes == proposal.changes


def test_text_outside_a_change_under_required_changes_is_an_error(tmp_path):
    source = tmp_path / "IRP1.rst"
    source.write_text(
        ".. spec:proposal:: IRP1\n\nRequired Changes to Documentation\n"
        "=================================\n\nAt SMETS 1.1 add a sentence.\n"
    )
    with pytest.raises(ReadError, match=r"only '\.\. spec:change::' directives belong"):
        read_rst_irp(source)
