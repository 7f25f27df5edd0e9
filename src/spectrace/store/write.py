"""Write documents into a fresh requirement database, atomically and deterministically."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

from spectrace.errors import ReadError, StoreError
from spectrace.fileio import atomic_path
from spectrace.model import Change, Document, Proposal
from spectrace.model.proposal import PROPOSAL_FIELDS, FieldKind, MetadataField
from spectrace.model.revision import Amendment
from spectrace.transforms.statements import Vocabulary, informative_clauses
from spectrace.writers.json import lines_data, revision_structure

SCHEMA_VERSION = 5
#: The largest INTEGER SQLite stores.
_INTEGER_MAX = (1 << 63) - 1


def write_database(
    documents: list[Document],
    path: Path,
    vocabulary: Vocabulary,
    amendment: Amendment | None = None,
    proposals: Sequence[Proposal] = (),
) -> None:
    """Write ``documents`` (base editions), the editions and revisions of ``amendment`` and the
    ``proposals`` to a new database at ``path``, replacing it only once complete."""
    with atomic_path(path) as temporary:
        fill_database(temporary, documents, vocabulary, amendment, proposals)


def fill_database(
    path: Path,
    documents: list[Document],
    vocabulary: Vocabulary,
    amendment: Amendment | None = None,
    proposals: Sequence[Proposal] = (),
) -> None:
    """Write the database into ``path`` as it stands (the caller makes that atomic)."""
    _write(documents, path, vocabulary, amendment or Amendment(), proposals)


def _write(
    documents: list[Document],
    path: Path,
    vocabulary: Vocabulary,
    amendment: Amendment,
    proposals: Sequence[Proposal],
) -> None:
    written = [*documents, *amendment.amended]
    check_keys(written, proposals)
    path.unlink(missing_ok=True)
    try:
        connection = sqlite3.connect(path, isolation_level=None)
    except sqlite3.OperationalError as exc:
        raise StoreError(f"cannot be written ({exc})", file=str(path)) from None
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.executescript(
            resources.files("spectrace.store").joinpath("schema.sql").read_text()
        )
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [("schema_version", str(SCHEMA_VERSION)), ("generator", "spectrace")],
        )
        editions = {}
        bases = {document.name: document for document in documents}
        for document in sorted(written, key=lambda d: (d.name, d.edition)):
            base = bases.get(document.name)
            base = base if base is not None and base is not document else None
            editions[document.label] = _Writer(connection, document, vocabulary, base).write()
        _write_proposals(connection, proposals)
        _write_revisions(connection, amendment, editions)
        connection.execute("COMMIT")
    except sqlite3.OperationalError as exc:  # the data is checked: this is the disk or folder
        raise StoreError(f"cannot be written ({exc})", file=str(path)) from None
    finally:
        connection.close()


def check_keys(editions: list[Document], proposals: Sequence[Proposal]) -> None:
    """Refuse data the schema's keys would refuse, naming where it came from (sqlite3 would
    only name the constraint): an edition twice, a statement id twice in one edition, an IRP
    twice, a change number twice in one IRP or one SQLite cannot store."""
    labels: dict[str, Document] = {}
    for document in editions:
        first = labels.setdefault(document.label, document)
        if first is not document:
            raise ReadError(
                f"{document.label} is also read from {first.source}", file=document.source
            )
        _check_statements(document)
    irps: dict[str, Proposal] = {}
    for proposal in proposals:
        first_read = irps.setdefault(proposal.irp, proposal)
        if first_read is not proposal:
            raise ReadError(
                f"{proposal.irp} is also read from {first_read.file}", file=proposal.file
            )
        _check_changes(proposal)


def _check_statements(document: Document) -> None:
    seen: set[str] = set()
    for clause, statement in document.statements():
        if statement.id in seen:
            raise ReadError(
                f"statement id {statement.id} is used twice in {document.label}",
                file=document.source,
                where=f"clause {clause.number or clause.title}",
            )
        seen.add(statement.id)


def _check_changes(proposal: Proposal) -> None:
    seen: set[int] = set()
    for change in proposal.changes:
        where = change.location.where if change.location else None
        if change.number in seen:
            raise ReadError(
                f"{proposal.irp} has two changes numbered {change.number}",
                file=proposal.file,
                where=where,
            )
        if not 0 <= change.number <= _INTEGER_MAX:
            raise ReadError(
                f"{proposal.irp} change {change.number}: not a number a database can store",
                file=proposal.file,
                where=where,
            )
        seen.add(change.number)


class _Writer:
    """Insert one edition: its clauses, blocks, statements and glossary."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        document: Document,
        vocabulary: Vocabulary,
        base: Document | None = None,
    ):
        self.db = connection
        self.document = document
        self.vocabulary = vocabulary
        self.base = base

    def write(self) -> int:
        doc = self.document
        self.db.execute(
            "INSERT OR IGNORE INTO documents (name, title) VALUES (?, ?)", (doc.name, doc.title)
        )
        base = self.base.label if self.base else None
        applied = doc.edition[len(self.base.edition) :].split("+")[1:] if self.base else []
        edition = self.db.execute(
            "INSERT INTO editions (document, edition, label, subtitle, front_matter, source,"
            " base, proposals, retired, glossary_clause) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc.name,
                doc.edition,
                doc.label,
                doc.subtitle,
                json.dumps(doc.front_matter, ensure_ascii=False),
                doc.source,
                base,
                json.dumps(applied),
                json.dumps(doc.retired),
                doc.glossary_clause,
            ),
        ).lastrowid
        assert edition is not None, "an INSERT that succeeded gives its row's id"
        self.clauses(edition)
        self.db.executemany(
            "INSERT INTO glossary (edition_id, position, term, definition) VALUES (?, ?, ?, ?)",
            [(edition, n, e.term, e.definition) for n, e in enumerate(doc.glossary, start=1)],
        )
        return edition

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
            assert clause_id is not None, "an INSERT that succeeded gives its row's id"
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
        self.db.executemany(
            "INSERT INTO statements (edition_id, id, clause_id, block_id, position, text, modality,"
            " fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            statements,
        )
        self.db.executemany(
            "INSERT INTO statement_actors (edition_id, statement_id, position, actor)"
            " VALUES (?, ?, ?, ?)",
            actors,
        )
        self.db.executemany(
            "INSERT INTO statement_refs (edition_id, statement_id, position, document, clause)"
            " VALUES (?, ?, ?, ?, ?)",
            refs,
        )
        self.db.executemany(
            "INSERT INTO statement_terms (edition_id, statement_id, position, term)"
            " VALUES (?, ?, ?, ?)",
            terms,
        )


