"""The Word writer: clean and redline .docx files of an amended edition.

Every file is read back through spectrace's own Word reader: the clean file and the redline
(read with its changes accepted, as the reader does) give the amended edition, and the redline
with every change rejected gives the base edition. Accepting every change in the redline gives
the clean file's text paragraph by paragraph, and each change names its IRP and the IRP's date.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from spectrace.api import amend_project, load_project_documents, project_proposals
from spectrace.config import load_project
from spectrace.model import (
    BULLET,
    Block,
    BlockKind,
    Clause,
    Document,
    GlossaryEntry,
    Proposal,
    Revision,
    RevisionLine,
)
from spectrace.readers.docx.spec import read_docx_spec
from spectrace.transforms.marks import mark_edition, mark_glossary
from spectrace.writers.docx import edition_path, write_docx, write_editions
from tests.conftest import PROJECT_ROOT

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
SENTENCE = (
    "ESME shall not provide any information from the Security Log (5.7.5.31) to Type 1 "
    "Devices or Type 2 Devices."
)
CHTS_SENTENCE = (
    "Neither the GPF nor the CHF shall provide any information from the GSME Security Log, "
    "the GPF Security Log (4.6.3.11) or the CHF Security Log (4.6.3.5) to Type 1 Devices or "
    "Type 2 Devices."
)
GSME_SECURITY_LOG = (
    "GSME Security Log",
    "The information held on GSME as described at section 4 in the Smart Metering Equipment "
    "Technical Specifications.",
)


# Helpers: the shape of a document, and a redline with its changes accepted or rejected --------


def shape(document: Document) -> dict:
    """Return what a Word file can carry of a document: everything but statements (a Word
    import allocates them afresh) and where things were read from."""
    return {
        "title": document.title,
        "subtitle": document.subtitle,
        "front_matter": document.front_matter,
        "clauses": [
            (
                c.number,
                c.title,
                c.level,
                [(b.kind, b.text, b.label, b.level, b.rows, b.header_rows) for b in c.blocks],
            )
            for c in document.clauses
        ],
        "glossary": [(e.term, e.definition) for e in document.glossary],
        "glossary_clause": document.glossary_clause,
    }


def read_back(path: Path, document: Document) -> dict:
    return shape(read_docx_spec(path, document.name, document.edition))


def body_of(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def _is_mark(element: etree._Element) -> bool:
    """Return whether a w:ins/w:del marks a paragraph mark or a table row (not runs)."""
    return element.getparent().tag in (W + "rPr", W + "trPr")


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def _paragraph_mark(p: etree._Element, tag: str) -> etree._Element | None:
    return p.find(f"{W}pPr/{W}rPr/{W}{tag}")


def _join_marked_paragraphs(root: etree._Element, tag: str) -> None:
    """Remove the paragraph marks marked ``tag`` as accepting (w:del) or rejecting (w:ins)
    them does: an emptied paragraph goes; one with text is joined to the next paragraph,
    keeping its own properties and taking over the next paragraph's mark."""
    for p in list(root.iter(W + "p")):
        if p.getparent() is None:
            continue
        while _paragraph_mark(p, tag) is not None:
            content = [child for child in p if child.tag != W + "pPr"]
            following = p.getnext()
            if not "".join(p.itertext()).strip() and not content:
                p.getparent().remove(p)
                break
            assert following is not None and following.tag == W + "p", "a mark joins paragraphs"
            mark = _paragraph_mark(p, tag)
            mark.getparent().remove(mark)
            for child in [c for c in following if c.tag != W + "pPr"]:
                p.append(child)
            for kind in ("ins", "del"):
                carried = _paragraph_mark(following, kind)
                if carried is not None:
                    p.find(f"{W}pPr").append(etree.Element(W + "rPr"))
                    p.find(f"{W}pPr")[-1].append(carried)
            following.getparent().remove(following)


