"""Proposals that span documents: each change goes to the document of the project it is for.

A change to a document the project does not have is *skipped* (``not-in-project``, an info
finding that fails nothing), unless every document is required (``require_all``: it is then
refused as ``unknown-document``). A change whose target names no document ("Insert new Section
4.6.4.10 after Section 4.6.4.9": ``Target("", "4.6.4.10")``) goes to the one project document
that has its clause; several is ``ambiguous-target``, none is skipped.
"""

from __future__ import annotations

import pytest

from spectrace.findings import Severity
from spectrace.model import Action, Change, Document, Target
from spectrace.model.revision import Amendment
from spectrace.transforms.amend import Refused, amend, clause_numbers, resolve
from tests.transforms.test_amend import change, document, glossary, lines, markup, proposal

SMETS = {
    "5.5.4": ["ESME shall display the Security Log on its User Interface."],
    "5.5.5": ["ESME shall record each event."],
}
CHTS = {
    "4.4.6.1": ["A CHF shall log each Sensitive Event."],
    "4.6.3.5": ["The CHF Security Log shall hold 100 entries."],
}
GBCS = {
    "7.2.9.1": ["A Device shall send an Alert."],
    "5.5.5": ["The DCC shall record each event."],  # the same number as a SMETS clause
}
TERMS = [("Alert", "A message from a Device.")]
# A change that applies to SMETS 5.5.5, to check the proposal's other changes still apply.
OTHER = change(9, "SMETS 5.5.5", "ESME shall record each {+and every+} event.")


def smets() -> Document:
    return document(SMETS, TERMS, name="SMETS")


def chts() -> Document:
    return document(CHTS, TERMS, name="CHTS")


def gbcs() -> Document:
    return document(GBCS, TERMS, name="GBCS")


def by_context(number: int, clause: str, *markup: str, action: Action = Action.AMEND) -> Change:
    """Return a change whose target names only ``clause``, as an instruction without a
    document gives it."""
    made = change(number, f"X {clause}", *markup)
    made.target = Target("", clause)
    made.instruction = f"At Section {clause} amend the text as shown in the following mark-up:"
    made.action = action
    return made


def outcome(result: Amendment) -> list[tuple[int, str, str, Severity]]:
    return [
        (p.location.change, p.location.target, p.code.value, p.severity) for p in result.problems
    ]


def other_applied(result: Amendment) -> None:
    assert lines(result.document("SMETS"), "5.5.5") == ["ESME shall record each and every event."]


class TestNotInTheProject:
    @pytest.mark.parametrize(
        ("target", "markup"),
        [
            ("CHTS 4.4.6.1", "A CHF shall log {+and timestamp+} each Sensitive Event."),
            ("CHTS Glossary", "| {+GSME Security Log+} | {+The log of the GSME.+} |"),
            ("GBCS 7.2.9.1", "A Device shall send {+exactly+} an Alert."),
            ("SMETS2 5.5.4", "ESME shall display {+only+} the Security Log"),  # a near name
        ],
    )
    def test_a_change_to_a_document_the_project_lacks_is_skipped_and_fails_nothing(
        self, target, markup
    ):
        result = amend([smets()], [proposal("IRP7", change(1, target, markup), OTHER)])
        assert outcome(result) == [(1, target, "not-in-project", Severity.INFO)]
        assert target.split()[0] in result.problems[0].message
        assert str(result.problems[0]).startswith(f"info: IRP7 change 1 ({target}): ")
        assert not result.failed
        other_applied(result)
        assert result.document("SMETS").edition == "4.2+IRP7"

    def test_a_proposal_whose_every_change_is_skipped_leaves_the_edition_as_it_was(self):
        p = proposal("IRP7", change(1, "CHTS 4.4.6.1", "A CHF shall log {+all+} each"))
        result = amend([smets()], [p])
        assert [d.label for d in result.documents] == ["SMETS 4.2"]
        assert result.revisions == [] and result.amended == []
        assert not result.failed

    def test_an_unreadable_change_to_a_document_the_project_lacks_is_skipped_too(self):
        # Whether it could be read does not matter to a project it is not for.
        bad = change(1, "CHTS 4.4.6.1", "text", problem="the mark-up is an image")
        result = amend([smets()], [proposal("IRP7", bad)])
        assert outcome(result) == [(1, "CHTS 4.4.6.1", "not-in-project", Severity.INFO)]

    @pytest.mark.parametrize(
        ("target", "markup"),
        [
            ("CHTS 4.4.6.1", "A CHF shall log {+and timestamp+} each Sensitive Event."),
            ("CHTS Glossary", "| {+GSME Security Log+} | {+The log of the GSME.+} |"),
        ],
    )
    def test_with_every_document_required_it_is_refused_as_before(self, target, markup):
        p = proposal("IRP7", change(1, target, markup), OTHER)
        result = amend([smets()], [p], require_all=True)
        assert outcome(result) == [(1, target, "unknown-document", Severity.ERROR)]
        assert result.problems[0].message == "CHTS is not among the specifications given"
        assert result.failed
        other_applied(result)

    def test_a_change_to_a_project_document_another_run_amends_is_left_to_it(self):
        p = proposal("IRP7", change(1, "CHTS 4.4.6.1", "A CHF shall log {+all+} each"), OTHER)
        for require_all in (False, True):
            result = amend([smets()], [p], others=[chts()], require_all=require_all)
            assert result.problems == []
            assert [r.document for r in result.revisions] == ["SMETS"]

    def test_several_documents_of_one_proposal_each_get_their_changes(self):
        p = proposal(
            "IRP7",
            change(1, "CHTS 4.4.6.1", "A CHF shall log {+and timestamp+} each Sensitive Event."),
            change(2, "GBCS 7.2.9.1", "A Device shall send {+exactly+} an Alert."),
            OTHER,
        )
        result = amend([smets(), chts()], [p])
        assert outcome(result) == [(2, "GBCS 7.2.9.1", "not-in-project", Severity.INFO)]
        assert [(r.change, r.document) for r in result.revisions] == [(1, "CHTS"), (9, "SMETS")]
        assert [d.label for d in result.documents] == ["SMETS 4.2+IRP7", "CHTS 4.2+IRP7"]


