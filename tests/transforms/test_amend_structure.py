"""Structural changes: IRPs that insert, delete, withdraw, renumber and rename clauses.

Documents and mark-ups are written in the notation of :mod:`tests.transforms.test_amend`
(``keep [-deleted-] {+inserted+}``, ``# 5.6.1 Title`` a heading line, ``* `` a list item,
``| a | b |`` a table row).
"""

from __future__ import annotations

import pytest

from spectrace.model import Action, Change, Clause, Document, RevisionLine, Target
from spectrace.model.revision import Amendment
from spectrace.transforms.amend import amend
from tests.transforms.test_amend import (
    applied,
    change,
    document,
    ids,
    lines,
    markup,
    only_problem,
    proposal,
    refused,
)


def structural(
    number: int,
    action: Action,
    target: str,
    *markup_lines: str,
    after: str = "",
    new_number: str = "",
) -> Change:
    doc, _, clause = target.partition(" ")
    return Change(
        number,
        f"{action.value} {target}",
        Target(doc, clause),
        action=action,
        markup=[markup(line) for line in markup_lines],
        after=after,
        new_number=new_number,
    )


def numbers(result: Amendment | Document) -> list[str]:
    doc = result.documents[0] if isinstance(result, Amendment) else result
    return [clause.key for clause in doc.clauses]


def clause(result: Amendment, number: str) -> Clause:
    found = result.documents[0].clause(number)
    assert found is not None, f"no clause {number}"
    return found


def all_ids(doc: Document) -> list[str]:
    return [statement.id for _, statement in doc.statements()]


def base() -> Document:
    """4 > 4.6 > 4.6.4 > 4.6.4.8, 4.6.4.9 (with 4.6.4.9.1); 4.6.5 > 4.6.5.3; 4.7."""
    return document(
        {
            "4": ["Requirements."],
            "4.6": ["ESME shall meet 4.6.4 and 4.6.5."],
            "4.6.4": ["ESME shall keep logs."],
            "4.6.4.8": ["ESME shall record events. ESME shall time-stamp them."],
            "4.6.4.9": ["ESME shall keep a Security Log.", "i.\tESME shall hold 100 entries."],
            "4.6.4.9.1": ["ESME shall protect the Security Log."],
            "4.6.5": ["ESME shall display data."],
            "4.6.5.3": ["ESME shall show the time."],
            "4.7": ["GSME shall meet 4.7."],
        }
    )


