"""Reconciling a mark-up read from a picture with the clause it amends (transforms/reconcile.py):
OCR's confusions in unchanged and deleted words are replaced by the clause's own words; inserted
words are corrected only towards words of the specification; anything else is unverified."""

from __future__ import annotations

import pytest

from spectrace.model import Clause, Document, GlossaryEntry, MarkupBlock, MarkupKind, Op, Span
from spectrace.transforms.reconcile import fold, reconcile, vocabulary
from tests.transforms.test_amend import block, spans

KEPT = "ESME shall be capable of displaying the Security Log (5.7.5.31) on its User Interface"
SECURITY_LOG = (
    "ESME shall be capable of displaying the Security Log (5.7.5.31) on its User Interface "
    "following physical access through the Secure Perimeter of ESME."
)
CLAUSE = Clause(
    "5.5.4",
    "Display of information",
    3,
    [block("ESME shall record each event."), block(SECURITY_LOG)],
)
TABLE = [["Data item", "Annotation"], ["Security Log entry", "[INFO]"]]
DOCUMENT = Document(
    "SMETS",
    "4.2",
    clauses=[CLAUSE, Clause("5.7.5.31", "Security Log", 4, [block(TABLE)])],
    glossary=[GlossaryEntry("Type 1 Device", "a Device on the HAN")],
)
#: The IRP's own typed prose lends its words too.
WORDS = vocabulary(
    [DOCUMENT],
    ["The Security Log is shown only after access, not before; provide any [ALERT] information."],
)


def paragraph(text: str) -> MarkupBlock:
    return MarkupBlock(MarkupKind.PARAGRAPH, spans(text))


def shown(blocks: list[MarkupBlock]) -> list[list[tuple[str, str]]]:
    return [[(s.text, s.op.value) for s in b.all_spans()] for b in blocks]


@pytest.mark.parametrize(
    "read",
    [
        # OCR's confusions in unchanged and deleted words
        "ESME shall be capab1e of displaying the Securlty Log (5.7.5.3l) on its User Interface "
        "{+only+} following [-physica!-] access through the Secure Perimeter of ESME.",
        # formatting-mark debris glued to words, words run together and split
        "ESME:shall-be capable-of displaying the Security Log (5.7.5.31) on its User Interface "
        "{+only+} following [-physical-] access through the SecurePerimeter of ESME.-",
        "ESME shall be capable of dis playing the Security Log (5.7.5.31) on its User Inter face "
        "{+only+} following [-physical-] access through the Secure Perimeter of ESME. q",
    ],
)
def test_unchanged_and_deleted_words_become_the_clauses_own(read):
    result = reconcile([paragraph(read)], CLAUSE, WORDS)
    assert result.unverified == ""
    assert shown(result.blocks) == [
        [
            (KEPT + " ", "keep"),
            ("only", "insert"),
            (" following ", "keep"),
            ("physical", "delete"),
            (" access through the Secure Perimeter of ESME.", "keep"),
        ]
    ]
    assert result.corrections


def test_a_paragraph_ocr_split_is_joined_by_the_clause():
    first, second = SECURITY_LOG.split(" its ")
    result = reconcile(
        [paragraph(first), paragraph("its User Interface {+only+} following physical access")],
        CLAUSE,
        WORDS,
    )
    assert result.unverified == ""
    assert len(result.blocks) == 1
    assert result.blocks[0].text(after=True).startswith("ESME shall")
    assert second  # the split point is inside the one paragraph


def test_an_inserted_word_is_corrected_only_towards_a_word_of_the_specification():
    result = reconcile(
        [paragraph("ESME shall record each event. {+ESME shall display the Securlty Log.+}")],
        CLAUSE,
        WORDS,
    )
    assert result.unverified == ""
    assert result.blocks[0].spans[-1] == Span("ESME shall display the Security Log.", Op.INSERT)
    assert "'Securlty' -> 'Security'" in result.corrections


def test_formatting_mark_debris_on_inserted_words_goes():
    result = reconcile(
        [paragraph("ESME shall record each event. {+ESME:shall not provide any: information.+}")],
        CLAUSE,
        WORDS,
    )
    assert result.unverified == ""
    assert result.blocks[0].spans[-1].text == "ESME shall not provide any information."


def test_a_hyphen_that_may_be_a_formatting_mark_is_unverified_not_guessed():
    result = reconcile(
        [paragraph("ESME shall record each event. {+ESME shall-not record it.+}")], CLAUSE, WORDS
    )
    assert "shall-not" in result.unverified


def test_an_inserted_word_read_with_confidence_stays_as_read():
    result = reconcile(
        [paragraph("ESME shall record each event. {+ESME shall frobnicate it.+}")],
        CLAUSE,
        WORDS,
    )
    assert result.unverified == ""
    assert result.blocks[0].spans[-1].text == "ESME shall frobnicate it."


def test_an_inserted_word_ocr_was_unsure_of_is_unverified():
    result = reconcile(
        [paragraph("ESME shall record each event. {+ESME shall frobnicate it.+}")],
        CLAUSE,
        WORDS,
        doubtful=frozenset({"frobnicate"}),
    )
    assert "unsure of the inserted 'frobnicate'" in result.unverified
    assert result.blocks[0].spans[-1].text == "ESME shall frobnicate it."  # kept as read


def test_a_word_close_to_a_word_of_the_specification_is_not_taken_for_it():
    """Only OCR's own confusions are corrected: "Neither" is not the specification's "either"."""
    words = WORDS | {"either"}
    result = reconcile(
        [paragraph("ESME shall record each event. {+Neither ESME nor GSME.+}")], CLAUSE, words
    )
    assert result.blocks[0].spans[-1].text == "Neither ESME nor GSME."
    assert result.corrections == []


@pytest.mark.parametrize(
    ("read", "why"),
    [
        ("ESME shall record every single event. {+Also this.+}", "lacks 'each'"),
        ("ESME shall be capable of displaying the {+full+} Log (5.7.5.31)", "lacks 'Security'"),
        ("GSME may do something else entirely {+only+}", "lacks 'shall'"),
        ("ESME shall record each quarrelsome event. {+Also this.+}", "'quarrelsome' is not"),
    ],
)
def test_unchanged_text_that_is_not_the_clauses_is_unverified(read, why):
    result = reconcile([paragraph(read)], CLAUSE, WORDS)
    assert why in result.unverified


def test_a_table_row_is_reconciled_cell_by_cell():
    row = MarkupBlock(
        MarkupKind.TABLE_ROW,
        cells=[spans("Securlty Log entry"), spans("[lNFO] {+[ALERT]+}")],
    )
    clause = DOCUMENT.clauses[1]
    result = reconcile([row], clause, WORDS)
    assert result.unverified == ""
    assert shown(result.blocks) == [
        [("Security Log entry", "keep"), ("[INFO] ", "keep"), ("[ALERT]", "insert")]
    ]


def test_the_vocabulary_is_the_specifications_words_and_the_irps_prose():
    assert {"Security", "5.7.5.31", "Type", "HAN", "only", "ALERT"} <= WORDS
    assert "frobnicate" not in WORDS


def test_folding_treats_ocr_confusions_alike():
    assert fold("Securlty") != fold("Security")
    assert fold("capab1e") == fold("capable") == fold("capabIe")
    assert fold("rnodem") == fold("modem")
    assert fold("ESME.-") == fold("ESME")
