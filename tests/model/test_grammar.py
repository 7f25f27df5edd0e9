"""The grammar of names and references (spectrace.model.refs), and that every module that reads
one accepts and refuses exactly what the grammar does.

The table below is the grammar's specification by example: each element with the texts it
accepts and the texts it refuses. A change to a rule is a change to this table.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spectrace.config import load_project
from spectrace.errors import AddressError, ConfigError, ReadError
from spectrace.limits import EDITION_CHARS, NAME_CHARS
from spectrace.model.refs import (
    ClauseAddress,
    is_clause_number,
    is_document_name,
    is_edition,
    is_irp_number,
    is_statement_id,
    match_address,
    number_key,
    parse_address,
    parse_change_target,
    split_heading,
    split_statement_id,
    statement_id,
)
from spectrace.readers.rst import markup
from spectrace.readers.rst.source import parse_text
from spectrace.trace.tags import parse_targets

#: The longest document name and edition, and one character more.
LONGEST = "S" + "X" * (NAME_CHARS - 1)
TOO_LONG = LONGEST + "X"
LONGEST_EDITION = "4." + "2" * (EDITION_CHARS - 2)
TOO_LONG_EDITION = LONGEST_EDITION + "2"

#: element: (the grammar's predicate, texts accepted, texts refused)
GRAMMAR = {
    "document name": (
        is_document_name,
        ["SMETS", "CHTS", "GBCS", "S", "S2", "SmEts", LONGEST],
        [
            "",
            "smets",
            "2SMETS",
            "SMETS-X",
            "SMETS_X",
            "SMETS X",
            "SMETS.1",
            "SMÉTS",
            " SMETS",
            "SMETS\n",
            TOO_LONG,
        ],
    ),
    "edition": (
        is_edition,
        ["4.2", "1.3", "4.2+IRP603", "4.2+IRP603+IRP604", "v4", "4.2-rc_1", "A", LONGEST_EDITION],
        ["", ".4", "+4", "-4", "_4", "4 2", "4/2", "4.ä", "4,2", " 4.2", "4.2\n", TOO_LONG_EDITION],
    ),
    "clause number": (
        is_clause_number,
        ["5", "5.6.1", "5.10", "4.4.6.1", "A.1", "B.2.3", "4.6.4.9A", "5A", "A.1B"],
        [
            *("", "5.", ".5", "5..6", "A", "a.1", "AB.1", "5.6a", "5 6", "A.B", "5.6.1\n"),
            *("4.6.4.9AB", "4.6A.1", "4.6.4.9A.", "4.6.4.9-A"),
        ],
    ),
    "clause address": (
        lambda text: match_address(text) is not None,
        [
            "SMETS 5.6.1",
            "SMETS@4.2 5.6.1",
            "CHTS@1.3 4.4.6.1",
            "SMETS@4.2+IRP603 5.6.1",
            "SMETS A.1",
            "SMETS  5.6.1",
            "SMETS\t5.6.1",
            " SMETS 5.6.1 ",
            f"{LONGEST}@{LONGEST_EDITION} 5.6.1",
        ],
        [
            "",
            "SMETS",
            "5.6.1",
            "smets 5.6.1",
            "SMETS-X 5.6.1",
            "SMETS_X 5.6.1",
            "SMETS 5.6.1.",
            "SMETS 5.6.1 x",
            "SMETS5.6.1",
            "SMETS@ 5.6.1",
            "SMETS @4.2 5.6.1",
            "SMETS@.4 5.6.1",
            "SMETS@ä 5.6.1",
            "SMETS Glossary",
            "SMETS-5.6.1-2",
            f"{TOO_LONG} 5.6.1",
            f"SMETS@{TOO_LONG_EDITION} 5.6.1",
        ],
    ),
    "statement id": (
        is_statement_id,
        [
            "SMETS-5.6.1-2",
            "CHTS-4.4.6.1-4",
            "SMETS-part-a-single-element-esme-1",
            "SMETS-A.1-1",
            "SMETS-5-10",
            f"{LONGEST}-1-1",
        ],
        [
            "",
            "SMETS",
            "SMETS-5.6.1",
            "SMETS-intro",
            "smets-5.6.1-2",
            "SMETS_X-5.6.1-2",
            "SMETS 5.6.1",
            "SMETS-5.6.1-2a",
            "SMETS-5.6.1-",
            "SMETS--1",
            "-5.6.1-1",
            "SMETS-5.6 1-1",
            " SMETS-5.6.1-2",
            "SMETS-5.6.1-2\n",
            f"{TOO_LONG}-1-1",
        ],
    ),
    "IRP number": (
        is_irp_number,
        ["IRP603", "irp603", "IRP_603-a", "X"],
        ["", "603", "IRP 603", "IRP.603", "IRP+603", "IRP#3", " IRP603", "IRP603\n"],
    ),
    "change target": (
        lambda text: parse_change_target(text) is not None,
        [
            "SMETS 4.4.5",
            "CHTS Glossary",
            "SMETS A.1",
            " SMETS  4.4.5 ",
            f"{LONGEST} Glossary",
            "4.6.4.10",
            "A.1",
            "4.6.4.9A",
        ],
        [
            "",
            "SMETS",
            "Glossary",
            "4.4.5 SMETS",
            "@4.2 4.4.5",
            "smets 4.4.5",
            "SMETS@4.2 4.4.5",
            "SMETS glossary",
            "SMETS 4.4.5 Glossary",
            f"{TOO_LONG} Glossary",
        ],
    ),
}


def examples(element: str, *, one_word: bool = False) -> list:
    """Return (text, accepted) for each example of ``element`` (only those that are one word
    with nothing around it, if ``one_word``), each with a readable id."""
    accepted, refused = GRAMMAR[element][1:]
    return [
        pytest.param(text, verdict, id=f"{element}: {text!r}"[:80])
        for verdict, texts in ((True, accepted), (False, refused))
        for text in texts
        if not one_word or text.split() == [text]
    ]


@pytest.mark.parametrize(
    "element, text, accepted",
    [
        pytest.param(element, *param.values, id=param.id)
        for element in GRAMMAR
        for param in examples(element)
    ],
)
def test_the_grammar_accepts_and_refuses_its_examples(element, text, accepted):
    assert GRAMMAR[element][0](text) is accepted


class TestParsingAndFormatting:
    def test_an_address_parses_to_its_parts_and_prints_back(self):
        assert parse_address(" SMETS@4.2  5.6.1 ") == ClauseAddress("SMETS", "5.6.1", "4.2")
        assert str(parse_address("SMETS@4.2 5.6.1")) == "SMETS@4.2 5.6.1"
        assert parse_address("SMETS A.1") == ClauseAddress("SMETS", "A.1", None)
        assert str(ClauseAddress("SMETS", "A.1")) == "SMETS A.1"

    def test_parse_address_raises_where_match_address_returns_none(self):
        assert match_address("smets 5.6.1") is None
        with pytest.raises(AddressError, match="is not a clause address"):
            parse_address("smets 5.6.1")

    def test_a_statement_id_is_made_from_and_split_into_its_parts(self):
        assert statement_id("SMETS", "5.6.1", 2) == "SMETS-5.6.1-2"
        assert split_statement_id("SMETS-5.6.1-2") == ("SMETS", "5.6.1", 2)
        assert split_statement_id("SMETS-part-a-12") == ("SMETS", "part-a", 12)
        assert split_statement_id("SMETS-5.6.1") is None

    def test_a_change_target_is_a_clause_or_the_glossary(self):
        assert parse_change_target("SMETS 4.4.5") == ("SMETS", "4.4.5")
        assert parse_change_target("CHTS Glossary") == ("CHTS", None)

    def test_a_bare_clause_number_is_a_target_by_context(self):
        assert parse_change_target("4.6.4.10") == ("", "4.6.4.10")
        assert parse_change_target(" A.1 ") == ("", "A.1")
        assert parse_change_target("Glossary") is None  # whose glossary is not guessed

    def test_a_heading_splits_into_number_and_title(self):
        assert split_heading("5.6.1 Security  Log") == ("5.6.1", "Security Log")
        assert split_heading("A.1. Annex") == ("A.1", "Annex")
        assert split_heading("5.6.1") == ("5.6.1", "")
        assert split_heading("Introduction") == (None, "Introduction")

    def test_clause_numbers_sort_numerically(self):
        numbers = ["5.10", "A.1", "5.9", "10", "5.9.1"]
        assert sorted(numbers, key=number_key) == ["5.9", "5.9.1", "5.10", "10", "A.1"]


# --- Every reader of a name or reference agrees with the grammar ----------------------------


def _refusal(tmp_path: Path, document: str, edition: str = "4.2", extra: str = "") -> str:
    """Return why the project file naming ``document`` at ``edition`` is refused, or ""."""
    text = (
        f'[project]\nspecs = "specs"\n[documents.{json.dumps(document)}]\n'
        f"edition = {json.dumps(edition)}\n{extra}"
    )
    (tmp_path / "spectrace.toml").write_text(text, encoding="utf-8")
    try:
        load_project(tmp_path / "spectrace.toml")
    except ConfigError as error:
        return str(error)
    return ""


class TestTheProjectFile:
    """A refusal names the key whose value the grammar refused."""

    @pytest.mark.parametrize("text, accepted", examples("document name"))
    def test_a_document_name(self, tmp_path, text, accepted):
        refusal = _refusal(tmp_path, text)
        assert (not refusal, "a document name" in refusal) == (accepted, not accepted)

    @pytest.mark.parametrize("text, accepted", examples("edition"))
    def test_an_edition(self, tmp_path, text, accepted):
        refusal = _refusal(tmp_path, "SMETS", text)
        assert (not refusal, "] edition" in refusal) == (accepted, not accepted)

    @pytest.mark.parametrize("text, accepted", examples("IRP number"))
    def test_an_irp_number(self, tmp_path, text, accepted):
        refusal = _refusal(tmp_path, "SMETS", extra=f"proposals = [{json.dumps(text)}]\n")
        assert (not refusal, "] proposals" in refusal) == (accepted, not accepted)

    @pytest.mark.parametrize("text, accepted", examples("clause address"))
    def test_the_clause_of_a_lint_waiver(self, tmp_path, text, accepted):
        waiver = (
            f'[[lint.waive]]\ncode = "dangling-ref"\nclause = {json.dumps(text)}\n'
            'reason = "not reproduced"\n'
        )
        refusal = _refusal(tmp_path, "SMETS", extra=waiver)
        assert (not refusal, "#1 clause" in refusal) == (accepted, not accepted)


class TestTags:
    """A tag's pieces are trimmed before the grammar sees them."""

    @pytest.mark.parametrize("text, accepted", examples("statement id"))
    def test_a_statement_id(self, text, accepted):
        targets, _ = parse_targets(text)
        named = [t.statement for t in targets]
        assert (named == [text.strip()]) is is_statement_id(text.strip())

    @pytest.mark.parametrize("text, accepted", examples("clause address"))
    def test_a_clause_address(self, text, accepted):
        targets, _ = parse_targets(text)
        named = [ClauseAddress(t.document, t.clause, t.edition) for t in targets if t.clause]
        assert named == ([parse_address(text)] if accepted else [])


class TestSpecAsCode:
    """The ``:st:`` role and the option converters of spec:document (which the Sphinx
    directives share); docutils strips an option's value before the converter sees it."""

    @pytest.mark.parametrize("text, accepted", examples("document name"))
    def test_a_document_name(self, text, accepted):
        assert _converts(markup.document_name, text) is is_document_name(text.strip())

    @pytest.mark.parametrize("text, accepted", examples("edition"))
    def test_an_edition(self, text, accepted):
        assert _converts(markup.edition_name, text) is is_edition(text.strip())

    @pytest.mark.parametrize("text, accepted", examples("statement id", one_word=True))
    def test_a_retired_statement_id(self, text, accepted):
        assert _converts(markup.statement_ids, text) is accepted

    @pytest.mark.parametrize("text, accepted", examples("statement id", one_word=True))
    def test_the_statement_role(self, text, accepted):
        try:
            parse_text(f":st:`{text}` Text.\n", "index.rst")
        except ReadError as error:
            assert not accepted and "is not a statement id" in str(error)
        else:
            assert accepted


def _converts(converter, text: str) -> bool:
    try:
        converter(text)
    except ValueError:
        return False
    return True
