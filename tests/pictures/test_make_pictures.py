"""Tests for benchmarks/make_pictures.py, the generator of picture mark-ups (issue 13).

The corpus must say the truth about each picture: the excerpts quote the bundled SMETS and
CHTS text (so that what a reader reads can be reconciled), every picture decodes at a sane
size, shows its changes the way its rendering says, and comes out the same twice.
"""

from __future__ import annotations

import dataclasses
import io
import json
import struct
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from lxml import etree
from PIL import Image, UnidentifiedImageError

from spectrace.model import Action, MarkupKind, Op, Proposal
from spectrace.readers.docx.irp import read_docx_irp
from spectrace.transforms.amend import amend
from tests.conftest import load_benchmark

mp = load_benchmark("make_pictures")
pytestmark = pytest.mark.skipif(
    not mp.available_fonts(), reason="no TrueType font (apt-get install fonts-liberation)"
)

PILLOW_CASES = [case for case in mp.corpus(libreoffice=False) if case.hostile is None]
EXCERPTS = {case.excerpt.name: case.excerpt for case in PILLOW_CASES}
#: The pictures the pixel tests look at: all but the 300 dpi ones, which only a few excerpts
#: keep (they are large and slow to scan).
CHECKED = [
    case
    for case in PILLOW_CASES
    if case.rendering.dpi < 300 or case.excerpt.name in ("irp603-3", "list-item-deleted")
]
WANTED = {
    *(f"irp603-{n}" for n in range(1, 7)),
    "replace-words",
    "delete-words",
    "delete-sentence",
    "delete-paragraph",
    "heading-renamed",
    "list-item-deleted",
    "table-cell-edit",
    "table-row-inserted",
    "glossary-amended",
    "missing-target",
}
HOSTILE = {
    "not-an-image",
    "empty",
    "truncated-png",
    "huge-header",
    "one-pixel",
    "blank",
    "noise",
    "plain-text",
    "misnamed",
}


@pytest.fixture(scope="module")
def pictures():
    """Every Pillow picture of the corpus, by case name, decoded: (picture, image)."""
    rendered = {}
    for case in CHECKED:
        picture = case.picture()
        image = Image.open(io.BytesIO(picture.data))
        image.load()
        rendered[case.name] = (picture, image)
    return rendered


def test_the_corpus_covers_the_issue():
    cases = mp.corpus()
    names = {case.name for case in cases}
    assert set(EXCERPTS) == WANTED
    for excerpt in WANTED:
        for rendering in mp.RENDERINGS:
            assert f"{excerpt}/{rendering.name}" in names
    assert {name.removeprefix("hostile/") for name in names if name.startswith("hostile/")} == (
        HOSTILE
    )
    assert len(names) == len(cases), "case names are unique"
    renderings = mp.RENDERINGS
    assert {r.renderer for r in renderings} == set(mp.Renderer)
    assert {r.style for r in renderings} == set(mp.Style)
    assert {r.dpi for r in renderings} >= {96, 150, 300}
    assert any(r.marks for r in renderings) and not all(r.marks for r in renderings)
    assert any(r.colors != ("0000FF", "FF0000") for r in renderings)


def _blocks(name):
    return EXCERPTS[name].blocks


def test_the_excerpts_show_each_kind_of_change():
    heading = [b for b in _blocks("heading-renamed") if b.kind is MarkupKind.HEADING]
    assert heading and heading[0].marked
    items = [b for b in _blocks("list-item-deleted") if b.kind is MarkupKind.LIST_ITEM]
    assert [b.label for b in items] == ["i.", "ii.", "iii."]
    assert [b.op for b in items] == [Op.KEEP, Op.DELETE, Op.KEEP]
    edited = _blocks("table-cell-edit")[-1]
    assert edited.kind is MarkupKind.TABLE_ROW and edited.op is Op.KEEP and edited.marked
    assert _blocks("table-row-inserted")[-1].op is Op.INSERT
    assert _blocks("delete-paragraph")[-1].op is Op.DELETE
    sentence = _blocks("delete-sentence")[0].spans[-1]
    assert sentence.op is Op.DELETE and sentence.text.endswith(".")
    assert EXCERPTS["missing-target"].expect is mp.Expect.NO_TARGET
    assert EXCERPTS["glossary-amended"].action is Action.AMEND_TERM


