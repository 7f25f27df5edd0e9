"""What applying proposals did: a revision per applied change, a problem per refused one."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Revision:
    """Change ``change`` of ``irp`` turned the lines of ``clause`` from ``before`` into ``after``.

    ``clause`` is a clause number, or "Glossary"; lines are block texts (a table row's cells
    joined by a tab; a glossary entry as "Term<tab>Definition"). The statement ids say which
    statements the change added, changed (same id, new text) and retired.
    """

    irp: str
    change: int
    document: str
    clause: str
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """A change that was not applied, and why. ``kind`` is one of :data:`PROBLEM_KINDS`."""

    irp: str
    change: int
    target: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.irp} change {self.change} ({self.target}): {self.message}"

    def as_dict(self) -> dict[str, str | int]:
        return {
            "irp": self.irp,
            "change": self.change,
            "target": self.target,
            "kind": self.kind,
            "message": self.message,
        }


PROBLEM_KINDS = {
    "unreadable": "the change's mark-up cannot be read (an image, or no marks)",
    "unknown-document": "the change targets a document that is not part of the build",
    "not-listed": "the target document does not list the proposal in the project file",
    "unknown-clause": "the target clause does not exist",
    "not-found": "the mark-up's unchanged text is not in the clause",
    "ambiguous": "the mark-up's unchanged text is in the clause more than once",
    "conflict": "the change touches text an earlier proposal in the build changed",
    "already-applied": "the change is already in the text",
    "unsupported": "the mark-up asks for something the engine does not do",
}
