"""Generate a synthetic code tree traced to a benchmark specification, for ``spectrace trace``.

The tree imitates a smart-meter firmware and head-end project: mostly Python packages under
``src/metering`` (dataclasses, services, codecs, with docstrings, logging and error handling)
and firmware-like C under ``src/firmware`` (``.c`` files with static state, ``#define``
limits and doxygen comments, and their ``.h`` headers). Tests sit under ``tests``:
pytest modules (plain functions, ``Test`` classes, fixtures, parametrised cases) and
GoogleTest files (``TEST(Suite, Case)`` over the C code, as firmware teams do).

A fifth of the source functions carry an ``implements:`` tag naming real statement ids of the
specification (a few name a whole clause, ``SMETS 5.6.1``, and some name two ids), written
the ways people write them: a line of the docstring, a comment above the ``def`` (or above
the C function, ``//``, ``/* */`` or inside a doxygen block), a comment inside the body.
About half the tests carry a ``verifies:`` tag: ``@pytest.mark.verifies("ID")`` marks,
``# verifies:`` comments, a docstring line, and ``// verifies:`` before ``TEST(...)``.

Of the ``statements`` chosen from the specification's normative ones (shall, shall not), the
first tenth is only implemented, the last tenth only tested, the rest both: the matrix then
shows every status. A JUnit file (``results/junit.xml``) reports one case per test (each
parameter of a parametrised test its own case), pytest-style for the Python tests
(``classname="tests.metering.clock.core.test_rtc.TestRtc"``, with the ``verifies``
properties the spectrace pytest plugin writes) and ctest-style for the C tests
(``name="Suite.Case"``), with a few failures, errors and skips. ``spectrace.toml`` makes
the folder a project whose spec-as-code is the specification, written under ``specs``.

``dialect`` writes the same tree (same seed, same functions, same targets) with the tags of
another tool, for comparisons: ``"lobster"`` (``# lobster-trace: bench.SMETS_c1p2_s3``
comments inside each traced function, as lobster-python reads them, plus TRLC requirement
files and a lobster-trlc configuration; Python modules are named ``AREA_COMPONENT_NAME.py``
there, because LOBSTER names an item by its module's file name and function, and
lobster-report refuses the duplicates that same-named modules in different packages make)
or ``"strictdoc"`` (``@relation(SMETS-1.2-3, scope=function)`` in the docstring or the
comment just above the function, plus an .sdoc of the requirements and a StrictDoc
configuration). Those tools have no clause targets, so a
clause tag becomes the ids of its statements. Their requirement files hold every statement
of the specification, as spectrace's matrix does.

The same (spec, files, lines, tests, statements, seed, dialect) gives byte-identical trees.

Usage::

    python benchmarks/make_code.py OUT [--files 10000] [--lines 1000000] [--tests N]
        [--statements N] [--seed 0] [--spec benchmarks/out/spec-10000-s0.docx]
        [--dialect spectrace|lobster|strictdoc]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from spectrace.model import Document

HERE = Path(__file__).resolve().parent
DIALECTS = ("spectrace", "lobster", "strictdoc")
NORMATIVE = ("shall", "shall_not")
TEST_SHARE = 0.2  # of the files
C_SOURCE_SHARE = 0.25  # of the source files (half .c, half .h)
C_TEST_SHARE = 0.2  # of the test files
TAGGED_FUNCTIONS = 0.2
TAGGED_TESTS = 0.55
FAILED, ERRORS, SKIPPED = 0.003, 0.0005, 0.01
LOBSTER_PACKAGE = "bench"

AREAS = (
    "clock",
    "comms",
    "display",
    "logging",
    "payment",
    "security",
    "supply",
    "tariff",
    "han",
    "firmware",
    "metrology",
    "alerts",
)
COMPONENTS = ("core", "model", "service", "codec", "store", "policy", "events", "util")
NOUNS = (
    "tariff_register",
    "meter_balance",
    "event_log",
    "security_log",
    "billing_data",
    "daily_read",
    "profile_data",
    "supply_state",
    "load_limit",
    "emergency_credit",
    "privacy_pin",
    "han_frame",
    "zigbee_frame",
    "clock_drift",
    "utc_time",
    "credit_mode",
    "prepayment_mode",
    "debt_recovery",
    "currency_unit",
    "randomised_offset",
    "alert",
    "command",
    "response",
    "certificate",
    "counter",
    "firmware_image",
    "display_page",
    "auxiliary_switch",
    "valve_state",
    "voltage_sample",
    "power_threshold",
    "tamper_event",
    "consumption",
    "schedule",
    "pairing",
    "key_store",
)
VERBS = (
    "read",
    "update",
    "validate",
    "encode",
    "decode",
    "record",
    "reset",
    "apply",
    "check",
    "compute",
    "store",
    "load",
    "send",
    "handle",
    "clear",
    "select",
)
ATTRIBUTES = ("value", "status", "identifier", "period", "threshold", "count", "flags", "stamp")
ERRORS_PY = ("ValueError", "RuntimeError", "LookupError", "OverflowError")
C_TYPES = ("uint8_t", "uint16_t", "uint32_t", "int32_t", "bool")
SKIP_REASONS = ("needs HAN hardware", "slow: run nightly", "not supported on this variant")


@dataclass
class Summary:
    """What was generated (``links`` is the number of tags ``spectrace trace`` should find)."""

    folder: str
    dialect: str
    seed: int
    files: int = 0
    lines: int = 0
    python_sources: int = 0
    c_sources: int = 0
    c_headers: int = 0
    python_tests: int = 0
    c_tests: int = 0
    functions: int = 0
    tagged_functions: int = 0
    test_functions: int = 0
    tagged_tests: int = 0
    tagged_python_functions: int = 0  # what lobster-python can see
    tagged_python_tests: int = 0
    implements_tags: int = 0
    verifies_tags: int = 0
    clause_tags: int = 0
    links: int = 0
    statements: int = 0
    statement_ids: list[str] = field(default_factory=list)
    spec_statements: int = 0
    test_cases: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    junit: str = "results/junit.xml"
    project: str = "spectrace.toml"

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("statement_ids")
        return data


# ---------------------------------------------------------------------------------------------
# Targets: which statements tags name
# ---------------------------------------------------------------------------------------------


class Targets:
    """Hand out tag targets: ids (or, now and then, a clause) of the chosen statements."""

    def __init__(self, spec: Document, count: int, rng: random.Random):
        pairs = [(clause, s) for clause, s in spec.statements()]
        normative = [(c, s) for c, s in pairs if s.modality.value in NORMATIVE]
        others = [(c, s) for c, s in pairs if s.modality.value not in NORMATIVE]
        count = min(count, len(pairs))
        chosen = rng.sample(normative, min(count, len(normative)))
        if count > len(chosen):
            chosen += rng.sample(others, count - len(chosen))
        self.rng = rng
        self.document = spec.name
        self.ids = [s.id for _, s in chosen]
        self.clause_of = {s.id: c.number for c, s in chosen}
        self.clause_ids: dict[str, list[str]] = {}
        for clause, statement in pairs:
            self.clause_ids.setdefault(clause.number, []).append(statement.id)
        tenth = max(1, len(self.ids) // 10) if len(self.ids) >= 3 else 0
        self.implemented = self.ids[: len(self.ids) - tenth] or self.ids
        self.verified = self.ids[tenth:] or self.ids
        self.used = {"implements": 0, "verifies": 0}

    def take(self, kind: str) -> list[str]:
        """Return the texts of one tag: one id, sometimes two, now and then a clause."""
        pool = self.implemented if kind == "implements" else self.verified
        used = self.used[kind]
        self.used[kind] += 1
        first = pool[used] if used < len(pool) else self.rng.choice(pool)
        roll = self.rng.random()
        if roll < 0.03:
            return [f"{self.document} {self.clause_of[first]}"]
        if roll < 0.13:
            return [first, self.rng.choice(pool)]
        return [first]

    def expand(self, texts: list[str]) -> list[str]:
        """Statement ids of tag texts (a clause stands for all its statements)."""
        ids: list[str] = []
        for text in texts:
            if " " in text:
                ids += self.clause_ids[text.split(" ", 1)[1]]
            else:
                ids.append(text)
        return list(dict.fromkeys(ids))


def lobster_name(statement: str) -> str:
    """A statement id as a TRLC record name: SMETS-1.2-3 -> SMETS_c1p2_s3.

    TRLC refuses names that differ only in underscores (SMETS_2_1_11_1 and SMETS_2_1_1_1_1
    are "too similar"), so the clause's dots and the statement number get letters.
    """
    head, number = statement.rsplit("-", 1)
    document, clause = head.split("-", 1)
    return f"{document}_c{re.sub(r'[^A-Za-z0-9]', 'p', clause)}_s{number}"


# ---------------------------------------------------------------------------------------------
# Tags in each dialect
# ---------------------------------------------------------------------------------------------


@dataclass
class Tag:
    """A tag on one function or test: kind, the texts it names, and where it is written."""

    kind: str  # implements | verifies
    texts: list[str]
    style: str  # doc | above | inside | mark (pytest) | line | block | doxygen (C)


class Writer:
    """Render tags for one dialect, counting what spectrace should find."""

    def __init__(self, dialect: str, targets: Targets, summary: Summary):
        self.dialect = dialect
        self.targets = targets
        self.summary = summary
        # Lines the tags added: sizes are planned without them, so that every dialect gets
        # the same functions (and the random generator the same draws).
        self.extra = 0

    def count(self, tag: Tag) -> None:
        self.summary.links += 1
        setattr(self.summary, f"{tag.kind}_tags", getattr(self.summary, f"{tag.kind}_tags") + 1)
        self.summary.clause_tags += sum(" " in text for text in tag.texts)

    # Python ----------------------------------------------------------------------------------

    def python(
        self,
        tag: Tag | None,
        indent: str,
        decorators: list[str],
        signature: str,
        doc: list[str],
        body: list[str],
    ) -> list[str]:
        """The lines of one Python function (``doc`` holds docstring lines, may be empty)."""
        lines = self._python(tag, indent, decorators, signature, doc, body)
        if tag is not None:
            self.count(tag)
            self.extra += len(lines) - len(
                self._python(None, indent, decorators, signature, doc, body)
            )
        return lines

    def _python(
        self,
        tag: Tag | None,
        indent: str,
        decorators: list[str],
        signature: str,
        doc: list[str],
        body: list[str],
    ) -> list[str]:
        above: list[str] = []
        doc = list(doc)
        inside: list[str] = []
        decorators = list(decorators)
        inner = indent + "    "
        if tag is not None:
            if self.dialect == "spectrace":
                word = "Implements" if tag.kind == "implements" else "Verifies"
                joined = ", ".join(tag.texts)
                if tag.style == "doc":
                    doc = [*(doc or [f"{word} the requirement."]), "", f"{word}: {joined}"]
                elif tag.style == "mark":
                    args = ", ".join(f'"{text}"' for text in tag.texts)
                    decorators.insert(0, f"@pytest.mark.verifies({args})")
                elif tag.style == "inside":
                    inside = [f"# {tag.kind}: {joined}"]
                else:
                    above = [f"# {tag.kind}: {joined}"]
            elif self.dialect == "lobster":
                inside = self._lobster(tag, "#")
            else:
                relation = self._relation(tag)
                doc = [*(doc or ["Traced function."]), "", relation]
        lines = [indent + line for line in above + decorators]
        lines.append(indent + signature)
        if doc:
            if len(doc) == 1:
                lines.append(f'{inner}"""{doc[0]}"""')
            else:
                lines.append(f'{inner}"""{doc[0]}')
                lines += [(inner + line) if line else "" for line in doc[1:]]
                lines.append(f'{inner}"""')
        lines += [inner + line for line in inside]
        lines += [(inner + line) if line else "" for line in body]
        return lines

    def _lobster(self, tag: Tag, comment: str) -> list[str]:
        """One ``lobster-trace`` comment line per statement the tag names."""
        ids = self.targets.expand(tag.texts)
        return [f"{comment} lobster-trace: {LOBSTER_PACKAGE}.{lobster_name(i)}" for i in ids]

    def _relation(self, tag: Tag) -> str:
        """StrictDoc's marker for the statements the tag names."""
        return f"@relation({', '.join(self.targets.expand(tag.texts))}, scope=function)"

    # C ---------------------------------------------------------------------------------------

    def c(self, tag: Tag | None, doc: list[str], signature: str, body: list[str]) -> list[str]:
        """The lines of one C function (or GoogleTest case) with its comment."""
        lines = self._c(tag, doc, signature, body)
        if tag is not None:
            self.count(tag)
            self.extra += len(lines) - len(self._c(None, doc, signature, body))
        return lines

    def _c(self, tag: Tag | None, doc: list[str], signature: str, body: list[str]) -> list[str]:
        comment: list[str] = [" * " + line if line else " *" for line in doc]
        inside: list[str] = []
        single: list[str] = []
        if tag is not None:
            joined = ", ".join(tag.texts)
            if self.dialect == "spectrace":
                if tag.style == "doxygen":
                    comment += [" *", f" * {tag.kind}: {joined}"]
                elif tag.style == "block":
                    single = [f"/* {tag.kind}: {joined} */"]
                else:
                    single = [f"// {tag.kind}: {joined}"]
            elif self.dialect == "lobster":
                inside = self._lobster(tag, "//")
            else:
                relation = self._relation(tag)
                comment += [" *", f" * {relation}"] if comment else [f" * {relation}"]
        lines = ["/**", *comment, " */"] if comment else []
        lines += single
        lines += [signature, "{"]
        lines += ["    " + line for line in inside]
        lines += [("    " + line) if line else "" for line in body]
        lines.append("}")
        return lines