class TestInsertClause:
    def test_a_new_clause_follows_the_named_clause_and_its_sub_clauses(self):
        result = applied(
            base(),
            structural(
                1,
                Action.INSERT_CLAUSE,
                "SMETS 4.6.4.10",
                "# {+4.6.4.10 Event Log capacity+}",
                "{+ESME shall hold 200 events. The log may wrap.+}",
                after="4.6.4.9",
            ),
        )
        assert result.problems == []
        assert numbers(result)[4:8] == ["4.6.4.9", "4.6.4.9.1", "4.6.4.10", "4.6.5"]
        new = clause(result, "4.6.4.10")
        assert (new.title, new.level) == ("Event Log capacity", clause(result, "4.6.4.9").level)
        assert ids(result, "4.6.4.10") == [["SMETS-4.6.4.10-1", "SMETS-4.6.4.10-2"]]
        (revision,) = result.revisions
        assert revision.action is Action.INSERT_CLAUSE
        assert (revision.clause, revision.before, revision.title_after) == (
            "4.6.4.10",
            [],
            "Event Log capacity",
        )
        assert revision.after == [RevisionLine(("ESME shall hold 200 events. The log may wrap.",))]
        assert revision.added == ["SMETS-4.6.4.10-1", "SMETS-4.6.4.10-2"]
        assert result.documents[0].edition == "4.2+IRP1"

    def test_a_suffixed_number_goes_between_two_numbered_clauses(self):
        result = applied(
            base(),
            structural(
                1,
                Action.INSERT_CLAUSE,
                "SMETS 4.6.4.8A",
                "# {+4.6.4.8A Log export+}",
                "{+ESME shall export the log.+}",
                after="4.6.4.8",
            ),
        )
        assert numbers(result)[3:6] == ["4.6.4.8", "4.6.4.8A", "4.6.4.9"]
        assert ids(result, "4.6.4.8A") == [["SMETS-4.6.4.8A-1"]]

    def test_a_deeper_number_becomes_the_first_sub_clause(self):
        result = applied(
            base(),
            structural(
                1,
                Action.INSERT_CLAUSE,
                "SMETS 4.6.4.8.1",
                "# {+4.6.4.8.1 Event types+}",
                after="4.6.4.8",
            ),
        )
        assert numbers(result)[3:6] == ["4.6.4.8", "4.6.4.8.1", "4.6.4.9"]
        assert clause(result, "4.6.4.8.1").level == clause(result, "4.6.4.8").level + 1

    def test_a_shallower_number_lands_after_the_whole_section(self):
        result = applied(
            base(),
            structural(
                1,
                Action.INSERT_CLAUSE,
                "SMETS 4.6.6",
                "# {+4.6.6 Tariffs+}",
                "{+ESME shall hold tariffs.+}",
                after="4.6.5.3",
            ),
        )
        assert numbers(result)[-3:] == ["4.6.5.3", "4.6.6", "4.7"]
        assert clause(result, "4.6.6").level == clause(result, "4.6.5").level

    def test_the_body_may_hold_list_items_and_a_table(self):
        result = applied(
            base(),
            structural(
                1,
                Action.INSERT_CLAUSE,
                "SMETS 4.6.4.10",
                "# {+4.6.4.10 Alerts+}",
                "{+ESME shall raise these alerts:+}",
                "* {+ESME shall raise a tamper alert.+}",
                "* {+ESME shall raise a supply alert.+}",
                "| {+Alert+} | {+Code+} |",
                "| {+Tamper+} | {+0x8F+} |",
                after="4.6.4.9",
            ),
        )
        new = clause(result, "4.6.4.10")
        assert [b.kind.value for b in new.blocks] == [
            "paragraph",
            "list_item",
            "list_item",
            "table",
        ]
        assert [b.label for b in new.blocks[1:3]] == ["•", "•"]
        assert new.blocks[3].rows == [["Alert", "Code"], ["Tamper", "0x8F"]]
        assert ids(result, "4.6.4.10")[:3] == [
            ["SMETS-4.6.4.10-1"],
            ["SMETS-4.6.4.10-2"],
            ["SMETS-4.6.4.10-3"],
        ]

    def test_an_unmarked_excerpt_is_the_new_clause_as_the_instruction_says(self):
        result = applied(
            base(),
            structural(
                1,
                Action.INSERT_CLAUSE,
                "SMETS 4.6.4.10",
                "ESME shall protect the Security Log.",  # the end of 4.6.4.9.1: context
                "# 4.6.4.10 Event Log capacity",
                "ESME shall hold 200 events.",
                after="4.6.4.9",
            ),
        )
        assert result.problems == []
        assert lines(result, "4.6.4.10") == ["ESME shall hold 200 events."]

    def test_a_wholly_inserted_heading_in_an_amend_mark_up_starts_a_new_clause(self):
        result = applied(
            base(),
            change(
                1,
                "SMETS 4.6.4.8",
                "ESME shall record events. ESME shall time-stamp them{+ in UTC+}.",
                "# {+4.6.4.8A Log export+}",
                "{+ESME shall export the log.+}",
                "# {+4.6.4.8B Log import+}",
                "{+ESME may import a log.+}",
            ),
        )
        assert result.problems == []
        assert lines(result, "4.6.4.8") == [
            "ESME shall record events. ESME shall time-stamp them in UTC."
        ]
        assert numbers(result)[3:7] == ["4.6.4.8", "4.6.4.8A", "4.6.4.8B", "4.6.4.9"]
        assert [(r.clause, r.action) for r in result.revisions] == [
            ("4.6.4.8", Action.AMEND),
            ("4.6.4.8A", Action.INSERT_CLAUSE),
            ("4.6.4.8B", Action.INSERT_CLAUSE),
        ]

    def test_a_later_change_can_amend_the_new_clause(self):
        result = applied(
            base(),
            structural(
                1,
                Action.INSERT_CLAUSE,
                "SMETS 4.6.4.10",
                "# {+4.6.4.10 Capacity+}",
                "{+ESME shall hold 200 events.+}",
                after="4.6.4.9",
            ),
            change(2, "SMETS 4.6.4.10", "ESME shall hold [-200-]{+250+} events."),
        )
        assert result.problems == []
        assert lines(result, "4.6.4.10") == ["ESME shall hold 250 events."]
        assert ids(result, "4.6.4.10") == [["SMETS-4.6.4.10-1"]]

    @pytest.mark.parametrize(
        ("target", "after", "heading", "code"),
        [
            ("SMETS 4.6.4.9", "4.6.4.8", "# {+4.6.4.9 Again+}", "clause-exists"),
            ("SMETS 4.6.4.10", "4.6.4.99", "# {+4.6.4.10 New+}", "unknown-clause"),
            ("SMETS 4.6.4.10", "4.6.4.9", "# {+4.6.4.11 New+}", "unsupported"),
            ("SMETS 4.6.4.10", "4.6.4.9", "{+A paragraph with no heading.+}", "unreadable"),
            ("SMETS 4.6.4.10", "", "# {+4.6.4.10 New+}", "unreadable"),
            ("SMETS 4", "4.6.4.9", "# {+4 New+}", "clause-exists"),
        ],
    )
    def test_a_bad_insertion_is_refused_and_changes_nothing(self, target, after, heading, code):
        before = base()
        result = applied(before, structural(1, Action.INSERT_CLAUSE, target, heading, after=after))
        assert only_problem(result).code == code
        assert numbers(result) == numbers(before)
        assert result.revisions == []

    def test_a_mixed_mark_up_is_refused(self):
        result = applied(
            base(),
            structural(
                1,
                Action.INSERT_CLAUSE,
                "SMETS 4.6.4.10",
                "# {+4.6.4.10 New+}",
                "Text that is not marked inserted.",
                after="4.6.4.9",
            ),
        )
        assert only_problem(result).code == "unsupported"


