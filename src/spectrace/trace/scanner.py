"""Find ``implements:`` and ``verifies:`` tags in source trees.

Python files are read with ``tokenize`` and ``ast``: tags count in comments and docstrings
only, and belong to the function or class they sit in, or to the one that follows a comment
block (reported as ``path:line qualified.name``); ``@pytest.mark.verifies(...)`` marks a test
the same way. Other languages are read by their comment syntax, a tag per line. Results are
cached by file content, so a second scan reads only what changed.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import os
import re
import tokenize
from dataclasses import asdict, dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from spectrace.trace.model import Link, TraceError
from spectrace.trace.tags import TAG, trim

CACHE_VERSION = 2  # bump when what a scan finds in the same bytes changes
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
    r"|(?:(?:pub|fn|func|def|void|static|public|private|protected|async|export|function|"
    r"int|bool|class|struct|impl)\b[\w\s\*&<>,:]*?(?:\([^()]*\)\s*)?)?"  # a Go receiver
    r"(?P<name>[A-Za-z_]\w*)\s*[\(\{<])"
)


@dataclass
class FileScan:
    links: list[Link] = field(default_factory=list)
    errors: list[TraceError] = field(default_factory=list)


class Scanner:
    """Scan files under a root, reusing what a cache file remembers of unchanged files."""

    def __init__(self, root: Path, exclude: list[str], cache: Path | None = None):
        self.root = root
        self.exclude = exclude
        self.cache_path = cache
        self.cache: dict[str, dict] = self._load_cache()
        self.seen: dict[str, dict] = {}

    def scan(self, folders: list[str]) -> FileScan:
        """Return every tag and every problem found under ``folders`` (relative to the root)."""
        result = FileScan()
        result.errors += [
            TraceError(folder, 0, "no such file or folder (named in [trace] code or tests)")
            for folder in folders
            if not (self.root / folder).exists()
        ]
        for path in self._files(folders):
            found = self._scan_file(path)
            result.links += found.links
            result.errors += found.errors
        return result

    def save(self) -> None:
        """Write the cache of the files scanned this time (forgetting files that are gone)."""
        if self.cache_path is None:
            return
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": CACHE_VERSION, "files": self.seen}
        self.cache_path.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")

    def _load_cache(self) -> dict[str, dict]:
        if self.cache_path is None or not self.cache_path.is_file():
            return {}
        try:
            data = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data.get("files", {}) if data.get("version") == CACHE_VERSION else {}

    def _files(self, folders: list[str]) -> list[Path]:
        files: set[Path] = set()
        for folder in folders:
            start = self.root / folder
            if start.is_file():
                files.add(start)
                continue
            for directory, subdirs, names in os.walk(start):
                here = Path(directory)
                subdirs[:] = sorted(d for d in subdirs if not self._excluded(here / d, folder=True))
                files.update(
                    here / name
                    for name in names
                    if Path(name).suffix.lower() in LANGUAGES and not self._excluded(here / name)
                )
        return sorted(files)

    def _excluded(self, path: Path, folder: bool = False) -> bool:
        relative = path.relative_to(self.root).as_posix() + ("/" if folder else "")
        # also with a "/" in front, so that "**/vendor/**" names a vendor folder at the top too
        candidates = (relative, relative + "x", "/" + relative, "/" + relative + "x")
        return any(fnmatch(c, pattern) for c in candidates for pattern in self.exclude)

    def _scan_file(self, path: Path) -> FileScan:
        relative = path.relative_to(self.root).as_posix()
        try:
            data = path.read_bytes()
        except OSError as exc:
            return FileScan(errors=[TraceError(relative, 0, f"cannot be read ({exc.strerror})")])
        digest = hashlib.sha1(data).hexdigest()
        cached = self.cache.get(relative)
        if cached and cached["sha1"] == digest:
            found = FileScan(
                [Link(**link) for link in cached["links"]],
                [TraceError(**error) for error in cached["errors"]],
            )
        else:
            found = scan_source(relative, data)
        self.seen[relative] = {
            "sha1": digest,
            "links": [asdict(link) for link in found.links],
            "errors": [asdict(error) for error in found.errors],
        }
        return found


def scan_source(path: str, data: bytes) -> FileScan:
    """Return the tags in one file's bytes (a binary file has none)."""
    lowered = data.lower()  # tags are case-insensitive ("Implements:")
    if b"\0" in data[:8192] or (b"implements" not in lowered and b"verifies" not in lowered):
        return FileScan()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return FileScan(errors=[TraceError(path, line, "not UTF-8 text; tags in it are not read")])
    language = LANGUAGES.get(Path(path).suffix.lower(), "c")
    if language == "python":
        return _python(path, text)
    return _by_comments(path, text, _COMMENTS[language])


