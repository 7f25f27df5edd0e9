"""The matrix as HTML: the standalone matrix.html, and the Traceability page of the site."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from spectrace.api import amend_project, load_project_documents, project_proposals
from spectrace.config import load_project
from spectrace.fileio import replaced_folder
from spectrace.findings import Code, in_file
from spectrace.site import PublishError, build_html, write_html, write_site_sources
from spectrace.trace.html import chart, render_matrix_html
from spectrace.trace.matrix import Matrix
from spectrace.trace.model import Action, ChangeRef, Evidence, Link, Row, Status
from spectrace.trace.report import matrix_data
from tests.sphinx.conftest import PROJECT_ROOT, spec_project, sphinx_build

HOSTILE = "<script>alert(1)</script> & <b>bold</b>"
SMETS = "SMETS 4.2+IRP603"
CHTS = "CHTS 1.3+IRP603"


def _implements(path: str, line: int, name: str = "") -> Link:
    return Link("implements", "x", path, line, name)


def _verified(test: str, outcome: str) -> Evidence:
    path, _, name = test.partition("::")
    return Evidence(Link("verifies", "x", path, 7, name, test), outcome)


def rich_matrix() -> Matrix:
    """A matrix of statements of the bundled project's editions, one of each status."""
    meter = _implements("src/smartmeter/esme.py", 40, "Esme.display")

    def row(edition, statement, clause, status, text="The text.", **more) -> Row:
        document = edition.split()[0]
        actors = more.pop("actors", ["ESME"])
        return Row(
            edition, document, statement, clause, "shall", text, actors, **more, status=status
        )

    rows = [
        row(
            SMETS,
            "SMETS-5.6.1-1",
            "5.6.1",
            Status.COVERED,
            implemented_by=[meter],
            verified_by=[_verified("tests/meter/test_esme.py::test_info", "passed")],
            actors=["ESME", "Type 1 Device"],
        ),
        row(
            SMETS,
            "SMETS-5.6.1-2",
            "5.6.1",
            Status.IMPLEMENTED_ONLY,
            implemented_by=[meter],
            changed_by=[ChangeRef("IRP603", 3, Action.ADDED)],
        ),
        row(
            SMETS,
            "SMETS-5.5.4-1",
            "5.5.4",
            Status.TESTED_ONLY,
            verified_by=[_verified("tests/meter/test_log.py::test_log", "passed")],
            changed_by=[ChangeRef("IRP603", 2, Action.CHANGED)],
        ),
        row(
            SMETS,
            "SMETS-5.5.1-1",
            "5.5.1",
            Status.FAILING,
            implemented_by=[meter],
            verified_by=[_verified("tests/meter/test_clock.py::test_drift", "failed")],
            suspect=True,
        ),
        row(SMETS, "SMETS-5.12.1-2", "5.12.1", Status.UNCOVERED, text=HOSTILE),
        row(
            SMETS,
            "SMETS-4.4.5-5",
            "4.4.5",
            Status.SUSPECT,
            implemented_by=[meter],
            suspect=True,
            changed_by=[ChangeRef("IRP603", 1, Action.CHANGED)],
            actors=["GSME"],
        ),
        row(
            CHTS,
            "CHTS-4.4.6.1-10",
            "4.4.6.1",
            Status.WAIVED,
            waived=f"not ours {HOSTILE}",
            changed_by=[ChangeRef("IRP603", 5, Action.ADDED)],
            actors=["GPF", "<CHF>"],
        ),
        row(CHTS, "CHTS-1-1", "1", Status.UNCOVERED, required=False, actors=["CH"]),
    ]
    errors = [
        in_file(
            Code.UNKNOWN_TARGET,
            "src/smartmeter/gsme.py",
            12,
            f"'SMETS 9.9' names no clause {HOSTILE}",
        ),
        in_file(Code.MISSING_INPUT, "build/junit.xml", 0, "no test results found here"),
    ]
    return Matrix(rows, errors)


# The standalone page -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def standalone() -> str:
    return render_matrix_html(matrix_data(rich_matrix()))


def test_the_page_is_self_contained(standalone):
    assert standalone.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<style>" in standalone and "spectrace-status-covered" in standalone
    assert "<link" not in standalone and "@import" not in standalone
    assert not re.search(r"\bsrc=", standalone)
    # The one address is the SVG namespace, which is never fetched.
    assert re.findall(r"https?://[^\s\"'<>]+", standalone) == ["http://www.w3.org/2000/svg"]


