"""A project's outputs, switched from one build to the next in one atomic step.

Each command that writes the project's outputs (``build``, ``trace``, ``db``) writes a new
*generation*: a folder holding the whole set. A symbolic link ``current`` names the generation
readers see, and the outputs' usual names are fixed links through it::

    OUTPUT/                      ([project] output, default build/)
      .gen-8/                    the current generation: html/ docx/ trace/ requirements.db
      .gen-7/                    the one before, kept until the next switch
      current -> .gen-8          the one link a switch replaces
      html -> current/html       fixed links: a web server or a user opens these
      docx -> current/docx
      trace -> current/trace
      requirements.db -> current/requirements.db   (at [project] database, wherever it is)
      cache/                     caches, not outputs (site/: the Sphinx build kept between builds)
      .lock                      held by the command writing a generation

A generation is written as ``.gen-N.partial`` and renamed ``.gen-N`` when complete; the switch
is one ``rename(2)`` of a new link over ``current``. So at every instant every name resolves
into one complete generation: entirely the previous build or entirely the new one. What a
command does not write itself (``trace`` writes no site) it carries over from the current
generation as hard links. A killed command leaves at most a partial generation or a stray
link, which the next command removes; two commands on one project take turns (a lock).

An existing output that spectrace did not make (a file, a folder of someone else's, a link to
elsewhere, a FIFO or device) is never replaced: the command stops with an error instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from spectrace.errors import SpectraceError
from spectrace.fileio import kind_of, read_json, remove
from spectrace.limits import RECORD_BYTES

#: The outputs of a generation, by name: folders, and the database file.
FOLDERS = ("html", "docx", "trace")
DATABASE = "requirements.db"
ENTRIES = (*FOLDERS, DATABASE)
#: A generation's record of the build that wrote it: the digest of its inputs, whether it
#: failed, what it said (:func:`spectrace.api.build`). Never carried over: a generation
#: another command wrote has none, so the next build is a whole one.
RECORD = "build.json"
CURRENT = "current"
LOCK = ".lock"
_GENERATION = re.compile(r"^\.gen-(\d+)$")
_PARTIAL = re.compile(r"^\.gen-(\d+)\.partial$")
_STRAY_LINK = re.compile(r"^\.current\.\d+\.tmp$")
#: Staging folders and files that spectrace versions before generations left when killed.
_LEGACY_STAGING = re.compile(
    r"^\.(html|docx|trace|requirements\.db)\.(old\.)?[A-Za-z0-9_]+(\.tmp)?$"
)
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: The steps of writing and switching a generation, in order (see :func:`_step`).
STEPS = ("begun", "written", "completed", "link made", "switched", "linked", "pruned")


def _step(name: str) -> None:
    """Called at each step of writing and switching a generation; tests replace it to stop
    the process there (a kill at every step must leave one whole generation readable)."""


@dataclass
class Generation:
    """A generation being written: the folder of each output in it."""

    folder: Path
    previous: Path | None  # the current generation when this one was begun, if any

    def path(self, entry: str) -> Path:
        """Return where ``entry`` (one of :data:`ENTRIES`) goes in this generation."""
        return self.folder / entry

    def before(self, entry: str) -> Path | None:
        """Return ``entry`` as the current generation holds it (None: there is none)."""
        if self.previous is None:
            return None
        path = self.previous / entry
        return path if os.path.lexists(path) else None


class Outputs:
    """The generations under ``root`` (the project's output folder) and the fixed names that
    lead into the current one; ``database`` is where the database's name is."""

    def __init__(self, root: Path, database: Path):
        self.root = root
        self.database = database

    def names(self) -> dict[str, Path]:
        """Return each entry's fixed name: the path a reader opens."""
        return {**{name: self.root / name for name in FOLDERS}, DATABASE: self.database}

    def current(self) -> Path | None:
        """Return the current generation's folder, or None before the first build."""
        link = self.root / CURRENT
        if not link.is_symlink():
            return None
        target = os.readlink(link)
        if not _GENERATION.match(target):
            raise SpectraceError(
                f"is a link to {target!r}, not to a generation spectrace wrote; remove it",
                file=str(link),
            )
        folder = self.root / target
        return folder if folder.is_dir() else None

    def record(self) -> dict | None:
        """Return the current generation's build record, when it has one, every output it
        lists (``entries``) is there and every fixed name leads to it; else None (a fixed
        name holding something spectrace did not make is an error, as for a build)."""
        self._check_names()
        current = self.current()
        if current is None or not all(
            name.is_symlink() and os.readlink(name) == self._target(entry, name)
            for entry, name in self.names().items()
        ):
            return None
        try:
            found = read_json(current / RECORD, limit=RECORD_BYTES)
        except (OSError, SpectraceError):
            return None
        if not isinstance(found, dict) or not isinstance(found.get("entries"), list):
            return None
        entries = found["entries"]
        if not all(e in ENTRIES and os.path.lexists(current / e) for e in entries):
            return None
        return found

    def write_record(self, generation: Generation, record: dict) -> None:
        """Write ``record`` as the build record of ``generation``, listing its outputs."""
        entries = [e for e in ENTRIES if os.path.lexists(generation.path(e))]
        text = json.dumps({**record, "entries": entries}, sort_keys=True)
        generation.path(RECORD).write_text(text, encoding="utf-8")

    @contextmanager
    def generation(self, writes: tuple[str, ...]) -> Iterator[Generation]:
        """Yield a new generation to write the entries ``writes`` into; when the block
        succeeds, carry the other entries over from the current generation and switch to it.

        If the block fails (or the process dies), readers keep the current generation.
        """
        self._check_names()
        self.root.mkdir(parents=True, exist_ok=True)
        with _locked(self.root / LOCK):
            self._remove_stale()
            previous = self.current()
            number = 1 + max(self._numbers(), default=0)
            partial = self.root / f".gen-{number}.partial"
            partial.mkdir()
            _step("begun")
            try:
                yield Generation(partial, previous)
                if previous is not None:
                    _carry_over(previous, partial, [e for e in ENTRIES if e not in writes])
                _step("written")
                folder = self.root / f".gen-{number}"
                os.replace(partial, folder)
            except BaseException:
                shutil.rmtree(partial, ignore_errors=True)
                raise
            _step("completed")
            self._switch(folder.name)
            _step("switched")
            self._link_names()
            _step("linked")
            self._prune(keep={folder.name, previous.name if previous else ""})
            _step("pruned")

    # --- the switch ---------------------------------------------------------------------

    def _switch(self, generation: str) -> None:
        """Point ``current`` at ``generation`` by renaming a new link over it."""
        link = self.root / f".current.{os.getpid()}.tmp"
        link.unlink(missing_ok=True)
        os.symlink(generation, link)
        _step("link made")
        os.replace(link, self.root / CURRENT)

    def _link_names(self) -> None:
        """Make each fixed name a link through ``current`` (once; later switches keep them).

        Outputs from before generations (real folders and files at the fixed names) are
        moved into the previous generation first; only then is there a moment without them.
        """
        for entry, name in self.names().items():
            wanted = self._target(entry, name)
            if name.is_symlink() and os.readlink(name) == wanted:
                continue
            if os.path.lexists(name):
                _retire(name, self.root / f".gen-legacy-{entry}")
            name.parent.mkdir(parents=True, exist_ok=True)
            temporary = name.with_name(f".{name.name}.{os.getpid()}.tmp")
            temporary.unlink(missing_ok=True)
            os.symlink(wanted, temporary)
            os.replace(temporary, name)

    def _target(self, entry: str, name: Path) -> str:
        """Return the link text that leads from ``name`` to ``entry`` of the current one."""
        return os.path.relpath(self.root / CURRENT / entry, name.parent)

    # --- what may be replaced -----------------------------------------------------------

    def _check_names(self) -> None:
        """Refuse to go on if a fixed name holds something spectrace did not make."""
        if os.path.lexists(self.root) and not self.root.is_dir():
            raise SpectraceError("is not a folder; outputs need a folder here", file=str(self.root))
        current = self.root / CURRENT
        if os.path.lexists(current) and not current.is_symlink():
            raise SpectraceError(
                "is not the link spectrace keeps to the current outputs; move it away",
                file=str(current),
            )
        for entry, name in self.names().items():
            if not os.path.lexists(name):
                continue
            if name.is_symlink():
                if os.readlink(name) != self._target(entry, name):
                    raise SpectraceError(
                        f"is a link to {os.readlink(name)!r}, not one spectrace made; "
                        "refusing to replace it",
                        file=str(name),
                    )
            elif not _looks_like_ours(entry, name):
                raise SpectraceError(
                    f"is a {kind_of(name.lstat().st_mode)} that spectrace did not write; "
                    "refusing to replace it "
                    "(move it away, or point [project] output elsewhere)",
                    file=str(name),
                )

    # --- tidying ------------------------------------------------------------------------

    def _numbers(self) -> list[int]:
        numbers = []
        for child in self._children():
            match = _GENERATION.match(child) or _PARTIAL.match(child)
            if match:
                numbers.append(int(match.group(1)))
        return numbers

    def _children(self) -> list[str]:
        try:
            return sorted(os.listdir(self.root))
        except OSError:
            return []

    def _remove_stale(self) -> None:
        """Remove what killed commands left: partial generations, stray links, legacy
        staging, and generations older than the current one and the one before it."""
        current = self.current()
        complete = sorted(
            (int(m.group(1)), child)
            for child in self._children()
            if (m := _GENERATION.match(child))
        )
        older = [name for _, name in complete if current is None or name != current.name]
        keep = {current.name if current else "", older[-1] if older else ""}
        for child in self._children():
            if child in keep:
                continue
            if (
                _GENERATION.match(child)
                or _PARTIAL.match(child)
                or _STRAY_LINK.match(child)
                or _LEGACY_STAGING.match(child)
                or child.startswith(".gen-legacy-")
            ):
                remove(self.root / child)

    def _prune(self, keep: set[str]) -> None:
        """Remove every complete generation but those in ``keep``."""
        for child in self._children():
            if _GENERATION.match(child) and child not in keep:
                remove(self.root / child)


def _looks_like_ours(entry: str, name: Path) -> bool:
    """Whether ``name`` (a real file or folder at a fixed name) is output of a spectrace
    from before generations: a site Sphinx built, Word files, a matrix, a database."""
    mode = name.lstat().st_mode
    if entry == DATABASE:
        if not stat.S_ISREG(mode):
            return False
        with name.open("rb") as handle:
            return handle.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC or name.stat().st_size == 0
    if not stat.S_ISDIR(mode):
        return False
    children = set(os.listdir(name))
    if entry == "html":
        return ".buildinfo" in children or not children
    if entry == "docx":
        return all(child.endswith(".docx") for child in children)
    return bool(children & {"matrix.json", "summary.md", "cache.json"}) or not children


def _carry_over(previous: Path, folder: Path, entries: list[str]) -> None:
    """Give ``folder`` the ``entries`` of the ``previous`` generation, as hard links (files
    are never changed in place, so sharing them is safe), or copies where links fail."""
    for entry in entries:
        source = previous / entry
        if source.is_dir():
            shutil.copytree(source, folder / entry, copy_function=_link_or_copy, symlinks=True)
        elif source.is_file():
            _link_or_copy(source, folder / entry)


def _link_or_copy(source: str | Path, destination: str | Path) -> None:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _retire(name: Path, aside: Path) -> None:
    """Move an output from before generations out of the way of its link."""
    remove(aside)
    os.replace(name, aside)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (released by the system if the process dies)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    if os.path.lexists(path) and not path.is_file():
        raise SpectraceError("is not a regular file; it is spectrace's lock", file=str(path))
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
