"""Issue 12, item 5: any change to a linked statement makes its links suspect — an IRP, a
re-import or a hand edit of its ``.rst`` — because the trace keeps, in trace/reviewed.json, the
text (fingerprint) every linked statement had the first time it was traced, and compares with
it; ``spectrace review`` accepts the new text, saying who reviewed, when, and why."""

from __future__ import annotations

import datetime
import json
import os
import shutil

import pytest

from spectrace.model import Statement
from tests.cli.test_cli import one_error_line, run
from tests.trace.conftest import REVIEWER

SECTION = "specs/SMETS/4.2/section-05.rst"
TEXT = "When the log is full, the oldest entry shall be overwritten by the newest."
OPPOSITE = "When the log is full, the oldest entry shall never be overwritten by the newest."
GATE = '[check]\nfail-on = ["suspect", "errors"]\n'
REVIEWED = "trace/reviewed.json"


def fingerprint(text: str) -> str:
    return Statement("x", text).fingerprint


@pytest.fixture
def linked(traced):
    """A project whose code implements, and whose passing test verifies, SMETS-5.7.5.31-2."""
    traced.configure(check=GATE)
    traced.write("src/x/log.py", "def add():\n    '''implements: SMETS-5.7.5.31-2'''\n")
    traced.write("tests/x/test_log.py", "def test_full():\n    '''verifies: SMETS-5.7.5.31-2'''\n")
    traced.junit(("tests.x.test_log", "test_full", "passed"))
    return traced


@pytest.fixture
def clock(monkeypatch):
    """Reviews are dated 2025-01-31."""
    monkeypatch.setattr("spectrace.trace.review.today", lambda: datetime.date(2025, 1, 31))


def edit(project, old: str, new: str, path: str = SECTION) -> None:
    file = project.root / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def fails(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("fail: ")]


def records(project) -> dict:
    return json.loads((project.root / REVIEWED).read_text(encoding="utf-8"))


def test_a_hand_edit_makes_the_links_suspect_until_someone_reviews_them(linked, clock):
    result = linked.cli("trace")
    assert result.exit_code == 0, result.output
    assert "recorded the text of 1 newly linked statement(s) in trace/reviewed.json" in (
        result.stderr
    )
    assert records(linked) == {"SMETS-5.7.5.31-2": fingerprint(TEXT)}
    assert linked.cli("check").exit_code == 0

    edit(linked, TEXT, OPPOSITE)  # the .rst now says the opposite
    result = linked.cli("check")
    assert result.exit_code == 1
    assert fails(result) == [
        "fail: SMETS-5.7.5.31-2 (SMETS 4.2+IRP603 5.7.5.31) is suspect (changed since first "
        "traced) [suspect]: When the log is full, the oldest entry shall never be overwritten "
        "by …"
    ]
    before = (linked.root / REVIEWED).read_bytes()  # trace does not accept the new text either
    assert linked.cli("trace").exit_code == 0
    assert (linked.root / REVIEWED).read_bytes() == before
    assert linked.cli("check").exit_code == 1

    note = "the model still overwrites: see issue 41"
    result = linked.cli("review", "SMETS-5.7.5.31-2", "--by", "Ana Lyst", "--note", note)
    assert result.exit_code == 0, result.output
    assert records(linked) == {
        "SMETS-5.7.5.31-2": {
            "by": "Ana Lyst",
            "fingerprint": fingerprint(OPPOSITE),
            "note": note,
            "on": "2025-01-31",
        }
    }
    assert linked.cli("check").exit_code == 0

    edit(linked, OPPOSITE, TEXT)  # any change at all, back again too
    result = linked.cli("check")
    assert result.exit_code == 1
    assert (
        "is suspect (changed since reviewed by Ana Lyst on 2025-01-31) [suspect]"
        in (fails(result)[0])
    )


def test_the_matrix_files_show_why_a_link_is_suspect(linked, clock):
    linked.trace()
    linked.cli("review", "SMETS-5.7.5.31-2", "--by", "Ana <Lyst>")
    edit(linked, TEXT, OPPOSITE)
    assert linked.cli("trace").exit_code == 0
    reason = "changed since reviewed by Ana <Lyst> on 2025-01-31"
    row = next(r for r in linked.matrix_json()["rows"] if r["statement"] == "SMETS-5.7.5.31-2")
    assert (row["status"], row["suspect"], row["suspect_reason"]) == ("suspect", True, reason)
    other = next(r for r in linked.matrix_json()["rows"] if r["statement"] == "SMETS-5.7.5.31-1")
    assert other["suspect_reason"] is None
    html = (linked.root / "build/trace/matrix.html").read_text(encoding="utf-8")
    assert (
        '<span class="spectrace-marker spectrace-marker-suspect">changed since reviewed by '
        "Ana &lt;Lyst&gt; on 2025-01-31</span>"
    ) in html
    csv = (linked.root / "build/trace/matrix.csv").read_text(encoding="utf-8")
    assert csv.splitlines()[0].startswith("edition,statement,clause,modality,status,suspect,")
    assert f",suspect,yes,{reason}," in csv


