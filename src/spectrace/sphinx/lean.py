"""Skip the transforms that cannot change a page: ``spectrace_lean = True``.

Sphinx and docutils run some sixty transforms over every page, most of them walking the whole
doctree for nodes that a page of spectrace's site never holds: code blocks, images, footnotes,
citations, substitutions, index entries, translation placeholders, C and C++ aliases. On a
10,000-clause edition those walks cost as much as parsing the pages.

With ``spectrace_lean`` on, each page is walked once after it is parsed (and translated), and
once more before its post-transforms, for the classes of node it holds (:func:`census`); a
transform listed in :data:`ONLY_ON` then runs only on a page holding a node of one of the
classes it acts on. Skipping it elsewhere leaves the page as it would have been: each of them
does nothing but look for those nodes. The one exception is
``TranslationProgressTotaliser``, which notes a count on the page that only the
``|translation progress|`` substitution reads. The census is exact only if no other transform
makes such nodes between the census and the transform that looks for them: true of Sphinx's
and docutils' own transforms and of this extension, not of any extension. So this is for the
site spectrace generates (its ``conf.py`` turns it on), never the default.
"""

from __future__ import annotations

import importlib
import weakref
from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

_SUBSTITUTION = ("docutils.nodes.substitution_reference",)
_TARGET = ("docutils.nodes.target",)
_CODE = ("docutils.nodes.literal_block", "docutils.nodes.doctest_block")
_FOOTNOTE = ("docutils.nodes.footnote", "docutils.nodes.footnote_reference")

#: Transform (module.class) -> the node classes it looks for: it changes nothing on a page
#: holding none of them.
ONLY_ON: dict[str, tuple[str, ...]] = {
    # Read: docutils' reader transforms.
    "docutils.transforms.references.Substitutions": _SUBSTITUTION,
    "docutils.transforms.references.PropagateTargets": _TARGET,
    "docutils.transforms.references.AnonymousHyperlinks": ("docutils.nodes.reference", *_TARGET),
    "docutils.transforms.references.ExternalTargets": _TARGET,
    "docutils.transforms.references.InternalTargets": _TARGET,
    "docutils.transforms.misc.Transitions": ("docutils.nodes.transition",),
    # Read: Sphinx's transforms.
    "sphinx.transforms.i18n.TranslationProgressTotaliser": _SUBSTITUTION,
    "sphinx.transforms.i18n.RemoveTranslatableInline": ("docutils.nodes.inline",),
    "sphinx.transforms.DefaultSubstitutions": _SUBSTITUTION,
    "sphinx.transforms.MoveModuleTargets": _TARGET,
    "sphinx.transforms.HandleCodeBlocks": ("docutils.nodes.block_quote",),
    "sphinx.transforms.AutoIndexUpgrader": ("sphinx.addnodes.index",),
    "sphinx.transforms.ReorderConsecutiveTargetAndIndexNodes": _TARGET,
    "sphinx.transforms.DoctestTransform": ("docutils.nodes.doctest_block",),
    "sphinx.transforms.GlossarySorter": ("sphinx.addnodes.glossary",),
    "sphinx.domains.citation.CitationDefinitionTransform": ("docutils.nodes.citation",),
    "sphinx.domains.citation.CitationReferenceTransform": ("docutils.nodes.citation_reference",),
    "sphinx.builders.latex.transforms.FootnoteDocnameUpdater": _FOOTNOTE,
    "sphinx.transforms.references.SphinxDanglingReferences": (
        "docutils.nodes.reference",
        "docutils.nodes.footnote_reference",
        "docutils.nodes.citation_reference",
        *_TARGET,
    ),
    # Post-transforms.
    "spectrace.sphinx.safelinks.SafeLinks": ("docutils.nodes.reference", "docutils.nodes.image"),
    "sphinx.domains.c.AliasTransform": ("sphinx.domains.c.AliasNode",),
    "sphinx.domains.cpp.AliasTransform": ("sphinx.domains.cpp.AliasNode",),
    "sphinx.transforms.post_transforms.OnlyNodeTransform": ("sphinx.addnodes.only",),
    "sphinx.transforms.post_transforms.PropagateDescDomain": ("sphinx.addnodes.desc_signature",),
    "sphinx.transforms.post_transforms.images.ImageDownloader": ("docutils.nodes.image",),
    "sphinx.transforms.post_transforms.images.DataURIExtractor": ("docutils.nodes.image",),
    "sphinx.transforms.post_transforms.code.HighlightLanguageTransform": (
        "sphinx.addnodes.highlightlang",
        "docutils.nodes.literal_block",
    ),
    "sphinx.transforms.post_transforms.code.TrimDoctestFlagsTransform": _CODE,
}