def review(path: Path, out: Path, *, accept: bool) -> Path:
    """Write ``out``: the redline ``path`` with every change accepted, or every one rejected."""
    root = body_of(path)
    gone, kept = ("del", "ins") if accept else ("ins", "del")
    for row in [tr for tr in root.iter(W + "tr") if tr.find(f"{W}trPr/{W}{gone}") is not None]:
        row.getparent().remove(row)
    for element in list(root.iter(W + gone)):
        if element.getparent() is not None and not _is_mark(element):
            element.getparent().remove(element)
    for element in list(root.iter(W + kept)):
        if _is_mark(element):
            element.getparent().remove(element)
        else:
            _unwrap(element)
    for deleted in root.iter(W + "delText"):
        deleted.tag = W + "t"
    _join_marked_paragraphs(root, gone)
    for table in [t for t in root.iter(W + "tbl") if t.find(W + "tr") is None]:
        table.getparent().remove(table)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            target.writestr(info, data)
    return out


def paragraph_texts(path: Path) -> list[str]:
    """Return the text of every paragraph of the body, table cells included, in order."""
    root = body_of(path)
    return ["".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p")]


def changes(path: Path) -> list[etree._Element]:
    root = body_of(path)
    return [e for tag in ("ins", "del") for e in root.iter(W + tag)]


# The bundled project: SMETS 4.2 and CHTS 1.3 amended by IRP603 ---------------------------------


@pytest.fixture(scope="module")
def bundled():
    project = load_project(PROJECT_ROOT)
    documents = load_project_documents(project)
    proposals = project_proposals(project)
    amendment = amend_project(project, documents, proposals)
    assert not amendment.problems
    return documents, amendment, proposals


@pytest.fixture(scope="module")
def editions(bundled, tmp_path_factory):
    """{name: (base, amended, clean path, redline path)} for SMETS and CHTS."""
    documents, amendment, proposals = bundled
    folder = tmp_path_factory.mktemp("docx")
    result = {}
    for base, amended in zip(documents, amendment.documents, strict=True):
        clean, redline = write_editions(base, amended, amendment.revisions, proposals, folder)
        result[amended.name] = (base, amended, clean, redline)
    return result


NAMES = ["SMETS", "CHTS"]


def test_write_editions_names_the_clean_file_and_the_redline(editions):
    assert editions["SMETS"][2].name == "SMETS 4.2+IRP603.docx"
    assert editions["SMETS"][3].name == "SMETS 4.2+IRP603 redline.docx"
    assert editions["CHTS"][3].name == "CHTS 1.3+IRP603 redline.docx"
    leftovers = [p.name for p in editions["SMETS"][2].parent.iterdir() if p.suffix != ".docx"]
    assert leftovers == []


@pytest.mark.parametrize("name", NAMES)
def test_clean_file_reads_back_as_the_amended_edition(editions, name):
    _, amended, clean, _ = editions[name]
    assert read_back(clean, amended) == shape(amended)


@pytest.mark.parametrize("name", NAMES)
def test_redline_read_with_changes_accepted_is_the_amended_edition(editions, name):
    _, amended, _, redline = editions[name]
    assert read_back(redline, amended) == shape(amended)


@pytest.mark.parametrize("name", NAMES)
def test_redline_with_every_change_rejected_is_the_base_edition(editions, name, tmp_path):
    base, _, _, redline = editions[name]
    rejected = review(redline, tmp_path / "rejected.docx", accept=False)
    assert read_back(rejected, base) == shape(base)


@pytest.mark.parametrize("name", NAMES)
def test_accepting_every_change_gives_the_clean_text(editions, name, tmp_path):
    _, _, clean, redline = editions[name]
    accepted = review(redline, tmp_path / "accepted.docx", accept=True)
    assert paragraph_texts(accepted) == paragraph_texts(clean)
    assert changes(accepted) == []


@pytest.mark.parametrize("name", NAMES)
def test_every_change_is_by_irp603_on_its_date(editions, name):
    marks = changes(editions[name][3])
    assert marks
    assert {(e.get(W + "author"), e.get(W + "date")) for e in marks} == {
        ("IRP603", "2019-07-11T00:00:00Z")
    }
    ids = [e.get(W + "id") for e in marks]
    assert len(set(ids)) == len(ids)


def test_clean_file_has_no_changes_and_does_not_track(editions):
    clean, redline = editions["SMETS"][2], editions["SMETS"][3]
    assert changes(clean) == []
    with zipfile.ZipFile(clean) as a, zipfile.ZipFile(redline) as b:
        assert b"trackRevisions" not in a.read("word/settings.xml")
        assert b"<w:trackRevisions/>" in b.read("word/settings.xml")


def _inserted_runs(path: Path) -> list[str]:
    root = body_of(path)
    return [
        "".join(t.text for t in e.iter(W + "t")).strip()
        for e in root.iter(W + "ins")
        if not _is_mark(e)
    ]


def test_redline_marks_exactly_the_irp603_changes(editions):
    smets, chts = editions["SMETS"][3], editions["CHTS"][3]
    assert _inserted_runs(smets) == ["only", "only", SENTENCE, SENTENCE]
    assert _inserted_runs(chts) == [CHTS_SENTENCE, *GSME_SECURITY_LOG]
    for path in (smets, chts):
        assert [e for e in body_of(path).iter(W + "del")] == []
    rows = [tr for tr in body_of(chts).iter(W + "tr") if tr.find(f"{W}trPr/{W}ins") is not None]
    assert len(rows) == 1
    assert ["".join(tc.itertext()) for tc in rows[0].iter(W + "tc")] == list(GSME_SECURITY_LOG)
    # One marked paragraph mark per new paragraph, none elsewhere.
    marked = [p for p in body_of(smets).iter(W + "p") if _paragraph_mark(p, "ins") is not None]
    assert len(marked) == 2


def test_same_inputs_give_the_same_bytes(bundled, tmp_path):
    documents, amendment, proposals = bundled
    first = write_editions(
        documents[0], amendment.documents[0], amendment.revisions, proposals, tmp_path / "a"
    )
    second = write_editions(
        documents[0], amendment.documents[0], amendment.revisions, proposals, tmp_path / "b"
    )
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes()
        with zipfile.ZipFile(one) as archive:
            infos = archive.infolist()
        assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert infos[0].filename == "[Content_Types].xml"


def test_headings_are_numbered_by_word_not_typed(editions):
    root = body_of(editions["SMETS"][2])
    headings = [
        p for p in root.iter(W + "p")
        if (p.find(f"{W}pPr/{W}pStyle") is not None
            and p.find(f"{W}pPr/{W}pStyle").get(W + "val").startswith("Heading"))
    ]  # fmt: skip
    texts = ["".join(p.itertext()) for p in headings]
    assert "Type 1 Devices and Type 2 Device information provision" in texts
    assert not any(text.startswith("5.6.1") for text in texts)
    # Part A / Part B switch numbering off, as in the source.
    part = headings[texts.index("Part A: Single Element ESME")]
    assert part.find(f"{W}pPr/{W}numPr/{W}numId").get(W + "val") == "0"


# Synthetic documents ----------------------------------------------------------------------------


def _para(text: str) -> Block:
    return Block(BlockKind.PARAGRAPH, text)


def _item(label: str, text: str, level: int = 0) -> Block:
    return Block(BlockKind.LIST_ITEM, text, label=label, level=level)


def _table(rows: list[list[str]], header_rows: int = 1) -> Block:
    text = " ".join(cell for row in rows for cell in row if cell)
    return Block(BlockKind.TABLE, text, rows=rows, header_rows=header_rows)


def test_xml_special_characters_are_escaped_and_read_back(tmp_path):
    nasty = "ESME shall <script>alert(\"x\")</script> & log 'it' ]]> <w:p/>"
    document = Document(
        "SMETS",
        "1",
        title="Title & <b>",
        front_matter=['Notice "quoted" <i>'],
        clauses=[
            Clause("1", '<script>&"', 1, [_para(nasty), _item("i.", "a < b & c")]),
            Clause("2", "Glossary", 1),
        ],
        glossary=[GlossaryEntry("A&B <x>", 'Means "<y>" & z.')],
        glossary_clause="2",
    )
    path = tmp_path / "nasty.docx"
    write_docx(document, path)
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "<script>" not in xml and "&lt;script&gt;" in xml and "<b>" not in xml
    etree.fromstring(xml.encode("utf-8"))
    assert read_back(path, document) == shape(document)


def test_characters_xml_cannot_hold_are_dropped(tmp_path):
    document = Document("SMETS", "1", clauses=[Clause("1", "Bell\x07", 1, [_para("a\x00b\x1f")])])
    path = tmp_path / "control.docx"
    write_docx(document, path)
    back = read_docx_spec(path, "SMETS", "1")
    assert (back.clauses[0].title, back.clauses[0].blocks[0].text) == ("Bell", "ab")


NUMBERED = Document(
    "SMETS",
    "9",
    title="Numbering",
    clauses=[
        Clause("3", "Starts at three", 1, [_para("Body.")]),
        Clause("3.1", "One", 2),
        Clause("3.4", "Skips two", 2),
        Clause(None, "Part A: Single Element ESME", 2),
        Clause("3.5", "After the part", 2),
        Clause("3.5.2", "Starts at two", 3),
        Clause("3.5.2.1", "Deep", 4),
        Clause("3.5.3", "Next", 3),
        Clause("5.2.1", "Parents missing", 3),
        Clause("5.2.2", "Sibling", 3),
        Clause("5.3", "Parent after", 2),
        Clause("7", "Seven", 1),
        Clause("7.1.1.1.1.1", "Six levels", 6),
        Clause(None, "Annex A", 1),
        Clause("A.1", "Annex clause", 2),
        Clause("A.2", "Annex clause", 2),
        Clause("A.2.1", "Annex sub-clause", 3),
        Clause("8", "Back to numbers", 1),
        Clause("8.1", "Part", 2),
    ],
)


def test_clause_numbers_with_gaps_starts_missing_parents_and_annexes_read_back(tmp_path):
    path = tmp_path / "numbers.docx"
    write_docx(NUMBERED, path)
    assert read_back(path, NUMBERED) == shape(NUMBERED)


LISTS = Document(
    "SMETS",
    "9",
    clauses=[
        Clause(
            "1",
            "Lists",
            1,
            [
                _para("Roman, with a nested lettered list and a bullet:"),
                _item("i.", "one"),
                _item("ii.", "two"),
                _item("(a)", "two a", 1),
                _item("(b)", "two b", 1),
                _item(BULLET, "bullet", 2),
                _item("iii.", "three"),
                _item("(a)", "three a: the letters restart", 1),
                _item("iv.", "four"),
                _item("v.", "five: 'v' alone is ambiguous"),
                _para("A list that starts at iii. and one of numbers with a gap:"),
                _item("iii.", "three"),
                _item("iv.", "four"),
                _para("Between."),
                _item("1)", "one"),
                _item("3)", "three"),
                _item("A.", "capital"),
                _item("Note", "a label of no style"),
                _item(BULLET, "a bullet list"),
                _item(BULLET, "continues"),
            ],
        ),
        Clause(
            "2",
            "Tables",
            1,
            [
                _table([["Data item", "Annotation"], ["Unit", "Note"], ["Log", ""], ["a", "b"]], 2),
                _table([["x", "y", "z"], ["1", "", "3"]], 0),
                _para("After the tables."),
                _table([["Term", "Meaning of it"], ["p", "q"]], 1),
            ],
        ),
    ],
    glossary=[GlossaryEntry("Alpha", "First."), GlossaryEntry("Beta", "Second.")],
)


def test_lists_tables_and_a_glossary_without_its_clause_read_back(tmp_path):
    path = tmp_path / "lists.docx"
    write_docx(LISTS, path)
    expected = shape(LISTS)
    expected["glossary_clause"] = "2"  # the table goes after the last clause
    assert read_back(path, LISTS) == expected


_LABEL_STYLES = [
    lambda n: f"{n}.",
    lambda n: f"{n})",
    lambda n: f"({chr(96 + n)})",
    lambda n: f"{'i ii iii iv v vi vii viii ix x'.split()[n - 1]}.",
    lambda n: BULLET,
]


@st.composite
def _documents(draw) -> Document:
    """Documents with arbitrary heading levels and numbers that may skip or restart."""
    counters = [0] * 9
    clauses = []
    for _ in range(draw(st.integers(1, 12))):
        level = draw(st.integers(1, 4))
        if draw(st.booleans()) and draw(st.booleans()):
            clauses.append(Clause(None, "Part", level))
            continue
        counters[level - 1] += draw(st.sampled_from([1, 1, 1, 2, 5]))
        counters[level:] = [0] * (9 - level)
        parts = [max(c, 1) for c in counters[:level]]
        blocks = []
        for _ in range(draw(st.integers(0, 2))):
            style = draw(st.sampled_from(_LABEL_STYLES))
            start = draw(st.integers(1, 3))
            blocks += [_item(style(start + k), f"item {k}") for k in range(draw(st.integers(1, 3)))]
            blocks.append(_para("Text."))
        clauses.append(Clause(".".join(map(str, parts)), f"Clause {len(clauses)}", level, blocks))
    return Document("SYN", "1", clauses=clauses)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=_documents())