def test_a_failing_row_that_is_also_suspect_says_why(linked):
    linked.trace()
    edit(linked, TEXT, OPPOSITE)
    linked.junit(("tests.x.test_log", "test_full", "failed"))
    row = linked.row(linked.trace(), "SMETS-5.7.5.31-2")
    assert (row.status.value, row.suspect_reason) == ("failing", "changed since first traced")
    linked.cli("trace")
    html = (linked.root / "build/trace/matrix.html").read_text(encoding="utf-8")
    assert (
        '<span class="spectrace-marker spectrace-marker-suspect">suspect: changed since first '
        "traced</span>"
    ) in html


def test_an_irp_that_changes_a_linked_statement_makes_its_links_suspect(linked):
    # The project builds SMETS 4.2 as it is; code is written and traced against it.
    listed = linked.toml
    linked.toml = listed.replace('proposals = ["IRP603"]', "proposals = []")
    linked.configure(check=GATE)
    linked.write("src/x/display.py", "def show():\n    '''implements: SMETS-4.4.5-5'''\n")
    assert linked.cli("trace").exit_code == 0
    assert linked.cli("check").exit_code == 0

    linked.toml = listed  # then IRP603 is listed, and changes SMETS-4.4.5-5 (change 1)
    linked.configure(check=GATE)
    result = linked.cli("check")
    assert result.exit_code == 1
    assert fails(result) == [
        "fail: SMETS-4.4.5-5 (SMETS 4.2+IRP603 4.4.5) is suspect (changed since first traced) "
        "[suspect]: GSME shall be capable of displaying the Security Log (4.6.5.17) on it…"
    ]
    assert linked.cli("review", "--irp", "IRP603").exit_code == 0
    assert linked.cli("check").exit_code == 0
    assert records(linked)["SMETS-4.4.5-5"]["by"] == REVIEWER


def test_a_statement_first_traced_after_an_irp_changed_it_is_compared_with_the_base(linked):
    """Its links were written against a text; the base edition's is the one it had before any
    proposal, so the change the IRP made still shows."""
    linked.write("src/x/display.py", "def show():\n    '''implements: SMETS-4.4.5-5'''\n")
    linked.write("src/x/han.py", "def refuse():\n    '''implements: SMETS-5.6.1-2'''\n")
    matrix = linked.trace()
    assert linked.row(matrix, "SMETS-4.4.5-5").suspect_reason == "changed since first traced"
    assert not linked.row(matrix, "SMETS-5.6.1-2").suspect  # added by IRP603: its own text
    assert records(linked)["SMETS-5.6.1-2"] == fingerprint(
        "ESME shall not provide any information from the Security Log (5.7.5.31) to Type 1 "
        "Devices or Type 2 Devices."
    )


def test_check_writes_nothing_and_fails_until_the_record_is_committed(linked):
    result = linked.cli("check")
    assert result.exit_code == 1
    assert fails(result) == [
        "fail: SMETS-5.7.5.31-2 (SMETS 4.2+IRP603 5.7.5.31) is suspect (no record in "
        "trace/reviewed.json of the text its links were written against: run `spectrace trace` "
        "and commit it) [suspect]: When the log is full, the oldest entry shall be "
        "overwritten by the ne…"
    ]
    assert not (linked.root / "trace").exists()
    assert linked.cli("impact", "IRP603").exit_code == 0
    assert not (linked.root / "trace").exists()


@pytest.mark.parametrize("command", ["trace", "build"])
def test_in_ci_trace_and_build_record_nothing(linked, monkeypatch, command):
    """CI checks the committed record: one made there would be lost, and would hide that it
    is missing."""
    monkeypatch.setenv("CI", "true")
    assert linked.cli(command).exit_code == 0
    assert not (linked.root / "trace").exists()
    row = next(r for r in linked.matrix_json()["rows"] if r["statement"] == "SMETS-5.7.5.31-2")
    assert row["status"] == "suspect" and row["suspect_reason"].startswith("no record in ")
    monkeypatch.setenv("CI", "false")
    assert linked.cli(command).exit_code == 0
    assert records(linked) == {"SMETS-5.7.5.31-2": fingerprint(TEXT)}


def test_the_record_is_deterministic_sorted_and_written_only_when_it_grows(
    linked, tmp_path_factory
):
    linked.write(
        "src/x/more.py", "def more():\n    '''implements: SMETS 4.4.5, CHTS-4.6.3.5-1'''\n"
    )
    assert linked.cli("trace").exit_code == 0
    path = linked.root / REVIEWED
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data) == sorted(data) and len(data) == 7
    assert text == json.dumps(data, indent=1, sort_keys=True) + "\n"
    stamp = os.stat(path)
    assert linked.cli("trace").exit_code == 0  # nothing new: not written again
    assert (os.stat(path).st_ino, os.stat(path).st_mtime_ns) == (stamp.st_ino, stamp.st_mtime_ns)

    # Another clone, traced from scratch, records the same bytes.
    clone = tmp_path_factory.mktemp("clone")
    for name in ("spectrace.toml", "specs", "src", "tests", "build/junit.xml"):
        copy = shutil.copytree if (linked.root / name).is_dir() else shutil.copy
        (clone / name).parent.mkdir(parents=True, exist_ok=True)
        copy(linked.root / name, clone / name)
    assert run("--project", str(clone), "trace").exit_code == 0
    assert (clone / REVIEWED).read_text(encoding="utf-8") == text

    # A new link adds its line and changes no other.
    linked.write("tests/x/test_more.py", "def test_more():\n    '''verifies: SMETS-4.2-1'''\n")
    assert linked.cli("trace").exit_code == 0
    grown = path.read_text(encoding="utf-8").splitlines()
    assert [line for line in grown if line not in text.splitlines()] == [
        f' "SMETS-4.2-1": "{data_fingerprint(linked, "SMETS-4.2-1")}",'
    ]