def _write_proposals(db: sqlite3.Connection, proposals: Sequence[Proposal]) -> None:
    """Insert each proposal, its metadata in the columns :data:`PROPOSAL_FIELDS` names, and its
    changes (what the database keeps of them: :data:`CHANGE_COLUMNS`)."""
    metadata = [field.attribute for field in PROPOSAL_FIELDS]
    for p in proposals:
        db.execute(
            _insert("proposals", "irp", *metadata, "sections", "file"),
            (
                p.irp,
                *[_column(p, field) for field in PROPOSAL_FIELDS],
                json.dumps(p.sections, ensure_ascii=False, sort_keys=True),
                Path(p.file).name,
            ),
        )
        db.executemany(
            _insert("proposal_changes", "irp", *CHANGE_COLUMNS),
            [(p.irp, *[_CHANGE_VALUES[column](c) for column in CHANGE_COLUMNS]) for c in p.changes],
        )


def _column(proposal: Proposal, field: MetadataField) -> str:
    """Return the metadata ``field`` of ``proposal`` as its column holds it (a list as JSON)."""
    value = getattr(proposal, field.attribute)
    return json.dumps(value, ensure_ascii=False) if field.kind is FieldKind.LIST else value


#: What the database keeps of a change (its mark-up, run-on sides and revision marks are in
#: the IRP's source), in the order of ``proposal_changes``' columns, and each column's value.
_CHANGE_VALUES: dict[str, Callable[[Change], object]] = {
    "number": lambda c: c.number,
    "target": lambda c: str(c.target) if c.target else None,
    "action": lambda c: c.action.value,
    "term": lambda c: c.term,
    "instruction": lambda c: c.instruction,
    "problem": lambda c: c.problem,
    "source": lambda c: c.source or None,
    "confidence": lambda c: c.confidence,
    "unverified": lambda c: c.unverified or None,
}
CHANGE_COLUMNS = tuple(_CHANGE_VALUES)


def _write_revisions(
    db: sqlite3.Connection, amendment: Amendment, editions: dict[str, int]
) -> None:
    amended = {document.name: editions[document.label] for document in amendment.amended}
    for revision in amendment.revisions:
        structure = revision_structure(revision)
        columns = ("edition_id", "irp", "change", "clause", *structure, "before", "after")
        row = db.execute(
            _insert("revisions", *columns),
            (
                amended[revision.document],
                revision.irp,
                revision.change,
                revision.clause,
                *structure.values(),
                json.dumps(lines_data(revision.before), ensure_ascii=False),
                json.dumps(lines_data(revision.after), ensure_ascii=False),
            ),
        ).lastrowid
        db.executemany(
            "INSERT INTO revision_statements (revision_id, statement_id, action) VALUES (?, ?, ?)",
            [
                (row, statement, action)
                for action, ids in (
                    ("added", revision.added),
                    ("changed", revision.changed),
                    ("retired", revision.retired),
                )
                for statement in ids
            ],
        )
    db.executemany(
        "INSERT INTO problems (irp, change, target, kind, message) VALUES (?, ?, ?, ?, ?)",
        [(*p.location.as_dict().values(), p.code.value, p.message) for p in amendment.problems],
    )


def _insert(table: str, *columns: str) -> str:
    """Return the SQL that inserts one row of ``columns`` into ``table``, each column named
    (and quoted: "references" is an SQL keyword)."""
    names = ", ".join(f'"{column}"' for column in columns)
    return f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"


def _target(ref: str, document: str) -> tuple[str, str]:
    """Return (document, clause) for a reference written "5.7.5.31" or "CHTS 4.6.3.5"."""
    other, _, number = ref.rpartition(" ")
    return (other or document, number)
