"""The picture reader proven over the corpus (issue 13): bytes -> ``read_picture`` ->
``reconcile_pictures`` against the bundled SMETS 4.2 and CHTS 1.3, for every picture that
``benchmarks/make_pictures.py`` draws.

What must hold for every picture, however well OCR does:

* no wrong change is ever applied: a change that reconciles (``unverified`` empty) is the
  excerpt's own change, span for span, and amends its clause exactly as the excerpt does; one
  that does not reconcile is refused by the amend engine as ``unverified``;
* a hostile picture (no image, truncated, too large, blank, noise, text with no mark-up)
  raises ``PictureError`` saying why, never another exception, never a change;
* a picture of a clause that does not exist is unverified and refused, never applied.

And an accuracy floor, so that a regression of the reader fails: at least EXACT_FLOOR of the
Pillow corpus's mark-up pictures read exactly.

Each picture is one test (xdist spreads them over the workers); its reading is computed once
per run and kept in a folder every worker shares, so the floor does not read them again.
"""

from __future__ import annotations

import dataclasses
import fcntl
import io
import os
import pickle
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from spectrace.model import Proposal
from spectrace.readers.docx.irp import read_docx_irp
from spectrace.readers.picture import PictureError, read_picture
from spectrace.transforms.amend import amend
from tests.conftest import load_benchmark

bench = load_benchmark("bench_pictures")
mp = bench.mp

#: Exact readings over the Pillow corpus's 75 mark-up pictures: 36 measured (Tesseract 5.3.0),
#: the floor a little below so that OCR's differences between machines do not fail it.
EXACT_FLOOR = 32

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)",
)
needs_fonts = pytest.mark.skipif(
    not mp.available_fonts(), reason="no TrueType font (apt-get install fonts-liberation)"
)
needs_libreoffice = pytest.mark.skipif(
    not mp.has_libreoffice(), reason="LibreOffice (soffice) or pdftoppm is not installed"
)

CORPUS = mp.corpus()
PILLOW = [c for c in CORPUS if c.rendering and c.rendering.renderer is mp.Renderer.PILLOW]
HOSTILE = [c for c in CORPUS if c.hostile is not None]
REFUSED = [c for c in HOSTILE if c.expect in (mp.Expect.UNREADABLE, mp.Expect.NOT_MARKUP)]
MISNAMED = [c for c in HOSTILE if c.expect is mp.Expect.MARKUP]  # PNG bytes named .jpeg


def _libreoffice_sample() -> list[mp.Case]:
    """Return one LibreOffice rendering of each excerpt, the renderings taken in turn (the
    whole set is four times as slow)."""
    renderings = [r for r in mp.RENDERINGS if r.renderer is mp.Renderer.LIBREOFFICE]
    excerpts = list(dict.fromkeys(c.excerpt.name for c in PILLOW))
    return [
        c
        for c in CORPUS
        if c.rendering in renderings
        and c.rendering == renderings[excerpts.index(c.excerpt.name) % len(renderings)]
    ]


LIBREOFFICE = _libreoffice_sample()


@pytest.fixture(autouse=True)
def _one_ocr_thread(monkeypatch):
    """Run Tesseract on one thread: on two busy cores its OpenMP threads make it two to three
    times slower, and they do not change what it reads."""
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")


@pytest.fixture(scope="session")
def shared(tmp_path_factory) -> Path:
    """A folder of this run that every xdist worker shares."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / "picture-reader"
    folder.mkdir(exist_ok=True)
    return folder


def _once(folder: Path, key: str, make: Callable[[], object]) -> object:
    """Return ``make()``, computed once per run by whichever worker first asks (the others
    wait for it and read what it kept)."""
    with open(folder / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        kept = folder / f"{key}.pickle"
        if kept.exists():
            return pickle.loads(kept.read_bytes())
        value = make()
        kept.write_bytes(pickle.dumps(value))
        return value


@pytest.fixture(scope="session")
def lo_cache(shared) -> Path:
    """LibreOffice's renders of the sample, converted in one ``soffice`` run per test run."""
    cache = shared / "libreoffice"
    _once(shared, "libreoffice", lambda: mp.prepare_libreoffice(LIBREOFFICE, cache))
    return cache


