"""Lint: what is wrong or suspicious in a set of documents, as findings.

Checks: cross-references to clauses that do not exist, duplicate clause numbers, capitalised
phrases used like defined terms that the document's glossary does not define, statements without
a modal verb in normative clauses, and normative text in the sources that carries no statement
id. The project's lint policy then changes severities and waives reviewed findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from spectrace.findings import Code, Finding, InDocument, Severity, in_document
from spectrace.model import ClauseAddress, Document, Modality
from spectrace.transforms.statements import (
    Vocabulary,
    informative_clauses,
    is_editorial,
    is_note,
    modality,
    split_sentences,
    term_variants,
)

_TOKEN = re.compile(r"[A-Za-z0-9][\w’'-]*|\S")
_CAPITALISED = re.compile(r"^(?:[A-Z][a-z]+(?:-[A-Za-z]+)*|[A-Z]{2,}s?|[A-Z][a-z]*[A-Z][\w-]*)$")
_NUMBER = re.compile(r"^\d+$")
_FOLLOWED_BY_REF = re.compile(r"^\s*\(\s*\d+(?:\.\d+)+\s*\)")
_FUNCTION_WORDS = set(
    "a an the this that these those each every any all no neither nor either or and on in if "
    "when where whereas unless for to of at by with from following such other its their it "
    "they as see note however further also both only".split()
)
# Words that name a place in a document: a phrase never runs through them ("GBCS Section 7").
_STRUCTURAL = set(
    "section sections part parts annex appendix table figure clause clauses schedule page".split()
)


@dataclass(frozen=True)
class Waiver:
    """A reviewed finding that must not fail the build: its code, clause, and why.

    ``match``, when given, narrows the waiver to findings whose message contains it.
    """

    code: Code
    clause: ClauseAddress
    reason: str
    match: str = ""

    def covers(self, finding: Finding[InDocument]) -> bool:
        place = finding.location
        return (
            finding.code == self.code
            and place.document == self.clause.document
            and self.clause.edition in (None, place.edition)
            and place.clause == self.clause.number
            and self.match in finding.message
        )


@dataclass
class LintPolicy:
    severity: dict[Code, Severity] = field(default_factory=dict)
    waivers: list[Waiver] = field(default_factory=list)
    known_terms: list[str] = field(default_factory=list)


def lint(
    documents: list[Document], vocabulary: Vocabulary, policy: LintPolicy
) -> list[Finding[InDocument]]:
    """Return every finding about ``documents``, after the policy's severities and waivers."""
    found: list[Finding[InDocument]] = []
    numbers = {doc.name: {c.number for c in doc.clauses if c.number} for doc in documents}
    for document in documents:
        checks = (
            _duplicates(document),
            _dangling(document, numbers),
            _undefined_terms(document, vocabulary, policy.known_terms),
            _missing_modals(document, vocabulary),
            _unmarked(document),
        )
        order = {clause.key: index for index, clause in enumerate(document.clauses)}
        findings = [finding for check in checks for finding in check]
        found += sorted(findings, key=lambda finding: order.get(finding.location.clause, -1))
    return sorted(apply_policy(found, policy), key=lambda finding: -finding.severity.rank)


def apply_policy(found: list[Finding[InDocument]], policy: LintPolicy) -> list[Finding[InDocument]]:
    """Return ``found`` with the policy's severities, less the waived findings."""
    return [
        replace(finding, severity=policy.severity.get(finding.code, finding.severity))
        for finding in found
        if not any(waiver.covers(finding) for waiver in policy.waivers)
    ]


def _finding(code: str, document: Document, clause: str, message: str) -> Finding[InDocument]:
    return in_document(code, message, document.name, document.edition, clause)


def _duplicates(document: Document) -> Iterator[Finding[InDocument]]:
    seen: set[str] = set()
    for clause in document.clauses:
        if clause.number in seen:
            yield _finding(
                "duplicate-clause",
                document,
                clause.number,
                f'clause number {clause.number} is used twice ("{clause.title}")',
            )
        if clause.number:
            seen.add(clause.number)


