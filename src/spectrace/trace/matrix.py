"""The traceability matrix: every statement of the editions a project builds, with the code that
implements it, the tests that verify it and their outcomes, and a status.

A statement's links turn *suspect* when its text differs from the text they were written or
reviewed against, as ``trace/reviewed.json`` records it (:mod:`spectrace.trace.review`): an
IRP, a re-import or a hand edit changed it since. A linked statement the file has no record of
is suspect too, unless the computation records it (``Inputs.record``, as ``spectrace trace``
does): its baseline is then the base edition's text (so a change an IRP made shows), or, for a
statement an IRP added, its text now. One a re-imported base lists as changed
(``Document.changed``) is never recorded that way: with no record it stays suspect until
reviewed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from spectrace.findings import Code, in_file
from spectrace.model import Document
from spectrace.model.refs import is_statement_id, match_address
from spectrace.trace.model import (
    TITLE_SEPARATOR,
    ChangeRef,
    Evidence,
    Link,
    LinkKind,
    Outcome,
    Row,
    Status,
    TestResult,
    TraceError,
)
from spectrace.trace.results import worst
from spectrace.trace.review import Record, Records
from spectrace.trace.tags import Target, parse_targets

_PARAMETERS = re.compile(r"\[.*\]$")
#: A run of the characters of a statement id: a text names an id only as a whole run.
_WORD = re.compile(r"[\w.-]+")
#: Sources whose tests are titled in words (Jest, Vitest, Mocha): ``test("refuses the log")``.
_TITLED_TESTS = (".js", ".jsx", ".mjs", ".ts", ".tsx")


@dataclass
class Matrix:
    rows: list[Row] = field(default_factory=list)
    errors: list[TraceError] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    results: list[TestResult] = field(default_factory=list)
    #: The baselines this computation recorded: linked statements the review file had no
    #: record of (only when ``Inputs.record``; the caller writes them to the file).
    recorded: Records = field(default_factory=dict)
    _index: dict[str, Row] = field(default_factory=dict, init=False, repr=False, compare=False)
    _indexed: int = field(default=-1, init=False, repr=False, compare=False)

    def row(self, statement: str) -> Row | None:
        """Return the row of ``statement`` (of the first edition that has it), or None."""
        if self._indexed != len(self.rows):  # built on first use, again if rows were added
            self._index = {}
            for row in self.rows:
                self._index.setdefault(row.statement, row)
            self._indexed = len(self.rows)
        return self._index.get(statement)


@dataclass
class Inputs:
    """Everything the matrix is computed from."""

    editions: list[Document]
    bases: list[Document]
    links: list[Link]
    results: list[TestResult]
    reviewed: Records  # statement id -> the text its links were accepted against
    changes: dict[str, list[ChangeRef]]  # statement id -> the changes that added or changed it
    documents: list[str]  # documents whose statements are required ([] = all)
    modalities: list[str]
    waivers: list  # TraceWaiver
    errors: list[TraceError] = field(default_factory=list)
    project_file: str = "spectrace.toml"  # where the waivers are, for their errors
    record: bool = False  # record a baseline for each linked statement without a record
    reviewed_file: str = "trace/reviewed.json"  # where the records are, for the reasons


def compute(inputs: Inputs) -> Matrix:
    """Return the matrix of ``inputs``: rows in document order, and every problem found."""
    resolver = Resolver(inputs.editions, inputs.bases)
    matrix = Matrix(errors=list(inputs.errors), links=list(inputs.links), results=inputs.results)
    implemented: dict[str, list[Link]] = defaultdict(list)
    verified: dict[str, list[Evidence]] = defaultdict(list)
    outcomes = _Outcomes(inputs.results)
    for link in _with_result_links(inputs.links, inputs.results):
        statements, problems = resolver.resolve(link)
        matrix.errors += problems
        if link.kind is LinkKind.IMPLEMENTS:
            for named in statements:
                implemented[named].append(link)
            continue
        # a case's own property counts, unless the test's source already names the statement
        names = _names(link.test)
        for named in statements:
            if not any(e.link.test in names for e in verified[named]):
                verified[named].append(Evidence(link, outcomes.of(link)))
    waived, problems = resolver.waivers(inputs.waivers, inputs.project_file)
    matrix.errors += problems
    bases = resolver.base_statements()
    # A base imported to continue an earlier edition lists the statements whose text changed
    # there: their links were written against the earlier text.
    reimported = {sid for base in inputs.bases for sid in base.changed}
    modalities = set(inputs.modalities)
    for document in inputs.editions:
        label, name = document.label, document.name
        required = not inputs.documents or name in inputs.documents
        for clause, statement in document.statements():
            sid = statement.id
            modality = statement.modality.value
            row = Row(
                label,
                name,
                sid,
                clause.number or clause.title,
                modality,
                statement.text,
                list(statement.actors),
                implemented.get(sid) or [],
                verified.get(sid) or [],
                required=required and modality in modalities,
                waived=waived.get(sid, ""),
                changed_by=inputs.changes.get(sid, []),
            )
            if row.implemented_by or row.verified_by:  # only links can be suspect
                record = inputs.reviewed.get(sid)
                if record is None and inputs.record and sid not in reimported:
                    # First traced: record the text the links were written against, the base
                    # edition's where it has the statement (so a change an IRP made shows).
                    base = bases.get(sid)
                    record = Record((base or statement).fingerprint)
                    matrix.recorded[sid] = record
                if record is None and sid in reimported:
                    row.suspect, row.suspect_reason = True, "changed when its edition was imported"
                elif record is None:
                    row.suspect, row.suspect_reason = True, not_recorded(inputs.reviewed_file)
                elif record.fingerprint != statement.fingerprint:
                    row.suspect, row.suspect_reason = True, f"changed since {record.describe()}"
            row.status = status(row)
            matrix.rows.append(row)
    return matrix


def not_recorded(file: str) -> str:
    """Return why a linked statement the review file has no record of is suspect."""
    return (
        f"no record in {file} of the text its links were written against: "
        "run `spectrace trace` and commit it"
    )


def _names(test: str) -> tuple[str, ...]:
    """Return the names of a verifying test: as given, and without its parameters."""
    if not test:
        return ()
    return (test, _PARAMETERS.sub("", test)) if "[" in test else (test,)


def status(row: Row) -> Status:
    """Return a row's status: waived, failing, suspect, then how far it is covered."""
    outcomes = {evidence.outcome for evidence in row.verified_by} if row.verified_by else ()
    if row.waived:
        return Status.WAIVED
    if Outcome.FAILED in outcomes or Outcome.ERROR in outcomes:
        return Status.FAILING
    if row.suspect:
        return Status.SUSPECT
    tested = Outcome.PASSED in outcomes
    if row.implemented_by:
        return Status.COVERED if tested else Status.IMPLEMENTED_ONLY
    return Status.TESTED_ONLY if tested else Status.UNCOVERED


