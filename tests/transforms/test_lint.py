"""Lint: each finding a spec author needs before publishing, and the policy that grades them."""

from __future__ import annotations

import copy

from spectrace.findings import Severity
from spectrace.model import Block, BlockKind, Clause, Document, GlossaryEntry, parse_address
from spectrace.transforms.lint import LintPolicy, Waiver, capitalised_phrases, lint
from spectrace.transforms.statements import Vocabulary, analyse, segment

VOCABULARY = Vocabulary()
IRP603_CHANGE_5 = (
    "Neither the GPF nor the CHF shall provide any information from the GSME Security Log, the "
    "GPF Security Log (4.6.3.11) or the CHF Security Log (4.6.3.5) to Type 1 Devices or Type 2 "
    "Devices."
)


def _codes(findings, code):
    return [f for f in findings if f.code == code]


def _with_paragraph(document: Document, number: str, text: str) -> Document:
    changed = copy.deepcopy(document)
    clause = changed.clause(number)
    clause.blocks.append(Block(BlockKind.PARAGRAPH, text))
    for block in clause.blocks:
        block.statements = []
    segment(changed)
    analyse(changed)
    return changed


def test_the_gap_irp603_closed_is_found_and_closing_it_clears_it(bundled_documents):
    chts = next(d for d in bundled_documents if d.name == "CHTS")
    amended = _with_paragraph(chts, "4.4.6.1", IRP603_CHANGE_5)
    findings = _codes(lint([amended], VOCABULARY, LintPolicy()), "undefined-term")
    gap = [f for f in findings if "GSME Security Log" in f.message]
    assert len(gap) == 1
    assert (gap[0].location.document, gap[0].location.edition, gap[0].location.clause) == (
        "CHTS",
        "1.3",
        "4.4.6.1",
    )
    assert gap[0].severity is Severity.WARNING

    amended.glossary.append(GlossaryEntry("GSME Security Log", "The information held on GSME…"))
    findings = _codes(lint([amended], VOCABULARY, LintPolicy()), "undefined-term")
    assert not [f for f in findings if "GSME Security Log" in f.message]


def test_references_to_missing_clauses_are_errors(bundled_documents):
    smets = next(d for d in bundled_documents if d.name == "SMETS")
    dangling = _codes(lint([smets], VOCABULARY, LintPolicy()), "dangling-ref")
    assert [(f.location.clause, f.severity) for f in dangling] == [("4.4.5", Severity.ERROR)] * 2
    assert "4.6.4.9" in dangling[0].message and "4.6.4.12" in dangling[1].message


def test_references_into_another_loaded_document_are_checked_there(bundled_documents):
    smets = next(d for d in bundled_documents if d.name == "SMETS")
    chts = next(d for d in bundled_documents if d.name == "CHTS")
    text = "ESME shall record it as CHTS 4.6.3.5 and CHTS 4.9.9 require; see GBCS Section 7.2."
    changed = _with_paragraph(smets, "5.5.4", text)
    messages = [
        f.message for f in _codes(lint([changed, chts], VOCABULARY, LintPolicy()), "dangling-ref")
    ]
    assert any("CHTS 4.9.9" in m for m in messages)
    assert not any("4.6.3.5" in m for m in messages)
    assert not any("GBCS" in m for m in messages), "GBCS is not loaded, so it cannot be checked"


def test_duplicate_clause_numbers_are_errors():
    document = Document(
        "SMETS", "4.2", clauses=[Clause("5.1", "Overview", 2), Clause("5.1", "Again", 2)]
    )
    duplicates = _codes(lint([document], VOCABULARY, LintPolicy()), "duplicate-clause")
    assert [(f.location.clause, f.severity) for f in duplicates] == [("5.1", Severity.ERROR)]


