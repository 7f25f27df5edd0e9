"""The roles: ``:st:``, ``:ins:``/``:del:`` and the references ``:clause:``, ``:gloss:``,
``:statement:`` and ``:irp:``.

A reference role only records what it names (a :class:`~.nodes.pending_ref`); it is resolved
when the page is written, once every page has been read (:mod:`.targets`).

Targets:

- ``:clause:`SMETS 5.6.1```, ``:clause:`SMETS@4.2+IRP603 5.6.1```, or ``:clause:`5.6.1``` for a
  clause of the page's own document; the page's edition is implied unless one is written.
- ``:gloss:`Security Log``` — the glossary entry of the page's edition.
- ``:statement:`SMETS-5.6.1-1``` or ``:statement:`SMETS@4.2 SMETS-5.6.1-1```.
- ``:irp:`IRP603``` or ``:irp:`IRP603#3``` — a proposal's page, or one of its changes.

Each takes an explicit title: ``:clause:`Section 5.6.1 <SMETS 5.6.1>```.
``:ins:`text <IRP603#3>``` labels an insertion (or deletion) with the change that made it (an
unlabelled mark right before a labelled one belongs to the same change: ``:del:`old`
:ins:`new <IRP603#3>``` is one replacement with one label);
``:item:`(iii)``` starts a list item's paragraph with its label (``:item:`(iii) <2>``` at level 2).
"""

from __future__ import annotations

import re
from typing import TypeVar

from docutils import nodes, utils
from sphinx.util.nodes import split_explicit_title

from spectrace.errors import AddressError
from spectrace.model.refs import (
    DOCUMENT_NAME_PATTERN,
    EDITION_PATTERN,
    GLOSSARY,
    IRP_NUMBER_PATTERN,
    is_clause_number,
    is_statement_id,
    parse_address,
)
from spectrace.sphinx.nodes import (
    cited,
    describe_change,
    item_label,
    mark,
    note_cited,
    pending_ref,
    statement_anchor,
)

CHANGE_LABEL = re.compile(rf"^(?P<irp>{IRP_NUMBER_PATTERN})(?:#(?P<change>\d+))?\Z")
_GLOSSARY = re.compile(rf"^{DOCUMENT_NAME_PATTERN}(?:@{EDITION_PATTERN})? {GLOSSARY}\Z")
_STATEMENT_TARGET = re.compile(
    rf"^(?:(?P<doc>{DOCUMENT_NAME_PATTERN})@(?P<edition>{EDITION_PATTERN})\s+)?(?P<id>\S+)\Z"
)


_T = TypeVar("_T", bound=nodes.TextElement)


def _inline(node_class: type[_T], rawsource: str, text: str, **attributes) -> _T:
    """Return ``node_class(rawsource, text, **attributes)``, its text node added directly: a
    node just made has no document for docutils' bookkeeping to pass on, and the roles make
    tens of thousands of them."""
    node = node_class(rawsource, **attributes)
    if text:
        child = nodes.Text(text)
        child.parent = node
        node.children.append(child)
    return node


def _env(inliner):
    """Return the Sphinx environment the page is read in (None outside Sphinx)."""
    return getattr(inliner.document.settings, "env", None)


def _docname(inliner) -> str:
    env = _env(inliner)
    return env.docname if env is not None else ""


def _fail(inliner, rawtext: str, lineno: int, message: str):
    error = inliner.reporter.error(message, line=lineno)
    return [inliner.problematic(rawtext, rawtext, error)], [error]


def statement_role(name, rawtext, text, lineno, inliner, options=None, content=()):
    """``:st:`SMETS-5.6.1-1``` — the start of a statement: an anchor with the id shown."""
    if not is_statement_id(text):
        return _fail(inliner, rawtext, lineno, f"'{text}' is not a statement id")
    return [_inline(statement_anchor, rawtext, text, statement=text)], []