# ---------------------------------------------------------------------------------------------
# Python sources
# ---------------------------------------------------------------------------------------------


def _words(name: str) -> str:
    return name.replace("_", " ")


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _python_statements(rng: random.Random, args: list[str], size: int) -> list[str]:
    """About ``size`` lines of a plausible function body, ending in a return."""
    lines: list[str] = []
    arg = args[0] if args else "self"
    attribute = rng.choice(ATTRIBUTES)
    result = rng.choice(("total", "result", "count", "state", "value_out", "frame"))
    lines.append(f"{result} = {rng.randint(0, 16)}")
    while len(lines) < size - 1:
        choice = rng.randrange(7)
        if choice == 0:
            lines += [
                f"if {arg} is None:",
                f'    raise {rng.choice(ERRORS_PY)}("{arg} is required")',
            ]
        elif choice == 1:
            limit = rng.choice(("MAX_ENTRIES", "DEFAULT_PERIOD", "LIMIT"))
            lines += [
                f"for index, entry in enumerate({arg} or ()):",
                f"    if getattr(entry, {attribute!r}, 0) > {limit}:",
                f"        {result} += index",
                "    else:",
                f"        {result} -= 1",
            ]
        elif choice == 2:
            lines.append(f'LOG.debug("{_words(attribute)} of %s is %s", {arg}, {result})')
        elif choice == 3:
            lines += [
                "try:",
                f"    {result} = int({result}) * {rng.randint(2, 60)}",
                "except (TypeError, ValueError) as exc:",
                f'    LOG.warning("cannot scale {attribute}: %s", exc)',
                f"    {result} = 0",
            ]
        elif choice == 4:
            bound = rng.choice(("LIMIT", "0xFFFF"))
            lines.append(f"{result} = min({result} + {rng.randint(1, 900)}, {bound})")
        elif choice == 5:
            key = rng.choice(NOUNS)
            lines += [
                f"{key}_map = {{",
                f'    "{key}": {rng.randint(0, 255)},',
                f'    "{rng.choice(ATTRIBUTES)}": {result},',
                "}",
                f'{result} = {key}_map.get("{key}", {result})',
            ]
        else:
            lines += [
                f"while {result} > LIMIT:",
                f"    {result} //= 2",
            ]
    lines.append(f"return {result}")
    return lines


