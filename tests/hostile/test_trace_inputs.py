"""Hostile tracing inputs: tags in source files, JUnit results, review records, the matrix file.

Each gives a tracing problem (a row of the matrix, and ``check`` fails) or, for a project-wide
input, one ``error:`` line and exit 2; none gives a traceback, a hang or a blow-up. Sizes that
would take quadratic time run under a generous alarm rather than a timing assertion: the
linear code takes a second or two, the quadratic one minutes.
"""

from __future__ import annotations

import ast
import json
import multiprocessing
import os
import signal
import socket
import sys
import textwrap
import tracemalloc
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest

from spectrace.limits import (
    JSON_DEPTH,
    RESULTS_FILE_BYTES,
    REVIEWED_FILE_BYTES,
    SOURCE_FILE_BYTES,
)
from spectrace.trace import outline as python
from spectrace.trace import scanner
from spectrace.trace.results import read_junit
from spectrace.trace.review import read_reviewed
from spectrace.trace.scanner import scan_source
from tests.cli.test_cli import one_error_line
from tests.trace.conftest import TracedProject

GOOD = "def f():\n    '''implements: SMETS-5.6.1-2'''\n"
LINUX = pytest.mark.skipif(sys.platform != "linux", reason="FIFOs and byte file names as Linux")


@pytest.fixture
def traced(project_copy) -> TracedProject:
    return TracedProject(project_copy)


def in_time(function: Callable, *args, seconds: int = 60):
    """Return ``function(*args)``, run in a forked process that is killed, failing the test,
    after ``seconds`` (a backtracking regex holds the interpreter: no signal is seen)."""
    pool = multiprocessing.get_context("fork").Pool(1)
    try:
        return pool.apply_async(function, args).get(timeout=seconds)
    except multiprocessing.TimeoutError:
        pytest.fail(f"took more than {seconds} s: quadratic, or worse")
    finally:
        pool.terminate()


@contextmanager
def within(seconds: int):
    """Fail, rather than hang, when the block takes more than ``seconds``: a FIFO blocks in a
    system call, which the alarm interrupts (then again each second, should the error be
    caught and the FIFO opened again)."""

    def expire(*_):
        raise TimeoutError(f"took more than {seconds} s: quadratic, or blocked")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def scanned(path: str, text: str | bytes) -> tuple[list[tuple], list[str]]:
    """Return the (target, line, name) of each tag in a file, and its problems."""
    data = text.encode() if isinstance(text, str) else text
    found = scan_source(path, data)
    return [(x.target, x.line, x.name) for x in found.links], [
        f"{e.where}: {e.message}" for e in found.errors
    ]