class TestDeleteClause:
    def test_the_clause_and_its_sub_clauses_go_and_their_statements_retire(self):
        before = base()
        result = applied(before, structural(1, Action.DELETE_CLAUSE, "SMETS 4.6.4.9"))
        assert result.problems == []
        assert numbers(result) == [n for n in numbers(before) if not n.startswith("4.6.4.9")]
        retired = ["SMETS-4.6.4.9-1", "SMETS-4.6.4.9-2", "SMETS-4.6.4.9.1-1"]
        assert result.documents[0].retired == retired
        assert [(r.clause, r.action, r.retired) for r in result.revisions] == [
            ("4.6.4.9", Action.DELETE_CLAUSE, retired[:2]),
            ("4.6.4.9.1", Action.DELETE_CLAUSE, retired[2:]),
        ]
        assert (
            result.revisions[0].after == [] and result.revisions[0].title_before == "Clause 4.6.4.9"
        )

    def test_later_numbers_do_not_change(self):
        result = applied(base(), structural(1, Action.DELETE_CLAUSE, "SMETS 4.6.4.8"))
        assert numbers(result)[3:5] == ["4.6.4.9", "4.6.4.9.1"]
        assert ids(result, "4.6.4.9") == [["SMETS-4.6.4.9-1"], ["SMETS-4.6.4.9-2"]]

    def test_a_clause_inserted_again_under_the_number_never_reuses_an_id(self):
        result = amend(
            [base()],
            [
                proposal("IRP1", structural(1, Action.DELETE_CLAUSE, "SMETS 4.6.4.9")),
                proposal(
                    "IRP2",
                    structural(
                        1,
                        Action.INSERT_CLAUSE,
                        "SMETS 4.6.4.9",
                        "# {+4.6.4.9 Security Log again+}",
                        "{+ESME shall keep it.+}",
                        after="4.6.4.8",
                    ),
                ),
            ],
        )
        assert result.problems == []
        assert ids(result, "4.6.4.9") == [["SMETS-4.6.4.9-3"]]

    def test_deleting_a_missing_clause_is_refused(self):
        result = applied(base(), structural(1, Action.DELETE_CLAUSE, "SMETS 4.6.4.99"))
        assert only_problem(result).code == "unknown-clause"

    def test_a_mark_up_showing_another_heading_is_refused(self):
        result = applied(
            base(),
            structural(1, Action.DELETE_CLAUSE, "SMETS 4.6.4.9", "# [-4.6.4.8 Clause 4.6.4.8-]"),
        )
        assert only_problem(result).code == "not-found"