def test_the_chart_stacks_statuses_per_edition_with_counts_and_a_legend(standalone):
    svg = standalone[standalone.index("<svg") : standalone.index("</svg>")]
    assert "<title>Required statements of each edition by status</title>" in svg
    # Required statements only: CHTS-1-1 is not required.
    assert f'<tspan font-weight="bold">{SMETS}</tspan> — 6 required statements, 17% covered' in svg
    assert f'<tspan font-weight="bold">{CHTS}</tspan> — 1 required statement, 100% covered' in svg
    for status in Status:
        assert f'<pattern id="spectrace-pattern-{status.value}"' in svg
    assert f"<title>{SMETS}: 1 failing</title>" in svg
    assert ">covered (1)</text>" in svg and ">waived (1)</text>" in svg
    assert ">uncovered (1)</text>" in svg  # CHTS-1-1 is not counted
    assert f"<desc>{SMETS}: 6 required statements (1 covered, 1 implemented-only" in svg


def test_the_chart_segments_fill_each_bar_exactly():
    layout = chart({"A 1": {"covered": 1, "failing": 1, "waived": 1}, "B 2": {"uncovered": 7}})
    for bar in layout.bars:
        assert bar.segments[0].x == 0
        assert sum(s.width for s in bar.segments) == layout.bar_width
        for before, after in zip(bar.segments, bar.segments[1:], strict=False):
            assert before.x + before.width == after.x
    assert [s.width for s in layout.bars[0].segments] == [240, 240, 240]
    assert chart({}).bars == [] and chart({}).description == "No required statements."


def test_the_counts_table_and_status_legend(standalone):
    counts = standalone[standalone.index('<table class="spectrace-matrix-counts">') :]
    counts = counts[: counts.index("</table>")]
    assert (
        f'<tr><th scope="row">{SMETS}</th><td>1</td><td>1</td><td>1</td><td>1</td><td>1</td>'
        "<td>1</td><td>0</td><td>6</td><td>17%</td></tr>"
    ) in counts
    assert '<th scope="row">All editions</th>' in counts
    meaning = "linked, but its text changed since the links were traced or reviewed"
    assert f"<dd>{meaning}</dd>" in standalone


def test_rows_carry_their_data_for_the_filters(standalone):
    assert (
        '<tr id="SMETS-5.6.1-1" data-document="SMETS" data-edition="SMETS 4.2+IRP603" '
        'data-clause="5.6.1" data-actors="ESME|Type 1 Device" data-status="covered" '
        'data-irps="" data-required="yes">'
    ) in standalone
    assert 'data-irps="IRP603" data-required="yes">' in standalone
    assert 'data-document="CHTS"' in standalone and 'data-required="no"' in standalone
    assert 'data-actors="GPF|&lt;CHF&gt;"' in standalone
    assert standalone.count("<tr id=") == 8


def test_rows_show_every_column(standalone):
    row = standalone[standalone.index('<tr id="SMETS-5.5.1-1"') :]
    row = row[: row.index("</tr>")]
    assert '<a class="spectrace-ref spectrace-statement" href="#SMETS-5.5.1-1">' in row
    assert '<span class="spectrace-status spectrace-status-failing"' in row
    assert '<span class="spectrace-marker spectrace-marker-suspect">suspect</span>' in row
    assert '<code class="spectrace-where">src/smartmeter/esme.py:40 Esme.display</code>' in row
    assert (
        '<code class="spectrace-where">tests/meter/test_clock.py:7 test_drift</code> '
        '<span class="spectrace-outcome spectrace-outcome-failed">failed</span>'
    ) in row
    changed = standalone[standalone.index('<tr id="SMETS-5.6.1-2"') :]
    assert '<span class="spectrace-change-ref">IRP603 change 3 (added)</span>' in changed
    optional = standalone[standalone.index('<tr id="CHTS-1-1"') :]
    assert "spectrace-marker-optional" in optional[: optional.index("</tr>")]


def test_the_filters_offer_every_value_and_wait_for_the_script(standalone):
    form = standalone[standalone.index('<form class="spectrace-filters"') :]
    form = form[: form.index("</form>")]
    assert form.startswith('<form class="spectrace-filters" hidden>')  # shown by the script
    for name in ("document", "actor", "status", "irp"):
        assert f'<select name="{name}">' in form
    assert '<input type="search" name="clause"' in form
    assert '<input type="checkbox" name="required">' in form
    assert '<option value="SMETS">SMETS</option><option value="CHTS">CHTS</option>' in form
    assert '<option value="&lt;CHF&gt;">&lt;CHF&gt;</option>' in form
    assert '<option value="IRP603">IRP603</option>' in form
    statuses = re.findall(r'<option value="([a-z-]+)">\1</option>', form)
    assert [s for s in statuses if s in {st.value for st in Status}] == [s.value for s in Status]


