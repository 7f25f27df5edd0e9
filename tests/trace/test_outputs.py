"""Requirement 3: ``spectrace trace`` writes matrix.json, matrix.csv, matrix.html and summary.md
to build/trace (or --out), the same bytes every time; the scan cache reuses unchanged files.
``spectrace build`` writes them too, and puts the matrix in the site, when [trace] is set."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import time
from pathlib import Path

import pytest

from spectrace.trace import scanner

OUTPUTS = ("matrix.json", "matrix.csv", "matrix.html", "summary.md")


@pytest.fixture
def linked(traced):
    traced.write("src/x/han.py", "def refuse():\n    '''implements: SMETS-5.6.1-2'''\n")
    traced.write("src/x/log.c", "// implements: CHTS-4.4.6.1-10\nint hide(void) { return 0; }\n")
    traced.write("tests/x/test_han.py", "def test_refused():\n    '''verifies: SMETS-5.6.1-2'''\n")
    traced.junit(("tests.x.test_han", "test_refused", "passed"))
    return traced


def outputs(folder) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


def test_trace_writes_json_csv_and_a_markdown_summary(linked):
    result = linked.cli("trace")
    assert result.exit_code == 0, result.output
    folder = linked.root / "build/trace"
    data = linked.matrix_json()
    assert data["errors"] == []
    assert data["summary"]["SMETS 4.2+IRP603"]["covered"] == 1
    row = next(r for r in data["rows"] if r["statement"] == "SMETS-5.6.1-2")
    assert row["status"] == "covered"
    assert row["implemented_by"] == ["src/x/han.py:2 refuse"]
    assert row["verified_by"] == [
        {"test": "tests/x/test_han.py:2 test_refused", "outcome": "passed"}
    ]
    assert row["changed_by"] == ["IRP603 change 3 (added)"]

    rows = list(csv.DictReader(io.StringIO((folder / "matrix.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(data["rows"])
    chts = next(r for r in rows if r["statement"] == "CHTS-4.4.6.1-10")
    assert (chts["status"], chts["implemented_by"]) == ("implemented-only", "src/x/log.c:1 hide")

    summary = (folder / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("| edition | covered | implemented-only |")
    assert "| SMETS 4.2+IRP603 | 1 |" in summary
    assert "| CHTS 1.3+IRP603 | 0 | 1 |" in summary
    assert summary.splitlines()[0].endswith("| covered %, waived aside |")
    assert summary in result.stdout  # the summary is printed for the CI log too

    page = (folder / "matrix.html").read_text(encoding="utf-8")
    assert 'data-status="covered"' in page and "src/x/han.py:2 refuse" in page


def test_out_chooses_the_folder(linked):
    result = linked.cli("trace", "--out", "reports/trace")
    assert result.exit_code == 0, result.output
    assert all((linked.root / "reports/trace" / name).is_file() for name in OUTPUTS)
    assert not (linked.root / "build/trace/matrix.json").exists()


def test_the_same_inputs_give_the_same_bytes(linked):
    assert linked.cli("trace").exit_code == 0
    first = outputs(linked.root / "build/trace")
    assert linked.cli("trace").exit_code == 0  # from the cache this time
    assert outputs(linked.root / "build/trace") == first
    (linked.root / "build/cache/scan.json").unlink()
    assert linked.cli("trace", "--out", "again").exit_code == 0  # and without it
    assert outputs(linked.root / "again") == first


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The statements whose rows the next writes render."""
    from spectrace.trace import rows

    seen: list[str] = []
    real = rows._Renderer.__call__
    monkeypatch.setattr(
        rows._Renderer, "__call__", lambda self, row: seen.append(row.statement) or real(self, row)
    )
    return seen


def write_and_compare(linked, out: str = "build/trace"):
    """Trace and write the files, and check they are what rendering every row gives."""
    from spectrace import api
    from spectrace.config import load_project
    from spectrace.trace.html import render_matrix_html
    from spectrace.trace.report import matrix_data, to_csv, to_json

    project = load_project(linked.root)
    matrix, _ = api.trace(project)
    folder = linked.root / out
    api.write_trace(project, matrix, folder)
    assert outputs(folder) == {
        "matrix.json": to_json(matrix).encode(),
        "matrix.csv": to_csv(matrix).encode(),
        "matrix.html": render_matrix_html(matrix_data(matrix)).encode(),
        "summary.md": (folder / "summary.md").read_bytes(),
    }
    return matrix


def test_a_second_run_renders_only_the_rows_that_changed(linked, rendered):
    """What each row showed is kept in the cache: a run renders the rows whose content changed
    and copies the others from the previous files, to the bytes rendering every row gives."""
    matrix = write_and_compare(linked)
    assert len(rendered) == len(matrix.rows)
    rendered.clear()
    write_and_compare(linked)
    assert rendered == []
    linked.write("src/x/log.c", "// implements: CHTS-4.4.6.1-9\nint hide(void);\n")
    linked.write("src/x/typo.c", "// implements: CHTS-4.4.6.1-99\nint typo(void);\n")
    write_and_compare(linked)  # the problems list (in the page's head) changed too
    assert rendered == ["CHTS-4.4.6.1-9", "CHTS-4.4.6.1-10"]  # the tag moved


