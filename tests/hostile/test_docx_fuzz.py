"""A seeded fuzzer over Word parts: every mutant of a bundled Word file is read or refused.

Each mutant starts from one of the four bundled files (the SMETS and CHTS excerpts, read as
specifications, and both IRP603 variants, read as proposals) and is damaged in one to three
ways: bytes of a part flipped or cut, an attribute given a hostile value, elements duplicated,
deleted or nested deep, hostile XML (a DTD after a long comment, an entity reference, an
XInclude) slipped in, or the zip itself damaged (a bad checksum, lying sizes, an unknown
compression method, the encryption flag, a member twice, a member dropped).

The promise under test: the reader either returns a result or raises ReadError (one line at
the command line) — never another exception, never a hang (each mutant runs under an alarm)
and never a blow-up (a sample of the heaviest mutants runs in a child process whose address
space is capped and whose peak memory is measured).

``--fuzz-mutants N`` and ``--fuzz-seed S`` (tests/hostile/conftest.py) choose how many and
which; mutant ``i`` of seed ``S`` is the same on every machine.
"""

from __future__ import annotations

import copy
import io
import json
import random
import signal
import subprocess
import sys
import textwrap
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from spectrace.errors import ReadError
from spectrace.readers.docx.irp import read_docx_irp
from spectrace.readers.docx.spec import read_docx_spec
from tests.hostile import docx_maker
from tests.hostile.conftest import DEFAULT_MUTANTS, DEFAULT_SEED

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SOURCES = {
    "SMETS-v4.2-excerpt.docx": "spec",
    "CHTS-v1.3-excerpt.docx": "spec",
    "IRP603.docx": "irp",
    "IRP603-formatted-markup.docx": "irp",
}
W_NS = docx_maker.W_NS
W = f"{{{W_NS}}}"
#: Mutants per test: the run is split so that pytest-xdist shares it out.
CHUNK = 25
#: Seconds one mutant may take before it counts as a hang (a read takes ~10 ms).
BUDGET = 20


def read(kind: str, path: Path) -> object:
    """Read ``path`` as a specification or as an IRP, as the command line would."""
    if kind == "spec":
        return read_docx_spec(path, "SMETS", "4.2")
    return read_docx_irp(path)


# --- mutants -----------------------------------------------------------------------------


@dataclass
class Mutant:
    index: int
    source: str
    kind: str
    steps: list[str]
    data: bytes

    def __str__(self) -> str:
        return f"mutant {self.index} of {self.source}: {'; '.join(self.steps)}"


@cache
def source_parts(name: str) -> tuple[tuple[str, bytes], ...]:
    """Return the members of a bundled file, in order."""
    with zipfile.ZipFile(FIXTURES / name) as archive:
        return tuple((info.filename, archive.read(info)) for info in archive.infolist())


XML_PARTS = (
    "word/document.xml",
    "word/document.xml",  # twice: most of what is read is here
    "word/styles.xml",
    "word/numbering.xml",
    "word/_rels/document.xml.rels",
    "_rels/.rels",
)

HOSTILE_VALUES = [
    "-1",
    "-3",
    "-5",
    "0",
    "9",
    "10",
    "1001",
    "32768",
    "999999999",
    "99999999999999999999999",
    "-99999999999999999999999",
    "abc",
    "",
    " ",
    "1e9",
    "0x10",
    "1.5",
    "+7",
    "\u0663",  # ARABIC-INDIC DIGIT THREE
    "\uff11",  # FULLWIDTH DIGIT ONE
    "NaN",
    "\u202e1",
    "D800",
    "DFFF",
    "F000",
    "FFFE",
    "110000",
    "FFFFFFFFFF",
    "%",
    "%%%",
    "%0",
    "%1.%",
    "%10",
    "%1%2%3%4%5%6%7%8%9",
    "../../../../etc/passwd",
    "/word/document.xml",
    "word/document.xml",
    "9" * 5000,
    "x" * 100_000,
]

