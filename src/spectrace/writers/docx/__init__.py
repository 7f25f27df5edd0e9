"""Word (.docx) output: an edition clean, or as a redline of real Word tracked changes."""

from spectrace.writers.docx.writer import edition_files, edition_path, write_docx, write_editions

__all__ = ["edition_files", "edition_path", "write_docx", "write_editions"]