def test_changed_rows_are_folded_into_the_base_record(linked, rendered, monkeypatch):
    from spectrace.trace import rows

    cache = linked.root / "build/cache"
    write_and_compare(linked)
    base = (cache / rows.BASE).read_bytes()
    linked.write("src/x/log.c", "// implements: CHTS-4.4.6.1-9\nint hide(void);\n")
    write_and_compare(linked)
    assert (cache / rows.BASE).read_bytes() == base  # two changed rows: the small record
    monkeypatch.setattr(rows, "FOLD_SHARE", 0)
    linked.write("src/x/log.c", "// implements: CHTS-4.4.6.1-8\nint hide(void);\n")
    rendered.clear()
    write_and_compare(linked)
    assert rendered == ["CHTS-4.4.6.1-8", "CHTS-4.4.6.1-9"]
    assert (cache / rows.BASE).read_bytes() != base  # folded
    (cache / rows.BASE).unlink()  # without its base, the record is of no use
    rendered.clear()
    matrix = write_and_compare(linked)
    assert len(rendered) == len(matrix.rows)


def test_a_failed_write_leaves_every_previous_file(linked, monkeypatch):
    from spectrace import api
    from spectrace.config import load_project
    from spectrace.errors import SpectraceError
    from spectrace.trace import rows

    write_and_compare(linked)
    before = outputs(linked.root / "build/trace")
    linked.write("src/x/log.c", "// implements: CHTS-4.4.6.1-9\nint hide(void);\n")
    real = rows._write

    def full_disk(temporary, data, path):
        if path.name == "matrix.html":
            raise SpectraceError("cannot be written (No space left on device)", file=str(path))
        real(temporary, data, path)

    monkeypatch.setattr(rows, "_write", full_disk)
    project = load_project(linked.root)
    matrix, _ = api.trace(project)
    with pytest.raises(SpectraceError, match="No space left"):
        api.write_trace(project, matrix)
    assert outputs(linked.root / "build/trace") == before
    assert not [p for p in (linked.root / "build/trace").iterdir() if p.name.endswith(".tmp")]
    monkeypatch.setattr(rows, "_write", real)
    write_and_compare(linked)  # and the next run patches the files it finds


@pytest.mark.parametrize("change", ["edited", "deleted", "other folder"])
def test_files_not_as_written_are_rendered_whole(linked, rendered, change):
    matrix = write_and_compare(linked)
    rendered.clear()
    page = linked.root / "build/trace/matrix.html"
    if change == "edited":
        page.write_bytes(page.read_bytes().replace(b"<tr", b"<TR", 1))
    elif change == "deleted":
        page.unlink()
    write_and_compare(linked, "elsewhere" if change == "other folder" else "build/trace")
    assert len(rendered) == len(matrix.rows)


def test_a_second_run_rescans_only_changed_files_and_forgets_deleted_ones(linked, monkeypatch):
    scanned: list[str] = []
    real = scanner.scan_source

    def spy(path, data):
        scanned.append(path)
        return real(path, data)

    monkeypatch.setattr(scanner, "scan_source", spy)
    linked.trace()
    assert scanned == ["src/x/han.py", "src/x/log.c", "tests/x/test_han.py"]
    cache_file = linked.root / "build/cache/scan.json"
    cache = json.loads(cache_file.read_text(encoding="utf-8"))
    data = (linked.root / "src/x/log.c").read_bytes()
    digest, size, _, links, errors = cache["files"]["src/x/log.c"]  # links: [kind, target, ...]
    assert (digest, size) == (hashlib.sha1(data).hexdigest(), len(data))
    assert (links[0][:3], errors) == (["implements", "CHTS-4.4.6.1-10", 1], [])

    scanned.clear()
    assert linked.trace().row("SMETS-5.6.1-2").status.value == "covered"
    assert scanned == []  # nothing changed: every file came from the cache

    linked.write("src/x/log.c", "// implements: CHTS-4.4.6.1-9\nint hide(void) { return 0; }\n")
    (linked.root / "src/x/han.py").unlink()
    matrix = linked.trace()
    assert scanned == ["src/x/log.c"]
    assert matrix.row("CHTS-4.4.6.1-9").implemented_by  # the new tag is picked up
    assert not matrix.row("CHTS-4.4.6.1-10").implemented_by  # the old one is gone
    assert matrix.row("SMETS-5.6.1-2").status.value == "tested-only"  # han.py's tag is gone
    cache = json.loads(cache_file.read_text(encoding="utf-8"))
    assert sorted(cache["files"]) == ["src/x/log.c", "tests/x/test_han.py"]


