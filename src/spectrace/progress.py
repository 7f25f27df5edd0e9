"""Progress of long work: the library says which phase it is in and how far along it is; a
front end shows it, or does not.

A long step of the library runs as a phase of the :class:`Progress` its caller gave::

    with progress.phase("read SMETS 4.2", total=len(files)) as step:
        for file in files:
            ...
            step.advance()
        step.describe(f"{len(files)} files, {clauses} clauses")

The default, :data:`QUIET`, shows nothing: a library caller that passes no progress pays a
method call per step. Code far below the one that opened a phase (a reader under the cache)
reports to it without a parameter: :func:`advance` and :func:`expect` act on the innermost
phase open in the current context, and do nothing outside one.

Two front ends, chosen by the command line: :class:`Lines` writes one line per phase, with what
it did and its duration, when it ends (``spectrace -v`` in CI or a pipe); :class:`Bars` shows
the phases live on a terminal, with counts and a progress bar (rich).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID


class Step:
    """A phase under way: its ``name``, the work ``done`` of the ``total`` expected (None while
    unknown), what it gave (``summary``, said when it ends) and when it began."""

    __slots__ = ("_pid", "_progress", "began", "done", "ended", "name", "summary", "total")

    def __init__(self, name: str, total: int | None, progress: Progress):
        self.name = name
        self.total = total
        self.done = 0
        self.summary = ""
        self.began = time.perf_counter()
        self.ended: float | None = None
        self._progress = progress
        self._pid = os.getpid()

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more pieces of work done. A worker process forked meanwhile (Sphinx
        reads in some) holds a copy of the step: there it does nothing, since a display's
        locks may have been copied held."""
        if os.getpid() == self._pid:
            self.done += count
            self._progress.advanced(self)

    def expect(self, total: int) -> None:
        """Say how much work the phase holds, once it is known."""
        if os.getpid() == self._pid:
            self.total = total
            self._progress.advanced(self)

    def describe(self, summary: str) -> None:
        """Say what the phase gave ("52 files, 10000 clauses"), shown when it ends."""
        self.summary = summary

    @property
    def seconds(self) -> float:
        """Return how long the phase took (so far, while it runs)."""
        return (self.ended if self.ended is not None else time.perf_counter()) - self.began


_CURRENT: ContextVar[Step | None] = ContextVar("spectrace_progress_step", default=None)


def advance(count: int = 1) -> None:
    """Count ``count`` more pieces of work done in the innermost open phase, if any."""
    step = _CURRENT.get()
    if step is not None:
        step.advance(count)


def expect(total: int) -> None:
    """Say how much work the innermost open phase holds, if there is one."""
    step = _CURRENT.get()
    if step is not None:
        step.expect(total)


class Progress:
    """Progress that shows nothing: the default. A front end overrides :meth:`started`,
    :meth:`advanced` and :meth:`ended`, which every phase calls.

    Only the process that made the front end shows anything: a phase begun in a process
    forked from it (the work a build does beside the site, :mod:`spectrace.background`) shows
    nothing, since the display's locks may have been copied held and its lines would mix."""

    _owner: int | None = None  # the process the front end belongs to (None: any)

    @contextmanager
    def phase(self, name: str, total: int | None = None) -> Iterator[Step]:
        """Yield the :class:`Step` of the phase ``name`` of ``total`` pieces of work (None:
        unknown, or nothing to count), the innermost open phase while the block runs."""
        shown = self._owner in (None, os.getpid())
        front = self if shown else QUIET
        step = Step(name, total, front)
        token = _CURRENT.set(step)
        front.started(step)
        failed = True
        try:
            yield step
            failed = False
        finally:
            _CURRENT.reset(token)
            step.ended = time.perf_counter()
            front.ended(step, failed)

    def started(self, step: Step) -> None:
        """Called when ``step`` begins."""

    def advanced(self, step: Step) -> None:
        """Called when ``step`` did more work, or learnt its total."""

    def ended(self, step: Step, failed: bool) -> None:
        """Called when ``step`` ends; ``failed`` when an exception ended it."""


