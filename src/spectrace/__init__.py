"""spectrace: specifications as code for the GB smart-metering specifications.

Read SMETS/CHTS from Word or from spec-as-code sources, analyse their statements, lint them,
and keep them in a queryable requirement database. The CLI (``spectrace``) is a thin shell over
the functions exported here.
"""

from spectrace.api import (
    build,
    import_spec,
    lint_project,
    load_document,
    load_project_documents,
    write_project_database,
)
from spectrace.config import Project, load_project
from spectrace.errors import SpectraceError
from spectrace.model import Block, Clause, Document, GlossaryEntry, Modality, Statement

__all__ = [
    "Block",
    "Clause",
    "Document",
    "GlossaryEntry",
    "Modality",
    "Project",
    "SpectraceError",
    "Statement",
    "build",
    "import_spec",
    "lint_project",
    "load_document",
    "load_project",
    "load_project_documents",
    "write_project_database",
]