class PythonModule:
    """One Python source module of about ``size`` lines."""

    def __init__(self, writer: Writer, rng: random.Random, noun: str, area: str, size: int):
        self.writer = writer
        self.rng = rng
        self.noun = noun
        self.area = area
        self.size = size
        self.names: set[str] = set()

    def name(self) -> str:
        base = f"{self.rng.choice(VERBS)}_{self.rng.choice(NOUNS)}"
        name, index = base, 2
        while name in self.names:
            name, index = f"{base}_{index}", index + 1
        self.names.add(name)
        return name

    def function(self, indent: str, method: bool) -> list[str]:
        rng = self.rng
        summary = self.writer.summary
        name = self.name()
        args = [rng.choice(NOUNS) for _ in range(rng.randint(0 if method else 1, 3))]
        args = list(dict.fromkeys(args))
        params = ", ".join([*(["self"] if method else []), *(f"{a}=None" for a in args)])
        signature = f"def {name}({params}) -> int:"
        decorators = ["@staticmethod"] if method and not args and rng.random() < 0.3 else []
        if decorators:
            signature = signature.replace("(self, ", "(").replace("(self)", "()")
        doc = (
            [f"{name.split('_', 1)[0].capitalize()} the {_words(self.noun)} {_words(name)}."]
            if rng.random() < 0.7
            else []
        )
        if doc and rng.random() < 0.4:
            doc += ["", f"Returns the {rng.choice(ATTRIBUTES)} after the update, or 0."]
        summary.functions += 1
        tag = None
        if rng.random() < TAGGED_FUNCTIONS:
            summary.tagged_functions += 1
            summary.tagged_python_functions += 1
            style = rng.choices(("doc", "above", "inside"), (45, 40, 15))[0]
            tag = Tag("implements", self.writer.targets.take("implements"), style)
        body = _python_statements(rng, args or ["self"], rng.randint(3, 13))
        return self.writer.python(tag, indent, decorators, signature, doc, body)

    def render(self) -> str:
        rng = self.rng
        title = _words(self.noun)
        lines = [
            f'"""{title.capitalize()} handling for the {self.area} subsystem of the meter.',
            "",
            "Synthetic benchmark source: names and behaviour are invented.",
            '"""',
            "",
            "from __future__ import annotations",
            "",
            "import logging",
            "from dataclasses import dataclass, field",
            "",
            "LOG = logging.getLogger(__name__)",
            f"MAX_ENTRIES = {rng.choice((16, 32, 48, 64, 96))}",
            f"DEFAULT_PERIOD = {rng.choice((30, 60, 900, 1800))}",
            f"LIMIT = {rng.randint(100, 5000)}",
        ]
        start = self.writer.extra
        while len(lines) - (self.writer.extra - start) < self.size - 6:
            lines += ["", ""]
            if rng.random() < 0.3:
                cls = _camel(f"{self.noun}_{rng.choice(ATTRIBUTES)}")
                lines += [
                    "@dataclass",
                    f"class {cls}:",
                    f'    """A {title} {cls[len(_camel(self.noun)) :].lower()} record."""',
                    "",
                    "    identifier: int = 0",
                    "    value: int = 0",
                    "    history: list[int] = field(default_factory=list)",
                ]
                for _ in range(rng.randint(1, 4)):
                    if len(lines) - (self.writer.extra - start) >= self.size - 6:
                        break
                    lines.append("")
                    lines += self.function("    ", method=True)
            else:
                lines += self.function("", method=False)
        return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# C sources and headers
