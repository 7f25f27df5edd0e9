"""The doctree nodes of the extension and how each builder renders them.

Only what standard docutils nodes cannot say gets a node of its own: a statement anchor, an
inserted or deleted run of text, a reference resolved when the page is written, a text whose
defined terms link to the glossary, a term's where-used list, a list item's label, and the
marker that says which edition a page shows.
HTML gets ``<span id=…>``, ``<ins>``, ``<del>`` and ``<a>``; every other builder renders the
text plainly (the text builder brackets insertions and deletions), so no builder meets a node
it was not taught.
"""

from __future__ import annotations

from html import escape

from docutils import nodes

from spectrace.sphinx.safelinks import is_safe


class statement_anchor(nodes.Inline, nodes.TextElement):
    """Where a statement starts; ``statement`` holds its stable id, the node's text shows it."""


class mark(nodes.Inline, nodes.TextElement):
    """Text an IRP inserted (``op`` "insert") or deleted ("delete"); ``irp`` and ``change``
    name the change when known, ``picture`` its label when it was read from a picture."""


class pending_ref(nodes.Inline, nodes.TextElement):
    """A reference resolved when the page is written: ``kind`` is clause, gloss, statement,
    irp or label; ``target`` what it names; ``refdoc`` the page it was written on; ``warn``
    whether a target that does not exist is worth a warning. Resolving sets ``refuri`` when the
    target exists; the node itself is rendered as the link, so resolving builds no nodes."""


class term_links(nodes.Inline, nodes.TextElement):
    """Running text (its one child) in which defined terms link to their glossary entries:
    ``links`` holds the (start, end, address) of each link in the text, in order. Rendered
    as the text with those spans as links, exactly as if each were a resolved ``gloss``
    reference; every builder but HTML renders just the text."""


class used_in(nodes.General, nodes.Element):
    """The statements that use a glossary term (``statements``), rendered as a list of links;
    resolving sets ``refuris``, one per statement (empty when the statement is missing)."""


class item_label(nodes.Inline, nodes.TextElement):
    """The written-out label of a list item (``:item:``) at the start of its paragraph."""


class edition_marker(nodes.Invisible, nodes.Element):
    """Which edition of which document a page shows (``document``, ``edition``) and how
    (``view``); read when the page is collected, then removed."""


# HTML --------------------------------------------------------------------------------------


def visit_statement_html(self, node: statement_anchor) -> None:
    ident = escape(node["statement"], quote=True)
    self.body.append(
        f'<span class="spectrace-st" id="{ident}">'
        f'<a class="spectrace-st-id" href="#{ident}" title="statement {ident}">{ident}</a>'
        "</span>"
    )
    raise nodes.SkipNode


def visit_pending_ref_html(self, node: pending_ref) -> None:
    self.body.append(
        _reference_html(node["kind"], self.encode(node.astext()), node.get("refuri"), node)
    )
    raise nodes.SkipNode


def _reference_html(kind: str, text: str, uri: str | None, node: nodes.Element) -> str:
    """Return a reference of ``kind`` showing ``text`` (encoded) as HTML: a link to ``uri``,
    or a span when it has none (missing, if ``node`` asked for a warning)."""
    classes = f"spectrace-ref spectrace-{kind}"
    if uri is not None and is_safe(uri):
        return f'<a class="{classes}" href="{escape(uri, quote=True)}">{text}</a>'
    state = "spectrace-missing" if node.get("warn") else "spectrace-unlinked"
    return f'<span class="{classes} {state}">{text}</span>'


def visit_term_links_html(self, node: term_links) -> None:
    text = node.astext()
    out = []
    position = 0
    for start, end, uri in node["links"]:
        out.append(self.encode(text[position:start]))
        out.append(_reference_html("gloss", self.encode(text[start:end]), uri, node))
        position = end
    out.append(self.encode(text[position:]))
    self.body.append("".join(out))
    raise nodes.SkipNode


#: Where-used lists longer than this are folded into a ``<details>`` element.
FOLD_USED = 12


def visit_used_in_html(self, node: used_in) -> None:
    links = []
    for statement, uri in zip(node["statements"], node.get("refuris") or [], strict=False):
        ident = escape(statement)
        safe = uri and is_safe(uri)
        links.append(f'<a href="{escape(uri, quote=True)}">{ident}</a>' if safe else ident)
    count = len(node["statements"])
    listed = ", ".join(links)
    if count > FOLD_USED:
        self.body.append(
            f'<details class="spectrace-used"><summary>Used in {count} statements</summary>'
            f"<p>{listed}</p></details>\n"
        )
    else:
        self.body.append(f'<p class="spectrace-used">Used in: {listed}</p>\n')
    raise nodes.SkipNode


