"""Statements: how clause text is split, classified, and linked to actors, clauses and terms."""

from __future__ import annotations

import pytest

from spectrace.model import Block, BlockKind, Clause, Document, GlossaryEntry, Modality
from spectrace.transforms.statements import (
    TermMatcher,
    Vocabulary,
    analyse,
    informative_clauses,
    modality,
    segment,
    split_sentences,
)

VOCABULARY = Vocabulary()


class TestSentences:
    def test_split_at_full_stops_before_a_capital(self):
        text = "A log of events. When the log is full, the oldest entry shall be overwritten."
        assert split_sentences(text) == [
            "A log of events.",
            "When the log is full, the oldest entry shall be overwritten.",
        ]

    def test_abbreviations_and_clause_numbers_do_not_end_a_sentence(self):
        text = "Devices (e.g. IHDs) shall comply, i.e. Type 1 Devices shall. See Section 4.3 here."
        assert split_sentences(text) == [
            "Devices (e.g. IHDs) shall comply, i.e. Type 1 Devices shall.",
            "See Section 4.3 here.",
        ]

    def test_a_clause_number_at_the_end_of_a_sentence_ends_it(self):
        text = "GSME shall meet Section 4.3. ESME shall meet Section 5.3."
        assert split_sentences(text) == [
            "GSME shall meet Section 4.3.",
            "ESME shall meet Section 5.3.",
        ]

    def test_closing_brackets_and_quotes_stay_with_their_sentence(self):
        text = "It is ‘following physical access’. (This is informative.) Next one."
        assert split_sentences(text) == [
            "It is ‘following physical access’.",
            "(This is informative.)",
            "Next one.",
        ]


class TestModality:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("ESME shall be capable of keeping time.", Modality.SHALL),
            ("ESME shall not provide any information.", Modality.SHALL_NOT),
            ("ESME must record the event.", Modality.SHALL),
            ("ESME must not record the event.", Modality.SHALL_NOT),
            ("Neither the GPF nor the CHF shall provide any information.", Modality.SHALL_NOT),
            ("No Device shall be connected.", Modality.SHALL_NOT),
            ("The Logs should not be made available.", Modality.SHOULD),
            ("GSME may display the balance.", Modality.MAY),
            ("This was raised on 3 May 2019.", Modality.INFORMATIVE),
            ("A log capable of storing one hundred entries.", Modality.INFORMATIVE),
            ("A CH shall be designed so that a failure shall not compromise it.", Modality.SHALL),
        ],
    )
    def test_the_first_modal_verb_decides(self, text, expected):
        assert modality(text) is expected


class TestActors:
    def test_plurals_possessives_and_long_names_map_to_one_actor(self):
        text = (
            "the GSME’s log is sent to the Gas Proxy Function and shown on IHDs, PPMIDs "
            "and CADs, Type 1 Devices and Type 2 Devices"
        )
        assert VOCABULARY.actors_in(text) == [
            "GSME",
            "GPF",
            "IHD",
            "PPMID",
            "CAD",
            "Type 1 Device",
            "Type 2 Device",
        ]

    def test_the_longest_name_wins_and_words_are_whole(self):
        assert VOCABULARY.actors_in("the Communications Hub Function of the CHTS") == ["CHF"]
        assert VOCABULARY.actors_in("a Communications Hub (CH) and its CHF") == ["CH", "CHF"]

    def test_the_actor_list_is_configurable(self):
        vocabulary = Vocabulary(actors={"Meter": ("Meter",)})
        assert vocabulary.actors_in("ESME and the Meter") == ["Meter"]


