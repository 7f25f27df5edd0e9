"""Word automatic numbering: the labels Word shows for headings and list items.

Each test builds a small ``numbering.xml`` (and, where styles matter, ``styles.xml``) with lxml
and reads labels from :class:`Numbering` in document order, the way the Word reader does.
"""

from __future__ import annotations

import pytest
from lxml import etree

from spectrace.readers.docx.numbering import Numbering
from spectrace.readers.docx.styles import Styles
from spectrace.text import format_number

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# --- builders -------------------------------------------------------------------------------


def lvl(
    ilvl: int,
    fmt: str = "decimal",
    text: str | None = None,
    *,
    start: int | None = 1,
    restart: int | None = None,
    style: str | None = None,
    legal: bool = False,
) -> str:
    """One ``w:lvl``; children in schema order (start, numFmt, lvlRestart, pStyle, isLgl, ...)."""
    text = f"%{ilvl + 1}." if text is None else text
    return (
        f'<w:lvl w:ilvl="{ilvl}">'
        + (f'<w:start w:val="{start}"/>' if start is not None else "")
        + f'<w:numFmt w:val="{fmt}"/>'
        + (f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else "")
        + (f'<w:pStyle w:val="{style}"/>' if style else "")
        + ("<w:isLgl/>" if legal else "")
        + f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
    )


def abstract(abstract_id: str, *content: str) -> str:
    return f'<w:abstractNum w:abstractNumId="{abstract_id}">{"".join(content)}</w:abstractNum>'


def num(num_id: str, abstract_id: str, *overrides: str) -> str:
    return (
        f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
        f"{''.join(overrides)}</w:num>"
    )


def start_override(ilvl: int, start: int) -> str:
    return f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'


def paragraph_style(
    style_id: str,
    name: str | None = None,
    *,
    based_on: str | None = None,
    num_id: str | None = None,
    ilvl: int | None = None,
    kind: str = "paragraph",
) -> str:
    num_pr = ""
    if num_id is not None or ilvl is not None:
        num_pr = (
            "<w:pPr><w:numPr>"
            + (f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else "")
            + (f'<w:numId w:val="{num_id}"/>' if num_id is not None else "")
            + "</w:numPr></w:pPr>"
        )
    return (
        f'<w:style w:type="{kind}" w:styleId="{style_id}">'
        f'<w:name w:val="{name or style_id}"/>'
        + (f'<w:basedOn w:val="{based_on}"/>' if based_on else "")
        + num_pr
        + "</w:style>"
    )


def make_styles(*styles: str) -> Styles:
    return Styles(etree.fromstring(f'<w:styles xmlns:w="{W_NS}">{"".join(styles)}</w:styles>'))


def make_numbering(*parts: str, styles: Styles | None = None) -> Numbering:
    root = etree.fromstring(f'<w:numbering xmlns:w="{W_NS}">{"".join(parts)}</w:numbering>')
    return Numbering(root, styles if styles is not None else Styles())


def labels(numbering: Numbering, *steps: tuple[str, int]) -> list[str]:
    """The labels of paragraphs numbered (numId, ilvl), one after another."""
    return [numbering.next_label(num_id, ilvl) for num_id, ilvl in steps]


HEADINGS = abstract(
    "0",
    lvl(0, text="%1", style="Heading1"),
    lvl(1, text="%1.%2", style="Heading2"),
    lvl(2, text="%1.%2.%3", style="Heading3"),
    lvl(3, text="%1.%2.%3.%4", style="Heading4"),
)


# --- multilevel heading numbers -------------------------------------------------------------


def test_multilevel_heading_list_gives_dotted_decimal_labels():
    numbering = make_numbering(HEADINGS, num("1", "0"))
    steps = [("1", 0), ("1", 1), ("1", 2), ("1", 2), ("1", 3), ("1", 1), ("1", 0), ("1", 1)]
    assert labels(numbering, *steps) == ["1", "1.1", "1.1.1", "1.1.2", "1.1.2.1", "1.2", "2", "2.1"]


