"""Word input limits: a small file may not exhaust memory or time.

Each limit of :mod:`spectrace.limits` that the Word reader enforces is tried just past it (and,
where it matters, just within it): the file is refused with one line naming the place, before
anything past the limit is unpacked, built or joined. Work that used to grow faster than the
input (joining a paragraph's runs, roman numerals, open fields, style chains) is timed on
inputs that took minutes before and must now take seconds.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import string
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from spectrace.errors import ReadError
from spectrace.limits import (
    DOCX_FILE_BYTES,
    DOCX_MEMBERS,
    DOCX_PART_BYTES,
    GRID_SPAN,
    LABEL_CHARS,
    NUMBER_START,
    PARAGRAPH_CHARS,
    XML_DEPTH,
    MiB,
)
from spectrace.readers.docx.irp import parse_instruction
from spectrace.text import format_number
from tests.hostile.docx_maker import (
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
    patch_member,
    read_spec,
    run,
    spec_error,
    styles_xml,
    table,
)

#: Seconds of CPU the timed inputs below take at most (about 1 s now; 8 s to minutes before).
LINEAR = 4


def cpu_seconds(action) -> float:
    """Return the CPU time ``action()`` takes (CPU, not wall: other tests share the machine)."""
    started = time.process_time()
    action()
    return time.process_time() - started


def peak_bytes(action) -> int:
    """Return the most memory Python held while ``action()`` ran (it may raise ReadError)."""
    tracemalloc.start()
    try:
        action()
    except ReadError:
        pass
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


# --- tables ------------------------------------------------------------------------------


@pytest.mark.parametrize("span", ["60000000", str(GRID_SPAN + 1), "9" * 30])
def test_a_cell_spanning_more_columns_than_the_limit_is_refused(tmp_path, span):
    body = heading("Data") + table([cell("wide", f'<w:gridSpan w:val="{span}"/>')])
    path = make_docx(tmp_path / "span.docx", body)
    message = spec_error(path)
    assert "table at paragraph 2, row 1, cell 1: w:gridSpan" in message
    assert f"from 1 to {GRID_SPAN}" in message


def test_a_row_spanning_more_columns_than_the_limit_is_refused(tmp_path):
    half = f'<w:gridSpan w:val="{GRID_SPAN // 2 + 1}"/>'
    body = heading("Data") + table([cell("a", half), cell("b", half)])
    message = spec_error(make_docx(tmp_path / "wide.docx", body))
    assert "table at paragraph 2, row 1: the row spans more than" in message


def test_a_cell_spanning_the_limit_keeps_the_table_grid(tmp_path):
    body = heading("Data") + table(
        [cell("wide", f'<w:gridSpan w:val="{GRID_SPAN}"/>')], [cell("a"), cell("b")]
    )
    rows = read_spec(make_docx(tmp_path / "grid.docx", body)).clause("1").blocks[0].rows
    assert [len(row) for row in rows] == [GRID_SPAN, GRID_SPAN]
    assert rows[0][:2] == ["wide", ""] and rows[1][:3] == ["a", "b", ""]


# --- paragraphs --------------------------------------------------------------------------


def noise(count: int, seed: int = 0) -> str:
    """Return ``count`` random letters: text that deflates too little to pass for a zip bomb."""
    return "".join(random.Random(seed).choices(string.ascii_lowercase, k=count))


@pytest.mark.parametrize(
    "wrap",
    [
        "{}",
        "<w:hyperlink>{}</w:hyperlink>",
        '<w:ins w:id="1" w:author="A" w:date="2019-07-11T00:00:00Z">{}</w:ins>',
    ],
    ids=["runs", "runs-in-a-hyperlink", "runs-in-an-insertion"],
)
def test_a_paragraph_of_many_runs_is_joined_in_linear_time(tmp_path, wrap):
    """800,000 characters, then 200,000 runs of one: joining with += copied the text so far
    for every run (8 s here; 103 s for a 50 MB paragraph); now each piece is copied once."""
    runs = run(noise(800_000)) + "<w:r><w:t>a</w:t></w:r>" * 200_000
    path = make_docx(tmp_path / "long.docx", heading("Long") + para(wrap.format(runs)))
    found: list = []
    assert cpu_seconds(lambda: found.append(read_spec(path))) < LINEAR
    assert len(clause_texts(found[0])["1"][0]) == PARAGRAPH_CHARS


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (para(run("x" * (PARAGRAPH_CHARS + 1))), "paragraph 2"),
        (para(run("abcd ") * (PARAGRAPH_CHARS // 5) + run("!")), "paragraph 2"),
        (
            para(f"<w:del><w:r><w:delText>{'x' * (PARAGRAPH_CHARS + 1)}</w:delText></w:r></w:del>"),
            "paragraph 2",
        ),
        (
            table([cell("y" * (PARAGRAPH_CHARS // 2)) + cell("")]).replace(
                "</w:p></w:tc>", f"</w:p>{para('z' * (PARAGRAPH_CHARS // 2 + 1))}</w:tc>", 1
            ),
            "table at paragraph 2, row 1, cell 1",
        ),
    ],
    ids=["one-run", "many-runs", "deleted-text", "table-cell"],
)
def test_a_paragraph_or_cell_over_the_character_limit_is_refused(tmp_path, body, where):
    message = spec_error(make_docx(tmp_path / "huge.docx", heading("Long") + body))
    assert f"word/document.xml: {where}: the " in message
    assert f"more than {PARAGRAPH_CHARS:,} characters" in message


# --- the zip archive ---------------------------------------------------------------------


@pytest.mark.parametrize("member", ["word/document.xml", "word/styles.xml", "word/numbering.xml"])
def test_a_member_lying_about_its_size_is_unpacked_no_further_than_it_declared(tmp_path, member):
    """256 MiB that declare 1,000 bytes: zipfile's read() unpacked all of it first (2.1 GB
    for a larger one) before the checksum failed."""
    path = make_lying_docx(tmp_path / "liar.docx", real=256 * MiB, declared=1000, member=member)
    peak = peak_bytes(lambda: read_spec(path))
    assert peak < 16 * MiB, f"{peak / MiB:.0f} MiB"


def test_a_member_lying_about_its_size_is_refused_as_damaged(tmp_path):
    path = make_lying_docx(tmp_path / "liar.docx", real=8 * MiB, declared=1000)
    message = spec_error(path)
    assert "liar.docx: word/document.xml is damaged" in message


@pytest.mark.parametrize("member", ["word/document.xml", "word/styles.xml"])
def test_a_part_declared_over_the_part_limit_is_refused_before_it_is_unpacked(tmp_path, member):
    """1,000 MiB declared, within the expansion ratio (3 MiB compressed), under the total."""
    path = make_docx(tmp_path / "big.docx")
    patch_member(path, member, file_size=1000 * MiB, compress_size=3 * MiB)
    message = spec_error(path)
    assert f"{member} is 1,000 MiB unpacked, over the limit of {DOCX_PART_BYTES // MiB} MiB" in (
        message
    )
    assert peak_bytes(lambda: read_spec(path)) < 4 * MiB


def test_parts_declared_over_the_unpacked_limit_together_are_refused(tmp_path):
    path = make_docx(tmp_path / "total.docx")
    for member in ("word/styles.xml", "word/numbering.xml"):
        patch_member(path, member, file_size=600 * MiB, compress_size=2 * MiB)
    assert "parts would unpack to 1,200 MiB, over the 1,024 MiB limit" in spec_error(path)


def test_more_members_than_the_limit_are_refused(tmp_path):
    extra = {f"word/media/image{n}.png": b"" for n in range(DOCX_MEMBERS)}
    path = make_docx(tmp_path / "many.docx", extra=extra)
    message = spec_error(path)
    assert f"has {DOCX_MEMBERS + 6:,} members, over the limit of {DOCX_MEMBERS:,}" in message


def test_a_zip_directory_larger_than_the_members_need_is_refused_before_it_is_read(tmp_path):
    """A few long-named members make a directory zipfile would hold whole in memory."""
    extra = {f"word/{n}-{'x' * 60_000}.xml": b"" for n in range(100)}
    path = make_docx(tmp_path / "names.docx", extra=extra)
    assert "its zip directory is 5.7 MiB, more than" in spec_error(path)


@pytest.mark.parametrize(
    "damage",
    [{"flags": 0x1}, {"method": 12}, {"method": 14}, {"method": 99}],
    ids=["encrypted", "bzip2", "lzma", "unknown-method"],
)
def test_members_packed_as_word_never_packs_them_are_refused_with_one_line(tmp_path, damage):
    path = patch_member(make_docx(tmp_path / "odd.docx"), "word/document.xml", **damage)
    message = spec_error(path)
    assert message.startswith("odd.docx: word/document.xml ")
    assert "encrypted" in message or "zip method" in message


def test_a_member_twice_in_the_archive_is_refused(tmp_path):
    path = make_docx(tmp_path / "twice.docx")
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(path, "a") as archive:
        archive.writestr("word/document.xml", document_xml(para("Other text.")))
    assert "word/document.xml is in the archive twice" in spec_error(path)


# --- the file ----------------------------------------------------------------------------


def test_a_docx_over_the_file_limit_is_refused_unread(tmp_path):
    path = tmp_path / "huge.docx"
    with path.open("wb") as handle:
        handle.truncate(DOCX_FILE_BYTES + 1)  # sparse: nothing is written
    assert "huge.docx: is 512 MiB, over the limit of 512 MiB" in spec_error(path)


def test_a_fifo_named_docx_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)
    previous = signal.signal(signal.SIGALRM, lambda *_: pytest.fail("blocked on the FIFO"))
    signal.alarm(10)
    try:
        message = spec_error(fifo)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert "pipe.docx: is not a regular file" in message


def test_a_device_is_refused():
    assert "is not a regular file" in spec_error(Path("/dev/null"))


# --- numbering ---------------------------------------------------------------------------


def list_of(start: str, fmt: str, items: int = 3) -> tuple[str, str]:
    """Return a body of ``items`` list items and a numbering.xml starting them at ``start``."""
    body = heading("List") + "".join(item(f"item {n}") for n in range(items))
    return body, numbering_xml(items=level(0, "%1.", fmt, start=start))


@pytest.mark.parametrize(
    ("start", "fmt"),
    [("999999999", "lowerRoman"), ("999999999", "upperLetter"), (str(NUMBER_START + 1), "decimal")],
)
def test_a_list_start_over_the_limit_is_refused(tmp_path, start, fmt):
    body, numbering = list_of(start, fmt)
    message = spec_error(make_docx(tmp_path / "start.docx", body, numbering=numbering))
    assert f"word/numbering.xml: w:abstractNum 1 level 0: w:start '{start}'" in message
    assert f"from 0 to {NUMBER_START}" in message


def test_the_largest_list_start_in_roman_numerals_reads_at_once(tmp_path):
    body, numbering = list_of(str(NUMBER_START), "lowerRoman")
    path = make_docx(tmp_path / "roman.docx", body, numbering=numbering)
    labels = [block.label for block in read_spec(path).clause("1").blocks]
    assert labels[0] == "m" * 32 + "dcclxvii."
    assert labels[2] == "m" * 32 + "dcclxix."


def test_format_number_writes_a_huge_roman_numeral_in_linear_time():
    """The loop appended one letter at a time to a new string: 999,999,999 never finished."""
    written: list[str] = []
    assert cpu_seconds(lambda: written.append(format_number(999_999_999, "lowerRoman"))) < 1
    assert written[0] == "m" * 999_999 + "cmxcix"


@pytest.mark.parametrize(
    ("numbering", "what"),
    [
        (numbering_xml(items=level(0, "%1.", "lowerLetter", start=str(NUMBER_START))), "item"),
        (numbering_xml(items=level(0, "%1." + "x" * LABEL_CHARS)), "w:lvlText is longer"),
        (
            numbering_xml(items=level(0, "%1" * (LABEL_CHARS // 2 - 2), "upperRoman", "5000")),
            "the label",
        ),
    ],
    ids=["counter-in-letters", "long-level-text", "many-placeholders"],
)
def test_a_list_label_over_the_label_limit_is_refused(tmp_path, numbering, what):
    body = heading("List") + item("one")
    message = spec_error(make_docx(tmp_path / "label.docx", body, numbering=numbering))
    assert "word/numbering.xml: " in message and what in message
    assert str(LABEL_CHARS) in message


# --- depth -------------------------------------------------------------------------------

NESTERS = {
    "hyperlinks": ("<w:hyperlink>", "</w:hyperlink>"),
    "content-controls": ("<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>"),
    "insertions": ("<w:ins>", "</w:ins>"),
    "smart-tags": ("<w:smartTag>", "</w:smartTag>"),
}


def nested(kind: str, depth: int) -> str:
    """Return a body whose second paragraph's run sits ``depth`` containers deep (content
    controls wrap the paragraph itself, as they do at block level)."""
    opening, closing = NESTERS[kind]
    if kind == "content-controls":
        return heading("Deep") + opening * depth + para("deep text") + closing * depth
    return heading("Deep") + para(opening * depth + run("deep text") + closing * depth)


@pytest.mark.parametrize("kind", sorted(NESTERS))
@pytest.mark.parametrize("depth", [XML_DEPTH, 1000, 10_000])
def test_containers_nested_past_the_depth_limit_are_refused(tmp_path, kind, depth):
    path = make_docx(tmp_path / "deep.docx", nested(kind, depth))
    message = spec_error(path)
    assert f"word/document.xml line 2: elements nest deeper than {XML_DEPTH} levels" in message


@pytest.mark.parametrize("part", ["styles", "numbering"])
def test_other_parts_nested_past_the_depth_limit_are_refused(tmp_path, part):
    deep = "<w:x>" * 1000 + "</w:x>" * 1000
    xml = styles_xml(deep) if part == "styles" else numbering_xml(extra=deep)
    path = make_docx(tmp_path / "deep.docx", **{part: xml})
    assert f"word/{part}.xml line 2: elements nest deeper than" in spec_error(path)


@pytest.mark.parametrize("kind", sorted(NESTERS))
def test_nesting_within_the_limit_is_read_without_python_recursion(tmp_path, kind):
    """240 elements deep, read with only 40 frames of Python stack to spare: nothing recurses."""
    levels = XML_DEPTH - 16
    depth = levels // 2 if kind == "content-controls" else levels  # two elements a level
    path = make_docx(tmp_path / "deep.docx", nested(kind, depth))
    frames = len(_stack())
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(frames + 40)
    try:
        doc = read_spec(path)
    finally:
        sys.setrecursionlimit(limit)
    assert clause_texts(doc)["1"] == ["deep text"]


def _stack() -> list:
    frame, frames = sys._getframe(), []
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    return frames


# --- work that grew faster than the input ------------------------------------------------


def test_many_open_fields_cost_linear_time(tmp_path):
    """20,000 fields begun and never ended: each run asked every open field (97 s)."""
    begin = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    body = heading("Fields") + para("visible") + para(begin + run("code")) * 20_000
    path = make_docx(tmp_path / "fields.docx", body)
    found: list = []
    assert cpu_seconds(lambda: found.append(read_spec(path))) < LINEAR
    assert clause_texts(found[0])["1"] == ["visible"]


def test_a_long_field_instruction_costs_linear_time(tmp_path):
    """A field code of 800,000 characters and 200,000 more runs: the instruction was joined
    with += (field codes are not text, so no paragraph limit bounds them)."""
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + f"<w:r><w:instrText> PAGEREF {noise(800_000)}</w:instrText></w:r>"
        + "<w:r><w:instrText>x</w:instrText></w:r>" * 200_000
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run("shown")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    path = make_docx(tmp_path / "instruction.docx", heading("Fields") + para(field))
    found: list = []
    assert cpu_seconds(lambda: found.append(read_spec(path))) < LINEAR
    assert clause_texts(found[0])["1"] == ["shown"]


def test_a_long_chain_of_based_on_styles_costs_linear_time(tmp_path):
    """10,000 styles each based on the next: every paragraph walked the whole chain."""
    count = 10_000
    chain = "".join(
        f'<w:style w:type="paragraph" w:styleId="S{n}"><w:name w:val="s{n}"/>'
        f'<w:basedOn w:val="{f"S{n + 1}" if n + 1 < count else "Heading2"}"/></w:style>'
        for n in range(count)
    )
    body = heading("Chain") + para("S0 heading", style="S0") * count
    path = make_docx(tmp_path / "chain.docx", body, styles=styles_xml(chain))
    found: list = []
    assert cpu_seconds(lambda: found.append(read_spec(path))) < LINEAR
    numbers = [clause.number for clause in found[0].clauses]
    assert numbers[:3] == ["1", "1.1", "1.2"] and len(numbers) == count + 1


def test_finding_a_quoted_term_in_an_irp_instruction_costs_linear_time():
    """Each of a million opening quotes was tried against the rest of the text (hours)."""
    text = "At CHTS Section 5, Glossary, add the new definition for " + "\u2018" * 1_000_000
    found: list = []
    assert cpu_seconds(lambda: found.append(parse_instruction(text, file="x", number=1))) < 1
    assert found[0][2] is None


@pytest.mark.parametrize(
    "text",
    [
        "Insert " + "the " * 125_000,
        "Insert " + "new " * 125_000,
        "Insert new " + "the " * 125_000,
        "Insert new Section 4.6.4.10 " + "after the " * 50_000,
        "move as to as to " * 30_000,
        "Delete " + "SMETS " * 80_000,
        "Renumber SMETS Section 4.6.4.9 as " + "4.6.4.11 " * 50_000,
    ],
    ids=["fillers", "news", "fillers after new", "afters", "verbs", "documents", "numbers"],
)
def test_reading_a_structural_instruction_of_half_a_megabyte_costs_linear_time(text):
    """Each structural pattern is tried once per position: a paragraph of the words the
    grammar repeats (fillers, "after", verbs, document names, numbers) stays linear."""

    def parse() -> None:
        with contextlib.suppress(ReadError):
            parse_instruction(text, file="x", number=1)

    assert cpu_seconds(parse) < LINEAR