def test_any_numbering_reads_back(tmp_path, document):
    if not any(clause.number for clause in document.clauses):
        document.clauses.append(Clause("1", "Numbered", 1))
    path = tmp_path / "any.docx"
    write_docx(document, path)
    assert read_back(path, document) == shape(document)


# Redlines of synthetic amendments -----------------------------------------------------------------


def _lines(*cells: tuple[str, ...]) -> list[RevisionLine]:
    return [RevisionLine(line) for line in cells]


def _amendment():
    """A base and amended edition changed by two IRPs, with their revisions."""
    base = Document(
        "SMETS",
        "1",
        clauses=[
            Clause(
                "1",
                "Display",
                1,
                [
                    _para("ESME shall display the data annotated [INFO]."),
                    _item("i.", "the Currency Units;"),
                    _item("ii.", "the Debt Recovery Rates; and"),
                    _item("iii.", "the Meter Balance."),
                    _para("An old closing paragraph."),
                ],
            ),
            Clause(
                "2",
                "Data",
                1,
                [_table([["Item", "Value"], ["Old row", "1"], ["Kept row", "2"]], 1)],
            ),
            Clause("3", "Glossary", 1),
        ],
        glossary=[GlossaryEntry("Alpha", "The first letter."), GlossaryEntry("Beta", "Gone.")],
        glossary_clause="3",
    )
    amended = base.copy()
    amended.edition = "1+IRP1+IRP2"
    amended.clauses[0].blocks = [
        _para("ESME shall only display the Data annotated [INFO]."),
        _item("i.", "the Currency Units; and"),
        _item("ii.", "the Meter Balance."),
        _para("A new paragraph."),
        _para("Another new paragraph."),
    ]
    amended.clauses[1].blocks = [_table([["Item", "Value"], ["Kept row", "2"], ["New row", "3"]])]
    amended.glossary = [
        GlossaryEntry("Alpha", "The first Greek letter."),
        GlossaryEntry("Gamma", "New."),
    ]
    texts = [b.text for b in base.clauses[0].blocks]
    before = _lines(*[(text,) for text in texts])
    middle = _lines((texts[0].replace("data", "Data"),), *[(text,) for text in texts[1:]])
    after = _lines(*[(b.text,) for b in amended.clauses[0].blocks])
    gloss = _lines(("Alpha", "The first letter."), ("Beta", "Gone."))
    greek = ("Alpha", "The first Greek letter.")
    revisions = [
        Revision("IRP1", 1, "SMETS", "1", before, middle),
        Revision("IRP2", 3, "SMETS", "1", middle, after),
        Revision("IRP2", 4, "SMETS", "2",
                 _lines(("Item", "Value"), ("Old row", "1"), ("Kept row", "2")),
                 _lines(("Item", "Value"), ("Kept row", "2"), ("New row", "3"))),
        Revision("IRP1", 2, "SMETS", "Glossary", gloss,
                 _lines(greek, ("Beta", "Gone."), ("Gamma", "New."))),
        Revision("IRP2", 5, "SMETS", "Glossary",
                 _lines(greek, ("Beta", "Gone."), ("Gamma", "New.")),
                 _lines(greek, ("Gamma", "New."))),
    ]  # fmt: skip
    proposals = {"IRP1": Proposal("IRP1", date="2020-01-02"), "IRP2": Proposal("IRP2")}
    return base, amended, revisions, proposals


