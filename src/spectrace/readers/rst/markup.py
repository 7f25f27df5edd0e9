"""The spec-as-code vocabulary for docutils: the ``:st:`` role and the ``spec:*`` directives.

Nodes here carry data only; :mod:`.spec` turns a parsed tree into model objects. Every option
value is checked here, by its converter, so that a bad one is a docutils error naming the
directive's line (the Sphinx directives share these option specs). Registration is scoped
(:func:`registered`) so that parsing a spec source never changes docutils' global registry for
anyone else in the process, such as a Sphinx build.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from docutils import nodes, utils
from docutils.parsers.rst import Directive, directives, roles
from docutils.parsers.rst.directives import tables

from spectrace.limits import CHANGE_NUMBERS, RST_DEPTH
from spectrace.model.proposal import (
    CHANGE_OPTIONS,
    PICTURE,
    PROPOSAL_FIELDS,
    RUN_ON,
    Action,
    FieldKind,
)
from spectrace.model.refs import (
    is_clause_number,
    is_document_name,
    is_edition,
    is_statement_id,
)

if TYPE_CHECKING:
    from docutils.parsers.rst.roles import _RoleFn

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class statement_marker(nodes.Inline, nodes.Element):
    """Marks where a statement starts inside a paragraph; ``id`` holds its stable id."""


class spec_document(nodes.Element):
    """The document's name, edition, title and front matter (``spec:document``)."""


class spec_glossary(nodes.Element):
    """The glossary: a definition list of terms (``spec:glossary``)."""


class spec_item(nodes.Element):
    """A list item whose label is written out (``spec:item``)."""


class spec_level(nodes.Element):
    """Sets the heading level of the next clause when the section nesting cannot."""


class toc_entries(nodes.Element):
    """The files of the document, in order (``toctree``)."""


class markup_span(nodes.Inline, nodes.TextElement):
    """Inserted or deleted text of an IRP mark-up (``:ins:``, ``:del:``); ``op`` says which."""


class spec_proposal(nodes.Element):
    """An IRP's metadata (``spec:proposal``)."""


class spec_change(nodes.Element):
    """One change of an IRP and its mark-up excerpt (``spec:change``)."""


class spec_heading(nodes.Element):
    """A clause heading line inside a mark-up excerpt (``spec:heading``)."""


