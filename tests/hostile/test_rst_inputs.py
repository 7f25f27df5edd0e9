"""Hostile spec-as-code and IRP-as-code (reStructuredText) inputs, and the statement splitter.

Each bad source gives one ReadError naming the file and (where there is one) the line, which the
CLI prints as one ``error:`` line with exit 2; none gives a traceback, a hang, a blow-up or a
silently different reading. Sizes at which quadratic code would take minutes run under a
generous alarm rather than a timing assertion.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spectrace.errors import ReadError
from spectrace.limits import EDITION_CHARS, RST_DEPTH
from spectrace.model import (
    Action,
    Block,
    BlockKind,
    Change,
    Clause,
    Document,
    GlossaryEntry,
    Location,
    Proposal,
    Statement,
    Target,
)
from spectrace.readers.rst import canonical, source
from spectrace.readers.rst import spec as rst_spec
from spectrace.readers.rst.irp import read_rst_irp
from spectrace.readers.rst.spec import read_rst_spec
from spectrace.store import write_database
from spectrace.transforms.statements import (
    TermMatcher,
    Vocabulary,
    modality,
    split_sentences,
    term_variants,
)
from tests.cli.test_cli import one_error_line, run

LINUX = pytest.mark.skipif(sys.platform != "linux", reason="FIFOs and symlinks as on Linux")


@contextmanager
def within(seconds: int):
    """Fail, rather than hang, when the block takes more than ``seconds``."""

    def expire(*_):
        raise TimeoutError(f"took more than {seconds} s: quadratic, or blocked")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


INDEX = ".. spec:document:: SMETS\n   :edition: 4.2\n\n.. toctree::\n\n   section-01\n"
SECTION = "1 General\n=========\n\n:st:`SMETS-1-1` ESME shall keep time.\n"


def spec(tmp_path: Path, section: str | bytes = SECTION, index: str = INDEX, **more) -> Path:
    """Return a spec-as-code folder holding ``index`` and ``section`` (and ``more`` files)."""
    folder = tmp_path / "spec"
    folder.mkdir(parents=True)
    (folder / "index.rst").write_text(index, encoding="utf-8")
    for name, text in {"section-01": section, **more}.items():
        path = folder / f"{name}.rst"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="")
    return folder


def spec_error(tmp_path: Path, section: str | bytes, **more) -> ReadError:
    with pytest.raises(ReadError) as raised:
        read_rst_spec(spec(tmp_path, section, **more))
    return raised.value


def located(error: ReadError, line: int | None, *words: str) -> None:
    """Assert ``error`` names a file, the line (when given) and ``words``."""
    assert error.file, str(error)
    if line is not None:
        assert error.where == f"line {line}", str(error)
    for word in words:
        assert word in str(error), str(error)


IRP_HEAD = (
    ".. spec:proposal:: IRP1\n   :date: 2019-07-11\n\n"
    "Required Changes to Documentation\n=================================\n\n"
)
CHANGE = ".. spec:change:: 1\n   :target: SMETS 1.1\n\n   Text :ins:`more`.\n"


def irp_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "IRP1.rst"
    path.write_text(text, encoding="utf-8", newline="")
    return path


def irp_error(tmp_path: Path, text: str) -> ReadError:
    with pytest.raises(ReadError) as raised:
        read_rst_irp(irp_file(tmp_path, text))
    return raised.value


# 1. The statement splitter and the analysis: linear however long or many ----------------------

LONG = 300_000  # the reported paragraph; the quadratic split took 36-61 s, the linear one 0.03 s


@pytest.mark.parametrize(
    "unit",
    [
        "e.g. A i.e. B etc. C ",  # abbreviations before capitals: none ends a sentence
        "No. 5 Fig. 6 cf. Sect. 7 ",
        "A. B. C. D. ",  # initials
        "e.g. “A” i.e. (B) etc. [C] ",  # opening quotes and brackets
        "x.y.z." * 50 + " ",  # long words full of stops
        "e.g." + " " * 1000 + "A ",  # a long run of spaces after each
    ],
)
def test_a_long_paragraph_of_abbreviations_splits_in_linear_time(unit):
    text = unit * (LONG // len(unit)) + "End."
    with within(20):
        sentences = split_sentences(text)
    assert "".join(sentences).replace(" ", "") == text.replace(" ", "")


def _old_split(text: str) -> list[str]:
    """The quadratic splitter this replaced, kept as the reference for what a split is."""
    end = re.compile(r"(?<=[.!?])(?P<close>[\"”’)\]]*)\s+(?=[\"“‘(\[]?[A-Z0-9])")
    abbreviations = set(
        "e.g i.e etc no nos cf vs fig approx incl viz para ref sect min max st mr ms dr".split()
    )
    sentences, start = [], 0
    for match in end.finditer(text):
        words = text[start : match.start()].split()
        word = words[-1].strip('"“‘([').rstrip(".").lower() if words else ""
        if word in abbreviations or (len(word) == 1 and word.isalpha()):
            continue
        sentences.append(text[start : match.start() + len(match["close"])].strip())
        start = match.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


_PIECES = st.sampled_from(
    [*'x1.!?”’)](“‘"[', "e.g.", "etc.", "No.", "A.", "Word", " ", " ", "  ", "\n", "\t", "ab."]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_the_linear_split_gives_what_the_quadratic_one_gave(text):
    assert split_sentences(text) == _old_split(text)


def _old_phrases(variants: dict[str, str], text: str) -> list[str]:
    """The alternation regex this replaced (time: phrases x text), as the reference."""
    keys = sorted(variants, key=len, reverse=True)
    body = "|".join(re.escape(key) for key in keys) or r"(?!)"
    pattern = re.compile(rf"(?<![\w-])({body})(?![\w-])")
    return list(dict.fromkeys(variants[m.group(1)] for m in pattern.finditer(text)))


_WORDS = st.sampled_from(["Log", "Logs", "Security", "log", "a", "ab", "-", "’s", "'s", "y"])
_TERMS = st.lists(st.lists(_WORDS, min_size=1, max_size=3).map(" ".join), max_size=6).map(
    lambda terms: [t for t in terms if t.strip()]
)
_TEXTS = st.lists(
    st.one_of(_WORDS, st.sampled_from([" ", "  ", ",", "(", ")", "-", "ies", "es"])), max_size=30
).map("".join)


@settings(max_examples=600, deadline=None)
@given(_TERMS, _TEXTS)
def test_the_term_trie_finds_what_the_alternation_found(terms, text):
    variants: dict[str, str] = {}
    for term in terms:
        for variant in term_variants(term):
            variants.setdefault(variant, term)
    assert TermMatcher(terms).terms_in(text) == _old_phrases(variants, text)


@settings(max_examples=600, deadline=None)
@given(_TERMS, _TEXTS)
def test_the_term_trie_finds_what_the_regex_of_few_terms_finds(terms, text):
    from spectrace.transforms import statements

    few = TermMatcher(terms).terms_in(text)
    limit = statements.ALTERNATION_PHRASES
    statements.ALTERNATION_PHRASES = 0  # the trie, as for many terms
    try:
        assert TermMatcher(terms).terms_in(text) == few
    finally:
        statements.ALTERNATION_PHRASES = limit


def test_many_terms_and_a_long_paragraph_are_matched_in_linear_time():
    terms = [f"Term{n} Log" for n in range(20_000)]  # the alternation: ~100k variants per position
    text = " ".join(f"the Term{n % 20_000} Logs and" for n in range(40_000))
    with within(20):
        found = TermMatcher(terms).terms_in(text)
    assert len(found) == 20_000


def test_many_cross_references_are_found_in_linear_time():
    text = " ".join(f"Section 1.{n} and (2.{n}) and CHTS 3.{n}" for n in range(20_000))
    with within(20):
        refs = Vocabulary().refs_in(text, "SMETS")
    assert len(refs) == 60_000


def test_a_long_sentence_of_months_has_its_modality_in_linear_time():
    text = "!" * LONG + " May 1" * (LONG // 6) + " ESME shall"
    with within(20):
        assert modality(text).value == "shall"


# 2. Every docutils problem is an error: nothing vanishes ---------------------------------------

SHORT_TITLE = "1 General\n=========\n\nText.\n\n5.51\n~~~\n\nMore text.\n"


@pytest.mark.parametrize(
    ("section", "line", "words"),
    [
        # docutils turns these into text with only a note (INFO): 5.51 would join clause 1
        (SHORT_TITLE, 7, "too short for the title"),
        ("1 General\n=========\n\nText.\n\n===\n5.5\n\nMore.\n", 6, "incomplete section title"),
        ("1 General\n=========\n\nterm\n  ::\n    x\n", 6, "Blank line missing"),
        # and these into warnings and errors
        ("1 General\n=========\n\n5.5.1 Clock\n~~~~~~~~~~\n\nText.\n", 5, "underline too short"),
        ("1 General\n=========\n\n*Text.\n", 4, "start-string without end-string"),
        ("1 General\n=========\n\n`Text.\n", 4, "start-string without end-string"),
        ("1 General\n=========\n\n|Text.\n", 4, "start-string without end-string"),
        ("1 General\n=========\n\n- a\nb\n", 5, "unindent"),
        ("1 General\n=========\n\n.. frobnicate:: x\n", 4, 'Unknown directive type "frobnicate"'),
        ("1 General\n=========\n\n:frob:`x`\n", 4, 'Unknown interpreted text role "frob"'),
        ("1 General\n=========\n\n.. raw:: html\n\n   <b>x</b>\n", 4, "disabled"),
        ("1 General\n=========\n\n.. include:: /etc/passwd\n", 4, "disabled"),
        ("1 General\n=========\n\n`a <b>`_ and `a <c>`_\n", None, "Duplicate"),
    ],
)
def test_a_docutils_note_warning_or_error_is_an_error(tmp_path, section, line, words):
    located(spec_error(tmp_path, section), line, words)


def test_the_short_underline_is_refused_end_to_end_with_one_line(project_copy):
    path = project_copy / "specs" / "SMETS" / "4.2" / "section-05.rst"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("5.5.1 Clock\n~~~~~~~~~~~", "5.51\n~~~"), encoding="utf-8")
    one_error_line(run("--project", str(project_copy), "lint"), "section-05.rst", "line 31:")


def test_the_canonical_reader_leaves_a_short_underline_to_docutils(tmp_path):
    folder = spec(tmp_path, SHORT_TITLE)
    assert rst_spec._read_canonical("SMETS", folder / "section-01.rst") is None


@pytest.mark.parametrize(
    "section",
    [
        "1 General\n=========\n\nx\n\n2 General\n=========\n\ny\n\n1.1 A\n-----\n\nz\n\n"
        "2.1 A\n-----\n\nw\n",  # two headings of one title: a note, and harmless
        "1 General\n=========\n\n3. third\n4. fourth\n",  # a list from 3: a note, harmless
    ],
)
def test_harmless_notes_are_still_read(tmp_path, section):
    assert read_rst_spec(spec(tmp_path, section)).clauses


# 3. Option values: dates, sides, actions, numbers, names --------------------------------------


@pytest.mark.parametrize("option", ["date", "date-raised"])
@pytest.mark.parametrize(
    "value", ["2019-13-45", "2019-02-30", "2019-7-1", "20190711", "11 July 2019", "TBC", "x" * 99]
)
def test_a_proposal_date_must_be_a_real_iso_date(tmp_path, option, value):
    text = f".. spec:proposal:: IRP1\n   :{option}: {value}\n\n" + IRP_HEAD.split("\n\n", 1)[1]
    located(irp_error(tmp_path, text), 1, f'option: "{option}"', "YYYY-MM-DD")


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("revised-on", "2019-13-45", ["revised-on", "YYYY-MM-DD"]),
        ("run-on", "aftr", ["run-on", "before after"]),
        ("run-on", "before, sideways", ["sideways", "before after"]),
        ("run-on", "both", ["both"]),
        ("action", "amendd", ["amend", "add_term", "amend_term", "delete_term"]),
        ("action", "", ["action"]),
        ("target", "SMETS", ["not a target"]),
        ("target", "smets 1.1", ["not a target"]),
        ("colour", "red", ['unknown option: "colour"']),
    ],
)
def test_a_change_option_must_have_an_allowed_value(tmp_path, option, value, words):
    change = CHANGE.replace(
        "   :target: SMETS 1.1\n", f"   :target: SMETS 1.1\n   :{option}: {value}\n"
    )
    if option == "target":
        change = CHANGE.replace("SMETS 1.1", value)
    located(irp_error(tmp_path, IRP_HEAD + change), 7, *words)


@pytest.mark.parametrize("number", ["0", "-1", "1.5", "x", "10000", "9" * 5000])
def test_a_change_number_is_a_whole_number_in_range(tmp_path, number):
    text = IRP_HEAD + CHANGE.replace("spec:change:: 1", f"spec:change:: {number}")
    located(irp_error(tmp_path, text), 7, "change number")


def test_valid_options_are_read(tmp_path):
    change = CHANGE.replace(
        "   :target: SMETS 1.1\n",
        "   :target: SMETS 1.1\n   :run-on: before, after\n   :revised-on: 2019-07-11\n",
    )
    proposal = read_rst_irp(irp_file(tmp_path, IRP_HEAD + change))
    assert proposal.date == "2019-07-11"
    [read] = proposal.changes
    assert (read.run_on_before, read.run_on_after, read.revised_on) == (True, True, "2019-07-11")


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ("   :action: add_term\n", ["add_term changes a glossary", "SMETS Glossary"]),
        ("   :term: Security Log\n", [":term: belongs to a change whose target is a glossary"]),
    ],
)
def test_glossary_options_on_a_clause_change_are_refused(tmp_path, options, words):
    change = CHANGE.replace("   :target: SMETS 1.1\n", "   :target: SMETS 1.1\n" + options)
    located(irp_error(tmp_path, IRP_HEAD + change), 7, *words)


@pytest.mark.parametrize(
    ("section", "index", "line", "words"),
    [
        (".. spec:level:: 65\n\n" + SECTION, INDEX, 1, ["heading level of at most 64"]),
        (".. spec:level:: " + "9" * 5000 + "\n\n" + SECTION, INDEX, 1, ["heading level"]),
        (
            SECTION + "\n.. spec:item:: (a)\n   :level: 65\n\n   Item.\n",
            INDEX,
            6,
            ["list level of at most 64"],
        ),
        (SECTION, INDEX.replace("SMETS", "smets"), 1, ["not a document name"]),
        (SECTION, INDEX.replace("4.2", "4.2 beta"), 1, ["not an edition"]),
        (SECTION, INDEX.replace("4.2", "4" * (EDITION_CHARS + 1)), 1, ["not an edition"]),
        (SECTION, INDEX + "\n.. spec:document:: X\n", 8, ["exactly one"]),
        (
            SECTION,
            INDEX.replace("   :edition: 4.2\n", "   :edition: 4.2\n   :retired: SMETS-1-1 a/b\n"),
            1,
            ["'a/b' is not a statement id"],
        ),
    ],
)
def test_spec_option_values_are_checked(tmp_path, section, index, line, words):
    with pytest.raises(ReadError) as raised:
        read_rst_spec(spec(tmp_path, section, index=index))
    located(raised.value, line, *words)


def test_a_canonical_looking_level_of_thousands_of_digits_is_left_to_docutils():
    text = "1 General\n=========\n\n.. spec:level:: " + "9" * 5000 + "\n\n1.1 A\n-----\n"
    assert canonical.read_section("SMETS", "x.rst", text) is None


def test_a_bad_date_in_an_irp_is_refused_end_to_end(project_copy):
    path = project_copy / "specs" / "irps" / "IRP603.rst"
    text = path.read_text(encoding="utf-8").replace(":date: 2019-07-11", ":date: 2019-13-45")
    path.write_text(text, encoding="utf-8")
    one_error_line(run("--project", str(project_copy), "amend"), "IRP603.rst", "line 5:", "date")


# 4. Nesting, size, file kind, encoding ---------------------------------------------------------

DEEP = 400


def _nested(kind: str, depth: int) -> str:
    """Return RST nesting ``kind`` ``depth`` levels deep."""
    if kind == "block quotes":
        return "\n\n".join(" " * (2 * i) + "x" for i in range(depth)) + "\n"
    if kind == "indented lists":
        return "\n".join(" " * (2 * i) + "- x" for i in range(depth)) + "\n"
    if kind == "bullets on one line":
        return "- " * depth + "x\n"
    if kind == "enumerators on one line":
        return "1. " * depth + "x\n"
    if kind == "fields on one line":
        return ":a: " * depth + "x\n"
    if kind == "directives on one line":
        return ".. note:: " * depth + "x\n"
    if kind == "spec:items":
        return "".join(" " * (3 * i) + ".. spec:item:: a\n\n" for i in range(depth)) + "\n"
    if kind == "grid tables":
        lines = ["+-+", "|x|", "+-+"]
        for _ in range(depth - 1):
            rule = "+" + "-" * (len(lines[0]) + 2) + "+"
            lines = [rule, *(f"| {line} |" for line in lines), rule]
        return "\n".join(lines) + "\n"
    if kind == "tabs":
        return "\n\n".join("\t" * i + "x" for i in range(depth)) + "\n"
    raise AssertionError(kind)


KINDS = [
    "block quotes",
    "indented lists",
    "bullets on one line",
    "enumerators on one line",
    "fields on one line",
    "directives on one line",
    "spec:items",
    "grid tables",
    "tabs",
]


@pytest.mark.parametrize("kind", KINDS)
def test_nesting_deeper_than_the_limit_is_one_error_before_docutils(tmp_path, kind):
    depth = 150 if kind == "grid tables" else DEEP
    error = spec_error(tmp_path, "1 General\n=========\n\n" + _nested(kind, depth))
    located(error, None, f"deeper than {RST_DEPTH}")
    assert error.where and error.where.startswith("line ")


@pytest.mark.parametrize("kind", KINDS)
def test_nesting_within_the_limit_passes_the_scan(kind):
    source.check_text(_nested(kind, RST_DEPTH - 4), "x.rst")


def test_deep_nesting_is_refused_end_to_end_with_one_line(project_copy):
    path = project_copy / "specs" / "SMETS" / "4.2" / "section-05.rst"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n" + _nested("block quotes", DEEP))
    one_error_line(run("--project", str(project_copy), "lint"), "section-05.rst", "deeper than")


@pytest.mark.parametrize("links", ["http://a.b ", "a@b.cd "])
def test_a_long_run_of_bare_links_is_an_error_not_a_recursion_error(tmp_path, links):
    # docutils recurses once per bare link in a run of text; the parse guards it.
    error = spec_error(tmp_path, "1 General\n=========\n\n" + links * 1500 + "\n")
    located(error, None, "too deeply")


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"1 General\n=========\n\nCaf\xe9.\n", 4, ["not UTF-8", "0xe9"]),
        (b"1 General\n=========\n\n\xff\xfe\n", 4, ["not UTF-8"]),
        (b"1 General\n=========\n\nA\x00B.\n", 4, ["U+0000"]),
        (b"1 General\n=========\n\nA\x01B.\n", 4, ["U+0001"]),
        (b"1 General\n=========\n\nA\x1bB.\n", 4, ["U+001B"]),
        (b"1 General\n=========\n\nA\x7fB.\n", 4, ["U+007F"]),
        ("1 General\n=========\n\nA\x85B.\n".encode(), 4, ["U+0085"]),
        ("1 General\n=========\n\nA\ufffeB.\n".encode(), 4, ["U+FFFE"]),
        (b"1 General\r\n=========\r\n\r\nA\x0cB.\r\n", 4, ["U+000C"]),
        (b"1 General\r=========\r\rA\x0bB.\r", 4, ["U+000B"]),
    ],
)
def test_bad_bytes_and_control_characters_are_errors_naming_the_line(tmp_path, data, line, words):
    located(spec_error(tmp_path, data), line, *words)


def test_a_source_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(source, "RST_FILE_BYTES", 1000)
    located(spec_error(tmp_path, SECTION + "\nText." * 500), None, "over the limit")


@LINUX
@pytest.mark.parametrize("which", ["section", "index", "irp"])
def test_a_fifo_source_is_refused_without_blocking(tmp_path, which):
    folder = spec(tmp_path)
    target = {"section": folder / "section-01.rst", "index": folder / "index.rst"}.get(
        which, tmp_path / "IRP1.rst"
    )
    target.unlink(missing_ok=True)
    os.mkfifo(target)
    with within(10), pytest.raises(ReadError) as raised:
        read_rst_irp(target) if which == "irp" else read_rst_spec(folder)
    assert raised.value.file


def test_a_folder_named_like_a_section_is_refused(tmp_path):
    folder = spec(tmp_path)
    (folder / "section-01.rst").unlink()
    (folder / "section-01.rst").mkdir()
    located(spec_error_in(folder), None, "folder")


def spec_error_in(folder: Path) -> ReadError:
    with pytest.raises(ReadError) as raised:
        read_rst_spec(folder)
    return raised.value


@LINUX
@pytest.mark.parametrize("entry", ["loop", "x" * 300])
def test_a_toctree_entry_that_cannot_be_looked_up_is_an_error(tmp_path, entry):
    folder = spec(tmp_path, index=INDEX.replace("section-01", entry))
    if entry == "loop":
        (folder / "loop.rst").symlink_to(folder / "loop.rst")
    located(spec_error_in(folder), 4, entry[:20], "cannot be looked up")


def test_line_ends_of_every_kind_read_alike(tmp_path):
    lf = "1 General\n=========\n\n:st:`SMETS-1-1` ESME shall keep\ntime.\n"
    expected = read_rst_spec(spec(tmp_path / "lf", lf)).clauses
    for ending in ["\r\n", "\r"]:
        folder = spec(tmp_path / repr(ending), lf.replace("\n", ending))
        assert read_rst_spec(folder).clauses == expected
    mixed = spec(
        tmp_path / "mixed", "1 General\r\n=========\n\r:st:`SMETS-1-1` ESME shall keep\ntime."
    )
    assert read_rst_spec(mixed).clauses == expected
    bom = spec(tmp_path / "bom", "\ufeff" + lf)
    assert read_rst_spec(bom).clauses == expected


# 5. Nothing in the data can break the database's keys ------------------------------------------


def test_two_changes_with_one_number_name_both_lines(tmp_path):
    text = IRP_HEAD + CHANGE + "\n" + CHANGE.replace("more", "again")
    located(irp_error(tmp_path, text), 12, "change 1 is numbered twice", "line 7")


def test_two_changes_with_one_number_are_refused_end_to_end(project_copy):
    path = project_copy / "specs" / "irps" / "IRP603.rst"
    text = path.read_text(encoding="utf-8").replace("spec:change:: 2\n", "spec:change:: 1\n")
    path.write_text(text, encoding="utf-8")
    one_error_line(run("--project", str(project_copy), "db"), "IRP603.rst", "numbered twice")


def _document(*statement_ids: str, glossary=(), label=("SMETS", "4.2")) -> Document:
    blocks = [Block(BlockKind.PARAGRAPH, "Text.", [Statement(s, "Text.")]) for s in statement_ids]
    return Document(
        *label, clauses=[Clause("1", "General", 1, blocks)], glossary=list(glossary), source="src"
    )


def _change(number: int, where: str | None = None) -> Change:
    location = Location("IRP1.docx", where) if where else None
    return Change(number, "", Target("SMETS", "1"), Action.AMEND, location=location)


@pytest.mark.parametrize(
    ("documents", "proposals", "words"),
    [
        ([_document()], [Proposal("IRP1", changes=[_change(1), _change(1)])], ["two changes"]),
        ([_document()], [Proposal("IRP1", changes=[_change(1, "line 3"), _change(1)])], ["IRP1"]),
        ([_document()], [Proposal("IRP1", file="a"), Proposal("IRP1", file="b")], ["also read"]),
        ([_document()], [Proposal("IRP1", changes=[_change(1 << 63)])], ["database can store"]),
        ([_document()], [Proposal("IRP1", changes=[_change(-1)])], ["database can store"]),
        ([_document(), _document()], [], ["SMETS 4.2 is also read"]),
        ([_document("SMETS-1-1", "SMETS-1-1")], [], ["SMETS-1-1 is used twice"]),
    ],
)
def test_data_the_schema_would_refuse_is_a_read_error_not_a_sqlite_error(
    tmp_path, documents, proposals, words
):
    with pytest.raises(ReadError) as raised:
        write_database(documents, tmp_path / "r.db", Vocabulary(), proposals=proposals)
    for word in words:
        assert word in str(raised.value)
    assert not (tmp_path / "r.db").exists()


def test_duplicate_terms_and_clause_numbers_are_stored_as_they_are(tmp_path):
    # Word documents have them; the glossary is keyed by position and the first term matches.
    glossary = [GlossaryEntry("Log", "first"), GlossaryEntry("log", "second")]
    document = _document("SMETS-1-1", glossary=glossary)
    document.clauses.append(Clause("1", "General", 1))
    write_database([document], tmp_path / "r.db", Vocabulary())
    with sqlite3.connect(tmp_path / "r.db") as db:
        assert db.execute("SELECT term FROM glossary ORDER BY position").fetchall() == [
            ("Log",),
            ("log",),
        ]
        assert db.execute("SELECT count(*) FROM clauses WHERE number = '1'").fetchone() == (2,)


# 6. Other hostile sources: wrong places, lost text, huge lines ---------------------------------

HEAD = "1 General\n=========\n\n"


@pytest.mark.parametrize(
    ("section", "line", "words"),
    [
        (HEAD + "Text :ins:`inserted`.\n", 4, [":ins:"]),
        (HEAD + "Text :del:`deleted`.\n", 4, [":del:"]),
        (HEAD + "Text |sub|.\n\n.. |sub| replace:: more\n", 4, ["substitutions"]),
        (HEAD + ".. spec:change:: 1\n\n   Text.\n", 4, ["spec_change"]),
        (HEAD + ".. spec:proposal:: IRP1\n", 4, ["spec_proposal"]),
        (HEAD + ".. spec:document:: SMETS\n   :edition: 4.2\n", 4, ["spec_document"]),
        (HEAD + ".. toctree::\n\n   section-02\n", 4, ["toc_entries"]),
        (HEAD + "Text.\n\n.. spec:level:: 2\n", 6, ["spec:level has no heading after it"]),
        (".. spec:level:: 2\n\n.. spec:level:: 3\n\n" + HEAD, 3, ["second spec:level"]),
        (HEAD + ".. spec:glossary::\n\n   Log : kind\n      A log.\n", 6, ["classifier"]),
        (HEAD + ".. spec:glossary::\n\n   Log\n      One.\n\n      Two.\n", 9, ["one paragraph"]),
        (HEAD + ".. spec:glossary::\n\n   Log\n      - a\n      - b\n", 7, ["one paragraph"]),
        (HEAD + ".. spec:glossary::\n\n   :st:`SMETS-1-1`\n      A log.\n", 6, ["no text"]),
        (
            HEAD
            + ".. spec:glossary::\n\n   A\n      One.\n\n.. spec:glossary::\n\n   B\n      Two.\n",
            9,
            ["second spec:glossary"],
        ),
        (
            HEAD + ".. list-table::\n\n   * - One.\n\n       Two.\n     - x\n   * - y\n     - z\n",
            8,
            ["table cell holds one paragraph"],
        ),
        (
            HEAD + ".. list-table::\n\n   * - .. list-table::\n\n          * - a\n     - x\n",
            6,
            ["table cell holds one paragraph"],
        ),
        (
            HEAD + ".. list-table:: Caption\n\n   * - a\n     - b\n",
            4,
            ["table's title is not read"],
        ),
        (HEAD + ":st:`SMETS 1 1` Text.\n", 4, ["not a statement id"]),
        (HEAD + ":st:`CHTS-1-1` Text.\n", 4, ["does not start with 'SMETS-'"]),
        (HEAD + "Text\n\n----------\n\nMore.\n", 6, ["transition"]),
        (HEAD + "::\n\n   literal\n", 6, ["literal_block"]),
        (HEAD + "x" * 35_000 + "\n" + "x" * 35_000 + "\n", 4, ["70,001 characters", "split it"]),
        (HEAD + "\n".join(["x"] * 40_000) + "\n", 4, ["characters", "split it"]),
    ],
)
def test_a_construct_a_specification_cannot_hold_is_an_error(tmp_path, section, line, words):
    located(spec_error(tmp_path, section), line, *words)


def test_a_glossary_in_two_files_is_refused(tmp_path):
    glossary = ".. spec:glossary::\n\n   A\n      One.\n"
    index = INDEX + "   section-02\n\n" + glossary
    folder = spec(tmp_path, SECTION + "\n" + glossary, index=index)
    (folder / "section-02.rst").write_text("2 Other\n=======\n\nText.\n", encoding="utf-8")
    located(spec_error_in(folder), None, "second glossary")


def test_a_default_role_does_not_outlive_its_parse(tmp_path):
    spec_error(tmp_path / "a", HEAD + ".. default-role:: st\n\n`SMETS-1-1` *bad\n")
    again = read_rst_spec(spec(tmp_path / "b", HEAD + "`A title` stays text.\n"))
    assert again.clauses[0].blocks[0].statements == []


def test_a_canonical_statement_of_a_megabyte_is_read(tmp_path):
    text = "ESME shall " + "keep time and " * 80_000 + "more."
    section = f"1 General\n=========\n\n:st:`SMETS-1-1` {text}\n"
    with within(30):
        read = read_rst_spec(spec(tmp_path, section))
    assert read.clauses[0].blocks[0].statements[0].text == text


@pytest.mark.parametrize(
    "unit",
    ["*a ", "`a ", "|a ", "``a ", "_`a ", "`a <b>`_ "],
)
def test_inline_markup_that_docutils_handles_in_quadratic_time_stops_at_once(tmp_path, unit):
    paragraphs = "\n\n".join([unit * 5_000] * 20)  # unmatched starts, duplicate link targets
    with within(30):
        error = spec_error(tmp_path, HEAD + paragraphs + "\n")
    located(error, None)
    assert error.where in ("line 4", "line 5")  # docutils' line of an inline problem


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (IRP_HEAD.replace("\n\nRequired", "\n\nStray text.\n\nRequired") + CHANGE, 4, ["outside"]),
        (IRP_HEAD.replace("Required", "Description\n===========\n\nText.\n\nRequired"), None, []),
        (IRP_HEAD + CHANGE + "\n" + IRP_HEAD.split("\n\n", 1)[1] + CHANGE, 13, ["second section"]),
        (".. spec:proposal:: IRP1\n\n" + CHANGE, 3, ["outside any section"]),
        (IRP_HEAD + "Text.\n", 7, ["only '.. spec:change::'"]),
        (IRP_HEAD.replace("Required", "Description\n===========\n\n:ins:`x`\n\nRequired"), 7, []),
        (IRP_HEAD + CHANGE.replace("Text", ":st:`SMETS-1-1` Text"), 10, ["statement marker"]),
        (IRP_HEAD + CHANGE + "\n   .. spec:heading:: 1.1 A\n\n      1.1 B\n", 12, ["heading"]),
        (IRP_HEAD + CHANGE + "\n   .. spec:heading::\n", 12, ["heading"]),
        (IRP_HEAD + CHANGE + "\n   .. spec:item:: (a)\n\n      One.\n\n      Two.\n", 16, []),
        (IRP_HEAD + CHANGE + "\n   .. spec:item:: (a)\n", 12, ["spec:item"]),
        (IRP_HEAD + ".. spec:proposal:: IRP2\n\n" + CHANGE, 7, ["exactly one"]),
        (IRP_HEAD.replace(":: IRP1", ":: IRP 1"), 1, ["maximum 1 argument"]),
        (IRP_HEAD.replace(":: IRP1", ":: 603"), 1, ["not an IRP number"]),
        (
            IRP_HEAD.replace("Required", "Description\n===========\n\n- a\n\n  b\n\nRequired"),
            9,
            ["one paragraph"],
        ),
        (
            IRP_HEAD
            + CHANGE
            + "\n   .. list-table::\n\n      * - One.\n\n          Two.\n        - x\n",
            16,
            ["table cell holds one paragraph"],
        ),
    ],
)
def test_an_irp_construct_out_of_place_is_an_error(tmp_path, text, line, words):
    if line is None:  # the well-formed control case
        assert read_rst_irp(irp_file(tmp_path, text)).sections == {"Description": "Text."}
        return
    located(irp_error(tmp_path, text), line, *words)


@pytest.mark.parametrize("blocks", [100, 101])
def test_a_hand_written_source_of_more_blocks_than_the_limit_is_refused_before_docutils(
    tmp_path, monkeypatch, blocks
):
    monkeypatch.setattr(source, "RST_BLOCKS", 100)  # the real limit, 100,000, takes a minute
    paragraphs = "".join(f"Paragraph {n} of informative text.\n\n" for n in range(blocks - 2))
    folder = spec(tmp_path, SECTION + "\n" + paragraphs)  # + title and statement: 2 blocks more
    if blocks <= 100:
        assert read_rst_spec(folder).clauses
        return
    with pytest.raises(ReadError, match="holds more than 100 blocks"):
        read_rst_spec(folder)