def write_redline(path, base, amended, revisions, proposals=None):
    """Write ``amended`` to ``path`` as a redline of its ``revisions`` against ``base``."""
    write_docx(
        amended,
        path,
        clauses=mark_edition(base, amended, revisions),
        glossary=mark_glossary(base, amended, revisions),
        proposals=proposals,
    )
    return path


@pytest.fixture
def synthetic(tmp_path):
    base, amended, revisions, proposals = _amendment()
    clean = tmp_path / "clean.docx"
    redline = tmp_path / "redline.docx"
    write_docx(amended, clean)
    write_redline(redline, base, amended, revisions, proposals)
    return base, amended, clean, redline


def test_synthetic_redline_accepts_to_the_amended_and_rejects_to_the_base(synthetic, tmp_path):
    base, amended, clean, redline = synthetic
    assert read_back(redline, amended) == shape(amended)
    assert read_back(clean, amended) == shape(amended)
    rejected = review(redline, tmp_path / "rejected.docx", accept=False)
    assert read_back(rejected, base) == shape(base)
    accepted = review(redline, tmp_path / "accepted.docx", accept=True)
    assert paragraph_texts(accepted) == paragraph_texts(clean)


def _authors(path: Path) -> dict[str, set[tuple[str, str, str]]]:
    """Return {text: {(change, author, date)}} for every run-level change."""
    found: dict[str, set] = {}
    for element in changes(path):
        if _is_mark(element):
            continue
        text = "".join(t.text for t in element.iter(W + "t", W + "delText")).strip()
        tag = etree.QName(element).localname
        found.setdefault(text, set()).add((tag, element.get(W + "author"), element.get(W + "date")))
    return found