def test_advancing_a_level_restarts_every_deeper_level():
    numbering = make_numbering(HEADINGS, num("1", "0"))
    labels(numbering, ("1", 0), ("1", 1), ("1", 1), ("1", 2), ("1", 2), ("1", 3))
    # 1.2.2.1 so far; a new section restarts its subsections and their subsections
    assert labels(numbering, ("1", 0), ("1", 1), ("1", 2), ("1", 3)) == [
        "2",
        "2.1",
        "2.1.1",
        "2.1.1.1",
    ]
    # a new subsection restarts only the levels below it
    assert labels(numbering, ("1", 1), ("1", 2)) == ["2.2", "2.2.1"]


def test_each_placeholder_is_written_in_its_own_level_format():
    numbering = make_numbering(
        abstract("0", lvl(0, "upperLetter", "%1."), lvl(1, "lowerRoman", "%1.%2")),
        num("1", "0"),
    )
    assert labels(numbering, ("1", 0), ("1", 1), ("1", 1), ("1", 0), ("1", 1)) == [
        "A.",
        "A.i",
        "A.ii",
        "B.",
        "B.i",
    ]


# --- number formats -------------------------------------------------------------------------


def test_lower_roman_list_counts_i_ii_iii_iv():
    numbering = make_numbering(abstract("1", lvl(0, "lowerRoman", "%1.")), num("2", "1"))
    assert labels(numbering, *[("2", 0)] * 4) == ["i.", "ii.", "iii.", "iv."]


def test_lower_letter_list_goes_past_z_to_aa_bb():
    numbering = make_numbering(
        abstract("1", lvl(0, "lowerLetter", "(%1)", start=25)), num("2", "1")
    )
    assert labels(numbering, *[("2", 0)] * 4) == ["(y)", "(z)", "(aa)", "(bb)"]


def test_upper_roman_list_starts_at_its_start_value():
    numbering = make_numbering(abstract("1", lvl(0, "upperRoman", "%1.", start=8)), num("2", "1"))
    assert labels(numbering, *[("2", 0)] * 3) == ["VIII.", "IX.", "X."]


def test_decimal_zero_pads_single_digits_only():
    numbering = make_numbering(abstract("1", lvl(0, "decimalZero", "%1", start=9)), num("2", "1"))
    assert labels(numbering, *[("2", 0)] * 2) == ["09", "10"]


def test_level_without_start_or_format_counts_decimal_from_one():
    numbering = make_numbering(
        abstract("1", '<w:lvl w:ilvl="0"><w:lvlText w:val="%1)"/></w:lvl>'), num("2", "1")
    )
    assert labels(numbering, ("2", 0), ("2", 0)) == ["1)", "2)"]


def test_bullet_level_returns_its_bullet_text_every_time():
    numbering = make_numbering(
        abstract("1", lvl(0, "bullet", "\uf0b7"), lvl(1, "bullet", "o")), num("2", "1")
    )
    assert labels(numbering, ("2", 0), ("2", 0), ("2", 1)) == ["\uf0b7", "\uf0b7", "o"]


# --- list instances and overrides -----------------------------------------------------------

ROMAN_LIST = abstract("1", lvl(0, "lowerRoman", "%1."), lvl(1, "lowerLetter", "(%2)"))


def test_second_num_on_the_same_abstract_without_override_continues_the_list():
    numbering = make_numbering(ROMAN_LIST, num("2", "1"), num("3", "1"))
    assert labels(numbering, ("2", 0), ("2", 0), ("3", 0), ("2", 0)) == [
        "i.",
        "ii.",
        "iii.",
        "iv.",
    ]


def test_num_with_start_override_restarts_the_list_once():
    numbering = make_numbering(
        ROMAN_LIST, num("2", "1"), num("3", "1"), num("4", "1", start_override(0, 1))
    )
    assert labels(numbering, ("2", 0), ("2", 0), ("3", 0)) == ["i.", "ii.", "iii."]
    # the overriding instance restarts at its first paragraph, then counts on
    assert labels(numbering, ("4", 0), ("4", 0), ("4", 0)) == ["i.", "ii.", "iii."]


def test_start_override_sets_the_first_value_and_restarts_deeper_levels():
    numbering = make_numbering(ROMAN_LIST, num("2", "1"), num("4", "1", start_override(0, 5)))
    assert labels(numbering, ("2", 0), ("2", 1), ("2", 1)) == ["i.", "(a)", "(b)"]
    assert labels(numbering, ("4", 0), ("4", 1)) == ["v.", "(a)"]