def test_irp603_excerpts_are_the_proposal_as_code():
    from spectrace.readers.rst.irp import read_rst_irp

    proposal = read_rst_irp(mp.IRP603)
    for change in proposal.changes:
        read = dataclasses.replace(change, revised_by="", revised_on="")  # not in a picture
        assert EXCERPTS[f"irp603-{change.number}"].change(change.number) == read


@pytest.mark.parametrize("name", sorted(WANTED))
def test_each_excerpt_reconciles_with_the_bundled_specs(name, bundled_documents):
    """A reader that reads a picture exactly gives a change the engine applies; the one whose
    target does not exist is refused for that reason."""
    excerpt = EXCERPTS[name]
    proposal = Proposal("IRP9999", date="2019-07-11", changes=[excerpt.change(1)])
    result = amend(bundled_documents, [proposal])
    if excerpt.expect is mp.Expect.NO_TARGET:
        assert [p.message for p in result.problems] == ["SMETS 4.2 has no clause 4.6.5.99"]
    else:
        assert result.problems == []
        assert len(result.revisions) == 1


def test_pillow_pictures_decode_at_a_sane_size(pictures):
    for case in CHECKED:
        picture, image = pictures[case.name]
        rendering = case.rendering
        assert picture.ext == rendering.ext
        assert image.format == {"jpeg": "JPEG", "png": "PNG"}[picture.ext]
        assert image.mode == "RGB"
        dpi = rendering.dpi
        assert round(image.info["dpi"][0]) == dpi
        assert 5.5 * dpi < image.width < 7.5 * dpi, case.name
        assert 0.3 * dpi < image.height < 12 * dpi, case.name
        assert picture.blocks is case.excerpt.blocks


def _saturated(image, hex_color=None):
    """Return how many pixels are strongly coloured (in the hue of ``hex_color``, when given:
    its strongest channel strongest; JPEG and anti-aliasing blur the colour itself)."""
    pixels = np.asarray(image.convert("RGB"), dtype=np.int16).reshape(-1, 3)
    pixels = pixels[(pixels.max(axis=1) - pixels.min(axis=1)) > 60]
    if hex_color is not None:
        pixels = pixels[pixels.argmax(axis=1) == int(np.argmax(mp._rgb(hex_color)))]
    return len(pixels)


def _margin_ink(image, dpi):
    """Return the dark pixels of the left margin where change bars are drawn (left of the
    marks Word shows beside a heading)."""
    margin = np.asarray(image.convert("L"))[:, : round(0.28 * dpi)]
    return int((margin < 160).sum())


def test_tracked_pictures_have_change_bars_and_formatted_ones_do_not(pictures):
    for case in CHECKED:
        _, image = pictures[case.name]
        ink = _margin_ink(image, case.rendering.dpi)
        if case.rendering.style is mp.Style.TRACKED:
            assert ink > 0.1 * case.rendering.dpi, case.name
        else:
            assert ink == 0, case.name


def test_formatted_pictures_use_the_markup_colours(pictures):
    for case in CHECKED:
        rendering = case.rendering
        if rendering.style is not mp.Style.FORMATTING:
            continue
        _, image = pictures[case.name]
        insert, delete = rendering.colors
        ops = {s.op for b in case.excerpt.blocks for s in b.all_spans() if s.text.strip()}
        assert (_saturated(image, insert) > 20) == (Op.INSERT in ops), case.name
        assert (_saturated(image, delete) > 20) == (Op.DELETE in ops), case.name
        assert rendering.markup_style.insert_colors == {insert}