def test_two_irps_changing_one_clause_are_each_credited(synthetic):
    found = _authors(synthetic[3])
    irp1 = "2020-01-02T00:00:00Z"
    unknown = "2000-01-01T00:00:00Z"  # IRP2 has no date: a fixed one keeps the bytes stable
    assert found["data"] == {("del", "IRP1", irp1)}
    assert found["Data"] == {("ins", "IRP1", irp1)}
    assert found["only"] == {("ins", "IRP2", unknown)}
    assert found["the Debt Recovery Rates; and"] == {("del", "IRP2", unknown)}
    assert found["An old closing paragraph."] == {("del", "IRP2", unknown)}
    assert found["A new paragraph."] == {("ins", "IRP2", unknown)}
    assert found["Old row"] == {("del", "IRP2", unknown)}
    assert found["Greek"] == {("ins", "IRP1", irp1)}
    assert found["Gamma"] == {("ins", "IRP1", irp1)}
    assert found["Beta"] == {("del", "IRP2", unknown)}


def test_marked_rows_and_paragraph_marks(synthetic):
    root = body_of(synthetic[3])
    rows = {
        "".join(tr.itertext()): etree.QName(tr.find(W + "trPr")[-1]).localname
        for tr in root.iter(W + "tr")
        if tr.find(W + "trPr") is not None and len(tr.find(W + "trPr"))
        and tr.find(W + "trPr")[-1].tag in (W + "ins", W + "del")
    }  # fmt: skip
    assert rows == {"Old row1": "del", "New row3": "ins", "GammaNew.": "ins", "BetaGone.": "del"}
    header = next(root.iter(W + "tr"))
    assert header.find(f"{W}trPr/{W}tblHeader") is not None


