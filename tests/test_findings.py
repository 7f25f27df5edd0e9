"""One finding type: every code is catalogued and documented, and every kind of place prints
and serialises the same way."""

from __future__ import annotations

import re

import pytest

from spectrace.findings import (
    CATALOGUE,
    Code,
    Finding,
    InChange,
    InDocument,
    InFile,
    Severity,
    Stage,
    codes,
    in_document,
    in_file,
    text_of,
)
from spectrace.model.revision import refused
from tests.conftest import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs" / "findings.rst"


def test_every_code_is_catalogued_and_documented_with_its_stage_and_severity():
    assert set(CATALOGUE) == set(Code)
    rows = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^``([a-z-]+)``\s+(lint|amend|trace)\s+(error|warning|info)\s", line)
        if match:
            rows[match.group(1)] = (match.group(2), match.group(3))
    assert rows == {
        code.value: (entry.stage.value, entry.severity.value) for code, entry in CATALOGUE.items()
    }


def test_each_stage_has_its_codes():
    assert codes(Stage.LINT)[0] is Code.DANGLING_REF
    assert Code.CONFLICT in codes(Stage.AMEND)
    assert Code.RETIRED_TARGET in codes(Stage.TRACE)
    assert sum(len(codes(stage)) for stage in Stage) == len(Code)


CASES = [
    (
        in_document("undefined-term", "a message", "SMETS", "4.2", "4.4.4"),
        "warning: SMETS 4.2 4.4.4: a message [undefined-term]",
        {"document": "SMETS", "edition": "4.2", "clause": "4.4.4"},
    ),
    (
        refused("conflict", "IRP603", 3, "SMETS 5.6.1", "a message"),
        "error: IRP603 change 3 (SMETS 5.6.1): a message [conflict]",
        {"irp": "IRP603", "change": 3, "target": "SMETS 5.6.1"},
    ),
    (
        in_file(Code.UNKNOWN_TARGET, "src/a.c", 3, "a message"),
        "error: src/a.c:3: a message [unknown-target]",
        {"file": "src/a.c", "line": 3},
    ),
    (
        in_file(Code.MISSING_INPUT, "build/junit.xml", 0, "a message"),
        "error: build/junit.xml: a message [missing-input]",
        {"file": "build/junit.xml", "line": 0},
    ),
]


@pytest.mark.parametrize(("finding", "line", "place"), CASES)
def test_a_finding_prints_and_serialises_the_same_way_wherever_it_is(finding, line, place):
    assert str(finding) == line
    data = finding.as_dict()
    assert data == {
        "severity": finding.severity.value,
        "code": finding.code.value,
        **place,
        "message": "a message",
    }
    assert list(data)[:2] == ["severity", "code"] and list(data)[-1] == "message"
    assert text_of(data) == line  # what the HTML shows from matrix.json


def test_a_finding_takes_its_catalogued_severity_and_refuses_an_unknown_code():
    assert Finding.of("no-modal", InDocument(), "m").severity is Severity.WARNING
    with pytest.raises(ValueError):
        Finding.of("no-such-code", InFile("a"), "m")


def test_an_older_matrix_without_severity_or_code_still_reads_as_one_line():
    assert text_of({"file": "a.py", "line": 2, "message": "m"}) == "a.py:2: m"
    assert text_of({"message": "m"}) == "m"


def test_retired_is_carried_but_not_compared_printed_or_serialised():
    plain = in_file(Code.RETIRED_TARGET, "a.c", 1, "m")
    naming = in_file(Code.RETIRED_TARGET, "a.c", 1, "m", retired=("SMETS-1-1",))
    assert plain == naming and str(plain) == str(naming)
    assert naming.as_dict() == plain.as_dict() and naming.retired == ("SMETS-1-1",)


def test_a_change_place_names_the_change():
    assert str(InChange("IRP1", 2, "SMETS Glossary")) == "IRP1 change 2 (SMETS Glossary)"
