"""The project file's [trace] and [check] tables."""

from pathlib import Path

import pytest

from spectrace.config import DEFAULT_EXCLUDE, TraceWaiver, load_project
from spectrace.errors import ConfigError

BASE = '[project]\nspecs = "specs"\n[documents.SMETS]\nedition = "4.2"\n'


def project_with(tmp_path: Path, tables: str):
    (tmp_path / "spectrace.toml").write_text(BASE + tables, encoding="utf-8")
    return load_project(tmp_path / "spectrace.toml")


def test_without_trace_tables_nothing_is_scanned_and_the_gate_has_safe_defaults(tmp_path):
    trace = project_with(tmp_path, "").trace
    assert (trace.code, trace.tests, trace.results) == ([], [], [])
    assert trace.modalities == ["shall", "shall_not"]
    assert trace.fail_on == ["uncovered", "failing", "suspect", "errors"]
    assert trace.reviewed == "trace/reviewed.json"


def test_trace_and_check_settings_are_read(tmp_path):
    trace = project_with(
        tmp_path,
        '[trace]\ncode = ["src"]\ntests = ["tests"]\nresults = ["build/*.xml"]\n'
        'reviewed = "links.json"\n'
        '[check]\ndocuments = ["SMETS"]\nmodalities = ["shall"]\nfail-on = ["tested-only"]\n'
        '[[check.waive]]\nclause = "SMETS 5.7.5.31"\nreason = "DCC tests it"\n',
    ).trace
    assert (trace.code, trace.tests, trace.results) == (["src"], ["tests"], ["build/*.xml"])
    assert trace.reviewed == "links.json"
    assert (trace.documents, trace.modalities, trace.fail_on) == (
        ["SMETS"],
        ["shall"],
        ["tested-only"],
    )
    header = BASE.count("\n") + 10  # the line of [[check.waive]], for error messages
    assert trace.waivers == [
        TraceWaiver("SMETS 5.7.5.31", "DCC tests it", "[[check.waive]] #1", header)
    ]


def test_excludes_add_to_the_defaults_so_virtual_envs_stay_out(tmp_path):
    trace = project_with(tmp_path, '[trace]\nexclude = ["**/generated/**"]\n').trace
    assert trace.exclude == [*DEFAULT_EXCLUDE, "**/generated/**"]


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        ('[trace]\ncode = "src"\n', "[trace] code: must be a list of non-empty strings"),
        ('[trace]\nsources = ["src"]\n', "[trace]: unknown key 'sources'"),
        ('[check]\nfail-on = ["uncoverd"]\n', "[check] fail-on: unknown rule 'uncoverd'"),
        ('[check]\nmodalities = ["must"]\n', "[check] modalities: unknown modality 'must'"),
        ('[[check.waive]]\nreason = "x"\n', "[[check.waive]] #1: give either a statement or a"),
        (
            '[[check.waive]]\nstatement = "SMETS-5.6.1-2"\n',
            "[[check.waive]] #1 reason: must be a non-empty string",
        ),
        ('[check]\nwaive = "all"\n', "[[check.waive]]: must be an array of tables"),
    ],
)
def test_bad_trace_settings_name_the_key(tmp_path, tables, message):
    with pytest.raises(ConfigError) as caught:
        project_with(tmp_path, tables)
    assert message in str(caught.value)
    assert "spectrace.toml" in str(caught.value)
