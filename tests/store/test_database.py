"""The requirement database: what it holds, that it is read-only to queries, and reproducible."""

from __future__ import annotations

import sqlite3

import pytest

from spectrace.errors import AddressError, StoreError
from spectrace.model import parse_address
from spectrace.store import open_database, write_database
from spectrace.store import write as store_write
from spectrace.transforms.statements import Vocabulary


@pytest.fixture
def database(tmp_path, bundled_documents):
    path = tmp_path / "requirements.db"
    write_database(bundled_documents, path, Vocabulary())
    return path


def _rows(path, sql, *args):
    with sqlite3.connect(path) as db:
        return db.execute(sql, args).fetchall()


def test_documents_editions_and_clauses_are_stored(database):
    assert _rows(database, "SELECT label FROM editions ORDER BY label") == [
        ("CHTS 1.3",),
        ("SMETS 4.2",),
    ]
    clause = _rows(
        database,
        "SELECT c.title, c.level, p.number, c.part FROM clauses c "
        "JOIN editions e ON e.id = c.edition_id LEFT JOIN clauses p ON p.id = c.parent_id "
        "WHERE e.label = 'SMETS 4.2' AND c.number = '5.6.1'",
    )
    assert clause == [
        (
            "Type 1 Devices and Type 2 Device information provision",
            3,
            "5.6",
            "Part A: Single Element ESME",
        )
    ]
    assert _rows(database, "SELECT part FROM clauses WHERE number = '5.12.1'") == [
        ("Part B: Twin Element ESME",)
    ]


def test_statements_carry_modality_actors_refs_and_terms(database):
    row = _rows(
        database,
        "SELECT modality, actors, refs, terms FROM requirements WHERE id = 'SMETS-5.6.1-1'",
    )
    assert row == [
        (
            "shall",
            "ESME, Type 1 Device, Type 2 Device",
            "5.5.2.2, 5.5.2.3, 5.7.1, 5.7.4, 5.7.5",
            "ESME, Communications Link, Type 1 Device, Type 2 Device",
        )
    ]


def test_one_query_answers_who_references_a_clause(database):
    rows = _rows(
        database,
        "SELECT statement_id FROM statement_refs WHERE document = 'SMETS' "
        "AND clause = '5.7.5.31' ORDER BY statement_id",
    )
    assert rows == [("SMETS-5.5.4-1",)]


def test_blocks_keep_list_labels_and_table_rows(database):
    labels = _rows(
        database,
        "SELECT b.label FROM blocks b JOIN clauses c ON c.id = b.clause_id "
        "WHERE c.number = '4.4.5' AND b.kind = 'list_item' ORDER BY b.position",
    )
    assert labels == [("i.",), ("ii.",), ("iii.",)]
    table = _rows(
        database,
        "SELECT b.rows, b.header_rows FROM blocks b JOIN clauses c "
        "ON c.id = b.clause_id WHERE c.number = '4.6.5.17' AND b.kind = 'table'",
    )
    assert table[0][1] == 1 and '"Security Log capacity", ""' in table[0][0]


def test_the_glossary_is_stored_per_edition(database):
    terms = _rows(
        database,
        "SELECT g.term FROM glossary g JOIN editions e ON e.id = g.edition_id "
        "WHERE e.label = 'CHTS 1.3' ORDER BY g.position",
    )
    assert terms[0] == ("CHF Security Log",) and len(terms) == 8


def test_the_same_documents_give_the_same_bytes(tmp_path, bundled_documents):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    write_database(bundled_documents, first, Vocabulary())
    write_database(bundled_documents, second, Vocabulary())
    assert first.read_bytes() == second.read_bytes()


def test_a_failed_write_leaves_the_previous_database(database, bundled_documents, monkeypatch):
    before = database.read_bytes()

    def fail(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store_write._Writer, "write", fail)
    with pytest.raises(RuntimeError):
        write_database(bundled_documents, database, Vocabulary())
    assert database.read_bytes() == before
    assert [p.name for p in database.parent.iterdir()] == ["requirements.db"]


def test_queries_cannot_write(database):
    with open_database(database) as store, pytest.raises(StoreError, match="readonly"):
        store.query("DELETE FROM statements")
    assert _rows(database, "SELECT count(*) FROM statements")[0][0] > 0


def test_a_bad_query_is_a_store_error_naming_the_database(database):
    with open_database(database) as store, pytest.raises(StoreError) as raised:
        store.query("SELECT * FROM nowhere")
    assert "no such table: nowhere" in str(raised.value)
    assert str(database) in str(raised.value)