def test_document_text_shows_as_text(standalone):
    assert standalone.count("<script>") == 1  # the filter script
    assert "<b>" not in standalone
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in standalone
    assert "waiver: not ours &lt;script&gt;" in standalone
    assert (
        "<li><code>error: src/smartmeter/gsme.py:12: &#39;SMETS 9.9&#39; names no clause &lt;"
        in (standalone)
    )


def test_problems_are_listed(standalone):
    assert "<h2>Problems (2)</h2>" in standalone
    assert (
        "<li><code>error: build/junit.xml: no test results found here [missing-input]</code></li>"
        in standalone
    )
    clean = render_matrix_html(matrix_data(Matrix(rich_matrix().rows)))
    assert "<p>No tracing problems.</p>" in clean


def test_same_matrix_same_bytes(standalone):
    again = render_matrix_html(matrix_data(rich_matrix()))
    assert again == standalone
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", standalone)  # no dates


def test_an_empty_matrix_renders(tmp_path):
    page = render_matrix_html(matrix_data(Matrix()), title="Nothing <yet>")
    assert "<title>Nothing &lt;yet&gt;</title>" in page
    assert "<h2>Statements (0)</h2>" in page and "No required statements." in page


_HARNESS = r"""
// A stand-in for the few DOM calls the filter script makes.
const [script, rows, cases] = JSON.parse(require("fs").readFileSync(0, "utf8"));
const listeners = {};
const trs = rows.map((data) => ({ dataset: data, hidden: false }));
const count = { textContent: "" };
const fields = { document: { value: "" }, clause: { value: "" }, actor: { value: "" },
  status: { value: "" }, irp: { value: "" }, required: { checked: false } };
const form = { hidden: true, dataset: {}, elements: fields,
  closest: () => ({ querySelectorAll: () => trs }), querySelector: () => count,
  addEventListener: (type, f) => { listeners[type] = f; } };
global.document = { readyState: "complete", querySelectorAll: () => [form] };
global.window = { setTimeout: (f) => f() };
new Function(script)();
const results = [form.hidden];
for (const settings of cases) {
  for (const [name, value] of Object.entries(settings)) {
    if (name === "required") fields.required.checked = value; else fields[name].value = value;
  }
  listeners.change();
  results.push([trs.filter((tr) => !tr.hidden).map((tr) => tr.dataset.id), count.textContent]);
  for (const name of Object.keys(fields)) fields[name].value = "";
  fields.required.checked = false;
}
console.log(JSON.stringify(results));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the script")
def test_the_filter_script_filters_rows_by_their_data(standalone):
    from spectrace.trace.html import row_attributes

    script = standalone[standalone.index("<script>") + 8 : standalone.index("</script>")]
    rows = [row_attributes(r.as_dict()) | {"id": r.statement} for r in rich_matrix().rows]
    cases = [
        {},
        {"document": "CHTS"},
        {"clause": "5.6"},
        {"clause": "5.5.4"},
        {"clause": "SMETS 5"},
        {"clause": "CHTS 5"},
        {"actor": "Type 1 Device"},
        {"status": "failing"},
        {"irp": "*", "document": "SMETS"},
        {"irp": "-", "required": True},
    ]
    found = subprocess.run(
        ["node", "-e", _HARNESS],
        input=json.dumps([script, rows, cases]),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    hidden, *results = json.loads(found.stdout)
    assert hidden is False  # the script shows the controls
    shown = [ids for ids, _ in results]
    assert results[0][1] == "8 of 8 statements shown"
    assert shown[1] == ["CHTS-4.4.6.1-10", "CHTS-1-1"]
    assert shown[2] == ["SMETS-5.6.1-1", "SMETS-5.6.1-2"]
    assert shown[3] == ["SMETS-5.5.4-1"]
    assert len(shown[4]) == 5 and shown[5] == []
    assert shown[6] == ["SMETS-5.6.1-1"]
    assert shown[7] == ["SMETS-5.5.1-1"]
    assert shown[8] == ["SMETS-5.6.1-2", "SMETS-5.5.4-1", "SMETS-4.4.5-5"]
    assert shown[9] == ["SMETS-5.6.1-1", "SMETS-5.5.1-1", "SMETS-5.12.1-2"]
    assert results[9][1] == "3 of 8 statements shown"


# The site's page ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project():
    return load_project(PROJECT_ROOT)


@pytest.fixture(scope="module")
def inputs(project):
    documents = load_project_documents(project)
    proposals = project_proposals(project)
    return documents, amend_project(project, documents, proposals), proposals


@pytest.fixture(scope="module")
def site(project, inputs, tmp_path_factory) -> Path:
    """The bundled project's site with the matrix page, built (-W) through write_html."""
    folder = tmp_path_factory.mktemp("matrix-site")
    with replaced_folder(folder / "html") as staging:
        write_html(
            project, *inputs, staging, parallel=1, sources=folder / "src", matrix=rich_matrix()
        )
    return folder


