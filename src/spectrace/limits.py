"""Every size, count and depth spectrace accepts from its inputs, in one place.

An input over a limit is refused with one ``error:`` line naming the file, the place and the
limit; nothing is read past it. The limits are far above what real specifications, IRPs, code
trees and test results need (the largest benchmark, a 50,000-clause edition, has a 108 MB
``document.xml``), and low enough that no input can exhaust a 2-core, few-GiB machine.
docs/limits.rst lists them for users; each has a test in tests/hostile/.
"""

from __future__ import annotations

KiB = 1 << 10
MiB = 1 << 20

# --- Files of any kind -------------------------------------------------------------------

#: The project file (spectrace.toml, pyproject.toml).
PROJECT_FILE_BYTES = 4 * MiB
#: Nesting of arrays and tables in the project file.
PROJECT_FILE_DEPTH = 32
#: Characters in a document name (it names folders and files, and starts every statement id).
NAME_CHARS = 64
#: Characters in an edition, amended ones included (``4.2+IRP603+IRP604`` grows with each
#: proposal applied): it names folders and files, whose names may be 255 bytes.
EDITION_CHARS = 200

#: One entry of the cache of parsed sources (OUTPUT/cache); a larger one is parsed again.
CACHE_FILE_BYTES = 2048 * MiB
#: A generation's build record (OUTPUT/.gen-N/build.json); a larger one means a whole build.
RECORD_BYTES = 256 * MiB
#: ``spectrace serve`` adds its reload script to HTML pages up to this size; a larger one is
#: sent as it is.
LIVE_PAGE_BYTES = 64 * MiB

# --- Word files (.docx) ------------------------------------------------------------------

#: The .docx file itself.
DOCX_FILE_BYTES = 512 * MiB
#: Members of the zip archive.
DOCX_MEMBERS = 10_000
#: The zip archive's directory, checked before zipfile loads it whole (512 bytes a member).
DOCX_DIRECTORY_BYTES = DOCX_MEMBERS * 512
#: All parts together, once unpacked.
DOCX_UNPACKED_BYTES = 1024 * MiB
#: One XML part, once unpacked (the 50,000-clause benchmark's document.xml is 108 MB; the
#: reader's model takes 3 to 19 times the part).
DOCX_PART_BYTES = 256 * MiB
#: How many times its compressed size a part larger than 1 MiB may expand.
DOCX_PART_RATIO = 400
#: Element nesting inside a part (hyperlinks in content controls in tables ...). libxml2
#: refuses deeper nesting itself (unless a huge tree is asked for), which the streaming Word
#: body reader relies on: raise this only with a check of its own there.
XML_DEPTH = 256
#: Characters of text in one paragraph or table cell.
PARAGRAPH_CHARS = 1_000_000
#: Columns a table cell or row may span (Word itself allows 63; rows are padded to the widest,
#: so this bounds a table's memory too).
GRID_SPAN = 64
#: The first number of a list level (Word itself allows 32,767).
NUMBER_START = 32_767
#: Characters of one list label: its level text, and the label with its numbers filled in.
LABEL_CHARS = 256

# --- Pictures (mark-ups that are images) ---------------------------------------------------

#: One picture's bytes, as stored in the Word file.
PICTURE_BYTES = 32 * MiB
#: Pixels of one picture, checked from its header before it is decoded (a 300 dpi A4 page is
#: about 8.7 million; the limit keeps a decoded picture under about 100 MB).
PICTURE_PIXELS = 30_000_000
#: Words the reader takes from one picture (an excerpt is a few paragraphs).
PICTURE_WORDS = 5_000
#: Seconds OCR may take over one picture (a screenshot takes about one).
PICTURE_OCR_SECONDS = 60

# --- Spec-as-code and IRP-as-code (reStructuredText) --------------------------------------

#: One RST source file.
RST_FILE_BYTES = 64 * MiB
#: Nesting of block quotes, lists and directives in an RST source.
RST_DEPTH = 64
#: Characters of one paragraph of a source docutils reads (one not in spectrace's own form:
#: docutils' inline parser copies the rest of a paragraph at each piece of markup).
RST_PARAGRAPH_CHARS = 64 * KiB
#: Blocks (paragraphs, list items, headings, directives: text after a blank line) in a source
#: docutils reads; docutils takes about a millisecond a list, so this bounds a read to about a
#: minute. A 10,000-clause edition in one file has about 40,000.
RST_BLOCKS = 100_000
#: The highest change number of an IRP (numbered from 1).
CHANGE_NUMBERS = 9_999

# --- Tracing ------------------------------------------------------------------------------

#: One source or test file scanned for tags; a larger one is a tracing problem, not read.
SOURCE_FILE_BYTES = 16 * MiB
#: Characters of a Python file outlined with ast (a syntax error is reported); a longer one is
#: outlined by one lexer pass: ast takes 60 (typical code) to 600 (short statements) bytes a
#: character, and the scan runs a process a core.
PYTHON_AST_CHARS = 256 * KiB
#: One JUnit XML results file (read as a stream: memory holds one test case at a time).
RESULTS_FILE_BYTES = 512 * MiB
#: Test cases in one results file (a million take about 300 MB once read).
RESULTS_CASES = 2_000_000
#: The review records (trace/reviewed.json).
REVIEWED_FILE_BYTES = 64 * MiB
#: Who reviewed a statement's links (``spectrace review --by``, a record's "by").
REVIEWER_CHARS = 200
#: A review's note (``spectrace review --note``, a record's "note").
REVIEW_NOTE_CHARS = 2000
#: The matrix file a ``spec:matrix`` page shows (a row is about half a kilobyte).
MATRIX_FILE_BYTES = 512 * MiB
#: Nesting of arrays and objects in a JSON file spectrace reads (reviewed.json is flat,
#: matrix.json nests four deep): checked before the parser, which recurses once a level.
JSON_DEPTH = 32
