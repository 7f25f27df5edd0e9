"""The project file: ``spectrace.toml`` (or ``[tool.spectrace]`` in ``pyproject.toml``).

It names the spec-as-code root, the database, each document and its base edition, what the
statement analysis looks for, and the lint policy. Unknown keys are errors, so a typo is caught
rather than silently ignored.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spectrace.errors import AddressError, ConfigError, ReadError
from spectrace.fileio import read_text_input
from spectrace.findings import Code, Severity, Stage, codes
from spectrace.limits import NAME_CHARS, PROJECT_FILE_BYTES, PROJECT_FILE_DEPTH
from spectrace.model.document import Modality
from spectrace.model.proposal import MarkupStyle
from spectrace.model.refs import (
    is_document_name,
    is_edition,
    is_irp_number,
    parse_address,
)
from spectrace.transforms.lint import LintPolicy, Waiver
from spectrace.transforms.statements import DEFAULT_INFORMATIVE_TITLES, Vocabulary

PROJECT_FILE = "spectrace.toml"


STATUS_RULES = ("uncovered", "implemented-only", "tested-only", "failing", "suspect", "errors")
DEFAULT_EXCLUDE = (
    "**/.git/**",
    "**/node_modules/**",
    "**/vendor/**",
    "**/third_party/**",
    "**/__pycache__/**",
    "**/.venv/**",
    "**/build/**",
)


@dataclass(frozen=True)
class TraceWaiver:
    """A statement (or every statement of a clause) that need not be covered, and why."""

    target: str
    reason: str
    line: str = ""  # where it is: "[[check.waive]] #3"
    line_number: int = 0  # the line of its table header in the project file (0: unknown)


@dataclass
class TraceConfig:
    """Where tags and test results are, and what the CI gate requires.

    ``fail_on`` holds what fails ``spectrace check``: statements "uncovered",
    "implemented-only", "tested-only", "failing" or "suspect", and "errors" (unknown or
    malformed tags, unreadable files and results).
    """

    code: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)
    results: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    reviewed: str = "trace/reviewed.json"
    documents: list[str] = field(default_factory=list)
    modalities: list[str] = field(default_factory=lambda: ["shall", "shall_not"])
    fail_on: list[str] = field(
        default_factory=lambda: ["uncovered", "failing", "suspect", "errors"]
    )
    waivers: list[TraceWaiver] = field(default_factory=list)
    #: The least share (percent) of each document's required statements, waived ones aside,
    #: that must be covered: by document name, "" for every document not named.
    min_coverage: dict[str, float] = field(default_factory=dict)

    @property
    def configured(self) -> bool:
        """Whether the project names code or tests to trace (so ``build`` writes a matrix)."""
        return bool(self.code or self.tests)


@dataclass(frozen=True)
class AmendConfig:
    """How proposals are applied: ``require_all_documents`` refuses a change to a document the
    project does not have (``unknown-document``) instead of skipping it (``not-in-project``)."""

    require_all_documents: bool = False


@dataclass
class DocumentConfig:
    name: str
    edition: str
    sources: Path
    proposals: list[str] = field(default_factory=list)


@dataclass
class Project:
    """A loaded project file with every path made absolute."""

    file: Path
    root: Path
    specs: Path
    database: Path
    irps: Path
    output: Path
    documents: list[DocumentConfig] = field(default_factory=list)
    markup: MarkupStyle = field(default_factory=MarkupStyle)
    amend: AmendConfig = field(default_factory=AmendConfig)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    lint: LintPolicy = field(default_factory=LintPolicy)
    trace: TraceConfig = field(default_factory=TraceConfig)

    def edition_of(self, name: str) -> str | None:
        """Return the edition the project builds of document ``name``, if it names it."""
        return next((d.edition for d in self.documents if d.name == name), None)


def find_project(start: Path) -> Path | None:
    """Return the nearest project file at or above ``start``, or None."""
    for folder in [start, *start.parents]:
        if (folder / PROJECT_FILE).is_file():
            return folder / PROJECT_FILE
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.spectrace" in _read(pyproject):
            return pyproject
    return None


def load_project(
    path: Path | None = None, start: Path | None = None, allowed: Sequence[Path] = ()
) -> Project:
    """Return the project in ``path`` (a file or folder), or the one found above ``start``.

    The paths it names for outputs must be inside the project's folder or one of ``allowed``
    (folders the user named on the command line).
    """
    if path is not None and path.is_dir():
        path = find_project(path) if not (path / PROJECT_FILE).is_file() else path / PROJECT_FILE
    path = path or find_project((start or Path.cwd()).resolve())
    if path is None or not path.exists():
        where = start or Path.cwd()
        raise ConfigError(
            f"no {PROJECT_FILE} here or in any parent folder; run from a project or pass --project",
            file=str(where),
        )
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", file=str(path)) from None
    except RecursionError:
        raise _too_deep(path) from None
    if _depth(data) > PROJECT_FILE_DEPTH:
        raise _too_deep(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("spectrace", {})
    return _Parser(path, text, allowed).project(data)


def _read(path: Path) -> str:
    """Return the text of a project file: a regular UTF-8 file within the size limit."""
    try:
        return read_text_input(path, limit=PROJECT_FILE_BYTES)
    except ReadError as exc:
        raise ConfigError(exc.message, file=exc.file, where=exc.where) from None


def _depth(data: Any) -> int:
    """Return how deeply arrays and tables nest in ``data`` (without recursing)."""
    deepest, stack = 0, [(data, 0)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(value, dict):
            stack += [(child, depth + 1) for child in value.values()]
        elif isinstance(value, list):
            stack += [(child, depth + 1) for child in value]
    return deepest


def _too_deep(path: Path) -> ConfigError:
    return ConfigError(
        f"arrays and tables nest more than {PROJECT_FILE_DEPTH} deep; refused", file=str(path)
    )


class _Parser:
    """Check the project file's tables and turn them into a Project."""

    def __init__(self, file: Path, text: str, allowed: Sequence[Path] = ()):
        self.file = file
        self.text = text
        self.root = file.parent.resolve()
        self.allowed = [self.root, *(folder.resolve() for folder in allowed)]

    def header_lines(self, name: str) -> list[int]:
        """Return the line numbers of the ``[[name]]`` headers (``[[tool.spectrace.name]]`` in
        pyproject.toml), for messages: tomllib keeps no positions."""
        pattern = re.compile(rf"^\s*\[\[\s*(?:tool\.spectrace\.)?{re.escape(name)}\s*\]\]")
        lines = self.text.splitlines()
        return [n for n, line in enumerate(lines, start=1) if pattern.match(line)]

    def output_path(self, value: Any, where: str) -> Path:
        """Return the path ``value`` names for something spectrace writes: it must resolve
        (links followed) inside the project or a folder allowed on the command line."""
        path = self.root / self.string(value, where)
        resolved = path.resolve()
        if not any(resolved == folder or folder in resolved.parents for folder in self.allowed):
            raise self.fail(
                where,
                f"'{value}' is outside the project folder; spectrace writes only inside it "
                "(or in a folder given with --allow-output)",
            )
        return path

    def inside(self, values: list[str], where: str) -> list[str]:
        """Return ``values`` (folders to scan) if each resolves inside the project: tags are
        reported, and cached, by their path in the project."""
        for value in values:
            resolved = (self.root / value).resolve()
            if resolved != self.root and self.root not in resolved.parents:
                raise self.fail(
                    where, f"'{value}' is outside the project folder; trace folders inside it"
                )
        return values

    def fail(self, where: str, message: str) -> ConfigError:
        return ConfigError(message, file=str(self.file), where=where)

    def table(self, data: Any, where: str, allowed: set[str]) -> dict:
        if not isinstance(data, dict):
            raise self.fail(where, "must be a table")
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise self.fail(
                where, f"unknown key '{unknown[0]}' (allowed: {', '.join(sorted(allowed))})"
            )
        return data

    def string(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value:
            raise self.fail(where, "must be a non-empty string")
        return value

    def min_coverage(self, value: Any) -> dict[str, float]:
        """Read ``min-coverage``: a percentage for every document, or a table of them by
        document name."""
        where = "[check] min-coverage"
        by_document = value if isinstance(value, dict) else {"": value}
        for name, share in by_document.items():
            at = f"{where}.{name}" if name else where
            if name and not is_document_name(name):
                raise self.fail(at, "must be a document name")
            if isinstance(share, bool) or not isinstance(share, int | float):
                raise self.fail(at, "must be a percentage (a number from 0 to 100)")
            if not 0 <= share <= 100:
                raise self.fail(at, f"must be from 0 to 100, not {share}")
        return {name: float(share) for name, share in by_document.items()}

    def strings(self, value: Any, where: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(where, "must be a list of non-empty strings")
        return value

    def project(self, data: dict) -> Project:
        self.table(
            data,
            "top level",
            {"project", "documents", "statements", "lint", "markup", "amend", "trace", "check"},
        )
        settings = self.table(
            data.get("project", {}), "[project]", {"specs", "database", "irps", "output"}
        )
        specs = self.output_path(settings.get("specs", "specs"), "[project] specs")
        project = Project(
            file=self.file,
            root=self.root,
            specs=specs,
            database=self.output_path(
                settings.get("database", "build/requirements.db"), "[project] database"
            ),
            output=self.output_path(settings.get("output", "build"), "[project] output"),
            irps=self.output_path(settings["irps"], "[project] irps")
            if "irps" in settings
            else specs / "irps",
        )
        documents = self.table(
            data.get("documents", {}), "[documents]", set(data.get("documents", {}))
        )
        for name, entry in documents.items():
            project.documents.append(self.document(name, entry, project.specs))
        project.vocabulary = self.vocabulary(data.get("statements", {}))
        project.lint = self.lint(data.get("lint", {}))
        project.markup = self.markup(data.get("markup", {}))
        project.amend = self.amend(data.get("amend", {}))
        project.trace = self.trace(data.get("trace", {}), data.get("check", {}))
        return project

    def trace(self, trace: Any, check: Any) -> TraceConfig:
        trace = self.table(trace, "[trace]", {"code", "tests", "results", "exclude", "reviewed"})
        check = self.table(
            check, "[check]", {"documents", "modalities", "fail-on", "waive", "min-coverage"}
        )
        config = TraceConfig()
        for key in ("code", "tests"):
            if key in trace:
                folders = self.strings(trace[key], f"[trace] {key}")
                setattr(config, key, self.inside(folders, f"[trace] {key}"))
        if "results" in trace:
            config.results = self.strings(trace["results"], "[trace] results")
        # Added to the defaults: a project excluding its generated code still skips .venv.
        config.exclude += self.strings(trace.get("exclude", []), "[trace] exclude")
        if "reviewed" in trace:
            self.output_path(trace["reviewed"], "[trace] reviewed")
            config.reviewed = trace["reviewed"]
        if "documents" in check:
            config.documents = self.strings(check["documents"], "[check] documents")
        if "modalities" in check:
            config.modalities = self.strings(check["modalities"], "[check] modalities")
            bad = [m for m in config.modalities if m not in {m.value for m in Modality}]
            if bad:
                raise self.fail("[check] modalities", f"unknown modality '{bad[0]}'")
        if "fail-on" in check:
            config.fail_on = self.strings(check["fail-on"], "[check] fail-on")
            bad = [rule for rule in config.fail_on if rule not in STATUS_RULES]
            if bad:
                raise self.fail(
                    "[check] fail-on", f"unknown rule '{bad[0]}' (known: {', '.join(STATUS_RULES)})"
                )
        if "min-coverage" in check:
            config.min_coverage = self.min_coverage(check["min-coverage"])
        waivers = check.get("waive", [])
        if not isinstance(waivers, list):
            raise self.fail("[[check.waive]]", "must be an array of tables")
        headers = self.header_lines("check.waive")
        for number, waiver in enumerate(waivers, start=1):
            where = f"[[check.waive]] #{number}"
            waiver = self.table(waiver, where, {"statement", "clause", "reason"})
            targets = [waiver[key] for key in ("statement", "clause") if key in waiver]
            if len(targets) != 1:
                raise self.fail(where, "give either a statement or a clause")
            config.waivers.append(
                TraceWaiver(
                    self.string(targets[0], f"{where} target"),
                    self.string(waiver.get("reason"), f"{where} reason"),
                    where,
                    headers[number - 1] if number <= len(headers) else 0,
                )
            )
        return config

    def markup(self, data: Any) -> MarkupStyle:
        data = self.table(data, "[markup]", {"insert-colors", "delete-colors"})
        colors = {}
        for key in ("insert-colors", "delete-colors"):
            if key in data:
                values = self.strings(data[key], f"[markup] {key}")
                bad = [v for v in values if not re.fullmatch(r"[0-9A-Fa-f]{6}", v)]
                if bad:
                    raise self.fail(f"[markup] {key}", f"'{bad[0]}' is not a colour like 0000FF")
                colors[key.replace("-", "_")] = frozenset(v.upper() for v in values)
        return MarkupStyle(**colors)

    def amend(self, data: Any) -> AmendConfig:
        data = self.table(data, "[amend]", {"require-all-documents"})
        value = data.get("require-all-documents", False)
        if not isinstance(value, bool):
            raise self.fail("[amend] require-all-documents", "must be true or false")
        return AmendConfig(require_all_documents=value)

    def document(self, name: str, entry: Any, specs: Path) -> DocumentConfig:
        where = f"[documents.{name}]"
        if len(name) > NAME_CHARS:
            raise self.fail(where, f"a document name is at most {NAME_CHARS} characters")
        if not is_document_name(name):
            raise self.fail(where, "a document name is letters and digits, starting with a capital")
        entry = self.table(entry, where, {"edition", "sources", "proposals"})
        proposals = self.strings(entry.get("proposals", []), f"{where} proposals")
        bad = [irp for irp in proposals if not is_irp_number(irp)]
        if bad:
            raise self.fail(f"{where} proposals", f"'{bad[0]}' is not an IRP name (e.g. IRP603)")
        edition = self.string(entry.get("edition"), f"{where} edition")
        if not is_edition(edition):
            raise self.fail(f"{where} edition", f"'{edition}' is not an edition (e.g. 4.2)")
        sources = entry.get("sources")
        folder = (
            self.root / self.string(sources, f"{where} sources")
            if sources
            else specs / name / edition
        )
        return DocumentConfig(name, edition, folder, proposals)

    def vocabulary(self, data: Any) -> Vocabulary:
        data = self.table(data, "[statements]", {"actors", "documents", "informative-titles"})
        titles = data.get("informative-titles", list(DEFAULT_INFORMATIVE_TITLES))
        options: dict[str, Any] = {
            "informative_titles": tuple(self.strings(titles, "[statements] informative-titles"))
        }
        for key in ("actors", "documents"):
            if key in data:
                table = self.table(data[key], f"[statements.{key}]", set(data[key]))
                options[key] = {
                    name: tuple(self.strings(aliases, f"[statements.{key}] {name}"))
                    for name, aliases in table.items()
                }
        return Vocabulary(**options)

    def lint(self, data: Any) -> LintPolicy:
        data = self.table(data, "[lint]", {"severity", "waive", "known-terms"})
        policy = LintPolicy(
            known_terms=self.strings(data.get("known-terms", []), "[lint] known-terms")
        )
        known = [code.value for code in codes(Stage.LINT)]
        severities = self.table(data.get("severity", {}), "[lint.severity]", set(known))
        for code, value in severities.items():
            if value not in {s.value for s in Severity}:
                raise self.fail(f"[lint.severity] {code}", "must be error, warning or info")
            policy.severity[Code(code)] = Severity(value)
        waivers = data.get("waive", [])
        if not isinstance(waivers, list):
            raise self.fail("[[lint.waive]]", "must be an array of tables")
        for number, waiver in enumerate(waivers, start=1):
            where = f"[[lint.waive]] #{number}"
            waiver = self.table(waiver, where, {"code", "clause", "reason", "match"})
            code = self.string(waiver.get("code"), f"{where} code")
            if code not in known:
                raise self.fail(
                    f"{where} code", f"unknown code '{code}' (known: {', '.join(known)})"
                )
            try:
                clause = parse_address(self.string(waiver.get("clause"), f"{where} clause"))
            except AddressError as exc:
                raise self.fail(f"{where} clause", exc.message) from None
            reason = self.string(waiver.get("reason"), f"{where} reason")
            match = waiver.get("match", "")
            if not isinstance(match, str):
                raise self.fail(f"{where} match", "must be a string")
            policy.waivers.append(Waiver(Code(code), clause, reason, match))
        return policy
