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
from spectrace.model.refs import ClauseAddress, parse_address

__all__ = [
    "BULLET",
    "Block",
    "BlockKind",
    "Clause",
    "ClauseAddress",
    "Document",
    "GlossaryEntry",
    "Location",
    "Modality",
    "Statement",
    "parse_address",
]