# 1. Many tags, long lines: linear -----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "count", "make"),
    [
        # within ast's size: each tag's owner was searched among all defs (30,000: ~80 s)
        (
            "a.py",
            30_000,
            lambda n: "".join(
                f"def f{i}():\n    # implements: A-1-1\n    pass\n" for i in range(n)
            ),
        ),
        # past it: the lexer's outline, with docstrings
        (
            "b.py",
            30_000,
            lambda n: "".join(f"def f{i}():\n    '''implements: A-1-1'''\n" for i in range(n)),
        ),
        # C, SQL: lines were counted from the top of the file for each tag (100,000: 160 s)
        (
            "c.c",
            100_000,
            lambda n: "".join(f"// implements: A-1-1\nint f{i}(void);\n" for i in range(n)),
        ),
        (
            "e.sql",
            100_000,
            lambda n: "".join(f"-- implements: A-1-1\nselect f{i}();\n" for i in range(n)),
        ),
        # one line of comments: each was searched back to the line's start (200,000: ~4 min)
        ("d.c", 200_000, lambda n: "/*implements: A-1-1*/ " * n),
    ],
    ids=["python-ast", "python-lexer", "c-lines", "sql", "c-one-line"],
)
def test_many_tags_in_one_file_are_read_in_linear_time(path, count, make, monkeypatch):
    if path == "a.py":  # read with ast, however long
        monkeypatch.setattr(python, "PYTHON_AST_CHARS", 1 << 30)
    links, errors = in_time(scanned, path, make(count))
    assert errors == [] and len(links) == count
    names = [name for _, _, name in links]
    if path == "d.c":  # after code: the line only
        assert set(names) == {""}
    else:
        assert names[:2] + names[-1:] == ["f0", "f1", f"f{count - 1}"]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        # a name taken at every end of every suffix of a word: 40,000 letters took 38 s
        ("a.c", "// implements: A-1-1\nvoid " + "a" * 200_000 + "\n"),
        # a test title of backslashes left open backtracked exponentially (1,000: never ended)
        ("a.test.ts", "// verifies: A-1-1\nit('" + "\\" * 200_000 + "\n"),
        ("b.test.ts", "describe('" + "\\" * 100_000 + "\n  // verifies: A-1-1\n  it('t', f)\n"),
        # block comments left open: each was scanned to the end of the file
        ("b.c", "// implements: A-1-1\n" + "/* " * 200_000),
        # Python past ast's size, strings left open after escaped quotes
        ("c.py", "# implements: A-1-1\n'''" + "\\'''" * 200_000),
        ("d.py", "# implements: A-1-1\n" + "'a\\\n" * 200_000),
        ("e.py", "# implements: A-1-1\n" + "(" * 300_000),
    ],
    ids=[
        "c-long-word",
        "ts-title",
        "ts-describe",
        "c-open-comments",
        "py-open-triple",
        "py-open-single",
        "py-open-brackets",
    ],
)
def test_long_hostile_lines_are_read_in_linear_time(path, text):
    links, _ = in_time(scanned, path, text)
    assert [target for target, _, _ in links] == ["A-1-1"]


# 2. Size: a limit per file, memory proportional below it ------------------------------------


