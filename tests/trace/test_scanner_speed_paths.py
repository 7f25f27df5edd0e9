"""The scanner's fast paths find what a whole-file tokenize would: Python comments and strings
are told apart by one regex pass, many changed files are scanned by worker processes, and
exclude globs are tested as one regex."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from spectrace.config import DEFAULT_EXCLUDE
from spectrace.trace import scanner
from spectrace.trace.scanner import Scanner, scan_source


def links(source: str) -> list[tuple[str, str, int, str]]:
    """The (kind, target, line, name) of every tag in a Python file's ``source``."""
    found = scan_source("src/x/a.py", textwrap.dedent(source).lstrip("\n").encode())
    assert found.errors == []
    return [(x.kind, x.target, x.line, x.name) for x in found.links]


class TestCommentsAndStrings:
    def test_a_hash_inside_a_multi_line_string_is_not_a_comment(self):
        source = '''
            def f():
                text = """
                # implements: SMETS-1-1
                """
                return text
            '''
        assert links(source) == []

    def test_a_comment_after_a_multi_line_string_counts_on_its_line(self):
        source = '''
            def f():
                text = """# implements: SMETS-1-1
                """  # implements: SMETS-2-1
                return text
            '''
        assert links(source) == [("implements", "SMETS-2-1", 3, "f")]

    def test_tags_in_strings_that_are_not_docstrings_do_not_count(self):
        source = '''
            def f():
                x = 1
                """implements: SMETS-1-1"""
                return ("verifies: SMETS-2-1"
                        'implements: SMETS-3-1')
            '''
        assert links(source) == []

    def test_a_comment_between_the_parts_of_a_string_counts(self):
        source = """
            x = ("a"  # implements: SMETS-1-1
                 "b")
            """
        assert links(source) == [("implements", "SMETS-1-1", 1, "")]

    def test_quotes_and_escapes_do_not_end_a_string_early(self):
        source = r'''
            def f():
                """A \""" and a ' do not end me.

                implements: SMETS-1-1
                """
                s = 'it\'s # not a comment: implements: SMETS-2-1'
                t = "line \
            # implements: SMETS-3-1"
                return s, t  # implements: SMETS-4-1
            '''
        assert links(source) == [
            ("implements", "SMETS-1-1", 4, "f"),
            ("implements", "SMETS-4-1", 9, "f"),
        ]

    def test_windows_line_ends_give_the_same_tags(self):
        source = (
            '"""implements: SMETS 5.5.1"""\n\n\ndef f():\n    # implements: SMETS-1-1\n    pass\n'
        )
        unix = scan_source("src/x/a.py", source.encode())
        windows = scan_source("src/x/a.py", source.replace("\n", "\r\n").encode())
        assert windows == unix and len(unix.links) == 2

    def test_a_file_with_old_mac_line_ends_is_read_as_python_reads_it(self):
        # a lone "\r" ends a line, as for the interpreter and editors (tokenize disagrees, and
        # differently in each Python version): the tag is on line 3, after f
        source = b"def f():\r    pass\r# implements: SMETS-1-1\r\ndef g():\r    pass\n"
        found = scan_source("src/x/a.py", source)
        assert [(x.target, x.line, x.name) for x in found.links] == [("SMETS-1-1", 3, "g")]
        c_file = scan_source("src/x/a.c", b"int f(void);\r// implements: SMETS-1-1\rint g(void);")
        assert [(x.target, x.line, x.name) for x in c_file.links] == [("SMETS-1-1", 2, "g")]

    def test_a_verifies_mark_is_found_however_the_decorator_is_written(self):
        source = """
            import pytest
            from pytest import mark


            @mark.verifies("SMETS-1-1")
            @pytest.mark.parametrize("n", [1])
            def test_a(n):
                pass


            @(pytest.mark).verifies("SMETS-2-1")
            def test_b():
                pass
            """
        assert links(source) == [
            ("verifies", "SMETS-1-1", 5, "test_a"),
            ("verifies", "SMETS-2-1", 11, "test_b"),
        ]

    def test_defs_inside_compound_statements_are_found(self):
        source = """
            try:
                import fast
            except ImportError:
                def slow():
                    # implements: SMETS-1-1
                    pass
            else:
                pass
            finally:
                match x:
                    case 1:
                        class K:
                            '''implements: SMETS-2-1'''
            """
        assert links(source) == [
            ("implements", "SMETS-1-1", 5, "slow"),
            ("implements", "SMETS-2-1", 13, "K"),
        ]


def write_tree(root: Path) -> None:
    for n in range(12):
        (root / f"src/p{n % 3}").mkdir(parents=True, exist_ok=True)
        (root / f"src/p{n % 3}/m{n}.py").write_text(
            f"def f{n}():\n    '''implements: SMETS-{n}-1'''\n", encoding="utf-8"
        )
        (root / f"src/p{n % 3}/c{n}.c").write_text(
            f"// implements: SMETS-{n}-2\nint g{n}(void);\n", encoding="utf-8"
        )
    (root / "src/p0/broken.py").write_text("def f(:\n    # implements: SMETS-99-1\n")
    (root / "src/vendor").mkdir()
    (root / "src/vendor/v.py").write_text("# implements: SMETS-98-1\n", encoding="utf-8")


def test_worker_processes_find_what_one_process_finds_in_the_same_order(tmp_path, monkeypatch):
    write_tree(tmp_path)
    serial = Scanner(tmp_path, list(DEFAULT_EXCLUDE)).scan(["src"])
    monkeypatch.setattr(scanner, "PARALLEL_FROM", 2)
    monkeypatch.setattr(scanner, "_cpus", lambda: 2)
    parallel = Scanner(tmp_path, list(DEFAULT_EXCLUDE)).scan(["src"])
    assert parallel == serial
    assert len(serial.links) == 25 and len(serial.errors) == 1
    assert "src/vendor/v.py" not in {x.path for x in serial.links}


def test_a_cached_scan_finds_what_a_fresh_one_finds(tmp_path):
    write_tree(tmp_path)
    cache = tmp_path / "build/cache.json"
    first = Scanner(tmp_path, list(DEFAULT_EXCLUDE), cache)
    fresh = first.scan(["src"])
    first.save()
    assert Scanner(tmp_path, list(DEFAULT_EXCLUDE), cache).scan(["src"]) == fresh


@pytest.mark.parametrize(
    ("exclude", "kept"),
    [
        ([], ["a/vendor/x.py", "vendor/y.py", "z.py"]),
        (["**/vendor/**"], ["z.py"]),
        (["a/*"], ["vendor/y.py", "z.py"]),
        (["*.py"], []),
        (["*.pyx"], ["a/vendor/x.py", "vendor/y.py", "z.py"]),  # a file is matched as it is
        (["**/a/**"], ["vendor/y.py", "z.py"]),  # a folder glob, tested without a regex
        (["**/ven*/**"], ["z.py"]),  # a folder glob with a wildcard, tested by the regex
        (["**/vendor/**", "z.*"], []),  # both kinds at once
    ],
)
def test_exclude_globs_match_as_fnmatch_does(tmp_path, exclude, kept):
    for name in ("a/vendor/x.py", "vendor/y.py", "z.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# implements: SMETS-1-1\n", encoding="utf-8")
    found = Scanner(tmp_path, exclude).scan([""])
    assert [x.path for x in found.links] == kept