def test_sentences_without_a_modal_verb_in_normative_clauses_are_warned(bundled_documents):
    smets = next(d for d in bundled_documents if d.name == "SMETS")
    findings = _codes(lint([smets], VOCABULARY, LintPolicy()), "no-modal")
    assert [f.location.clause for f in findings] == ["4.6.5.17", "5.7.5.31"]
    assert "SMETS-4.6.5.17-1" in findings[0].message


def test_text_with_a_modal_verb_but_no_statement_id_is_an_error():
    clause = Clause(
        "2",
        "Requirements",
        1,
        [
            Block(BlockKind.PARAGRAPH, "ESME shall do this.", lead="ESME shall do this."),
            Block(BlockKind.PARAGRAPH, "[Editorial note]", lead="[Editorial note]"),
        ],
    )
    findings = lint([Document("SMETS", "4.2", clauses=[clause])], VOCABULARY, LintPolicy())
    assert [(f.code, f.severity) for f in findings] == [("unmarked-statement", Severity.ERROR)]


def test_waivers_remove_exactly_the_reviewed_findings(bundled_documents):
    smets = next(d for d in bundled_documents if d.name == "SMETS")
    address = parse_address("SMETS 4.4.5")
    narrow = LintPolicy(waivers=[Waiver("dangling-ref", address, "excerpt", match="4.6.4.9")])
    remaining = _codes(lint([smets], VOCABULARY, narrow), "dangling-ref")
    assert [("4.6.4.12" in f.message) for f in remaining] == [True]
    other_edition = LintPolicy(
        waivers=[Waiver("dangling-ref", parse_address("SMETS@9.9 4.4.5"), "another edition")]
    )
    assert len(_codes(lint([smets], VOCABULARY, other_edition), "dangling-ref")) == 2


def test_the_policy_regrades_a_code(bundled_documents):
    chts = next(d for d in bundled_documents if d.name == "CHTS")
    strict = LintPolicy(severity={"undefined-term": Severity.ERROR})
    findings = _codes(lint([chts], VOCABULARY, strict), "undefined-term")
    assert findings and all(f.severity is Severity.ERROR for f in findings)


def test_known_terms_are_not_reported(bundled_documents):
    chts = next(d for d in bundled_documents if d.name == "CHTS")
    policy = LintPolicy(known_terms=["Security Credential", "Personal Data"])
    messages = [f.message for f in _codes(lint([chts], VOCABULARY, policy), "undefined-term")]
    assert not any("Security Credentials" in m or "Personal Data" in m for m in messages)
    assert any("WAN Interface" in m for m in messages)


def test_errors_come_first_then_each_document_in_clause_order(bundled_documents):
    findings = lint(bundled_documents, VOCABULARY, LintPolicy())
    ranks = [f.severity.rank for f in findings]
    assert ranks == sorted(ranks, reverse=True)


class TestCapitalisedPhrases:
    def test_defined_term_candidates(self):
        assert capitalised_phrases(IRP603_CHANGE_5) == [
            "GSME Security Log",
            "Type 1 Devices",
            "Type 2 Devices",
        ]

    def test_sentence_openers_and_data_item_references_are_not_candidates(self):
        assert capitalised_phrases("The CH shall verify Firmware.") == []
        assert capitalised_phrases("the Meter Balance (4.6.5.11).") == []
        assert capitalised_phrases("User Interface constraints apply.") == ["User Interface"]


def test_a_note_without_a_modal_verb_is_not_reported():
    clause = Clause("2", "Requirements", 1, [Block(BlockKind.PARAGRAPH, "Note: logs are kept.")])
    document = Document("SMETS", "4.2", clauses=[clause])
    segment(document)
    analyse(document)
    assert _codes(lint([document], VOCABULARY, LintPolicy()), "no-modal") == []


def test_dates_and_document_places_are_not_terms():
    assert capitalised_phrases("On 1 May 2020 the CH changed.") == []
    assert capitalised_phrases("as SMETS Sections 4.1 and GBCS Section 7.2 say") == []
    assert capitalised_phrases("the Annex A Security Log rules") == ["Security Log"]
