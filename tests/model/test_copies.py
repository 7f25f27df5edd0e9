"""Every field of the model survives a copy: the copies are written by hand for speed, so a
field added to a dataclass and missed in its ``copy`` would silently vanish from every amended
edition. The objects are filled from the dataclasses' own field lists, so a new field is
covered without touching this test."""

from __future__ import annotations

import dataclasses
import enum
import types
import typing

from spectrace.model.document import Block, Clause, Document, GlossaryEntry, Statement


def filled(cls: type, seed: int = 1):
    """Return an instance of dataclass ``cls`` with every field set away from its default."""
    hints = typing.get_type_hints(cls)
    values = {f.name: _value(hints[f.name], f.name, seed) for f in dataclasses.fields(cls)}
    return cls(**values)


def _value(hint, name: str, seed: int):
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return _value(next(a for a in typing.get_args(hint) if a is not type(None)), name, seed)
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_value(item, name, seed), _value(item, name, seed + 1)]
    if dataclasses.is_dataclass(hint):
        return filled(hint, seed)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return list(hint)[seed % len(hint)]
    if hint is bool:
        return True
    if hint is int:
        return 40 + seed
    if hint is str:
        return f"{name}-{seed}"
    raise AssertionError(f"no sample value for {hint!r} ({name}); extend this test")


def _same_values(a, b) -> None:
    """Assert that ``a`` and ``b`` hold equal values in every field, compared or not, and
    share no list (a copy must be changeable on its own)."""
    assert type(a) is type(b)
    for f in dataclasses.fields(a):
        left, right = getattr(a, f.name), getattr(b, f.name)
        if dataclasses.is_dataclass(left) and not isinstance(left, type):
            _same_values(left, right)
        elif isinstance(left, list):
            assert left is not right or not left, f"{type(a).__name__}.{f.name} is shared"
            assert len(left) == len(right), f.name
            for x, y in zip(left, right, strict=True):
                if dataclasses.is_dataclass(x):
                    _same_values(x, y)
                else:
                    assert x == y, f.name
        else:
            assert left == right, f"{type(a).__name__}.{f.name} is lost in a copy"


def test_a_copied_block_keeps_every_field_of_it_and_of_its_statements():
    block = filled(Block)
    assert block.statements and isinstance(block.statements[0], Statement)
    _same_values(block.copy(), block)


def test_a_copied_clause_keeps_every_field():
    _same_values(filled(Clause).copy(), filled(Clause))


def test_a_copied_document_keeps_every_field_of_it_and_of_its_glossary():
    document = filled(Document)
    assert isinstance(document.glossary[0], GlossaryEntry)
    _same_values(document.copy(), document)


def test_a_copy_can_be_changed_without_changing_the_original():
    document = filled(Document)
    copy = document.copy()
    copy.clauses[0].blocks[0].statements[0].actors.append("ESME")
    copy.glossary[0].definition = "changed"
    assert "ESME" not in document.clauses[0].blocks[0].statements[0].actors
    assert document.glossary[0].definition != "changed"