def test_a_missing_or_foreign_database_is_refused(tmp_path):
    with pytest.raises(StoreError, match="spectrace db"):
        open_database(tmp_path / "none.db")
    foreign = tmp_path / "foreign.db"
    foreign.write_text("not sqlite")
    with pytest.raises(StoreError, match="not a requirement database"):
        open_database(foreign)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="schema 99"):
        open_database(other)


def test_a_clause_view_holds_statements_and_the_terms_they_use(database):
    with open_database(database) as store:
        view = store.clause(parse_address("SMETS 5.5.4"), "4.2")
    assert view.statements[0]["id"] == "SMETS-5.5.4-1"
    assert view.statements[0]["refs"] == ["5.7.5.31"]
    assert [t["term"] for t in view.terms] == ["ESME", "Security Log", "Secure Perimeter"]
    assert view.terms[1]["definition"].startswith("A log of Sensitive Events")


def test_a_clause_view_of_an_unknown_clause_or_edition_is_an_address_error(database):
    with open_database(database) as store:
        with pytest.raises(AddressError, match=r"has no clause 9\.9"):
            store.clause(parse_address("SMETS 9.9"), "4.2")
        with pytest.raises(AddressError, match=r"SMETS 1\.0 has no clause"):
            store.clause(parse_address("SMETS@1.0 5.6.1"))
        with pytest.raises(AddressError, match="no document GBCS"):
            store.clause(parse_address("GBCS 1.1"))


def test_amended_editions_mark_added_and_changed_statements(tmp_path, bundled_documents):
    from spectrace.api import load_proposal
    from spectrace.transforms.amend import amend
    from tests.conftest import PROJECT_ROOT

    proposal = load_proposal(PROJECT_ROOT / "specs" / "irps" / "IRP603.rst")
    amendment = amend(bundled_documents, [proposal])
    path = tmp_path / "amended.db"
    write_database(bundled_documents, path, Vocabulary(), amendment, [proposal])
    rows = _rows(
        path,
        "SELECT edition, id, status FROM requirements WHERE status IS NOT NULL "
        "ORDER BY edition, id",
    )
    assert rows == [
        ("CHTS 1.3+IRP603", "CHTS-4.4.6.1-10", "added"),
        ("SMETS 4.2+IRP603", "SMETS-4.4.5-5", "changed"),
        ("SMETS 4.2+IRP603", "SMETS-5.12.1-3", "added"),
        ("SMETS 4.2+IRP603", "SMETS-5.5.4-1", "changed"),
        ("SMETS 4.2+IRP603", "SMETS-5.6.1-2", "added"),
    ]
    assert _rows(path, "SELECT base, proposals FROM editions WHERE label = 'SMETS 4.2+IRP603'") == [
        ("SMETS 4.2", '["IRP603"]')
    ]
    assert _rows(path, "SELECT count(*) FROM revisions") == [(6,)]


def test_final_requirements_are_those_of_the_editions_a_build_ends_with(
    tmp_path, bundled_documents
):
    from spectrace.api import load_proposal
    from spectrace.transforms.amend import amend
    from tests.conftest import PROJECT_ROOT

    proposal = load_proposal(PROJECT_ROOT / "specs" / "irps" / "IRP603.rst")
    amendment = amend(bundled_documents[:1], [proposal])  # SMETS amended, CHTS not given
    path = tmp_path / "amended.db"
    write_database(bundled_documents, path, Vocabulary(), amendment, [proposal])
    editions = _rows(path, "SELECT DISTINCT edition FROM final_requirements ORDER BY edition")
    assert editions == [("CHTS 1.3",), ("SMETS 4.2+IRP603",)]  # CHTS: its base, nothing applied
    final = _rows(path, "SELECT count(*) FROM final_requirements")
    whole = _rows(
        path, "SELECT count(*) FROM requirements WHERE edition IN ('CHTS 1.3', 'SMETS 4.2+IRP603')"
    )
    assert final == whole


def test_glossary_entries_name_their_edition(database):
    rows = _rows(
        database,
        "SELECT edition, document, position, term FROM glossary_entries "
        "WHERE document = 'CHTS' ORDER BY position LIMIT 2",
    )
    assert rows == [
        ("CHTS 1.3", "CHTS", 1, "CHF Security Log"),
        ("CHTS 1.3", "CHTS", 2, "Communications Hub Function"),
    ]