def data_fingerprint(project, statement: str) -> str:
    matrix = project.trace(record=False)
    return fingerprint(project.row(matrix, statement).text)


def test_the_record_is_replaced_in_one_step(linked, monkeypatch):
    """A write that fails half-way leaves the record as it was, and no stray file."""
    linked.trace()
    path = linked.root / REVIEWED
    before = path.read_bytes()
    linked.write("src/x/more.py", "def more():\n    '''implements: SMETS-4.2-1'''\n")
    from pathlib import Path

    write_text = Path.write_text

    def half(self, data, *args, **kwargs):
        if self.parent == path.parent:
            write_text(self, data[: len(data) // 2], *args, **kwargs)
            raise OSError(28, "No space left on device", str(self))
        return write_text(self, data, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", half)
    one_error_line(linked.cli("trace"), "No space left on device")
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["reviewed.json"]


def test_a_review_file_of_fingerprints_only_still_works(linked):
    """The form written before reviews had reviewers: statement id to fingerprint."""
    old = (
        '{\n "SMETS-4.4.5-5": "58798c7c1dc5915d",\n'
        f' "SMETS-5.7.5.31-2": "{fingerprint(TEXT)}"\n}}\n'
    )
    linked.write(REVIEWED, old)
    assert linked.cli("check").exit_code == 0
    edit(linked, TEXT, OPPOSITE)
    result = linked.cli("check")
    assert result.exit_code == 1 and "(changed since first traced)" in fails(result)[0]
    assert linked.cli("review", "SMETS-5.7.5.31-2", "--by", "Ana").exit_code == 0
    lines = (linked.root / REVIEWED).read_text(encoding="utf-8").splitlines()
    assert lines[:2] == old.splitlines()[:2]  # the entries not reviewed stay as they were
    assert linked.cli("check").exit_code == 0


def test_review_says_who_reviewed_by_default(linked, monkeypatch):
    assert linked.cli("review", "SMETS-5.7.5.31-2").exit_code == 0
    record = records(linked)["SMETS-5.7.5.31-2"]
    assert record["by"] == REVIEWER  # git's user.name
    assert record["on"] == datetime.date.today().isoformat()
    assert "note" not in record

    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "")  # git knows no name: the system's user
    monkeypatch.setattr("spectrace.trace.review.getpass.getuser", lambda: "meteruser")
    assert linked.cli("review", "SMETS-5.7.5.31-2").exit_code == 0
    assert records(linked)["SMETS-5.7.5.31-2"]["by"] == "meteruser"

    def nobody():
        raise KeyError("no user")

    monkeypatch.setattr("spectrace.trace.review.getpass.getuser", nobody)
    one_error_line(linked.cli("review", "SMETS-5.7.5.31-2"), "give --by NAME")


def test_the_review_clock_can_be_given(linked):
    from spectrace import api
    from spectrace.config import load_project

    reviewed = api.review(
        load_project(linked.root),
        ["SMETS 5.7.5.31"],
        [],
        False,
        by="Ana",
        note="both statements",
        clock=lambda: datetime.date(2024, 2, 29),
    )
    assert reviewed == ["SMETS-5.7.5.31-1", "SMETS-5.7.5.31-2"]
    assert {r["on"] for r in records(linked).values()} == {"2024-02-29"}


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["SMETS-5.7.5.31-9"], ["SMETS-5.7.5.31-9", "names no statement"]),
        (["SMETS-5.7.5.31-2", "--by", " "], ['the reviewer ("by") is empty']),
        (["SMETS-5.7.5.31-2", "--by", "Ana\nLyst"], ["one line"]),
        (["SMETS-5.7.5.31-2", "--by", "A" * 201], ["over 200 characters"]),
        (["SMETS-5.7.5.31-2", "--note", "x" * 2001], ["the note is over 2000 characters"]),
        (["SMETS-5.7.5.31-2", "--note", "a\x1b[2Jb"], ["the note must be one line"]),
    ],
    ids=["unknown-id", "empty-by", "two-line-by", "long-by", "long-note", "escape-in-note"],
)
def test_a_bad_review_is_one_error_line_and_writes_nothing(linked, args, words):
    one_error_line(linked.cli("review", *args), *words)
    assert not (linked.root / REVIEWED).exists()