@pytest.fixture(scope="session")
def result_of(shared, bundled_documents):
    """Return a function giving a case's ``bench_pictures.Result`` (read once per run)."""

    def result(case: mp.Case, cache: Path | None = None):
        def read() -> tuple:  # kept as plain values: another test module may load the
            got = bench.read_case(case, bundled_documents, cache)  # benchmark anew
            return got.outcome.value, got.change, got.reason, got.seconds, got.cpu

        outcome, change, reason, seconds, cpu = _once(shared, case.name.replace("/", "__"), read)
        return bench.Result(
            case.name, case.expect, bench.Outcome(outcome), change, reason, seconds, cpu
        )

    return result


def _proposal(change) -> Proposal:
    return Proposal("IRP9999", date="2019-07-11", changes=[change])


def _text(documents, target):
    """Return the text of ``target`` in ``documents``: the clause's number, title and blocks,
    or the glossary's entries."""
    document = next(d for d in documents if d.name == target.document)
    if target.glossary:
        return [(entry.term, entry.definition) for entry in document.glossary]
    clause = document.clause(target.clause)
    blocks = [(b.kind, b.label, b.level, b.text, b.rows) for b in clause.blocks]
    return [clause.number, clause.title, *blocks]


def _amended(documents, change):
    """Return what the amend engine makes of ``change`` alone: its problems' codes and the
    text of its target after it."""
    result = amend(documents, [_proposal(change)])
    codes = [str(p.code) for p in result.problems]
    return codes, _text(result.final(documents), change.target)


def _never_wrong(result, case: mp.Case, documents) -> None:
    """Check the property every mark-up picture must have: verified means the exact change,
    amending its clause as the exact change does; anything else is refused."""
    assert result.outcome is not bench.Outcome.WRONG, (
        f"{case.name}: a wrong change was verified: {result.change.markup}"
    )
    if result.outcome is bench.Outcome.UNREADABLE:
        assert result.reason, case.name
        return
    change, exact = result.change, case.excerpt.change(1)
    if result.outcome is bench.Outcome.EXACT:
        assert change.unverified == ""
        assert bench.applied(change.markup) == bench.applied(exact.markup)
        same = dataclasses.replace(
            change, markup=exact.markup, source="", confidence=None, corrections=""
        )
        assert same == exact
        codes, text = _amended(documents, change)
        assert (codes, text) == _amended(documents, exact) and codes == []
    else:
        assert change.unverified, case.name
        codes, text = _amended(documents, change)
        assert codes == ["unverified"], case.name
        assert text == _text(documents, change.target)  # the clause as it was


@needs_tesseract
@needs_fonts
@pytest.mark.parametrize("case", PILLOW + MISNAMED, ids=lambda c: c.name)
def test_a_picture_never_gives_a_wrong_change(case, result_of, bundled_documents):
    result = result_of(case)
    if case.expect is mp.Expect.NO_TARGET:
        _refused_for_its_missing_clause(result, case, bundled_documents)
    else:
        _never_wrong(result, case, bundled_documents)


def _refused_for_its_missing_clause(result, case, documents) -> None:
    if result.outcome is bench.Outcome.UNREADABLE:
        return  # refused too, before it could be checked
    assert result.outcome is bench.Outcome.UNVERIFIED, case.name
    assert result.change.unverified == "there is no SMETS 4.6.5.99 to check the picture against"
    problems = amend(documents, [_proposal(result.change)]).problems
    assert [(str(p.code), p.location.change) for p in problems] == [("unverified", 1)]


@needs_tesseract
@needs_fonts
@needs_libreoffice
@pytest.mark.parametrize("case", LIBREOFFICE, ids=lambda c: c.name)
def test_a_libreoffice_picture_never_gives_a_wrong_change(
    case, result_of, lo_cache, bundled_documents
):
    result = result_of(case, lo_cache)
    if case.expect is mp.Expect.NO_TARGET:
        _refused_for_its_missing_clause(result, case, bundled_documents)
    else:
        _never_wrong(result, case, bundled_documents)


#: What each hostile picture is refused for (a part of PictureError's message).
REASONS = {
    "not-an-image": "can be decoded",
    "empty": "can be decoded",
    "truncated-png": "can be decoded",
    "huge-header": "too large",
    "one-pixel": "no text",
    "blank": "no text",
    "noise": "not text on a plain background",
    "plain-text": "no inserted or deleted text",
}


