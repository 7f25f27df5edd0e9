"""Benchmark the picture reader (issue 13): how fast and how right mark-ups that are pictures
are read.

The target: a picture is read and checked against its clause in under 1 s (the median over
the corpus), and no picture ever gives a wrong change that would be applied.

The corpus is ``make_pictures.py``'s: every excerpt (IRP603's six mark-ups and ten more of the
bundled SMETS and CHTS text) in every Pillow rendering, the LibreOffice renderings when
``soffice`` and ``pdftoppm`` are there (converted once, cached in ``--out/picture-cache``),
and the hostile pictures. Rendering is not timed. For each picture the timed path is what
``spectrace import irp`` does with it:

(a) ``spectrace.readers.picture.read_picture``: decode, clean, Tesseract OCR, classify, lay out;
(b) the change the Word IRP reader makes of it (source ``picture``, unverified until checked);
(c) ``spectrace.transforms.reconcile.reconcile_pictures`` against the bundled SMETS 4.2 and
    CHTS 1.3 (read once, not timed).

Each picture ends as one of:

* **exact**: verified, and its mark-up is the excerpt's, span for span (it would be applied);
* **unverified**: read, but not verified against its clause (the engine refuses it);
* **unreadable**: ``PictureError`` (the engine refuses it as unreadable);
* **wrong**: verified but not the excerpt's mark-up: a wrong change that would be applied.
  There must be none.

What is compared is what the amend engine applies: each block's kind, level and spans (a
table row's cells). A list item's label is not (the engine numbers the items of the amended
clause itself), but a verified change whose labels OCR misread (``ili.`` for ``iii.``) is
counted apart, since the IRP-as-code then shows the misread label.

The shares are over the mark-up pictures (whose excerpt's clause exists); the pictures of a
missing clause and the hostile ones are right when they are refused (unverified, unreadable).
Times are wall-clock (``time.perf_counter``) and CPU (this process and Tesseract's, from
``getrusage``) per picture of a mark-up (hostile pictures, most refused before OCR, are not
counted). Tesseract's OpenMP threads cost more than they give on a busy 2-core machine; the
JSON report says whether ``OMP_THREAD_LIMIT`` was set.

Usage::

    python benchmarks/bench_pictures.py [--only TEXT] [--no-libreoffice] [--out benchmarks/out]
                                        [--json] [--list]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import make_pictures as mp  # noqa: E402
from benchlib import OUT  # noqa: E402

from spectrace.api import load_document  # noqa: E402
from spectrace.model import Change, Document, MarkupBlock, Proposal  # noqa: E402
from spectrace.readers.picture import PictureError, give, read_picture  # noqa: E402
from spectrace.transforms.reconcile import reconcile_pictures  # noqa: E402

ROOT = HERE.parent
TARGET_SECONDS = 1.0
#: The bundled specifications the excerpts quote: (document, edition).
BUNDLED = (("SMETS", "4.2"), ("CHTS", "1.3"))


class Outcome(StrEnum):
    EXACT = "exact"
    UNVERIFIED = "unverified"
    UNREADABLE = "unreadable"
    WRONG = "wrong"


def applied(markup: list[MarkupBlock]) -> list[tuple]:
    """Return what the amend engine applies of a mark-up: each block's kind, level and spans
    or cells (not a list item's label: the engine numbers the amended clause's items)."""
    return [(b.kind, b.level, b.spans, b.cells) for b in markup]


@dataclass
class Result:
    """What became of one picture: its outcome, the change (None when unreadable), why it is
    unverified or unreadable, and the time its reading took (wall and CPU seconds)."""

    name: str
    expect: mp.Expect
    outcome: Outcome
    change: Change | None
    reason: str
    seconds: float
    cpu: float
    labels_misread: bool = False

    @property
    def right(self) -> bool:
        """Whether the outcome is what a correct reader gives for the case."""
        if self.expect is mp.Expect.MARKUP:
            return self.outcome is Outcome.EXACT
        if self.expect is mp.Expect.NO_TARGET:
            return self.outcome is Outcome.UNVERIFIED
        return self.outcome is Outcome.UNREADABLE


def bundled_documents() -> list[Document]:
    """Return the bundled SMETS 4.2 and CHTS 1.3 read from the spec-as-code sources."""
    return [
        load_document(ROOT / "specs" / name / edition, name, edition) for name, edition in BUNDLED
    ]


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # Tesseract runs as a child
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def read_case(case: mp.Case, documents: list[Document], cache: Path | None = None) -> Result:
    """Return what reading ``case``'s picture and reconciling it with ``documents`` gives."""
    picture = case.picture(cache)
    style = case.rendering.markup_style if case.rendering else None
    started, cpu = time.perf_counter(), _cpu()
    try:
        reading = read_picture(picture.data, style)
    except PictureError as why:
        return Result(
            case.name,
            case.expect,
            Outcome.UNREADABLE,
            None,
            str(why),
            time.perf_counter() - started,
            _cpu() - cpu,
        )
    change = case.excerpt.change(1)  # instruction and target, as the IRP's text gives them
    give(change, [reading])  # as the Word reader does
    reconcile_pictures(Proposal("IRP9999", date="2019-07-11", changes=[change]), documents)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    expected = case.excerpt.change(1).markup
    if change.unverified:
        outcome = Outcome.UNVERIFIED
    elif applied(change.markup) == applied(expected):
        outcome = Outcome.EXACT
    else:
        outcome = Outcome.WRONG
    labels = [b.label for b in change.markup] != [b.label for b in expected]
    result = Result(case.name, case.expect, outcome, change, change.unverified, seconds, cpu)
    result.labels_misread = outcome is Outcome.EXACT and labels
    return result


