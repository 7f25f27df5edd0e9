"""What spectrace does, as library calls; the CLI is a thin shell over these.

A typical session: :func:`load_document` reads a Word file or a spec-as-code folder;
:func:`import_spec` writes a Word specification as spec-as-code; :func:`build` runs the main
job on a project (read every document, lint, write the requirement database).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from spectrace.config import DOCUMENT_NAME, EDITION, Project
from spectrace.diagnostics import Diagnostic, Severity
from spectrace.errors import ConfigError
from spectrace.fileio import write_tree
from spectrace.model import Document
from spectrace.readers import READERS, detect
from spectrace.store import write_database
from spectrace.transforms.lint import lint
from spectrace.transforms.statements import Vocabulary, analyse, segment
from spectrace.writers import rst


def load_document(
    path: Path,
    document: str | None = None,
    edition: str | None = None,
    vocabulary: Vocabulary | None = None,
) -> Document:
    """Return the specification at ``path`` (Word file or spec-as-code folder), analysed.

    A Word file gets new statement ids; spec-as-code keeps the ids recorded in it.
    """
    kind = detect(path)
    loaded = READERS[kind](path, document, edition)
    if kind == "docx":
        segment(loaded)
    analyse(loaded, vocabulary)
    return loaded


def import_spec(
    source: Path,
    document: str,
    edition: str,
    specs: Path,
    *,
    replace: bool = False,
    vocabulary: Vocabulary | None = None,
) -> tuple[Document, Path]:
    """Read the Word specification ``source`` and write it as spec-as-code under ``specs``.

    Returns the document and the folder written (``specs/DOC/EDITION``).
    """
    check_names(document, edition)
    if detect(source) != "docx":
        raise ConfigError("is a folder; `import spec` reads a Word .docx file", file=str(source))
    loaded = load_document(source, document, edition, vocabulary)
    target = specs / document / edition
    write_tree(rst.render(loaded), target, replace=replace)
    return loaded, target


def check_names(document: str, edition: str) -> None:
    """Refuse document names and editions that cannot safely name folders and ids."""
    if not DOCUMENT_NAME.match(document):
        raise ConfigError(
            f"'{document}' is not a document name: letters and digits, "
            "starting with a capital (e.g. SMETS)"
        )
    if not EDITION.match(edition):
        raise ConfigError(
            f"'{edition}' is not an edition: letters, digits, '.', '+', '-', '_' (e.g. 4.2)"
        )


def load_project_documents(project: Project) -> list[Document]:
    """Return every document the project names, read from its spec-as-code sources."""
    documents = []
    for entry in project.documents:
        if not (entry.sources / "index.rst").is_file():
            raise ConfigError(
                f"no spec sources for {entry.name} {entry.edition} at {entry.sources}; "
                "import them with `spectrace import spec`",
                file=str(project.file),
            )
        loaded = load_document(entry.sources, entry.name, entry.edition, project.vocabulary)
        loaded.source = _relative(entry.sources, project.root)
        documents.append(loaded)
    return documents


def _relative(path: Path, root: Path) -> str:
    """Return ``path`` relative to ``root`` when inside it: outputs must not depend on where
    the project is checked out."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def lint_project(project: Project, documents: list[Document] | None = None) -> list[Diagnostic]:
    """Return the lint findings for the project's documents, after its lint policy."""
    documents = documents if documents is not None else load_project_documents(project)
    return lint(documents, project.vocabulary, project.lint)


def write_project_database(
    project: Project, documents: list[Document] | None = None, output: Path | None = None
) -> Path:
    """Write the requirement database of the project; return its path."""
    documents = documents if documents is not None else load_project_documents(project)
    path = output or project.database
    write_database(documents, path, project.vocabulary)
    return path


@dataclass
class BuildResult:
    documents: list[Document] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)
    database: Path | None = None

    @property
    def failed(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


def build(project: Project) -> BuildResult:
    """Run the main job: read every document, lint them, write the requirement database."""
    documents = load_project_documents(project)
    findings = lint_project(project, documents)
    database = write_project_database(project, documents)
    return BuildResult(documents, findings, database)
