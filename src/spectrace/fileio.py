"""Files in and out: inputs read only when they are regular files within their size limit;
outputs written so that nothing is half-written (into a temporary sibling, then renamed)."""

from __future__ import annotations

import ctypes
import io
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from spectrace.errors import ReadError, SpectraceError
from spectrace.limits import JSON_DEPTH


@contextmanager
def open_input(path: Path, *, limit: int) -> Iterator[io.BufferedReader]:
    """Yield ``path`` open for reading in binary, after checking that it is a regular file of
    at most ``limit`` bytes.

    A FIFO, device or socket is refused without blocking on it (it is opened non-blocking and
    checked before anything is read); every failure is a ReadError naming the file.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ReadError("no such file", file=str(path)) from None
    except IsADirectoryError:
        raise ReadError("is a folder, not a file", file=str(path)) from None
    except OSError as exc:
        raise ReadError(f"cannot be read ({exc.strerror})", file=str(path)) from None
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise ReadError("is a folder, not a file", file=str(path))
        if not stat.S_ISREG(status.st_mode):
            raise ReadError(
                "is not a regular file (a FIFO, device or socket); refused", file=str(path)
            )
        if status.st_size > limit:
            raise ReadError(too_large(status.st_size, limit), file=str(path))
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        yield handle


def read_input(path: Path, *, limit: int) -> bytes:
    """Return the bytes of the regular file ``path``, refusing more than ``limit`` bytes
    (also when the file grows while it is read)."""
    with open_input(path, limit=limit) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise ReadError(f"cannot be read ({exc.strerror})", file=str(path)) from None
    if len(data) > limit:
        raise ReadError(too_large(len(data), limit), file=str(path))
    return data


def read_text_input(path: Path, *, limit: int) -> str:
    """Return the UTF-8 text of the regular file ``path`` (a BOM is dropped), refusing more
    than ``limit`` bytes and text that is not UTF-8 (naming the line of the first bad byte)."""
    data = read_input(path, limit=limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReadError(
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x})",
            file=str(path),
            where=f"line {line}",
        ) from None


# a JSON string (brackets in it do not count; an unterminated one runs to the end, so that no
# quote is scanned twice), or a bracket
_JSON_NESTING = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)|[\[{\]}]', re.S)


def read_json(path: Path, *, limit: int) -> object:
    """Return the JSON value in the regular file ``path`` (at most ``limit`` bytes, UTF-8,
    nested at most :data:`~spectrace.limits.JSON_DEPTH` deep); any problem is a ReadError
    naming the file and, where there is one, the line."""
    text = read_text_input(path, limit=limit)
    check_nesting(text, file=str(path))
    try:
        return json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        message = getattr(exc, "msg", str(exc))
        raise ReadError(
            f"not readable JSON ({message})", file=str(path), where=f"line {line}" if line else None
        ) from None


def check_nesting(text: str, *, file: str) -> None:
    """Refuse JSON ``text`` whose arrays and objects nest deeper than
    :data:`~spectrace.limits.JSON_DEPTH`, in one pass, before a recursive parser sees it."""
    depth = 0
    for token in _JSON_NESTING.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > JSON_DEPTH:
                line = text.count("\n", 0, token.start()) + 1
                raise ReadError(
                    f"arrays and objects nest deeper than {JSON_DEPTH} levels; refused",
                    file=file,
                    where=f"line {line}",
                )
        elif bracket in ("]", "}"):
            depth -= 1


def too_large(size: int, limit: int) -> str:
    """Return the message for an input of ``size`` bytes over its ``limit``."""
    return f"is {_bytes(size)}, over the limit of {_bytes(limit)}"


def _bytes(size: int) -> str:
    if size >= 1 << 20:
        return f"{size / (1 << 20):.0f} MiB"
    if size >= 1 << 10:
        return f"{size / (1 << 10):.0f} KiB"
    return f"{size} bytes"


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` if the block succeeds.

    Only a regular file is ever replaced: a folder, link, FIFO or device at ``path`` is an
    error before anything is written.
    """
    refuse_special(path, folder=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(path, ".tmp")
        handle, temporary = tempfile.mkstemp(
            prefix=_staging_prefix(path), suffix=".tmp", dir=path.parent
        )
    except OSError as exc:
        raise SpectraceError(f"cannot write here ({exc.strerror})", file=str(path.parent)) from None
    os.close(handle)
    try:
        yield Path(temporary)
        try:
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; outputs are not
            os.replace(temporary, path)
        except OSError as exc:
            raise SpectraceError(f"cannot be replaced ({exc.strerror})", file=str(path)) from None
    finally:
        Path(temporary).unlink(missing_ok=True)


@contextmanager
def replaced_folder(target: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside ``target``; if the block succeeds, the staging
    folder replaces ``target``, else ``target`` stays as it was (which must be a folder)."""
    refuse_special(target, folder=True)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(target, "")
        staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(target), dir=target.parent))
    except OSError as exc:
        raise SpectraceError(
            f"cannot write here ({exc.strerror})", file=str(target.parent)
        ) from None
    try:
        yield staging
        _open_up(staging)
        _swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _staging_prefix(path: Path) -> str:
    """Return the name prefix of a temporary beside ``path``: it names the writing process,
    so that the next writer can tell a killed writer's leftovers from a running one's."""
    return f".{path.name}.staging-{os.getpid()}-"


def _remove_stale(path: Path, suffix: str) -> None:
    """Remove what a killed writer of ``path`` left beside it: temporaries whose process is
    gone."""
    pattern = re.compile(
        rf"^\.{re.escape(path.name)}\.staging-(\d+)-[a-z0-9_]{{8}}{re.escape(suffix)}$"
    )
    for name in os.listdir(path.parent):
        match = pattern.match(name)
        if match and not _alive(int(match.group(1))):
            leftover = path.parent / name
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (one of another user's counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def refuse_special(path: Path, *, folder: bool) -> None:
    """Refuse to replace ``path`` unless it is absent or a regular file (a real folder when
    ``folder``): a link, FIFO, device or socket there is never replaced."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise SpectraceError(f"cannot be looked at ({exc.strerror})", file=str(path)) from None
    wanted = stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode)
    if not wanted:
        expected = "folder" if folder else "regular file"
        raise SpectraceError(
            f"is a {kind_of(mode)}, not a {expected}; spectrace will not replace it",
            file=str(path),
        )


def remove(path: Path) -> None:
    """Remove what is at ``path``: a folder with what it holds, anything else (a link, even
    to a folder) itself; nothing there is no error."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def kind_of(mode: int) -> str:
    """Return what a file of ``mode`` (from lstat) is, in words: "FIFO", "symbolic link" ..."""
    return _KINDS.get(stat.S_IFMT(mode), "special file")


_KINDS = {
    stat.S_IFDIR: "folder",
    stat.S_IFREG: "regular file",
    stat.S_IFLNK: "symbolic link",
    stat.S_IFIFO: "FIFO",
    stat.S_IFCHR: "device",
    stat.S_IFBLK: "device",
    stat.S_IFSOCK: "socket",
}


def write_tree(files: dict[str, str], target: Path, *, replace: bool = False) -> None:
    """Write ``files`` ({relative name: text}) as the folder ``target``, all or nothing.

    An existing non-empty ``target`` is kept unless ``replace`` is true; then it is swapped out
    only after every new file has been written.
    """
    if target.is_dir() and any(target.iterdir()) and not replace:
        raise SpectraceError("already holds files; pass --force to replace them", file=str(target))
    with replaced_folder(target) as staging:
        for name, text in files.items():
            destination = (staging / name).resolve()
            if staging.resolve() not in destination.parents:
                raise SpectraceError(
                    f"refusing to write outside the folder: {name}", file=str(target)
                )
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(text, encoding="utf-8", newline="\n")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _open_up(folder: Path) -> None:
    """Give a staged folder the permissions a plainly created one would have (mkdtemp and
    mkstemp make everything private to the user)."""
    mask = _umask()
    os.chmod(folder, 0o777 & ~mask)
    for path in folder.rglob("*"):
        if path.is_dir():
            os.chmod(path, 0o777 & ~mask)
        elif (path.stat().st_mode & 0o777) == 0o600:
            os.chmod(path, 0o666 & ~mask)


def _swap(staging: Path, target: Path) -> None:
    """Put the folder ``staging`` in the place of ``target``: exchanged in one step where the
    system can (Linux), else moved aside and in (a moment without ``target``)."""
    if target.exists() and _exchange(staging, target):
        return  # staging now holds the previous folder, removed by the caller
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
        os.replace(target, old / "previous")
    try:
        os.replace(staging, target)
    except OSError:
        if old is not None:
            os.replace(old / "previous", target)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Exchange two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where the
    system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_cwd, exchange = -100, 2
    done = renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), exchange)
    return done == 0
