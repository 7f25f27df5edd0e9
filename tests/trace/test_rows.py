"""Writing the matrix files by patching the previous ones: whatever changes from run to run,
the files are exactly what rendering every row gives."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from spectrace.findings import Stage, codes, in_file
from spectrace.trace import rows
from spectrace.trace.html import render_matrix_html
from spectrace.trace.matrix import Matrix
from spectrace.trace.model import Action, ChangeRef, Evidence, Link, Row, Status
from spectrace.trace.report import matrix_data, to_csv, to_json

TEXT = st.text(st.sampled_from(list("ab <>&\"'é’\\,;\n")), max_size=12)
LINKS = st.builds(Link, st.just("implements"), st.just("SMETS-1-1"), TEXT, st.integers(1, 99), TEXT)
EVIDENCE = st.builds(
    Evidence,
    st.builds(Link, st.just("verifies"), st.just("SMETS-1-1"), TEXT, st.integers(1, 99), TEXT),
    st.sampled_from(["passed", "failed", "error", "skipped", "missing"]),
)


@st.composite
def rows_(draw, count: int) -> list[Row]:
    return [
        Row(
            edition=draw(st.sampled_from(["SMETS 4.2", "CHTS 1.3+IRP603"])),
            document="SMETS",
            statement=f"SMETS-1-{index}",
            clause="1",
            modality=draw(st.sampled_from(["shall", "may"])),
            text=draw(TEXT),
            actors=draw(st.lists(st.sampled_from(["ESME", "IHD"]), max_size=2)),
            implemented_by=draw(st.lists(LINKS, max_size=2)),
            verified_by=draw(st.lists(EVIDENCE, max_size=2)),
            status=draw(st.sampled_from(list(Status))),
            suspect=draw(st.booleans()),
            waived=draw(st.sampled_from(["", "not built"])),
            changed_by=draw(st.lists(st.just(ChangeRef("IRP603", 3, Action.ADDED)), max_size=1)),
            required=draw(st.booleans()),
        )
        for index in range(count)
    ]


@st.composite
def runs(draw) -> list[Matrix]:
    """A first matrix, then runs that change some of its rows (or, now and then, all)."""
    count = draw(st.integers(0, 6))
    current = draw(rows_(count))
    matrices = [Matrix(current)]
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.integers(0, 5)) == 0:
            current = draw(rows_(draw(st.integers(0, 6))))
        else:
            fresh = draw(rows_(len(current)))
            changed = draw(st.sets(st.integers(0, max(len(current) - 1, 0)), max_size=3))
            current = [
                dataclasses.replace(fresh[i], statement=row.statement) if i in changed else row
                for i, row in enumerate(current)
            ]
        errors = draw(
            st.lists(
                st.builds(
                    in_file, st.sampled_from(codes(Stage.TRACE)), TEXT, st.integers(0, 9), TEXT
                ),
                max_size=2,
            )
        )
        matrices.append(Matrix(current, errors))
    return matrices


@settings(max_examples=150, deadline=None)
@given(runs(), st.sampled_from([0.0, 0.1, 1.0]))
def test_any_run_after_any_other_writes_what_rendering_every_row_gives(matrices, fold) -> None:
    saved = rows.FOLD_SHARE
    rows.FOLD_SHARE = fold
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder, cache = Path(tmp) / "trace", Path(tmp) / "cache"
            for matrix in matrices:
                rows.write_matrix_files(folder, matrix, cache)
                assert (folder / "matrix.json").read_text(encoding="utf-8") == to_json(matrix)
                assert (folder / "matrix.csv").read_bytes() == to_csv(matrix).encode()
                assert (folder / "matrix.html").read_text(encoding="utf-8") == render_matrix_html(
                    matrix_data(matrix)
                )
    finally:
        rows.FOLD_SHARE = saved
