"""Everything a build reads, as one digest: a build whose inputs are those of the current
generation's has nothing to do.

The inputs of a project's build are:

- spectrace itself (each of its files, :func:`spectrace.cache.code_version`), the versions of
  the libraries whose output it publishes (Sphinx, docutils, python-docx, lxml, jinja2), and
  Python's;
- the project file, and where the project is;
- every regular file under the spec-as-code root (the documents' sources, the IRPs and
  whatever else is there), and under the IRP folder and each document's sources when they are
  elsewhere;
- with a ``[trace]`` table: the code and test files the scanner reads (by its own rules), the
  test-result files the patterns match, and the review file.

Each file counts by its relative path and the SHA-1 of its bytes. Hashing is what a large code
tree costs, so the digest of a file whose size and modification time are those recorded last
time (and that was not modified in the moments before it was recorded, when a change may not
show in its time) is taken from ``OUTPUT/cache/inputs.json``, as git trusts its index.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import stat
import sys
import time
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from spectrace.cache import code_version
from spectrace.config import Project
from spectrace.errors import SpectraceError
from spectrace.fileio import atomic_path, read_json
from spectrace.limits import CACHE_FILE_BYTES
from spectrace.trace.scanner import Scanner

#: The libraries whose versions change what a build writes.
LIBRARIES = ("sphinx", "docutils", "python-docx", "lxml", "jinja2", "openpyxl")
#: A file modified this close to when its digest was recorded is hashed again.
RACY_NS = 2_000_000_000
CACHE = "inputs.json"
CACHE_VERSION = 1


def inputs_digest(project: Project, cache: Path | None = None) -> str:
    """Return the digest of everything a build of ``project`` reads (see the module); with
    ``cache`` (a folder), file digests are remembered there between calls."""
    digests = _Digests(cache / CACHE if cache is not None else None)
    whole = hashlib.sha1(usedforsecurity=False)
    for part in _versions():
        whole.update(part.encode() + b"\0")
    whole.update(os.fsencode(project.root) + b"\0")
    for label, path in _files(project):
        whole.update(f"{label}\0".encode("utf-8", "surrogateescape"))
        whole.update(digests.of(path).encode() + b"\0")
    digests.save()
    return whole.hexdigest()


def _versions() -> Iterator[str]:
    yield f"spectrace {code_version()}"
    yield f"python {sys.version}"
    for library in LIBRARIES:
        try:
            yield f"{library} {version(library)}"
        except PackageNotFoundError:
            yield f"{library} -"


def _files(project: Project) -> Iterator[tuple[str, str]]:
    """Yield (label, path) of each input file, in an order that depends only on the inputs."""
    yield "project", os.fspath(project.file)
    trees = [project.specs, project.irps, *(entry.sources for entry in project.documents)]
    covered: list[Path] = []
    for tree in sorted(trees, key=lambda path: len(path.parts)):
        if any(tree == done or done in tree.parents for done in covered):
            continue
        covered.append(tree)
        for path in _regular_files(tree):
            yield f"tree {tree.name}/{Path(path).relative_to(tree).as_posix()}", path
    config = project.trace
    if not config.configured:
        return
    scanner = Scanner(project.root, config.exclude)
    for relative, path in scanner.files([*config.code, *config.tests]):
        yield f"code {relative}", path
    for pattern in config.results:
        yield f"results {pattern}", ""
        for name in sorted(glob.glob(pattern, root_dir=project.root, recursive=True)):
            yield f"result {name}", os.path.join(project.root, name)
    yield "reviewed", os.fspath(project.root / config.reviewed)


def _regular_files(tree: Path) -> Iterator[str]:
    """Yield the path of every regular file under ``tree`` (links followed), sorted."""
    for directory, subdirs, names in os.walk(tree):
        subdirs.sort()
        for name in sorted(names):
            path = os.path.join(directory, name)
            try:
                if stat.S_ISREG(os.stat(path).st_mode):
                    yield path
            except OSError:
                yield path  # gone or unreadable: its digest says so


class _Digests:
    """File digests, remembered by size and modification time (see the module)."""

    def __init__(self, cache: Path | None):
        self.path = cache
        self.known: dict[str, list] = {}
        self.written = 0
        self.seen: dict[str, list] = {}
        if cache is not None:
            self._load(cache)

    def of(self, path: str) -> str:
        """Return the digest of the file at ``path`` ("-" none, "?" not a regular file)."""
        if not path:
            return "-"
        try:
            found = os.stat(path)
        except OSError:
            return "-"
        if not stat.S_ISREG(found.st_mode):
            return "?"
        key = [found.st_size, found.st_mtime_ns]
        known = self.known.get(path)
        if known and known[:2] == key and found.st_mtime_ns < self.written - RACY_NS:
            digest = known[2]
        else:
            try:
                with open(path, "rb") as file:
                    digest = hashlib.file_digest(file, "sha1").hexdigest()
            except OSError:
                return "!"
        self.seen[path] = [*key, digest]
        return digest

    def save(self) -> None:
        if self.path is None or self.seen == self.known:
            return
        data = {"version": CACHE_VERSION, "written": time.time_ns(), "files": self.seen}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_path(self.path) as temporary:
                temporary.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        except (OSError, SpectraceError):
            pass  # a read-only output folder only costs the next build its time

    def _load(self, cache: Path) -> None:
        try:
            data = read_json(cache, limit=CACHE_FILE_BYTES)
        except (OSError, SpectraceError):
            return
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
            return
        files, written = data.get("files"), data.get("written")
        if not isinstance(files, dict) or not isinstance(written, int):
            return
        self.known = {
            path: entry
            for path, entry in files.items()
            if isinstance(entry, list)
            and len(entry) == 3
            and all(isinstance(value, int) for value in entry[:2])
            and isinstance(entry[2], str)
        }
        self.written = written
