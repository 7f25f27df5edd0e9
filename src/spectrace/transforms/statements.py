"""Split clause text into statements and classify them.

:func:`segment` turns the paragraphs and list items of a freshly read document into statements
with new ids (one per sentence, one per list item). :func:`analyse` derives, from each
statement's text, its modality, the actors it names, the clauses it cross-references and the
glossary terms it uses. Both are deterministic, so the same text always gives the same result.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from spectrace.model import Block, BlockKind, Clause, Document, Modality, Statement
from spectrace.model.refs import statement_id

# A clause number in running text: dotted digits, the last group perhaps ending in one capital
# (4.6.4.9A, a clause an IRP inserted; model.refs.CLAUSE_NUMBER_PATTERN), so that a reference to
# 4.6.4.9A is never read as one to 4.6.4.9.
NUMBER = r"\d+(?:\.\d+)*(?:[A-Z](?![A-Za-z0-9]))?"
_NUMBER_LIST = rf"{NUMBER}(?:\s*(?:,|\band\b|\bor\b|&|/)\s*{NUMBER})*"
_SECTION_REF = re.compile(rf"\b[Ss]ections?\s+(?P<numbers>{_NUMBER_LIST})")
_PAREN_REF = re.compile(r"\((?P<numbers>\d+(?:\.\d+)+(?:[A-Z])?)\)")
_EACH_NUMBER = re.compile(NUMBER)
_MODAL = re.compile(r"\b(shall|must|should|may)\b(\s+(?:not|never)\b)?", re.IGNORECASE)
_NEGATED_SUBJECT = re.compile(r"^\W*(?:neither|no|none|nothing)\b", re.IGNORECASE)
# A sentence end: a word ending in . ! or ?, closing quotes or brackets, space, then what can
# open a sentence. The word is matched from its start (not searched for backwards from the
# full stop), so that the split is one pass over the text however many abbreviations it holds.
_SENTENCE_END = re.compile(
    r"(?<!\S)(?P<word>\S*?[.!?])(?P<close>[\"”’)\]]*)\s+(?=[\"“‘(\[]?[A-Z0-9])"
)
_ABBREVIATIONS = set(
    "e.g i.e etc no nos cf vs fig approx incl viz para ref sect min max st mr ms dr".split()
)
_NEVER = r"(?!)"  # an alternation that matches nothing, for an empty word list
_TOKEN = re.compile(r"\w+|\W")  # a word, or one other character
_JOINS = re.compile(r"[\w-]")  # what may not touch a phrase on either side
_PHRASE_START = re.compile(r"(?<![\w-])(?:\w+|[^\w\s])")  # a token a phrase may start with
_EDITORIAL = re.compile(r"^\[[^\]]*\]\.?$")
_INFORMATIVE_MARK = re.compile(r"^\W*(?:note|informative)\b\W", re.IGNORECASE)

DEFAULT_ACTORS: dict[str, tuple[str, ...]] = {
    "ESME": ("ESME", "Electricity Smart Metering Equipment"),
    "GSME": ("GSME", "Gas Smart Metering Equipment"),
    "CHF": ("CHF", "Communications Hub Function"),
    "GPF": ("GPF", "Gas Proxy Function"),
    "CH": ("CH", "Communications Hub"),
    "IHD": ("IHD", "In-Home Display"),
    "PPMID": ("PPMID", "Prepayment Meter Interface Device", "Prepayment Interface Device"),
    "CAD": ("CAD", "Consumer Access Device"),
    "HCALCS": ("HCALCS", "HAN Connected Auxiliary Load Control Switch"),
    "Type 1 Device": ("Type 1 Device",),
    "Type 2 Device": ("Type 2 Device",),
}
DEFAULT_DOCUMENTS: dict[str, tuple[str, ...]] = {
    "SMETS": ("SMETS", "Smart Metering Equipment Technical Specifications"),
    "CHTS": ("CHTS", "Communications Hub Technical Specifications"),
    "GBCS": ("GBCS", "Great Britain Companion Specification", "GB Companion Specification"),
}
DEFAULT_INFORMATIVE_TITLES = ("introduction", "overview", "definitions", "glossary")


@dataclass(frozen=True)
class Vocabulary:
    """What the analysis looks for; the project file may replace any part of it."""

    actors: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_ACTORS))
    documents: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_DOCUMENTS))
    informative_titles: tuple[str, ...] = DEFAULT_INFORMATIVE_TITLES
    # Derived from the above in __post_init__; not arguments, and not part of equality or repr.
    _actors: PhraseMatcher = field(init=False, repr=False, compare=False)
    _document_names: dict[str, str] = field(init=False, repr=False, compare=False)
    _document_ref: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _document_after: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        actors = {
            variant: name
            for name, aliases in self.actors.items()
            for alias in aliases
            for variant in term_variants(alias)
        }
        names = {alias: name for name, aliases in self.documents.items() for alias in aliases}
        aliases = "|".join(re.escape(a) for a in sorted(names, key=len, reverse=True)) or _NEVER
        compiled = {
            "_actors": PhraseMatcher(actors),
            "_document_names": names,
            "_document_ref": re.compile(
                rf"\b(?P<doc>{aliases})\s+(?:[Ss]ections?\s+)?(?P<numbers>{_NUMBER_LIST})"
            ),
            "_document_after": re.compile(rf"\s*(?:of|in|at)\s+(?:the\s+)?(?P<doc>{aliases})\b"),
        }
        for name, value in compiled.items():
            object.__setattr__(self, name, value)  # derived once: the vocabulary is frozen

    def actors_in(self, text: str) -> list[str]:
        """Return the canonical actors named in ``text``, in order of first mention."""
        return _ordered_unique(self._actors.find(text))

    def refs_in(self, text: str, document: str) -> list[str]:
        """Return the clauses ``text`` cross-references: "5.7.5.31", or "CHTS 4.6.3.5" elsewhere."""
        return _ordered_unique(span.ref for span in self.ref_spans(text, document))

    def ref_spans(self, text: str, document: str) -> list[RefSpan]:
        """Return each clause number ``text`` cross-references, where it stands, in order (a
        number twice referred to is here twice): the spans :meth:`refs_in` lists the refs of."""
        found: list[RefSpan] = []
        taken = bytearray(len(text) + 1)  # 1 inside a reference already found
        for match in self._document_ref.finditer(text):
            found += _spans(match, self._document_names[match["doc"]], document)
            taken[match.start() : match.end()] = b"\1" * (match.end() - match.start())
        for pattern in (_SECTION_REF, _PAREN_REF):
            for match in pattern.finditer(text):
                if taken[match.start()]:
                    continue
                after = self._document_after.match(text, match.end())
                doc = self._document_names[after["doc"]] if after else document
                found += _spans(match, doc, document)
                taken[match.start() : match.end()] = b"\1" * (match.end() - match.start())
        return sorted(found, key=lambda span: span.start)


class RefSpan(NamedTuple):
    """A clause number a text cross-references: ``text[start:end]`` is the number, ``ref`` the
    reference as :attr:`Statement.refs` holds it ("5.7.5.31", or "CHTS 4.6.3.5" elsewhere)."""

    start: int
    end: int
    ref: str


#: Up to this many phrases, one alternation regex finds them (quicker than walking the trie
#: word by word in Python); its time grows with phrases times text, so more use the trie.
ALTERNATION_PHRASES = 256


def _alternation(phrases: dict[str, str]) -> re.Pattern:
    """Return a regex finding ``phrases`` as whole words, the longest at each place."""
    body = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) or "(?!)"
    return re.compile(rf"(?<![\w-])({body})(?![\w-])")


class PhraseMatcher:
    """Find known phrases in a text as whole words: leftmost first, the longest at each place.

    Up to :data:`ALTERNATION_PHRASES` phrases, one alternation regex finds them. More are
    looked up in a trie of tokens (words and single other characters), so a search costs a walk
    of at most the longest phrase's tokens per word of text, however many phrases there are
    (the regex tries every phrase at every position: thousands of terms times a long
    paragraph). The two find the same (tested).
    """

    def __init__(self, phrases: dict[str, str]):
        self._root: dict = {}
        for phrase, value in phrases.items():
            node = self._root
            for token in _TOKEN.findall(phrase):
                node = node.setdefault(token, {})
            node[None] = value  # None marks the end of a phrase: tokens are strings
        self._values = phrases
        self._regex = _alternation(phrases) if len(phrases) <= ALTERNATION_PHRASES else None

    def find(self, text: str) -> Iterator[str]:
        """Yield the value of each phrase found in ``text``, in order."""
        if self._regex is not None:  # few phrases: one regex, in C, finds the same
            yield from (self._values[match.group(1)] for match in self._regex.finditer(text))
            return
        resume, root = 0, self._root
        for token in _PHRASE_START.finditer(text):
            if token.group() not in root or token.start() < resume:
                continue
            found = self._longest(text, token)
            if found is not None:
                resume, value = found
                yield value

    def _longest(self, text: str, token: re.Match | None) -> tuple[int, str] | None:
        """Return (end, value) of the longest phrase starting at ``token``, or None."""
        node, best = self._root, None
        while token is not None and token.group() in node:
            node = node[token.group()]
            if None in node and not _JOINS.match(text, token.end()):
                best = (token.end(), node[None])
            token = _TOKEN.match(text, token.end())
        return best


class TermMatcher:
    """Find the glossary terms a text uses: longest first, plurals and possessives allowed."""

    def __init__(self, terms: Iterable[str]):
        variants: dict[str, str] = {}
        for term in terms:
            for variant in term_variants(term):
                variants.setdefault(variant, term)
        self._phrases = PhraseMatcher(variants)

    def terms_in(self, text: str) -> list[str]:
        return _ordered_unique(self._phrases.find(text))


def split_sentences(text: str) -> list[str]:
    """Return the sentences of ``text``; abbreviations such as "e.g." do not end a sentence.

    One pass: each match carries the word before its full stop, so nothing is rescanned.
    """
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        word = match["word"].strip('"“‘([').rstrip(".").lower()
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        sentences.append(text[start : match.end("close")].strip())
        start = match.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def is_note(text: str) -> bool:
    """Return whether a paragraph is marked informative ("Note: …", "Informative: …")."""
    return bool(_INFORMATIVE_MARK.match(text))


def is_editorial(text: str) -> bool:
    """Return whether ``text`` is only an editorial note in brackets ("[Not reproduced …]")."""
    return bool(_EDITORIAL.match(text.strip()))


def segment(document: Document) -> None:
    """Give every paragraph and list item of ``document`` its statements, with new ids.

    Each sentence of a paragraph and each list item becomes one statement; a block that is only
    an editorial note ("[Not reproduced in this excerpt]") becomes none. Ids are allocated per
    clause in document order and never collide, even when two clauses share a number.
    """
    allocated: dict[str, int] = defaultdict(int)
    for clause in document.clauses:
        for block in clause.blocks:
            if block.kind is BlockKind.TABLE:
                continue
            if is_editorial(block.text):
                block.lead = block.text
                continue
            pieces = (
                [block.text] if block.kind is BlockKind.LIST_ITEM else split_sentences(block.text)
            )
            block.statements = []
            for piece in pieces:
                allocated[clause.key] += 1
                block.statements.append(
                    Statement(statement_id(document.name, clause.key, allocated[clause.key]), piece)
                )


#: What :func:`analyse` finds in a statement's text alone (before list items take on their
#: lead-in's modality and actors): its actors, cross-references, terms and modality.
Found = tuple[list[str], list[str], list[str], Modality]


def analyse(
    document: Document,
    vocabulary: Vocabulary | None = None,
    clauses: list[Clause] | None = None,
    known: dict[str, Found] | None = None,
) -> dict[str, Found]:
    """Fill in modality, actors, cross-references and terms of the statements of ``document``
    (of ``clauses`` only, when given).

    ``known`` is what an earlier call returned for a document of the same name, glossary terms
    and vocabulary: a statement whose text it holds takes what was found there instead of
    being searched again. Returns what was found in the text of each statement analysed.
    """
    vocabulary = vocabulary or Vocabulary()
    known = known or {}
    found: dict[str, Found] = {}
    terms = TermMatcher(entry.term for entry in document.glossary)
    informative = informative_clauses(document, vocabulary)
    wanted = None if clauses is None else {id(clause) for clause in clauses}
    for clause, is_informative in zip(document.clauses, informative, strict=True):
        if wanted is not None and id(clause) not in wanted:
            continue
        lead_in: Statement | None = None
        for block in clause.blocks:
            for statement in block.statements:
                text = statement.text
                seen = found.get(text) or known.get(text)
                if seen is None:
                    seen = (
                        vocabulary.actors_in(text),
                        vocabulary.refs_in(text, document.name),
                        terms.terms_in(text),
                        modality(text),
                    )
                found[text] = seen
                actors, refs, used, statement.modality = seen
                statement.actors, statement.refs, statement.terms = (
                    list(actors),
                    list(refs),
                    list(used),
                )
                if block.kind is BlockKind.LIST_ITEM and lead_in is not None:
                    _inherit(statement, lead_in)
                if is_informative or is_note(block.text):
                    statement.modality = Modality.INFORMATIVE
            lead_in = _lead_in(block, lead_in)
    return found


def modality(text: str) -> Modality:
    """Return the modality of a sentence from its first modal verb."""
    for match in _MODAL.finditer(text):
        verb = match.group(1)
        if verb == "May" and text[match.end() : match.end() + 2].strip()[:1].isdigit():
            continue  # the month, not the verb
        negated = bool(match.group(2)) or bool(_NEGATED_SUBJECT.match(text[: match.start()]))
        verb = verb.lower()
        if verb in ("shall", "must"):
            return Modality.SHALL_NOT if negated else Modality.SHALL
        return Modality.SHOULD if verb == "should" else Modality.MAY
    return Modality.INFORMATIVE


def informative_clauses(document: Document, vocabulary: Vocabulary) -> list[bool]:
    """Return, per clause, whether it (or a clause it sits under) has an informative title."""
    titles = {title.lower() for title in vocabulary.informative_titles}
    flags: dict[int, bool] = {}
    for clause, parent in zip(document.clauses, document.parents(), strict=True):
        inherited = parent is not None and flags[id(parent)]
        flags[id(clause)] = inherited or clause.title.strip().lower() in titles
    return [flags[id(clause)] for clause in document.clauses]


def _lead_in(block: Block, previous: Statement | None) -> Statement | None:
    """Return the statement that list items after ``block`` continue, if any."""
    if block.kind is BlockKind.LIST_ITEM:
        return previous
    if block.statements and block.text.rstrip().endswith((":", "-", "–")):
        return block.statements[-1]
    return None


def _inherit(item: Statement, lead_in: Statement) -> None:
    if item.modality is Modality.INFORMATIVE:
        item.modality = lead_in.modality
    item.actors = _ordered_unique([*lead_in.actors, *item.actors])


def _spans(match: re.Match, doc: str, current: str) -> list[RefSpan]:
    """Return a span for each number of a reference ``match`` to document ``doc``."""
    offset = match.start("numbers")
    return [
        RefSpan(offset + number.start(), offset + number.end(), _qualify(doc, number[0], current))
        for number in _EACH_NUMBER.finditer(match["numbers"])
    ]


def _qualify(doc: str, number: str, current: str) -> str:
    return number if doc == current else f"{doc} {number}"


def term_variants(term: str) -> list[str]:
    """Return ``term`` with the plural and possessive endings the specifications use."""
    term = term.strip()
    variants = [term, term + "s", term + "es", term + "’s", term + "'s"]
    if term.endswith("y") and len(term) > 1:
        variants.append(term[:-1] + "ies")
    return variants


def _ordered_unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