# ---------------------------------------------------------------------------------------------


def _c_statements(rng: random.Random, size: int, prefix: str) -> list[str]:
    lines = [f"{rng.choice(C_TYPES[:3])} result = {rng.randint(0, 15)}U;"]
    while len(lines) < size - 1:
        choice = rng.randrange(5)
        if choice == 0:
            lines += [
                f"for (uint16_t i = 0U; i < {prefix}_MAX_ENTRIES; i++) {{",
                f"    if (s_{prefix.lower()}_entries[i] > {rng.randint(1, 999)}U) {{",
                "        result++;",
                "    }",
                "}",
            ]
        elif choice == 1:
            lines += [
                "if (result == 0U) {",
                f"    return {rng.choice(('0', 'result', '-1'))};",
                "}",
            ]
        elif choice == 2:
            lines.append(
                f"result = (result << {rng.randint(1, 7)}) & 0x{rng.randint(16, 65535):X}U;"
            )
        elif choice == 3:
            lines += [
                f"switch (s_{prefix.lower()}_state) {{",
                f"case {prefix}_STATE_IDLE:",
                "    result += 1U;",
                "    break;",
                "default:",
                "    break;",
                "}",
            ]
        else:
            lines.append(f"s_{prefix.lower()}_entries[result % {prefix}_MAX_ENTRIES] = result;")
    lines.append("return (int32_t)result;")
    return lines


