"""What does validating a grid of variants cost, next to only building it?

Builds the same 10,000 variants of the lumbar protocol (100 holds x 20 repetition
counts x 5 set counts) in one run: by hand with ``attrs.evolve`` and nothing else
(the baseline), and with ``mobility.research.grid``, which also names, records and
validates each variant. It also times validation alone on the built variants.

The target is that validation costs no more than building: (build + validation) /
build at most 2. The whole-grid ratio is printed too; it also counts the ids,
the variant records and the reports the grid keeps.

Run it with ``make bench`` or ``python benchmarks/variant_grid.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import itertools
import time

from typing import TYPE_CHECKING

import attrs

from _table import row

from mobility import Hold, Protocol, catalog, validate
from mobility.research import grid


if TYPE_CHECKING:
    from collections.abc import Callable


AXES = {
    "hold": list(range(5, 105)),
    "reps": list(range(1, 21)),
    "sets": [1, 2, 3, 4, 5],
}


def build_only() -> int:
    """The baseline: every variant built with attrs.evolve and kept, nothing checked.

    The variants are kept in a list, as a grid keeps them: holding 10,000 objects
    makes Python's garbage collector work harder, and both sides should pay that.
    """
    base = catalog.get("lower-trunk-rotation")
    exercise = base.exercises[0]
    built = []
    for hold, reps, sets in itertools.product(*AXES.values()):
        dose = attrs.evolve(exercise.dose, hold=Hold(hold), reps=reps, sets=sets)
        built.append(
            attrs.evolve(
                base,
                id=f"{base.id}-hold-{hold}-reps-{reps}-sets-{sets}",
                exercises=(attrs.evolve(exercise, dose=dose),),
            )
        )
    return len(built)


def build_and_validate() -> int:
    """The same variants through mobility.research.grid: built, named, validated."""
    return len(grid(catalog.get("lower-trunk-rotation"), AXES).variants)


def validate_only(protocols: list[Protocol]) -> None:
    """Validation alone, of variants already built."""
    for protocol in protocols:
        validate(protocol)


def _timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    """Run the benchmark and print the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs; the best counts")
    args = parser.parse_args()

    assert build_only() == build_and_validate() == 10_000  # noqa: S101 - same grid
    built = [
        v.protocol for v in grid(catalog.get("lower-trunk-rotation"), AXES).variants
    ]
    findings = sum(len(validate(p).findings) for p in built) / len(built)
    # Alternate the three, so each run sees the same machine conditions.
    baseline = full = checks = float("inf")
    for _ in range(args.runs):
        baseline = min(baseline, _timed(build_only))
        full = min(full, _timed(build_and_validate))
        checks = min(checks, _timed(lambda: validate_only(built)))
    print(f"grid of 10,000 variants of lower-trunk-rotation (best of {args.runs})")
    print(f"({findings:.1f} findings per variant on average: most are unsafe)")
    for label, seconds in (
        ("build only (attrs.evolve)", baseline),
        ("build and validate (grid)", full),
        ("validation alone", checks),
    ):
        print(f"  {label:<26} {seconds:6.2f} s {seconds / 10_000 * 1e6:6.1f} us each")
    print(f"  whole grid / build only:        {full / baseline:.2f}")
    print(
        f"  (build + validation) / build:   {(baseline + checks) / baseline:.2f}"
        "  (target <= 2: validation costs no more than building)"
    )
    row(
        "grid of 10,000, per variant",
        f"{full / 10_000 * 1e6:.1f} us",
        f"build only, {baseline / 10_000 * 1e6:.1f} us",
        f"{full / baseline:.2f}",
        "<= 10 us per variant",
    )


if __name__ == "__main__":
    main()
