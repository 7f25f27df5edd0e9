"""What the benchmark scripts share: their standard options, and how they print a profile."""

from __future__ import annotations

import argparse
import pstats
import sys
from pathlib import Path

#: Where the scripts cache generated corpora and keep their scratch folders (ignored by git).
OUT = Path(__file__).resolve().parent / "out"


def add_standard_options(parser: argparse.ArgumentParser, *, repeat: str, seed: str) -> None:
    """Add ``--repeat`` (what is repeated), ``--seed`` (what it seeds), ``--out`` and ``--json``."""
    parser.add_argument("--repeat", type=int, default=3, help=f"{repeat} (default 3)")
    parser.add_argument("--seed", type=int, default=0, help=f"{seed} seed (default 0)")
    parser.add_argument(
        "--out", type=Path, default=OUT, help="cache and scratch folder (benchmarks/out)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def add_profile_sort(parser: argparse.ArgumentParser) -> None:
    """Add ``--profile-sort``, the order of the functions a ``--profile`` run prints."""
    parser.add_argument(
        "--profile-sort", default="cumulative", choices=("cumulative", "tottime"), help="order"
    )


def print_profile(profiler, sort: str, lines: int = 25) -> None:
    """Print the top ``lines`` functions of a finished cProfile run."""
    pstats.Stats(profiler, stream=sys.stdout).strip_dirs().sort_stats(sort).print_stats(lines)
