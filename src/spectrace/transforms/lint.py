"""Lint: what is wrong or suspicious in a set of documents, as findings.

Checks: cross-references to clauses that do not exist, duplicate clause numbers, capitalised
phrases used like defined terms that the document's glossary does not define, statements without
a modal verb in normative clauses, and normative text in the sources that carries no statement
id. Given the amendment's revisions, also every reference, in any document, to a clause the
amendment deleted, renumbered or withdrew, or that quotes a title it changed. The project's lint
policy then changes severities and waives reviewed findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from spectrace.findings import Code, Finding, InDocument, Severity, in_document
from spectrace.model import Action, BlockKind, ClauseAddress, Document, Modality, Revision
from spectrace.text import plain
from spectrace.transforms.statements import (
    NUMBER,
    RefSpan,
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
    documents: list[Document],
    vocabulary: Vocabulary,
    policy: LintPolicy,
    revisions: Sequence[Revision] = (),
) -> list[Finding[InDocument]]:
    """Return every finding about ``documents``, after the policy's severities and waivers.

    ``documents`` are every document the build ends with, amended or not; ``revisions`` are
    what the amendment that made them did, in order: with them, a reference in any of the
    documents to a clause they deleted, renumbered, withdrew or retitled is reported too.
    """
    found: list[Finding[InDocument]] = []
    numbers = {doc.name: {c.number for c in doc.clauses if c.number} for doc in documents}
    affected = affected_clauses(revisions)
    structural = _StructuralRefs(affected, vocabulary)
    for document in documents:
        checks = (
            _duplicates(document),
            _dangling(document, numbers, affected),
            structural.findings(document),
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


def _dangling(
    document: Document, numbers: dict[str, set[str]], affected: dict[tuple[str, str], Affected]
) -> Iterator[Finding[InDocument]]:
    """Yield a finding per reference to a clause that does not exist, unless the amendment
    deleted or renumbered it: ``ref-deleted`` and ``ref-moved`` say so, and why."""
    for clause, statement in document.statements():
        for ref in statement.refs:
            other, _, number = ref.rpartition(" ")
            target = other or document.name
            known = affected.get((target, number))
            if known is not None and known.code in (Code.REF_DELETED, Code.REF_MOVED):
                continue
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
    phrases: dict[str, list[str]] = {}  # by text: many statements repeat another's words
    for clause, statement in document.statements():
        found = phrases.get(statement.text)
        if found is None:
            found = phrases[statement.text] = capitalised_phrases(statement.text)
        for phrase in found:
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
    end = 0  # where the run's last word ends
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        if run and text[end : match.start()] != " ":
            phrases += _phrase(run, text)
            run = []
        first = word[0]
        if (
            ("A" <= first <= "Z" or (run and first.isdigit()))  # quick: most words are neither
            and word.lower() not in _STRUCTURAL
            and (_CAPITALISED.match(word) or (run and _NUMBER.match(word)))
        ):
            run.append(match)
            end = match.end()
        elif run:
            phrases += _phrase(run, text)
            run = []
    return phrases + _phrase(run, text) if run else phrases


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


# --- References to clauses an amendment changed the structure of ---------------------------

#: A clause number standing alone in text ("5.6.1 Information provision"): dotted, not part of
#: a longer number (14.6.4.9, 4.6.4.91). It is a reference only with the clause's title beside it.
_BARE_NUMBER = re.compile(rf"(?<![\w.])(?=\d+\.\d)(?:{NUMBER})(?![\w]|\.\d)")
#: Any clause number: a text with none that an amendment affected needs no closer look.
_ANY_NUMBER = re.compile(NUMBER)
#: How far from a reference's number a title may start, in characters beyond its own length.
_TITLE_REACH = 40
#: What may stand between a title and its clause's number ("… provision (SMETS Section 5.6.1)").
_BETWEEN = " \t([\"',:;-"
_REFERENCE_WORDS = ("section", "sections", "clause", "clauses")


@dataclass(frozen=True)
class Affected:
    """A clause number of the base edition (``document``, ``number``) whose clause the
    amendment deleted, renumbered, withdrew or retitled: the finding a reference to it gets.

    ``revisions`` are the changes that acted on the clause, in order (renumbered, then
    withdrawn…); ``now`` is the number it ends with (itself unless renumbered); ``titles`` the
    titles a reference may quote beside the number (for ``ref-retitled``, the stale ones);
    ``title`` its title at the end.
    """

    document: str
    number: str
    code: Code
    revisions: tuple[Revision, ...]
    now: str
    titles: tuple[str, ...]
    title: str

    def what(self) -> str:
        """Return what the amendment did, change by change: "IRP9 change 3 renumbered 4.6.4.11"."""
        return ", then ".join(_did(revision) for revision in self.revisions)


def _did(revision: Revision) -> str:
    change = f"{revision.irp} change {revision.change}"
    if revision.action is Action.DELETE_CLAUSE:
        return f"{change} deleted"
    if revision.action is Action.WITHDRAW_CLAUSE:
        return f'{change} withdrew ("Not used")'
    if revision.action is Action.RENUMBER_CLAUSE:
        return f"{change} renumbered {revision.clause}"
    return f'{change} retitled "{revision.title_after}"'


def affected_clauses(revisions: Iterable[Revision]) -> dict[tuple[str, str], Affected]:
    """Return, by (document, number of the base edition), each clause ``revisions`` deleted,
    renumbered, withdrew or retitled, following a clause through renumberings in order.

    A number a later change gives to another clause (inserted, or renumbered into it) stays
    affected: a reference written for the clause that had it now lands on a different one. A
    clause renumbered back to its own number, and only that, is not affected.
    """
    acted: dict[tuple[str, str], list[Revision]] = {}
    at: dict[tuple[str, str], list[tuple[str, str]]] = {}  # number now -> base numbers there
    for revision in revisions:
        here = (revision.document, revision.clause)
        if revision.action is Action.RENUMBER_CLAUSE:
            old = (revision.document, revision.number_before)
            moving, at[old] = at.get(old, [old]), []
            at[here] = at.get(here, []) + moving
        elif revision.action is Action.INSERT_CLAUSE:
            at[here] = at.get(here, [])
            continue
        elif revision.action in (Action.DELETE_CLAUSE, Action.WITHDRAW_CLAUSE) or (
            revision.retitled
        ):
            moving = at.get(here, [here])
            if revision.action is Action.DELETE_CLAUSE:
                at[here] = []
        else:
            continue
        for origin in moving:
            acted.setdefault(origin, []).append(revision)
    found = (_affected(origin, done) for origin, done in acted.items())
    return {(a.document, a.number): a for a in found if a is not None}


def _affected(origin: tuple[str, str], done: list[Revision]) -> Affected | None:
    actions = {revision.action for revision in done}
    titles = [t for r in done for t in (r.title_before, r.title_after) if t]
    moves = [r.clause for r in done if r.action is Action.RENUMBER_CLAUSE]
    now = moves[-1] if moves else origin[1]
    title = titles[-1] if titles else ""
    if Action.DELETE_CLAUSE in actions:
        code = Code.REF_DELETED
    elif moves and now != origin[1]:
        code = Code.REF_MOVED
    elif Action.WITHDRAW_CLAUSE in actions:
        code = Code.REF_WITHDRAWN
    elif any(revision.retitled for revision in done):
        code = Code.REF_RETITLED
        titles = [t for t in titles if plain(t).casefold() != plain(title).casefold()]
    else:
        return None
    stale = tuple(dict.fromkeys(titles))
    return Affected(*origin, code, tuple(done), now, stale, title)


class _StructuralRefs:
    """Finds, in any document, the references to the clauses in ``affected``: each text of a
    document is scanned once, and only the numbers that name an affected clause are looked at
    more closely (the words beside them, for a title)."""

    def __init__(self, affected: dict[tuple[str, str], Affected], vocabulary: Vocabulary):
        self.affected = affected
        self.numbers = {number for _, number in affected}
        self.vocabulary = vocabulary
        self.titles: dict[tuple[str, str], list[tuple[str, str]]] = {}  # normalised, longest first
        aliases = (alias for group in vocabulary.documents.values() for alias in group)
        self.words = {plain(word).casefold() for word in (*_REFERENCE_WORDS, *aliases)}
        self.reach = _TITLE_REACH + max(
            (len(t) for a in affected.values() for t in (*a.titles, a.title)), default=0
        )

    def findings(self, document: Document) -> Iterator[Finding[InDocument]]:
        """Yield a finding per place in ``document`` and affected clause it refers to."""
        if not self.affected:
            return
        for clause_key, who, text in _texts(document):
            if not any(number[0] in self.numbers for number in _ANY_NUMBER.finditer(text)):
                continue
            reported: set[tuple[str, str]] = set()
            for span, written in self._references(text, document.name):
                other, _, number = span.ref.rpartition(" ")
                affected = self.affected.get((other or document.name, number))
                if affected is None or (affected.document, affected.number) in reported:
                    continue
                message = self._message(affected, text, span, written, who, other)
                if message:
                    reported.add((affected.document, affected.number))
                    yield _finding(affected.code, document, clause_key, message)

    def _references(self, text: str, document: str) -> list[tuple[RefSpan, bool]]:
        """Return the clause numbers of ``text``, in order, each with whether it is written as
        a reference (``Vocabulary.ref_spans``) or stands bare."""
        spans = self.vocabulary.ref_spans(text, document)
        starts = {span.start for span in spans}
        bare = [
            RefSpan(match.start(), match.end(), match[0])
            for match in _BARE_NUMBER.finditer(text)
            if match.start() not in starts
        ]
        found = [(span, True) for span in spans] + [(span, False) for span in bare]
        return sorted(found, key=lambda item: item[0].start)

    def _message(
        self, affected: Affected, text: str, span: RefSpan, written: bool, who: str, other: str
    ) -> str:
        """Return what is wrong with the reference at ``span``, or "" when it is no reference
        to ``affected`` (a bare number without its title) or still right."""
        where = f"{other} " if other else ""
        if affected.code is not Code.REF_RETITLED:
            if not written and self._title_beside(text, span, affected) is None:
                return ""
            return f"{who} refers to {where}{affected.number}, which {affected.what()}"
        quoted = self._title_beside(text, span, affected)
        if quoted is None or quoted == affected.title:
            return ""
        return f'{who} refers to {where}{affected.number} as "{quoted}", which {affected.what()}'

    def _title_beside(self, text: str, span: RefSpan, affected: Affected) -> str | None:
        """Return the title of ``affected`` (any it had, the longest) that stands right before
        or after the number at ``span`` (typographic noise and case ignored), or None."""
        titles = self.titles.get((affected.document, affected.number))
        if titles is None:
            pairs = ((t, plain(t).casefold()) for t in (*affected.titles, affected.title))
            titles = sorted({p for p in pairs if p[1]}, key=lambda p: -len(p[1]))
            self.titles[affected.document, affected.number] = titles
        if not titles:
            return None
        before = self._strip_before(plain(text[max(0, span.start - self.reach) : span.start]))
        after = plain(text[span.end : span.end + self.reach]).casefold().lstrip(_BETWEEN)
        for title, wanted in titles:
            if _ends_with_words(before, wanted) or _starts_with_words(after, wanted):
                return title
        return None

    def _strip_before(self, text: str) -> str:
        """Return ``text`` (what precedes a number) without the reference words and punctuation
        that end it: "… information provision (SMETS Section" gives "… information provision"."""
        text = text.casefold()
        while True:
            text = text.rstrip(_BETWEEN)
            start = len(text)
            while start and text[start - 1].isalnum():
                start -= 1
            if start == len(text) or text[start:] not in self.words:
                return text
            text = text[:start]


def _ends_with_words(text: str, words: str) -> bool:
    """Return whether ``text`` ends with ``words``, whole (a hyphen joins words)."""
    return text.endswith(words) and not _joins(text[: len(text) - len(words)][-1:])


def _starts_with_words(text: str, words: str) -> bool:
    """Return whether ``text`` starts with ``words``, whole (a hyphen joins words)."""
    return text.startswith(words) and not _joins(text[len(words) : len(words) + 1])


def _joins(char: str) -> bool:
    """Return whether ``char`` (one character, or "" at either end of a text) joins a word."""
    return char.isalnum() or (char != "" and char in "-_")


def _texts(document: Document) -> Iterator[tuple[str, str, str]]:
    """Yield (clause key, who, text) for every text of ``document`` that may hold a reference:
    each statement, lead text, paragraph or list item without statements, table cell, and
    glossary definition. ``who`` names it in a message: a statement id, "a table cell (row 2,
    column 1)"."""
    for clause in document.clauses:
        for block in clause.blocks:
            if block.kind is BlockKind.TABLE:
                for row, cells in enumerate(block.rows, start=1):
                    for column, cell in enumerate(cells, start=1):
                        yield clause.key, f"a table cell (row {row}, column {column})", cell
                continue
            if block.lead:
                yield clause.key, "lead text", block.lead
            for statement in block.statements:
                yield clause.key, statement.id, statement.text
            if not block.lead and not block.statements:
                yield clause.key, f"a {str(block.kind).replace('_', ' ')}", block.text
    where = document.glossary_clause or "Glossary"
    for entry in document.glossary:
        yield where, f'the glossary entry "{entry.term}"', entry.definition