def test_level_override_with_a_whole_lvl_replaces_that_level_for_its_num_only():
    override = f'<w:lvlOverride w:ilvl="0">{lvl(0, "upperLetter", "[%1]", start=3)}</w:lvlOverride>'
    parts = (ROMAN_LIST, num("2", "1"), num("5", "1", override))
    # the overriding lvl brings its own format, text and start; level 1 is still the abstract's
    assert labels(make_numbering(*parts), ("5", 0), ("5", 0), ("5", 1)) == ["[C]", "[D]", "(a)"]
    # the abstract definition itself is unchanged for the instance without the override
    assert labels(make_numbering(*parts), ("2", 0), ("2", 0)) == ["i.", "ii."]


# --- restarting deeper levels ---------------------------------------------------------------


def test_lvl_restart_zero_means_the_level_never_restarts():
    numbering = make_numbering(
        abstract("1", lvl(0, "decimal", "%1."), lvl(1, "lowerLetter", "%2)", restart=0)),
        num("2", "1"),
    )
    steps = [("2", 0), ("2", 1), ("2", 1), ("2", 0), ("2", 1)]
    assert labels(numbering, *steps) == ["1.", "a)", "b)", "2.", "c)"]


def test_lvl_restart_one_restarts_only_after_the_first_level():
    numbering = make_numbering(
        abstract(
            "1",
            lvl(0, "decimal", "%1."),
            lvl(1, "decimal", "%1.%2."),
            lvl(2, "lowerLetter", "%3)", restart=1),
        ),
        num("2", "1"),
    )
    steps = [("2", 0), ("2", 1), ("2", 2), ("2", 2), ("2", 1), ("2", 2), ("2", 0), ("2", 2)]
    assert labels(numbering, *steps) == ["1.", "1.1.", "a)", "b)", "1.2.", "c)", "2.", "a)"]


def test_is_lgl_writes_every_placeholder_in_decimal():
    numbering = make_numbering(
        abstract(
            "1",
            lvl(0, "upperRoman", "Article %1"),
            lvl(1, "decimal", "%1.%2", legal=True),
        ),
        num("2", "1"),
    )
    steps = [("2", 0), ("2", 0), ("2", 1), ("2", 1)]
    assert labels(numbering, *steps) == ["Article I", "Article II", "2.1", "2.2"]


# --- which paragraphs are numbered ----------------------------------------------------------


def test_num_id_zero_switches_numbering_off_even_when_the_style_numbers():
    styles = make_styles(paragraph_style("Heading2", "heading 2", num_id="1", ilvl=1))
    numbering = make_numbering(HEADINGS, num("1", "0"), styles=styles)
    assert numbering.resolve("Heading2", None, None) == ("1", 1)
    assert numbering.resolve("Heading2", "0", None) is None
    assert numbering.resolve(None, "0", 0) is None


def test_unknown_num_id_and_unnumbered_style_give_no_numbering():
    styles = make_styles(paragraph_style("Normal", "Normal"))
    numbering = make_numbering(HEADINGS, num("1", "0"), styles=styles)
    assert numbering.resolve("Normal", None, None) is None
    assert numbering.resolve("Normal", "42", 0) is None


def test_direct_numbering_wins_over_the_style_numbering():
    styles = make_styles(paragraph_style("Heading1", "heading 1", num_id="1"))
    numbering = make_numbering(HEADINGS, ROMAN_LIST, num("1", "0"), num("2", "1"), styles=styles)
    assert numbering.resolve("Heading1", "2", 1) == ("2", 1)


def test_paragraph_without_ilvl_takes_the_level_its_style_is_linked_from():
    styles = make_styles(
        paragraph_style("Heading1", "heading 1", num_id="1"),
        paragraph_style("Heading3", "heading 3", num_id="1"),
    )
    numbering = make_numbering(HEADINGS, num("1", "0"), styles=styles)
    assert numbering.resolve("Heading1", None, None) == ("1", 0)
    assert numbering.resolve("Heading3", None, None) == ("1", 2)
    # an explicit ilvl on the paragraph still wins
    assert numbering.resolve("Heading3", None, 1) == ("1", 1)


