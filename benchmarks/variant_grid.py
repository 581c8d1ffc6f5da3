"""What does validating a grid of variants cost, next to only building it?

Builds the same 10,000 variants of the lumbar protocol (100 holds x 20 repetition
counts x 5 set counts) in one run: by hand with ``attrs.evolve`` and nothing else
(the baseline), and with ``mobility.research.grid``, which also names, records and
validates each variant. It also times validation alone on the built variants.

The target is at most 10 us per variant for the whole grid. It also prints
(build + validation) / build, and the whole grid against building alone, which
also counts the ids, the variant records and the reports the grid keeps.

Then it streams variants through ``mobility.research.variants`` without keeping
them, each count in a fresh process: 10,648 (22 values on each axis, the
baseline) and 1,000,000 (100 holds x 100 repetition counts x 100 set counts).
Flat memory means both reach about the same peak resident set size.

Run it with ``make bench`` or ``python benchmarks/variant_grid.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import subprocess
import sys
import time

from typing import TYPE_CHECKING

import attrs

from _table import row

from mobility import Hold, Protocol, catalog, validate
from mobility.research import grid, variants


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


def stream(count: int) -> tuple[int, float, float]:
    """Go through ``count`` variants keeping none; the peak RSS in MiB, seconds."""
    size = round(count ** (1 / 3))
    axes = {
        "hold": list(range(5, 5 + size)),
        "reps": list(range(1, 1 + size)),
        "sets": list(range(1, 1 + size)),
    }
    start = time.perf_counter()
    seen = sum(1 for _ in variants(catalog.get("lower-trunk-rotation"), axes))
    seconds = time.perf_counter() - start
    # ru_maxrss is in KiB on Linux.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert seen == size**3  # noqa: S101 - the count asked for
    return seen, peak, seconds


def _streamed(count: int) -> tuple[int, float, float]:
    """:func:`stream` in a fresh process, so that its peak is its own."""
    result = subprocess.run(
        [sys.executable, __file__, "--stream", str(count)],
        capture_output=True,
        text=True,
        check=True,
    )
    seen, peak, seconds = result.stdout.split()
    return int(seen), float(peak), float(seconds)


def _timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    """Run the benchmark and print the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs; the best counts")
    parser.add_argument("--stream", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stream is not None:  # the child process of _streamed
        print(*stream(args.stream))
        return

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
        "  (under 2: validation costs less than building)"
    )
    row(
        "grid of 10,000, per variant",
        f"{full / 10_000 * 1e6:.1f} us",
        f"build only, {baseline / 10_000 * 1e6:.1f} us",
        f"{full / baseline:.2f}",
        "<= 10 us per variant",
    )

    small, small_peak, _ = _streamed(10_000)
    large, large_peak, seconds = _streamed(1_000_000)
    print("variants() streamed, keeping none, each in a fresh process:")
    print(f"  {small:>9,} variants: peak RSS {small_peak:6.1f} MiB")
    print(
        f"  {large:>9,} variants: peak RSS {large_peak:6.1f} MiB"
        f" ({seconds:.0f} s, {seconds / large * 1e6:.1f} us each)"
    )
    row(
        "variants() streamed, peak RSS (1,000,000)",
        f"{large_peak:.1f} MiB",
        f"{small:,} streamed, {small_peak:.1f} MiB",
        f"{large_peak / small_peak:.2f}",
        "flat: about 1",
    )


if __name__ == "__main__":
    main()