class TestByContext:
    @pytest.mark.parametrize(
        ("bases", "clause", "markup", "document"),
        [
            ([smets], "5.5.4", "ESME shall display {+only+} the Security Log", "SMETS"),
            ([smets, chts], "5.5.4", "ESME shall display {+only+} the Security Log", "SMETS"),
            ([smets, chts], "4.6.3.5", "shall hold {+at least+} 100 entries.", "CHTS"),
            ([chts, gbcs], "7.2.9.1", "A Device shall send {+exactly+} an Alert.", "GBCS"),
        ],
    )
    def test_a_target_without_a_document_goes_to_the_one_document_with_the_clause(
        self, bases, clause, markup, document
    ):
        result = amend(
            [make() for make in bases], [proposal("IRP7", by_context(1, clause, markup))]
        )
        assert result.problems == []
        (revision,) = result.revisions
        assert (revision.document, revision.clause) == (document, clause)
        assert [d.name for d in result.amended] == [document]
        assert result.document(document).edition.endswith("+IRP7")

    def test_the_clause_of_a_document_another_run_amends_leaves_the_change_to_it(self):
        p = proposal("IRP7", by_context(1, "4.6.3.5", "shall hold {+at least+} 100"), OTHER)
        result = amend([smets()], [p], others=[chts()])
        assert result.problems == []
        assert [r.change for r in result.revisions] == [9]

    @pytest.mark.parametrize(
        ("bases", "others", "named"),
        [
            ([smets, gbcs], [], "GBCS, SMETS"),
            ([smets], [gbcs], "GBCS, SMETS"),
            ([gbcs], [smets, chts], "GBCS, SMETS"),
        ],
    )
    def test_a_clause_two_documents_have_is_ambiguous_and_names_them(self, bases, others, named):
        p = proposal("IRP7", by_context(1, "5.5.5", "shall record {+every+} each event."))
        result = amend([make() for make in bases], [p], others=[make() for make in others])
        assert outcome(result) == [(1, "5.5.5", "ambiguous-target", Severity.ERROR)]
        assert named in result.problems[0].message
        assert result.failed
        assert result.revisions == []
        for amended in result.documents:
            base = smets() if amended.name == "SMETS" else gbcs()
            assert lines(amended, "5.5.5") == lines(base, "5.5.5")

    @pytest.mark.parametrize("clause", ["9.9.9", "4.6.4.10", "A.1"])
    def test_a_clause_no_project_document_has_is_skipped_saying_so(self, clause):
        p = proposal("IRP7", by_context(1, clause, "text {+more+}"), OTHER)
        result = amend([smets()], [p], others=[chts()])
        assert outcome(result) == [(1, clause, "not-in-project", Severity.INFO)]
        assert f"no document of this project has clause {clause}" in result.problems[0].message
        assert not result.failed
        other_applied(result)

    def test_with_every_document_required_a_clause_nowhere_is_an_unknown_clause(self):
        p = proposal("IRP7", by_context(1, "9.9.9", "text {+more+}"))
        result = amend([smets()], [p], others=[chts()], require_all=True)
        assert outcome(result) == [(1, "9.9.9", "unknown-clause", Severity.ERROR)]

    def test_a_refusal_after_resolving_names_the_resolved_document(self):
        p = proposal("IRP7", by_context(1, "5.5.4", "text that is {+not+} there"))
        result = amend([smets(), chts()], [p])
        assert outcome(result) == [(1, "SMETS 5.5.4", "not-found", Severity.ERROR)]

    def test_the_proposal_itself_is_not_changed(self):
        made = by_context(1, "5.5.4", "ESME shall display {+only+} the Security Log")
        amend([smets()], [proposal("IRP7", made)])
        assert made.target == Target("", "5.5.4")


