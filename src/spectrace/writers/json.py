"""The JSON form of a document that other tools read (``spectrace import spec --json``)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from typing import Any

from spectrace.model import (
    Block,
    BlockKind,
    Change,
    Document,
    MarkupBlock,
    MarkupKind,
    Proposal,
    Revision,
    RevisionLine,
    Span,
    Statement,
)
from spectrace.model.continuity import Carry, Discrepancy
from spectrace.model.proposal import PICTURE, picture_changes
from spectrace.model.revision import Amendment


def document_to_dict(document: Document) -> dict[str, Any]:
    """Return ``document`` as plain data: numbered clauses in order, then the glossary."""
    clauses = []
    for clause, part in zip(document.clauses, document.parts(), strict=True):
        if clause.number is None:
            continue
        clauses.append(
            {
                "number": clause.number,
                "title": clause.title,
                "level": clause.level,
                "part": part,
                "blocks": [_block(block) for block in clause.blocks],
                "statements": [_statement(statement) for statement in clause.statements],
            }
        )
    return {
        "doc": document.name,
        "edition": document.edition,
        "title": document.title,
        "clauses": clauses,
        "glossary": [{"term": e.term, "definition": e.definition} for e in document.glossary],
    }


def next_edition_to_dict(
    document: Document, continues: str, carry: Carry, discrepancies: list[Discrepancy]
) -> dict[str, Any]:
    """Return a new edition imported to continue ``continues`` (``import spec --from --json``):
    the document as :func:`document_to_dict` gives it, then what each statement became
    (``continuity``), the matches made in doubt (``doubts``) and where the new text departs
    from the amendments (``discrepancies``)."""
    return document_to_dict(document) | {
        "continues": continues,
        "continuity": [statement.as_dict() for statement in carry.statements],
        "doubts": [doubt.as_dict() for doubt in carry.doubts],
        "discrepancies": [discrepancy.as_dict() for discrepancy in discrepancies],
    }


def _block(block: Block) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": block.kind.value, "text": block.text}
    if block.kind is BlockKind.LIST_ITEM:
        data |= {"label": block.label, "level": block.level}
    if block.kind is BlockKind.TABLE:
        data |= {"rows": block.rows, "header_rows": block.header_rows}
    return data


def _statement(statement: Statement) -> dict[str, Any]:
    return {
        "id": statement.id,
        "text": statement.text,
        "modality": statement.modality.value,
        "actors": statement.actors,
        "refs": statement.refs,
        "terms": statement.terms,
    }


def dumps(data: Any) -> str:
    """Return ``data`` as stable, readable JSON (same data, same bytes)."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def proposal_to_dict(proposal: Proposal) -> dict[str, Any]:
    """Return ``proposal`` as plain data (the shape ``spectrace import irp --json`` prints):
    its fields in the order the Proposal declares them, except the file it was read from."""
    data = _record(proposal)
    data["changes"] = [_change(change) for change in proposal.changes]
    return data


def _change(change: Change) -> dict[str, Any]:
    """Return ``change`` as plain data: its fields in the order the Change declares them, except
    where it was read from; the target as text, a revision mark not given as null."""
    data = _record(change)
    data |= {
        "target": str(change.target) if change.target else None,
        "action": change.action.value,
        "markup": [_markup(block) for block in change.markup],
        "revised_by": change.revised_by or None,
        "revised_on": change.revised_on or None,
    }
    return data


def _record(record: Proposal | Change) -> dict[str, Any]:
    """Return the fields of ``record`` by name, in declaration order, except those that say where
    it was read from (``file``, ``location``: the fields left out of its equality)."""
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.compare}


def _markup(block: MarkupBlock) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": block.kind.value}
    if block.kind is MarkupKind.TABLE_ROW:
        data["cells"] = [[_span(span) for span in cell] for cell in block.cells]
        spans = []
        for index, cell in enumerate(block.cells):
            spans += ([{"text": "\t", "op": "keep"}] if index else []) + [_span(s) for s in cell]
        data["spans"] = spans
    else:
        data["spans"] = [_span(span) for span in block.spans]
    if block.kind is MarkupKind.LIST_ITEM:
        data |= {"label": block.label, "level": block.level}
    return data


def _span(span: Span) -> dict[str, str]:
    return {"text": span.text, "op": span.op.value}


