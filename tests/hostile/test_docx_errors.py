"""Bad values and hostile XML in Word parts: one ReadError naming the part, the place and the
value — never a traceback, and never a silently different reading.

Every number the reader takes from a part (list starts and levels, outline levels, column
spans, symbol codes) goes through one helper; each place it is read is tried with values of
the wrong type and out of range. A relationship to a missing part, a DTD after a long comment,
an entity reference and an XInclude are refused in every part they can stand in.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from spectrace.errors import ReadError
from spectrace.limits import GRID_SPAN, NUMBER_START
from spectrace.readers.docx import package
from spectrace.readers.docx.irp import read_docx_irp
from tests.hostile.docx_maker import (
    HEADING_LEVELS,
    cell,
    clause_texts,
    document_xml,
    heading,
    item,
    level,
    make_docx,
    make_lying_docx,
    numbering_xml,
    para,
    read_spec,
    relationships,
    run,
    spec_error,
    styles_xml,
    table,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# --- one helper for every number ---------------------------------------------------------

#: Values no number in a Word part may have.
NOT_NUMBERS = ["abc", "", " ", "1.5", "1e3", "0x10", "\u0663", "\uff11", "9" * 40, "-" + "9" * 40]


def _lvl_restart(value: str) -> dict:
    levels = level(0, "%1.") + level(1, "%1.%2.", extra=f'<w:lvlRestart w:val="{value}"/>')
    return {"numbering": numbering_xml(items=levels)}


def _style(extra: str) -> dict:
    return {"styles": styles_xml(f'<w:style w:type="paragraph" w:styleId="Odd">{extra}</w:style>')}


#: place -> (how to build a file with ``value`` there, where the error says it is, a value
#: just out of range, the range the message gives)
PLACES = {
    "document-ilvl": (
        lambda v: {"body": heading("T") + item("x", v)},
        "word/document.xml: paragraph 2: w:ilvl",
        ["-3", "9"],
        "0 to 8",
    ),
    "document-outlineLvl": (
        lambda v: {"body": para("T", props=f'<w:outlineLvl w:val="{v}"/>')},
        "word/document.xml: paragraph 1: w:outlineLvl",
        ["-1", "10"],
        "0 to 9",
    ),
    "gridSpan": (
        lambda v: {"body": heading("T") + table([cell("x", f'<w:gridSpan w:val="{v}"/>')])},
        "word/document.xml: table at paragraph 2, row 1, cell 1: w:gridSpan",
        ["0", "-4", str(GRID_SPAN + 1)],
        f"1 to {GRID_SPAN}",
    ),
    "sym-char": (
        lambda v: {"body": heading("T") + para(f'<w:r><w:sym w:char="{v}"/></w:r>')},
        "word/document.xml: paragraph 2: w:sym w:char",
        ["110000", "-1", "FFFFFFFFF"],
        "0 to 10FFFF",
    ),
    "numbering-start": (
        lambda v: {"numbering": numbering_xml(items=level(0, "%1.", start=v))},
        "word/numbering.xml: w:abstractNum 1 level 0: w:start",
        ["-5", "-1", str(NUMBER_START + 1)],
        f"0 to {NUMBER_START}",
    ),
    "numbering-lvl-ilvl": (
        lambda v: {"numbering": numbering_xml(items=f'<w:lvl w:ilvl="{v}"/>')},
        "word/numbering.xml: w:abstractNum 1: w:lvl w:ilvl",
        ["-1", "9"],
        "0 to 8",
    ),
    "lvlOverride-ilvl": (
        lambda v: {"numbering": numbering_xml(extra=_override(f'w:ilvl="{v}"', ""))},
        "word/numbering.xml: w:num 3: w:lvlOverride w:ilvl",
        ["-1", "9"],
        "0 to 8",
    ),
    "startOverride": (
        lambda v: {
            "numbering": numbering_xml(
                extra=_override('w:ilvl="0"', f'<w:startOverride w:val="{v}"/>')
            )
        },
        "word/numbering.xml: w:num 3 level 0: w:startOverride",
        ["-5", str(NUMBER_START + 1)],
        f"0 to {NUMBER_START}",
    ),
    "lvlRestart": (
        _lvl_restart,
        "word/numbering.xml: w:abstractNum 1 level 1: w:lvlRestart",
        ["-1", "10"],
        "0 to 9",
    ),
    "style-ilvl": (
        lambda v: _style(f'<w:pPr><w:numPr><w:ilvl w:val="{v}"/></w:numPr></w:pPr>'),
        "word/styles.xml: style 'Odd': w:ilvl",
        ["-3", "9"],
        "0 to 8",
    ),
    "style-outlineLvl": (
        lambda v: _style(f'<w:pPr><w:outlineLvl w:val="{v}"/></w:pPr>'),
        "word/styles.xml: style 'Odd': w:outlineLvl",
        ["-1", "10"],
        "0 to 9",
    ),
}


def _override(attributes: str, content: str) -> str:
    return (
        f'<w:num w:numId="3"><w:abstractNumId w:val="1"/>'
        f"<w:lvlOverride {attributes}>{content}</w:lvlOverride></w:num>"
    )


CASES = [
    pytest.param(place, value, id=f"{place}-{value[:12]!r}")
    for place, (_, _, out_of_range, _) in PLACES.items()
    for value in NOT_NUMBERS + out_of_range
    if not (place == "sym-char" and value in ("abc", "1e3"))  # hexadecimal numbers
]


@pytest.mark.parametrize(("place", "value"), CASES)
def test_a_bad_number_anywhere_is_one_error_naming_part_place_and_value(tmp_path, place, value):
    build, where, _, bounds = PLACES[place]
    path = make_docx(tmp_path / "bad.docx", **build(value))
    message = spec_error(path)
    shown = value if len(value) <= 40 else value[:40] + "…"
    assert message.startswith(f"bad.docx: {where} {shown!r} is not a ")
    assert message.endswith(f"from {bounds}")


@pytest.mark.parametrize(
    ("char", "shown"),
    [("F0B7", "\u2022"), ("2022", "\u2022"), ("0041", "A"), ("F041", "A"), ("f0e0", "\u00e0")],
)
def test_a_symbol_shows_its_character(tmp_path, char, shown):
    body = heading("T") + para(run("see ") + f'<w:r><w:sym w:char="{char}"/></w:r>')
    assert clause_texts(read_spec(make_docx(tmp_path / "sym.docx", body)))["1"] == [f"see {shown}"]


@pytest.mark.parametrize("char", ["D800", "DFFF", "DBFF", "0000", "F000", "0001", "F01F", "0008"])
def test_a_symbol_that_is_no_character_of_text_is_refused(tmp_path, char):
    """A surrogate reached click.echo and died there with UnicodeEncodeError."""
    body = heading("T") + para(f'<w:r><w:sym w:char="{char}"/></w:r>')
    message = spec_error(make_docx(tmp_path / "sym.docx", body))
    assert f"paragraph 2: w:sym w:char '{char}' is not a character of text" in message


# --- silently wrong results --------------------------------------------------------------


def test_a_negative_list_level_is_refused_rather_than_renumbering_every_later_clause(tmp_path):
    body = (
        heading("One")
        + para("Two", style="Heading2", num="1/-3")
        + heading("Three")
        + heading("Four", 2)
    )
    assert "paragraph 2: w:ilvl '-3' is not a whole number" in spec_error(
        make_docx(tmp_path / "ilvl.docx", body)
    )


def test_a_negative_start_is_refused_rather_than_losing_the_clauses(tmp_path):
    """w:start=-5 on the heading list left 1 of 100 clauses."""
    body = "".join(heading(f"Clause {n}") + para(f"Text {n}.") for n in range(100))
    levels = HEADING_LEVELS.replace('<w:start w:val="1"/>', '<w:start w:val="-5"/>', 1)
    message = spec_error(make_docx(tmp_path / "start.docx", body, numbering=numbering_xml(levels)))
    assert "w:abstractNum 0 level 0: w:start '-5' is not a whole number from 0" in message


JUNK_LEVEL_TEXT = ["%", "%1%", "%1.%", "%%%", "%0", "%a", "%1.%2%", "%1.%2.%"]


@pytest.mark.parametrize("text", JUNK_LEVEL_TEXT)
def test_a_junk_level_text_is_refused_rather_than_dropping_the_clauses_it_numbers(tmp_path, text):
    """Headings numbered "%" or "1.%" are no clause numbers: six clauses vanished."""
    levels = level(0, "%1", extra='<w:pStyle w:val="Heading1"/>') + level(
        1, text, extra='<w:pStyle w:val="Heading2"/>'
    )
    body = "".join(
        heading(f"H{n}") + heading(f"S{n}a", 2) + para("x") + heading(f"S{n}b", 2) for n in range(3)
    )
    path = make_docx(tmp_path / "junk.docx", body, numbering=numbering_xml(levels))
    message = spec_error(path)
    assert f"word/numbering.xml: w:abstractNum 0 level 1: w:lvlText {text!r} has a '%'" in message


@pytest.mark.parametrize(
    ("text", "fmt", "labels"),
    [
        ("(%1)", "decimal", ["(1)", "(2)"]),
        ("Step %1:", "upperRoman", ["Step I:", "Step II:"]),
        ("%", "bullet", ["\u2022", "\u2022"]),  # a bullet's text is shown as it is
        ("", "none", ["\u2022", "\u2022"]),
    ],
)
def test_level_texts_word_writes_are_read(tmp_path, text, fmt, labels):
    body = heading("List") + item("one") + item("two")
    numbering = numbering_xml(items=level(0, text, fmt))
    doc = read_spec(make_docx(tmp_path / "list.docx", body, numbering=numbering))
    assert [block.label for block in doc.clause("1").blocks] == labels


ENTITY_DTD = '<!DOCTYPE w:document [<!ENTITY e "entity text">]>'


@pytest.mark.parametrize(
    ("prolog", "reference"),
    [("", "&undefined;"), (ENTITY_DTD, "&e;"), ('<!DOCTYPE w:document SYSTEM "x.dtd">', "&e;")],
    ids=["undefined", "internal-dtd", "external-dtd"],
)
def test_text_around_an_entity_reference_is_never_silently_dropped(tmp_path, prolog, reference):
    xml = document_xml(heading("T") + para(f"before {reference} after"))
    xml = xml.replace("?>\n", f"?>\n{prolog}\n", 1)
    message = spec_error(make_docx(tmp_path / "entity.docx", document=xml))
    assert message.startswith("entity.docx: word/document.xml")
    assert "Entity 'undefined' not defined" in message or "declares a DTD" in message


XINCLUDE = '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>'


@pytest.mark.parametrize(
    "body",
    [
        heading("T") + f"<w:p><w:r><w:t>before{XINCLUDE}after</w:t></w:r></w:p>",
        heading("T") + f"<w:p>{run('before')}{XINCLUDE}{run('after')}</w:p>",
        heading("T") + XINCLUDE + para("after"),
        heading("T") + f"<w:sdt><w:sdtContent>{XINCLUDE}</w:sdtContent></w:sdt>",
    ],
    ids=["in-text", "between-runs", "in-the-body", "in-a-content-control"],
)
def test_an_xinclude_in_the_body_is_refused(tmp_path, body):
    message = spec_error(make_docx(tmp_path / "xi.docx", body))
    assert "xi.docx: word/document.xml line 2: uses XInclude, which is refused" in message


@pytest.mark.parametrize("part", ["styles", "numbering"])
def test_an_xinclude_in_another_part_is_refused(tmp_path, part):
    xml = styles_xml(XINCLUDE) if part == "styles" else numbering_xml(extra=XINCLUDE)
    message = spec_error(make_docx(tmp_path / "xi.docx", **{part: xml}))
    assert f"word/{part}.xml line 2: uses XInclude" in message


@pytest.mark.parametrize(
    "inside", ["<!--a comment-->", "<?pi data?>"], ids=["comment", "processing-instruction"]
)
def test_text_after_a_comment_inside_a_text_run_is_kept(tmp_path, inside):
    body = heading("T") + f"<w:p><w:r><w:t>before {inside}after</w:t></w:r></w:p>"
    assert clause_texts(read_spec(make_docx(tmp_path / "c.docx", body)))["1"] == ["before after"]


# --- DTDs, wherever they stand -----------------------------------------------------------

DTD_PARTS = {
    "word/document.xml": lambda xml: {"document": xml(document_xml(heading("T")))},
    "word/styles.xml": lambda xml: {"styles": xml(styles_xml())},
    "word/numbering.xml": lambda xml: {"numbering": xml(numbering_xml())},
    "word/_rels/document.xml.rels": lambda xml: {
        "rels": xml(relationships(styles="styles.xml", numbering="numbering.xml"))
    },
    "_rels/.rels": lambda xml: {"extra": {"_rels/.rels": xml(_package_rels())}},
}


def _package_rels() -> str:
    from tests.hostile.docx_maker import PACKAGE_RELS

    return PACKAGE_RELS


@pytest.mark.parametrize("part", sorted(DTD_PARTS))
@pytest.mark.parametrize("comment", [0, 5_000, 1_000_000])
def test_a_dtd_after_a_long_comment_is_refused_in_every_part(tmp_path, part, comment):
    """refuse_dtd looked at the first 4,096 bytes only: a long comment first hid a DOCTYPE."""
    padding = f"<!--{'x' * comment}-->" if comment else ""

    def with_dtd(xml: str) -> str:
        return xml.replace("?>\n", f"?>\n{padding}<!DOCTYPE x [<!ENTITY e 'text'>]>\n", 1)

    message = spec_error(make_docx(tmp_path / "dtd.docx", **DTD_PARTS[part](with_dtd)))
    assert f"dtd.docx: {part}: declares a DTD (<!DOCTYPE>), which is refused" in message


def test_the_four_kilobyte_dtd_check_is_gone():
    assert not hasattr(package, "refuse_dtd")


# --- relationships and optional parts ----------------------------------------------------


@pytest.mark.parametrize(
    ("targets", "missing"),
    [
        ({"styles": "nostyles.xml"}, "word/nostyles.xml"),
        ({"numbering": "nonumbering.xml"}, "word/nonumbering.xml"),
        ({"styles": "../../etc/passwd"}, "../etc/passwd"),
        ({"numbering": ""}, "word"),
    ],
)
def test_a_relationship_to_a_part_the_archive_lacks_is_refused(tmp_path, targets, missing):
    path = make_docx(tmp_path / "rels.docx", rels=relationships(**targets))
    message = spec_error(path)
    assert (
        f"rels.docx: word/_rels/document.xml.rels relates word/document.xml to {missing}, "
        "which is not in the archive"
    ) in message


def test_a_package_without_styles_or_numbering_reads_typed_numbers_and_outline_levels(
    tmp_path,
):
    outline = '<w:outlineLvl w:val="{}"/>'
    body = (
        para("1\tScope", props=outline.format(0))
        + para("Scope text.")
        + para("1.1\tDetail", props=outline.format(1))
        + para("Detail text.")
    )
    doc = read_spec(make_docx(tmp_path / "bare.docx", body, styles=None, numbering=None))
    assert clause_texts(doc) == {"1": ["Scope text."], "1.1": ["Detail text."]}


def test_a_package_without_numbering_keeps_its_heading_styles(tmp_path):
    body = heading("1\tScope") + para("Scope text.") + item("7\tnot a list item")
    doc = read_spec(make_docx(tmp_path / "nonum.docx", body, numbering=None))
    assert clause_texts(doc) == {"1": ["Scope text.", "7 not a list item"]}


# --- end to end --------------------------------------------------------------------------


def _sym(char: str) -> dict:
    return {"body": heading("T") + para(f'<w:r><w:sym w:char="{char}"/></w:r>')}


END_TO_END = {
    "surrogate-symbol": (_sym("D800"), "w:sym w:char 'D800' is not a character of text"),
    "non-numeric-level": (
        {"body": heading("T") + item("x", "abc")},
        "paragraph 2: w:ilvl 'abc' is not a whole number from 0 to 8",
    ),
    "missing-styles-part": (
        {"rels": relationships(styles="gone.xml")},
        "relates word/document.xml to word/gone.xml, which is not in the archive",
    ),
    "huge-grid-span": (
        {"body": heading("T") + table([cell("x", '<w:gridSpan w:val="60000000"/>')])},
        f"w:gridSpan '60000000' is not a whole number from 1 to {GRID_SPAN}",
    ),
    "deep-hyperlinks": (
        {"body": heading("T") + para("<w:hyperlink>" * 1000 + run("x") + "</w:hyperlink>" * 1000)},
        "elements nest deeper than 256 levels; refused",
    ),
}


IMPORT_OPTIONS = ["--doc", "SMETS", "--edition", "4.2", "--json"]


@pytest.mark.parametrize("case", [*sorted(END_TO_END), "lying-member"])
def test_the_command_line_prints_one_error_line_and_exits_2(tmp_path, case):
    if case == "lying-member":
        path = make_lying_docx(tmp_path / "case.docx", real=64 << 20, declared=1000)
        expected = "word/document.xml is damaged"
    else:
        build, expected = END_TO_END[case]
        path = make_docx(tmp_path / "case.docx", **build)
    done = subprocess.run(
        [sys.executable, "-m", "spectrace", "import", "spec", str(path), *IMPORT_OPTIONS],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    lines = done.stderr.splitlines()
    assert done.returncode == 2, done.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr[-2000:]
    assert expected in lines[0] and "case.docx" in lines[0]
    assert done.stdout == ""


# --- IRPs --------------------------------------------------------------------------------


def test_an_irp_instruction_number_too_long_for_a_change_number_is_refused(tmp_path):
    """Instructions take their change numbers from their list labels: "99999991." is none."""
    source = FIXTURES / "IRP603.docx"
    path = tmp_path / "irp.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/numbering.xml":
                data = data.replace(b'w:val="%1."', b'w:val="9999999%1."', 1)
            zout.writestr(info, data)
    with pytest.raises(ReadError) as caught:
        read_docx_irp(path)
    assert "change number 99999991 is not a change number" in str(caught.value)
    assert str(caught.value).startswith("irp.docx: paragraph ")
