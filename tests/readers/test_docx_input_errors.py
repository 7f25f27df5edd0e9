"""Reading a specification from Word: what bad input is refused with, and what good input gives.

Every refusal is a :class:`ReadError` whose message names the file and says what is wrong, so
that the command line can print it as one useful line. The positive tests read the bundled
SMETS / CHTS excerpts (see tests/fixtures/README.md) and copies of them whose
``word/document.xml`` (or ``word/styles.xml``) has been rewritten to show one feature.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from spectrace.errors import ReadError
from spectrace.model import BlockKind, Document
from spectrace.readers.docx.spec import read_docx_spec

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SMETS_DOCX = FIXTURES / "SMETS-v4.2-excerpt.docx"
CHTS_DOCX = FIXTURES / "CHTS-v1.3-excerpt.docx"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
DOCUMENT_XML = "word/document.xml"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --- helpers --------------------------------------------------------------------------------


def read_error(path: Path) -> str:
    """Read ``path`` expecting a ReadError; return its one-line message."""
    with pytest.raises(ReadError) as caught:
        read_docx_spec(path, "SMETS", "4.2")
    return str(caught.value)


def copy_with_parts(
    dest: Path, replace: dict[str, bytes] | None = None, source: Path = SMETS_DOCX
) -> Path:
    """Copy the fixture zip to ``dest``, replacing the named parts' bytes."""
    replace = replace or {}
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, replace.get(info.filename, zin.read(info)))
    return dest