def statement_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``:st:`SMETS-5.6.1-1``` — the start of a statement."""
    if not is_statement_id(text):
        message = inliner.reporter.error(f"'{text}' is not a statement id", line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    return [statement_marker(rawtext, id=text)], []


def iso_date(argument: str | None) -> str:
    """Option converter: a real date written YYYY-MM-DD, or nothing (the date is not known)."""
    value = (argument or "").strip()
    if value and not _is_date(value):
        raise ValueError(f"'{value}' is not a date (write YYYY-MM-DD)")
    return value


def _is_date(text: str) -> bool:
    try:
        return bool(_ISO_DATE.fullmatch(text)) and bool(date.fromisoformat(text))
    except ValueError:  # 2019-13-45
        return False


def action(argument: str | None) -> str:
    """Option converter: one of the actions a change takes (amend, add_term, ...)."""
    # docutils' choice() takes None too (reporting that the option needs a value), but
    # types-docutils declares its argument str.
    return directives.choice(argument, tuple(Action))  # type: ignore[arg-type]


def run_on(argument: str | None) -> frozenset[str]:
    """Option converter: the sides a mark-up runs on, from "before" and "after"."""
    words = (argument or "").replace(",", " ").split()
    unknown = [word for word in words if word not in RUN_ON]
    if unknown:
        raise ValueError(f"'{unknown[0]}' is not a side; write one or both of: {' '.join(RUN_ON)}")
    return frozenset(words)


def bounded(low: int, high: int, what: str) -> Callable[[str | None], int]:
    """Return an option converter for a whole number from ``low`` to ``high``."""

    def convert(argument: str | None) -> int:
        text = (argument or "").strip()
        digits = text.lstrip("0") or "0"
        # Counted before int(), which refuses thousands of digits with its own ValueError.
        if not (text.isascii() and text.isdigit() and len(digits) <= 9 and low <= int(digits)):
            raise ValueError(f"{what} of {low} or more, not '{text}'")
        if int(digits) > high:
            raise ValueError(f"{what} of at most {high}, not '{text}'")
        return int(digits)

    return convert


def checked(accepts: Callable[[str], bool], what: str) -> Callable[[str | None], str]:
    """Return an option converter for a value, stripped, that ``accepts`` (a grammar rule)."""

    def convert(argument: str | None) -> str:
        value = (argument or "").strip()
        if not accepts(value):
            raise ValueError(f"'{value}' is not {what}")
        return value

    return convert


def statement_ids(argument: str | None) -> list[str]:
    """Option converter: statement ids, separated by spaces."""
    ids = (argument or "").split()
    bad = [statement for statement in ids if not is_statement_id(statement)]
    if bad:
        raise ValueError(f"'{bad[0]}' is not a statement id")
    return ids


def source(argument: str | None) -> str:
    """Option converter: where a mark-up came from when not typed: "picture"."""
    text = (argument or "").strip()
    if text != PICTURE:
        raise ValueError(f"'{text}' is not a source; a mark-up not typed is read from a {PICTURE}")
    return text


def share(argument: str | None) -> float:
    """Option converter: a number from 0 to 1 ("0.93")."""
    text = (argument or "").strip()
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"a number from 0 to 1, not '{text}'") from None
    if not 0 <= value <= 1:  # also refuses nan
        raise ValueError(f"a number from 0 to 1, not '{text}'")
    return round(value, 2)


change_number = bounded(1, CHANGE_NUMBERS, "a change number")
heading_level = bounded(1, RST_DEPTH, "a heading level")
list_level = bounded(0, RST_DEPTH, "a list level")
document_name = checked(is_document_name, "a document name (letters and digits, from a capital)")
edition_name = checked(is_edition, "an edition (e.g. 4.2)")
clause_number = checked(is_clause_number, "a clause number (e.g. 4.6.4.9 or 4.6.4.9A)")


#: The option converter of each kind of field (:data:`~spectrace.model.proposal.PROPOSAL_FIELDS`,
#: :data:`~spectrace.model.proposal.CHANGE_OPTIONS`); a list is read by the IRP reader.
CONVERTERS: dict[FieldKind, Callable[[str], object]] = {
    FieldKind.TEXT: directives.unchanged,
    FieldKind.NAME: directives.unchanged_required,
    FieldKind.DATE: iso_date,
    FieldKind.LIST: directives.unchanged,
    FieldKind.TARGET: directives.unchanged_required,
    FieldKind.CLAUSE: clause_number,
    FieldKind.ACTION: action,
    FieldKind.SIDES: run_on,
    FieldKind.SOURCE: source,
    FieldKind.SHARE: share,
}


def markup_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``:ins:`text``` and ``:del:`text``` — inserted and deleted text of a mark-up."""
    op = "insert" if name == "ins" else "delete"
    return [markup_span(rawtext, utils.unescape(text), op=op)], []


class ProposalDirective(Directive):
    required_arguments = 1
    option_spec = {field.option: CONVERTERS[field.kind] for field in PROPOSAL_FIELDS}

    def run(self):
        node = spec_proposal(irp=self.arguments[0], **self.options)
        node.line = self.lineno
        return [node]


