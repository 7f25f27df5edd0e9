-- The spectrace requirement database. Built from the spec sources by `spectrace db`; never the
-- only copy of anything. Documented in docs/database.rst; bump user_version when this changes.
PRAGMA user_version = 5;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE documents (
    name  TEXT PRIMARY KEY,          -- "SMETS"
    title TEXT NOT NULL              -- "Smart Metering Equipment Technical Specifications"
);

CREATE TABLE editions (
    id           INTEGER PRIMARY KEY,
    document     TEXT NOT NULL REFERENCES documents(name),
    edition      TEXT NOT NULL,      -- "4.2", later "4.2+IRP603"
    label        TEXT NOT NULL UNIQUE, -- "SMETS 4.2"
    subtitle     TEXT NOT NULL,
    front_matter TEXT NOT NULL,      -- JSON array of paragraphs (e.g. the reconstruction notice)
    source       TEXT NOT NULL,      -- where the sources were read from
    base         TEXT,               -- for an amended edition, the label of its base edition
    proposals    TEXT NOT NULL,      -- JSON array of the IRPs applied to the base, in order
    retired      TEXT NOT NULL,      -- JSON array of statement ids retired by amendments
    glossary_clause TEXT,            -- the number of the clause the glossary is in, if any
    UNIQUE (document, edition)
);

CREATE TABLE clauses (
    id          INTEGER PRIMARY KEY,
    edition_id  INTEGER NOT NULL REFERENCES editions(id),
    position    INTEGER NOT NULL,    -- document order, from 1
    number      TEXT,                -- NULL for an unnumbered heading ("Part A: …")
    title       TEXT NOT NULL,
    level       INTEGER NOT NULL,    -- 1 for "5", 3 for "5.6.1"
    parent_id   INTEGER REFERENCES clauses(id),
    part        TEXT,                -- title of the unnumbered heading the clause sits under
    informative INTEGER NOT NULL,    -- 1 when the clause is informative (e.g. "Overview")
    UNIQUE (edition_id, position)
);
CREATE INDEX clauses_by_number ON clauses (edition_id, number);

CREATE TABLE blocks (
    id          INTEGER PRIMARY KEY,
    clause_id   INTEGER NOT NULL REFERENCES clauses(id),
    position    INTEGER NOT NULL,    -- order inside the clause, from 1
    kind        TEXT NOT NULL CHECK (kind IN ('paragraph', 'list_item', 'table')),
    text        TEXT NOT NULL,       -- single-spaced plain text
    label       TEXT NOT NULL,       -- list item label ("ii."), else ''
    level       INTEGER NOT NULL,    -- list nesting level, from 0
    rows        TEXT,                -- tables: JSON array of rows of cell texts
    header_rows INTEGER NOT NULL
);
CREATE INDEX blocks_by_clause ON blocks (clause_id, position);

CREATE TABLE statements (
    edition_id  INTEGER NOT NULL REFERENCES editions(id),
    id          TEXT NOT NULL,       -- stable id, "SMETS-5.6.1-2"
    clause_id   INTEGER NOT NULL REFERENCES clauses(id),
    block_id    INTEGER NOT NULL REFERENCES blocks(id),
    position    INTEGER NOT NULL,    -- order inside the clause, from 1
    text        TEXT NOT NULL,
    modality    TEXT NOT NULL CHECK (modality IN ('shall', 'shall_not', 'should', 'may', 'informative')),
    fingerprint TEXT NOT NULL,       -- hash of the text: changes when the wording changes
    PRIMARY KEY (edition_id, id)
);
CREATE INDEX statements_by_clause ON statements (clause_id, position);

CREATE TABLE statement_actors (
    edition_id   INTEGER NOT NULL,
    statement_id TEXT NOT NULL,
    position     INTEGER NOT NULL,
    actor        TEXT NOT NULL,      -- canonical name: "ESME", "Type 1 Device"
    PRIMARY KEY (edition_id, statement_id, actor)
);
CREATE INDEX actors_by_name ON statement_actors (actor);

CREATE TABLE statement_refs (
    edition_id   INTEGER NOT NULL,
    statement_id TEXT NOT NULL,
    position     INTEGER NOT NULL,
    document     TEXT NOT NULL,      -- the referenced document ("SMETS" for a bare "5.7.5.31")
    clause       TEXT NOT NULL,      -- the referenced clause number
    PRIMARY KEY (edition_id, statement_id, document, clause)
);
CREATE INDEX refs_by_target ON statement_refs (document, clause);

CREATE TABLE statement_terms (
    edition_id   INTEGER NOT NULL,
    statement_id TEXT NOT NULL,
    position     INTEGER NOT NULL,
    term         TEXT NOT NULL,      -- a glossary term of the statement's document
    PRIMARY KEY (edition_id, statement_id, term)
);
CREATE INDEX terms_by_term ON statement_terms (term);

CREATE TABLE glossary (
    edition_id INTEGER NOT NULL REFERENCES editions(id),
    position   INTEGER NOT NULL,
    term       TEXT NOT NULL,
    definition TEXT NOT NULL,
    PRIMARY KEY (edition_id, position)
);
CREATE INDEX glossary_by_term ON glossary (term);