class TestWithdrawClause:
    def test_number_and_heading_stay_and_the_body_is_not_used(self):
        result = applied(base(), structural(1, Action.WITHDRAW_CLAUSE, "SMETS 4.6.4.9"))
        assert result.problems == []
        withdrawn = clause(result, "4.6.4.9")
        assert (withdrawn.title, lines(result, "4.6.4.9")) == ("Clause 4.6.4.9", ["Not used"])
        assert ids(result, "4.6.4.9") == [[]]
        assert "4.6.4.9.1" not in numbers(result)
        assert [(r.clause, r.action) for r in result.revisions] == [
            ("4.6.4.9.1", Action.DELETE_CLAUSE),
            ("4.6.4.9", Action.WITHDRAW_CLAUSE),
        ]
        assert result.revisions[1].retired == ["SMETS-4.6.4.9-1", "SMETS-4.6.4.9-2"]

    @pytest.mark.parametrize("text", ["Intentionally blank", "[Not used]"])
    def test_the_mark_up_may_give_the_body(self, text):
        result = applied(
            base(),
            structural(
                1,
                Action.WITHDRAW_CLAUSE,
                "SMETS 4.6.4.8",
                "[-ESME shall record events. ESME shall time-stamp them.-]",
                f"{{+{text}+}}",
            ),
        )
        assert lines(result, "4.6.4.8") == [text]

    def test_a_withdrawn_clause_still_anchors_an_insertion(self):
        result = applied(
            base(),
            structural(1, Action.WITHDRAW_CLAUSE, "SMETS 4.6.4.8"),
            structural(
                2,
                Action.INSERT_CLAUSE,
                "SMETS 4.6.4.8A",
                "# {+4.6.4.8A Replacement+}",
                "{+ESME shall record events in UTC.+}",
                after="4.6.4.8",
            ),
        )
        assert result.problems == []
        assert numbers(result)[3:5] == ["4.6.4.8", "4.6.4.8A"]


class TestRenumberClause:
    def test_the_clause_and_its_sub_clauses_take_the_new_prefix_and_keep_their_ids(self):
        result = applied(
            base(), structural(1, Action.RENUMBER_CLAUSE, "SMETS 4.6.4.9", new_number="4.6.4.11")
        )
        assert result.problems == []
        assert numbers(result)[4:6] == ["4.6.4.11", "4.6.4.11.1"]
        assert ids(result, "4.6.4.11") == [["SMETS-4.6.4.9-1"], ["SMETS-4.6.4.9-2"]]
        assert ids(result, "4.6.4.11.1") == [["SMETS-4.6.4.9.1-1"]]
        assert [(r.clause, r.number_before, r.action) for r in result.revisions] == [
            ("4.6.4.11", "4.6.4.9", Action.RENUMBER_CLAUSE),
            ("4.6.4.11.1", "4.6.4.9.1", Action.RENUMBER_CLAUSE),
        ]

    def test_a_move_places_the_clause_after_the_named_one_at_its_new_depth(self):
        result = applied(
            base(),
            structural(
                1, Action.RENUMBER_CLAUSE, "SMETS 4.6.4.8", new_number="4.6.5.4", after="4.6.5.3"
            ),
        )
        assert result.problems == []
        assert numbers(result)[-3:] == ["4.6.5.3", "4.6.5.4", "4.7"]
        assert clause(result, "4.6.5.4").level == clause(result, "4.6.5.3").level

    def test_a_move_to_another_depth_changes_the_level(self):
        result = applied(
            base(),
            structural(1, Action.RENUMBER_CLAUSE, "SMETS 4.6.4.9", new_number="4.8", after="4.7"),
        )
        assert numbers(result)[-3:] == ["4.7", "4.8", "4.8.1"]
        assert clause(result, "4.8").level == clause(result, "4.7").level
        assert clause(result, "4.8.1").level == clause(result, "4.7").level + 1

    def test_a_colliding_number_is_refused(self):
        before = base()
        result = applied(
            before, structural(1, Action.RENUMBER_CLAUSE, "SMETS 4.6.4.8", new_number="4.6.4.9")
        )
        problem = only_problem(result)
        assert problem.code == "clause-exists" and "4.6.4.9" in problem.message
        assert numbers(result) == numbers(before)

    def test_a_sub_clause_collision_is_refused(self):
        doc = base()
        result = applied(
            doc, structural(1, Action.RENUMBER_CLAUSE, "SMETS 4.6.4.8", new_number="4.6.4")
        )
        assert only_problem(result).code == "clause-exists"

    def test_another_proposal_naming_the_old_number_is_told_where_it_went(self):
        result = amend(
            [base()],
            [
                proposal(
                    "IRP1",
                    structural(1, Action.RENUMBER_CLAUSE, "SMETS 4.6.4.9", new_number="4.6.4.11"),
                ),
                proposal(
                    "IRP2", change(1, "SMETS 4.6.4.9", "ESME shall keep a {+full+} Security Log.")
                ),
            ],
        )
        (problem,) = result.problems
        assert problem.code == "conflict"
        assert "IRP1 change 1 renumbered it 4.6.4.11" in problem.message

    def test_a_move_under_itself_is_refused(self):
        result = applied(
            base(),
            structural(
                1, Action.RENUMBER_CLAUSE, "SMETS 4.6.4.9", new_number="4.6.4.12", after="4.6.4.9.1"
            ),
        )
        assert only_problem(result).code == "unsupported"