def page(site: Path, name: str) -> str:
    return (site / "html" / f"{name}.html").read_text(encoding="utf-8")


def body(html: str) -> str:
    return html[html.index('<div class="body"') : html.index('<div class="sphinxsidebar"')]


def test_the_index_links_to_the_matrix_page(site):
    index = page(site, "index")
    assert '<section id="traceability">' in body(index)
    assert 'href="traceability.html"><span class="doc">traceability matrix</span></a>' in index
    assert '<a href="traceability.html">Traceability</a></li>' in index  # the sidebar


def test_the_sources_hold_the_page_and_its_data(site):
    source = (site / "src" / "traceability.rst").read_text(encoding="utf-8")
    assert ".. spec:matrix:: traceability.json" in source
    data = json.loads((site / "src" / "traceability.json").read_text(encoding="utf-8"))
    assert data["rows"][0]["target"] == "SMETS@4.2+IRP603 SMETS-5.6.1-1"
    assert set(data) == {"summary", "rows", "errors"}


def test_statement_ids_link_to_their_anchors_in_the_text(site):
    matrix = body(page(site, "traceability"))
    links = dict(
        re.findall(
            r'<a class="spectrace-ref spectrace-statement" href="([^"]+)">([^<]+)</a>', matrix
        )
    )
    assert len(links) == 8
    assert links["SMETS/4.2%2BIRP603/section-05.html#SMETS-5.6.1-1"] == "SMETS-5.6.1-1"
    assert links["CHTS/1.3%2BIRP603/section-04.html#CHTS-4.4.6.1-10"] == "CHTS-4.4.6.1-10"
    for href, statement in links.items():
        target, anchor = href.split("#")
        text = page(site, target.replace("%2B", "+").removesuffix(".html"))
        assert f'<span class="spectrace-st" id="{anchor}">' in text, statement


def test_changes_link_to_the_irp(site):
    matrix = body(page(site, "traceability"))
    assert (
        '<a class="spectrace-ref spectrace-irp" href="irps/IRP603.html#IRP603-change-3">'
        "IRP603 change 3 (added)</a>"
    ) in matrix


def test_the_page_has_the_chart_counts_filters_and_rows(site):
    html = page(site, "traceability")
    matrix = body(html)
    assert '<div class="spectrace-matrix docutils container">' in matrix
    assert '<figure class="spectrace-chart-figure">\n<svg' in matrix
    assert f"<title>{SMETS}: 1 failing</title>" in matrix
    assert '<table class="spectrace-matrix-counts' in matrix
    assert '<form class="spectrace-filters" hidden>' in matrix and matrix.count("<script>") == 1
    assert (
        '<tr id="SMETS-5.6.1-1" data-document="SMETS" data-edition="SMETS 4.2+IRP603" '
        'data-clause="5.6.1" data-actors="ESME|Type 1 Device" data-status="covered"'
    ) in matrix
    assert matrix.count("<tr id=") == 8
    assert '<p class="rubric">Problems (2)</p>' in matrix
    assert "_static/spectrace-matrix.css" in html
    assert (site / "html" / "_static" / "spectrace-matrix.css").is_file()


def test_matrix_text_shows_as_text_on_the_site(site):
    matrix = body(page(site, "traceability"))
    assert matrix.count("<script>") == 1 and "<b>" not in matrix
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in matrix
    assert "waiver: not ours &lt;script&gt;" in matrix
    assert '<span class="pre">&lt;script&gt;alert(1)&lt;/script&gt;</span>' in matrix
    assert 'data-actors="GPF|&lt;CHF&gt;"' in matrix