def test_numbering_is_inherited_through_the_based_on_chain():
    styles = make_styles(
        paragraph_style("Normal", "Normal"),
        paragraph_style("Heading2", "heading 2", based_on="Normal", num_id="1", ilvl=1),
        paragraph_style("SpecHeading", "Spec Heading", based_on="Heading2"),
        paragraph_style("AnnexHeading", "Annex Heading", based_on="SpecHeading"),
    )
    numbering = make_numbering(HEADINGS, num("1", "0"), styles=styles)
    assert numbering.resolve("AnnexHeading", None, None) == ("1", 1)
    assert labels(numbering, ("1", 0), numbering.resolve("AnnexHeading", None, None)) == [
        "1",
        "1.1",
    ]


def test_based_on_cycle_does_not_hang():
    styles = make_styles(
        paragraph_style("A", based_on="B"),
        paragraph_style("B", based_on="A", num_id="1", ilvl=2),
    )
    numbering = make_numbering(HEADINGS, num("1", "0"), styles=styles)
    assert numbering.resolve("A", None, None) == ("1", 2)


# --- numbering styles (numStyleLink / styleLink) --------------------------------------------

# abstractNum 20 only refers to the list style "MyList"; abstractNum 21 defines it (styleLink)
# and holds the real levels; the style's numPr names numId 8, an instance of abstractNum 21.
LINKED_ABSTRACTS = (
    abstract("20", '<w:numStyleLink w:val="MyList"/>'),
    abstract(
        "21",
        '<w:styleLink w:val="MyList"/>',
        lvl(0, "upperLetter", "%1."),
        lvl(1, "lowerRoman", "%1.%2"),
    ),
    num("7", "20"),
    num("8", "21"),
)


def test_num_style_link_leads_to_the_levels_of_the_linked_list_style():
    styles = make_styles(paragraph_style("MyList", "My List", num_id="8"))
    numbering = make_numbering(*LINKED_ABSTRACTS, styles=styles)
    assert labels(numbering, ("7", 0), ("7", 1), ("7", 1), ("7", 0)) == ["A.", "A.i", "A.ii", "B."]


def test_lists_reached_through_a_style_link_share_one_counter():
    styles = make_styles(paragraph_style("MyList", "My List", num_id="8"))
    numbering = make_numbering(*LINKED_ABSTRACTS, styles=styles)
    assert labels(numbering, ("7", 0), ("8", 0), ("7", 0)) == ["A.", "B.", "C."]


def test_num_style_link_to_a_numbering_type_style_is_followed():
    styles = make_styles(paragraph_style("MyList", "My List", num_id="8", kind="numbering"))
    numbering = make_numbering(*LINKED_ABSTRACTS, styles=styles)
    assert labels(numbering, ("7", 0), ("7", 1)) == ["A.", "A.i"]


def test_num_style_link_to_an_unknown_style_falls_back_to_the_empty_reference():
    numbering = make_numbering(*LINKED_ABSTRACTS, styles=make_styles())
    # the referring abstract has no levels of its own: no label, but no crash either
    assert numbering.next_label("7", 0) == ""


# --- format_number --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (1, "decimal", "1"),
        (12, "decimal", "12"),
        (4, "lowerRoman", "iv"),
        (9, "lowerRoman", "ix"),
        (1994, "upperRoman", "MCMXCIV"),
        (1, "lowerLetter", "a"),
        (26, "lowerLetter", "z"),
        (27, "lowerLetter", "aa"),
        (28, "lowerLetter", "bb"),
        (53, "lowerLetter", "aaa"),
        (27, "upperLetter", "AA"),
        (3, "decimalZero", "03"),
        (10, "decimalZero", "10"),
        (5, "none", ""),
        (5, "ordinal", "5"),  # formats without their own rendering fall back to decimal
    ],
)
def test_format_number_writes_value_in_the_ooxml_format(value, fmt, expected):
    assert format_number(value, fmt) == expected


def test_format_number_keeps_zero_and_negative_decimals():
    assert format_number(0, "decimal") == "0"
    assert format_number(-3, "decimal") == "-3"
    assert format_number(0, "decimalZero") == "00"


@pytest.mark.parametrize("fmt", ["lowerRoman", "upperRoman", "lowerLetter", "upperLetter"])
@pytest.mark.parametrize("value", [0, -1, -40])
def test_format_number_gives_a_label_not_an_error_for_zero_or_negative(value, fmt):
    label = format_number(value, fmt)
    assert label
    assert label.isalpha()