def test_write_editions_replaces_both_files_or_neither(tmp_path, monkeypatch):
    from spectrace.writers.docx import writer

    base, amended, revisions, proposals = _amendment()
    clean, redline = write_editions(base, amended, revisions, proposals.values(), tmp_path)
    before = (clean.read_bytes(), redline.read_bytes())
    calls = []

    def failing(document, target, clauses, *args):
        calls.append(target)
        if clauses is not None:
            raise RuntimeError("disk full")
        return real(document, target, clauses, *args)

    real = writer._write
    monkeypatch.setattr(writer, "_write", failing)
    amended.clauses[0].title = "Changed"
    with pytest.raises(RuntimeError):
        write_editions(base, amended, revisions, proposals, tmp_path)
    assert (clean.read_bytes(), redline.read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([clean.name, redline.name])


def test_file_names_are_safe_and_stay_in_the_folder(tmp_path):
    odd = Document('A/B:C*"', "1+IRP2?")
    path = edition_path(tmp_path, odd, " redline")
    assert path.parent == tmp_path
    assert path.name == "A_B_C__ 1+IRP2_ redline.docx"
    assert edition_path(tmp_path, Document("..", "")).parent == tmp_path
    assert edition_path(tmp_path, Document("CON", "")).name == "_CON.docx"