def test_files_older_than_the_cache_are_trusted_by_size_and_time(linked, monkeypatch):
    """Like git's index: an unchanged size and modification time, well before the cache was
    written, means the file is not read at all; a file changed in the same moment as the
    cache (same size, same second) is hashed, and rescanned when its bytes differ."""
    old, recent = time.time() - 60, time.time() - 10
    for path in ("src/x/han.py", "src/x/log.c", "tests/x/test_han.py"):
        stamp = recent if path.endswith("log.c") else old
        os.utime(linked.root / path, (stamp, stamp))
    linked.trace()
    hashed: list[str] = []
    real = scanner._sha1
    monkeypatch.setattr(scanner, "_sha1", lambda path: hashed.append(path) or real(path))
    linked.trace()
    assert hashed == []

    log = linked.root / "src/x/log.c"
    before = log.stat()
    log.write_text(log.read_text(encoding="utf-8").replace("-10", "-9"), encoding="utf-8")
    os.utime(log, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same time
    cache = json.loads((linked.root / "build/cache/scan.json").read_text(encoding="utf-8"))
    cache["written"] = before.st_mtime_ns + 1_000_000_000  # the cache written a second later
    (linked.root / "build/cache/scan.json").write_text(json.dumps(cache), encoding="utf-8")
    matrix = linked.trace()
    assert [Path(p).name for p in hashed] == ["log.c"]
    assert matrix.row("CHTS-4.4.6.1-9").implemented_by


@pytest.mark.parametrize("content", ["{broken", '{"version": 1, "files": {"src/x/han.py": {}}}'])
def test_a_broken_or_outdated_cache_is_ignored(linked, content):
    linked.write("build/cache/scan.json", content)
    matrix = linked.trace()
    assert matrix.errors == []
    assert matrix.row("SMETS-5.6.1-2").status.value == "covered"


def test_build_writes_the_matrix_and_a_site_page_for_it(linked):
    result = linked.cli("build")
    assert result.exit_code == 0, result.output
    assert "build/trace/matrix.html (1 covered, 1 implemented-only," in result.output.replace(
        str(linked.root) + "/", ""
    )
    assert outputs(linked.root / "build/trace") == outputs_of(linked, "trace")
    page = (linked.root / "build/html/traceability.html").read_text(encoding="utf-8")
    assert "src/x/han.py:2 refuse" in page
    assert 'href="traceability.html"' in (linked.root / "build/html/index.html").read_text(
        encoding="utf-8"
    )


def test_build_lists_tracing_problems_in_the_matrix_without_failing(linked):
    (linked.root / "build/junit.xml").unlink()  # the tests have not run yet
    result = linked.cli("build")
    assert result.exit_code == 0, result.output
    assert "1 tracing problem(s)" in result.output
    assert linked.matrix_json()["errors"][0]["file"] == "build/junit.xml"
    lines = result.output.splitlines()
    at = next(n for n, line in enumerate(lines) if "1 tracing problem(s)" in line)
    assert lines[at + 1].startswith("error: build/junit.xml: ")  # named after the count


def test_build_names_the_first_three_tracing_problems_and_counts_the_rest(linked):
    (linked.root / "build/junit.xml").unlink()
    linked.configure(
        trace='[trace]\ncode = ["src/x"]\ntests = ["tests/x"]\n'
        'results = ["build/junit.xml", "build/a.xml", "build/b.xml", "build/c.xml"]\n'
    )
    result = linked.cli("build")
    lines = result.output.splitlines()
    assert "4 tracing problem(s)" in result.output, result.output
    at = next(n for n, line in enumerate(lines) if "4 tracing problem(s)" in line)
    assert all(line.startswith("error: build/") for line in lines[at + 1 : at + 4])
    summary = linked.root / "build/trace/summary.md"
    assert lines[at + 4] == f"and 1 more tracing problem(s): {summary}"


def test_build_without_a_trace_table_writes_no_matrix(linked):
    linked.configure(trace="")
    assert linked.cli("build").exit_code == 0
    assert not (linked.root / "build/trace/matrix.json").exists()
    assert not (linked.root / "build/html/traceability.html").exists()


def outputs_of(project, command: str) -> dict[str, bytes]:
    """Return the matrix files ``command`` writes (into a folder of their own)."""
    assert project.cli(command, "--out", "by-" + command).exit_code == 0
    return outputs(project.root / ("by-" + command))


def test_quiet_trace_prints_only_its_error_lines(linked):
    quiet = linked.cli("-q", "trace")
    assert quiet.exit_code == 0 and quiet.output == ""
    assert (linked.root / "build/trace/summary.md").is_file()  # the summary is still written
    (linked.root / "build/junit.xml").unlink()
    failing = linked.cli("-q", "trace")
    assert failing.exit_code == 1
    assert [line[:29] for line in failing.output.splitlines()] == ["error: build/junit.xml: no te"]


def test_the_summary_share_leaves_waived_statements_out(linked):
    linked.configure(
        check='[check]\ndocuments = ["SMETS"]\nmodalities = ["shall_not"]\n'
        '\n[[check.waive]]\nstatement = "SMETS-5.12.1-1"\nreason = "out of scope"\n'
    )
    assert linked.cli("trace").exit_code == 0
    summary = (linked.root / "build/trace/summary.md").read_text(encoding="utf-8")
    row = next(line for line in summary.splitlines() if line.startswith("| SMETS 4.2+IRP603 |"))
    assert row.endswith("| 50 |")  # 1 covered of 3 required, 1 waived: 1 of 2 (not 2 of 3)