def mark_role(name, rawtext, text, lineno, inliner, options=None, content=()):
    """``:ins:`text``` / ``:del:`text```, optionally labelled ``:ins:`text <IRP603#3>```."""
    op = "insert" if name.endswith("ins") else "delete"
    explicit, title, target = split_explicit_title(text)
    label = CHANGE_LABEL.match(utils.unescape(target)) if explicit else None
    shown = utils.unescape(title if label else text)
    if not label:
        return [_inline(mark, rawtext, shown, op=op)], []
    irp, change = label["irp"], int(label["change"] or 0)
    note_cited(_env(inliner), irp)
    node = _inline(mark, rawtext, shown, op=op, irp=irp, change=change)
    reference = _inline(
        pending_ref,
        "",
        f"[{describe_change(irp, change)}]",
        kind="label",
        target=label.group(0),
        refdoc=_docname(inliner),
        warn=False,
    )
    return [node, nodes.Text(" "), reference], []


def clause_role(name, rawtext, text, lineno, inliner, options=None, content=()):
    """``:clause:`SMETS 5.6.1``` — a link to the clause in the page's edition
    (``:clause:`SMETS Glossary``` to the glossary)."""
    explicit, title, target = split_explicit_title(text)
    target = " ".join(utils.unescape(target).split())
    if not is_clause_number(target) and not _GLOSSARY.match(target):
        try:
            parse_address(target)
        except AddressError as exc:
            return _fail(inliner, rawtext, lineno, exc.message)
    return [_reference(rawtext, title if explicit else target, "clause", target, inliner)], []


def gloss_role(name, rawtext, text, lineno, inliner, options=None, content=()):
    """``:gloss:`Security Log``` — a link to the term in the glossary of the page's edition."""
    explicit, title, target = split_explicit_title(text)
    target = " ".join(utils.unescape(target).split())
    return [_reference(rawtext, title if explicit else target, "gloss", target, inliner)], []


def statement_ref_role(name, rawtext, text, lineno, inliner, options=None, content=()):
    """``:statement:`SMETS-5.6.1-1``` — a link to the statement's anchor."""
    explicit, title, target = split_explicit_title(text)
    target = " ".join(utils.unescape(target).split())
    match = _STATEMENT_TARGET.match(target)
    if not match or not is_statement_id(match["id"]):
        return _fail(inliner, rawtext, lineno, f"'{target}' is not a statement id")
    return [
        _reference(rawtext, title if explicit else match["id"], "statement", target, inliner)
    ], []


def irp_role(name, rawtext, text, lineno, inliner, options=None, content=()):
    """``:irp:`IRP603``` or ``:irp:`IRP603#3``` — a link to a proposal or one of its changes."""
    explicit, title, target = split_explicit_title(text)
    target = utils.unescape(target).strip()
    match = CHANGE_LABEL.match(target)
    if not match:
        return _fail(
            inliner, rawtext, lineno, f"'{target}' is not an IRP (IRP603) or change (IRP603#3)"
        )
    shown = title if explicit else describe_change(match["irp"], int(match["change"] or 0))
    return [_reference(rawtext, shown, "irp", target, inliner)], []


def item_role(name, rawtext, text, lineno, inliner, options=None, content=()):
    """``:item:`(iii)``` at the start of a paragraph: a list item with that label;
    ``:item:`(iii) <2>``` nests it at level 2. The paragraph gets the item's classes."""
    explicit, title, target = split_explicit_title(text)
    level = utils.unescape(target).strip() if explicit else "0"
    if not level.isdigit():
        return _fail(inliner, rawtext, lineno, f"'{level}' is not a list level (0, 1, 2, …)")
    label = utils.unescape(title if explicit else text)
    return [_inline(item_label, rawtext, label, level=int(level))], []


def _reference(rawtext: str, title: str, kind: str, target: str, inliner) -> pending_ref:
    note_cited(_env(inliner), cited(kind, target))
    return _inline(
        pending_ref,
        rawtext,
        utils.unescape(title),
        kind=kind,
        target=target,
        refdoc=_docname(inliner),
        warn=True,
    )


ROLES = {
    "st": statement_role,
    "ins": mark_role,
    "del": mark_role,
    "clause": clause_role,
    "gloss": gloss_role,
    "statement": statement_ref_role,
    "irp": irp_role,
    "item": item_role,
}
