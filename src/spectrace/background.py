"""Run one piece of a build in a second process while this one goes on.

A build's outputs are independent once the editions are computed: the database and the Word
files are written by a forked child process while the parent builds the site, so a machine
with two cores does both at once. The child shares the model copy-on-write (nothing is
pickled); what comes back is only its exception, if it raised one, which :meth:`Job.join`
raises in the parent as if the work had been done there.

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

from spectrace.errors import SpectraceError


class Job:
    """Work started by :func:`start`; :meth:`join` waits for it."""

    def __init__(self, pid: int | None = None, reader: int = -1, error=None):
        self.pid = pid
        self.reader = reader
        self.error = error  # what the work raised, when it ran in the caller

    def join(self) -> None:
        """Wait for the work to end; raise what it raised."""
        if self.pid is None:
            if self.error is not None:
                raise self.error
            return
        with os.fdopen(self.reader, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        gc.unfreeze()
        self.pid = None
        if data:
            error = pickle.loads(data)
            raise error
        if status != 0:
            raise SpectraceError(f"the process writing the outputs ended ({_ended(status)})")

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


def start(work: Callable[[], None]) -> Job:
    """Start ``work`` in a child process (or run it now, see the module) and return its job."""
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        try:
            work()
        except Exception as error:
            return Job(error=error)
        return Job()
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
        payload = b""
        try:
            work()
        except BaseException as error:
            payload = _pickled(error)
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(writer)
    return Job(pid, reader)


def _pickled(error: BaseException) -> bytes:
    """Return ``error`` pickled, or, when it cannot be, an error that says what it was."""
    try:
        data = pickle.dumps(error)
        pickle.loads(data)
        return data
    except Exception:
        text = "".join(traceback.format_exception(error)).strip()
        return pickle.dumps(RuntimeError(f"in the process writing the outputs:\n{text}"))


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