class _Outcomes:
    """Find the outcome of the test a verifying link names."""

    def __init__(self, results: list[TestResult]):
        self.by_key: dict[str, list[Outcome]] = defaultdict(list)
        self.by_name: dict[str, list[Outcome]] = defaultdict(list)
        by_key, by_name = self.by_key, self.by_name
        for result in results:
            case, classname, outcome = result.name, result.classname, result.outcome
            name = _PARAMETERS.sub("", case) if "[" in case else case
            by_key[f"{classname}::{name}"].append(outcome)  # the test
            if name != case:
                by_key[f"{classname}::{case}"].append(outcome)  # and the one case
            by_name[name].append(outcome)
            by_name[f"{classname}.{name}"].append(outcome)
        self._tails: dict[str, list[Outcome]] | None = None
        self._titles: dict[str, list[Outcome]] | None = None
        self._classes: dict[str, list[Outcome]] | None = None
        self._results = results

    def of(self, link: Link) -> Outcome:
        """Return the outcome of the test ``link`` names (MISSING when no result names it)."""
        if not link.test:
            return Outcome.MISSING
        if link.test in self.by_key:
            return worst(self.by_key[link.test])
        if "::" in link.test:  # a Python test, named "package.module.Class::function"
            return worst(self._elsewhere(link.test))
        if link.test in self.by_name:
            return worst(self.by_name[link.test])
        if link.path.endswith(_TITLED_TESTS):
            return worst(self._titled(link.test))
        return worst(self._in_class(link.test))

    def _in_class(self, name: str) -> list[Outcome]:
        """Return the outcomes of every case of a test class (a JUnit, NUnit or GoogleTest
        class tagged as a whole), whose JUnit classname is ``name`` or ends with ".name"."""
        if self._classes is None:
            self._classes = defaultdict(list)
            for result in self._results:
                if result.classname:
                    self._classes[result.classname].append(result.outcome)
                    if "." in result.classname:
                        self._classes[result.classname.rsplit(".", 1)[1]].append(result.outcome)
        return self._classes.get(name, [])

    def _titled(self, test: str) -> list[Outcome]:
        """Return the outcomes of a test titled in words (``test("refuses the log", ...)``),
        named with the describe blocks around it ("Esme > refuses the log"). JUnit names put
        the blocks first, joined as Vitest ("Esme > refuses the log") or Jest and Mocha ("Esme
        refuses the log") do, perhaps after more (a file, an outer block): the cases whose
        names are, or end after a space with, the whole name. Failing that, those that end with
        the title alone; several (tests in other blocks that end alike) give the worst of their
        outcomes."""
        if self._titles is None:
            self._titles = defaultdict(list)
            for name, outcomes in self.by_name.items():
                for position, character in enumerate(name):
                    if character == " ":
                        self._titles[name[position + 1 :]] += outcomes
        parts = test.split(TITLE_SEPARATOR)
        for name in dict.fromkeys((test, " ".join(parts), parts[-1])):
            found = self.by_name.get(name, []) + self._titles.get(name, [])
            if found:
                return found
        return []

    def _elsewhere(self, test: str) -> list[Outcome]:
        """Return the outcomes of a Python test that pytest ran from another folder than the
        project's: its JUnit classname is then longer ("repo.tests.x.test_a") or shorter
        ("test_a") than the module path the scanner knows ("tests.x.test_a"), by whole
        dotted parts. Several tests that end alike give the worst of their outcomes."""
        if self._tails is None:
            self._tails = defaultdict(list)
            for key, outcomes in self.by_key.items():
                module, _, function = key.partition("::")
                parts = module.split(".")
                for start in range(1, len(parts)):
                    self._tails[f"{'.'.join(parts[start:])}::{function}"] += outcomes
        if test in self._tails:
            return self._tails[test]
        module, _, function = test.partition("::")
        parts = module.split(".")
        for start in range(1, len(parts)):
            shorter = f"{'.'.join(parts[start:])}::{function}"
            if shorter in self.by_key:
                return self.by_key[shorter]
        return []


