"""Carry statement ids from one edition into the next one, read afresh from Word.

:func:`carry` gives every statement of the new edition the id of the statement it continues in
the earlier edition, or a new id never used before, and retires the ids of statements that
are gone. It matches clauses first, then statements within matched clauses, in stages that
each cost time linear in the document (or ``n log n``), never comparing every statement with
every other:

Clauses
   1. Clauses whose heading title and body are identical (typography aside), that text
      unique on both sides: a clause that did not change, wherever it moved or however it was
      renumbered.
   2. Among the rest, clauses with the same number and title, unique on both sides: a clause
      whose body changed; then clauses with the same number and body (not empty), unique on
      both sides: a clause whose heading was renamed.
   3. The longest run of those pairs that is in the same order in both editions (a longest
      increasing subsequence) splits the documents into gaps; within each gap the clauses left
      are compared pairwise by :func:`clause_similarity` (a gap of more than
      :data:`GAP_PAIRS` pairs compares only clauses that share a number, a title or a
      statement's text).
   4. A clause still alone is compared with the clauses left anywhere that share the text of a
      statement with it (a clause moved and edited).
Statements, within each pair of clauses
   1. The same text (typography aside): matched in order, so a statement that moved within its
      clause keeps its id.
   2. Across the whole document, a text left over exactly once on each side: a statement
      moved to another clause.
   3. The rest of each pair compared pairwise by :func:`similarity`, within
      :data:`WINDOW` positions when a clause has many left over.

A match at or above :data:`SURE` is made silently; one between :data:`ACCEPT` and
:data:`SURE` is made and listed as low-confidence; below :data:`ACCEPT` there is no match (the
new statement gets a new id, the old one is retired). When the runner-up is within
:data:`TIE_MARGIN` points of the best, the nearer in position wins and the match is listed as
a tie. Lists come back in :attr:`Carry.doubts`: nothing is guessed silently.
"""

from __future__ import annotations

import bisect
from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from rapidfuzz.fuzz import ratio

from spectrace.model import BlockKind, Clause, Document, Statement
from spectrace.model.continuity import (
    Candidate,
    Carry,
    ClausePair,
    Continuity,
    Doubt,
    DoubtKind,
    StatementContinuity,
)
from spectrace.text import plain
from spectrace.transforms.amend.units import Ids

#: A match scoring below this (0–100) is not made.
ACCEPT = 60
#: A match scoring below this is made but listed as low-confidence.
SURE = 80
#: A runner-up scoring within this many points of the best makes the match a tie (listed).
TIE_MARGIN = 2
#: Clauses: the weights of title and body similarity and of an equal number in the score.
TITLE_WEIGHT, BODY_WEIGHT, NUMBER_WEIGHT = 0.45, 0.45, 0.10
#: A gap between clauses matched in order is compared pairwise up to this many pairs.
GAP_PAIRS = 2_500
#: Clause bodies are compared on at most their first so many characters.
CLAUSE_TEXT_CHARS = 5_000
#: Statements left over in a clause are compared within this many positions of each other
#: when the clause has more than WINDOW * WINDOW pairs of them.
WINDOW = 40
#: A statement text found in more clauses than this does not suggest which clause moved.
COMMON_TEXT = 8


def similarity(a: str, b: str) -> int:
    """Return how alike two texts are, 0–100: rapidfuzz's normalised Indel similarity
    (``fuzz.ratio``) of the texts without typographic noise (:func:`spectrace.text.plain`)."""
    return round(ratio(plain(a), plain(b)))


def clause_similarity(title_a: str, body_a: str, title_b: str, body_b: str, same: bool) -> int:
    """Return how alike two clauses are, 0–100: :data:`TITLE_WEIGHT` of their titles'
    similarity, :data:`BODY_WEIGHT` of their bodies' (two empty bodies are alike), and
    :data:`NUMBER_WEIGHT` when their numbers are equal (``same``). Texts are plain already."""
    title = ratio(title_a, title_b)
    body = ratio(body_a, body_b) if body_a or body_b else 100.0
    return round(TITLE_WEIGHT * title + BODY_WEIGHT * body + NUMBER_WEIGHT * (100 if same else 0))