CREATE TABLE proposals (
    irp                TEXT PRIMARY KEY, -- "IRP603"
    issues_log_id      TEXT NOT NULL,
    title              TEXT NOT NULL,
    source             TEXT NOT NULL,    -- who raised it ("DCC")
    date               TEXT NOT NULL,    -- ISO date when it was readable as one
    date_raised        TEXT NOT NULL,
    status             TEXT NOT NULL,
    "references"       TEXT NOT NULL,    -- JSON array: ["SMETS v4.2", "CHTS v1.3"]
    ts_version         TEXT NOT NULL,
    impact_on_previous TEXT NOT NULL,
    attachments        TEXT NOT NULL,
    sections           TEXT NOT NULL,    -- JSON object: prose section name -> text
    file               TEXT NOT NULL
);

CREATE TABLE proposal_changes (
    irp         TEXT NOT NULL REFERENCES proposals(irp),
    number      INTEGER NOT NULL,
    target      TEXT,                    -- "SMETS 4.4.5", "CHTS Glossary"
    action      TEXT NOT NULL,           -- amend, add_term, amend_term, delete_term
    term        TEXT,
    instruction TEXT NOT NULL,
    problem     TEXT,                    -- why the mark-up cannot be read, if it cannot
    source      TEXT,                    -- "picture" when the mark-up was read from one
    confidence  REAL,                    -- how sure a picture's reading is, 0 to 1
    unverified  TEXT,                    -- why a picture's reading could not be checked
    PRIMARY KEY (irp, number)
);

CREATE TABLE revisions (
    id         INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions(id), -- the amended edition
    irp        TEXT NOT NULL,
    change     INTEGER NOT NULL,
    clause     TEXT NOT NULL,            -- clause number, or 'Glossary'
    action     TEXT NOT NULL,            -- amend, insert_clause, delete_clause, withdraw_clause,
                                         -- renumber_clause
    title_before TEXT,                   -- the heading before a rename or a deletion
    title_after  TEXT,                   -- ... after a rename or an insertion
    number_before TEXT,                  -- a renumbered clause's old number
    before     TEXT NOT NULL,            -- JSON array of the clause's lines before the change
    after      TEXT NOT NULL             -- ... and after it
);

CREATE TABLE revision_statements (
    revision_id  INTEGER NOT NULL REFERENCES revisions(id),
    statement_id TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('added', 'changed', 'retired')),
    PRIMARY KEY (revision_id, statement_id)
);

CREATE TABLE problems (
    irp     TEXT NOT NULL,
    change  INTEGER NOT NULL,
    target  TEXT NOT NULL,
    kind    TEXT NOT NULL,               -- not-found, ambiguous, conflict, already-applied …
    message TEXT NOT NULL
);

-- Which statements each change added, changed or retired, and in which edition.
CREATE VIEW statement_changes AS
SELECT r.irp AS irp, r.change AS change, e.label AS edition, r.clause AS clause,
       rs.statement_id AS statement_id, rs.action AS action
FROM revision_statements rs
JOIN revisions r ON r.id = rs.revision_id
JOIN editions e ON e.id = r.edition_id
ORDER BY r.irp, r.change, rs.statement_id;

-- One row per statement with everything a reader usually wants, for `spectrace query`.
CREATE VIEW requirements AS
SELECT
    e.label  AS edition,
    e.document AS document,
    s.id     AS id,
    c.number AS clause,
    c.title  AS clause_title,
    s.modality AS modality,
    s.text   AS text,
    (SELECT group_concat(actor, ', ') FROM
        (SELECT actor FROM statement_actors a WHERE a.edition_id = s.edition_id
         AND a.statement_id = s.id ORDER BY a.position)) AS actors,
    (SELECT group_concat(ref, ', ') FROM
        (SELECT CASE WHEN r.document = e.document THEN r.clause
                ELSE r.document || ' ' || r.clause END AS ref
         FROM statement_refs r WHERE r.edition_id = s.edition_id
         AND r.statement_id = s.id ORDER BY r.position)) AS refs,
    (SELECT group_concat(term, ', ') FROM
        (SELECT term FROM statement_terms t WHERE t.edition_id = s.edition_id
         AND t.statement_id = s.id ORDER BY t.position)) AS terms,
    -- in an amended edition: 'added' or 'changed' by one of its proposals, else NULL
    (SELECT rs.action FROM revision_statements rs JOIN revisions r ON r.id = rs.revision_id
     WHERE r.edition_id = s.edition_id AND rs.statement_id = s.id
     ORDER BY r.id LIMIT 1) AS status,
    s.fingerprint AS fingerprint
FROM statements s
JOIN editions e ON e.id = s.edition_id
JOIN clauses c ON c.id = s.clause_id
ORDER BY e.label, c.position, s.position;

-- The requirements of the editions the build ends with: those no other edition of the database
-- is made from (the amended edition where proposals applied, else the base).
CREATE VIEW final_requirements AS
SELECT r.* FROM requirements r
WHERE NOT EXISTS (SELECT 1 FROM editions later WHERE later.base = r.edition);

-- Each glossary entry with its edition's label, for `spectrace query`.
CREATE VIEW glossary_entries AS
SELECT e.label AS edition, e.document AS document, g.position AS position, g.term AS term,
       g.definition AS definition
FROM glossary g
JOIN editions e ON e.id = g.edition_id
ORDER BY e.label, g.position;
