"""The JSON form of a document that other tools read (``spectrace import spec --json``)."""

from __future__ import annotations

import json
from typing import Any

from spectrace.model import Block, BlockKind, Document, Statement


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
