"""The picture benchmark's measurement and report work on a few pictures, so the benchmark
(benchmarks/bench_pictures.py) cannot rot between the runs that report its figures."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import load_benchmark

bench = load_benchmark("bench_pictures")
pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None or not bench.mp.available_fonts(),
    reason="Tesseract or a TrueType font is not installed (apt-get install tesseract-ocr "
    "tesseract-ocr-eng fonts-liberation)",
)


@pytest.fixture(autouse=True)
def _one_ocr_thread(monkeypatch):
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")


def test_each_outcome_is_counted_and_timed(bundled_documents):
    names = ("missing-target/pillow-formatting-96", "hostile/blank", "hostile/huge-header")
    cases = [c for c in bench.cases(libreoffice=False) if c.name in names]
    results = [bench.read_case(case, bundled_documents) for case in cases]
    outcomes = {r.name: r.outcome for r in results}
    assert outcomes == {
        "missing-target/pillow-formatting-96": bench.Outcome.UNVERIFIED,
        "hostile/blank": bench.Outcome.UNREADABLE,
        "hostile/huge-header": bench.Outcome.UNREADABLE,
    }
    assert all(r.right for r in results)
    row = bench.summary(results)
    assert (row["pictures"], row["markup"], row["refused_right"], row["refused_of"]) == (3, 0, 3, 3)
    assert 0 < row["median_s"] == row["max_s"] < 60  # only the picture with text is timed
    assert row["slowest"] == "missing-target/pillow-formatting-96"
    lines, passed = bench.report(results, {"pillow": row})
    assert lines[-1].startswith("target (no wrong change, every other picture refused): PASS")
    assert passed is (row["median_s"] < bench.TARGET_SECONDS)


def test_a_verified_reading_that_is_not_the_excerpt_is_counted_wrong(bundled_documents):
    case = next(c for c in bench.cases(libreoffice=False) if c.name == "hostile/misnamed")
    result = bench.read_case(case, bundled_documents)
    assert result.outcome in (bench.Outcome.EXACT, bench.Outcome.UNVERIFIED)
    wrong = bench.Result(
        "x", bench.mp.Expect.MARKUP, bench.Outcome.WRONG, result.change, "", 1.0, 1.0
    )
    lines, passed = bench.report([wrong], {})
    assert not passed and "  wrong: x " in lines


def test_the_script_prints_its_report_as_json(capsys, tmp_path):
    code = bench.main(["--only", "hostile/", "--no-libreoffice", "--out", str(tmp_path), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["all"]["pictures"] == 9 and data["all"]["wrong"] == 0
    assert data["all"]["refused_right"] == 8 == data["all"]["refused_of"]
    assert code in (0, 1)  # 1 when the one mark-up picture is read slower than the target
