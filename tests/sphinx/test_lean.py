"""``spectrace_lean``: the transforms it skips would have changed nothing, so a lean build and
a full build of the same pages give the same bytes — whatever the pages hold."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from spectrace.api import publish_html
from spectrace.config import load_project
from spectrace.site import build_html
from spectrace.sphinx.lean import ONLY_ON, census, idle
from tests.sphinx.conftest import PROJECT_ROOT, spec_project, sphinx_build

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

#: A page with a node of (nearly) every class a skipped transform looks for.
EVERYTHING = """\
Everything
==========

.. |today-ish| replace:: *a substitution*
.. |progress| replace:: |translation progress|

Text with |today-ish|, |release| and |progress|, a footnote [#note]_, a citation [CIT2024]_,
an `anonymous link`__, a `named link`_, a bare https://example.org/x and javascript:alert(1),
and :download:`a download <pixel.png>`.

__ https://example.org/anonymous
.. _named link: https://example.org/named
.. _internal:

A target above this paragraph, referred to as internal_.

.. [#note] The footnote.
.. [CIT2024] The citation.

----------

.. highlight:: python

::

    >>> print("doctest flags")  # doctest: +SKIP
    doctest flags

>>> 1 + 1
2

    >>> quoted = "a doctest block in a block quote"

.. code-block:: c
   :caption: A numbered listing

   int main(void) { return 0; }

.. image:: pixel.png
.. figure:: pixel.png

   A figure caption.

.. only:: html

   Only in HTML.

.. only:: latex

   Only in LaTeX.

.. index:: single: entry; sub-entry

.. glossary::
   :sorted:

   Zebra
      Last.

   Aardvark
      First.

.. py:module:: example

.. c:function:: int f(int x)

.. c:alias:: f

.. cpp:function:: void g()

.. cpp:alias:: g()

:st:`SMETS-9.9-1` A statement, see :clause:`SMETS 5.6.1` and :gloss:`ESME`.
"""


def _twins(root: Path, pages: dict[str, str]) -> tuple[Path, Path]:
    """Return two copies of the bundled SMETS 4.2 sources plus ``pages``: full and lean."""
    made = []
    for name in ("full", "lean"):
        source = spec_project(root / name)
        for page, text in pages.items():
            (source / f"{page}.rst").write_text(text, encoding="utf-8")
        (source / "pixel.png").write_bytes(PNG)
        made.append(source)
    return made[0], made[1]


def _same_bytes(full: Path, lean: Path) -> int:
    """Assert that two outputs hold the same files with the same bytes; return how many."""
    names = sorted(p.relative_to(full) for p in full.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(lean) for p in lean.rglob("*") if p.is_file())
    for name in names:
        assert (full / name).read_bytes() == (lean / name).read_bytes(), name
    return len(names)


@pytest.mark.parametrize(
    "pages",
    [
        {},
        {"everything": ":orphan:\n\n" + EVERYTHING},
        {"plain": ":orphan:\n\nPlain\n=====\n\nNothing but text and :st:`SMETS-9.9-2`.\n"},
    ],
    ids=["spec-only", "every-kind-of-node", "plain-page"],
)
def test_a_lean_build_writes_the_same_bytes_as_a_full_one(rootdir, pages):
    full, lean = _twins(rootdir, pages)
    built = sphinx_build(full)
    lean_built = sphinx_build(lean, spectrace_lean=True)
    assert lean_built.warnings == built.warnings.replace(str(full), str(lean))
    assert _same_bytes(built.out, lean_built.out) > 20


def test_the_published_site_is_lean_and_the_same_bytes_as_a_full_build(tmp_path):
    keep = tmp_path / "sources"
    publish_html(load_project(PROJECT_ROOT), tmp_path / "published", sources=keep)
    conf = keep / "conf.py"
    assert "\nspectrace_lean = True\n" in conf.read_text(encoding="utf-8")
    build_html(keep, tmp_path / "lean")
    conf.write_text(conf.read_text(encoding="utf-8").replace("spectrace_lean = True", ""))
    build_html(keep, tmp_path / "full")
    assert _same_bytes(tmp_path / "full", tmp_path / "lean") > 30


def test_a_transform_is_idle_only_on_a_page_without_the_nodes_it_looks_for():
    from docutils.core import publish_doctree
    from sphinx.transforms.post_transforms.code import HighlightLanguageTransform

    prose = census(publish_doctree("Just a paragraph.\n"))
    code = census(publish_doctree("A listing::\n\n   x = 1\n"))
    step = f"{HighlightLanguageTransform.__module__}.{HighlightLanguageTransform.__name__}"
    assert idle(step, prose)
    assert not idle(step, code)


def test_every_step_named_exists_in_this_sphinx():
    import importlib

    for name in ONLY_ON:
        module, _, attribute = name.rpartition(".")
        if attribute in ("process_doc", "post_process_images"):
            module, _, owner = module.rpartition(".")
            assert hasattr(getattr(importlib.import_module(module), owner), attribute), name
        else:
            assert hasattr(importlib.import_module(module), attribute), name
