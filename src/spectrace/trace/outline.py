"""The functions and classes of Python source, for telling which one a tag belongs to.

:func:`outline` returns the scopes (qualified name, first, def and last line, the
``verifies`` marks of its decorators) and the lines its docstrings start on: from ``ast``, or,
for source longer than :data:`~spectrace.limits.PYTHON_AST_CHARS` (``ast`` takes 60 to 600
bytes a character) or nested deeper than the parser takes, from one lexer pass that finds the
same (tested against ``ast`` on the standard library). :class:`Owners` then finds the scope of
each tag's line in one sweep.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from spectrace.limits import PYTHON_AST_CHARS
from spectrace.trace.model import LinkKind

# A string literal where Python 3.11's tokenize finds one in source that parses (a "#" outside
# a string starts a comment and a quote outside a comment starts a string; an f-string is one
# literal: syntax new in 3.12, quotes of the same kind or comments inside an f-string's braces,
# is not read). One left open, which only a file too large for ast can hold, runs to the end of
# its line (triple-quoted: of the file), so that no quote starts a second scan of the same text.
STRING = r"""
      '''[^'\\]*+(?:(?:\\[\s\S]|'(?!''))[^'\\]*+)*+(?:'''|\\?\Z)
    | \"\"\"[^"\\]*+(?:(?:\\[\s\S]|"(?!""))[^"\\]*+)*+(?:\"\"\"|\\?\Z)
    | '[^'\\\n]*+(?:\\[\s\S][^'\\\n]*+)*+(?:'|(?=\n)|\\?\Z)
    | "[^"\\\n]*+(?:\\[\s\S][^"\\\n]*+)*+(?:"|(?=\n)|\\?\Z)
"""


def outline(text: str) -> tuple[list[Scope], set[int]]:
    """Return the functions and classes of Python source and the lines its docstrings start on:
    from ast (raising its SyntaxError), or from the lexer when the source is longer than
    :data:`PYTHON_AST_CHARS` or nests deeper than the parser can take."""
    if len(text) > PYTHON_AST_CHARS:
        return _lexed_outline(text)
    try:
        return _outline(ast.parse(text))
    except (RecursionError, MemoryError):  # the parser's own stack, not the machine's memory
        return _lexed_outline(text)


@dataclass(slots=True)
class Scope:
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


def _outline(tree: ast.Module) -> tuple[list[Scope], set[int]]:
    """Return a module's functions and classes in source order, and the lines its docstrings
    start on. Only statement lists are walked: no def or docstring is inside an expression.
    (The recursion is as deep as the statements nest, which Python holds to 100 levels.)"""
    scopes: list[Scope] = []
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
                scope = Scope(
                    ".".join([*names, node.name]),
                    # decorators come before the def, the first one first
                    node.decorator_list[0].lineno if node.decorator_list else node.lineno,
                    node.lineno,
                    node.end_lineno or node.lineno,
                    classes if not is_class else [*classes, node.name],
                    "" if is_class else node.name,
                    [m for d in node.decorator_list if (m := _mark(d, d.lineno))],
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


def _mark(decorator: ast.expr, line: int) -> tuple[str, int] | None:
    """Return the ids of a ``@pytest.mark.verifies(...)`` decorator, joined, and its line."""
    if isinstance(decorator, ast.Call) and _calls_mark_verifies(decorator.func):
        ids = [a.value for a in decorator.args if isinstance(a, ast.Constant)]
        return ", ".join(str(i) for i in ids), line
    return None


def _calls_mark_verifies(func: ast.expr) -> bool:
    """Whether a decorator's callee reads ``...mark.verifies`` as ``ast.unparse`` spells it:
    an attribute ``verifies`` of a name or attribute ending in ``mark`` (anything else is
    unparsed in brackets, or ends in a bracket). Not unparsed: that recursed a level for each
    attribute in the chain."""
    if not (isinstance(func, ast.Attribute) and func.attr == LinkKind.VERIFIES):
        return False
    owner = func.value
    if isinstance(owner, ast.Attribute):
        return owner.attr.endswith("mark")
    return isinstance(owner, ast.Name) and owner.id.endswith("mark")


class Owners:
    """The scope each tag belongs to, for tags asked about in the order of their lines.

    A sweep: the scopes, sorted by first line, are passed once, those open at the current line
    kept on a stack (scopes nest), so all of a file's tags cost one pass over its scopes
    (asking each tag about every scope was quadratic: 20,000 tags took 33 s).
    """

    def __init__(self, scopes: list[Scope]):
        self._scopes = sorted(scopes, key=lambda scope: scope.start)
        self._next = 0  # the first scope that starts after the line last asked about
        self._open: list[Scope] = []
        self._line = 0

    def at(self, line: int, comment: bool) -> Scope | None:
        """Return the innermost scope holding ``line``; a comment just above a def (within three
        lines, and inside the same enclosing scope) belongs to that def."""
        if line < self._line:  # asked out of order: start again
            self._line, self._next, self._open = 0, 0, []
        self._line = line
        scopes, stack = self._scopes, self._open
        while self._next < len(scopes) and scopes[self._next].start <= line:
            scope = scopes[self._next]
            while stack and stack[-1].end < scope.start:
                stack.pop()
            stack.append(scope)
            self._next += 1
        while stack and stack[-1].end < line:
            stack.pop()
        containing = stack[-1] if stack else None
        following = scopes[self._next] if self._next < len(scopes) else None
        if (
            comment
            and following is not None
            and following.start <= line + 3
            and (containing is None or following.start <= containing.end)
        ):
            return following
        return containing


def test_key(module: str, scope: Scope | None) -> str:
    """Return how pytest's JUnit report names a test: "package.module.Class::function"."""
    if scope is None or not scope.function:
        return ""
    return f"{'.'.join([module, *scope.classes])}::{scope.function}"


def module_name(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


# Python too large for ast ---------------------------------------------------------------------

# what the outline's lexer tells apart; everything between (names, numbers, operators) is code
_TOKEN = re.compile(
    r"(?P<comment>\#[^\n]*)"
    rf"|(?P<prefix>(?<!\w)[rRbBuUfF]{{1,2}})?(?P<string>{STRING})"
    r"|(?P<open>[(\[{])|(?P<close>[)\]}])|(?P<colon>:(?!=))|(?P<semicolon>;)"
    r"|(?P<continuation>\\\n)|(?P<newline>\n)",
    re.VERBOSE,
)
_CODE = re.compile(r"\S")
_HEADER = re.compile(r"(?P<at>@)|(?:async[ \t]+)?(?P<kind>def|class)[ \t]+(?P<name>\w+)")


def _lexed_outline(text: str) -> tuple[list[Scope], set[int]]:
    """Return what :func:`_outline` returns, without a syntax tree: one lexer pass over the
    logical lines, told apart by their indentation. Memory holds the scopes, not the file's
    tree. A docstring is recognised when it stands alone (not in brackets)."""
    return _Outliner(text).run()


@dataclass(slots=True)
class _Statement:
    """A logical line being read by :class:`_Outliner`."""

    line: int
    indent: int
    start: int  # where its text starts
    candidate: bool  # the first statement of a module, class or def: maybe a docstring
    scope: Scope | None = None  # the def or class it starts
    decorator: bool = False
    header: bool = False  # a def or class line, before its colon
    inline: bool = False  # a def or class with its body on its line
    fresh: bool = True  # nothing read yet (of the statement, or of the body after a colon)
    strings: bool = False  # nothing but string literals read
    doc_line: int = 0  # where the first string starts


class _Outliner:
    """Outline Python source from one pass of :data:`_TOKEN` (see :func:`_lexed_outline`)."""

    def __init__(self, text: str):
        self.text = text
        self.scopes: list[Scope] = []
        self.docstrings: set[int] = set()
        self.open: list[tuple[int, Scope]] = []  # (indent, scope) of the bodies being read
        self.decorators: list[tuple[int, int, int]] = []  # (line, start, end) before a def
        self.body_indent: int | None = -1  # the indent a body's first statement exceeds
        self.statement: _Statement | None = None

    def run(self) -> tuple[list[Scope], set[int]]:
        """Return the scopes and docstring lines, from one pass over the tokens: code between
        them, strings, brackets (a newline inside them ends no line), colons and semicolons."""
        text, depth, line, line_start, last = self.text, 0, 1, 0, 0
        for token in _TOKEN.finditer(text):
            kind, start = token.lastgroup, token.start()
            if code := _CODE.search(text, last, start):
                self.code(code.start(), line, line_start)
            if kind in ("newline", "continuation"):
                if kind == "newline" and depth == 0:
                    self.end(line, start)
                line, line_start = line + 1, token.end()
            elif kind != "comment":
                self.token(token, line, line_start, depth)
                depth = max(0, depth + (kind == "open") - (kind == "close"))
                line += token.group().count("\n") if kind == "string" else 0
            last = token.end()
        if code := _CODE.search(text, last):
            self.code(code.start(), line, line_start)
        self.end(line, len(text))
        while self.open:
            self.close()
        return self.scopes, self.docstrings

    def begin(self, start: int, line: int, line_start: int) -> _Statement:
        """Start the statement at ``start``: close the bodies it is not indented into, and
        open a scope for a def or class."""
        indent = len(self.text[line_start:start].expandtabs(8))
        while self.open and indent <= self.open[-1][0]:
            self.close()
        candidate = self.body_indent is not None and indent > self.body_indent
        self.body_indent = None
        statement = _Statement(line, indent, start, candidate)
        header = _HEADER.match(self.text, start)
        if header and header["at"]:
            statement.decorator = True
        elif header:
            statement.scope = self.open_scope(header["kind"], header["name"], line, indent)
            statement.header = True
        else:
            self.decorators = []
        self.statement = statement
        return statement

    def code(self, start: int, line: int, line_start: int) -> None:
        statement = self.statement or self.begin(start, line, line_start)
        self.read(statement, string=False)

    def token(self, token: re.Match, line: int, line_start: int, depth: int) -> None:
        statement = self.statement or self.begin(token.start(), line, line_start)
        kind = token.lastgroup
        prefix = (token["prefix"] or "").lower()
        string = kind == "string" and depth == 0 and "b" not in prefix and "f" not in prefix
        if string and statement.fresh:
            statement.doc_line = line
        if kind == "semicolon" and depth == 0:  # the end of a statement, not of the line
            self.note_docstring(statement)
        self.read(statement, string=string)
        if kind == "colon" and depth == 0 and statement.header:
            statement.header, statement.fresh, statement.candidate = False, True, True

    def read(self, statement: _Statement, string: bool) -> None:
        """Note one more piece of a statement: a string literal, or anything else."""
        if statement.scope and not statement.header:
            statement.inline = True
        statement.strings = string and (statement.fresh or statement.strings)
        statement.fresh = False

    def end(self, line: int, end: int) -> None:
        """End the logical line being read (on ``line``, at ``end``)."""
        statement, self.statement = self.statement, None
        if statement is None:
            return
        self.note_docstring(statement)
        if statement.decorator:
            self.decorators.append((statement.line, statement.start, end))
        elif statement.scope and not statement.inline:
            self.body_indent = statement.indent
        if self.open:
            self.open[-1][1].end = line

    def note_docstring(self, statement: _Statement) -> None:
        if statement.candidate and statement.strings:
            self.docstrings.add(statement.doc_line)
        statement.candidate = False

    def open_scope(self, kind: str, name: str, line: int, indent: int) -> Scope:
        parent = self.open[-1][1] if self.open else None
        classes = parent.classes if parent else []
        scope = Scope(
            f"{parent.qualname}.{name}" if parent else name,
            self.decorators[0][0] if self.decorators else line,
            line,
            line,
            [*classes, name] if kind == "class" else classes,
            "" if kind == "class" else name,
            [m for d in self.decorators if (m := self.mark(*d))],
        )
        self.decorators = []
        self.scopes.append(scope)
        self.open.append((indent, scope))
        return scope

    def close(self) -> None:
        """Close the innermost body: it ends where its last statement did."""
        _, scope = self.open.pop()
        if self.open:
            parent = self.open[-1][1]
            parent.end = max(parent.end, scope.end)

    def mark(self, line: int, start: int, end: int) -> tuple[str, int] | None:
        """Return the ids of a ``verifies`` mark in the decorator at ``start:end`` (its one
        expression parsed by ast: small), and its line."""
        if self.text.find(LinkKind.VERIFIES, start, end) < 0 or end - start > PYTHON_AST_CHARS:
            return None
        try:
            node = ast.parse(self.text[start + 1 : end].strip(), mode="eval").body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        return _mark(node, line)