def c_source(writer: Writer, rng: random.Random, module: str, area: str, size: int):
    """Return (.c text, .h text) of one firmware module of about ``size`` lines."""
    prefix = module.upper()
    lines = [
        "/*",
        f" * {module}.c - {_words(module)} handling for the {area} firmware.",
        " *",
        " * Synthetic benchmark source: names and behaviour are invented.",
        " */",
        "",
        "#include <stdbool.h>",
        "#include <stdint.h>",
        "#include <string.h>",
        "",
        f'#include "{module}.h"',
        "",
        f"#define {prefix}_MAX_ENTRIES ({rng.choice((16, 32, 48))}U)",
        "",
        f"typedef enum {{ {prefix}_STATE_IDLE, {prefix}_STATE_BUSY }} {module}_state_t;",
        "",
        f"static uint32_t s_{module}_entries[{prefix}_MAX_ENTRIES];",
        f"static {module}_state_t s_{module}_state = {prefix}_STATE_IDLE;",
    ]
    prototypes = []
    names: set[str] = set()
    summary = writer.summary
    start = writer.extra
    while len(lines) - (writer.extra - start) < size - 6:
        base = f"{module}_{rng.choice(VERBS)}_{rng.choice(ATTRIBUTES)}"
        name, index = base, 2
        while name in names:
            name, index = f"{base}_{index}", index + 1
        names.add(name)
        static = rng.random() < 0.35
        kind = rng.choice(C_TYPES) if not static else "int32_t"
        params = rng.choice(("void", "uint32_t value", "const uint8_t *data, uint16_t length"))
        signature = f"{'static ' if static else ''}{kind} {name}({params})"
        if not static:
            prototypes.append(f"{signature};")
        doc = [f"{rng.choice(VERBS).capitalize()} the {_words(module)} {rng.choice(ATTRIBUTES)}."]
        doc = doc if rng.random() < 0.6 else []
        summary.functions += 1
        tag = None
        if rng.random() < TAGGED_FUNCTIONS:
            summary.tagged_functions += 1
            style = rng.choices(("doxygen", "block", "line"), (40, 30, 30))[0]
            tag = Tag("implements", writer.targets.take("implements"), style)
        lines.append("")
        lines += writer.c(tag, doc, signature, _c_statements(rng, rng.randint(3, 15), prefix))
    guard = f"{prefix}_H"
    header = [
        f"#ifndef {guard}",
        f"#define {guard}",
        "",
        "#include <stdint.h>",
        "",
        "#ifdef __cplusplus",
        'extern "C" {',
        "#endif",
        "",
        *prototypes,
        "",
        "#ifdef __cplusplus",
        "}",
        "#endif",
        "",
        f"#endif /* {guard} */",
    ]
    return "\n".join(lines) + "\n", "\n".join(header) + "\n"


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


@dataclass
class Case:
    """One JUnit test case."""

    classname: str
    name: str
    python: bool
    verifies: list[str] = field(default_factory=list)  # what the plugin writes (marks only)


def _test_tag(writer: Writer, rng: random.Random, styles, weights) -> Tag | None:
    writer.summary.test_functions += 1
    if rng.random() >= TAGGED_TESTS:
        return None
    writer.summary.tagged_tests += 1
    return Tag("verifies", writer.targets.take("verifies"), rng.choices(styles, weights)[0])


def python_test(
    writer: Writer, rng: random.Random, path: str, source: str, cases: int
) -> tuple[str, list[Case]]:
    """A pytest module with ``cases`` JUnit cases over the module at dotted ``source``."""
    module = path.removesuffix(".py").replace("/", ".")
    noun = source.rsplit(".", 1)[1]
    lines = [
        f'"""Tests for {source}."""',
        "",
        "from __future__ import annotations",
        "",
        "import pytest",
        "",
        "",
        "@pytest.fixture",
        f"def {noun}_record():",
        f'    return {{"identifier": {rng.randint(1, 99)}, "value": 0, "history": []}}',
    ]
    found: list[Case] = []
    names: set[str] = set()
    cls = ""
    while len(found) < cases:
        if not cls and rng.random() < 0.2:
            cls = f"Test{_camel(rng.choice(NOUNS))}"
            lines += ["", "", f"class {cls}:"]
            indent, method = "    ", True
        elif cls and rng.random() < 0.25:
            cls, indent, method = "", "", False
        else:
            indent, method = ("    ", True) if cls else ("", False)
        base = f"test_{rng.choice(VERBS)}_{rng.choice(ATTRIBUTES)}"
        name, index = base, 2
        while name in names:
            name, index = f"{base}_{index}", index + 1
        names.add(name)
        params = rng.randint(2, 4) if rng.random() < 0.12 else 0
        params = min(params, cases - len(found)) if params else 0
        decorators, args = [], [f"{noun}_record"]
        if params > 1:
            values = ", ".join(str(v) for v in sorted(rng.sample(range(256), params)))
            decorators.append(f'@pytest.mark.parametrize("amount", [{values}])')
            args.append("amount")
        signature = f"def {name}({', '.join((['self'] if method else []) + args)}):"
        doc = [f"{_words(name[5:]).capitalize()} as the specification requires."]
        doc = doc if rng.random() < 0.5 else []
        tag = _test_tag(writer, rng, ("mark", "above", "doc"), (50, 35, 15))
        writer.summary.tagged_python_tests += tag is not None
        body = [
            f'{noun}_record["value"] = {rng.randint(0, 900)}' + (" + amount" if params > 1 else ""),
            f'{noun}_record["history"].append({noun}_record["value"])',
            f'assert {noun}_record["value"] >= 0',
            f'assert len({noun}_record["history"]) == 1',
        ][: rng.randint(2, 4)]
        if not method:
            lines += ["", ""]
        elif not lines[-1].startswith("class "):
            lines.append("")
        lines += writer.python(tag, indent, decorators, signature, doc, body)
        verifies = (
            tag.texts if tag and tag.style == "mark" and writer.dialect == "spectrace" else []
        )
        classname = f"{module}.{cls}" if cls else module
        if params > 1:
            values = decorators[0].split("[", 1)[1].rstrip("])").split(", ")
            found += [
                Case(classname, f"{name}[{value}]", True, list(verifies))
                for value in values
                if value
            ]
        else:
            found.append(Case(classname, name, True, list(verifies)))
    return "\n".join(lines) + "\n", found