class TestRenameHeading:
    def test_mark_up_inside_the_heading_line_renames_the_clause(self):
        result = applied(
            base(), change(1, "SMETS 4.6.4.9", "# 4.6.4.9 Clause [-4.6.4.9-]{+Security Log+}")
        )
        assert result.problems == []
        assert clause(result, "4.6.4.9").title == "Clause Security Log"
        (revision,) = result.revisions
        assert (revision.title_before, revision.title_after, revision.retitled) == (
            "Clause 4.6.4.9",
            "Clause Security Log",
            True,
        )
        assert revision.before == revision.after

    def test_a_rename_and_a_text_change_in_one_mark_up(self):
        result = applied(
            base(),
            change(
                1,
                "SMETS 4.6.4.9",
                "# 4.6.4.9 {+Security+} Clause 4.6.4.9",
                "ESME shall keep a {+tamper-evident+} Security Log.",
            ),
        )
        assert result.problems == []
        assert clause(result, "4.6.4.9").title == "Security Clause 4.6.4.9"
        assert lines(result, "4.6.4.9")[0] == "ESME shall keep a tamper-evident Security Log."

    def test_a_heading_that_is_not_the_clauses_is_refused(self):
        result = applied(base(), change(1, "SMETS 4.6.4.9", "# 4.6.4.9 Other title {+here+}"))
        assert only_problem(result).code == "not-found"
        assert clause(result, "4.6.4.9").title == "Clause 4.6.4.9"

    def test_a_changed_number_in_the_heading_is_refused(self):
        result = applied(
            base(), change(1, "SMETS 4.6.4.9", "# [-4.6.4.9-]{+4.6.4.12+} Clause 4.6.4.9")
        )
        assert only_problem(result).code == "unsupported"