def write_zip(dest: Path, parts: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    return dest


def fixture_part(part: str, source: Path = SMETS_DOCX) -> bytes:
    with zipfile.ZipFile(source) as zin:
        return zin.read(part)


def document_with_body(body_xml: str) -> bytes:
    """The fixture's document.xml with its body content replaced by ``body_xml`` (sectPr kept)."""
    root = etree.fromstring(fixture_part(DOCUMENT_XML))
    body = root.find(W + "body")
    section = body.find(W + "sectPr")
    for child in list(body):
        body.remove(child)
    for child in etree.fromstring(f'<w:body xmlns:w="{W_NS}">{body_xml}</w:body>'):
        body.append(child)
    body.append(section)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def styles_with(style_xml: str) -> bytes:
    """The fixture's styles.xml with one more style definition."""
    root = etree.fromstring(fixture_part("word/styles.xml"))
    root.append(etree.fromstring(f'<w:styles xmlns:w="{W_NS}">{style_xml}</w:styles>')[0])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def run(text: str, props: str = "") -> str:
    r_pr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{r_pr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def deleted_run(text: str) -> str:
    return f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r>'


def para(
    content: str,
    *,
    style: str | None = None,
    num_id: str | None = None,
    ilvl: int | None = None,
    outline: int | None = None,
    mark: str = "",
) -> str:
    """One ``w:p``; plain ``content`` becomes a run, content starting with "<" is used as is."""
    p_pr = (
        (f'<w:pStyle w:val="{style}"/>' if style else "")
        + (
            "<w:numPr>"
            + (f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else "")
            + f'<w:numId w:val="{num_id}"/></w:numPr>'
            if num_id is not None
            else ""
        )
        + (f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else "")
        + (f"<w:rPr>{mark}</w:rPr>" if mark else "")
    )
    runs = content if content.startswith("<") else run(content)
    return f"<w:p>{p_pr and f'<w:pPr>{p_pr}</w:pPr>'}{runs}</w:p>"


def read_body(tmp_path: Path, body_xml: str, *, styles: bytes | None = None) -> Document:
    parts = {DOCUMENT_XML: document_with_body(body_xml)}
    if styles is not None:
        parts["word/styles.xml"] = styles
    path = copy_with_parts(tmp_path / "modified.docx", parts)
    return read_docx_spec(path, "SMETS", "4.2")


def outline(doc: Document) -> list[tuple[str | None, str, int]]:
    return [(clause.number, clause.title, clause.level) for clause in doc.clauses]


def texts(doc: Document, number: str) -> list[str]:
    return [block.text for block in doc.clause(number).blocks]


def all_text(doc: Document) -> list[str]:
    """Every piece of text the reader produced: titles, front matter, blocks, cells, glossary."""
    out = [doc.title, doc.subtitle, *doc.front_matter]
    for clause in doc.clauses:
        out.append(clause.title)
        for block in clause.blocks:
            out.extend([block.text, block.label, *(cell for row in block.rows for cell in row)])
    out.extend(f"{entry.term} {entry.definition}" for entry in doc.glossary)
    return out


#: Attributes of a tracked change (w:ins / w:del) by one author.
INS = 'w:id="{id}" w:author="BEIS" w:date="2019-07-11T10:14:00Z"'


# --- files that are not readable Word documents ---------------------------------------------


def test_truncated_docx_is_refused_as_truncated(tmp_path):
    path = tmp_path / "cut.docx"
    data = SMETS_DOCX.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    message = read_error(path)
    assert "cut.docx" in message
    assert "truncated" in message


def test_empty_file_is_refused_as_empty(tmp_path):
    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    message = read_error(path)
    assert "empty.docx" in message
    assert "is empty" in message


def test_text_file_renamed_docx_is_refused_as_not_a_word_file(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_text("4.4.5 Display of information\nGSME shall be capable of...\n")
    message = read_error(path)
    assert "notes.docx" in message
    assert "not a Word" in message
    assert "not a zip" in message


def test_zip_without_a_main_document_part_is_not_a_word_document(tmp_path):
    path = write_zip(
        tmp_path / "other.docx",
        {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"},
    )
    message = read_error(path)
    assert "other.docx" in message
    assert "not a Word document" in message
    assert "word/document.xml" in message


def test_package_relationship_to_a_missing_main_part_is_reported_with_its_name(tmp_path):
    rels = fixture_part("_rels/.rels").replace(
        b'Target="word/document.xml"', b'Target="word/main.xml"'
    )
    path = copy_with_parts(tmp_path / "rels.docx", {"_rels/.rels": rels})
    message = read_error(path)
    assert "rels.docx" in message
    assert "not a Word document" in message
    assert "word/main.xml" in message


def test_legacy_ole_doc_is_refused_with_advice_to_save_as_docx(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(OLE_MAGIC + bytes(1024))
    message = read_error(path)
    assert "old.doc" in message
    assert "legacy" in message
    assert "save it as .docx" in message


def test_encrypted_docx_is_refused_as_password_protected(tmp_path):
    path = tmp_path / "secret.docx"
    path.write_bytes(OLE_MAGIC + bytes(512) + "EncryptedPackage".encode("utf-16-le") + bytes(512))
    message = read_error(path)
    assert "secret.docx" in message
    assert "password" in message
    assert "legacy" not in message


def test_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path):
    zeros = bytes(2 << 20)  # 2 MiB that deflate to a few KiB
    path = copy_with_parts(tmp_path / "bomb.docx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zout:
        zout.writestr("word/media/image1.bin", zeros)
    with zipfile.ZipFile(path) as check:
        info = check.getinfo("word/media/image1.bin")
        assert info.file_size / info.compress_size > 400
    message = read_error(path)
    assert "bomb.docx" in message
    assert "word/media/image1.bin" in message
    assert "zip bomb" in message
    assert "expand" in message


BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<!DOCTYPE lolz [\n"
    '  <!ENTITY lol "lol">\n'
    + "".join(
        f'  <!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)


@pytest.mark.parametrize("part", [DOCUMENT_XML, "word/styles.xml", "word/numbering.xml"])
def test_part_with_a_dtd_and_entities_is_refused_without_expanding(tmp_path, part):
    root = fixture_part(part).split(b"?>", 1)[1]
    data = BILLION_LAUGHS.encode() + root.replace(
        b"</w:body>", b"<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body>"
    )
    path = copy_with_parts(tmp_path / "laughs.docx", {part: data})
    message = read_error(path)
    assert "laughs.docx" in message
    assert part in message
    assert "DTD" in message
    assert "lollol" not in message


def test_malformed_document_xml_names_the_part_and_the_line(tmp_path):
    broken = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W_NS}"><w:body>\n'
        '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Scope</w:t></w:r></w:p>\n'
        "<w:p><w:r><w:t>Unclosed text</w:r></w:p>\n"
        "</w:body></w:document>\n"
    )
    path = copy_with_parts(tmp_path / "broken.docx", {DOCUMENT_XML: broken.encode()})
    message = read_error(path)
    assert "broken.docx" in message
    assert DOCUMENT_XML in message
    assert "line 4" in message
    assert "malformed XML" in message


def test_malformed_styles_xml_names_the_part_and_the_line(tmp_path):
    path = copy_with_parts(
        tmp_path / "styles.docx", {"word/styles.xml": b"<?xml version='1.0'?>\n<w:styles>\n<oops"}
    )
    message = read_error(path)
    assert "styles.docx" in message
    assert "word/styles.xml line" in message


def test_document_without_headings_says_no_numbered_headings_were_found(tmp_path):
    body = "".join(para(text) for text in ("Plain text.", "More plain text.", "The end."))
    path = copy_with_parts(tmp_path / "plain.docx", {DOCUMENT_XML: document_with_body(body)})
    message = read_error(path)
    assert "plain.docx" in message
    assert "no numbered headings" in message


def test_directory_instead_of_a_file_is_refused(tmp_path):
    folder = tmp_path / "spec.docx"
    folder.mkdir()
    message = read_error(folder)
    assert str(folder) in message
    assert message.endswith("is a folder, not a file")  # the path holds "directory" itself


def test_missing_file_is_refused_with_its_path(tmp_path):
    missing = tmp_path / "nowhere" / "SMETS.docx"
    message = read_error(missing)
    assert str(missing) in message
    assert "no such file" in message


# --- the SMETS and CHTS excerpts ------------------------------------------------------------


@pytest.fixture(scope="module")
def smets() -> Document:
    return read_docx_spec(SMETS_DOCX, "SMETS", "4.2")


@pytest.fixture(scope="module")
def chts() -> Document:
    return read_docx_spec(CHTS_DOCX, "CHTS", "1.3")


@pytest.mark.parametrize(
    ("number", "title", "level"),
    [
        ("4.4.5", "Display of information", 3),
        ("4.6.5.17", "Security Log", 4),
        ("5.5.4", "Display of information", 3),
        ("5.6.1", "Type 1 Devices and Type 2 Device information provision", 3),
        ("5.7.5.31", "Security Log", 4),
        ("5.12.1", "HAN Interface information provision", 3),
    ],
)
def test_smets_clause_numbers_come_from_word_auto_numbering(smets, number, title, level):
    clause = smets.clause(number)
    assert clause is not None
    assert (clause.title, clause.level) == (title, level)


def test_smets_part_headings_are_unnumbered_clauses_and_numbering_runs_on(smets):
    keys = [(clause.number, clause.title) for clause in smets.clauses]
    part_a = keys.index((None, "Part A: Single Element ESME"))
    part_b = keys.index((None, "Part B: Twin Element ESME"))
    assert keys[part_a + 1] == ("5.1", "Overview")
    assert keys[part_b - 1] == ("5.7.5.31", "Security Log")
    assert keys[part_b + 1] == ("5.8", "Overview")


def test_smets_table_of_contents_gives_no_clauses(smets):
    assert [clause.number for clause in smets.clauses].count("5.6") == 1
    assert not any("\t" in clause.title or clause.title[:1].isdigit() for clause in smets.clauses)
    assert smets.clauses[0].number == "1"
    assert not any("Interface requirements" in text for text in smets.front_matter)


def test_smets_cross_references_show_the_field_result_and_never_the_code(smets):
    assert "(5.7.5.31)" in texts(smets, "5.5.4")[0]
    assert "(4.6.5.17)" in texts(smets, "4.4.5")[-1]
    assert "(5.6.1)" in texts(smets, "5.12.1")[0]
    for text in all_text(smets):
        for code in (" REF ", "PAGEREF", "_Ref", "_Toc", "TOC \\o"):
            assert code not in text


def test_smets_lower_roman_list_items_keep_their_labels(smets):
    items = [b for b in smets.clause("4.4.5").blocks if b.kind is BlockKind.LIST_ITEM]
    assert [item.label for item in items] == ["i.", "ii.", "iii."]
    assert items[0].text == "the Currency Units (4.6.4.9);"
    assert "i." not in items[0].text


def test_smets_data_item_table_keeps_rows_header_and_empty_cell(smets):
    tables = [b for b in smets.clause("4.6.5.17").blocks if b.kind is BlockKind.TABLE]
    assert len(tables) == 1
    table = tables[0]
    assert len(table.rows) == 3
    assert table.header_rows == 1
    assert table.rows[0] == ["Data item", "Annotation", "Description"]
    assert table.rows[2] == ["Security Log capacity", "", "At least 100 entries"]


def test_smets_glossary_is_read_from_the_term_definition_table(smets):
    assert smets.glossary_clause == "6"
    assert len(smets.glossary) == 9
    assert smets.glossary[0].term == "Communications Link"
    assert "Term" not in [entry.term for entry in smets.glossary]
    assert smets.clause("6").blocks == []


def test_smets_front_matter_keeps_title_and_reconstruction_notice(smets):
    assert smets.title == "Smart Metering Equipment Technical Specifications"
    assert "Excerpt reconstructed for software testing; not the official text" in (
        smets.front_matter
    )


def test_chts_general_security_clause_and_glossary(chts):
    assert len(chts.clause("4.4.6.1").blocks) == 8
    assert chts.glossary_clause == "5"
    assert "GSME Security Log" not in [entry.term for entry in chts.glossary]
    assert "GSME Profile Data Log" in [entry.term for entry in chts.glossary]


# --- reader features on rewritten copies of the SMETS excerpt ---------------------------------


def test_heading_number_typed_in_its_text_is_used_when_not_auto_numbered(tmp_path):
    doc = read_body(
        tmp_path,
        para("7\tTyped section", style="Heading1", num_id="0")
        + para("7.1\tTyped heading", style="Heading2", num_id="0")
        + para("Body under the typed heading."),
    )
    assert outline(doc) == [("7", "Typed section", 1), ("7.1", "Typed heading", 2)]
    assert texts(doc, "7.1") == ["Body under the typed heading."]


def test_custom_style_based_on_heading2_gives_a_numbered_level_2_clause(tmp_path):
    spec_heading = (
        '<w:style w:type="paragraph" w:customStyle="1" w:styleId="SpecHeading">'
        '<w:name w:val="Spec Heading"/><w:basedOn w:val="Heading2"/><w:qFormat/>'
        '<w:rPr><w:color w:val="1F3864"/></w:rPr></w:style>'
    )
    doc = read_body(
        tmp_path,
        para("Scope", style="Heading1")
        + para("Custom heading", style="SpecHeading")
        + para("Text of the custom clause.")
        + para("Built-in heading", style="Heading2"),
        styles=styles_with(spec_heading),
    )
    assert outline(doc) == [
        ("1", "Scope", 1),
        ("1.1", "Custom heading", 2),
        ("1.2", "Built-in heading", 2),
    ]
    assert texts(doc, "1.1") == ["Text of the custom clause."]


def test_outline_level_in_the_paragraph_makes_a_heading_of_that_level(tmp_path):
    doc = read_body(
        tmp_path,
        para("Scope", style="Heading1")
        + para("Detail", style="Heading2")
        + para("Deep heading", outline=2, num_id="1", ilvl=2)
        + para("Text under the deep heading."),
    )
    assert outline(doc) == [("1", "Scope", 1), ("1.1", "Detail", 2), ("1.1.1", "Deep heading", 3)]
    assert texts(doc, "1.1") == []
    assert texts(doc, "1.1.1") == ["Text under the deep heading."]


def test_tracked_changes_in_the_base_text_are_read_as_accepted(tmp_path):
    sentence = (
        run("The meter ")
        + f"<w:ins {INS.format(id=1)}>{run('shall ')}</w:ins>"
        + f"<w:del {INS.format(id=2)}>{deleted_run('may ')}</w:del>"
        + run("record events.")
    )
    doc = read_body(
        tmp_path,
        para("Scope", style="Heading1")
        + para(sentence)
        + para(f"<w:ins {INS.format(id=3)}>{run('An inserted paragraph.')}</w:ins>"),
    )
    assert texts(doc, "1") == ["The meter shall record events.", "An inserted paragraph."]


def test_deleted_paragraphs_take_no_number_in_the_accepted_view(tmp_path):
    deleted_mark = f"<w:del {INS.format(id=9)}/>"

    def deleted(text: str, **props) -> str:
        content = f"<w:del {INS.format(id=8)}>{deleted_run(text)}</w:del>"
        return para(content, mark=deleted_mark, **props)

    doc = read_body(
        tmp_path,
        para("Scope", style="Heading1")
        + para("First item.", style="ListParagraph", num_id="2", ilvl=0)
        + deleted("Withdrawn item.", style="ListParagraph", num_id="2", ilvl=0)
        + para("Second item.", style="ListParagraph", num_id="2", ilvl=0)
        + deleted("Withdrawn clause", style="Heading2")
        + para("Kept clause", style="Heading2"),
    )
    assert outline(doc) == [("1", "Scope", 1), ("1.1", "Kept clause", 2)]
    assert [(b.label, b.text) for b in doc.clause("1").blocks] == [
        ("i.", "First item."),
        ("ii.", "Second item."),
    ]


def test_a_deleted_paragraph_mark_joins_its_text_to_the_next_paragraph(tmp_path):
    deleted_mark = f"<w:del {INS.format(id=9)}/>"
    doc = read_body(
        tmp_path,
        para("Scope", style="Heading1")
        + para(run("The meter shall record "), mark=deleted_mark)
        + para(run("every Sensitive Event."))
        + para(run("Next paragraph.")),
    )
    assert texts(doc, "1") == ["The meter shall record every Sensitive Event.", "Next paragraph."]


def test_bare_toc_field_across_paragraphs_gives_no_clauses_and_no_blocks(tmp_path):
    def fld(kind: str) -> str:
        return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'

    def instr(code: str) -> str:
        return f'<w:r><w:instrText xml:space="preserve">{code}</w:instrText></w:r>'

    def pageref(page: str) -> str:
        return (
            fld("begin") + instr(" PAGEREF _Toc1 \\h ") + fld("separate") + run(page) + fld("end")
        )

    toc = (
        para(
            fld("begin")
            + instr(' TOC \\o "1-3" \\h \\z \\u ')
            + fld("separate")
            + run("1\tScope\t1")
        )
        # even a heading-styled paragraph inside the field result is a TOC entry, not a clause
        + para(run("1.1\tDetail\t") + pageref("2"), style="Heading2")
        + para(run("2\tAnnex\t") + pageref("3"))
        + para(run("2.1\tTables\t3") + fld("end"))
    )
    doc = read_body(
        tmp_path,
        para("Contents", style="Heading1")
        + toc
        + para("Text after the contents.")
        + para("Scope", style="Heading1")
        + para("Scope text."),
    )
    assert outline(doc) == [("1", "Contents", 1), ("2", "Scope", 1)]
    assert texts(doc, "1") == ["Text after the contents."]
    assert texts(doc, "2") == ["Scope text."]


def test_hidden_text_is_dropped(tmp_path):
    doc = read_body(
        tmp_path,
        para("Scope", style="Heading1")
        + para(run("Visible ") + run("hidden note ", "<w:vanish/>") + run("text."))
        + para(run("A wholly hidden paragraph.", "<w:vanish/>"), mark="<w:vanish/>")
        + para(run("Shown ") + run("again.", '<w:vanish w:val="0"/>')),
    )
    assert texts(doc, "1") == ["Visible text.", "Shown again."]


def test_a_field_that_begins_in_a_hidden_run_is_still_a_field(tmp_path):
    begin = '<w:r><w:rPr><w:vanish/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>'
    toc = (
        begin
        + '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run("1 Scope")
    )
    doc = read_body(
        tmp_path,
        para(toc)
        + para(run("2 Other entry") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
        + para("Scope", style="Heading1")
        + para("Body."),
    )
    assert texts(doc, "1") == ["Body."]
    assert doc.front_matter == []


def test_merged_cells_keep_the_table_grid_and_survive_spec_as_code(tmp_path):
    from spectrace.readers.rst.spec import read_rst_spec
    from spectrace.transforms.statements import segment
    from spectrace.writers.rst import render

    def cell(text: str, props: str = "") -> str:
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{para(text)}</w:tc>"

    header = "<w:trPr><w:tblHeader/></w:trPr>"
    span, restart, merged = '<w:gridSpan w:val="2"/>', '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    table = (
        "<w:tbl>"
        f"<w:tr>{header}{cell('Data item')}{cell('Annotation')}{cell('Description')}</w:tr>"
        f"<w:tr>{header}{cell('Both', span)}{cell('Third')}</w:tr>"
        f"<w:tr>{cell('Log', restart)}{cell('[INFO]')}{cell('x')}</w:tr>"
        f"<w:tr>{cell('', merged)}{cell('')}{cell('y')}</w:tr>"
        "</w:tbl>"
    )
    doc = read_body(tmp_path, para("Data", style="Heading1") + table)
    block = doc.clause("1").blocks[0]
    assert block.rows == [
        ["Data item", "Annotation", "Description"],
        ["Both", "", "Third"],
        ["Log", "[INFO]", "x"],
        ["", "", "y"],
    ]
    assert block.header_rows == 2
    segment(doc)
    folder = tmp_path / "spec"
    folder.mkdir()
    for name, text in render(doc).items():
        (folder / name).write_text(text)
    assert read_rst_spec(folder).clause("1").blocks[0] == block


def test_a_table_of_header_rows_only_keeps_one_body_row(tmp_path):
    header = "<w:trPr><w:tblHeader/></w:trPr>"
    cells = "".join(f"<w:tc>{para(text)}</w:tc>" for text in "ABC")
    row = f"<w:tr>{header}{cells}</w:tr>"
    doc = read_body(tmp_path, para("Data", style="Heading1") + f"<w:tbl>{row}{row}</w:tbl>")
    assert doc.clause("1").blocks[0].header_rows == 1