def test_formatting_marks_change_the_picture_not_its_size():
    case = next(c for c in PILLOW_CASES if c.name == "irp603-5/pillow-tracked-marks-96")
    plain = mp.Rendering(mp.Renderer.PILLOW, mp.Style.TRACKED, 96)
    with_marks = Image.open(io.BytesIO(mp.render_pillow(case.excerpt.blocks, case.rendering, "s")))
    without = Image.open(io.BytesIO(mp.render_pillow(case.excerpt.blocks, plain, "s")))
    assert with_marks.size == without.size
    difference = np.abs(
        np.asarray(with_marks.convert("L"), dtype=np.int16)
        - np.asarray(without.convert("L"), dtype=np.int16)
    )
    assert (difference > 100).sum() > 200  # a dot for every space, a ¶ for every paragraph


def test_pillow_renders_are_deterministic_and_seeded():
    for case in PILLOW_CASES[::7]:
        assert case.picture().data == case.picture().data
    blocks = EXCERPTS["irp603-1"].blocks
    rendering = mp.RENDERINGS[0]
    seeds = {mp.render_pillow(blocks, rendering, f"seed {n}") for n in range(6)}
    assert len(seeds) > 1, "the seed chooses font, width, colours and quality"


def test_hostile_pictures_are_what_they_say():
    cases = {c.name.removeprefix("hostile/"): c for c in mp.corpus(libreoffice=False)}
    data = {name: cases[name].picture().data for name in HOSTILE}
    for name in ("not-an-image", "empty"):
        with pytest.raises(UnidentifiedImageError):
            Image.open(io.BytesIO(data[name]))
    with pytest.raises(OSError):
        Image.open(io.BytesIO(data["truncated-png"])).load()
    huge = data["huge-header"]
    assert len(huge) < 1000 and huge.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", huge[16:24]) == (100_000, 100_000)
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(huge))
    blank = np.asarray(Image.open(io.BytesIO(data["blank"])).convert("L"))
    assert blank.min() == 255
    assert Image.open(io.BytesIO(data["one-pixel"])).size == (1, 1)
    noise = np.asarray(Image.open(io.BytesIO(data["noise"])).convert("L"), dtype=np.float64)
    assert noise.std() > 20
    assert data["misnamed"].startswith(b"\x89PNG") and cases["misnamed"].picture().ext == "jpeg"
    plain = cases["plain-text"]
    assert plain.picture().blocks and not any(b.marked for b in plain.picture().blocks)
    assert Image.open(io.BytesIO(data["plain-text"])).format == "JPEG"
    expect = {name: cases[name].expect for name in HOSTILE}
    assert expect["misnamed"] is mp.Expect.MARKUP
    assert {n for n, e in expect.items() if e is mp.Expect.UNREADABLE} == {
        "not-an-image",
        "empty",
        "truncated-png",
        "huge-header",
    }


def test_an_irp_with_pictures_holds_them_as_inline_drawings(tmp_path):
    cases = [
        next(c for c in PILLOW_CASES if c.name == "irp603-1/pillow-tracked-marks-96"),
        next(c for c in PILLOW_CASES if c.name == "irp603-6/pillow-tracked-150"),
        next(c for c in mp.corpus(libreoffice=False) if c.name == "hostile/not-an-image"),
    ]
    path = mp.irp_of_cases(tmp_path / "IRP.docx", cases)
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        types = archive.read("[Content_Types].xml").decode()
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        document = archive.read("word/document.xml").decode()
        for number, case in enumerate(cases, 1):
            picture = case.picture()
            name = f"word/media/image{number}.{picture.ext}"
            assert archive.read(name) == picture.data
        assert "word/media/image1.jpeg" in names
    assert 'Extension="jpeg" ContentType="image/jpeg"' in types
    assert 'Extension="png" ContentType="image/png"' in types
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    assert targets["rIdImg2"] == f"media/image2.{cases[1].picture().ext}"
    assert document.count("<w:drawing>") == 3 and 'r:embed="rIdImg3"' in document
    proposal = read_docx_irp(path)
    assert [str(c.target) for c in proposal.changes] == [
        "SMETS 4.4.5",
        "CHTS Glossary",
        "SMETS 4.4.5",
    ]
    assert [(c.run_on_before, c.run_on_after) for c in proposal.changes] == [
        (True, True),
        (False, True),
        (True, True),
    ]
    assert proposal.changes[1].action is Action.ADD_TERM
    assert proposal.changes[2].problem  # bytes that are no picture are never a mark-up


