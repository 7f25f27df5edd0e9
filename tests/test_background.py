"""Work done in a second process behaves as if done in this one: its files are there when it
is joined, what it raised is raised here, and a failed caller ends it."""

from __future__ import annotations

import gc
import os
import signal
import threading
import time

import pytest

from spectrace import background
from spectrace.errors import ReadError, SpectraceError


def test_the_work_is_done_when_joined_and_what_it_returned_comes_back(tmp_path):
    def work():
        (tmp_path / "out").write_text("done")
        return {"findings": [1, 2]}

    job = background.start(work)
    assert job.join() == {"findings": [1, 2]}
    assert (tmp_path / "out").read_text() == "done"
    assert gc.get_freeze_count() == 0  # the collector sees everything again


def test_with_one_core_the_work_is_done_at_once_and_joined_the_same(monkeypatch, tmp_path):
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    job = background.start(lambda: os.getpid())
    assert job.join() == os.getpid()  # in this process

    def work():
        raise ReadError("not readable", file="x.rst")

    failed = background.start(work)
    with pytest.raises(ReadError, match=r"x\.rst: not readable"):
        failed.join()


def test_a_users_error_in_the_work_is_raised_with_its_place():
    def work():
        raise ReadError("not readable", file="specs/x.rst", where="line 3")

    job = background.start(work)
    with pytest.raises(ReadError) as raised:
        job.join()
    assert str(raised.value) == "specs/x.rst: line 3: not readable"


class Unpicklable(Exception):
    def __init__(self, lock):
        super().__init__("held")
        self.lock = lock


def test_an_error_that_cannot_travel_comes_back_as_its_traceback():
    def work():
        raise Unpicklable(threading.Lock())

    job = background.start(work)
    with pytest.raises(RuntimeError, match="Unpicklable: held"):
        job.join()


forks = pytest.mark.skipif(
    not hasattr(os, "fork") or (os.cpu_count() or 1) < 2,
    reason="no fork or one core: the work runs in the caller",
)


@forks
def test_a_work_process_that_dies_is_an_error():
    job = background.start(lambda: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(SpectraceError, match="killed by signal 9"):
        job.join()


@forks
def test_cancel_ends_the_work_at_once(tmp_path):
    def work():
        time.sleep(30)
        (tmp_path / "late").write_text("should never be written")

    job = background.start(work)
    started = time.monotonic()
    job.cancel()
    assert time.monotonic() - started < 5
    assert not (tmp_path / "late").exists()
    assert gc.get_freeze_count() == 0
    job.cancel()  # twice is harmless