class ChangeDirective(Directive):
    required_arguments = 1
    has_content = True
    option_spec = {option.option: CONVERTERS[option.kind] for option in CHANGE_OPTIONS}

    def run(self):
        try:
            number = change_number(self.arguments[0])
        except ValueError as error:
            raise self.error(f"spec:change needs {error}") from None
        node = spec_change(number=number, **self.options)
        node.line = self.lineno
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class HeadingDirective(Directive):
    """``.. spec:heading:: 5.6.1 Title``, or with the heading as content when it is marked up."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self):
        node = spec_heading(text=" ".join(self.arguments[0].split()) if self.arguments else "")
        node.line = self.lineno
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class DocumentDirective(Directive):
    required_arguments = 1
    has_content = True
    option_spec = {
        "edition": edition_name,
        "title": directives.unchanged,
        "subtitle": directives.unchanged,
        "retired": statement_ids,
        "continues": directives.unchanged,
        "changed": statement_ids,
    }

    def run(self):
        try:
            name = document_name(self.arguments[0])
        except ValueError as error:
            raise self.error(f"spec:document: {error}") from None
        node = spec_document(name=name, **self.options)
        node.line = self.lineno
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class GlossaryDirective(Directive):
    has_content = True

    def run(self):
        node = spec_glossary()
        node.line = self.lineno
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class ItemDirective(Directive):
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"level": list_level}

    def run(self):
        node = spec_item(
            label=self.arguments[0] if self.arguments else "", level=self.options.get("level", 0)
        )
        node.line = self.lineno
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class LevelDirective(Directive):
    required_arguments = 1

    def run(self):
        try:
            level = heading_level(self.arguments[0])
        except ValueError as error:
            raise self.error(f"spec:level needs {error}") from None
        node = spec_level(level=level)
        node.line = self.lineno
        return [node]


class ListTableDirective(tables.ListTable):
    """docutils' ``list-table``, its table carrying the directive's line, as docutils 0.23
    gives it and older versions do not (so that a table's location is the same either way)."""

    def run(self):
        result = super().run()
        for node in result:
            if isinstance(node, nodes.table) and node.line is None:
                node.source, node.line = self.state_machine.get_source_and_line(self.lineno)
        return result


class TocTreeDirective(Directive):
    has_content = True
    option_spec = {
        "maxdepth": directives.unchanged,
        "caption": directives.unchanged,
        "hidden": directives.flag,
        "numbered": directives.unchanged,
    }

    def run(self):
        entries = [line.strip() for line in self.content if line.strip()]
        node = toc_entries(entries=entries)
        node.line = self.lineno
        return [node]


DIRECTIVES = {
    "spec:document": DocumentDirective,
    "spec:glossary": GlossaryDirective,
    "spec:item": ItemDirective,
    "spec:level": LevelDirective,
    "toctree": TocTreeDirective,
    "spec:proposal": ProposalDirective,
    "spec:change": ChangeDirective,
    "spec:heading": HeadingDirective,
    "list-table": ListTableDirective,
}
ROLES = {"st": statement_role, "ins": markup_role, "del": markup_role}


def _directive_registry() -> dict[str, type[Directive]]:
    """Return docutils' directives by name, looked up each time (Sphinx swaps the dict)."""
    # A private module dict that types-docutils does not declare (Sphinx ignores it likewise).
    return directives._directives  # type: ignore[attr-defined]


def _role_registry() -> dict[str, _RoleFn]:
    """Return docutils' roles by name, looked up each time (Sphinx swaps the dict)."""
    # A private module dict that types-docutils does not declare (Sphinx ignores it likewise).
    return roles._roles  # type: ignore[attr-defined]


@contextmanager
def registered() -> Iterator[None]:
    """Register the spec vocabulary with docutils for the duration of a parse, then restore."""
    saved_directives = {name: _directive_registry().get(name) for name in DIRECTIVES}
    # "" is the default role, which a source may set (``.. default-role::``); docutils
    # resets it only when a parse completes.
    saved_roles = {name: _role_registry().get(name) for name in [*ROLES, ""]}
    try:
        for name, directive in DIRECTIVES.items():
            directives.register_directive(name, directive)
        for name, role in ROLES.items():
            roles.register_local_role(name, role)
        yield
    finally:
        for name, saved_directive in saved_directives.items():
            if saved_directive is None:
                _directive_registry().pop(name, None)
            else:
                _directive_registry()[name] = saved_directive
        for name, saved_role in saved_roles.items():
            if saved_role is None:
                _role_registry().pop(name, None)
            else:
                _role_registry()[name] = saved_role