def visit_used_in_text(self, node: used_in) -> None:
    self.new_state(0)
    self.add_text("Used in: " + ", ".join(node["statements"]))
    self.end_state()
    raise nodes.SkipNode


def visit_item_label_html(self, node: item_label) -> None:
    self.body.append(f'<span class="spectrace-item-label">{self.encode(node.astext())}</span>')
    raise nodes.SkipNode


def visit_mark_html(self, node: mark) -> None:
    inserted = node["op"] == "insert"
    attributes = {"CLASS": "spectrace-ins" if inserted else "spectrace-del"}
    if node.get("irp"):
        verb = "inserted" if inserted else "deleted"
        title = f"{verb} by {describe_change(node['irp'], node.get('change', 0))}"
        attributes["title"] = f"{title} ({node['picture']})" if node.get("picture") else title
    self.body.append(self.starttag(node, "ins" if inserted else "del", "", **attributes))


def depart_mark_html(self, node: mark) -> None:
    self.body.append("</ins>" if node["op"] == "insert" else "</del>")


# Other builders ----------------------------------------------------------------------------


def visit_plain(self, node: nodes.Element) -> None:
    """Render nothing of the node itself; its text is rendered as usual."""


def depart_plain(self, node: nodes.Element) -> None:
    pass


def skip(self, node: nodes.Element) -> None:
    raise nodes.SkipNode


def visit_mark_text(self, node: mark) -> None:
    self.add_text("[+" if node["op"] == "insert" else "[-")


def depart_mark_text(self, node: mark) -> None:
    self.add_text("+]" if node["op"] == "insert" else "-]")


PLAIN = (visit_plain, depart_plain)
SKIP = (skip, None)
OTHER_BUILDERS = ("latex", "text", "man", "texinfo")


def visitors() -> dict[type[nodes.Element], dict[str, tuple]]:
    """Return, per node class, the (visit, depart) pair of each builder family."""
    table: dict[type[nodes.Element], dict[str, tuple]] = {
        statement_anchor: {"html": (visit_statement_html, None)},
        mark: {
            "html": (visit_mark_html, depart_mark_html),
            "text": (visit_mark_text, depart_mark_text),
        },
        pending_ref: {"html": (visit_pending_ref_html, None)},
        term_links: {"html": (visit_term_links_html, None)},
        used_in: {"html": (visit_used_in_html, None), "text": (visit_used_in_text, None)},
        item_label: {"html": (visit_item_label_html, None)},
        edition_marker: {"html": SKIP},
    }
    for node_class, pairs in table.items():
        for builder in OTHER_BUILDERS:
            pairs.setdefault(builder, SKIP if node_class in (edition_marker, used_in) else PLAIN)
    return table


#: Where the roles and directives of the page being read note what they link to (in
#: ``env.temp_data``, which holds one page's state), each as a key of :func:`cited`: the
#: ``spec`` domain keeps them with the page, to know which pages to write again when the
#: targets of a proposal or an edition move.
CITED = "spectrace_cited"
#: The key of a link into the edition of the page it is on.
OWN_EDITION = "@"


def cited(kind: str, target: str) -> str:
    """Return what a reference of ``kind`` to ``target`` depends on, as a key: a proposal
    (``IRP603`` for ``irp``/``label`` targets), an edition (``SMETS@4.2``), any edition of
    a document (``SMETS@``: one named without its edition, the page's own or the only one
    built) or :data:`OWN_EDITION`. Targets are read as :mod:`.targets` resolves them."""
    if kind in ("irp", "label"):
        return target.partition("#")[0]
    if kind == "gloss":
        return OWN_EDITION
    head = target.rpartition(" ")[0]
    if not head:
        return OWN_EDITION
    document, _, edition = head.partition("@")
    return f"{document}@{edition}"


def note_cited(env, key: str) -> None:
    """Note that the page being read links to ``key`` (see :func:`cited`); nothing outside
    a Sphinx build (``env`` None)."""
    if env is not None:
        env.temp_data.setdefault(CITED, set()).add(key)


def describe_change(irp: str, change: int) -> str:
    """Return how a change is named in text: "IRP603 change 3", or "IRP603"."""
    return f"{irp} change {change}" if change else irp
