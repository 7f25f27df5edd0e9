"""Document text is data in the published site: only http(s) and mailto become links.

docutils turns text that looks like a URI into a link, so a statement reading
``javascript:alert(document.domain)//`` was a live script link. The payloads below go into a
statement, a clause heading, a glossary definition and an IRP's title and description; every
page of the built site (spec pages, change views, glossary, IRP page, index, search,
traceability) is then checked: no link, image or form leads anywhere but within the site, to
the web or to mail, no script carries document text, and each payload is still shown as text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html

from spectrace.cli import cli
from spectrace.sphinx.safelinks import is_safe, scheme

PAYLOADS = [
    "javascript:alert(document.domain)//",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(2)</script>",
    "vbscript:msgbox(3)",
    "&#106;avascript:alert(4)",
    "&#x6A;avascript&#58;alert(5)",
    "java&#09;script:alert(6)",
    "file:///etc/passwd",
    "<script>alert(7)</script>",
    '<a href="javascript:alert(8)">eight</a>',
    "<img src=x onerror=alert(9)>",
    "`nine <javascript:alert(10)>`_",
]
#: The one script link Sphinx's own page template has (its search-highlight helper).
SPHINX_OWN = {"javascript:SphinxHighlight.hideSearchWords()"}
LINK_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "xlink:href")


def test_the_scheme_is_read_as_a_browser_reads_it():
    assert scheme("java\tscript:alert(1)") == "javascript"
    assert scheme(" \x01JaVa\nScRiPt:alert(1)") == "javascript"
    assert scheme("HTTPS://example.com") == "https"
    assert scheme("glossary.html#gloss-gsme") is None
    assert not is_safe("vbscript:msgbox(1)")
    assert not is_safe("data:text/html,x")
    assert is_safe("mailto:someone@example.com")
    assert is_safe("../SMETS/4.2/section-05.html#SMETS-5.7.5.31-1")


def _inject(project: Path) -> None:
    def edit(relative: str, old: str, new: str) -> None:
        path = project / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    joined = " ".join(PAYLOADS)
    edit(
        "specs/SMETS/4.2/section-04.rst",
        "within ten seconds of UTC.",
        f"within ten seconds of UTC, whatever {joined} says.",
    )
    heading = f"4.4.1 Clock {PAYLOADS[0]}"
    edit(
        "specs/SMETS/4.2/section-04.rst",
        "4.4.1 Clock\n~~~~~~~~~~~",
        f"{heading}\n{'~' * len(heading)}",
    )
    edit(
        "specs/SMETS/4.2/section-06.rst",
        "Gas Smart Metering Equipment meeting the requirements of Section 4.",
        f"Gas Smart Metering Equipment meeting the requirements of Section 4 ({joined}).",
    )
    edit(
        "specs/irps/IRP603.rst",
        ":title: Security Log display over HAN",
        f":title: Security Log {PAYLOADS[1]}",
    )
    edit(
        "specs/irps/IRP603.rst",
        "Should the Security Log be made available for display by the PPMID/IHD?",
        f"Should the Security Log be made available ({joined})?",
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    import shutil

    from tests.conftest import PROJECT_ROOT

    project = tmp_path_factory.mktemp("xss")
    shutil.copy(PROJECT_ROOT / "spectrace.toml", project / "spectrace.toml")
    shutil.copytree(PROJECT_ROOT / "specs", project / "specs")
    shutil.copytree(PROJECT_ROOT / "src" / "smartmeter", project / "src" / "smartmeter")
    shutil.copytree(PROJECT_ROOT / "tests" / "meter", project / "tests" / "meter")
    _inject(project)
    result = CliRunner().invoke(cli, ["--project", str(project), "-q", "build"])
    assert result.exit_code in (0, 1), result.output  # lint may find the payloads odd
    return project / "build" / "html"


def _pages(site: Path) -> list[Path]:
    """Every page of the site, and the standalone matrix page beside it."""
    return [*sorted(site.rglob("*.html")), site.parent / "trace" / "matrix.html"]


def test_every_page_type_was_built(site):
    names = {page.relative_to(site).as_posix() for page in _pages(site)[:-1]}
    for expected in (
        "index.html",
        "search.html",
        "traceability.html",
        "irps/IRP603.html",
        "SMETS/4.2/section-04.html",
        "SMETS/4.2/section-06.html",
        "SMETS/4.2+IRP603/section-04.html",
        "SMETS/4.2+IRP603/changes.html",
        "SMETS/4.2+IRP603/glossary.html",
    ):
        assert expected in names


def test_no_link_in_any_page_leads_outside_the_web_or_mail(site):
    unsafe = []
    for page in _pages(site):
        tree = html.parse(str(page))
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            for attribute in LINK_ATTRIBUTES:
                value = element.get(attribute)
                if value is not None and not is_safe(value) and value not in SPHINX_OWN:
                    unsafe.append((page.name, element.tag, value))
            handlers = [name for name in element.attrib if name.lower().startswith("on")]
            if handlers:
                unsafe.append((page.name, element.tag, handlers))
    assert unsafe == []


def test_no_script_carries_document_text(site):
    for page in _pages(site):
        tree = html.parse(str(page))
        for script in tree.iter("script"):
            assert "alert(" not in (script.text or ""), page


@pytest.mark.parametrize(
    "page",
    [
        "SMETS/4.2/section-04.html",
        "SMETS/4.2+IRP603/section-04.html",
        "SMETS/4.2/section-06.html",
        "SMETS/4.2/glossary.html",
        "irps/IRP603.html",
        "traceability.html",
    ],
)
def test_each_payload_is_still_shown_as_text(site, page):
    shown = re.sub(r"\s+", " ", html.parse(str(site / page)).getroot().text_content())
    for payload in PAYLOADS:
        if "`" in payload:  # RST link syntax: its text is kept, whatever docutils makes of it
            continue
        assert payload in shown, payload