class TestResolve:
    """``resolve`` on its own, for every action: which clause places the change."""

    CLAUSES = {
        "SMETS": {"4.6.4.9", "4.6.4", "5.5.5"},
        "CHTS": {"4.6.3.5", "4.6.3", "5.5.5"},
    }

    def resolved(self, made: Change, **options) -> Target | None:
        return resolve(made, self.CLAUSES, **options).target

    @pytest.mark.parametrize(
        ("made", "expected"),
        [
            (by_context(1, "4.6.4.9", "x {+y+}"), Target("SMETS", "4.6.4.9")),
            (by_context(1, "4.6.3.5", "x {+y+}"), Target("CHTS", "4.6.3.5")),
            (
                Change(
                    1,
                    "Insert new Section 4.6.4.10 after Section 4.6.4.9",
                    Target("", "4.6.4.10"),
                    Action.INSERT_CLAUSE,
                    after="4.6.4.9",
                ),
                Target("SMETS", "4.6.4.10"),
            ),
            (  # no clause named to follow: its parent places it
                Change(
                    1, "Insert new Section 4.6.3.6", Target("", "4.6.3.6"), Action.INSERT_CLAUSE
                ),
                Target("CHTS", "4.6.3.6"),
            ),
            (
                Change(
                    1,
                    "Renumber 4.6.3.5 as 4.6.3.7",
                    Target("", "4.6.3.5"),
                    Action.RENUMBER_CLAUSE,
                    new_number="4.6.3.7",
                ),
                Target("CHTS", "4.6.3.5"),
            ),
            (
                Change(1, "Delete Section 4.6.4.9", Target("", "4.6.4.9"), Action.DELETE_CLAUSE),
                Target("SMETS", "4.6.4.9"),
            ),
            (
                Change(
                    1, "Section 4.6.3.5 is withdrawn", Target("", "4.6.3.5"), Action.WITHDRAW_CLAUSE
                ),
                Target("CHTS", "4.6.3.5"),
            ),
            (  # a document named is kept, whatever has the clause
                change(1, "CHTS 4.6.4.9", "x {+y+}"),
                Target("CHTS", "4.6.4.9"),
            ),
        ],
    )
    def test_a_change_resolves_by_the_clause_that_places_it(self, made, expected):
        assert self.resolved(made) == expected

    def test_a_new_clause_is_placed_by_the_clause_it_follows_not_its_own_number(self):
        # 5.5.5 is in both documents, the clause it follows only in CHTS.
        made = Change(1, "Insert", Target("", "5.5.5"), Action.INSERT_CLAUSE, after="4.6.3.5")
        assert self.resolved(made) == Target("CHTS", "5.5.5")

    def test_ambiguous_and_missing_clauses_are_refused_with_their_codes(self):
        with pytest.raises(Refused) as ambiguous:
            self.resolved(by_context(1, "5.5.5", "x {+y+}"))
        assert ambiguous.value.code.value == "ambiguous-target"
        assert "CHTS, SMETS" in ambiguous.value.message
        with pytest.raises(Refused) as missing:
            self.resolved(by_context(1, "7.7", "x {+y+}"))
        assert missing.value.code.value == "not-in-project"
        with pytest.raises(Refused) as required:
            self.resolved(by_context(1, "7.7", "x {+y+}"), require_all=True)
        assert required.value.code.value == "unknown-clause"

    def test_a_glossary_without_a_document_is_unreadable(self):
        made = change(1, "X Glossary", "| {+T+} | {+D+} |")
        made.target = Target("", None)
        with pytest.raises(Refused) as why:
            self.resolved(made)
        assert why.value.code.value == "unreadable"

    def test_no_target_stays_none_for_the_engine_to_refuse(self):
        made = change(1, "SMETS 5.5.5", "x {+y+}")
        made.target = None
        assert self.resolved(made) is None

    def test_clause_numbers_are_every_numbered_clause(self):
        assert clause_numbers(smets()) == {"5.5.4", "5.5.5"}