#: Progress that shows nothing.
QUIET = Progress()


def line(step: Step, failed: bool = False) -> str:
    """Return the line that says what ``step`` did and how long it took:
    ``read SMETS 4.2: 9 files, 102 clauses (0.31 s)``."""
    said = "failed" if failed else step.summary
    if not said and step.done:
        said = f"{step.done}" if step.total is None else f"{step.done} of {step.total}"
    return f"{step.name}{': ' + said if said else ''} ({step.seconds:.2f} s)"


class Lines(Progress):
    """One line per phase, written to ``stream`` when the phase ends (:func:`line`): for logs,
    where a live display would be noise."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self._owner = os.getpid()

    def ended(self, step: Step, failed: bool) -> None:
        self.stream.write(line(step, failed) + "\n")
        self.stream.flush()


class Bars(Progress):
    """The phases shown live on a terminal (rich): a line per phase with a spinner while it
    runs, a bar and ``done/total`` when it counts its work, and its time; when it ends, a mark
    (✓, or ✗ when it failed) and what it gave. Use it as a context manager: the display runs
    inside the ``with`` block, and what it shows stays on the terminal after it.

    Only standard error is written: standard output carries data (``--json``)."""

    def __init__(self, console: Console | None = None):
        from rich.console import Console

        self.console = console or Console(stderr=True)
        self.rich = _rich_progress(self.console)
        self._owner = os.getpid()
        self.tasks: dict[int, TaskID] = {}

    def __enter__(self) -> Bars:
        self.rich.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.rich.stop()

    def started(self, step: Step) -> None:
        self.tasks[id(step)] = self.rich.add_task(step.name, total=step.total, count="")

    def advanced(self, step: Step) -> None:
        task = self.tasks.get(id(step))
        if task is not None:
            self.rich.update(task, completed=step.done, total=step.total, count=_count(step))

    def ended(self, step: Step, failed: bool) -> None:
        task = self.tasks.pop(id(step), None)
        if task is None:
            return
        said = "failed" if failed else step.summary or _count(step)
        total = step.total if step.total is not None else max(step.done, 1)
        self.rich.update(
            task,
            description=f"{step.name}{': ' + said if said else ''}",
            total=total,
            completed=step.done if failed else total,
            count="",
            seconds=step.seconds,
            mark="[red]✗" if failed else "[green]✓",
        )
        self.rich.stop_task(task)


def _count(step: Step) -> str:
    if step.total is None:
        return f"{step.done}" if step.done else ""
    return f"{step.done}/{step.total}"


def _rich_progress(console: Console) -> RichProgress:
    """Return a rich display of phases: spinner, name, bar, count, seconds."""
    from rich.console import RenderableType
    from rich.progress import BarColumn, ProgressColumn, SpinnerColumn, Task, TextColumn
    from rich.progress import Progress as RichProgress
    from rich.text import Text

    class Mark(SpinnerColumn):
        def render(self, task: Task) -> RenderableType:
            mark = task.fields.get("mark")
            return Text.from_markup(mark) if mark else super().render(task)

    class Bar(ProgressColumn):
        """A bar while the phase runs; none once it ended."""

        bar = BarColumn(bar_width=30)

        def render(self, task: Task) -> RenderableType:
            return Text("") if task.fields.get("mark") else self.bar.render(task)

    class Seconds(ProgressColumn):
        def render(self, task: Task) -> Text:
            seconds = task.fields.get("seconds", task.elapsed or 0.0)
            return Text(f"{seconds:.1f} s", style="progress.elapsed")

    return RichProgress(
        Mark(),
        TextColumn("{task.description}"),
        Bar(),
        TextColumn("{task.fields[count]}"),
        Seconds(),
        console=console,
        redirect_stdout=False,
        refresh_per_second=8,
    )