def test_import_irp_reads_or_flags_every_picture_markup(tmp_path):
    """``spectrace import irp`` never passes a picture mark-up over in silence: each change is
    read as marked text or carries a problem (before the picture reader, every one says "the
    mark-up is an image"), and a picture that is no image is never read as mark-up."""
    good = [c for c in PILLOW_CASES if c.rendering == mp.RENDERINGS[0]][:3]
    hostile = [c for c in mp.corpus(libreoffice=False) if c.expect is mp.Expect.UNREADABLE]
    path = mp.irp_of_cases(tmp_path / "IRP.docx", good + hostile)
    result = subprocess.run(
        [sys.executable, "-m", "spectrace", "import", "irp", str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)["changes"]
    assert len(changes) == len(good) + len(hostile)
    for change in changes:
        marked = any(op != "keep" for b in change.get("markup", []) for op, _ in _spans(b))
        assert marked or change.get("problem"), change["number"]
    assert all(change.get("problem") for change in changes[len(good) :])


def _spans(block):
    """Return a JSON mark-up block's spans as (op, text) pairs, cells included."""
    spans = [*block.get("spans", []), *(s for cell in block.get("cells", []) for s in cell)]
    return [(s["op"], s["text"]) for s in spans]


# --- LibreOffice (slow: one soffice run for the module) ----------------------------------------

LO_EXCERPTS = ("irp603-1", "table-row-inserted")
requires_libreoffice = pytest.mark.skipif(
    not mp.has_libreoffice(), reason="LibreOffice (soffice) or pdftoppm is not installed"
)


@pytest.fixture(scope="module")
def lo_cache(tmp_path_factory):
    cache = tmp_path_factory.mktemp("lo-cache")
    cases = [c for c in mp.corpus() if c.excerpt.name in LO_EXCERPTS and c.rendering]
    mp.prepare_libreoffice(cases, cache)
    return cache, [c for c in cases if c.rendering.renderer is mp.Renderer.LIBREOFFICE]


@requires_libreoffice
def test_libreoffice_shows_real_tracked_changes(lo_cache):
    cache, cases = lo_cache
    assert len(cases) == len(LO_EXCERPTS) * 4
    for case in cases:
        picture = case.picture(cache)
        image = Image.open(io.BytesIO(picture.data))
        dpi = case.rendering.dpi
        assert image.format == ("JPEG" if dpi == 96 else "PNG")
        assert 3 * dpi < image.width < 7 * dpi, case.name
        assert _saturated(image) > 50, f"{case.name}: no revision colour"
        if case.rendering.style is mp.Style.TRACKED:
            assert _change_bar(image), f"{case.name}: no change bar"


def _change_bar(image):
    """Return whether a dark vertical line stands left of the text."""
    gray = np.asarray(image.convert("L"))
    columns = (gray[:, : gray.shape[1] // 8] < 128).sum(axis=0)
    return columns.max() > gray.shape[0] * 0.1


@requires_libreoffice
def test_libreoffice_renders_are_cached(lo_cache, monkeypatch):
    cache, cases = lo_cache
    before = {case.name: case.picture(cache).data for case in cases}

    def no_soffice(*args, **kwargs):
        raise AssertionError("LibreOffice ran although its output was cached")

    monkeypatch.setattr(mp.subprocess, "run", no_soffice)
    assert {case.name: case.picture(cache).data for case in cases} == before