#: Elements whose attributes the reader turns into numbers, names or targets.
INTERESTING = {
    W + name
    for name in (
        "start ilvl numId abstractNumId outlineLvl gridSpan sym lvlText numFmt pStyle "
        "startOverride lvlRestart lvlOverride lvl abstractNum num fldChar vMerge basedOn style "
        "name tblHeader vanish strike u color ins del"
    ).split()
} | {"{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"}

CONTAINERS = [
    ("w:hyperlink",),
    ("w:sdt", "w:sdtContent"),
    ("w:ins",),
    ("w:del",),
    ("w:smartTag",),
    ("w:customXml",),
    ("w:fldSimple",),
    ("mc:AlternateContent", "mc:Choice"),
    ("w:tbl", "w:tr", "w:tc"),
]
DEPTHS = [3, 30, 120, 240, 300, 1000]

SNIPPETS = [
    '<w:r><w:sym w:char="{v}"/></w:r>',
    '<w:pPr><w:outlineLvl w:val="{v}"/></w:pPr>',
    '<w:pPr><w:numPr><w:ilvl w:val="{v}"/><w:numId w:val="1"/></w:numPr></w:pPr>',
    '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{v}"/></w:numPr></w:pPr>',
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" </w:instrText></w:r>',
    '<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="{v}"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>',
    "<w:r><w:t>" + "long text " * 20_000 + "</w:t></w:r>",
    "<w:r><w:t>a</w:t></w:r>" * 5_000,
    "<w:r><w:tab/><w:br/><w:noBreakHyphen/><w:softHyphen/></w:r>",
]

NAMESPACE = {"w": W_NS, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}


def mutant(seed: int, index: int, operator: str | None = None) -> Mutant:
    """Return mutant ``index`` of ``seed`` (or, given ``operator``, one made by it alone)."""
    rng = random.Random(f"{seed}/{index}/{operator}")
    source = rng.choice(sorted(SOURCES))
    parts = dict(source_parts(source))
    steps: list[str] = []
    if operator is not None:
        return _finish(index, source, parts, steps, [operator], rng)
    count = rng.choice([1, 1, 1, 2, 3])
    operators = sorted(rng.choices(list(OPERATORS), weights=WEIGHTS, k=count), key=ORDER.index)
    return _finish(index, source, parts, steps, operators, rng)


def _finish(index, source, parts, steps, operators, rng) -> Mutant:
    data = None
    for name in operators:
        if name in ZIP_OPERATORS:
            data = data or _zip(parts)
            data = ZIP_OPERATORS[name](rng, data, steps)
        elif data is None:
            OPERATORS[name](rng, parts, steps)
    return Mutant(index, source, SOURCES[source], steps, data or _zip(parts))


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name" is what some mutants want
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name.split("\0")[0], data)
    return buffer.getvalue()


def _tree(rng: random.Random, parts: dict[str, bytes]) -> tuple[str, etree._Element] | None:
    part = rng.choice([p for p in XML_PARTS if p in parts] or [None])
    if part is None:
        return None
    try:
        return part, etree.fromstring(parts[part])
    except etree.XMLSyntaxError:
        return None  # already broken by an earlier step