def _dangling(document: Document, numbers: dict[str, set[str]]) -> Iterator[Finding[InDocument]]:
    for clause, statement in document.statements():
        for ref in statement.refs:
            other, _, number = ref.rpartition(" ")
            target = other or document.name
            if target in numbers and number not in numbers[target]:
                where = f"{target} " if other else ""
                yield _finding(
                    "dangling-ref",
                    document,
                    clause.key,
                    f"{statement.id} refers to {where}{number}, which does not exist",
                )


def _undefined_terms(
    document: Document, vocabulary: Vocabulary, known: list[str]
) -> Iterator[Finding[InDocument]]:
    names = [*(e.term for e in document.glossary), *known, *(c.title for c in document.clauses)]
    names += [
        alias
        for group in (vocabulary.actors, vocabulary.documents)
        for aliases in group.values()
        for alias in aliases
    ]
    defined = {variant.lower() for name in names for variant in term_variants(name)}
    reported: set[tuple[str, str]] = set()
    for clause, statement in document.statements():
        for phrase in capitalised_phrases(statement.text):
            key = (clause.key, phrase)
            if _known(phrase, defined) or key in reported:
                continue
            reported.add(key)
            yield _finding(
                "undefined-term",
                document,
                clause.key,
                f'"{phrase}" is used like a defined term, but the {document.name} '
                f"glossary does not define it ({statement.id})",
            )


def capitalised_phrases(text: str) -> list[str]:
    """Return the phrases of two or more capitalised words in ``text`` that read as terms.

    Leading function words ("The", "Neither") are dropped; a number may follow a word
    ("Type 1 Device"); a phrase followed at once by a clause number in brackets names a data
    item defined by that clause ("Meter Balance (4.6.5.11)") and is not returned.
    """
    phrases: list[str] = []
    run: list[re.Match] = []
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        adjacent = bool(run) and text[run[-1].end() : match.start()] == " "
        if run and not adjacent:
            phrases += _phrase(run, text)
            run = []
        if word.lower() not in _STRUCTURAL and (
            _CAPITALISED.match(word) or (run and _NUMBER.match(word))
        ):
            run.append(match)
        else:
            phrases += _phrase(run, text)
            run = []
    return phrases + _phrase(run, text)


def _phrase(run: list[re.Match], text: str) -> list[str]:
    while run and (run[0].group(0).lower() in _FUNCTION_WORDS or _NUMBER.match(run[0].group(0))):
        run = run[1:]
    while run and _NUMBER.match(run[-1].group(0)):
        run = run[:-1]
    words = [match.group(0) for match in run]
    if len(words) < 2 or not any(re.match(r"^[A-Z][a-z]", word) for word in words):
        return []
    if _FOLLOWED_BY_REF.match(text[run[-1].end() :]):
        return []
    return [" ".join(words)]


def _known(phrase: str, defined: set[str]) -> bool:
    return re.sub(r"(?:’s|'s)$", "", phrase).lower() in defined


def _missing_modals(document: Document, vocabulary: Vocabulary) -> Iterator[Finding[InDocument]]:
    flags = informative_clauses(document, vocabulary)
    for clause, informative in zip(document.clauses, flags, strict=True):
        if informative:
            continue
        for block in clause.blocks:
            if is_note(block.text):
                continue
            for statement in block.statements:
                if statement.modality is Modality.INFORMATIVE and (
                    modality(statement.text) is Modality.INFORMATIVE
                ):
                    yield _finding(
                        "no-modal",
                        document,
                        clause.key,
                        f"{statement.id} has no modal verb (shall, should, may) "
                        "in a normative clause",
                    )


def _unmarked(document: Document) -> Iterator[Finding[InDocument]]:
    for clause in document.clauses:
        for block in clause.blocks:
            if not block.lead or is_editorial(block.lead):
                continue
            if any(modality(s) is not Modality.INFORMATIVE for s in split_sentences(block.lead)):
                yield _finding(
                    "unmarked-statement",
                    document,
                    clause.key,
                    f'"{block.lead[:60]}" has a modal verb but no :st: statement id',
                )