def test_a_skipped_glossary_change_leaves_every_glossary_as_it_was():
    p = proposal("IRP7", change(1, "CHTS Glossary", "| {+GSME Security Log+} | {+The log.+} |"))
    result = amend([smets()], [p])
    assert glossary(result) == glossary(smets())


class TestStructuralByContext:
    """Structural changes whose instruction names no document, end to end: the revision names
    the document the clause that places the change is in."""

    @staticmethod
    def bases() -> list[Document]:
        return [
            document({"4.6.4": ["ESME shall keep logs."], "4.6.4.9": ["ESME shall log."]}),
            document(
                {"4.6.3": ["CH shall keep logs."], "4.6.3.5": ["CHF shall log."]}, name="CHTS"
            ),
        ]

    @pytest.mark.parametrize(
        ("after", "number", "document_name"),
        [("4.6.4.9", "4.6.4.10", "SMETS"), ("4.6.3.5", "4.6.3.6", "CHTS")],
    )
    def test_a_new_clause_goes_to_the_document_of_the_clause_it_follows(
        self, after, number, document_name
    ):
        made = Change(
            1,
            f"Insert new Section {number}" + (f" after Section {after}" if after else ""),
            Target("", number),
            Action.INSERT_CLAUSE,
            markup=[
                markup(f"# {{+{number} Event Log+}}"),
                markup("{+A log shall hold 200 events.+}"),
            ],
            after=after,
        )
        result = amend(self.bases(), [proposal("IRP7", made)])
        assert result.problems == []
        (revision,) = result.revisions
        assert (revision.document, revision.clause, revision.action) == (
            document_name,
            number,
            Action.INSERT_CLAUSE,
        )
        assert result.document(document_name).clause(number) is not None

    def test_a_new_clause_that_names_none_to_follow_is_placed_by_its_parent(self):
        # The engine wants a clause to follow; what it says names the document all the same.
        made = Change(
            1,
            "Insert new Section 4.6.3.6",
            Target("", "4.6.3.6"),
            Action.INSERT_CLAUSE,
            markup=[markup("# {+4.6.3.6 GPF Log+}"), markup("{+A GPF shall log.+}")],
        )
        result = amend(self.bases(), [proposal("IRP7", made)])
        assert [p.location.target for p in result.problems] == ["CHTS 4.6.3.6"]

    def test_a_clause_withdrawn_by_context_is_withdrawn_in_its_document(self):
        made = Change(1, "Withdraw 4.6.3.5", Target("", "4.6.3.5"), Action.WITHDRAW_CLAUSE)
        result = amend(self.bases(), [proposal("IRP7", made)])
        assert result.problems == []
        assert [(r.document, r.clause) for r in result.revisions] == [("CHTS", "4.6.3.5")]

    def test_a_clause_renumbered_by_context_is_found_by_its_old_number(self):
        made = Change(
            1, "Renumber", Target("", "4.6.4.9"), Action.RENUMBER_CLAUSE, new_number="4.6.4.11"
        )
        result = amend(self.bases(), [proposal("IRP7", made)])
        assert result.problems == []
        assert [(r.document, r.clause, r.number_before) for r in result.revisions] == [
            ("SMETS", "4.6.4.11", "4.6.4.9")
        ]

    def test_a_later_change_finds_a_clause_an_earlier_one_inserted(self):
        inserted = Change(
            1,
            "Insert new Section 4.6.3.6 after Section 4.6.3.5",
            Target("CHTS", "4.6.3.6"),
            Action.INSERT_CLAUSE,
            markup=[markup("# {+4.6.3.6 GPF Log+}"), markup("{+A GPF shall log.+}")],
            after="4.6.3.5",
        )
        edited = by_context(2, "4.6.3.6", "A GPF shall {+securely+} log.")
        result = amend(self.bases(), [proposal("IRP7", inserted, edited)])
        assert result.problems == []
        assert [(r.change, r.document) for r in result.revisions] == [(1, "CHTS"), (2, "CHTS")]
