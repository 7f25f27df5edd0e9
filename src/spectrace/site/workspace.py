"""The Sphinx build of the site kept between builds, so that after a small edit only the pages
that changed are read and written again.

A build renders every page's source (cheap) and hands the set to :func:`build_site`, which
keeps, under the workspace folder (``OUTPUT/cache/site``)::

    sources/    the site's Sphinx sources as last built: a file is written only when its text
                changed, and Sphinx is told which ones were
    doctrees/   Sphinx's environment: what every page offers and holds
    html/       Sphinx's output, updated in place
    stamp       what the workspace was built from: spectrace's and Sphinx's versions, the
                configuration and templates
    building    present while Sphinx runs

Sphinx reads only the pages whose sources changed or are new, and writes those, plus the
pages they may change (see :func:`spectrace.sphinx.domain.updated`); the output of a page
whose source is gone is removed. The workspace starts afresh when its stamp differs (an
upgrade, another configuration), and when ``building`` is found at the start or Sphinx fails:
an environment that outlived a failed or killed build no longer says what the output holds.

The output a reader sees is never the workspace's: :func:`export` copies the workspace's
output into the new generation's folder, linking each file that is the same as the previous
generation's instead of copying it (see :func:`_same`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from importlib.metadata import version
from pathlib import Path

from spectrace.cache import code_version
from spectrace.errors import SpectraceError
from spectrace.fileio import read_text_input, remove
from spectrace.progress import QUIET, Progress
from spectrace.site.runner import run_sphinx

#: Sources that change how every page is built: a change starts the workspace afresh.
CONFIGURATION = ("conf.py", "_templates/")
#: Files written within this many seconds of the previous export are compared by content
#: (their size and time may not show a change made in the same tick of a coarse clock).
RACY_SECONDS = 2.0
STAMP = "stamp"
STAMP_BYTES = 1024  # a hex digest; anything longer is not a stamp a build wrote
BUILDING = "building"
#: What Sphinx keeps of its record of the configuration when the pages' context changed (the
#: site's navigation, :data:`.sources.NAVIGATION`) and it writes every page again: not output.
BUILD_INFO_BACKUP = ".buildinfo.bak"


def build_site(
    files: dict[str, str],
    workspace: Path,
    folder: Path,
    previous: Path | None,
    *,
    parallel: int,
    progress: Progress = QUIET,
) -> None:
    """Build the site whose sources are ``files`` ({relative path: text}) as HTML into
    ``folder``, reusing the Sphinx build kept in ``workspace``; ``previous`` is the previous
    generation's HTML folder (its unchanged files are linked, not copied), if any. Sphinx's
    reading and writing are phases of ``progress``."""
    sources, doctrees, html = workspace / "sources", workspace / "doctrees", workspace / "html"
    if workspace.is_symlink() or (os.path.lexists(workspace) and not workspace.is_dir()):
        workspace.unlink()  # not the folder a build made: never read or written through
    stamp = _stamp(files)
    fresh = _read_stamp(workspace) != stamp or (workspace / BUILDING).exists()
    if fresh:
        _clear(workspace)
    workspace.mkdir(parents=True, exist_ok=True)
    (workspace / BUILDING).touch()
    try:
        changed = _sync(files, sources, html)
        run_sphinx(
            sources, html, doctrees, parallel, fresh=fresh, changed=changed, progress=progress
        )
        remove(html / BUILD_INFO_BACKUP)
    except BaseException:
        _clear(workspace)
        raise
    export(html, folder, previous)
    (workspace / STAMP).write_text(stamp, encoding="utf-8")
    (workspace / BUILDING).unlink()


def _stamp(files: dict[str, str]) -> str:
    """Return what a workspace built from ``files`` can be reused for (see the module)."""
    digest = hashlib.sha1(usedforsecurity=False)
    for part in (code_version(), version("sphinx"), version("docutils")):
        digest.update(part.encode() + b"\0")
    for name in sorted(files):
        if name.startswith(CONFIGURATION):
            digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
            digest.update(files[name].encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def _read_stamp(workspace: Path) -> str | None:
    try:
        return read_text_input(workspace / STAMP, limit=STAMP_BYTES)
    except (OSError, SpectraceError):
        return None


def _regular_file(path: Path) -> bool:
    """Whether ``path`` is a regular file itself (not a link, FIFO or device)."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _clear(workspace: Path) -> None:
    """Empty the workspace (nothing in it is anyone's only copy)."""
    for name in ("sources", "doctrees", "html", STAMP):
        remove(workspace / name)


def _sync(files: dict[str, str], sources: Path, html: Path) -> set[str]:
    """Write into ``sources`` each file whose text differs from what is there, and remove
    the files (and the pages' output in ``html``) that are not in ``files``; return the
    names of those written."""
    root = sources.absolute()
    changed = set()
    for name, text in files.items():
        path = sources / name
        if root not in (root / name).resolve().parents:
            raise SpectraceError(f"refusing to write outside the folder: {name}", file=str(sources))
        data = text.encode("utf-8", "surrogateescape")
        if _regular_file(path):
            if path.read_bytes() == data:
                continue
        elif os.path.lexists(path):
            remove(path)  # not what a build left here (a FIFO is never opened)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        changed.add(name)
    for path in sorted(sources.rglob("*")):
        name = path.relative_to(sources).as_posix()
        if path.is_file() and name not in files:
            path.unlink()
            if name.endswith(".rst"):
                (html / name).with_suffix(".html").unlink(missing_ok=True)
    return changed


def export(html: Path, folder: Path, previous: Path | None) -> None:
    """Copy the workspace's output ``html`` into ``folder``: each file the previous
    generation holds unchanged is linked to it instead, so a generation costs the disk only
    what changed. A file of the output is never written in place (the workspace's are)."""
    for directory, subdirs, names in os.walk(html):
        subdirs.sort()
        relative = Path(directory).relative_to(html)
        (folder / relative).mkdir(parents=True, exist_ok=True)
        for name in sorted(names):
            source = Path(directory, name)
            destination = folder / relative / name
            before = previous / relative / name if previous is not None else None
            if before is not None and _same(source, before):
                try:
                    os.link(before, destination)
                    continue
                except OSError:
                    pass  # another file system, too many links: a copy will do
            shutil.copy2(source, destination)


def _same(source: Path, before: Path) -> bool:
    """Whether ``before`` (a previous generation's file) holds what ``source`` holds: the
    same size and time (a copy keeps its source's time) when the file was written long enough
    before it was copied that the clock shows any later change; else the same bytes."""
    try:
        now, then = source.stat(), before.lstat()
    except OSError:
        return False
    if not stat.S_ISREG(then.st_mode) or now.st_size != then.st_size:
        return False
    settled = then.st_mtime_ns < then.st_ctime_ns - RACY_SECONDS * 1e9
    if settled and now.st_mtime_ns == then.st_mtime_ns:
        return True
    return source.read_bytes() == before.read_bytes()
