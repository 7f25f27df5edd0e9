"""The Sphinx extension labels a change read from a picture (``:source: picture``): its head
says so with its confidence, its corrections are listed, an unverified reason is shown as a
problem, and the marks it made, on any page, say so in their tooltip."""

from __future__ import annotations

import re
from pathlib import Path

from tests.sphinx.conftest import sphinx_build
from tests.sphinx.test_domain import assert_same, build, write

INDEX = """\
.. spec:document:: DOC
   :edition: 1
   :title: A document

.. toctree::

   one
   two
   irp
   marks
"""

ONE = """\
1 Timekeeping
=============

:st:`DOC-1-1` The Meter shall keep time within ten seconds of UTC.
"""

TWO = """\
2 Logging
=========

:st:`DOC-2-1` The Meter shall log every Event.
"""

IRP = """\
IRP9
====

.. spec:proposal:: IRP9
   :title: Pictures

.. spec:change:: 1
   :target: DOC 1
   :instruction: At DOC 1 amend the text as shown:
   :source: picture
   :confidence: 0.9
   :corrections: 'tirne' -> 'time'; 'UTG' -> 'UTC'

   The Meter shall keep time within :del:`ten` :ins:`five` seconds of UTC.

.. spec:change:: 2
   :target: DOC 2
   :source: picture
   :unverified: the picture lacks 'Event' <script>alert(1)</script>

   The Meter shall log every :ins:`new` Event.

.. spec:change:: 3
   :target: DOC 2
   :problem: the mark-up is an image <img>
   :source: picture
   :unverified: not yet checked

   The Meter shall log every :ins:`old` Event.

.. spec:change:: 4
   :target: DOC 1
   :action: insert_clause
   :after: 1
   :source: picture
   :confidence: 0.75

   :ins:`1A New clause`
"""

MARKS = """\
Changes
=======

The Meter shall keep time within :del:`ten` :ins:`five <IRP9#1>` seconds of UTC.

The Meter shall log every :ins:`typed <IRP9#5>` Event.
"""

SOURCES = {"index": INDEX, "one": ONE, "two": TWO, "irp": IRP, "marks": MARKS}


def _built(rootdir: Path, sources: dict[str, str] = SOURCES, builder: str = "html"):
    """Build ``sources`` as the site does (no smart quotes) in ``rootdir``."""
    source = rootdir / "src"
    rootdir.mkdir(exist_ok=True)
    write(source, sources)
    return sphinx_build(source, builder, smartquotes=False)


def _change(html: str, number: int) -> str:
    """Return the HTML of change ``number`` of IRP9."""
    start = html.index(f'id="IRP9-change-{number}"')
    end = html.find('id="IRP9-change-', start + 1)
    return html[start : end if end != -1 else len(html)]


def _titles(html: str) -> dict[str, str]:
    """Return {marked text: title} of the page's marks."""
    return {
        text: title
        for title, text in re.findall(r'<(?:ins|del) class="[^"]*" title="([^"]*)">([^<]*)<', html)
    }


def test_the_head_of_a_picture_change_says_it_was_read_from_a_picture(rootdir):
    html = _built(rootdir).html("irp")
    label = '<span class="spectrace-picture">(read from a picture, confidence 0.90)</span>'
    assert label in _change(html, 1).split("</p>")[0]
    assert '<span class="spectrace-picture">(read from a picture)</span>' in _change(html, 2)
    # after a structural action's own bracket
    head = _change(html, 4).split("</p>")[0]
    assert head.endswith("(insert clause after 1) <span class=\"spectrace-picture\">"
                          "(read from a picture, confidence 0.75)</span>")  # fmt: skip


def test_the_corrections_are_listed(rootdir):
    change = _change(_built(rootdir).html("irp"), 1)
    assert (
        '<p class="spectrace-corrections">Corrected against the clause: '
        "'tirne' -&gt; 'time'; 'UTG' -&gt; 'UTC'</p>"
    ) in change
    assert "spectrace-problem" not in change


def test_an_unverified_reason_is_a_problem_and_stays_text(rootdir):
    change = _change(_built(rootdir).html("irp"), 2)
    assert (
        '<p class="spectrace-problem">Unverified, so not applied: the picture lacks '
        "'Event' &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    ) in change
    assert "<script>" not in change


def test_a_problem_given_says_why_and_the_unverified_reason_is_not_repeated(rootdir):
    change = _change(_built(rootdir).html("irp"), 3)
    assert "Not applied: the mark-up is an image &lt;img&gt;" in change
    assert "Unverified" not in change and "not yet checked" not in change


def test_a_typed_change_has_no_label(rootdir):
    built = _built(rootdir)
    assert "spectrace-picture" not in built.html("marks").split("Changes", 1)[1]
    typed = IRP.replace("   :source: picture\n", "")
    html = _built(rootdir / "typed", {**SOURCES, "irp": typed}).html("irp")
    assert "read from a picture" not in html and "spectrace-corrections" in html


def test_the_marks_of_a_picture_change_say_so_in_their_tooltip(rootdir):
    built = _built(rootdir)
    assert built.warnings == ""
    titles = _titles(built.html("marks"))
    assert titles["five"] == "inserted by IRP9 change 1 (read from a picture, confidence 0.90)"
    assert titles["ten"] == "deleted by IRP9 change 1 (read from a picture, confidence 0.90)"
    assert titles["typed"] == "inserted by IRP9 change 5"  # a change not read from a picture


def test_the_text_builder_shows_the_label(rootdir):
    text = " ".join(_built(rootdir, builder="text").text("irp").split())
    assert "**Change 1**: DOC 1 (read from a picture, confidence 0.90)" in text
    assert "Corrected against the clause: 'tirne' -> 'time'" in text


def test_an_incremental_rebuild_after_a_change_is_checked_matches_a_fresh_build(rootdir):
    # the IRP page stops saying change 1 was read from a picture: the marks on the other page
    # must lose their label too
    typed = IRP.replace("   :source: picture\n   :confidence: 0.9\n", "", 1)
    again, fresh = rebuild_with(rootdir, {**SOURCES, "irp": typed})
    assert_same(again, fresh)
    assert "read from a picture" not in again.pages["marks.html"].decode()


def test_a_parallel_build_matches_a_serial_one(rootdir):
    source = rootdir / "src"
    write(source, SOURCES)
    serial = build(source, rootdir / "serial", fresh=True)
    parallel = build(source, rootdir / "parallel", fresh=True, parallel=2)
    assert parallel.data == serial.data and parallel.pages == serial.pages
    assert serial.data["pages"]["irp"].pictures == {
        "IRP9#1": "read from a picture, confidence 0.90",
        "IRP9#2": "read from a picture",
        "IRP9#3": "read from a picture",
        "IRP9#4": "read from a picture, confidence 0.75",
    }


def rebuild_with(rootdir: Path, changed: dict[str, str]):
    """Build SOURCES, change them to ``changed``, and return the incremental and a fresh
    build (as test_domain's rebuild, with this module's sources)."""
    source = rootdir / "src"
    write(source, SOURCES)
    first = build(source, rootdir / "incremental", fresh=True)
    assert "five" in first.pages["marks.html"].decode()
    assert "read from a picture" in first.pages["marks.html"].decode()
    write(source, changed)
    again = build(source, rootdir / "incremental", fresh=False)
    fresh = build(source, rootdir / "fresh", fresh=True)
    return again, fresh