@dataclass
class _Side:
    """One edition's clauses and statements, with the plain texts matching compares."""

    document: Document
    titles: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    #: per clause, the indices of its statements in ``statements``
    members: list[list[int]] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    owner: list[int] = field(default_factory=list)  # statement index -> clause index
    position: list[int] = field(default_factory=list)  # statement index -> place in its clause

    def __post_init__(self) -> None:
        for index, clause in enumerate(self.document.clauses):
            self.titles.append(plain(clause.title).casefold())
            self.bodies.append("\n".join(_lines(clause))[:CLAUSE_TEXT_CHARS])
            self.members.append([])
            for place, statement in enumerate(clause.statements):
                self.members[index].append(len(self.statements))
                self.statements.append(statement)
                self.texts.append(plain(statement.text))
                self.owner.append(index)
                self.position.append(place)

    @property
    def clauses(self) -> list[Clause]:
        return self.document.clauses

    def name(self, index: int) -> str:
        clause = self.clauses[index]
        return clause.number or clause.title


def _lines(clause: Clause) -> list[str]:
    lines = []
    for block in clause.blocks:
        if block.kind is BlockKind.TABLE:
            lines += [plain("\t".join(row)) for row in block.rows]
        else:
            lines.append(plain(block.text))
    return lines


@dataclass
class _Doubt:
    """A doubt recorded while matching; named once every id is known."""

    kind: DoubtKind
    new: int
    chosen: int | None
    candidates: list[tuple[str, int, int]]  # ("old" or "new", index, score)


class _Matching:
    """A one-to-one matching between indices of the new side and the old side."""

    def __init__(self) -> None:
        self.new_to_old: dict[int, int] = {}
        self.old_to_new: dict[int, int] = {}
        self.doubts: list[_Doubt] = []

    def pair(self, new: int, old: int) -> None:
        self.new_to_old[new] = old
        self.old_to_new[old] = new

    def free(self, new: int | None = None, old: int | None = None) -> bool:
        return (new is None or new not in self.new_to_old) and (
            old is None or old not in self.old_to_new
        )

    def assign(
        self,
        candidates: Iterable[tuple[int, int, int, int]],
        preferred: frozenset[tuple[int, int]] = frozenset(),
    ) -> None:
        """Match greedily from ``candidates`` (score, distance, new, old): the ``preferred``
        (new, old) pairs first, then the best score first, the nearer of equal scores; record
        ties and low-confidence matches."""
        ranked = sorted(
            (c for c in candidates if c[0] >= ACCEPT),
            key=lambda c: ((c[2], c[3]) not in preferred, -c[0], c[1], c[2], c[3]),
        )
        by_new: dict[int, list[tuple[int, int]]] = defaultdict(list)
        by_old: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for score, _, new, old in ranked:
            by_new[new].append((score, old))
            by_old[old].append((score, new))
        for score, _, new, old in ranked:
            if not self.free(new, old):
                continue
            rivals = [
                ("old", other, s)
                for s, other in by_new[new]
                if other != old and s >= score - TIE_MARGIN and self.free(old=other)
            ]
            rivals += [
                ("new", other, s)
                for s, other in by_old[old]
                if other != new and s >= score - TIE_MARGIN and self.free(new=other)
            ]
            self.pair(new, old)
            if rivals:
                self.doubts.append(_Doubt(DoubtKind.TIE, new, old, [("old", old, score), *rivals]))
            elif score < SURE:
                self.doubts.append(_Doubt(DoubtKind.LOW, new, old, [("old", old, score)]))


def carry(before: Document, after: Document) -> Carry:
    """Give the statements of ``after`` (a new edition of ``before``'s document, just read) the
    ids of the statements of ``before`` they continue, new ids to the others, and retire the
    ids of ``before``'s statements that are gone; return what each statement became.

    ``after`` is changed in place: its statements' ids, ``retired`` (``before``'s and those
    retired now), ``continues`` (``before``'s label) and ``changed`` (the carried statements
    whose text changed, typography aside). ``before`` is not changed.
    """
    old, new = _Side(before), _Side(after)
    clauses = _pair_clauses(old, new)
    statements = _pair_statements(old, new, clauses)
    result = Carry(doubts=_clause_doubts(old, new, clauses))
    ids = Ids(before)
    changed: list[str] = []
    for index, statement in enumerate(new.statements):
        clause = new.clauses[new.owner[index]]
        source = statements.new_to_old.get(index)
        if source is None:
            statement.id = ids.new(clause.key)
            result.statements.append(
                StatementContinuity(statement.id, Continuity.NEW, new.name(new.owner[index]), None)
            )
            continue
        statement.id = old.statements[source].id
        status = Continuity.CARRIED if old.texts[source] == new.texts[index] else Continuity.CHANGED
        if status is Continuity.CHANGED:
            changed.append(statement.id)
        result.statements.append(
            StatementContinuity(
                statement.id, status, new.name(new.owner[index]), old.name(old.owner[source])
            )
        )
    retired = [i for i in range(len(old.statements)) if i not in statements.old_to_new]
    for index in retired:
        result.statements.append(
            StatementContinuity(
                old.statements[index].id, Continuity.RETIRED, None, old.name(old.owner[index])
            )
        )
    result.doubts += _statement_doubts(old, new, statements)
    after.retired = [*before.retired, *(old.statements[i].id for i in retired)]
    after.continues = before.label
    after.changed = changed
    result.pairs = [ClausePair(clauses.new_to_old.get(i), i) for i in range(len(new.clauses))]
    result.pairs += [
        ClausePair(j, None) for j in range(len(old.clauses)) if j not in clauses.old_to_new
    ]
    return result