class TestCrossReferences:
    @pytest.mark.parametrize(
        ("text", "refs"),
        [
            ("the Security Log (5.7.5.31) on", ["5.7.5.31"]),
            ("the Security Log(5.7.5.31) on", ["5.7.5.31"]),
            ("Type 1 Devices (as set out in Section 5.5.2.2)", ["5.5.2.2"]),
            ("(as set-out in section 5.5.3.21)", ["5.5.3.21"]),
            ("set out in Sections 5.7.1, 5.7.4 and 5.7.5 to", ["5.7.1", "5.7.4", "5.7.5"]),
            (
                "Sections 5.7.1, 5.7.4, 5.7.5, 5.13.1 and 5.13.2",
                ["5.7.1", "5.7.4", "5.7.5", "5.13.1", "5.13.2"],
            ),
            ("defined in the Glossary (Section 6).", ["6"]),
            ("as SMETS 4.6.5.17 and CHTS 4.6.3.5 require", ["4.6.5.17", "CHTS 4.6.3.5"]),
            ("See GBCS Section 7.2.9.1 for the format.", ["GBCS 7.2.9.1"]),
            ("at section 4 in the Communications Hub Technical Specifications", ["CHTS 4"]),
            ("raised in (2019) for SMETS v4.2", []),
            ("as SMETS 5.7.5.31 / 9.6.3.5 map it", ["5.7.5.31", "9.6.3.5"]),
            ("CHTS 4.6.3.5/4.6.3.11 and (5.7.5.31)", ["CHTS 4.6.3.5", "CHTS 4.6.3.11", "5.7.5.31"]),
            ("the new item (4.6.4.9A) after Section 4.6.4.9", ["4.6.4.9A", "4.6.4.9"]),
            ("see Section 4.6.4.9A.", ["4.6.4.9A"]),
            ("Sections 5.7.1 And so on", ["5.7.1"]),
        ],
    )
    def test_every_style_the_specifications_use(self, text, refs):
        assert VOCABULARY.refs_in(text, "SMETS") == refs

    def test_a_reference_to_the_own_document_by_name_is_a_bare_number(self):
        assert VOCABULARY.refs_in("see CHTS 4.6.3.5", "CHTS") == ["4.6.3.5"]

    @pytest.mark.parametrize(
        "text",
        [
            "see SMETS 4.6.4.9 and CHTS Section 4.4.6, then (4.6.4.9) again",
            "Sections 5.7.1, 5.7.4 and 5.7.5 of the CHTS; SMETS 5.7.5.31 / 9.6.3.5",
            "no reference at all (4) in 2019",
        ],
    )
    def test_each_span_is_the_number_as_written_and_spans_give_the_refs(self, text):
        spans = VOCABULARY.ref_spans(text, "SMETS")
        assert [text[s.start : s.end] for s in spans] == [s.ref.split(" ")[-1] for s in spans]
        assert [s.start for s in spans] == sorted(s.start for s in spans)
        assert list(dict.fromkeys(s.ref for s in spans)) == VOCABULARY.refs_in(text, "SMETS")

    def test_a_number_referred_to_twice_has_two_spans(self):
        spans = VOCABULARY.ref_spans("Section 5.6.1 (and see (5.6.1))", "SMETS")
        assert [(s.start, s.ref) for s in spans] == [(8, "5.6.1"), (24, "5.6.1")]


class TestTerms:
    def test_terms_are_found_in_plural_and_possessive_forms_longest_first(self):
        matcher = TermMatcher(["Security Log", "CHF Security Log", "Type 1 Device", "Entity"])
        text = "the CHF Security Log, Security Logs, Type 1 Devices and two Entities’"
        assert matcher.terms_in(text) == [
            "CHF Security Log",
            "Security Log",
            "Type 1 Device",
            "Entity",
        ]

    def test_terms_match_whole_words_and_case(self):
        matcher = TermMatcher(["Alert"])
        assert matcher.terms_in("an alert, Alerts and Alerting") == ["Alert"]


def _document(*clauses: Clause, glossary: list[GlossaryEntry] | None = None) -> Document:
    return Document("SMETS", "4.2", clauses=list(clauses), glossary=glossary or [])


def _paragraph(text: str) -> Block:
    return Block(BlockKind.PARAGRAPH, text)


def _item(text: str, label: str) -> Block:
    return Block(BlockKind.LIST_ITEM, text, label=label)


