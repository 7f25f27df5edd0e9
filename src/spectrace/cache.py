"""A cache of parsed sources, keyed by their bytes.

Reading a 10,000-clause spec-as-code edition with docutils takes seconds, and every command
(``trace``, ``check``, ``impact``, ``build``) starts by reading the editions; loading the
parsed model back from a pickle takes a fraction of that. An entry is one file under
``OUTPUT/cache/``; its key is a SHA-1 over every source file's path and bytes, the caller's
own key parts (the vocabulary, for instance), and the code that parses (each of
spectrace's files' path, size and modification time, so an upgrade or an edit of the code is
a miss). A different key, or an entry that cannot be read, is a miss: the sources are parsed
and the entry written anew, atomically.

A pickle runs code when it is loaded: like every other output in ``OUTPUT``, the cache must
only be writable by those who may change the project. Set ``SPECTRACE_NO_CACHE=1`` to neither
read nor write it.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TypeVar

from spectrace.errors import SpectraceError
from spectrace.fileio import atomic_path, open_input
from spectrace.limits import CACHE_FILE_BYTES

T = TypeVar("T")
FORMAT = 1  # bump when what an entry holds changes shape
PACKAGE = Path(__file__).resolve().parent


def cached(
    folder: Path, name: str, sources: Iterable[Path], extra: str, make: Callable[[], T]
) -> T:
    """Return what ``make()`` returns for the files under ``sources``, from the entry ``name``
    in ``folder`` when neither those files nor ``extra`` have changed since it was written."""
    if os.environ.get("SPECTRACE_NO_CACHE"):
        return make()
    key = _key(sources, extra)
    entry = folder / f"{name}.pickle"
    found = load(entry, key)
    if found is not None:
        return found
    value = make()
    store(entry, key, value)
    return value


def cached_each(
    folder: Path,
    sources: Sequence[tuple[str, Path]],
    extra: str,
    make: Callable[[list[Path]], Iterator[T]],
) -> Iterator[T]:
    """Yield, for each ``(name, file)`` of ``sources`` in order, what ``make`` yields for that
    file: from the entry ``name`` in ``folder`` when neither the file nor ``extra`` has changed
    since it was written, else made and stored. ``make`` is called once with the files that
    have no entry, and is read one value at a time, as each is needed (so a failure in a file
    comes after everything before it was yielded, as without the cache)."""
    if os.environ.get("SPECTRACE_NO_CACHE"):
        yield from make([path for _, path in sources])
        return
    keys = [_key([path], f"{extra}\0{path}") for _, path in sources]
    with collector_paused():  # once for all: each pause's end may start a collection
        found = [
            load(folder / f"{name}.pickle", key)
            for (name, _), key in zip(sources, keys, strict=True)
        ]
    made = make([path for (_, path), value in zip(sources, found, strict=True) if value is None])
    for (name, _), key, value in zip(sources, keys, found, strict=True):
        if value is None:
            value = next(made)
            store(folder / f"{name}.pickle", key, value)
        yield value


def load(entry: Path, key: str = ""):
    """Return the value ``entry`` holds under ``key``, or None: when it is missing, unreadable,
    written under another key or by another version of spectrace, or caching is off."""
    if os.environ.get("SPECTRACE_NO_CACHE"):
        return None
    try:
        with open_input(entry, limit=CACHE_FILE_BYTES) as file, collector_paused():
            stored, value = pickle.load(file)
    except Exception:  # missing, not a regular file, truncated, or from another version
        return None
    return value if stored == _versioned(key) else None


def store(entry: Path, key: str, value) -> None:
    """Write ``value`` to ``entry`` under ``key``, atomically (nothing when caching is off)."""
    if os.environ.get("SPECTRACE_NO_CACHE"):
        return
    data = pickle.dumps((_versioned(key), value), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        with atomic_path(entry) as temporary:
            temporary.write_bytes(data)
    except (OSError, SpectraceError):
        pass  # a read-only output folder only costs the next run its time


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: unpickling a large edition makes hundreds of
    thousands of objects, none of them garbage, and each collection it would trigger walks
    them all (half the time of loading a 10,000-clause edition)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _versioned(key: str) -> str:
    return f"{FORMAT}\0{code_version()}\0{key}"


def _key(sources: Iterable[Path], extra: str) -> str:
    digest = hashlib.sha1()
    digest.update(f"{extra}\0".encode())
    for source in sources:
        files = sorted(source.rglob("*")) if source.is_dir() else [source]
        for path in files:
            if path.is_file():  # regular files only: a FIFO is never opened
                digest.update(os.fsencode(path.relative_to(source).as_posix()) + b"\0")
                with path.open("rb") as file:
                    digest.update(hashlib.file_digest(file, "sha1").digest())
    return digest.hexdigest()


@cache
def code_version() -> str:
    """Return a fingerprint of spectrace's own files: modules, templates, stylesheets (path,
    size, modification time; compiled modules aside)."""
    digest = hashlib.sha1()
    for directory, subdirs, names in os.walk(PACKAGE):
        subdirs[:] = sorted(name for name in subdirs if name != "__pycache__")
        for name in sorted(names):
            stat = os.stat(os.path.join(directory, name))
            relative = os.path.relpath(os.path.join(directory, name), PACKAGE)
            digest.update(f"{relative}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()