def amendment_to_dict(amendment: Amendment, proposals: Iterable[Proposal] = ()) -> dict[str, Any]:
    """Return what applying proposals did (the shape ``spectrace amend --json`` prints):
    each changed clause before and after, glossary entries added, changed and removed, and
    the problems of refused changes; each revision and problem says whether its change, looked
    up in ``proposals``, was read from a picture (:func:`picture_origin`)."""
    labels = [document.label for document in amendment.amended]
    pictures = picture_changes(proposals)
    data: dict[str, Any] = {
        "edition": labels[0] if len(labels) == 1 else labels,
        "clauses": [],
        "glossary_added": [],
        "glossary_changed": [],
        "glossary_removed": [],
        "revisions": [
            _revision(revision) | picture_origin(pictures.get((revision.irp, revision.change)))
            for revision in amendment.revisions
        ],
        "problems": [
            # "kind" is the code's name before findings had codes, kept for existing readers
            {**p.as_dict(), "kind": p.code.value}
            | picture_origin(pictures.get((p.location.irp, p.location.change)))
            for p in amendment.problems
        ],
    }
    for (document, clause), (before, after) in _spans_of_revisions(amendment.revisions).items():
        if clause == "Glossary":
            _glossary_changes(data, document, before, after)
        else:
            data["clauses"].append(
                {
                    "document": document,
                    "number": clause,
                    "before": lines_data(before),
                    "after": lines_data(after),
                }
            )
    return data


_Stretch = tuple[list[RevisionLine], list[RevisionLine]]  # a clause's lines before and after


def _spans_of_revisions(revisions: list[Revision]) -> dict[tuple[str, str], _Stretch]:
    """Return, per changed clause, its lines before the first and after the last revision."""
    spans: dict[tuple[str, str], _Stretch] = {}
    for revision in revisions:
        key = (revision.document, revision.clause)
        before = spans[key][0] if key in spans else revision.before
        spans[key] = (before, revision.after)
    return spans


def lines_data(lines: list[RevisionLine]) -> list[str]:
    """Return revision lines as the JSON forms hold them (``spectrace amend --json`` and the
    database's ``revisions`` table): each line a string, its cells separated by a tab."""
    return ["\t".join(line.cells) for line in lines]


def _glossary_changes(
    data: dict, document: str, before: list[RevisionLine], after: list[RevisionLine]
) -> None:
    old = _entries(before)
    new = _entries(after)
    for term, definition in new.items():
        if term not in old:
            data["glossary_added"].append(
                {"document": document, "term": term, "definition": definition}
            )
        elif old[term] != definition:
            data["glossary_changed"].append(
                {"document": document, "term": term, "before": old[term], "after": definition}
            )
    for term, definition in old.items():
        if term not in new:
            data["glossary_removed"].append(
                {"document": document, "term": term, "definition": definition}
            )


def _entries(lines: list[RevisionLine]) -> dict[str, str]:
    """Return glossary lines as {term: definition}."""
    return {term: definition for term, definition in (line.cells for line in lines)}


def _revision(revision: Revision) -> dict[str, Any]:
    return {
        "irp": revision.irp,
        "change": revision.change,
        "document": revision.document,
        "clause": revision.clause,
        **revision_structure(revision),
        "added": revision.added,
        "changed": revision.changed,
        "retired": revision.retired,
    }


def picture_origin(change: Change | None) -> dict[str, Any]:
    """Return where a revision's or problem's change came from, as ``amend --json`` gives it:
    ``source`` "picture" and the reading's ``confidence`` (null when not known) for a change
    read from a picture (``change``, from :func:`~spectrace.model.proposal.picture_changes`),
    both null for a typed one."""
    if change is None:
        return {"source": None, "confidence": None}
    return {"source": PICTURE, "confidence": change.confidence}


def revision_structure(revision: Revision) -> dict[str, str | None]:
    """Return what a revision did to its clause as a whole, as the JSON forms and the
    database's ``revisions`` table hold it: ``action`` (amend, insert_clause, …), the heading
    ``title_before`` and ``title_after`` (null when the change left the heading alone: set
    both for a rename, one for an inserted or deleted clause) and a renumbered clause's
    ``number_before`` (null otherwise)."""
    return {
        "action": revision.action.value,
        "title_before": revision.title_before,
        "title_after": revision.title_after,
        "number_before": revision.number_before or None,
    }
