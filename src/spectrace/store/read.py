"""Read the requirement database: read-only SQL and the clause view behind `spectrace show`."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from spectrace.errors import AddressError, StoreError
from spectrace.model.refs import ClauseAddress
from spectrace.model.revision import RevisionLine
from spectrace.store.write import SCHEMA_VERSION


@dataclass
class ClauseView:
    """One clause as stored: its blocks, statements and the glossary terms it uses."""

    edition: str
    number: str
    title: str
    level: int
    part: str | None
    informative: bool
    blocks: list[dict] = field(default_factory=list)
    statements: list[dict] = field(default_factory=list)
    terms: list[dict] = field(default_factory=list)
    entries: list[dict] = field(default_factory=list)  # the glossary, in the clause that holds it

    def as_dict(self) -> dict:
        return {
            "edition": self.edition,
            "number": self.number,
            "title": self.title,
            "level": self.level,
            "part": self.part,
            "informative": self.informative,
            "blocks": self.blocks,
            "statements": self.statements,
            "glossary": self.terms,
            "entries": self.entries,
        }


class Database:
    """A read-only connection to a requirement database."""

    def __init__(self, path: Path):
        self.path = path
        if not path.is_file():
            raise StoreError(
                "no requirement database here; run `spectrace db` first", file=str(path)
            )
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        try:
            self.db = sqlite3.connect(uri, uri=True)
            self.db.execute("PRAGMA query_only = ON")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"not a requirement database ({exc})", file=str(path)) from None
        if version != SCHEMA_VERSION:
            raise StoreError(
                f"written with database schema {version}, this spectrace reads "
                f"{SCHEMA_VERSION}; rebuild it with `spectrace db`",
                file=str(path),
            )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(self, sql: str) -> tuple[list[str], list[tuple]]:
        """Run one read-only SQL statement; return the column names and the rows."""
        try:
            cursor = self.db.execute(sql)
            rows = cursor.fetchall()
        except (sqlite3.Error, sqlite3.Warning) as exc:
            raise StoreError(f"query failed: {exc}", file=str(self.path)) from None
        columns = [column[0] for column in cursor.description or []]
        return columns, rows

    def labels(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT label FROM editions ORDER BY label")]

    def lines(self, label: str) -> list[tuple[str, str, list[RevisionLine]]]:
        """Return (clause number, title, lines) for every numbered clause of edition ``label``,
        then ("Glossary", "", entries); a line is a block's text (after its label, for a list
        item), a table row's cells, or a glossary entry's term and definition."""
        row = self.db.execute("SELECT id FROM editions WHERE label = ?", (label,)).fetchone()
        if row is None:
            known = ", ".join(self.labels()) or "none"
            raise AddressError(f"the database has no edition '{label}' (it has: {known})")
        clauses: dict[int, tuple[str, str, list[RevisionLine]]] = {}
        for clause_id, number, title in self.db.execute(
            "SELECT id, number, title FROM clauses WHERE edition_id = ? AND number IS NOT NULL"
            " ORDER BY position",
            (row[0],),
        ):
            clauses[clause_id] = (number, title, [])
        for clause_id, text, label, rows in self.db.execute(
            "SELECT b.clause_id, b.text, b.label, b.rows FROM blocks b"
            " JOIN clauses c ON c.id = b.clause_id"
            " WHERE c.edition_id = ? ORDER BY c.position, b.position",
            (row[0],),
        ):
            if clause_id in clauses:
                lines = clauses[clause_id][2]
                if rows:
                    lines += [RevisionLine(tuple(r)) for r in json.loads(rows)]
                else:
                    lines.append(RevisionLine((f"{label} {text}" if label else text,)))
        glossary = [RevisionLine(entry) for entry in self._entries(row[0])]
        return [*clauses.values(), ("Glossary", "", glossary)]

    def final_edition(self, document: str, base: str | None) -> str | None:
        """Return the edition a build ends with for ``document`` from ``base``: the amended
        one when proposals were applied, else ``base`` itself."""
        if base is None:
            return None
        row = self.db.execute(
            "SELECT edition FROM editions WHERE document = ? AND base = ?",
            (document, f"{document} {base}"),
        ).fetchone()
        return row[0] if row else base

    def statement_clause(self, statement: str, document: str, edition: str | None) -> str:
        """Return the number of the clause holding ``statement`` in ``edition`` of
        ``document`` (by default its latest), where it is now: an id keeps the clause it was
        first given in, and the statement may have moved since."""
        edition = edition or self._latest(document)
        row = self.db.execute(
            "SELECT c.number FROM statements s JOIN editions e ON e.id = s.edition_id "
            "JOIN clauses c ON c.id = s.clause_id "
            "WHERE e.document = ? AND e.edition = ? AND s.id = ?",
            (document, edition, statement),
        ).fetchone()
        if row is None or row[0] is None:
            raise AddressError(f"{document} {edition} has no statement {statement}")
        return row[0]

    def glossary(self, document: str, edition: str | None) -> tuple[str, list[tuple[str, str]]]:
        """Return the label of ``edition`` of ``document`` (by default its latest) and its
        glossary's (term, definition) entries in order."""
        edition = edition or self._latest(document)
        row = self.db.execute(
            "SELECT id, label FROM editions WHERE document = ? AND edition = ?",
            (document, edition),
        ).fetchone()
        if row is None:
            raise AddressError(f"the database holds no edition {document} {edition}")
        return row[1], self._entries(row[0])

    def _entries(self, edition_id: int) -> list[tuple[str, str]]:
        """Return the (term, definition) entries of an edition's glossary, in order."""
        return self.db.execute(
            "SELECT term, definition FROM glossary WHERE edition_id = ? ORDER BY position",
            (edition_id,),
        ).fetchall()

    def _latest(self, document: str) -> str:
        editions = self.editions(document)
        if not editions:
            raise AddressError(f"the database holds no document {document}")
        return editions[-1]

    def editions(self, document: str) -> list[str]:
        rows = self.db.execute(
            "SELECT edition FROM editions WHERE document = ? ORDER BY id", (document,)
        ).fetchall()
        return [row[0] for row in rows]

    def clause(self, address: ClauseAddress, default_edition: str | None = None) -> ClauseView:
        """Return the clause at ``address``; the edition defaults to ``default_edition``."""
        edition = address.edition or default_edition or self._latest(address.document)
        row = self.db.execute(
            "SELECT c.id, e.label, c.number, c.title, c.level, c.part, c.informative, e.id,"
            " e.glossary_clause "
            "FROM clauses c JOIN editions e ON e.id = c.edition_id "
            "WHERE e.document = ? AND e.edition = ? AND c.number = ? ORDER BY c.position LIMIT 1",
            (address.document, edition, address.number),
        ).fetchone()
        if row is None:
            raise AddressError(f"{address.document} {edition} has no clause {address.number}")
        view = ClauseView(row[1], row[2], row[3], row[4], row[5], bool(row[6]))
        self._fill(view, clause_id=row[0], edition_id=row[7])
        if row[8] == view.number:
            view.entries = [{"term": t, "definition": d} for t, d in self._entries(row[7])]
        return view

    def _fill(self, view: ClauseView, clause_id: int, edition_id: int) -> None:
        for kind, text, label, level, rows in self.db.execute(
            "SELECT kind, text, label, level, rows FROM blocks WHERE clause_id = ?"
            " ORDER BY position",
            (clause_id,),
        ):
            block = {"kind": kind, "text": text}
            if kind == "list_item":
                block |= {"label": label, "level": level}
            if rows:
                block["rows"] = json.loads(rows)
            view.blocks.append(block)
        for statement_id, text, modality in self.db.execute(
            "SELECT id, text, modality FROM statements WHERE clause_id = ? ORDER BY position",
            (clause_id,),
        ):
            view.statements.append(
                {
                    "id": statement_id,
                    "text": text,
                    "modality": modality,
                    "actors": self._list("statement_actors", "actor", edition_id, statement_id),
                    "refs": self._refs(edition_id, statement_id),
                    "terms": self._list("statement_terms", "term", edition_id, statement_id),
                }
            )
        used = list(dict.fromkeys(term for s in view.statements for term in s["terms"]))
        for term in used:
            definition = self.db.execute(
                "SELECT definition FROM glossary WHERE edition_id = ? AND term = ?",
                (edition_id, term),
            ).fetchone()
            view.terms.append({"term": term, "definition": definition[0] if definition else ""})

    def _list(self, table: str, column: str, edition_id: int, statement_id: str) -> list[str]:
        rows = self.db.execute(
            f"SELECT {column} FROM {table} WHERE edition_id = ? AND statement_id = ? "
            "ORDER BY position",
            (edition_id, statement_id),
        )
        return [row[0] for row in rows]

    def _refs(self, edition_id: int, statement_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT r.document, r.clause, e.document FROM statement_refs r "
            "JOIN editions e ON e.id = r.edition_id "
            "WHERE r.edition_id = ? AND r.statement_id = ? ORDER BY r.position",
            (edition_id, statement_id),
        )
        return [
            clause if document == own else f"{document} {clause}" for document, clause, own in rows
        ]


def open_database(path: Path) -> Database:
    return Database(path)
