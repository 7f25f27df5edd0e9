"""The Sphinx directives take the arguments and options of spectrace's reader, declared once in
``readers/rst/markup.py``: a value the reader refuses is a warning in Sphinx too."""

from __future__ import annotations

import pytest

from spectrace.readers.rst import markup
from spectrace.sphinx import directives
from tests.sphinx.conftest import CONF, sphinx_build


def test_every_directive_both_know_has_one_option_spec():
    shared = [name for name in directives.DIRECTIVES if f"spec:{name}" in markup.DIRECTIVES]
    assert shared == [
        "document",
        "glossary",
        "item",
        "level",
        "proposal",
        "change",
        "heading",
    ]
    for name in shared:
        sphinx = directives.DIRECTIVES[name].option_spec
        assert sphinx is markup.DIRECTIVES[f"spec:{name}"].option_spec, name


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (".. spec:item:: (a)\n   :level: 65\n\n   Item.\n", "a list level of at most 64, not '65'"),
        (
            ".. spec:change:: 10000\n   :target: SMETS 5.6.1\n",
            "spec:change needs a change number of at most 9999, not '10000'",
        ),
        (".. spec:change:: 0\n", "spec:change needs a change number of 1 or more, not '0'"),
        (
            ".. spec:change:: 1\n   :source: scan\n",
            "'scan' is not a source; a mark-up not typed is read from a picture",
        ),
        (".. spec:change:: 1\n   :confidence: nan\n", "a number from 0 to 1, not 'nan'"),
        (".. spec:change:: 1\n   :confidence: 1.5\n", "a number from 0 to 1, not '1.5'"),
    ],
)
def test_a_value_the_reader_refuses_is_a_warning(rootdir, source, message):
    folder = rootdir / "src"
    folder.mkdir()
    (folder / "conf.py").write_text(CONF, encoding="utf-8")
    (folder / "index.rst").write_text("T\n=\n\n" + source, encoding="utf-8")
    assert message in sphinx_build(folder).warnings


ROWS = '   ["Data item", "Type"]\n   ["Security Log", "Log"]\n'


@pytest.mark.parametrize("head", [".. spec:rows:: 1\n\n", ".. spec:rows::\n   :header-rows: 1\n\n"])
def test_rows_take_their_header_count_as_argument_or_option(rootdir, head):
    folder = rootdir / "src"
    folder.mkdir()
    (folder / "conf.py").write_text(CONF, encoding="utf-8")
    (folder / "index.rst").write_text("T\n=\n\n" + head + ROWS, encoding="utf-8")
    page = sphinx_build(folder).html("index")
    assert '<thead>\n<tr class="row-odd"><th class="head"><p>Data item</p></th>' in page
    assert "<td><p>Security Log</p></td>" in page.split("<tbody>")[1]


def test_a_header_count_that_is_not_a_count_is_a_warning(rootdir):
    folder = rootdir / "src"
    folder.mkdir()
    (folder / "conf.py").write_text(CONF, encoding="utf-8")
    (folder / "index.rst").write_text("T\n=\n\n.. spec:rows:: one\n\n" + ROWS, encoding="utf-8")
    assert "spec:rows: the header rows are a count, not 'one'" in sphinx_build(folder).warnings
