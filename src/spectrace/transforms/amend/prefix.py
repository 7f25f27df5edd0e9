"""Resume an amendment from the edition its first proposals made.

Proposals apply in order, so the state of a run after its first N proposals depends on the
base, those N proposals, the settings of the run and spectrace's code, and on nothing else. A
:class:`Prefixes` keeps that state (a *checkpoint*) in ``OUTPUT/cache`` (through
:mod:`spectrace.cache`, which adds the code version to the key), with the digest of each of
the N proposals in order: a later run whose proposals start with the same N resumes from it
and applies only the ones after (adding one IRP to the end of 500 applies that one).

A checkpoint is written when a run found none to resume from, or applied at least
:data:`REPLAY` proposals past the one it resumed from: writing one costs about what applying a
few hundred changes does, so a run that adds one proposal leaves the checkpoint as it was and
the next run replays both. What the statement analysis found when the checkpoint was written
(:func:`spectrace.transforms.statements.analyse`'s result, with the glossary terms it was
found under) is kept with it, so the statements of the clauses the proposals touched are not
searched again.

A resumed run gives exactly what a run from the base gives: the same editions, revisions,
refused changes and statement ids (``tests/transforms/test_amend_prefix.py`` compares both
over generated proposals). Set ``SPECTRACE_NO_CACHE=1`` to neither read nor write it.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spectrace import cache
from spectrace.model import Document, Proposal
from spectrace.transforms.statements import Found, Vocabulary

#: Proposals applied past a checkpoint before a run writes a new one.
REPLAY = 16


def digest(value: object) -> str:
    """Return the digest of a model object's content (its ``repr``: every field, in order)."""
    return hashlib.sha1(
        repr(value).encode("utf-8", "surrogatepass"), usedforsecurity=False
    ).hexdigest()


@dataclass
class Prefixes:
    """Where the checkpoint of one document's run is kept: ``folder/name.pickle``, under
    ``key`` (the base, the vocabulary and the settings the run was made with)."""

    folder: Path
    name: str
    key: str
    #: What the statement analysis found, and the glossary terms it was found under.
    known: dict[str, Found] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        folder: Path,
        base: Document,
        vocabulary: Vocabulary | None,
        others: Mapping[str, Collection[str]],
        require_all: bool,
    ) -> Prefixes:
        """Return the checkpoints of the run that amends ``base`` (``others``: the clause
        numbers of the project's other documents, which changes without a document are
        resolved against)."""
        numbers = sorted((name, sorted(clauses)) for name, clauses in others.items())
        settings = repr((vocabulary or Vocabulary(), require_all, numbers))
        return cls(folder, f"amend-{base.name}", f"{digest(base)}\0{digest(settings)}")

    @property
    def entry(self) -> Path:
        return self.folder / f"{self.name}.pickle"

    def resume(self, chain: Sequence[str]) -> tuple[Any, int]:
        """Return the run kept after the proposals whose digests start ``chain``, unpickled,
        and how many proposals it applied; (None, 0) when there is none."""
        kept = cache.load(self.entry, self.key)
        if not isinstance(kept, tuple) or len(kept) != 4:
            return None, 0
        done, data, self.terms, self.known = kept
        if tuple(chain[: len(done)]) != done:
            return None, 0
        try:
            with cache.collector_paused():
                return pickle.loads(data), len(done)
        except Exception:  # unreadable: a run from the base
            return None, 0

    def keep(
        self, chain: Sequence[str], data: bytes, terms: list[str], known: dict[str, Found]
    ) -> None:
        """Write the checkpoint: the run after the proposals of digests ``chain`` (pickled,
        ``data``), and what the analysis found under the glossary ``terms``."""
        cache.store(self.entry, self.key, (tuple(chain), data, terms, known))


def digests(proposals: Sequence[Proposal]) -> list[str]:
    """Return the digest of each proposal, in order."""
    return [digest(proposal) for proposal in proposals]


def snapshot(run: object) -> bytes | None:
    """Return ``run`` pickled, or None when it cannot be (it is then not kept)."""
    try:
        return pickle.dumps(run, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return None