class TestConflictsBetweenProposals:
    def run(self, first: Change, second: Change) -> Amendment:
        return amend([base()], [proposal("IRP1", first), proposal("IRP2", second)])

    def test_deleting_a_clause_another_proposal_amended(self):
        result = self.run(
            change(1, "SMETS 4.6.4.9", "ESME shall keep a {+full+} Security Log."),
            structural(1, Action.DELETE_CLAUSE, "SMETS 4.6.4.9"),
        )
        assert refused(result) == [("IRP2", 1, "SMETS 4.6.4.9", "conflict")]
        assert lines(result, "4.6.4.9")[0] == "ESME shall keep a full Security Log."

    def test_deleting_a_parent_of_a_clause_another_proposal_amended(self):
        result = self.run(
            change(1, "SMETS 4.6.4.9.1", "ESME shall {+always+} protect the Security Log."),
            structural(1, Action.DELETE_CLAUSE, "SMETS 4.6.4.9"),
        )
        assert refused(result) == [("IRP2", 1, "SMETS 4.6.4.9", "conflict")]

    def test_amending_a_clause_another_proposal_deleted(self):
        result = self.run(
            structural(1, Action.DELETE_CLAUSE, "SMETS 4.6.4.9"),
            change(1, "SMETS 4.6.4.9", "ESME shall keep a {+full+} Security Log."),
        )
        (problem,) = result.problems
        assert problem.code == "conflict" and "IRP1 change 1 deleted it" in problem.message

    def test_amending_a_clause_another_proposal_withdrew(self):
        result = self.run(
            structural(1, Action.WITHDRAW_CLAUSE, "SMETS 4.6.4.9"),
            change(1, "SMETS 4.6.4.9", "ESME shall keep a {+full+} Security Log."),
        )
        assert refused(result) == [("IRP2", 1, "SMETS 4.6.4.9", "conflict")]

    def test_two_proposals_inserting_after_one_clause(self):
        result = self.run(
            structural(
                1, Action.INSERT_CLAUSE, "SMETS 4.6.4.10", "# {+4.6.4.10 A+}", after="4.6.4.9"
            ),
            structural(
                1, Action.INSERT_CLAUSE, "SMETS 4.6.4.11", "# {+4.6.4.11 B+}", after="4.6.4.9"
            ),
        )
        assert refused(result) == [("IRP2", 1, "SMETS 4.6.4.11", "conflict")]

    def test_two_proposals_renaming_one_heading(self):
        result = self.run(
            change(1, "SMETS 4.6.4.9", "# 4.6.4.9 Clause [-4.6.4.9-]{+A+}"),
            change(1, "SMETS 4.6.4.9", "# 4.6.4.9 Clause [-4.6.4.9-]{+B+}"),
        )
        assert [p.code for p in result.problems] == ["not-found"]

    def test_another_proposal_cannot_edit_a_clause_one_inserted(self):
        result = self.run(
            structural(
                1,
                Action.INSERT_CLAUSE,
                "SMETS 4.6.4.10",
                "# {+4.6.4.10 New+}",
                "{+ESME shall hold 200 events.+}",
                after="4.6.4.9",
            ),
            change(1, "SMETS 4.6.4.10", "ESME shall hold [-200-]{+300+} events."),
        )
        assert refused(result) == [("IRP2", 1, "SMETS 4.6.4.10", "conflict")]

    def test_one_proposal_may_amend_then_delete(self):
        result = applied(
            base(),
            change(1, "SMETS 4.6.4.9", "ESME shall keep a {+full+} Security Log."),
            structural(2, Action.DELETE_CLAUSE, "SMETS 4.6.4.9"),
        )
        assert result.problems == []
        assert "4.6.4.9" not in numbers(result)


class TestTablesAndLists:
    def base(self) -> Document:
        rows = [["Alert", "Code"], ["Tamper", "0x8F"], ["Supply", "0x90"]]
        return document(
            {
                "5.1": ["ESME shall raise these alerts:", rows, "Note after the table."],
                "5.2": ["ESME shall:", "i.\tlog the alert;", "ii.\tdisplay the alert."],
            }
        )

    def test_rows_inserted_and_deleted(self):
        result = applied(
            self.base(),
            change(
                1,
                "SMETS 5.1",
                "| Tamper | 0x8F |",
                "| {+Battery+} | {+0x91+} |",
                "| [-Supply-] | [-0x90-] |",
            ),
        )
        assert result.problems == []
        table = clause(result, "5.1").blocks[1]
        assert table.rows == [["Alert", "Code"], ["Tamper", "0x8F"], ["Battery", "0x91"]]
        assert table.header_rows == 1

    def test_a_whole_table_inserted(self):
        result = applied(
            self.base(),
            change(
                1,
                "SMETS 5.1",
                "Note after the table.",
                "| {+Event+} | {+Id+} |",
                "| {+Open+} | {+1+} |",
            ),
        )
        assert result.problems == []
        blocks = clause(result, "5.1").blocks
        assert [b.kind.value for b in blocks] == ["paragraph", "table", "paragraph", "table"]
        assert blocks[3].rows == [["Event", "Id"], ["Open", "1"]]

    def test_a_whole_table_deleted(self):
        result = applied(
            self.base(),
            change(
                1,
                "SMETS 5.1",
                "ESME shall raise these alerts:",
                "| [-Alert-] | [-Code-] |",
                "| [-Tamper-] | [-0x8F-] |",
                "| [-Supply-] | [-0x90-] |",
                "Note after the table.",
            ),
        )
        assert result.problems == []
        assert [b.kind.value for b in clause(result, "5.1").blocks] == ["paragraph", "paragraph"]

    def test_list_items_inserted_and_deleted(self):
        result = applied(
            self.base(),
            change(
                1,
                "SMETS 5.2",
                "ESME shall:",
                "* [-log the alert;-]",
                "* display the alert[-.-]{+;+}",
                "* {+sound the alarm.+}",
            ),
        )
        assert result.problems == []
        assert lines(result, "5.2") == ["ESME shall:", "display the alert;", "sound the alarm."]
        assert [b.label for b in clause(result, "5.2").blocks[1:]] == ["i.", "ii."]