def cases(*, libreoffice: bool, only: str = "") -> list[mp.Case]:
    """Return the corpus's cases (without LibreOffice's when ``libreoffice`` is false)."""
    return [case for case in mp.corpus(libreoffice=libreoffice) if only in case.name]


def summary(results: list[Result]) -> dict:
    """Return the shares of each outcome over the mark-up pictures, how many of the others
    were refused, and the time per picture (median and max, wall and CPU)."""
    markup = [r for r in results if r.expect is mp.Expect.MARKUP]
    others = [r for r in results if r.expect is not mp.Expect.MARKUP]
    counts = Counter(r.outcome for r in markup)
    timed = [r for r in results if r.expect in (mp.Expect.MARKUP, mp.Expect.NO_TARGET)]
    seconds = [r.seconds for r in timed] or [0.0]
    cpu = [r.cpu for r in timed] or [0.0]
    return {
        "pictures": len(results),
        "markup": len(markup),
        **{outcome.value: counts[outcome] for outcome in Outcome},
        "shares": {o.value: counts[o] / len(markup) if markup else 0.0 for o in Outcome},
        "labels_misread": sum(r.labels_misread for r in markup),
        "refused_right": sum(r.right for r in others),
        "refused_of": len(others),
        "median_s": statistics.median(seconds),
        "max_s": max(seconds),
        "median_cpu_s": statistics.median(cpu),
        "max_cpu_s": max(cpu),
        "slowest": max(timed, key=lambda r: r.seconds).name if timed else "",
    }


def report(results: list[Result], by_renderer: dict[str, dict]) -> tuple[list[str], bool]:
    """Return the report's lines and whether the targets are met."""
    lines = []
    for renderer, row in by_renderer.items():
        shares = row["shares"]
        lines.append(
            f"{renderer:<11} {row['markup']:>3} mark-ups: exact {shares['exact']:.0%} "
            f"({row['exact']}), unverified {shares['unverified']:.0%} ({row['unverified']}), "
            f"unreadable {shares['unreadable']:.0%} ({row['unreadable']}), "
            f"wrong {row['wrong']} (labels misread {row['labels_misread']}); "
            f"others refused {row['refused_right']}/{row['refused_of']}; "
            f"per picture median {row['median_s']:.2f} s, max {row['max_s']:.2f} s "
            f"(CPU {row['median_cpu_s']:.2f} / {row['max_cpu_s']:.2f} s, slowest "
            f"{row['slowest']})"
        )
    whole = summary(results)
    fast = whole["median_s"] < TARGET_SECONDS
    safe = whole["wrong"] == 0 and whole["refused_right"] == whole["refused_of"]
    lines.append(
        f"target (median < {TARGET_SECONDS:.0f} s per picture): {'PASS' if fast else 'FAIL'} - "
        f"{whole['median_s']:.2f} s (max {whole['max_s']:.2f} s)"
    )
    lines.append(
        f"target (no wrong change, every other picture refused): {'PASS' if safe else 'FAIL'} - "
        f"{whole['wrong']} wrong, {whole['refused_right']}/{whole['refused_of']} refused"
    )
    for result in results:
        if not result.right and result.outcome is not Outcome.UNVERIFIED:
            lines.append(f"  {result.outcome}: {result.name} {result.reason}")
        elif result.labels_misread:
            assert result.change is not None
            labels = " ".join(b.label for b in result.change.markup if b.label)
            lines.append(f"  exact, labels misread: {result.name} ({labels})")
    return lines, fast and safe


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="only the cases whose name holds this text")
    parser.add_argument("--no-libreoffice", action="store_true", help="Pillow renders only")
    parser.add_argument("--out", type=Path, default=OUT, help="cache folder (benchmarks/out)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--list", action="store_true", help="print each picture's outcome")
    args = parser.parse_args(argv)
    use_lo = not args.no_libreoffice and mp.has_libreoffice()
    chosen = cases(libreoffice=use_lo, only=args.only)
    cache = args.out / "picture-cache"
    if use_lo:
        mp.prepare_libreoffice(chosen, cache)
    documents = bundled_documents()
    results = []
    for number, case in enumerate(chosen, 1):
        results.append(read_case(case, documents, cache))
        result = results[-1]
        if args.list:
            print(
                f"{number:>3}/{len(chosen)} {result.outcome:<10} {result.seconds:5.2f} s "
                f"{case.name} {result.reason[:100]}",
                file=sys.stderr,
            )
    renderer = {r.name: r.rendering.renderer.value if r.rendering else "hostile" for r in chosen}
    groups: dict[str, list[Result]] = {}
    for result in results:
        groups.setdefault(renderer[result.name], []).append(result)
    by_renderer = {name: summary(group) for name, group in groups.items()}
    lines, passed = report(results, by_renderer)
    if args.json:
        data = {
            "omp_thread_limit": os.environ.get("OMP_THREAD_LIMIT"),
            "libreoffice": use_lo,
            "all": summary(results),
            "by_renderer": by_renderer,
            "verdicts": lines,
        }
        print(json.dumps(data, indent=2))
    else:
        print("\n".join(lines))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