def c_test(writer: Writer, rng: random.Random, module: str, cases: int) -> tuple[str, list[Case]]:
    """A GoogleTest file of ``cases`` tests over the firmware module ``module``."""
    suite = _camel(module) + "Test"
    lines = [
        f"// Tests for {module}.c (GoogleTest, run by ctest through gtest_discover_tests).",
        "",
        "#include <gtest/gtest.h>",
        "",
        'extern "C" {',
        f'#include "{module}.h"',
        "}",
    ]
    found: list[Case] = []
    names: set[str] = set()
    for _ in range(cases):
        base = f"{_camel(rng.choice(VERBS))}{_camel(rng.choice(ATTRIBUTES))}"
        name, index = base, 2
        while name in names:
            name, index = f"{base}{index}", index + 1
        names.add(name)
        tag = _test_tag(writer, rng, ("line",), (1,))
        body = [
            f"const uint32_t expected = {rng.randint(0, 999)}U;",
            "EXPECT_EQ(expected, expected);",
            f"ASSERT_TRUE(expected < {rng.randint(1000, 4000)}U);",
        ][: rng.randint(1, 3)]
        lines.append("")
        lines += writer.c(tag, [], f"TEST({suite}, {name})", body)
        found.append(Case(f"{suite}.{name}", f"{suite}.{name}", False))
    return "\n".join(lines) + "\n", found


def junit(cases: list[Case], rng: random.Random, summary: Summary) -> str:
    """The JUnit XML of every case: a pytest suite and a ctest suite, a few failing or skipped."""
    total = len(cases)
    outcomes = ["passed"] * total
    order = rng.sample(range(total), total)
    counts = {
        "failed": max(1, round(FAILED * total)) if total >= 10 else 0,
        "error": max(1, round(ERRORS * total)) if total >= 50 else 0,
        "skipped": max(1, round(SKIPPED * total)) if total >= 10 else 0,
    }
    start = 0
    for outcome, count in counts.items():
        for index in order[start : start + count]:
            outcomes[index] = outcome
        start += count
    summary.test_cases = total
    summary.failed, summary.errors, summary.skipped = (
        counts["failed"],
        counts["error"],
        counts["skipped"],
    )
    suites = []
    for python in (True, False):
        chosen = [(c, outcomes[i]) for i, c in enumerate(cases) if c.python == python]
        body = []
        elapsed = 0.0
        for case, outcome in chosen:
            seconds = round(rng.uniform(0.0005, 0.08), 4)
            elapsed += seconds
            attributes = f"classname={quoteattr(case.classname)} name={quoteattr(case.name)}"
            attributes += f' time="{seconds}"'
            if not python:
                status = {"passed": "run", "skipped": "disabled"}.get(outcome, "fail")
                attributes += f' status="{status}"'
            inner = []
            if case.verifies:
                inner.append("<properties>")
                inner += [
                    f'<property name="verifies" value={quoteattr(text)}/>' for text in case.verifies
                ]
                inner.append("</properties>")
            if outcome == "failed":
                message = "assert 41 == 42" if python else "Failed"
                inner.append(
                    f"<failure message={quoteattr(message)}>"
                    f"{escape('AssertionError: expected value 42, got 41')}</failure>"
                )
            elif outcome == "error":
                inner.append(
                    '<error message="failed on setup with &quot;RuntimeError: no HAN&quot;">'
                    "RuntimeError: no HAN</error>"
                )
            elif outcome == "skipped":
                reason = rng.choice(SKIP_REASONS)
                kind = ' type="pytest.skip"' if python else ""
                inner.append(f"<skipped{kind} message={quoteattr(reason)}/>")
            if inner:
                body.append(f"    <testcase {attributes}>{''.join(inner)}</testcase>")
            else:
                body.append(f"    <testcase {attributes}/>")
        tally = {k: sum(1 for _, o in chosen if o == k) for k in ("failed", "error", "skipped")}
        name = "pytest" if python else "firmware-tests"
        suites.append(
            f'  <testsuite name="{name}" tests="{len(chosen)}" failures="{tally["failed"]}" '
            f'errors="{tally["error"]}" skipped="{tally["skipped"]}" time="{elapsed:.3f}" '
            f'timestamp="2024-01-01T00:00:00" hostname="ci">\n'
            + "\n".join(body)
            + "\n  </testsuite>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n'
        + "\n".join(suites)
        + "\n</testsuites>\n"
    )


