"""Write documents into a fresh requirement database, atomically and deterministically."""

from __future__ import annotations

import json
import sqlite3
from importlib import resources
from pathlib import Path

from spectrace.fileio import atomic_path
from spectrace.model import Document
from spectrace.transforms.statements import Vocabulary, informative_clauses

SCHEMA_VERSION = 1


def write_database(documents: list[Document], path: Path, vocabulary: Vocabulary) -> None:
    """Write ``documents`` to a new database at ``path``, replacing it only once complete."""
    with atomic_path(path) as temporary:
        _write(documents, temporary, vocabulary)


def _write(documents: list[Document], path: Path, vocabulary: Vocabulary) -> None:
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.executescript(
            resources.files("spectrace.store").joinpath("schema.sql").read_text()
        )
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("schema_version", str(SCHEMA_VERSION)), ("generator", "spectrace")],
        )
        for document in sorted(documents, key=lambda d: (d.name, d.edition)):
            _Writer(connection, document, vocabulary).write()
        connection.execute("COMMIT")
    finally:
        connection.close()


class _Writer:
    """Insert one edition: its clauses, blocks, statements and glossary."""

    def __init__(self, connection: sqlite3.Connection, document: Document, vocabulary: Vocabulary):
        self.db = connection
        self.document = document
        self.vocabulary = vocabulary

    def write(self) -> None:
        doc = self.document
        self.db.execute("INSERT OR IGNORE INTO documents VALUES (?, ?)", (doc.name, doc.title))
        edition = self.db.execute(
            "INSERT INTO editions (document, edition, label, subtitle, front_matter, source) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                doc.name,
                doc.edition,
                doc.label,
                doc.subtitle,
                json.dumps(doc.front_matter, ensure_ascii=False),
                doc.source,
            ),
        ).lastrowid
        self.clauses(edition)
        self.db.executemany(
            "INSERT INTO glossary VALUES (?, ?, ?, ?)",
            [(edition, n, e.term, e.definition) for n, e in enumerate(doc.glossary, start=1)],
        )

    def clauses(self, edition: int) -> None:
        doc = self.document
        ids: dict[int, int] = {}
        statements, actors, refs, terms = [], [], [], []
        rows = zip(
            doc.clauses,
            doc.parents(),
            doc.parts(),
            informative_clauses(doc, self.vocabulary),
            strict=True,
        )
        for position, (clause, parent, part, informative) in enumerate(rows, start=1):
            clause_id = self.db.execute(
                "INSERT INTO clauses (edition_id, position, number, title, level, parent_id, part,"
                " informative) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    edition,
                    position,
                    clause.number,
                    clause.title,
                    clause.level,
                    ids.get(id(parent)) if parent is not None else None,
                    part,
                    int(informative),
                ),
            ).lastrowid
            ids[id(clause)] = clause_id
            order = 0
            for block_position, block in enumerate(clause.blocks, start=1):
                block_id = self.db.execute(
                    "INSERT INTO blocks (clause_id, position, kind, text, label, level, rows,"
                    " header_rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        clause_id,
                        block_position,
                        block.kind.value,
                        block.text,
                        block.label,
                        block.level,
                        json.dumps(block.rows, ensure_ascii=False) if block.rows else None,
                        block.header_rows,
                    ),
                ).lastrowid
                for statement in block.statements:
                    order += 1
                    key = (edition, statement.id)
                    statements.append(
                        (
                            *key,
                            clause_id,
                            block_id,
                            order,
                            statement.text,
                            statement.modality.value,
                            statement.fingerprint,
                        )
                    )
                    actors += [(*key, n, a) for n, a in enumerate(statement.actors, start=1)]
                    refs += [
                        (*key, n, *_target(ref, doc.name))
                        for n, ref in enumerate(statement.refs, start=1)
                    ]
                    terms += [(*key, n, t) for n, t in enumerate(statement.terms, start=1)]
        self.db.executemany("INSERT INTO statements VALUES (?, ?, ?, ?, ?, ?, ?, ?)", statements)
        self.db.executemany("INSERT INTO statement_actors VALUES (?, ?, ?, ?)", actors)
        self.db.executemany("INSERT INTO statement_refs VALUES (?, ?, ?, ?, ?)", refs)
        self.db.executemany("INSERT INTO statement_terms VALUES (?, ?, ?, ?)", terms)


def _target(ref: str, document: str) -> tuple[str, str]:
    """Return (document, clause) for a reference written "5.7.5.31" or "CHTS 4.6.3.5"."""
    other, _, number = ref.rpartition(" ")
    return (other or document, number)