# Clauses ----------------------------------------------------------------------------------------


def _pair_clauses(old: _Side, new: _Side) -> _Matching:
    matching = _Matching()
    _pair_unique(old, new, matching, lambda side, i: (side.titles[i], side.bodies[i]))
    _pair_unique(old, new, matching, lambda side, i: (side.clauses[i].number, side.titles[i]))
    _pair_unique(
        old,
        new,
        matching,
        lambda side, i: (side.clauses[i].number, side.bodies[i]) if side.bodies[i] else None,
    )
    backbone = _increasing(sorted(matching.new_to_old.items()))
    ends = [(-1, -1), *backbone, (len(new.clauses), len(old.clauses))]
    for (new_start, old_start), (new_end, old_end) in pairwise(ends):
        gap_new = [i for i in range(new_start + 1, new_end) if matching.free(new=i)]
        gap_old = [j for j in range(old_start + 1, old_end) if matching.free(old=j)]
        if gap_new and gap_old:
            matching.assign(_gap_candidates(old, new, gap_new, gap_old, new_start, old_start))
    matching.assign(_moved_clause_candidates(old, new, matching))
    return matching


def _pair_unique(
    old: _Side, new: _Side, matching: _Matching, key: Callable[[_Side, int], Hashable]
) -> None:
    """Pair the unpaired clauses whose ``key`` is found exactly once on each side (a key of
    None is no evidence)."""
    found: dict[Hashable, list[int]] = defaultdict(list)
    for j in range(len(old.clauses)):
        if matching.free(old=j):
            found[key(old, j)].append(j)
    seen: dict[Hashable, list[int]] = defaultdict(list)
    for i in range(len(new.clauses)):
        if matching.free(new=i):
            seen[key(new, i)].append(i)
    for value, news in seen.items():
        olds = found.get(value, [])
        if value is not None and len(news) == 1 and len(olds) == 1:
            matching.pair(news[0], olds[0])


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the longest subsequence of ``pairs`` (sorted by their first item) whose second
    items increase too (patience sorting, n log n)."""
    tails: list[int] = []  # tails[k]: the smallest second item ending a run of length k + 1
    ends: list[int] = []  # the index in pairs of that run's last pair
    back: list[int] = []
    for index, (_, second) in enumerate(pairs):
        at = bisect.bisect_left(tails, second)
        if at == len(tails):
            tails.append(second)
            ends.append(index)
        else:
            tails[at] = second
            ends[at] = index
        back.append(ends[at - 1] if at else -1)
    run: list[tuple[int, int]] = []
    index = ends[-1] if ends else -1
    while index != -1:
        run.append(pairs[index])
        index = back[index]
    return run[::-1]


def _gap_candidates(
    old: _Side, new: _Side, gap_new: list[int], gap_old: list[int], new_start: int, old_start: int
) -> Iterable[tuple[int, int, int, int]]:
    if len(gap_new) * len(gap_old) <= GAP_PAIRS:
        pairs: Iterable[tuple[int, int]] = ((i, j) for i in gap_new for j in gap_old)
    else:
        pairs = _shared(old, new, gap_new, gap_old)
    for i, j in pairs:
        yield (
            _clause_score(old, new, i, j),
            abs((i - new_start) - (j - old_start)),
            i,
            j,
        )


def _shared(old: _Side, new: _Side, news: list[int], olds: list[int]) -> set[tuple[int, int]]:
    """Return the pairs of ``news`` and ``olds`` that share a number, a title or the text of a
    statement (a text or title common to more than COMMON_TEXT clauses is no evidence)."""
    keys: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j in olds:
        clause = old.clauses[j]
        if clause.number is not None:
            keys[("number", clause.number)].append(j)
        keys[("title", old.titles[j])].append(j)
        for s in old.members[j]:
            keys[("text", old.texts[s])].append(j)
    pairs: set[tuple[int, int]] = set()
    for i in news:
        clause = new.clauses[i]
        wanted = [("title", new.titles[i])] + [("text", new.texts[s]) for s in new.members[i]]
        if clause.number is not None:
            wanted.append(("number", clause.number))
        for key in wanted:
            found = keys.get(key, [])
            if len(found) <= COMMON_TEXT:
                pairs.update((i, j) for j in found)
    return pairs


def _moved_clause_candidates(
    old: _Side, new: _Side, matching: _Matching
) -> Iterable[tuple[int, int, int, int]]:
    olds = [j for j in range(len(old.clauses)) if matching.free(old=j) and old.members[j]]
    news = [i for i in range(len(new.clauses)) if matching.free(new=i) and new.members[i]]
    if not olds or not news:
        return []
    by_text: dict[str, list[int]] = defaultdict(list)
    for j in olds:
        for s in old.members[j]:
            by_text[old.texts[s]].append(j)
    pairs: set[tuple[int, int]] = set()
    for i in news:
        for s in new.members[i]:
            found = by_text.get(new.texts[s], [])
            if len(found) <= COMMON_TEXT:
                pairs.update((i, j) for j in found)
    return [(_clause_score(old, new, i, j), abs(i - j), i, j) for i, j in pairs]


def _clause_score(old: _Side, new: _Side, i: int, j: int) -> int:
    number = new.clauses[i].number
    return clause_similarity(
        new.titles[i],
        new.bodies[i],
        old.titles[j],
        old.bodies[j],
        number is not None and number == old.clauses[j].number,
    )


def _clause_doubts(old: _Side, new: _Side, matching: _Matching) -> list[Doubt]:
    doubts = []
    for doubt in matching.doubts:
        candidates = tuple(
            Candidate(
                (old if side == "old" else new).name(index) + ("" if side == "old" else " (new)"),
                score,
            )
            for side, index, score in doubt.candidates
        )
        doubts.append(
            Doubt(
                doubt.kind,
                "clause",
                new.name(doubt.new),
                new.clauses[doubt.new].title,
                old.name(doubt.chosen) if doubt.chosen is not None else None,
                candidates,
            )
        )
    return doubts


# Statements -------------------------------------------------------------------------------------


def _pair_statements(old: _Side, new: _Side, clauses: _Matching) -> _Matching:
    matching = _Matching()
    pairs = sorted(clauses.new_to_old.items())
    for i, j in pairs:
        _same_text(old, new, matching, new.members[i], old.members[j])
    _moved_statements(old, new, matching)
    for i, j in pairs:
        news = [s for s in new.members[i] if matching.free(new=s)]
        olds = [s for s in old.members[j] if matching.free(old=s)]
        if news and olds:
            candidates = list(_statement_candidates(old, new, news, olds))
            matching.assign(candidates, _best_assignment(candidates, news, olds))
    return matching


#: Leftover statements of a clause pair are matched for the best total score when there are
#: at most this many on each side (Hungarian algorithm, cubic); beyond, greedily.
OPTIMAL_SIDE = 30


def _best_assignment(
    candidates: list[tuple[int, int, int, int]], news: list[int], olds: list[int]
) -> frozenset[tuple[int, int]]:
    """Return the (new, old) pairs that together score most: greedy matching can give the
    best single pair and lose two good ones (two near-identical statements, both edited)."""
    if len(news) > OPTIMAL_SIDE or len(olds) > OPTIMAL_SIDE or len(candidates) < 2:
        return frozenset()
    rows, columns = {s: k for k, s in enumerate(news)}, {t: k for k, t in enumerate(olds)}
    size = max(len(news), len(olds))
    cost = [[0] * size for _ in range(size)]  # 0: unmatched; a match costs minus its score
    for score, distance, s, t in candidates:
        if score >= ACCEPT:
            cost[rows[s]][columns[t]] = -(score * 1000 - min(distance, 999))
    chosen = _hungarian(cost)
    return frozenset(
        (news[r], olds[c])
        for r, c in enumerate(chosen)
        if r < len(news) and c < len(olds) and cost[r][c] < 0
    )


def _hungarian(cost: list[list[int]]) -> list[int]:
    """Return, for each row of the square ``cost`` matrix, the column assigned to it in an
    assignment of least total cost (the Hungarian algorithm with potentials, O(n^3))."""
    size = len(cost)
    infinity = float("inf")
    u, v = [0.0] * (size + 1), [0.0] * (size + 1)
    way, match = [0] * (size + 1), [0] * (size + 1)  # match[column] = row, 1-based
    for row in range(1, size + 1):
        match[0], column = row, 0
        least = [infinity] * (size + 1)
        used = [False] * (size + 1)
        while match[column] != 0:
            used[column] = True
            current, delta, next_column = match[column], infinity, 0
            for j in range(1, size + 1):
                if not used[j]:
                    reduced = cost[current - 1][j - 1] - u[current] - v[j]
                    if reduced < least[j]:
                        least[j], way[j] = reduced, column
                    if least[j] < delta:
                        delta, next_column = least[j], j
            for j in range(size + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            column = next_column
        while column:
            previous = way[column]
            match[column] = match[previous]
            column = previous
    assigned = [0] * size
    for j in range(1, size + 1):
        if match[j]:
            assigned[match[j] - 1] = j - 1
    return assigned


def _same_text(
    old: _Side, new: _Side, matching: _Matching, news: list[int], olds: list[int]
) -> None:
    """Match the statements of a pair of clauses that have the same text, in order; a text
    that both have but not equally often is a tie (which copy went is unknowable)."""
    waiting: dict[str, deque[int]] = defaultdict(deque)
    for s in olds:
        waiting[old.texts[s]].append(s)
    copies = {text: len(queue) for text, queue in waiting.items()}
    wanted: dict[str, int] = defaultdict(int)
    for s in news:
        wanted[new.texts[s]] += 1
    for s in news:
        text = new.texts[s]
        queue = waiting.get(text)
        if not queue:
            continue
        chosen = queue.popleft()
        matching.pair(s, chosen)
        if copies[text] > 1 and copies[text] != wanted[text]:
            others = [("old", o, 100) for o in olds if old.texts[o] == text and o != chosen]
            matching.doubts.append(
                _Doubt(DoubtKind.TIE, s, chosen, [("old", chosen, 100), *others])
            )


def _moved_statements(old: _Side, new: _Side, matching: _Matching) -> None:
    """Match a text left over exactly once on each side, wherever it stands."""
    olds: dict[str, list[int]] = defaultdict(list)
    for s, text in enumerate(old.texts):
        if matching.free(old=s):
            olds[text].append(s)
    news: dict[str, list[int]] = defaultdict(list)
    for s, text in enumerate(new.texts):
        if matching.free(new=s):
            news[text].append(s)
    for text, found in news.items():
        if len(found) == 1 and len(olds.get(text, ())) == 1:
            matching.pair(found[0], olds[text][0])


def _statement_candidates(
    old: _Side, new: _Side, news: list[int], olds: list[int]
) -> Iterable[tuple[int, int, int, int]]:
    window = len(news) * len(olds) > WINDOW * WINDOW
    for n, s in enumerate(news):
        here = range(max(0, n - WINDOW), min(len(olds), n + WINDOW + 1)) if window else None
        for o in here if here is not None else range(len(olds)):
            t = olds[o]
            score = ratio(new.texts[s], old.texts[t], score_cutoff=ACCEPT)
            if score:
                yield round(score), abs(new.position[s] - old.position[t]), s, t


def _statement_doubts(old: _Side, new: _Side, matching: _Matching) -> list[Doubt]:
    doubts = []
    for doubt in matching.doubts:
        candidates = []
        for side, index, score in doubt.candidates:
            if side == "old":
                candidates.append(Candidate(old.statements[index].id, score))
            else:
                candidates.append(Candidate(new.statements[index].id + " (new)", score))
        doubts.append(
            Doubt(
                doubt.kind,
                "statement",
                new.statements[doubt.new].id,
                new.statements[doubt.new].text,
                old.statements[doubt.chosen].id if doubt.chosen is not None else None,
                tuple(candidates),
            )
        )
    return doubts
