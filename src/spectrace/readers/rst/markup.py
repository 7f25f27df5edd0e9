"""The spec-as-code vocabulary for docutils: the ``:st:`` role and the ``spec:*`` directives.

Nodes here carry data only; :mod:`.spec` turns a parsed tree into model objects. Registration
is scoped (:func:`registered`) so that parsing a spec source never changes docutils' global
registry for anyone else in the process, such as a Sphinx build.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from docutils import nodes, utils
from docutils.parsers.rst import Directive, directives, roles
from docutils.parsers.rst.directives import tables

from spectrace.model.refs import STATEMENT_ID


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
    if not STATEMENT_ID.match(text):
        message = inliner.reporter.error(f"'{text}' is not a statement id", line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    return [statement_marker(rawtext, id=text)], []


def markup_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``:ins:`text``` and ``:del:`text``` — inserted and deleted text of a mark-up."""
    op = "insert" if name == "ins" else "delete"
    return [markup_span(rawtext, utils.unescape(text), op=op)], []


class ProposalDirective(Directive):
    required_arguments = 1
    option_spec = {
        name: directives.unchanged
        for name in (
            "issues-log-id",
            "title",
            "source",
            "date",
            "date-raised",
            "status",
            "references",
            "ts-version",
            "impact-on-previous",
            "attachments",
        )
    }

    def run(self):
        node = spec_proposal(irp=self.arguments[0], **self.options)
        node.line = self.lineno
        return [node]


class ChangeDirective(Directive):
    required_arguments = 1
    has_content = True
    option_spec = {
        "target": directives.unchanged_required,
        "instruction": directives.unchanged,
        "action": directives.unchanged_required,
        "term": directives.unchanged_required,
        "run-on": directives.unchanged,
        "problem": directives.unchanged,
        "revised-by": directives.unchanged,
        "revised-on": directives.unchanged,
    }

    def run(self):
        try:
            number = directives.positive_int(self.arguments[0])
        except ValueError:
            raise self.error(
                f"spec:change needs a change number, not '{self.arguments[0]}'"
            ) from None
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
        "edition": directives.unchanged_required,
        "title": directives.unchanged,
        "subtitle": directives.unchanged,
        "retired": directives.unchanged,
    }

    def run(self):
        node = spec_document(name=self.arguments[0], **self.options)
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
    option_spec = {"level": directives.nonnegative_int}

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
            level = directives.positive_int(self.arguments[0])
        except ValueError:
            raise self.error(
                f"spec:level needs a heading level of 1 or more, not '{self.arguments[0]}'"
            ) from None
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


@contextmanager
def registered() -> Iterator[None]:
    """Register the spec vocabulary with docutils for the duration of a parse, then restore."""
    saved_directives = {name: directives._directives.get(name) for name in DIRECTIVES}
    saved_roles = {name: roles._roles.get(name) for name in ROLES}
    try:
        for name, directive in DIRECTIVES.items():
            directives.register_directive(name, directive)
        for name, role in ROLES.items():
            roles.register_local_role(name, role)
        yield
    finally:
        for name, directive in saved_directives.items():
            if directive is None:
                directives._directives.pop(name, None)
            else:
                directives._directives[name] = directive
        for name, role in saved_roles.items():
            if role is None:
                roles._roles.pop(name, None)
            else:
                roles._roles[name] = role
