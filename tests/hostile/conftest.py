"""Options of the hostile-input suite: how many Word mutants the fuzzer tries, from which seed.

    pytest tests/hostile                                   # the default: a few hundred mutants
    pytest tests/hostile --fuzz-mutants 5000 -n 2          # thousands, on demand
    pytest tests/hostile --fuzz-seed 7                     # another fixed seed

A failure names the seed and the mutant's number; the same seed and number give the same
mutant again.
"""

from __future__ import annotations

#: Mutants tried by default (the file stays well under a minute on two cores).
DEFAULT_MUTANTS = 400
#: The seed of the default run; fixed, so that CI tries the same mutants every time.
DEFAULT_SEED = 20191107


def pytest_addoption(parser):
    group = parser.getgroup("hostile", "hostile-input suite")
    group.addoption(
        "--fuzz-mutants",
        type=int,
        default=DEFAULT_MUTANTS,
        help=f"Word mutants the fuzzer tries (default {DEFAULT_MUTANTS})",
    )
    group.addoption(
        "--fuzz-seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"seed of the Word fuzzer (default {DEFAULT_SEED})",
    )