#: The node classes each page held at its last census (see :class:`PostCensus`).
_HELD: weakref.WeakKeyDictionary[nodes.document, frozenset[type]] = weakref.WeakKeyDictionary()


def census(document: nodes.document) -> frozenset[type]:
    """Return the classes of the nodes in ``document`` (one walk)."""
    held: set[type] = set()
    stack: list[nodes.Node] = [document]
    while stack:
        node = stack.pop()
        held.add(type(node))
        stack.extend(node.children)
    return frozenset(held)


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _classes(names: tuple[str, ...]) -> tuple[type, ...] | None:
    """Return the node classes named, or None if one does not exist in this Sphinx."""
    found = []
    for name in names:
        module, _, attribute = name.rpartition(".")
        try:
            found.append(getattr(importlib.import_module(module), attribute))
        except (ImportError, AttributeError):
            return None
    return tuple(found)


#: ONLY_ON with the classes imported (a transform whose classes are not found is never skipped).
_ONLY_ON: dict[str, tuple[type, ...]] = {
    transform: classes
    for transform, names in ONLY_ON.items()
    if (classes := _classes(names)) is not None
}


def idle(transform: type, held: frozenset[type]) -> bool:
    """Return whether ``transform`` would change nothing on a page holding nodes of ``held``."""
    looks_for = _ONLY_ON.get(_name(transform))
    return looks_for is not None and not any(issubclass(cls, looks_for) for cls in held)


class ReadCensus(SphinxTransform):
    """Drop the transforms still to run on a page just read that would change nothing."""

    # After i18n.Locale (20), the last transform that could put new kinds of node on the page.
    default_priority = 21

    def apply(self, **kwargs: Any) -> None:
        transformer = getattr(self.document, "transformer", None)
        if not self.config.spectrace_lean or transformer is None:
            return
        held = census(self.document)
        transformer.transforms[:] = [
            queued for queued in transformer.transforms if not idle(queued[1], held)
        ]


class PostCensus(SphinxPostTransform):
    """Note the node classes of a page about to be written, for the post-transforms that run
    only where they can change something (:func:`lean_post_transforms`)."""

    default_priority = 0

    def run(self, **kwargs: Any) -> None:
        if self.config.spectrace_lean:
            _HELD[self.document] = census(self.document)


def _skips_when_idle(transform: type[SphinxTransform]) -> type[SphinxTransform]:
    """Return a subclass of a post-transform that does nothing on a page the census found
    nothing for it on."""

    class Lean(transform):  # type: ignore[valid-type,misc]
        def apply(self, **kwargs: Any) -> None:
            held = _HELD.get(self.document)
            if held is None or not idle(transform, held):
                super().apply(**kwargs)

    Lean.__name__ = Lean.__qualname__ = transform.__name__
    return Lean


def lean_post_transforms(app) -> None:
    """Make the registered post-transforms listed in :data:`ONLY_ON` skip pages without their
    nodes (``builder-inited``, when ``spectrace_lean`` is on)."""
    if not app.config.spectrace_lean:
        return
    registered = app.registry.post_transforms
    registered[:] = [
        _skips_when_idle(transform) if _name(transform) in _ONLY_ON else transform
        for transform in registered
    ]
