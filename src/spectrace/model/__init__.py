"""The nouns spectrace works with: plain dataclasses, no I/O.

Readers build these objects, transforms change them, writers and the store only read them.
"""

from spectrace.model.document import (
    BULLET,
    Block,
    BlockKind,
    Clause,
    Document,
    GlossaryEntry,
    Location,
    Modality,
    Statement,
)
from spectrace.model.proposal import (
    Action,
    Change,
    MarkupBlock,
    MarkupKind,
    Op,
    Proposal,
    Span,
    Target,
)
from spectrace.model.refs import ClauseAddress, parse_address
from spectrace.model.revision import Problem, Revision, RevisionLine

__all__ = [
    "BULLET",
    "Action",
    "Block",
    "BlockKind",
    "Change",
    "Clause",
    "ClauseAddress",
    "Document",
    "GlossaryEntry",
    "Location",
    "MarkupBlock",
    "MarkupKind",
    "Modality",
    "Op",
    "Problem",
    "Proposal",
    "Revision",
    "RevisionLine",
    "Span",
    "Statement",
    "Target",
    "parse_address",
]