def sparse(path: Path, size: int, head: bytes = b"# implements: SMETS-5.6.1-2\n") -> Path:
    """Write a file of ``size`` bytes that takes no room on disk (a tag, then zeros)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        file.write(head)
        file.truncate(size)
    return path


@pytest.mark.parametrize("name", ["big.py", "big.c", "link.py"])
def test_a_source_file_over_the_limit_is_a_problem_naming_it_and_the_limit(traced, name):
    target = sparse(traced.root / "src/x/big.bin", SOURCE_FILE_BYTES + 1)
    if name == "link.py":
        (traced.root / "src/x" / name).symlink_to(target)
    else:
        target.rename(traced.root / "src/x" / name)
    traced.write("src/x/ok.py", GOOD)
    for _ in range(2):  # the second scan, with the cache, says it again
        matrix = traced.trace(results=[])
        assert traced.errors(matrix) == [
            f"src/x/{name}: is 16 MiB, over the limit of 16 MiB; tags in it are not read"
        ]
        assert [link.path for link in matrix.links] == ["src/x/ok.py"]


def peak_bytes(function: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    "text",
    [
        "x = [" + "1," * 200_000 + "]\n",  # ast: 500 bytes a character
        "x=1\n" * 100_000,
        "".join(f"class C{i}:\n    def f(self):\n        return {i}\n" for i in range(12_000)),
    ],
    ids=["literals", "statements", "defs"],
)
def test_a_large_python_file_takes_memory_in_proportion_to_its_size(text):
    """Past PYTHON_AST_CHARS a Python file is outlined by a lexer: its memory is a few times
    the file's, where ast's tree took hundreds of times (a 10 MiB file: 6.2 GB, 62 s)."""
    source = ("# implements: SMETS-5.6.1-2\n" + text).encode()
    assert len(source) > python.PYTHON_AST_CHARS
    peak = peak_bytes(lambda: scan_source("big.py", source))
    assert peak < 20 * len(source), f"{peak / len(source):.0f} bytes a byte"


def outlines(text: str) -> tuple:
    """Return the outline ast gives and the one the lexer gives."""
    return python._outline(ast.parse(text)), python._lexed_outline(text)


EDGES = {
    "one-line-bodies": 'class A: "doc"\ndef f(): """implements: X"""; x = 1\ndef g(): pass\n',
    "decorators": (
        "import pytest\n\n@pytest.mark.verifies(\n    'A-1-1',\n    'A-2-1',  # why\n)\n"
        "@other\nasync def test_a():\n    pass\n\nclass T:\n    @ (pytest.mark).verifies('B-1-1')\n"
        "    def test_b(self): ...\n"
    ),
    "nesting": (
        "class A:\n    '''doc'''\n    class B:\n        def f(self):\n            def g():\n"
        "                '''inner'''\n                return 1\n            return g\n"
        "    # a comment at the class's depth\n        # and deeper\n    x = 1\n\n\ny = 2\n"
    ),
    "not-docstrings": (
        "def f():\n    f'{x}'\ndef g():\n    b'x'\ndef h():\n    'a' + x\n"
        "def i():\n    x = 1\n    'later'\ndef j(a: 'T' = 'x') -> 'R':\n    return a\n"
    ),
    "continued": (
        "def f(a,\n      b) \\\n        -> int:\n    '''doc''' \\\n        'more'\n    return [\n"
        "1,\n2]\n\nif x:\n\tdef g():\n\t\tpass\nelse:\n    def g(): pass\n"
    ),
    "compound": (
        "try:\n    import a\nexcept ImportError:\n    def slow():\n        pass\nfinally:\n"
        "    match x:\n        case 1:\n            class K:\n                '''d'''\n"
        "with open(p) as f:\n    for x in y:\n        while z:\n            def w(): ...\n"
    ),
    "strings-with-code": (
        "def f():\n    '''\n    def not_a_def():\n    '''\n    s = \"# not a comment: (\"\n"
        "    return s  # ) \n\n\ndef g(x):\n    return {'a': x[1:2], 'b': (y := 3)}\n"
    ),
}


@pytest.mark.parametrize("name", sorted(EDGES))
def test_the_lexer_outlines_python_as_ast_does(name):
    ast_outline, lexer_outline = outlines(EDGES[name])
    assert lexer_outline == ast_outline


def repository_sources() -> list[Path]:
    root = Path(__file__).resolve().parents[2]
    return sorted([*root.glob("src/**/*.py"), *root.glob("tests/**/*.py")])


def test_the_lexer_outlines_the_repositorys_own_python_as_ast_does():
    """(Checked by hand on 3,432 files of the standard library and site-packages: all agree.)"""
    different = [
        path.name
        for path in repository_sources()
        if (pair := outlines(path.read_text(encoding="utf-8")))[0] != pair[1]
    ]
    assert different == []


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "-" * 100_000 + "1\n",  # the parser's stack: MemoryError in 3.11
        "x = a" + ".b" * 50_000 + "\n",  # RecursionError building the tree
        "@pytest" + ".x" * 5_000 + ".mark.verifies('A-2-1')\ndef test_f(): pass\n",
    ],
    ids=["unary", "attributes", "decorator"],
)
def test_python_nested_past_what_ast_takes_is_read_by_the_lexer(text):
    source = "def f():\n    # implements: A-1-1\n    pass\n" + text
    links, errors = in_time(scanned, "tests/x/test_a.py", source)
    assert errors == []
    assert ("A-1-1", 2, "f") in links


# 3. Only regular files ------------------------------------------------------------------------


@LINUX
def test_fifos_devices_and_sockets_in_a_scanned_folder_are_skipped(traced, monkeypatch):
    folder = traced.root / "src/x"
    os.mkfifo(folder / "pipe.py")
    (folder / "to_pipe.c").symlink_to(folder / "pipe.py")
    (folder / "null.c").symlink_to("/dev/null")
    (folder / "zero.py").symlink_to("/dev/zero")
    monkeypatch.chdir(folder)  # a socket's path must be short
    server = socket.socket(socket.AF_UNIX)
    server.bind("sock.py")
    traced.write("src/x/ok.py", GOOD)
    try:
        with within(60):
            matrix = traced.trace(results=[])
    finally:
        server.close()
    assert traced.errors(matrix) == []
    assert [link.path for link in matrix.links] == ["src/x/ok.py"]


@LINUX
def test_a_fifo_named_as_code_is_a_problem_not_a_hang(traced):
    os.mkfifo(traced.root / "src/pipe.py")
    traced.configure(trace='[trace]\ncode = ["src/x", "src/pipe.py"]\n')
    with within(60):
        matrix = traced.trace(results=[])
    assert traced.errors(matrix) == [
        "src/pipe.py: not a regular file or folder (named in [trace] code or tests)"
    ]


@LINUX
@pytest.mark.parametrize("cached", [True, False])
def test_a_results_file_that_is_a_fifo_or_a_device_is_a_problem_naming_it(traced, cached):
    (traced.root / "build").mkdir()
    os.mkfifo(traced.root / "build/junit.xml")
    (traced.root / "build/null.xml").symlink_to("/dev/null")
    with within(60):
        if cached:
            errors = traced.errors(traced.trace(results=["build/*.xml"]))
        else:
            problems = [read_junit(traced.root / f"build/{n}", traced.root)[1] for n in (
                "junit.xml", "null.xml")]  # fmt: skip
            errors = [f"{p.where}: {p.message}" for p in problems if p]
    refused = "is not a regular file (a FIFO, device or socket); refused"
    assert errors == [f"build/junit.xml: {refused}", f"build/null.xml: {refused}"]


@LINUX
@pytest.mark.parametrize("kind", ["folder", "fifo", "device"])
def test_a_review_record_that_is_not_a_regular_file_is_one_error_line(traced, kind):
    path = traced.root / "trace/reviewed.json"
    path.parent.mkdir(exist_ok=True)
    {"folder": path.mkdir, "fifo": lambda: os.mkfifo(path), "device": lambda: path.symlink_to(
        "/dev/zero")}[kind]()  # fmt: skip
    with within(60):
        one_error_line(traced.cli("trace"), "trace/reviewed.json", "not")


# 4. NUL bytes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "data", "line"),
    [
        ("a.py", b"def f():\n    '''implements: SMETS-5.6.1-2'''\n\0\n", 3),
        ("b.c", b"int x;\n// implements: SMETS-5.6.1-2\0\n", 2),
        ("c.js", b"// implem\0ents: SMETS-5.6.1-2\n", 1),
        ("d.cs", "// implements: SMETS-5.6.1-2\nclass A {}\n".encode("utf-16"), 1),
        ("e.java", "// verifies: SMETS-5.6.1-2\n".encode("utf-16-be"), 1),
    ],
    ids=["stray-python", "stray-c", "inside-the-word", "utf-16", "utf-16-be"],
)
def test_a_source_file_with_a_nul_byte_and_tags_is_a_problem(path, data, line):
    links, errors = scanned(path, data)
    assert links == []
    assert errors == [
        f"{path}:{line}: holds a NUL byte, so it is not text (UTF-16?); tags in it are not read"
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"\x7fELF\x02\x01\x01\0// implements: SMETS-5.6.1-2\n",  # a binary named .c
        b"PK\x03\x04\0\0implements: SMETS-5.6.1-2",
        b"int x;\0\n// no tags here\n",  # nothing is lost
    ],
    ids=["elf", "zip", "no-tags"],
)
def test_a_known_binary_or_a_file_without_tags_holding_a_nul_is_quietly_skipped(data):
    assert scanned("blob.c", data) == ([], [])


def test_a_nul_file_is_reported_in_the_matrix_and_fails_check(traced):
    traced.write("src/x/nul.py", b"# implements: SMETS-5.6.1-2\n\0")
    result = traced.cli("check")
    assert result.exit_code == 1
    assert "error: src/x/nul.py:2: holds a NUL byte" in result.stdout


# 5. File names that are not UTF-8 -------------------------------------------------------------


@LINUX
def test_names_that_are_not_utf8_are_shown_escaped_everywhere(traced):
    root = os.fsencode(traced.root)
    os.makedirs(root + b"/src/x/caf\xe9")
    for name, text in (
        (b"src/x/\xff.py", b"# implements: SMETS-5.6.1-2\n"),
        (b"src/x/caf\xe9/t.c", b"// implements: SMETS-0-0\n"),  # an unknown statement
        (b"src/x/bad\xfe.c", b"// implements: SMETS-5.6.1-2\n\xff\n"),  # not UTF-8 inside
    ):
        Path(os.fsdecode(root + b"/" + name)).write_bytes(text)
    (traced.root / "build").mkdir()
    Path(os.fsdecode(root + b"/build/r\xff.xml")).write_bytes(b"<testsuite")
    traced.configure(
        trace='[trace]\ncode = ["src/x"]\ntests = ["tests/x"]\nresults = ["build/*.xml"]\n'
    )
    result = traced.cli("trace")
    assert result.exit_code == 1 and "Traceback" not in result.output
    problems = traced.matrix_json()["errors"]
    assert sorted((e["file"], e["line"]) for e in problems) == [
        ("build/r\\xff.xml", 1),
        ("src/x/bad\\xfe.c", 2),
        ("src/x/caf\\xe9/t.c", 1),
    ]
    assert "error: src/x/caf\\xe9/t.c:1: " in result.stdout
    row = next(r for r in traced.matrix_json()["rows"] if r["statement"] == "SMETS-5.6.1-2")
    assert row["implemented_by"] == ["src/x/\\xff.py:1"]
    html = (traced.root / "build/trace/matrix.html").read_text(encoding="utf-8")
    assert "src/x/\\xff.py:1" in html


# 6. Review records ----------------------------------------------------------------------------

#: A review object's fingerprint, for the cases that are wrong elsewhere.
FP = '"fingerprint": "0123456789abcdef"'


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, ["line 1", f"deeper than {JSON_DEPTH} levels"]),
        ('{"a": ' * 10_000 + '"x"' + "}" * 10_000, [f"deeper than {JSON_DEPTH} levels"]),
        (b'{"SMETS-1-1": "x",\n "SMETS-2-1": "\xff"}', ["line 2", "not UTF-8"]),
        ('["SMETS-1-1"]', ["must be a JSON object", "not a list"]),
        ('{"SMETS-1-1": 3}', ["'SMETS-1-1': must map to a fingerprint string", "not a number"]),
        ('{"SMETS-1-1": {"x": "y"}}', ["'SMETS-1-1': unknown field 'x'"]),
        ('{"SMETS-1-1": null}', ["not null"]),
        ('{"SMETS-1-1": "x",\n "SMETS-2-1": }', ["line 2", "not readable JSON"]),
        ('"\\' + '"\\' * 100_000, ["not readable JSON"]),  # a string left open
        ('{"SMETS-1-1": "zz"}', ["'SMETS-1-1': 'zz' is not a fingerprint"]),
        ('{"SMETS-1-1": "' + "a" * 100_000 + '"}', ["is not a fingerprint", "…"]),
        ('{"not an id": "0123456789abcdef"}', ["'not an id': is not a statement id"]),
        ('{"SMETS-1-1": {"fingerprint": 7}}', ['"fingerprint" must be a string, not a number']),
        ('{"SMETS-1-1": {"by": "Ana"}}', ["'SMETS-1-1': has no \"fingerprint\""]),
        (f'{{"SMETS-1-1": {{{FP}, "by": ["Ana"]}}}}', ['"by" must be a string, not a list']),
        (f'{{"SMETS-1-1": {{{FP}, "by": ""}}}}', ['the reviewer ("by") is empty']),
        (f'{{"SMETS-1-1": {{{FP}, "by": "A\\nB"}}}}', ['the reviewer ("by") must be one line']),
        (f'{{"SMETS-1-1": {{{FP}, "by": "A", "on": "31/01/2025"}}}}', ['"on" must be a date']),
        (f'{{"SMETS-1-1": {{{FP}, "by": "A", "on": "2025-02-30"}}}}', ['"on" must be a date']),
        (f'{{"SMETS-1-1": {{{FP}, "by": "A", "on": true}}}}', ["not a boolean"]),
        (f'{{"SMETS-1-1": {{{FP}, "note": "{"n" * 2001}"}}}}', ["the note is over 2000"]),
    ],
    ids=[
        "deep-lists",
        "deep-objects",
        "not-utf8",
        "a-list",
        "a-number",
        "an-object",
        "null",
        "malformed",
        "open-string",
        "bad-fingerprint",
        "huge-fingerprint",
        "not-an-id",
        "fingerprint-number",
        "no-fingerprint",
        "by-list",
        "by-empty",
        "by-two-lines",
        "on-not-iso",
        "on-no-such-day",
        "on-boolean",
        "note-too-long",
    ],
)
@pytest.mark.parametrize("command", ["trace", "check", "review"])
def test_a_hostile_review_record_is_one_error_line_naming_it(traced, text, words, command):
    traced.write("trace/reviewed.json", text)
    args = ["review", "SMETS-5.6.1-1"] if command == "review" else [command]
    with within(60):
        one_error_line(traced.cli(*args), "trace/reviewed.json", *words)
    assert traced.root.joinpath("trace/reviewed.json").read_bytes() == (
        text if isinstance(text, bytes) else text.encode()
    )


def test_a_review_record_over_its_limit_is_refused_unread(traced):
    path = traced.write("trace/reviewed.json", "")
    os.truncate(path, REVIEWED_FILE_BYTES + 1)  # sparse: nothing to read, were it read
    with within(10):
        for args in (["trace"], ["check"], ["review", "SMETS-5.6.1-1"]):
            one_error_line(traced.cli(*args), "trace/reviewed.json", "over the limit of 64 MiB")


def test_an_absent_review_record_is_an_empty_one(tmp_path):
    assert read_reviewed(tmp_path / "reviewed.json") == {}


# 7. JUnit ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"<!--" + b"x" * 5000 + b"-->\n<!DOCTYPE t [<!ENTITY e 'x'>]>\n"
            b"<testsuite><testcase name='&e;'/></testsuite>",
            "build/junit.xml: declares a DTD or entities; refused",
        ),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE t SYSTEM "http://example.invalid/t.dtd">\n'
            b"<testsuite/>",
            "build/junit.xml: declares a DTD or entities; refused",
        ),
        (
            b"<testsuite>\n<testcase name='&passwd;'/></testsuite>",
            "build/junit.xml:2: malformed JUnit XML (Entity 'passwd' not defined",
        ),
        (
            b"<testsuite xmlns:xi='http://www.w3.org/2001/XInclude'>\n<testcase name='a'/>\n"
            b"<xi:include href='/etc/passwd' parse='text'/></testsuite>",
            "build/junit.xml: line 3: uses XInclude, which is refused",
        ),
        (
            b"<testsuite>" + b"<a>" * 1000 + b"</a>" * 1000 + b"</testsuite>",
            "build/junit.xml: line 1: elements nest deeper than 256 levels; refused",
        ),
        (
            b"<testsuite>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</testsuite>",
            "build/junit.xml: line 1: elements nest deeper than 256 levels; refused",
        ),
    ],
    ids=["doctype-after-a-comment", "external-dtd", "entity", "xinclude", "deep", "deeper"],
)
def test_hostile_junit_is_a_problem_and_the_other_results_still_count(traced, data, message):
    traced.write("tests/x/test_a.py", "def test_a():\n    '''verifies: SMETS-5.6.1-2'''\n")
    traced.write("build/junit.xml", data)
    traced.junit(("tests.x.test_a", "test_a", "passed"), path="build/more/junit.xml")
    matrix = traced.trace(results=["build/junit.xml", "build/more/*.xml"])
    assert len(matrix.errors) == 1 and str(matrix.errors[0]).startswith(f"error: {message}"), (
        matrix.errors
    )
    assert traced.row(matrix, "SMETS-5.6.1-2").status.value == "tested-only"


def test_a_results_file_over_the_limit_is_not_read(traced):
    sparse(traced.root / "build/junit.xml", RESULTS_FILE_BYTES + 1, b"<testsuite>")
    matrix = traced.trace(results=["build/junit.xml"])
    assert traced.errors(matrix) == ["build/junit.xml: is 512 MiB, over the limit of 512 MiB"]


def test_a_test_with_long_captured_output_is_still_read(traced, tmp_path):
    output = b"x" * (11 << 20)  # past libxml2's 10 MB limit on one text node
    (tmp_path / "junit.xml").write_bytes(
        b"<testsuite><testcase classname='c' name='n'><system-out>"
        + output
        + b"</system-out></testcase></testsuite>"
    )
    results, error = read_junit(tmp_path / "junit.xml", tmp_path)
    assert error is None and [r.key for r in results] == ["c::n"]


# The matrix file of a spec:matrix page ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("deep", f"line 1: arrays and objects nest deeper than {JSON_DEPTH} levels"),
        ("fifo", "is not a regular file (a FIFO, device or socket); refused"),
        ("not-utf8", "line 1: is not UTF-8 text (byte 0xff)"),
    ],
)
def test_a_hostile_matrix_file_is_an_error_of_the_page(tmp_path, kind, message):
    from spectrace.site import PublishError, build_html
    from tests.sphinx.conftest import spec_project

    source = spec_project(tmp_path / "src")
    (source / "data").mkdir()
    matrix = source / "data" / "matrix.json"
    if kind == "deep":
        matrix.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    elif kind == "fifo":
        os.mkfifo(matrix)
    else:
        matrix.write_bytes(b'{"rows": ["\xff"]}')
    page = textwrap.dedent("""\
        :orphan:

        Matrix
        ======

        .. spec:matrix:: data/matrix.json
        """)
    (source / "matrix.rst").write_text(page, encoding="utf-8")
    with within(120), pytest.raises(PublishError) as raised:
        build_html(source, tmp_path / "html")
    assert str(raised.value).startswith(
        f"matrix.rst: line 6: spec:matrix cannot read data/matrix.json: {message}"
    )


def test_review_records_round_trip(tmp_path):
    from spectrace.trace.review import Record, write_reviewed

    path = tmp_path / "reviewed.json"
    path.write_text(json.dumps({"SMETS-1-1": "0123456789abcdef"}), encoding="utf-8")
    assert read_reviewed(path) == {"SMETS-1-1": Record("0123456789abcdef")}
    records = {
        "SMETS-1-1": Record("0123456789abcdef"),
        "SMETS-2-1": Record("fedcba9876543210", "Zoë", "2025-01-31", "checked the overwrite"),
    }
    write_reviewed(path, records)
    assert read_reviewed(path) == records


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        "[1, 2]",
        json.dumps({"version": scanner.CACHE_VERSION, "files": {"src/a.py": 3}}),
        "{",
    ],
    ids=["deep", "a-list", "bad-entry", "truncated"],
)
def test_a_damaged_scan_cache_is_read_as_none(tmp_path, text):
    (tmp_path / "src").mkdir()
    (tmp_path / "src/a.py").write_text(GOOD, encoding="utf-8")
    cache = tmp_path / "cache.json"
    cache.write_text(text, encoding="utf-8")
    found = scanner.Scanner(tmp_path, [], cache).scan(["src"])
    assert [(x.path, x.target) for x in found.links] == [("src/a.py", "SMETS-5.6.1-2")]


def test_a_results_file_is_read_as_a_stream_one_test_case_at_a_time(tmp_path):
    """lxml's tree of small cases took twenty times the file (57 MB: 1.33 GB); streamed,
    memory holds the results read and one case. Measured as the growth of a fresh process's
    peak memory (tracemalloc does not see libxml2's)."""
    import subprocess

    path = tmp_path / "junit.xml"
    path.write_text(
        "<testsuites><testsuite name='s'>"
        + "".join(f"<testcase classname='t.c' name='test_{i}'/>" for i in range(300_000))
        + "</testsuite></testsuites>"
    )
    program = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from lxml import etree\n"
        "from spectrace.trace.results import read_junit\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "found, problem = read_junit(Path(sys.argv[1]), Path(sys.argv[1]).parent)\n"
        "assert problem is None and len(found) == 300_000, problem\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, str(path)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    growth = int(done.stdout)
    assert growth < 10 * path.stat().st_size, f"{growth / path.stat().st_size:.1f} bytes a byte"


def test_a_results_file_of_more_test_cases_than_the_limit_is_a_problem(tmp_path, monkeypatch):
    from spectrace.trace import results

    monkeypatch.setattr(results, "RESULTS_CASES", 3)
    path = tmp_path / "junit.xml"
    path.write_text("<testsuite>" + "<testcase name='a'/>" * 4 + "</testsuite>")
    found, problem = read_junit(path, tmp_path)
    assert found == [] and problem.message == "holds more than 3 test cases"