def _by_comments(path: str, text: str, pattern: re.Pattern) -> FileScan:
    result = FileScan()
    lines = text.split("\n")
    for comment in pattern.finditer(text):
        first = text.count("\n", 0, comment.start()) + 1
        for offset, piece in enumerate(comment.group(0).split("\n")):
            for tag in TAG.finditer(piece):
                line = first + offset
                owner = (
                    _following_name(lines, comment_end=text.count("\n", 0, comment.end()))
                    if _starts_line(text, comment.start())
                    else ""  # a comment after code on its line tags that line only
                )
                result.links += _links(tag, path, line, owner, owner)
    return result


def _starts_line(text: str, start: int) -> bool:
    return not text[text.rfind("\n", 0, start) + 1 : start].strip()


def _following_name(lines: list[str], comment_end: int) -> str:
    """Return the name of the function or test that starts after a comment, if it is clear."""
    for line in lines[comment_end + 1 : comment_end + 4]:
        if not line.strip() or line.strip().startswith(("//", "/*", "*", "#", "@", "[")):
            continue
        match = _FOLLOWING_NAME.match(line)
        if match and match["suite"]:
            return f"{match['suite']}.{match['case']}"
        return match["name"] if match and match["name"] not in {"if", "for", "while"} else ""
    return ""


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
    scopes = _scopes(tree)
    module = _module_name(path)
    docstrings = {
        node.body[0].value.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
        and isinstance(node.body[0].value.value, str)
    }
    for token in _tokens(text):
        if token.type == tokenize.COMMENT or (
            token.type == tokenize.STRING and token.start[0] in docstrings
        ):
            for offset, piece in enumerate(token.string.split("\n")):
                for tag in TAG.finditer(piece):
                    line = token.start[0] + offset
                    # only a comment on a line of its own can tag the def that follows
                    alone = (
                        token.type == tokenize.COMMENT and not token.line[: token.start[1]].strip()
                    )
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


@dataclass
class _Scope:
    qualname: str
    start: int  # first line, decorators included
    body: int  # the def/class line
    end: int
    classes: list[str]
    function: str
    marks: list[tuple[str, int]] = field(default_factory=list)


def _scopes(tree: ast.Module) -> list[_Scope]:
    scopes: list[_Scope] = []

    def visit(node: ast.AST, names: list[str], classes: list[str]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                qualname = ".".join([*names, child.name])
                start = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                is_class = isinstance(child, ast.ClassDef)
                scope = _Scope(
                    qualname,
                    start,
                    child.lineno,
                    child.end_lineno or child.lineno,
                    classes if not is_class else [*classes, child.name],
                    "" if is_class else child.name,
                    _marks(child),
                )
                scopes.append(scope)
                visit(child, [*names, child.name], scope.classes)
            else:
                visit(child, names, classes)

    visit(tree, [], [])
    return scopes


def _marks(node: ast.AST) -> list[tuple[str, int]]:
    """Return the ids of ``@pytest.mark.verifies(...)`` decorators, joined per decorator."""
    marks = []
    for decorator in getattr(node, "decorator_list", []):
        if isinstance(decorator, ast.Call) and ast.unparse(decorator.func).endswith(
            "mark.verifies"
        ):
            ids = [a.value for a in decorator.args if isinstance(a, ast.Constant)]
            marks.append((", ".join(str(i) for i in ids), decorator.lineno))
    return marks


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


def _tokens(text: str):
    try:
        yield from tokenize.generate_tokens(io.StringIO(text).readline)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return