def _save(parts: dict[str, bytes], part: str, root: etree._Element) -> None:
    parts[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _element(rng: random.Random, root: etree._Element, *, attributes: bool = False):
    elements = [e for e in root.iter() if isinstance(e.tag, str) and e is not root]
    if attributes:
        elements = [e for e in elements if e.attrib]
        interesting = [e for e in elements if e.tag in INTERESTING]
        if interesting and rng.random() < 0.7:
            elements = interesting
    return rng.choice(elements) if elements else None


def hostile_attribute(rng, parts, steps) -> None:
    found = _tree(rng, parts)
    element = found and _element(rng, found[1], attributes=True)
    if element is None:
        return
    name = rng.choice(sorted(element.attrib))
    value = rng.choice(HOSTILE_VALUES)
    element.set(name, value)
    steps.append(f"{found[0]}: {etree.QName(element).localname} {name}={value[:20]!r}")
    _save(parts, found[0], found[1])


def duplicate(rng, parts, steps) -> None:
    found = _tree(rng, parts)
    element = found and _element(rng, found[1])
    if element is None:
        return
    copies = rng.choice([1, 2, 50, 400])
    for _ in range(copies):
        element.addnext(copy.deepcopy(element))
    steps.append(f"{found[0]}: {etree.QName(element).localname} x{copies + 1}")
    _save(parts, found[0], found[1])


def delete(rng, parts, steps) -> None:
    found = _tree(rng, parts)
    element = found and _element(rng, found[1])
    if element is None or element.getparent() is None:
        return
    element.getparent().remove(element)
    steps.append(f"{found[0]}: deleted a {etree.QName(element).localname}")
    _save(parts, found[0], found[1])


def nest(rng, parts, steps) -> None:
    """Wrap an element of the body in a deep stack of containers."""
    if "word/document.xml" not in parts:
        return
    try:
        root = etree.fromstring(parts["word/document.xml"])
    except etree.XMLSyntaxError:
        return
    candidates = [e for e in root.iter(W + "p", W + "r", W + "tbl", W + "hyperlink")]
    if not candidates:
        return
    target = rng.choice(candidates)
    names, depth = rng.choice(CONTAINERS), rng.choice(DEPTHS)
    outer = inner = None
    for _ in range(depth):  # built element by element: no parser would take 3,000 levels
        for name in names:
            prefix, local = name.split(":")
            tag = f"{{{NAMESPACE[prefix]}}}{local}"
            inner = etree.Element(tag) if inner is None else etree.SubElement(inner, tag)
            outer = inner if outer is None else outer
    target.addprevious(outer)
    inner.append(target)
    steps.append(f"document: a {etree.QName(target).localname} in {depth} x {'/'.join(names)}")
    parts["word/document.xml"] = etree.tostring(root)


def insert(rng, parts, steps) -> None:
    """Insert a snippet with hostile values (a w:sym, an outline level, a field ...)."""
    text = parts.get("word/document.xml", b"").decode("utf-8", "replace")
    points = [
        i for i in range(len(text)) if text.startswith("<w:p>", i) or text.startswith("<w:p ", i)
    ]
    if not points:
        return
    at = text.index(">", rng.choice(points)) + 1
    snippet = rng.choice(SNIPPETS).format(v=rng.choice(HOSTILE_VALUES[:34]))
    parts["word/document.xml"] = (text[:at] + snippet + text[at:]).encode()
    steps.append(f"document: inserted {snippet[:50]!r}")


HOSTILE_XML = [
    ("prolog", '<!--{pad}--><!DOCTYPE w:document [<!ENTITY e "entity text">]>'),
    ("prolog", '<!DOCTYPE w:document SYSTEM "http://example.invalid/x.dtd">'),
    ("prolog", '<!--{pad}--><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'),
    ("text", "&e;"),
    ("text", "&undefined;"),
    ("text", "<!--comment-->"),
    ("text", "<?pi data?>"),
    ("text", "<![CDATA[<w:t>not markup</w:t>]]>"),
    ("text", '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>'),
    ("text", "&#0;"),
    ("text", "&#xD800;"),
    ("text", "\x00"),
]


def hostile_xml(rng, parts, steps) -> None:
    """Slip a DTD, an entity reference, an XInclude or other hostile XML into a part."""
    part = rng.choice([p for p in XML_PARTS if p in parts] or [None])
    if part is None:
        return
    text = parts[part].decode("utf-8", "replace")
    where, snippet = rng.choice(HOSTILE_XML)
    snippet = snippet.replace("{pad}", "x" * rng.choice([0, 5000, 100_000]))
    if where == "prolog":
        at = text.index("?>") + 2 if text.startswith("<?xml") else 0
    else:
        closes = [i for i in range(len(text)) if text.startswith("</w:t>", i)]
        at = rng.choice(closes) if closes else text.rindex("<")
    parts[part] = (text[:at] + snippet + text[at:]).encode()
    steps.append(f"{part}: inserted {snippet[:40]!r}")


def flip_bytes(rng, parts, steps) -> None:
    part = rng.choice(sorted(parts))
    data = bytearray(parts[part])
    if not data:
        return
    for _ in range(rng.choice([1, 2, 10])):
        data[rng.randrange(len(data))] = rng.randrange(256)
    parts[part] = bytes(data)
    steps.append(f"{part}: flipped bytes")


def truncate(rng, parts, steps) -> None:
    part = rng.choice(sorted(parts))
    cut = rng.randrange(len(parts[part]) + 1)
    parts[part] = parts[part][:cut]
    steps.append(f"{part}: cut at {cut}")


def drop_member(rng, parts, steps) -> None:
    part = rng.choice(sorted(parts))
    del parts[part]
    steps.append(f"dropped {part}")


def duplicate_member(rng, parts, steps) -> None:
    part = rng.choice(sorted(parts))
    parts[part + "\0twice"] = rng.choice([parts[part], b"<w:other/>"])
    steps.append(f"{part} twice in the archive")


def _members(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def _patched(data: bytes, member: str, **fields) -> bytes:
    return docx_maker.patch_bytes(data, member, **fields)


def lying_size(rng, data, steps) -> bytes:
    member = rng.choice(_members(data))
    size = rng.choice([0, 1, 100, 1 << 20, 1000 << 20, 0xFFFFFFFF])
    field = rng.choice(["file_size", "compress_size"])
    steps.append(f"{member}: {field} says {size}")
    return _patched(data, member, **{field: size})


def bad_crc(rng, data, steps) -> bytes:
    member = rng.choice(_members(data))
    steps.append(f"{member}: bad CRC")
    return _patched(data, member, crc=rng.randrange(1 << 32))


def compression_method(rng, data, steps) -> bytes:
    member = rng.choice(_members(data))
    method = rng.choice([1, 6, 9, 12, 14, 93, 98, 99, 0xFFFF])
    steps.append(f"{member}: method {method}")
    return _patched(data, member, method=method)


def encrypted(rng, data, steps) -> bytes:
    member = rng.choice(_members(data))
    steps.append(f"{member}: encrypted flag")
    return _patched(data, member, flags=0x1)


def damage_archive(rng, data, steps) -> bytes:
    raw = bytearray(data)
    if rng.random() < 0.5:
        cut = rng.randrange(len(raw))
        steps.append(f"archive cut at {cut}")
        return bytes(raw[:cut])
    start = max(0, len(raw) - rng.choice([22, 200, 2000]))
    for _ in range(rng.choice([1, 4, 16])):
        raw[rng.randrange(start, len(raw))] = rng.randrange(256)
    steps.append("archive directory bytes flipped")
    return bytes(raw)


OPERATORS: dict[str, Callable] = {
    "hostile_attribute": hostile_attribute,
    "duplicate": duplicate,
    "delete": delete,
    "nest": nest,
    "insert": insert,
    "hostile_xml": hostile_xml,
    "drop_member": drop_member,
    "duplicate_member": duplicate_member,
    "flip_bytes": flip_bytes,
    "truncate": truncate,
}
ZIP_OPERATORS: dict[str, Callable] = {
    "lying_size": lying_size,
    "bad_crc": bad_crc,
    "compression_method": compression_method,
    "encrypted": encrypted,
    "damage_archive": damage_archive,
}
OPERATORS.update(ZIP_OPERATORS)
ORDER = list(OPERATORS)  # structural edits first, then bytes, then the zip around them
WEIGHTS = [8, 3, 3, 3, 4, 3, 1, 1, 2, 2, 1, 1, 1, 1, 1]


# --- running them ------------------------------------------------------------------------


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang


def outcome(item: Mutant, folder: Path) -> str:
    """Return "read" or "refused" for ``item``; anything else fails the test, naming it."""
    path = folder / f"mutant-{item.index}.docx"
    path.write_bytes(item.data)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(BUDGET)
    try:
        read(item.kind, path)
        return "read"
    except ReadError as exc:
        assert "\n" not in str(exc), f"{item}: a multi-line error: {exc}"
        return "refused"
    except Hang:
        pytest.fail(f"{item}: still reading after {BUDGET} s")
    except Exception as exc:
        pytest.fail(f"{item}: {type(exc).__name__}: {exc}"[:2000])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        path.unlink()


def pytest_generate_tests(metafunc):
    if "first" in metafunc.fixturenames:
        total = metafunc.config.getoption("--fuzz-mutants", default=DEFAULT_MUTANTS)
        starts = range(0, total, CHUNK)
        metafunc.parametrize(
            "first", starts, ids=[f"mutants-{s}-{min(s + CHUNK, total) - 1}" for s in starts]
        )


@pytest.fixture
def seed(request) -> int:
    return request.config.getoption("--fuzz-seed", default=DEFAULT_SEED)


def test_every_mutant_is_read_or_refused_with_one_line(first, seed, request, tmp_path):
    total = request.config.getoption("--fuzz-mutants", default=DEFAULT_MUTANTS)
    results = [outcome(mutant(seed, i), tmp_path) for i in range(first, min(first + CHUNK, total))]
    assert set(results) <= {"read", "refused"}


def test_the_fuzzer_is_reproducible_uses_every_operator_and_both_reads_and_refuses(tmp_path):
    """A fuzzer that only ever refuses tests the refusals, not the reading: both happen."""
    assert mutant(DEFAULT_SEED, 3).data == mutant(DEFAULT_SEED, 3).data
    used = {name for i in range(DEFAULT_MUTANTS) for name in _operators(DEFAULT_SEED, i)}
    assert used == set(OPERATORS)
    results = {outcome(mutant(DEFAULT_SEED, index), tmp_path) for index in range(40)}
    assert results == {"read", "refused"}


def _operators(seed: int, index: int) -> list[str]:
    """Return the operators mutant ``index`` of ``seed`` uses (as mutant() draws them)."""
    rng = random.Random(f"{seed}/{index}/None")
    rng.choice(sorted(SOURCES))
    count = rng.choice([1, 1, 1, 2, 3])
    return rng.choices(list(OPERATORS), weights=WEIGHTS, k=count)


# --- memory ------------------------------------------------------------------------------

#: The operators whose mutants are the largest to read.
HEAVY = ["nest", "duplicate", "insert", "hostile_xml", "lying_size", "hostile_attribute"]
#: The address space of the child that reads them, and the most it may resident-use.
ADDRESS_SPACE = 1 << 30
PEAK_RSS = 300 << 20

_WORKER = textwrap.dedent(
    """
    import json, resource, sys
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    from spectrace.errors import ReadError
    from spectrace.readers.docx.irp import read_docx_irp
    from spectrace.readers.docx.spec import read_docx_spec
    results = {{}}
    for path, kind in json.loads(Path(sys.argv[1]).read_text()):
        try:
            if kind == "spec":
                read_docx_spec(Path(path), "SMETS", "4.2")
            else:
                read_docx_irp(Path(path))
            results[path] = "read"
        except ReadError:
            results[path] = "refused"
        except BaseException as exc:
            results[path] = type(exc).__name__ + ": " + str(exc)[:300]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({{"results": results, "peak": peak}}))
    """
)


def test_the_heaviest_mutants_stay_within_bounded_memory(seed, tmp_path):
    """Read a sample of heavy mutants, and a member that lies about its 256 MiB, in a child
    with a 1 GiB address space: each is read or refused, and the peak stays under 300 MiB."""
    items = [mutant(seed, index, operator) for operator in HEAVY for index in range(4)]
    manifest = []
    for item in items:
        path = tmp_path / f"{item.index}-{len(manifest)}.docx"
        path.write_bytes(item.data)
        manifest.append((str(path), item.kind))
    liar = docx_maker.make_lying_docx(tmp_path / "liar.docx", real=256 << 20, declared=1000)
    manifest.append((str(liar), "spec"))
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    done = subprocess.run(
        [sys.executable, "-c", _WORKER.format(limit=ADDRESS_SPACE), tmp_path / "manifest.json"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    described = {str(tmp_path / f"{i.index}-{n}.docx"): str(i) for n, i in enumerate(items)}
    failures = {
        described.get(path, path): result
        for path, result in report["results"].items()
        if result not in ("read", "refused")
    }
    assert not failures
    assert report["results"][str(liar)] == "refused"
    assert report["peak"] < PEAK_RSS, f"peak {report['peak'] >> 20} MiB"
