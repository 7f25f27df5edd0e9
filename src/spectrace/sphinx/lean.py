"""Skip the transforms that cannot change a page: ``spectrace_lean = True``.

Sphinx and docutils run some sixty transforms over every page, most of them walking the whole
doctree for nodes that a page of spectrace's site never holds: code blocks, images, footnotes,
citations, substitutions, index entries, translation placeholders, C and C++ aliases. On a
10,000-clause edition those walks cost as much as parsing the pages.

With ``spectrace_lean`` on, each page is walked once after it is parsed, and once more before
its post-transforms, for the classes of node it holds (:func:`census`); a transform, event
handler or builder step listed in :data:`ONLY_ON` then runs only on a page holding a node of
one of the classes it acts on. Skipping it elsewhere leaves the page as it would have been:
each of them does nothing but look for those nodes. The one exception is
``TranslationProgressTotaliser``, which notes a count on the page that only the
``|translation progress|`` substitution reads.

The census is exact only if nothing makes a new kind of node between the census and the step
that looks for it. Of Sphinx's and docutils' own steps and this extension's, only a translation
(``Locale``, right after the census) could, so a project with a translation catalog folder is
never lean; any other extension might. So this is for the site spectrace generates (its
``conf.py`` turns it on), never the default.
"""

from __future__ import annotations

import importlib
import weakref
from collections.abc import Callable
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
    "sphinx.transforms.i18n.PreserveTranslatableMessages": ("sphinx.addnodes.translatable",),
    # Read: what the page offers, collected once it is read (doctree-read).
    "sphinx.environment.collectors.asset.ImageCollector.process_doc": ("docutils.nodes.image",),
    "sphinx.environment.collectors.asset.DownloadFileCollector.process_doc": (
        "sphinx.addnodes.download_reference",
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
    # Write: the builder picks each image's file.
    "sphinx.builders.Builder.post_process_images": ("docutils.nodes.image",),
}

#: The node classes each page held at its last census.
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


def idle(step: str, held: frozenset[type]) -> bool:
    """Return whether ``step`` (a name in :data:`ONLY_ON`) would change nothing on a page
    holding nodes of ``held``."""
    looks_for = _ONLY_ON.get(step)
    return looks_for is not None and not any(issubclass(cls, looks_for) for cls in held)


def _skips(step: str, document: nodes.document) -> bool:
    held = _HELD.get(document)
    return held is not None and idle(step, held)


class ReadCensus(SphinxTransform):
    """Note the node classes of a page just parsed, and drop the transforms still to run on it
    that would change nothing."""

    # Before the first of the transforms it drops, and before i18n.Locale (20).
    default_priority = 9

    def apply(self, **kwargs: Any) -> None:
        transformer = getattr(self.document, "transformer", None)
        if not self.config.spectrace_lean or transformer is None or self._translated():
            return
        held = _HELD[self.document] = census(self.document)
        transformer.transforms[:] = [
            queued for queued in transformer.transforms if not idle(_name(queued[1]), held)
        ]

    def _translated(self) -> bool:
        """Return whether Locale might translate the page: a catalog folder exists."""
        return any((self.env.srcdir / folder).is_dir() for folder in self.config.locale_dirs)


class PostCensus(SphinxPostTransform):
    """Note the node classes of a page about to be written, for the steps after it that run
    only where they can change something (:func:`lean_steps`)."""

    default_priority = 0

    def run(self, **kwargs: Any) -> None:
        if self.config.spectrace_lean:
            _HELD[self.document] = census(self.document)


def _post_transform(transform: type[SphinxTransform]) -> type[SphinxTransform]:
    """Return a subclass of a post-transform that does nothing on a page the census found
    nothing for it on."""
    step = _name(transform)

    class Lean(transform):  # type: ignore[valid-type,misc]
        def apply(self, **kwargs: Any) -> None:
            if not _skips(step, self.document):
                super().apply(**kwargs)

    Lean.__name__ = Lean.__qualname__ = transform.__name__
    return Lean


def _handler(step: str, handler: Callable[[Any, nodes.document], None]):
    """Return a doctree-read handler that does nothing on a page the census found nothing
    for it on."""

    def lean(app, doctree: nodes.document) -> None:
        if not _skips(step, doctree):
            handler(app, doctree)

    return lean


def lean_steps(app) -> None:
    """Make the post-transforms, doctree-read handlers and builder steps listed in
    :data:`ONLY_ON` skip pages without their nodes (``builder-inited``, when
    ``spectrace_lean`` is on)."""
    if not app.config.spectrace_lean:
        return
    registered = app.registry.post_transforms
    registered[:] = [
        _post_transform(transform) if _name(transform) in _ONLY_ON else transform
        for transform in registered
    ]
    listeners = app.events.listeners["doctree-read"]  # replaced in place: order kept
    for index, listener in enumerate(listeners):
        owner = getattr(listener.handler, "__self__", None)
        step = f"{_name(type(owner))}.{getattr(listener.handler, '__name__', '')}"
        if owner is not None and step in _ONLY_ON:
            listeners[index] = listener._replace(handler=_handler(step, listener.handler))
    images = app.builder.post_process_images
    step = "sphinx.builders.Builder.post_process_images"

    def post_process_images(doctree: nodes.Node) -> None:
        if not (isinstance(doctree, nodes.document) and _skips(step, doctree)):
            images(doctree)

    app.builder.post_process_images = post_process_images
