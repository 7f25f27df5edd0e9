"""Find ``implements:`` and ``verifies:`` tags in source trees.

Python files are read with ``ast`` and a lexer of strings and comments: tags count in comments
and docstrings only, and belong to the function or class they sit in, or to the one that
follows a comment block (reported as ``path:line qualified.name``); ``@pytest.mark.verifies``
marks a test the same way. Other languages are read by their comment syntax, a tag per line.
Results are cached by file content, so a second scan reads only what changed; many changed
files are read by several processes at once.
"""

from __future__ import annotations

import ast
import gc
import hashlib
import io
import json
import os
import re
import time
import tokenize
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fnmatch import translate
from pathlib import Path

from spectrace.trace.model import TITLE_SEPARATOR, Link, TraceError
from spectrace.trace.tags import TAG, trim

CACHE_VERSION = 9  # bump when what a scan finds in the same bytes, or the cache layout, changes
RACY_NS = 2_000_000_000  # a file modified this close to the cache's writing is read again
PARALLEL_FROM = 200  # fewer changed files are read in this process: workers take time to start
_COMMENTS = {
    "c": re.compile(r"//[^\n]*|/\*.*?\*/", re.S),
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
_FOLLOWING_NAME = re.compile(
    r"^\s*(?:TEST(?:_F|_P)?\s*\(\s*(?P<suite>\w+)\s*,\s*(?P<case>\w+)\s*\)"
    # a Jest, Vitest or Mocha test: test("refuses the log", ...), it.only('...', ...)
    r"|(?:test|it)(?:\.\w+)*\s*\(\s*(?P<quote>['\"`])(?P<title>(?:\\.|(?!(?P=quote)).)+)(?P=quote)"
    r"|(?:(?:pub\([^()]*\)|(?:pub|fn|func|def|void|static|public|private|protected|async|"
    r"export|function|int|bool|class|struct|impl)\b)"
    r"[\w\s\*&<>,:]*?(?:\([^()]*\)\s*)?)?"  # a Go receiver
    r"(?P<name>[A-Za-z_]\w*)\s*[\(\{<]"
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
    link being ``[kind, target, line, name, test]`` and an error ``[line, message]``. A file
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
        missing = [
            TraceError(folder, 0, "no such file or folder (named in [trace] code or tests)")
            for folder in folders
            if not (self.root / folder).exists()
        ]
        files = self._files(folders)
        known: dict[str, list] = {}
        changed: list[tuple[str, str]] = []
        stats: dict[str, tuple[int, int]] = {}
        trusted = 0
        for relative, path in files:
            cached = self.cache.get(relative)
            stats[relative] = stat = _stat(path)
            # only a file the cache knows is read here: the others are read where scanned
            if cached and self._unchanged(cached, stat):
                trusted += 1
                known[relative] = cached
            elif cached and cached[0] == _sha1(path):
                known[relative] = [cached[0], *stat, *cached[3:]]
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
                for relative, _ in files:
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
        if self.cache_path is None or not self.cache_path.is_file():
            return {}
        try:
            data = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if data.get("version") != CACHE_VERSION:
            return {}
        self.written = data.get("written", 0)
        return data.get("files", {})

    def _files(self, folders: list[str]) -> list[tuple[str, str]]:
        """Return the (relative POSIX path, path) of each file to scan, in the order of their
        ``Path``s (by their parts), made without a ``Path`` for each file as that is slow."""
        files: dict[str, tuple[str, str]] = {}
        for folder in folders:
            start = self.root / folder
            if start.is_file():
                relative = start.relative_to(self.root).as_posix()
                files.setdefault(_sort_key(relative), (relative, str(start)))
                continue
            for directory, subdirs, names in os.walk(start):
                prefix = Path(directory).relative_to(self.root).as_posix() + "/"
                prefix = "" if prefix == "./" else prefix
                subdirs[:] = sorted(d for d in subdirs if not self._excluded(f"{prefix}{d}/"))
                for name in names:
                    relative = prefix + name
                    if _suffix(name) in LANGUAGES and not self._excluded(relative):
                        path = os.path.join(directory, name)
                        files.setdefault(_sort_key(relative), (relative, path))
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
        [[x.line, x.message] for x in found.errors],
    ]


def _unpack(path: str, entry: list) -> FileScan:
    """Return what a cache entry says was found in the file at ``path``."""
    links, errors = entry[3:]
    return FileScan(
        [Link(kind, target, path, line, name, test) for kind, target, line, name, test in links],
        [TraceError(path, line, message) for line, message in errors],
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
    """Return the sha1 of a file's bytes and the tags in them (no sha1 if it cannot be read)."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as exc:
        return None, FileScan(errors=[TraceError(relative, 0, f"cannot be read ({exc.strerror})")])
    return hashlib.sha1(data).hexdigest(), scan_source(relative, data)


def _stat(path: str) -> tuple[int, int]:
    """Return a file's size and modification time (ns), or (-1, -1) if it has none."""
    try:
        stat = os.stat(path)
    except OSError:
        return -1, -1
    return stat.st_size, stat.st_mtime_ns


def _sha1(path: str) -> str | None:
    """Return the sha1 of a file's bytes (none if it cannot be read)."""
    try:
        with open(path, "rb") as file:
            return hashlib.sha1(file.read()).hexdigest()
    except OSError:
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
    lowered = data.lower()  # tags are case-insensitive ("Implements:")
    if b"\0" in data[:8192] or (b"implements" not in lowered and b"verifies" not in lowered):
        return FileScan()
    language = LANGUAGES.get(Path(path).suffix.lower(), "c")
    encoding = "utf-8"
    if language == "python":  # PEP 263: "# -*- coding: latin-1 -*-" in the first two lines
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as exc:
            return FileScan(
                errors=[TraceError(path, exc.lineno or 1, f"{exc.msg}; tags in it are not read")]
            )
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        name = "UTF-8" if encoding == "utf-8" else encoding
        return FileScan(
            errors=[TraceError(path, line, f"not {name} text; tags in it are not read")]
        )
    if "\r" in text:  # lines end at "\r\n", "\n" or a lone "\r", as Python and editors see them
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if language == "python":
        return _python(path, text)
    return _by_comments(path, text, _COMMENTS[language])


def _by_comments(path: str, text: str, pattern: re.Pattern) -> FileScan:
    result = FileScan()
    lines = text.split("\n")
    describes: list[tuple[str, ...]] | None = None  # of each line, when a test title needs them
    for comment in pattern.finditer(text):
        first = text.count("\n", 0, comment.start()) + 1
        for offset, piece in enumerate(comment.group(0).split("\n")):
            for tag in TAG.finditer(piece):
                line = first + offset
                owner, at, titled = (
                    _following_name(lines, comment_end=text.count("\n", 0, comment.end()))
                    if _starts_line(text, comment.start())
                    else ("", 0, False)  # a comment after code on its line tags that line only
                )
                if titled:
                    describes = describes if describes is not None else _describe_blocks(lines)
                    owner = TITLE_SEPARATOR.join([*describes[at], owner])
                result.links += _links(tag, path, line, owner, owner)
    return result


def _starts_line(text: str, start: int) -> bool:
    return not text[text.rfind("\n", 0, start) + 1 : start].strip()


def _following_name(lines: list[str], comment_end: int) -> tuple[str, int, bool]:
    """Return the name of the function or test that starts after a comment, if it is clear;
    the index of its line; and whether the name is a test's title (Jest, Vitest, Mocha)."""
    for index in range(comment_end + 1, min(comment_end + 4, len(lines))):
        line = lines[index]
        if not line.strip() or line.strip().startswith(("//", "/*", "*", "#", "@", "[")):
            continue
        match = _FOLLOWING_NAME.match(line)
        if match and match["suite"]:
            return f"{match['suite']}.{match['case']}", index, False
        if match and match["title"]:
            return _unescape(match["title"]), index, True
        if match and match["typed"]:
            return match["typed"], index, False
        name = match["name"] if match and match["name"] not in {"if", "for", "while"} else ""
        return name, index, False
    return "", 0, False


_DESCRIBE = re.compile(
    r"(?P<indent>\s*)describe(?:\.\w+)*\s*\(\s*(?P<quote>['\"`])"
    r"(?P<title>(?:\\.|(?!(?P=quote)).)+)(?P=quote)"
)


def _describe_blocks(lines: list[str]) -> list[tuple[str, ...]]:
    """Return, for each line, the titles of the ``describe`` blocks it is in, outermost first.

    Blocks are told by indentation, as formatted code shows them: a block holds the lines
    indented more than its ``describe(`` line, up to its closing line. Where that guess is
    wrong, the test's name names no JUnit case, and its title alone is matched.
    """
    blocks: list[tuple[int, str]] = []
    found = []
    for line in lines:
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
    kind = tag["kind"].lower()
    return [Link(kind, trim(tag["targets"]), path, line, name, test if kind == "verifies" else "")]


# Python ------------------------------------------------------------------------------------


def _python(path: str, text: str) -> FileScan:
    result = FileScan()
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        result.errors.append(
            TraceError(
                path, exc.lineno or 0, f"Python syntax error ({exc.msg}); tags read line by line"
            )
        )
        fallback = _by_comments(path, text, _COMMENTS["hash"])
        return FileScan(fallback.links, result.errors)
    scopes, docstrings = _outline(tree)
    module = _module_name(path)
    for line, piece, alone in _lexed(text, docstrings):
        for tag in TAG.finditer(piece):
            # only a comment on a line of its own can tag the def that follows
            scope = _owner(scopes, line, comment=alone)
            result.links += _links(
                tag, path, line, scope.qualname if scope else "", _test_key(module, scope)
            )
    for scope in scopes:
        for text_ids, line in scope.marks:
            result.links.append(
                Link("verifies", text_ids, path, line, scope.qualname, _test_key(module, scope))
            )
    return result


# Comments and string literals where Python 3.11's tokenize finds them in source that parses:
# there, a "#" outside a string starts a comment and a quote outside a comment starts a string
# (an f-string is one literal; syntax new in 3.12, quotes of the same kind or comments inside
# an f-string's braces, is not read). A string's prefix is left out: no tag can start in it.
_LEXEME = re.compile(
    r"""
      \#[^\r\n]*
    | '''[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*'''
    | \"\"\"[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*\"\"\"
    | '[^'\\\n]*(?:\\(?:\r\n|[\s\S])[^'\\\n]*)*'
    | "[^"\\\n]*(?:\\(?:\r\n|[\s\S])[^"\\\n]*)*"
    """,
    re.VERBOSE,
)


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


@dataclass
class _Scope:
    qualname: str
    start: int  # first line, decorators included
    body: int  # the def/class line
    end: int
    classes: list[str]
    function: str
    marks: list[tuple[str, int]] = field(default_factory=list)


_DEFS = {ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef}
# the statement lists of each compound statement, in the order of its fields
_BLOCKS: dict[type, tuple[str, ...]] = {
    ast.If: ("body", "orelse"),
    ast.For: ("body", "orelse"),
    ast.AsyncFor: ("body", "orelse"),
    ast.While: ("body", "orelse"),
    ast.With: ("body",),
    ast.AsyncWith: ("body",),
    ast.Try: ("body", "handlers", "orelse", "finalbody"),
    ast.TryStar: ("body", "handlers", "orelse", "finalbody"),
    ast.ExceptHandler: ("body",),
    ast.Match: ("cases",),
    ast.match_case: ("body",),
}


def _outline(tree: ast.Module) -> tuple[list[_Scope], set[int]]:
    """Return a module's functions and classes in source order, and the lines its docstrings
    start on. Only statement lists are walked: no def or docstring is inside an expression."""
    scopes: list[_Scope] = []
    docstrings: set[int] = set()

    def note_docstring(body: list[ast.stmt]) -> None:
        first = body[0] if body else None
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            docstrings.add(first.value.lineno)

    def visit(statements: list, names: list[str], classes: list[str]) -> None:
        for node in statements:
            kind = type(node)
            if kind in _DEFS:
                is_class = kind is ast.ClassDef
                scope = _Scope(
                    ".".join([*names, node.name]),
                    # decorators come before the def, the first one first
                    node.decorator_list[0].lineno if node.decorator_list else node.lineno,
                    node.lineno,
                    node.end_lineno or node.lineno,
                    classes if not is_class else [*classes, node.name],
                    "" if is_class else node.name,
                    _marks(node),
                )
                scopes.append(scope)
                note_docstring(node.body)
                visit(node.body, [*names, node.name], scope.classes)
            elif kind in _BLOCKS:
                for block in _BLOCKS[kind]:
                    if inner := getattr(node, block):
                        visit(inner, names, classes)

    note_docstring(tree.body)
    visit(tree.body, [], [])
    return scopes, docstrings


def _marks(node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[str, int]]:
    """Return the ids of ``@pytest.mark.verifies(...)`` decorators, joined per decorator."""
    marks = []
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Call) and _calls_mark_verifies(decorator.func):
            ids = [a.value for a in decorator.args if isinstance(a, ast.Constant)]
            marks.append((", ".join(str(i) for i in ids), decorator.lineno))
    return marks


def _calls_mark_verifies(func: ast.expr) -> bool:
    """Whether a decorator's callee reads ``...mark.verifies``; a name, or an attribute other
    than ``verifies``, is ruled out without the cost of unparsing it."""
    if isinstance(func, ast.Name) or (isinstance(func, ast.Attribute) and func.attr != "verifies"):
        return False
    return ast.unparse(func).endswith("mark.verifies")


def _owner(scopes: list[_Scope], line: int, comment: bool) -> _Scope | None:
    """Return the innermost scope holding ``line``; a comment just above a def (within three
    lines, and inside the same enclosing scope) belongs to that def."""
    inside = [s for s in scopes if s.start <= line <= s.end]
    containing = max(inside, key=lambda s: s.start) if inside else None
    following = [s for s in scopes if line < s.start <= line + 3]
    if comment and following:
        nearest = min(following, key=lambda s: s.start)
        if containing is None or nearest.start <= containing.end:
            return nearest
    return containing


def _test_key(module: str, scope: _Scope | None) -> str:
    """Return how pytest's JUnit report names a test: "package.module.Class::function"."""
    if scope is None or not scope.function:
        return ""
    return f"{'.'.join([module, *scope.classes])}::{scope.function}"


def _module_name(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")