# ---------------------------------------------------------------------------------------------
# The tree
# ---------------------------------------------------------------------------------------------


def _split(total: int, shares: list[float]) -> list[int]:
    counts = [int(total * share) for share in shares]
    counts[0] += total - sum(counts)
    return counts


def _modules(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """(area, component, module name) of ``count`` modules, unique per folder."""
    taken: set[tuple[str, str, str]] = set()
    out = []
    for _ in range(count):
        area, component = rng.choice(AREAS), rng.choice(COMPONENTS)
        base = rng.choice(NOUNS)
        name, index = base, 2
        while (area, component, name) in taken:
            name, index = f"{base}_{index}", index + 1
        taken.add((area, component, name))
        out.append((area, component, name))
    return out


def _write(folder: Path, relative: str, text: str, summary: Summary) -> None:
    path = folder / relative
    if path.exists():  # a second file of the same name would silently replace the first
        raise RuntimeError(f"make_code would write {relative} twice")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    summary.files += 1
    summary.lines += text.count("\n")


def make_code(
    folder: Path,
    spec: Document,
    files: int = 10_000,
    lines: int = 1_000_000,
    seed: int = 0,
    *,
    tests: int | None = None,
    statements: int | None = None,
    dialect: str = "spectrace",
) -> Summary:
    """Write the code tree, the JUnit results and the project file under ``folder``.

    ``files`` counts sources, headers and tests (not the spec, results or project file);
    ``tests`` is the number of JUnit cases (default 2 per file), ``statements`` how many
    statements tags name (default one per file, at most the spec's).
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r} (known: {', '.join(DIALECTS)})")
    if files < 4:
        raise ValueError("make_code needs at least 4 files (Python, C, and a test of each)")
    folder = Path(folder)
    tests = 2 * files if tests is None else tests
    rng = random.Random(seed)
    summary = Summary(str(folder), dialect, seed)
    targets = Targets(spec, files if statements is None else statements, rng)
    summary.statements = len(targets.ids)
    summary.statement_ids = list(targets.ids)
    summary.spec_statements = sum(1 for _ in spec.statements())
    writer = Writer(dialect, targets, summary)

    test_files = max(2, round(files * TEST_SHARE))
    c_tests = max(1, round(test_files * C_TEST_SHARE))
    py_tests = test_files - c_tests
    sources = files - test_files
    c_pairs = max(1, round(sources * C_SOURCE_SHARE / 2 * 1.0))  # .c + .h per pair
    c_pairs = min(c_pairs, (sources - 1) // 2)
    py_sources = sources - 2 * c_pairs
    py_modules = _modules(rng, py_sources)
    c_modules = _modules(rng, c_pairs)

    # Tests first: their size follows from the cases, the rest of the line budget is the code.
    per_file = _split(tests, [1 / test_files] * test_files)
    cases: list[Case] = []
    for index in range(py_tests):
        area, component, noun = py_modules[index % len(py_modules)]
        suffix = f"_{index // len(py_modules) + 1}" if index >= len(py_modules) else ""
        stem = f"{area}_{component}_{noun}" if dialect == "lobster" else noun
        path = f"tests/metering/{area}/{component}/test_{stem}{suffix}.py"
        text, found = python_test(
            writer, rng, path, f"metering.{area}.{component}.{noun}", per_file[index]
        )
        _write(folder, path, text, summary)
        cases += found
        summary.python_tests += 1
    for index in range(c_tests):
        area, component, noun = c_modules[index % len(c_modules)]
        module = f"{component}_{noun}"  # C files sit in their area's folder: unique there
        suffix = f"_{index // len(c_modules) + 1}" if index >= len(c_modules) else ""
        name = f"{area}_{module}"
        text, found = c_test(writer, rng, name, per_file[py_tests + index])
        _write(folder, f"tests/firmware/{area}/test_{module}{suffix}.cpp", text, summary)
        cases += found
        summary.c_tests += 1

    budget = max(lines - (summary.lines - writer.extra), sources * 20)
    weights = [rng.lognormvariate(0, 0.6) for _ in range(py_sources + c_pairs)]
    scale = budget / sum(weights)
    for index, (area, component, noun) in enumerate(py_modules):
        size = max(20, round(weights[index] * scale))
        text = PythonModule(writer, rng, noun, area, size).render()
        stem = f"{area}_{component}_{noun}" if dialect == "lobster" else noun
        _write(folder, f"src/metering/{area}/{component}/{stem}.py", text, summary)
        summary.python_sources += 1
    for index, (area, component, noun) in enumerate(c_modules):
        module = f"{component}_{noun}"
        size = max(30, round(weights[py_sources + index] * scale) - 12)
        name = f"{area}_{module}"
        source, header = c_source(writer, rng, name, area, size)
        _write(folder, f"src/firmware/{area}/{module}.c", source, summary)
        _write(folder, f"src/firmware/{area}/{module}.h", header, summary)
        summary.c_sources += 1
        summary.c_headers += 1

    results = folder / summary.junit
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(junit(cases, rng, summary), encoding="utf-8", newline="\n")
    _write_project(folder, spec, dialect, targets)
    (folder / "summary.json").write_text(json.dumps(summary.as_dict(), indent=1) + "\n")
    return summary


def _write_project(folder: Path, spec: Document, dialect: str, targets: Targets) -> None:
    """The project file and spec-as-code (spectrace), or the tool's requirements and config."""
    if dialect == "spectrace":
        from spectrace.api import write_spec_sources

        write_spec_sources(spec, folder / "specs", replace=True)
        (folder / "spectrace.toml").write_text(
            "# Synthetic benchmark project (benchmarks/make_code.py).\n\n"
            '[project]\nspecs = "specs"\noutput = "build"\n\n'
            f'[documents.{spec.name}]\nedition = "{spec.edition}"\n\n'
            '[trace]\ncode = ["src"]\ntests = ["tests"]\nresults = ["results/junit.xml"]\n',
            encoding="utf-8",
        )
    elif dialect == "lobster":
        _write_lobster(folder, spec)
    else:
        _write_strictdoc(folder, spec)


def _write_lobster(folder: Path, spec: Document) -> None:
    """TRLC requirements (one record per statement), the lobster-trlc and report configs."""
    reqs = folder / "requirements"
    reqs.mkdir(parents=True, exist_ok=True)
    (reqs / "bench.rsl").write_text(
        f"package {LOBSTER_PACKAGE}\n\ntype Requirement {{\n  text String\n  clause String\n"
        "  modality String\n}\n",
        encoding="utf-8",
    )
    lines = [f"package {LOBSTER_PACKAGE}", ""]
    for clause, statement in spec.statements():
        text = statement.text.replace("\\", "/").replace('"', "'").replace("\n", " ")
        lines += [
            f"Requirement {lobster_name(statement.id)} {{",
            f'  text = "{text}"',
            f'  clause = "{clause.number}"',
            f'  modality = "{statement.modality.value}"',
            "}",
            "",
        ]
    (reqs / "bench.trlc").write_text("\n".join(lines), encoding="utf-8", newline="\n")
    (folder / "lobster-trlc.yaml").write_text(
        "inputs:\n  - requirements\nconversion-rules:\n"
        f"  - package: {LOBSTER_PACKAGE}\n    record-type: Requirement\n    namespace: req\n"
        "    description-fields: text\n",
        encoding="utf-8",
    )
    (folder / "lobster.conf").write_text(
        'requirements "Requirements" {\n  source: "out/requirements.lobster";\n}\n\n'
        'implementation "Code" {\n  source: "out/code.lobster";\n  trace to: "Requirements";\n}\n\n'
        'activity "Tests" {\n  source: "out/tests.lobster";\n  trace to: "Requirements";\n}\n',
        encoding="utf-8",
    )


def _write_strictdoc(folder: Path, spec: Document) -> None:
    """An .sdoc of every statement and a StrictDoc configuration for source traceability."""
    docs = folder / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    lines = ["[DOCUMENT]", f"TITLE: {spec.name} {spec.edition} (synthetic benchmark)", ""]
    for clause, statement in spec.statements():
        text = statement.text.replace("<<<", "< < <").replace(">>>", "> > >")
        lines += [
            "[REQUIREMENT]",
            f"UID: {statement.id}",
            f"TITLE: {spec.name} {clause.number}",
            "STATEMENT: >>>",
            text,
            "<<<",
            "",
        ]
    (docs / "requirements.sdoc").write_text("\n".join(lines), encoding="utf-8", newline="\n")
    (folder / "strictdoc_config.py").write_text(
        "from strictdoc.core.project_config import ProjectConfig\n\n\n"
        "def create_config() -> ProjectConfig:\n"
        "    return ProjectConfig(\n"
        '        project_title="spectrace benchmark",\n'
        "        project_features=[\n"
        '            "REQUIREMENT_TO_SOURCE_TRACEABILITY",\n'
        '            "SOURCE_FILE_LANGUAGE_PARSERS",\n'
        "        ],\n"
        '        include_doc_paths=["docs/**"],\n'
        '        source_root_path=".",\n'
        '        include_source_paths=["src/**", "tests/**"],\n'
        "    )\n",
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the tree into (must not exist)")
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--tests", type=int, help="JUnit test cases (default 2 per file)")
    parser.add_argument("--statements", type=int, help="statements tags name (default: files)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--spec",
        type=Path,
        default=HERE / "out" / "spec-10000-s0.docx",
        help="the specification (.docx or spec-as-code folder)",
    )
    parser.add_argument("--document", default="SMETS", help="its document name (SMETS)")
    parser.add_argument("--edition", default="4.2", help="its edition (4.2)")
    parser.add_argument("--dialect", choices=DIALECTS, default="spectrace")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} exists and is not empty")
    if not args.spec.exists():
        parser.error(f"no specification at {args.spec} (make one with make_spec.py)")
    from spectrace.api import load_document

    started = time.perf_counter()
    spec = load_document(args.spec, args.document, args.edition)
    summary = make_code(
        args.out,
        spec,
        args.files,
        args.lines,
        args.seed,
        tests=args.tests,
        statements=args.statements,
        dialect=args.dialect,
    )
    print(json.dumps(summary.as_dict(), indent=1))
    print(f"generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
