"""Run one piece of a build in a second process while this one goes on.

A build's outputs are independent once the editions are computed: the editions are linted and
the database and the Word files written by a forked child process while the parent builds the
site, so a machine with two cores does both at once. The child shares the model copy-on-write
(nothing is pickled on the way in); what comes back is what the work returned (the findings),
or the exception it raised, which :meth:`Job.join` raises in the parent as if the work had
been done there.

Where ``fork`` is missing (not POSIX) or there is one core, the work runs in the caller, at
once. While a job runs, the objects that exist are frozen out of the cyclic collector
(``gc.freeze``): its collections would otherwise write to every page the two processes share,
copying them, and scan a model that holds no garbage.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

from spectrace.errors import SpectraceError

T = TypeVar("T")


class Job(Generic[T]):
    """Work started by :func:`start`; :meth:`join` waits for it."""

    def __init__(self, pid: int | None = None, reader: int = -1, outcome=None):
        self.pid = pid
        self.reader = reader
        self.outcome = outcome  # (raised, returned), once known

    def join(self) -> T:
        """Wait for the work to end; return what it returned, or raise what it raised."""
        if self.pid is not None:
            with os.fdopen(self.reader, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(self.pid, 0)
            gc.unfreeze()
            self.pid = None
            if not data:
                raise SpectraceError(f"the process writing the outputs ended ({_ended(status)})")
            self.outcome = pickle.loads(data)
        raised, returned = self.outcome
        if raised is not None:
            raise raised
        return returned

    def cancel(self) -> None:
        """End the work unfinished (the caller failed: its outputs are thrown away)."""
        if self.pid is None:
            return
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.reader)
        gc.unfreeze()
        self.pid = None


def start(work: Callable[[], T]) -> Job[T]:
    """Start ``work`` in a child process (or run it now, see the module) and return its job."""
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        try:
            return Job(outcome=(None, work()))
        except Exception as error:
            return Job(outcome=(error, None))
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()  # else the child's copy of the buffer would be printed twice
    gc.freeze()
    reader, writer = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: do the work, say how it went, end without cleaning up
        os.close(reader)
        _die_with_parent(parent)
        try:
            payload = _pickled((None, work()))
        except BaseException as error:
            payload = _pickled((error, None))
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(writer)
    return Job(pid, reader)


def _pickled(outcome: tuple) -> bytes:
    """Return the work's outcome, (raised, returned), pickled; when it cannot be, an error
    that says what it was."""
    try:
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)
        return data
    except Exception as error:
        problem = outcome[0] if outcome[0] is not None else error
        text = "".join(traceback.format_exception(problem)).strip()
        failure = RuntimeError(f"in the process writing the outputs:\n{text}")
        return pickle.dumps((failure, None))


def _die_with_parent(parent: int) -> None:
    """Have the system end this child if the parent dies first (Linux), so a killed build
    leaves no process writing into its partial generation."""
    with contextlib.suppress(Exception):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


def _ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"status {os.waitstatus_to_exitcode(status)}"
