"""The digest of a build's inputs changes with every input, and only with them; a file is
trusted by its size and time only when its time is safely older than the record."""

from __future__ import annotations

import json
import os
import time

import pytest

from spectrace.config import load_project
from spectrace.inputs import CACHE, inputs_digest
from tests.conftest import bundled_project


@pytest.fixture
def project(tmp_path):
    folder = bundled_project(tmp_path / "project")
    return load_project(folder)


def test_the_same_inputs_give_the_same_digest_and_any_edit_another(project):
    cache = project.output / "cache"
    first = inputs_digest(project, cache)
    assert inputs_digest(project, cache) == first == inputs_digest(project)
    section = project.specs / "SMETS" / "4.2" / "section-04.rst"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("ten seconds", "nine seconds"), encoding="utf-8")
    assert inputs_digest(project, cache) != first
    section.write_text(text, encoding="utf-8")
    assert inputs_digest(project, cache) == first  # content, not times


def test_a_file_added_or_removed_under_the_specs_changes_the_digest(project):
    first = inputs_digest(project)
    extra = project.specs / "notes.txt"
    extra.write_text("a note", encoding="utf-8")
    assert inputs_digest(project) != first
    extra.unlink()
    assert inputs_digest(project) == first


def test_an_edit_that_keeps_size_and_time_is_seen_while_the_record_is_recent(project):
    cache = project.output / "cache"
    section = project.specs / "SMETS" / "4.2" / "section-04.rst"
    os.utime(section)  # written just now, as an editor saves it
    first = inputs_digest(project, cache)
    before = section.stat()
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("ten seconds", "TEN seconds"), encoding="utf-8")
    os.utime(section, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same time
    assert inputs_digest(project, cache) != first  # hashed again: too close to the record


def test_an_old_file_with_its_recorded_size_and_time_is_not_read_again(project):
    cache = project.output / "cache"
    section = project.specs / "SMETS" / "4.2" / "section-04.rst"
    old = time.time_ns() - 60 * 10**9
    os.utime(section, ns=(old, old))
    inputs_digest(project, cache)
    recorded = json.loads((cache / CACHE).read_text(encoding="utf-8"))["files"]
    assert str(section) in recorded
    # the cache is what is trusted: a forged digest there shows it was used unread
    recorded[str(section)][2] = "forged"
    data = json.loads((cache / CACHE).read_text(encoding="utf-8"))
    data["files"] = recorded
    (cache / CACHE).write_text(json.dumps(data), encoding="utf-8")
    trusted = inputs_digest(project, cache)
    os.utime(section, ns=(old + 10**9, old + 10**9))  # its time moves: read again
    assert inputs_digest(project, cache) != trusted


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"version": 1, "files": 3}'])
def test_a_damaged_cache_only_costs_reading_the_files_again(project, content):
    cache = project.output / "cache"
    first = inputs_digest(project, cache)
    (cache / CACHE).write_text(content, encoding="utf-8")
    assert inputs_digest(project, cache) == first


def test_a_fifo_among_the_inputs_is_never_opened(project):
    fifo = project.specs / "pipe"
    os.mkfifo(fifo)
    first = inputs_digest(project, project.output / "cache")  # returns: nothing waits on it
    fifo.unlink()
    fifo.write_text("", encoding="utf-8")
    assert inputs_digest(project, project.output / "cache") != first


def test_the_code_and_results_a_trace_reads_are_inputs(tmp_path):
    folder = bundled_project(tmp_path / "traced", extra_toml='[trace]\ncode = ["src"]\n'
                             'results = ["results/*.xml"]\n')  # fmt: skip
    (folder / "src").mkdir()
    code = folder / "src" / "meter.py"
    code.write_text("def f():\n    pass\n", encoding="utf-8")
    project = load_project(folder)
    first = inputs_digest(project)
    code.write_text("def f():\n    '''implements: SMETS-4.4.1-1'''\n", encoding="utf-8")
    second = inputs_digest(project)
    assert second != first
    (folder / "results").mkdir()
    (folder / "results" / "junit.xml").write_text("<testsuite/>", encoding="utf-8")
    third = inputs_digest(project)
    assert third != second
    (folder / "src" / "notes.bin").write_bytes(b"\0")  # not a file the scanner reads
    assert inputs_digest(project) == third
