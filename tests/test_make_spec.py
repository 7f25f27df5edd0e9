"""Tests for benchmarks/make_spec.py, the synthetic specification generator."""

from __future__ import annotations

import json
import re
import zipfile

import docx
import pytest
from lxml import etree

from tests.conftest import load_benchmark

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
CLAUSES = 60
HEADINGS = {f"Heading{i}": i for i in range(1, 5)}


make_spec = load_benchmark("make_spec")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """One 60-clause document: (path, summary, parsed document.xml root)."""
    path = tmp_path_factory.mktemp("spec") / "spec.docx"
    summary = make_spec.make_spec(path, CLAUSES, seed=0)
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    return path, summary, root


def _headings(root) -> list[tuple[int, etree._Element]]:
    """(level, paragraph) of every Heading 1-4 paragraph, in document order."""
    out = []
    for p in root.iter(f"{{{W}}}p"):
        style = p.find("w:pPr/w:pStyle", NS)
        if style is not None and style.get(f"{{{W}}}val") in HEADINGS:
            out.append((HEADINGS[style.get(f"{{{W}}}val")], p))
    return out


def _numbers(levels: list[int]) -> list[str]:
    """Word's auto-numbers for a sequence of heading levels."""
    counters, out = [0, 0, 0, 0], []
    for level in levels:
        counters[level - 1] += 1
        counters[level:] = [0] * (4 - level)
        out.append(".".join(map(str, counters[:level])))
    return out


def test_package_parts_and_xml(generated):
    path, _, root = generated
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        for info in zf.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            etree.fromstring(zf.read(info))  # every part is well-formed XML
    assert {
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/styles.xml",
        "word/numbering.xml",
        "word/settings.xml",
        "word/_rels/document.xml.rels",
        "docProps/core.xml",
        "docProps/app.xml",
        "word/header1.xml",
        "word/footer1.xml",
    } <= names
    assert root.find("w:body/w:sectPr", NS) is not None
    assert len(root.xpath("//w:bookmarkStart[@w:name='_GoBack']", namespaces=NS)) == 1
    assert root.xpath("//w:sdt//w:docPartGallery/@w:val", namespaces=NS) == ["Table of Contents"]


def test_python_docx_opens_it(generated):
    path, summary, _ = generated
    document = docx.Document(str(path))
    styles = [p.style.name for p in document.paragraphs]
    assert styles[:3] == ["Title", "Subtitle", "Disclaimer Note"]
    assert sum(name.startswith("Heading ") for name in styles) == CLAUSES
    assert len(document.tables) == summary["tables"]


def test_heading_count_and_summary(generated):
    _, summary, root = generated
    assert len(_headings(root)) == CLAUSES == summary["clauses"]
    assert summary["paragraphs"] == len(root.xpath("//w:p", namespaces=NS))
    assert summary["tables"] == len(root.xpath("//w:tbl", namespaces=NS))
    items = root.xpath("//w:p[w:pPr/w:pStyle/@w:val='ListParagraph']", namespaces=NS)
    assert summary["list_items"] == len(items)
    heads = _headings(root)
    assert "".join(heads[-1][1].itertext()) == "Glossary"
    assert not any(re.match(r"\d+(\.\d+)*\s", "".join(p.itertext())) for _, p in heads)


def test_ref_fields_point_at_bookmarked_headings(generated):
    _, _, root = generated
    heads = _headings(root)
    numbers = _numbers([level for level, _ in heads])
    target = {}
    for number, (_, p) in zip(numbers, heads, strict=True):
        for name in p.xpath("w:bookmarkStart/@w:name", namespaces=NS):
            target[name] = number
    all_bookmarks = set(root.xpath("//w:bookmarkStart/@w:name", namespaces=NS))
    refs = 0
    for instr in root.iter(f"{{{W}}}instrText"):
        match = re.match(r"\s*REF (\S+) ", instr.text)
        if not match:
            continue
        refs += 1
        name = match.group(1)
        assert name in all_bookmarks
        run = instr.getparent()
        cached = run.getnext().getnext().findtext("w:t", namespaces=NS)
        assert cached == target[name]
    assert refs > 0
    texts = "".join(root.itertext())
    for number in re.findall(r"as set out in Section (\d+(?:\.\d+)*)", texts):
        assert number in numbers


def test_glossary_lists_terms_used_in_body(generated):
    _, _, root = generated
    glossary = root.xpath("//w:tbl", namespaces=NS)[-1]
    rows = glossary.findall("w:tr", NS)
    assert "".join(rows[0].itertext()) == "TermDefinition"
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    terms = ["".join(row.find("w:tc", NS).itertext()) for row in rows[1:]]
    body = "".join(
        text
        for p in root.iter(f"{{{W}}}p")
        if glossary not in p.iterancestors()
        for text in p.itertext()
    )
    assert terms
    assert [term for term in terms if term not in body] == []


def test_each_list_restarts(generated):
    path, _, root = generated
    with zipfile.ZipFile(path) as zf:
        numbering = etree.fromstring(zf.read("word/numbering.xml"))
    items = root.xpath("//w:p[w:pPr/w:pStyle/@w:val='ListParagraph']", namespaces=NS)
    assert items
    for num_id in {p.find("w:pPr/w:numPr/w:numId", NS).get(f"{{{W}}}val") for p in items}:
        (num,) = numbering.xpath(f"w:num[@w:numId='{num_id}']", namespaces=NS)
        assert num.find("w:abstractNumId", NS).get(f"{{{W}}}val") == "1"
        assert num.find("w:lvlOverride/w:startOverride", NS).get(f"{{{W}}}val") == "1"
        first = root.xpath(f"//w:p[w:pPr/w:numPr/w:numId/@w:val='{num_id}']", namespaces=NS)[0]
        assert "".join(first.getprevious().itertext()).endswith(":")


@pytest.mark.parametrize("clauses", [1, 2, 5, 23])
def test_small_sizes(tmp_path, clauses):
    path = tmp_path / "small.docx"
    assert make_spec.make_spec(path, clauses, seed=7)["clauses"] == clauses
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    assert len(_headings(root)) == clauses


def test_deterministic_per_seed(tmp_path, generated):
    path, _, _ = generated
    again, other = tmp_path / "again.docx", tmp_path / "other.docx"
    make_spec.make_spec(again, CLAUSES, seed=0)
    make_spec.make_spec(other, CLAUSES, seed=1)
    assert again.read_bytes() == path.read_bytes()
    assert other.read_bytes() != path.read_bytes()


def test_cli_prints_summary(tmp_path, capsys):
    out = tmp_path / "cli.docx"
    assert make_spec.main([str(out), "--clauses", "5", "--seed", "3"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["clauses"] == 5
    assert out.exists()
