"""Requirement 1: ``implements:`` and ``verifies:`` tags in any language mark the enclosing or
following function or class; Python is read with ast, other languages by comment syntax."""

from __future__ import annotations

import textwrap

import pytest

from spectrace.trace.scanner import scan_source
from spectrace.trace.tags import parse_targets


def links(path: str, source: str) -> list[tuple[str, str, int, str, str]]:
    """The (kind, target, line, name, test) of every tag in ``source``."""
    found = scan_source(path, textwrap.dedent(source).lstrip("\n").encode())
    assert found.errors == []
    return [(x.kind, x.target, x.line, x.name, x.test) for x in found.links]


class TestTheGrammar:
    def test_a_statement_id_a_clause_and_several_ids_separated_by_commas(self):
        targets, malformed = parse_targets("SMETS-5.6.1-2, SMETS 5.12.1,CHTS@1.3 4.4.6.1")
        assert malformed == []
        assert [(t.statement, t.document, t.edition, t.clause) for t in targets] == [
            ("SMETS-5.6.1-2", None, None, None),
            (None, "SMETS", None, "5.12.1"),
            (None, "CHTS", "1.3", "4.4.6.1"),
        ]

    @pytest.mark.parametrize("text", ["SMETS 5.6.1.", "smets-5.6.1-2", "SMETS-5.6.1", "5.6.1"])
    def test_a_malformed_id_is_reported_not_dropped(self, text):
        targets, malformed = parse_targets(text)
        assert (targets, malformed) == ([], [text])

    def test_what_closes_a_comment_is_not_part_of_the_ids(self):
        assert links("a.c", "/* implements: SMETS-5.6.1-2 */\n") == [
            ("implements", "SMETS-5.6.1-2", 1, "", "")
        ]


class TestPython:
    def test_a_docstring_tag_belongs_to_its_function_or_class_by_qualified_name(self):
        source = '''
            """Module docstring: implements: SMETS 5.5.1"""


            class Display:
                """implements: SMETS-5.6.1-2, SMETS-5.12.1-3"""

                def show_log(self):
                    """Show the Security Log.

                    implements: SMETS-4.4.5-5
                    """
            '''
        assert links("src/x/display.py", source) == [
            ("implements", "SMETS 5.5.1", 1, "", ""),
            ("implements", "SMETS-5.6.1-2, SMETS-5.12.1-3", 5, "Display", ""),
            ("implements", "SMETS-4.4.5-5", 10, "Display.show_log", ""),
        ]

    def test_a_comment_belongs_to_the_function_it_is_in_or_the_one_that_follows(self):
        source = """
            # implements: SMETS-5.5.1-1
            @decorated
            def keep_time():
                # implements: SMETS-5.5.3-1
                return 1


            class Tariff:  # implements: SMETS 5.12.1
                def apply(self):
                    pass
            """
        assert links("src/x/clock.py", source) == [
            ("implements", "SMETS-5.5.1-1", 1, "keep_time", ""),
            ("implements", "SMETS-5.5.3-1", 4, "keep_time", ""),
            ("implements", "SMETS 5.12.1", 8, "Tariff", ""),
        ]

    def test_tags_in_ordinary_strings_and_code_do_not_count(self):
        source = """
            def message():
                x = 1
                text = "implements: SMETS-5.6.1-2"
                return f"verifies: {text}" + '''implements: SMETS-1-1'''
            """
        assert links("src/x/strings.py", source) == []

    def test_a_verifying_test_is_named_as_pytest_reports_it(self):
        source = """
            import pytest


            def test_hides_the_log():
                '''verifies: SMETS-5.6.1-2'''


            class TestSecurityLog:
                # verifies: CHTS 4.4.6.1
                def test_refused_over_han(self):
                    pass

                @pytest.mark.verifies("CHTS-4.4.6.1-8", "CHTS-4.4.6.1-9")
                @pytest.mark.parametrize("n", [1, 2])
                def test_disabling(self, n):
                    pass
            """
        assert links("tests/x/test_log.py", source) == [
            (
                "verifies",
                "SMETS-5.6.1-2",
                5,
                "test_hides_the_log",
                "tests.x.test_log::test_hides_the_log",
            ),
            (
                "verifies",
                "CHTS 4.4.6.1",
                9,
                "TestSecurityLog.test_refused_over_han",
                "tests.x.test_log.TestSecurityLog::test_refused_over_han",
            ),
            (
                "verifies",
                "CHTS-4.4.6.1-8, CHTS-4.4.6.1-9",
                13,
                "TestSecurityLog.test_disabling",
                "tests.x.test_log.TestSecurityLog::test_disabling",
            ),
        ]

    def test_the_keyword_is_case_insensitive(self):
        assert links("src/x/a.py", "def f():\n    # Implements: SMETS-5.6.1-2\n    pass\n") == [
            ("implements", "SMETS-5.6.1-2", 2, "f", "")
        ]

    def test_a_file_is_read_in_the_encoding_it_declares(self):
        """PEP 263: a coding line in the first two lines (or a UTF-8 BOM) says how to read it."""

        def found(path: str, data: bytes) -> list:
            scan = scan_source(path, data)
            return [(x.target, x.line, x.name) for x in scan.links] + [str(e) for e in scan.errors]

        latin1 = "# -*- coding: latin-1 -*-\ndef café():\n    '''implements: SMETS-1-1'''\n"
        assert found("a.py", latin1.encode("latin-1")) == [("SMETS-1-1", 3, "café")]
        bom = b"\xef\xbb\xbfdef f():\n    '''implements: SMETS-1-1'''\n"
        assert found("b.py", bom) == [("SMETS-1-1", 2, "f")]
        assert found("c.py", b"# coding: klingon\n# implements: SMETS-1-1\n") == [
            "error: c.py:1: unknown encoding: klingon; tags in it are not read [unreadable-input]"
        ]
        undeclared = "def f():\n    '''implements: SMETS-1-1 café'''\n".encode("latin-1")
        assert found("d.py", undeclared) == [
            "error: d.py:2: not UTF-8 text; tags in it are not read [unreadable-input]"
        ]

    def test_a_file_that_does_not_parse_is_reported_and_read_line_by_line(self):
        found = scan_source("src/x/broken.py", b"def f(:\n    # implements: SMETS-5.6.1-2\n")
        assert [str(e) for e in found.errors] == [
            "error: src/x/broken.py:1: Python syntax error (invalid syntax); tags read line by "
            "line [partly-read]"
        ]
        assert [(x.target, x.line) for x in found.links] == [("SMETS-5.6.1-2", 2)]