def _with_result_links(links: list[Link], results: list[TestResult]) -> list[Link]:
    """Add the statements results name themselves (the pytest plugin's JUnit properties)."""
    extra = [
        Link(
            LinkKind.VERIFIES,
            ids,
            result.file or result.classname,
            result.line,
            result.name,
            f"{result.classname}::{result.name}",  # this case's outcome, not all the test's
        )
        for result in results
        for ids in result.verifies
    ]
    return links + extra


class Unresolved(NamedTuple):
    """Why a tag's piece names nothing (a trace code and a message), and the retired
    statements it names."""

    code: Code
    message: str
    retired: tuple[str, ...] = ()


def _unknown(message: str) -> Unresolved:
    return Unresolved(Code.UNKNOWN_TARGET, message)


class Resolver:
    """Turn tag targets into statement ids of the editions the project builds."""

    def __init__(self, editions: list[Document], bases: list[Document]):
        self.editions = {d.name: d for d in editions}
        self.statements: set[str] = set()
        self.clauses: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        for document in editions:
            for clause in document.clauses:
                ids = [statement.id for statement in clause.statements]
                if ids:
                    self.clauses[(document.name, clause.number)] += ids
                    self.statements.update(ids)
        self.bases = {s.id: s for d in bases for c in d.clauses for s in c.statements}
        self.retired = {i: d.label for d in editions for i in d.retired}
        self._resolved: dict[tuple[LinkKind, str], tuple[list[str], list[Unresolved]]] = {}

    def resolve(self, link: Link) -> tuple[list[str], list[TraceError]]:
        """Return the statements ``link`` names and a problem for each piece it cannot."""
        if link.target in self.statements and is_statement_id(link.target):  # the usual tag
            return [link.target], []
        key = (link.kind, link.target)
        if key not in self._resolved:  # many clause tags repeat a target
            self._resolved[key] = self._resolve(*key)
        found, problems = self._resolved[key]
        return found, [
            in_file(problem.code, link.path, link.line, *problem[1:]) for problem in problems
        ]

    def _resolve(self, kind: LinkKind, text: str) -> tuple[list[str], list[Unresolved]]:
        targets, malformed = parse_targets(text)
        problems = [
            Unresolved(
                Code.MALFORMED_TAG,
                f"'{piece}' is not a statement id (SMETS-5.6.1-2) or a clause (SMETS 5.6.1)",
                self._retired_in(piece),
            )
            for piece in malformed
        ]
        if not targets and not malformed:
            problems.append(Unresolved(Code.MALFORMED_TAG, f"'{kind}:' names nothing"))
        found: list[str] = []
        for target in targets:
            ids, problem = self.target(target)
            found += ids
            if problem:
                problems.append(problem._replace(retired=self._retired_in(target.text)))
        return list(dict.fromkeys(found)), problems

    def _retired_in(self, text: str) -> tuple[str, ...]:
        """Return the retired statements ``text`` (a tag's target, a waiver's) names: the
        whole text, or a word of it."""
        return tuple(dict.fromkeys(w for w in _WORD.findall(text) if w in self.retired))

    def target(self, target: Target) -> tuple[list[str], Unresolved | None]:
        """Return the statements ``target`` names, or why it names none."""
        if target.statement:
            if target.statement in self.statements:
                return [target.statement], None
            if target.statement in self.retired:
                label = self.retired[target.statement]
                message = f"{target} was retired by an amendment in {label}"
                return [], Unresolved(Code.RETIRED_TARGET, message)
            return [], _unknown(f"{target} names no statement of the editions the project builds")
        document = self.editions.get(target.document or "")
        if document is None:
            return [], _unknown(f"{target}: the project builds no document {target.document}")
        if target.edition and target.edition not in (
            document.edition,
            document.edition.split("+")[0],
        ):
            return [], _unknown(f"{target}: the project builds {document.label}, not that edition")
        ids = self.clauses.get((target.document or "", target.clause))
        if ids is None:
            return [], _unknown(f"{target} names no clause with statements in {document.label}")
        return ids, None

    def waivers(self, waivers: list, file: str) -> tuple[dict[str, str], list[TraceError]]:
        waived: dict[str, str] = {}
        errors = []
        for waiver in waivers:
            address = match_address(waiver.target)
            if address:
                ids = self.clauses.get((address.document, address.number))
            else:  # a statement id, not a clause address
                ids = [waiver.target] if waiver.target in self.statements else None
            if not ids:
                errors.append(
                    in_file(
                        Code.UNKNOWN_TARGET,
                        file,
                        waiver.line_number,
                        f"{waiver.line}: the waiver names no statement or clause: {waiver.target}",
                        self._retired_in(waiver.target),
                    )
                )
                continue
            waived |= dict.fromkeys(ids, waiver.reason)
        return waived, errors

    def base_statements(self) -> dict:
        """Return the base editions' statements by id (their text is what links were written
        against when no review recorded another)."""
        return self.bases