def test_parallel_builds_give_the_same_bytes(project, inputs, site, tmp_path):
    with replaced_folder(tmp_path / "html") as staging:
        write_html(project, *inputs, staging, parallel=2, matrix=rich_matrix())
    for name in ("traceability.html", "index.html", "SMETS/4.2+IRP603/section-05.html"):
        assert (tmp_path / "html" / name).read_bytes() == (site / "html" / name).read_bytes()


def test_without_a_matrix_there_is_no_page(project, inputs, tmp_path):
    write_site_sources(project, *inputs, tmp_path / "src")
    assert not (tmp_path / "src" / "traceability.rst").exists()
    assert "traceability" not in (tmp_path / "src" / "index.rst").read_text(encoding="utf-8")


def test_a_statement_the_site_does_not_show_is_not_linked(project, inputs, tmp_path):
    matrix = rich_matrix()
    matrix.rows.append(Row("OTHER 1", "OTHER", "OTHER-1-1", "1", "shall", "Elsewhere."))
    write_site_sources(project, *inputs, tmp_path / "src", matrix=matrix)
    build_html(tmp_path / "src", tmp_path / "html")  # -W: no dangling reference
    matrix_page = body((tmp_path / "html" / "traceability.html").read_text(encoding="utf-8"))
    assert '<td class="spectrace-id">OTHER-1-1</td>' in matrix_page


# The directive on its own ------------------------------------------------------------------


def _matrix_page(source: Path, data: dict | str) -> None:
    text = data if isinstance(data, str) else json.dumps(data)
    (source / "data").mkdir(exist_ok=True)
    (source / "data" / "matrix.json").write_text(text, encoding="utf-8")
    (source / "matrix.rst").write_text(
        ":orphan:\n\nMatrix\n======\n\n.. spec:matrix:: data/matrix.json\n", encoding="utf-8"
    )


def _row(statement: str, **more) -> dict:
    return {
        "statement": statement,
        "edition": "SMETS 4.2",
        "document": "SMETS",
        "clause": "5.6.1",
        "status": "covered",
        "text": "T.",
    } | more


def test_the_directive_reads_matrix_json_and_links_to_the_rows_edition(rootdir):
    source = spec_project(rootdir / "src")
    _matrix_page(
        source,
        {"summary": {"SMETS 4.2": {"covered": 1}}, "rows": [_row("SMETS-5.6.1-1")], "errors": []},
    )
    built = sphinx_build(source)
    assert built.status == 0 and built.warnings == ""
    assert 'href="section-05.html#SMETS-5.6.1-1">SMETS-5.6.1-1</a>' in built.html("matrix")


def test_a_row_naming_a_missing_statement_is_a_warning(rootdir):
    source = spec_project(rootdir / "src")
    _matrix_page(source, {"rows": [_row("SMETS-99.1-1")]})
    with pytest.raises(PublishError) as raised:
        build_html(source, rootdir / "html")
    assert str(raised.value) == (
        "matrix.rst: line 6: no statement SMETS-99.1-1 in SMETS 4.2 [spectrace.ref]"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "spec:matrix cannot read data/matrix.json: No such file or directory"),
        ("{not json", "spec:matrix: data/matrix.json is not JSON"),
        ('{"rows": {}}', "spec:matrix: data/matrix.json is not a matrix (summary, rows, errors)"),
        ('{"rows": [{"text": "x"}]}', "spec:matrix: data/matrix.json: every row needs a statement"),
    ],
)
def test_an_unusable_file_is_an_error(rootdir, data, message):
    source = spec_project(rootdir / "src")
    _matrix_page(source, data or "")
    if data is None:
        (source / "data" / "matrix.json").unlink()
    with pytest.raises(PublishError) as raised:
        build_html(source, rootdir / "html")
    assert str(raised.value).startswith(f"matrix.rst: line 6: {message}")


def test_other_builders_get_text(rootdir):
    source = spec_project(rootdir / "src")
    _matrix_page(
        source,
        {
            "summary": {"SMETS 4.2": {"covered": 1}},
            "rows": [_row("SMETS-5.6.1-1", text=HOSTILE, required=False)],
            "errors": [{"file": "a.py", "line": 3, "message": "bad"}],
        },
    )
    built = sphinx_build(source, "text")
    assert built.status == 0 and built.warnings == ""
    text = " ".join(built.text("matrix").split())
    assert f"SMETS-5.6.1-1 [covered, not required] SMETS 4.2 5.6.1: {HOSTILE}" in text
    assert "| SMETS 4.2 | 1" in text and "a.py:3: bad" in text
    assert "<svg" not in text and "<form" not in text