class TestOtherLanguages:
    def test_c_line_and_block_comments_name_the_following_function(self):
        source = """
            /*
             * Security Log display.
             * implements: SMETS-4.4.5-5
             */
            static int show_log(struct meter *m)
            {
                return 0; // implements: SMETS-4.4.5-1
            }

            #define LOG_SIZE 100 // implements: SMETS-4.6.5.17-2
            int log_size(void) { return LOG_SIZE; }

            // implements: SMETS 5.5.1
            """
        # a comment after code tags its line only, not the function after it
        assert links("src/x/display.c", source) == [
            ("implements", "SMETS-4.4.5-5", 3, "show_log", ""),
            ("implements", "SMETS-4.4.5-1", 7, "", ""),
            ("implements", "SMETS-4.6.5.17-2", 10, "", ""),
            ("implements", "SMETS 5.5.1", 13, "", ""),
        ]

    def test_a_gtest_case_is_named_suite_dot_case(self):
        source = """
            // verifies: SMETS-5.6.1-2
            TEST(SecurityLog, HiddenFromType1Devices) {
              EXPECT_FALSE(share_log());
            }
            // verifies: CHTS-4.4.6.1-8
            TEST_F(HubFixture, DisablesCriticalCommands) {}
            """
        assert links("tests/x/log_test.cc", source) == [
            (
                "verifies",
                "SMETS-5.6.1-2",
                1,
                "SecurityLog.HiddenFromType1Devices",
                "SecurityLog.HiddenFromType1Devices",
            ),
            (
                "verifies",
                "CHTS-4.4.6.1-8",
                5,
                "HubFixture.DisablesCriticalCommands",
                "HubFixture.DisablesCriticalCommands",
            ),
        ]

    @pytest.mark.parametrize(
        "path, source, name",
        [
            (
                "src/x/log.rs",
                "/// implements: SMETS-5.6.1-2\n#[inline]\npub fn hide_log(m: &Meter) -> bool {\n",
                "hide_log",
            ),
            (
                "src/x/Log.java",
                "    // implements: SMETS-5.6.1-2\n    @Override\n    public void hideLog() {\n",
                "hideLog",
            ),
            (
                "src/x/log.ts",
                "// implements: SMETS-5.6.1-2\nexport function hideLog(m: Meter): boolean {\n",
                "hideLog",
            ),
            (
                "src/x/log.js",
                "/* implements: SMETS-5.6.1-2 */\nasync function hideLog(m) {\n",
                "hideLog",
            ),
            (
                "src/x/log.go",
                "// implements: SMETS-5.6.1-2\nfunc (m *Meter) HideLog() error {\n",
                "HideLog",
            ),
            (
                "tests/x/log_test.go",
                "// verifies: SMETS-5.6.1-2\nfunc TestHideLog(t *testing.T) {\n",
                "TestHideLog",
            ),
            (
                "src/x/log.rs",
                "// implements: SMETS-5.6.1-2\npub(crate) fn hide_log(m: &Meter) -> bool {\n",
                "hide_log",
            ),
            (
                "tests/x/log.test.ts",
                "  // verifies: SMETS-5.6.1-2\n  it.only('won\\'t share the log', async () => {\n",
                "won't share the log",
            ),
            (
                "src/x/log.c",
                "/* implements: SMETS-5.6.1-2 */\nuint8_t log_capacity(void)\n{\n",
                "log_capacity",
            ),
            (
                "src/x/log.c",
                "// implements: SMETS-5.6.1-2\nconst struct entry *oldest(const struct log *l) {\n",
                "oldest",
            ),
            (
                "src/x/log.cpp",
                "// implements: SMETS-5.6.1-2\nstd::vector<Entry> SecurityLog::visible() const {\n",
                "SecurityLog::visible",
            ),
            (
                "src/x/log.c",
                "    // implements: SMETS-5.6.1-2\n    return share_log(m);\n",
                "",
            ),
        ],
    )
    def test_rust_java_js_ts_go_and_c_by_comment_syntax(self, path, source, name):
        kind = "verifies" if "test" in path else "implements"
        assert links(path, source) == [
            (kind, "SMETS-5.6.1-2", 1, name, name if kind == "verifies" else "")
        ]

    def test_tags_outside_comments_do_not_count(self):
        source = 'const char *s = "implements: SMETS-5.6.1-2";\nint verifies = 1;\n'
        assert links("src/x/strings.c", source) == []

    def test_a_binary_file_has_no_tags(self):
        assert scan_source("src/x/blob.c", b"\x00\x01implements: SMETS-5.6.1-2").links == []
