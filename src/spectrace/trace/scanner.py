"""Find ``implements:`` and ``verifies:`` tags in source trees.

Python files are read with ``ast`` and a lexer of strings and comments: tags count in comments
and docstrings only, and belong to the function or class they sit in, or to the one that
follows a comment block (reported as ``path:line qualified.name``); ``@pytest.mark.verifies``
marks a test the same way. Other languages are read by their comment syntax, a tag per line.
Results are cached by file content, so a second scan reads only what changed; many changed
files are read by several processes at once.

Every file is read in time linear in its size and memory proportional to it: only regular
files are read (a FIFO or device in a scanned folder is skipped), none over
:data:`~spectrace.limits.SOURCE_FILE_BYTES` (a tracing problem), and a large Python file is
outlined by a lexer rather than by ``ast``, whose tree takes up to 500 bytes a byte of source.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import os
import re
import stat
import time
import tokenize
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fnmatch import translate
from pathlib import Path

from spectrace.errors import ReadError
from spectrace.fileio import open_input, read_input
from spectrace.findings import Code, in_file
from spectrace.limits import SOURCE_FILE_BYTES
from spectrace.trace.model import TITLE_SEPARATOR, Link, LinkKind, TraceError
from spectrace.trace.outline import STRING, Owners, module_name, outline, test_key
from spectrace.trace.tags import KINDS, TAG, trim

CACHE_VERSION = 11  # bump when what a scan finds in the same bytes, or the cache layout, changes
RACY_NS = 2_000_000_000  # a file modified this close to the cache's writing is read again
PARALLEL_FROM = 200  # fewer changed files are read in this process: workers take time to start
_COMMENTS = {
    # a block comment left open runs to the end, as for a compiler (and is scanned once)
    "c": re.compile(r"//[^\n]*|/\*.*?(?:\*/|\Z)", re.S),
    "hash": re.compile(r"#[^\n]*"),
    "dash": re.compile(r"--[^\n]*"),
}
LANGUAGES = {
    **dict.fromkeys(
        (
            ".c",
            ".h",
            ".cc",
            ".cpp",
            ".cxx",
            ".hpp",
            ".hh",
            ".hxx",
            ".rs",
            ".java",
            ".kt",
            ".scala",
            ".js",
            ".jsx",
            ".mjs",
            ".ts",
            ".tsx",
            ".go",
            ".cs",
            ".swift",
            ".m",
            ".mm",
            ".dart",
        ),
        "c",
    ),
    **dict.fromkeys((".rb", ".sh", ".bash", ".pl", ".r", ".cmake", ".yaml", ".yml"), "hash"),
    **dict.fromkeys((".sql", ".lua", ".hs", ".ada", ".adb", ".ads", ".vhd"), "dash"),
    ".py": "python",
}
# A quoted test title. An escape and any other character never match the same text, so a title
# left open costs one pass (with "." for the other character, a run of backslashes backtracked
# exponentially: 24 took 30 ms, 1,000 never ended).
_TITLE = r"(?P<quote>['\"`])(?P<title>(?:\\.|(?!(?P=quote))[^\\])+)(?P=quote)"
# A name starts at a word's start and is taken whole (\b, *+): trying every end of every
# suffix of a word made "void aaa..." quadratic (40,000 letters: 38 s).
_FOLLOWING_NAME = re.compile(
    r"^\s*(?:TEST(?:_F|_P)?\s*\(\s*(?P<suite>\w+)\s*,\s*(?P<case>\w+)\s*\)"
    # a Jest, Vitest or Mocha test: test("refuses the log", ...), it.only('...', ...)
    rf"|(?:test|it)(?:\.\w+)*\s*\(\s*{_TITLE}"
    r"|(?:(?:pub\([^()]*\)|(?:pub|fn|func|def|void|static|public|private|protected|async|"
    r"export|function|int|bool|class|struct|impl)\b)"
    r"[\w\s\*&<>,:]*?(?:\([^()]*\)\s*)?)?"  # a Go receiver
    r"\b(?P<name>[A-Za-z_]\w*+)\s*[\(\{<]"
    # a C or C++ function of any return type: "const uint8_t *Log::oldest(void)"
    r"|(?!(?:return|else|case|goto|throw|new|delete)\b)(?:[A-Za-z_][\w:<>,]*[\s\*&]+)+"
    r"(?P<typed>[A-Za-z_]\w*(?:::\w+)*)\s*\()"
)


@dataclass
class FileScan:
    links: list[Link] = field(default_factory=list)
    errors: list[TraceError] = field(default_factory=list)


class Scanner:
    """Scan files under a root, reusing what a cache file remembers of unchanged files.

    The cache maps each file's relative path to ``[sha1, size, mtime_ns, links, errors]``, a
    link being ``[kind, target, line, name, test]`` and an error ``[line, code, message]``. A file
    whose size and modification time are as recorded (and not racily close to the cache's
    own) is not read again; any other file is hashed, and scanned if its bytes changed.
    """

    def __init__(self, root: Path, exclude: list[str], cache: Path | None = None):
        self.root = root
        self.exclude = exclude
        # "**/NAME/**" names every path with a NAME folder in it: a test for "/NAME/" in
        # "/" + path says the same as fnmatch, and much faster than a regex
        folders = [_FOLDER_GLOB.fullmatch(_normcase(glob)) for glob in exclude]
        self._folders = [f"{_SEPARATOR}{m[1]}{_SEPARATOR}" for m in folders if m]
        # the other globs as fnmatch tests them, as one regex (translate()'s results may be
        # joined), matched against "/" + path: the globs match the path, or "/" + path
        globs = "|".join(
            translate(_normcase(glob))
            for glob, folder in zip(exclude, folders, strict=True)
            if not folder
        )
        self._exclude = (
            re.compile(f"{re.escape(_SEPARATOR)}(?:{globs})|(?:{globs})").match if globs else None
        )
        self.cache_path = cache
        self.written = 0  # when the cache was written (ns since the epoch)
        self.cache: dict[str, list] = self._load_cache()
        self.seen: dict[str, list] = {}
        self.current = False  # whether the cache file already says what this scan found

    def scan(self, folders: list[str]) -> FileScan:
        """Return every tag and every problem found under ``folders`` (relative to the root)."""
        with self.start(folders) as finish:
            return finish()

    @contextmanager
    def start(self, folders: list[str]) -> Iterator[Callable[[], FileScan]]:
        """Start scanning ``folders``, and yield the function that returns the scan.

        Files the cache does not vouch for are read by worker processes meanwhile (when there
        are many), so the caller can do other work, such as reading the specification, before
        it asks for the result. Leaving the block early cancels what has not started.
        """
        missing = [problem for folder in folders if (problem := self._named_problem(folder))]
        files = self._files(folders)
        known: dict[str, list] = {}
        changed: list[tuple[str, str]] = []
        stats: dict[str, tuple[int, int]] = {}
        trusted = 0
        for relative, path, found in files:
            cached = self.cache.get(relative)
            stats[relative] = found
            # only a file the cache knows is read here: the others are read where scanned
            if cached and self._unchanged(cached, found):
                trusted += 1
                known[relative] = cached
            elif cached and cached[0] == _sha1(path):
                known[relative] = [cached[0], *found, *cached[3:]]
            else:
                changed.append((relative, path))
        self.current = trusted == len(files) == len(self.cache)

        with _scanning(changed) as scanned:

            def finish() -> FileScan:
                found = {relative: _unpack(relative, entry) for relative, entry in known.items()}
                self.seen.update(known)
                for (relative, _), (digest, scan) in zip(changed, scanned, strict=True):
                    if digest is not None:
                        self.seen[relative] = _pack(digest, stats[relative], scan)
                    found[relative] = scan
                result = FileScan(errors=missing)
                for relative, _, _ in files:
                    result.links += found[relative].links
                    result.errors += found[relative].errors
                return result

            yield finish

    def _unchanged(self, entry: list, stat: tuple[int, int]) -> bool:
        """Whether a file's size and modification time are those the cache recorded, and that
        time is older than the cache by more than the file system's clock can blur (a file
        written in the same moment as the cache could change unseen: it is read again)."""
        return tuple(entry[1:3]) == stat and stat[1] < self.written - RACY_NS

    def save(self) -> None:
        """Write the cache of the files scanned this time (forgetting files that are gone),
        unless every file was as the cache recorded."""
        if self.cache_path is None or self.current:
            return
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": CACHE_VERSION, "written": time.time_ns(), "files": self.seen}
        self.cache_path.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")

    def _load_cache(self) -> dict[str, list]:
        """Return the cache's files, or none if it is missing, damaged or of another version
        (then every file is read)."""
        if self.cache_path is None or not self.cache_path.is_file():
            return {}
        try:
            data = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
            return {}
        files = data.get("files")
        if not isinstance(files, dict):
            return {}
        if not all(isinstance(entry, list) and len(entry) == 5 for entry in files.values()):
            return {}
        self.written = data.get("written", 0)
        return files

    def _named_problem(self, folder: str) -> TraceError | None:
        """Return what is wrong with a folder or file [trace] code or tests names, if anything:
        it does not exist, or is neither a folder nor a regular file (a FIFO, a device)."""
        path = self.root / folder
        if not path.exists():
            return in_file(
                Code.MISSING_INPUT,
                folder,
                0,
                "no such file or folder (named in [trace] code or tests)",
            )
        if not (path.is_dir() or path.is_file()):
            return in_file(
                Code.UNREADABLE_INPUT,
                folder,
                0,
                "not a regular file or folder (named in [trace] code or tests)",
            )
        return None

    def files(self, folders: list[str]) -> list[tuple[str, str]]:
        """Return the (relative POSIX path, path) of each file a scan of ``folders`` reads."""
        return [(relative, path) for relative, path, _ in self._files(folders)]

    def _files(self, folders: list[str]) -> list[tuple[str, str, tuple[int, int]]]:
        """Return the (relative POSIX path, path, (size, mtime)) of each file to scan, in the
        order of their ``Path``s (by their parts), made without a ``Path`` for each file as
        that is slow. Only regular files (or links to them) are scanned: a FIFO, device or
        socket in a folder is skipped. A relative path is :func:`shown` as text."""
        files: dict[str, tuple[str, str, tuple[int, int]]] = {}
        for folder in folders:
            start = self.root / folder
            if start.is_file():
                relative = shown(start.relative_to(self.root).as_posix())
                path = str(start)
                files.setdefault(_sort_key(relative), (relative, path, _file_stat(path) or _NONE))
                continue
            for directory, subdirs, names in os.walk(start):
                prefix = shown(Path(directory).relative_to(self.root).as_posix()) + "/"
                prefix = "" if prefix == "./" else prefix
                subdirs[:] = sorted(d for d in subdirs if not self._excluded(f"{prefix}{d}/"))
                for name in names:
                    relative = prefix + shown(name)
                    if _suffix(name) in LANGUAGES and not self._excluded(relative):
                        path = os.path.join(directory, name)
                        if found := _file_stat(path):
                            files.setdefault(_sort_key(relative), (relative, path, found))
        return [files[key] for key in sorted(files)]

    def _excluded(self, relative: str) -> bool:
        """Whether an exclude glob matches a relative path (a folder's ends with "/")."""
        # a folder also as "vendor/x", so that "**/vendor/**" names the folder itself; and with
        # a "/" in front, so that "**/vendor/**" names a vendor folder at the top too
        path = _normcase("/" + relative)
        if any(folder in path for folder in self._folders):
            return True
        match = self._exclude
        if match is None:
            return False
        return bool(match(path) or (relative.endswith("/") and match(_normcase(f"/{relative}x"))))


def shown(name: str) -> str:
    """Return a file name as text that can be written and printed anywhere: bytes that are not
    UTF-8 (which Python keeps as lone surrogates) are escaped as ``\\xff``."""
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


_NONE = (-1, -1)  # the size and time of a file that has none: it is read, and its problem told


def _file_stat(path: str) -> tuple[int, int] | None:
    """Return the size and modification time (ns) of a regular file (following links), or
    :data:`_NONE` when it cannot be found out; None for a FIFO, device or socket (skipped:
    reading one could block, or never end)."""
    try:
        found = os.stat(path)
    except OSError:
        return _NONE
    if not stat.S_ISREG(found.st_mode):
        return None
    return found.st_size, found.st_mtime_ns


def _sort_key(relative: str) -> str:
    """Return a key that sorts paths as ``Path`` does, by their parts (case-folded where the
    file system is): the separator is made the lowest character."""
    return _normcase(relative).replace(_SEPARATOR, "\0")


_normcase = os.path.normcase
_SEPARATOR = _normcase("/")
_FOLDER_GLOB = re.compile(r"\*\*[/\\]([^*?\[\]/\\]+)[/\\]\*\*")


def _suffix(name: str) -> str:
    """Return ``Path(name).suffix.lower()``."""
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def _pack(digest: str, stat: tuple[int, int], found: FileScan) -> list:
    """Return a file's cache entry (lists rather than dicts: smaller, and quicker to load)."""
    return [
        digest,
        *stat,
        [[x.kind, x.target, x.line, x.name, x.test] for x in found.links],
        [[x.location.line, x.code.value, x.message] for x in found.errors],
    ]


#: Each link kind by its text: a look-up, quicker than ``LinkKind(text)`` for every cached link.
_KIND = {str(kind): kind for kind in LinkKind}


def _unpack(path: str, entry: list) -> FileScan:
    """Return what a cache entry says was found in the file at ``path``."""
    links, errors = entry[3:]
    return FileScan(
        [
            Link(_KIND[kind], target, path, line, name, test)
            for kind, target, line, name, test in links
        ],
        [in_file(code, path, line, message) for line, code, message in errors],
    )


@contextmanager
def _scanning(files: list[tuple[str, str]]) -> Iterator[Iterator[tuple[str | None, FileScan]]]:
    """Yield ``_scan_file`` of each (relative path, path), in order. Many files are shared
    among processes, each reading its own (quicker than sending their bytes), which start at
    once and run while the block does; a few are read here and now.

    The cyclic garbage collector is off while files are parsed (here, or in the workers):
    parsing makes many objects, none in a cycle, and the collections they would trigger take a
    fifth of the time.
    """
    workers = _cpus()
    if len(files) < PARALLEL_FROM or workers < 2:
        with _gc_paused():
            scanned = [_scan_file(relative, path) for relative, path in files]
        yield iter(scanned)
        return
    from concurrent.futures import ProcessPoolExecutor  # here: most scans read few files

    pool = ProcessPoolExecutor(workers, initializer=gc.disable)
    try:
        chunk = max(1, len(files) // (workers * 32))
        yield pool.map(_scan_file, *zip(*files, strict=True), chunksize=chunk)
    finally:
        pool.shutdown(cancel_futures=True)


def _scan_file(relative: str, path: str) -> tuple[str | None, FileScan]:
    """Return the sha1 of a file's bytes and the tags in them; no sha1 if it cannot be read
    (not a regular file by now, or over :data:`~spectrace.limits.SOURCE_FILE_BYTES`): that is
    a tracing problem, and the file is read again next time."""
    try:
        data = read_input(Path(path), limit=SOURCE_FILE_BYTES)
    except ReadError as exc:
        problem = in_file(
            Code.UNREADABLE_INPUT, relative, 0, f"{exc.message}; tags in it are not read"
        )
        return None, FileScan(errors=[problem])
    return hashlib.sha1(data).hexdigest(), scan_source(relative, data)


def _sha1(path: str) -> str | None:
    """Return the sha1 of a regular file's bytes, read in pieces (none if it cannot be read, or
    is over the limit)."""
    try:
        with open_input(Path(path), limit=SOURCE_FILE_BYTES) as file:
            return hashlib.file_digest(file, "sha1").hexdigest()
    except (ReadError, OSError):
        return None


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Disable the cyclic garbage collector for a while (if it was enabled)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _cpus() -> int:
    """Return how many CPUs this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def scan_source(path: str, data: bytes) -> FileScan:
    """Return the tags in one file's bytes (a binary file has none)."""
    if b"\0" in data:
        return _with_nul(path, data)
    if not _MENTIONS.search(data):  # tags are case-insensitive ("Implements:")
        return FileScan()
    language = LANGUAGES.get(Path(path).suffix.lower(), "c")
    encoding = "utf-8"
    if language == "python":  # PEP 263: "# -*- coding: latin-1 -*-" in the first two lines
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as exc:
            return FileScan(
                errors=[
                    in_file(
                        Code.UNREADABLE_INPUT,
                        path,
                        exc.lineno or 1,
                        f"{exc.msg}; tags in it are not read",
                    )
                ]
            )
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        name = "UTF-8" if encoding == "utf-8" else encoding
        return FileScan(
            errors=[
                in_file(
                    Code.UNREADABLE_INPUT, path, line, f"not {name} text; tags in it are not read"
                )
            ]
        )
    if "\r" in text:  # lines end at "\r\n", "\n" or a lone "\r", as Python and editors see them
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if language == "python":
        return _python(path, text)
    return _by_comments(path, text, _COMMENTS[language])


_MENTIONS = re.compile("|".join(KINDS).encode(), re.IGNORECASE)
# The first bytes of binary formats that may well hold a NUL byte and carry a source suffix
# (a firmware image named .c): ELF, PE, Mach-O, Java class, ar, zip, gzip, PNG, JPEG, GIF, PDF,
# WebAssembly, SQLite.
_BINARY = (
    *(b"\x7fELF", b"MZ", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe"),
    *(b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"!<arch>\n", b"PK\x03\x04", b"\x1f\x8b"),
    *(b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"\0asm", b"SQLite format 3\0"),
)


def _with_nul(path: str, data: bytes) -> FileScan:
    """Return what a file holding a NUL byte gives. A known binary format (by its first bytes),
    or a file that mentions no tag even with its NULs dropped, has no tags. Any other (UTF-16
    text, a stray NUL) is a problem naming the line of its first NUL: its tags cannot be read,
    and must not vanish silently."""
    if data.startswith(_BINARY) or not _MENTIONS.search(data.replace(b"\0", b"")):
        return FileScan()
    line = data.count(b"\n", 0, data.index(b"\0")) + 1
    message = "holds a NUL byte, so it is not text (UTF-16?); tags in it are not read"
    return FileScan(errors=[in_file(Code.UNREADABLE_INPUT, path, line, message)])


def _by_comments(path: str, text: str, pattern: re.Pattern) -> FileScan:
    """Return the tags in the comments ``pattern`` finds in ``text``. A comment on lines of its
    own tags the function or test that follows it; one after code tags its line only.

    One pass: lines are counted from one comment to the next, and where a comment's line
    starts is carried along (counting from the top for each tag was quadratic).
    """
    result = FileScan()
    describes: list[tuple[str, ...]] | None = None  # of each line, when a test title needs them
    line, counted, line_start, previous_end = 1, 0, 0, 0
    for comment in pattern.finditer(text):
        start, body = comment.start(), comment.group()
        line += text.count("\n", counted, start)
        line_start = max(line_start, text.rfind("\n", counted, start) + 1)
        counted = start
        beside = previous_end > line_start  # another comment ends on its line, before it
        previous_end = comment.end()
        if not TAG.search(body):
            continue
        alone = not beside and not text[line_start:start].strip()
        owner, at, titled = (
            _following_name(text, comment.end(), line + body.count("\n"))
            if alone
            else ("", 0, False)
        )
        if titled:
            describes = describes if describes is not None else _describe_blocks(text)
            owner = TITLE_SEPARATOR.join([*describes[at], owner])
        for offset, piece in enumerate(body.split("\n")):
            for tag in TAG.finditer(piece):
                result.links += _links(tag, path, line + offset, owner, owner)
    return result


def _starts_line(text: str, start: int) -> bool:
    return not text[text.rfind("\n", 0, start) + 1 : start].strip()


def _following_name(text: str, end: int, line: int) -> tuple[str, int, bool]:
    """Return the name of the function or test that starts after a comment ending at ``end``
    on ``line``, if it is clear; the index of its line; and whether the name is a test's title
    (Jest, Vitest, Mocha). The three lines after the comment's last line are looked at."""
    start = text.find("\n", end) + 1
    for index in range(line, line + 3):
        if start == 0:
            break
        stop = text.find("\n", start)
        piece = text[start : stop if stop >= 0 else len(text)]
        start = stop + 1
        if not piece.strip() or piece.strip().startswith(("//", "/*", "*", "#", "@", "[")):
            continue
        match = _FOLLOWING_NAME.match(piece)
        if match and match["suite"]:
            return f"{match['suite']}.{match['case']}", index, False
        if match and match["title"]:
            return _unescape(match["title"]), index, True
        if match and match["typed"]:
            return match["typed"], index, False
        name = match["name"] if match and match["name"] not in {"if", "for", "while"} else ""
        return name, index, False
    return "", 0, False


_DESCRIBE = re.compile(rf"(?P<indent>\s*)describe(?:\.\w+)*\s*\(\s*{_TITLE}")


def _describe_blocks(text: str) -> list[tuple[str, ...]]:
    """Return, for each line, the titles of the ``describe`` blocks it is in, outermost first.

    Blocks are told by indentation, as formatted code shows them: a block holds the lines
    indented more than its ``describe(`` line, up to its closing line. Where that guess is
    wrong, the test's name names no JUnit case, and its title alone is matched.
    """
    blocks: list[tuple[int, str]] = []
    found = []
    for line in text.split("\n"):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if stripped and not stripped.startswith(("}", ")", "]")):
            while blocks and indent <= blocks[-1][0]:
                blocks.pop()
        found.append(tuple(title for block, title in blocks if block < indent))
        match = _DESCRIBE.match(line)
        if match:
            blocks.append((len(match["indent"]), _unescape(match["title"])))
    return found


def _unescape(title: str) -> str:
    return re.sub(r"\\(.)", r"\1", title)


def _links(tag: re.Match, path: str, line: int, name: str, test: str) -> list[Link]:
    kind = LinkKind(tag["kind"].lower())
    verifies = kind is LinkKind.VERIFIES
    return [Link(kind, trim(tag["targets"]), path, line, name, test if verifies else "")]


# Python ------------------------------------------------------------------------------------


def _python(path: str, text: str) -> FileScan:
    try:
        scopes, docstrings = outline(text)
    except SyntaxError as exc:
        problem = in_file(
            Code.PARTLY_READ,
            path,
            exc.lineno or 0,
            f"Python syntax error ({exc.msg}); tags read line by line",
        )
        fallback = _by_comments(path, text, _COMMENTS["hash"])
        return FileScan(fallback.links, [problem])
    module = module_name(path)
    owners = Owners(scopes)
    result = FileScan()
    for line, piece, alone in _lexed(text, docstrings):
        for tag in TAG.finditer(piece):
            # only a comment on a line of its own can tag the def that follows
            scope = owners.at(line, comment=alone)
            result.links += _links(
                tag, path, line, scope.qualname if scope else "", test_key(module, scope)
            )
    for scope in scopes:
        for text_ids, line in scope.marks:
            result.links.append(
                Link(
                    LinkKind.VERIFIES,
                    text_ids,
                    path,
                    line,
                    scope.qualname,
                    test_key(module, scope),
                )
            )
    return result


# Comments and string literals (a string's prefix left out: no tag can start in it).
_LEXEME = re.compile(rf"\#[^\n]*|{STRING}", re.VERBOSE)


def _lexed(text: str, docstrings: set[int]) -> Iterator[tuple[int, str, bool]]:
    """Yield (line, text, alone) for each comment holding a tag, and each line of each string
    holding a tag that starts on a docstring's line (as tokenize would give them); ``alone`` is
    true for a comment on a line of its own.

    One regex pass over the file: tokenizing it all would take twenty times as long.
    """
    line, counted = 1, 0
    for lexeme in _LEXEME.finditer(text):
        start = lexeme.start()
        line += text.count("\n", counted, start)
        counted = start
        if text[start] == "#":
            if TAG.search(lexeme.group()):
                yield line, lexeme.group(), _starts_line(text, start)
        elif line in docstrings and TAG.search(lexeme.group()):
            for offset, piece in enumerate(lexeme.group().split("\n")):
                yield line + offset, piece, False