class TestSegment:
    def test_each_sentence_and_list_item_becomes_a_statement_with_a_clause_scoped_id(self):
        document = _document(
            Clause(
                "4.4.5",
                "Display",
                3,
                [
                    _paragraph("GSME shall display: the following."),
                    _item("the Currency Units; and", "i."),
                    _paragraph("[Not reproduced in this excerpt]"),
                ],
            ),
            Clause("4.4.6", "Other", 3, [_paragraph("GSME shall. ESME may.")]),
        )
        segment(document)
        ids = [statement.id for _, statement in document.statements()]
        assert ids == ["SMETS-4.4.5-1", "SMETS-4.4.5-2", "SMETS-4.4.6-1", "SMETS-4.4.6-2"]
        editorial = document.clauses[0].blocks[2]
        assert editorial.statements == [] and editorial.lead == editorial.text

    def test_two_clauses_with_one_number_never_share_an_id(self):
        document = _document(
            Clause("5.1", "A", 2, [_paragraph("X shall.")]),
            Clause("5.1", "B", 2, [_paragraph("Y shall.")]),
        )
        segment(document)
        assert [s.id for _, s in document.statements()] == ["SMETS-5.1-1", "SMETS-5.1-2"]

    def test_unnumbered_clauses_take_their_ids_from_the_title(self):
        document = _document(
            Clause(None, "Part A: Single Element ESME", 2, [_paragraph("ESME shall.")])
        )
        segment(document)
        assert next(document.statements())[1].id == "SMETS-part-a-single-element-esme-1"


class TestAnalyse:
    def test_list_items_inherit_the_lead_in_modality_and_actors(self):
        document = _document(
            Clause(
                "4.4.5",
                "Display",
                3,
                [
                    _paragraph("GSME shall be capable of displaying the following information:"),
                    _item("the Currency Units (4.6.4.9);", "i."),
                    _item("the Meter Balance (4.6.5.11).", "ii."),
                    _paragraph("The IHD may show it."),
                ],
            )
        )
        segment(document)
        analyse(document)
        statements = [s for _, s in document.statements()]
        assert [s.modality for s in statements] == [Modality.SHALL] * 3 + [Modality.MAY]
        assert statements[1].actors == ["GSME"]
        assert statements[1].refs == ["4.6.4.9"]
        assert statements[3].actors == ["IHD"]

    def test_glossary_terms_of_the_document_are_recorded(self):
        document = _document(
            Clause(
                "5.5.4",
                "Display",
                3,
                [
                    _paragraph(
                        "ESME shall display the Security Log following access through the "
                        "Secure Perimeter."
                    )
                ],
            ),
            glossary=[GlossaryEntry("Security Log", "…"), GlossaryEntry("Secure Perimeter", "…")],
        )
        segment(document)
        analyse(document)
        assert next(document.statements())[1].terms == ["Security Log", "Secure Perimeter"]

    def test_statements_under_informative_titles_are_informative(self):
        document = _document(
            Clause("1", "Introduction", 1, [_paragraph("GSME shall meet this document.")]),
            Clause("1.1", "Scope", 2, [_paragraph("ESME shall meet it too.")]),
            Clause("2", "Requirements", 1, [_paragraph("ESME shall work.")]),
        )
        segment(document)
        analyse(document)
        assert [s.modality for _, s in document.statements()] == [
            Modality.INFORMATIVE,
            Modality.INFORMATIVE,
            Modality.SHALL,
        ]
        assert informative_clauses(document, VOCABULARY) == [True, True, False]

    def test_a_note_is_informative(self):
        document = _document(Clause("2", "Requirements", 1, [_paragraph("Note: ESME shall x.")]))
        segment(document)
        analyse(document)
        assert next(document.statements())[1].modality is Modality.INFORMATIVE


def test_an_empty_vocabulary_finds_nothing_but_still_reads_plain_references():
    empty = Vocabulary(actors={}, documents={})
    assert empty.actors_in("ESME shall display it") == []
    assert empty.refs_in("see Section 5.1 and the Log (4.2.1)", "SMETS") == ["5.1", "4.2.1"]
    assert TermMatcher([]).terms_in("Security Log") == []