@needs_tesseract
@needs_fonts
@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.name)
def test_a_hostile_picture_is_refused_with_its_reason(case):
    data = case.picture().data
    with pytest.raises(PictureError) as refused:
        read_picture(data)
    assert REASONS[case.name.removeprefix("hostile/")] in str(refused.value)


def _variant(name: str) -> bytes:
    """Return a hostile variant of a real mark-up picture (IRP603's first change), seeded."""
    real = next(c for c in PILLOW if c.name == "irp603-1/pillow-formatting-96").picture().data
    image = Image.open(io.BytesIO(real))
    rng = random.Random(name)
    out = io.BytesIO()
    if name.startswith("cut-"):
        return real[: len(real) * int(name.removeprefix("cut-")) // 100]
    if name == "flipped-bytes":
        data = bytearray(real)
        for at in rng.sample(range(600, len(data)), 40):
            data[at] ^= 0xFF
        return bytes(data)
    if name == "transparent":  # a PNG whose background is see-through black
        rgba = np.asarray(image.convert("RGBA")).copy()
        rgba[(rgba[:, :, :3] > 240).all(axis=2)] = (0, 0, 0, 0)
        Image.fromarray(rgba, "RGBA").save(out, "PNG")
    elif name == "pdf":
        return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
    elif name == "svg":
        return b'<svg xmlns="http://www.w3.org/2000/svg"><text>shall</text></svg>'
    elif name == "ico":
        image.resize((64, 16)).save(out, "ICO")
    elif name == "gigantic-gif":
        header = b"GIF89a" + (60000).to_bytes(2, "little") * 2 + b"\x00\x00\x00"
        return header + b"\x2c" + b"\x00" * 8 + (60000).to_bytes(2, "little") * 2 + b"\x3b"
    return out.getvalue()


VARIANTS = (
    "cut-10",
    "cut-50",
    "cut-95",
    "flipped-bytes",
    "transparent",
    "pdf",
    "svg",
    "ico",
    "gigantic-gif",
)


@needs_tesseract
@needs_fonts
@pytest.mark.parametrize("name", VARIANTS)
def test_a_damaged_or_strange_picture_is_refused_or_never_verified_wrong(name, bundled_documents):
    """A picture damaged or in a format the reader does not take is refused with a reason;
    one that still decodes may be read, but never to a verified change that is not the
    excerpt's."""
    case = next(c for c in PILLOW if c.name == "irp603-1/pillow-formatting-96")
    broken = dataclasses.replace(
        case,
        name=f"variant/{name}",
        hostile=lambda cache: (
            _variant(name),
            "png",
        ),
    )
    result = bench.read_case(broken, bundled_documents)
    if result.outcome is bench.Outcome.UNREADABLE:
        assert result.reason
    else:
        _never_wrong(result, case, bundled_documents)


@needs_tesseract
@needs_fonts
def test_the_pillow_corpus_reads_at_least_the_floor_exactly(result_of):
    results = [result_of(case) for case in PILLOW + MISNAMED]
    outcomes = [r.outcome for r in results if r.expect is mp.Expect.MARKUP]
    assert bench.Outcome.WRONG not in outcomes
    exact = outcomes.count(bench.Outcome.EXACT)
    assert exact >= EXACT_FLOOR, f"{exact} of {len(outcomes)} read exactly"


# --- Tesseract missing ---------------------------------------------------------------------


@needs_fonts
def test_without_tesseract_a_picture_change_is_unreadable_with_the_install_hint(
    tmp_path, monkeypatch, bundled_documents
):
    pytesseract = pytest.importorskip("pytesseract")
    monkeypatch.setattr(
        pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "no-such-tesseract")
    )
    case = next(c for c in PILLOW if c.name == "irp603-2/pillow-tracked-150")
    with pytest.raises(PictureError, match="tesseract-ocr"):
        read_picture(case.picture().data)
    proposal = read_docx_irp(mp.irp_of_cases(tmp_path / "IRP.docx", [case]))
    (change,) = proposal.changes
    assert change.source == "picture" and change.markup == []
    assert "cannot be read" in change.problem and "tesseract-ocr" in change.problem
    problems = amend(bundled_documents, [proposal]).problems
    assert [str(p.code) for p in problems] == ["unreadable"]
    assert "tesseract-ocr" in problems[0].message
