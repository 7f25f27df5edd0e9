"""The whole-build benchmark (benchmarks/bench_build.py) runs end to end on a tiny edition, so it
cannot rot between the runs that report its figures."""

from __future__ import annotations

import json

from tests.conftest import load_benchmark

bench_build = load_benchmark("bench_build")

ROWS = ["cold", "noop", "one_change", "memory_80", "exit_gap"]


def _args(tmp_path, *more: str):
    sizes = ["--clauses", "80", "--repeat", "1", "--skip-needs", "--irps", "3"]
    return bench_build.parse_args([*sizes, "--irp-changes", "6", "--out", str(tmp_path), *more])


def test_a_tiny_build_benchmark_reports_every_row_and_really_changes_a_sentence(tmp_path):
    args = _args(tmp_path, "--skip-irps")
    report = json.loads(json.dumps(bench_build.run(args)))

    assert [row["key"] for row in report["rows"]] == ROWS
    for row in report["rows"]:
        assert row["spectrace_s"] > 0 or row["key"] == "exit_gap"
        assert len(row["spectrace_runs"]) >= 1
        assert row["needs_s"] is None and row["ratio"] is None
    rows = {row["key"]: row for row in report["rows"]}
    assert rows["noop"]["target"] == "< 0.5 s" and rows["cold"]["passed"] is None
    assert rows["memory_80"]["unit"] == "MiB" and rows["memory_80"]["spectrace_s"] > 10
    assert 0 <= rows["exit_gap"]["spectrace_s"] < 5
    assert report["statuses"] == [0] and "irps" not in report

    [edit] = report["edits"]
    project = args.work / "spectrace"
    line = (project / "specs" / edit["source"]).read_text(encoding="utf-8").split("\n")
    changed = line[edit["line"]]
    assert f"`{edit['statement']}`" in changed and edit["new"] in changed
    assert edit["new"] != edit["old"]
    [page] = edit["spectrace_pages"]
    html = (project / "build" / "html" / page).read_text(encoding="utf-8")
    assert edit["statement"] in html and edit["new"] in html
    assert "\n".join(bench_build.lines(report)).count("\n") == len(ROWS) + 4


def test_the_irp_project_lists_the_proposals_and_one_more_touches_an_untouched_clause(tmp_path):
    args = _args(tmp_path)
    document, info = bench_build.bench_html.prepare(args)
    specs = bench_build.base_specs(args.work / "base", bench_build.Path(info["spec"]))
    project, irps = bench_build.irp_project(args, document, specs)

    assert (irps["proposals"], irps["changes"]) == (3, 6)
    listed = (project / "spectrace.toml").read_text(encoding="utf-8")
    assert listed.count('"IRP') == 3 and irps["extra"] == "IRP1004"
    assert sorted(p.name for p in (project / "specs" / "irps").iterdir()) == [
        "IRP1001.rst",
        "IRP1002.rst",
        "IRP1003.rst",
    ]
    bench_build.add_irp(project, irps["names"], irps["extra"])
    assert '"IRP1004"]' in (project / "spectrace.toml").read_text(encoding="utf-8")
    extra = (project / "specs" / "irps" / "IRP1004.rst").read_text(encoding="utf-8")
    assert extra.count(".. spec:change::") == 1
    assert f":target: {irps['extra_target']}" in extra
    others = "".join((project / "specs" / "irps" / f"IRP100{n}.rst").read_text() for n in (1, 2, 3))
    assert f":target: {irps['extra_target']}\n" not in others
