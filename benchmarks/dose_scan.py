"""How long does a columnar scan take for a million variants, next to a grid?

Scans 1,000,000 variants of the lumbar protocol (100 holds x 50 repetition
counts x 5 set counts x 5 training days a week x 4 session counts a day x 2 rests)
with ``mobility.research.scan.scan``, and times ``mobility.research.variants``
on the first 20,000 of the same rows (the baseline, per variant), so the ratio
is the whole scan against what the grid would take for the million. The target
is a million in under a second.

It then checks the scan's verdicts against ``validate`` on 2,000 rows spread
over the space (a benchmark that is fast and wrong is no use), and streams
10,000,000 variants through ``scan_chunks`` in a fresh process, next to
1,000,000: flat memory means both reach about the same peak resident set size.

Run it with ``make bench`` or ``python benchmarks/dose_scan.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import time

from _table import row

from mobility import catalog
from mobility.research import variants
from mobility.research.scan import scan


AXES: dict[str, list[object]] = {
    "hold": list(range(1, 101)),
    "reps": list(range(1, 51)),
    "sets": [1, 2, 3, 4, 5],
    "days_per_week": [3, 4, 5, 6, 7],
    "sessions_per_day": [1, 2, 3, 4],
    "rest_seconds": [None, 30],
}
#: Ten times as many: twenty set counts instead of five, and ten rests
#: instead of two (10,000,000 in all; memory only).
BIGGER: dict[str, list[object]] = {
    **AXES,
    "sets": list(range(1, 21)),
    "rest_seconds": [None, 30, 45, 60, 75],
}


def _peak(count: str) -> float:
    """Peak RSS in MiB of a fresh process that streams ``count`` variants."""
    code = (
        "import resource, sys\n"
        "sys.path.insert(0, 'benchmarks')\n"
        "from dose_scan import AXES, BIGGER\n"
        "from mobility import catalog\n"
        "from mobility.research.scan import scan_chunks\n"
        f"axes = BIGGER if {count!r} == 'bigger' else AXES\n"
        "rows = sum(len(part) for part in scan_chunks("
        "catalog.get('lower-trunk-rotation'), axes))\n"
        "print(rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    rows, peak = result.stdout.split()
    print(f"  streamed {int(rows):,} variants: peak RSS {float(peak):.1f} MiB")
    return float(peak)


def main() -> None:
    """Run the benchmark and print the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs to take the best of")
    args = parser.parse_args()
    base = catalog.get("lower-trunk-rotation")
    total = 1
    for values in AXES.values():
        total *= len(values)
    sample = 20_000

    best_scan = best_grid = float("inf")
    found = None
    for _ in range(args.runs):  # alternate the two, so both see the same load
        start = time.perf_counter()
        found = scan(base, AXES)
        best_scan = min(best_scan, time.perf_counter() - start)
        start = time.perf_counter()
        for _ in itertools.islice(variants(base, AXES), sample):
            pass
        best_grid = min(best_grid, (time.perf_counter() - start) / sample)
    if found is None:
        sys.exit("--runs must be at least 1")
    grid_total = best_grid * total
    print(f"scan of {total:,} variants: {best_scan:.2f} s (best of {args.runs})")
    print(f"variants(): {best_grid * 1e6:.1f} us each, so {grid_total:.0f} s for all")
    print(f"accepted: {int(found.ok.sum()):,} of {total:,}")

    step = total // 2000
    wrong = 0
    firsts = found.first_error()
    for row_number in range(0, total, step):
        report = found.variant(row_number).report  # built and validated anew
        errors = report.errors
        want = (report.ok, errors[0].code if errors else None)
        wrong += want != (bool(found.ok[row_number]), firsts[row_number])
    print(f"verdicts checked against validate: {total // step:,} rows, {wrong} differ")
    if wrong:
        sys.exit("the scan disagrees with validate")

    row(
        f"scan of {total:,} variants",
        f"{best_scan:.2f} s",
        f"variants(): {grid_total:.0f} s",
        f"{best_scan / grid_total:.4f}",
        "1 s: " + ("met" if best_scan < 1 else "missed"),
    )
    small, big = _peak("million"), _peak("bigger")
    row(
        "scan_chunks streaming 10,000,000",
        f"peak RSS {big:.1f} MiB",
        f"1,000,000: {small:.1f} MiB",
        f"{big / small:.2f}",
        "flat: " + ("met" if big / small < 1.2 else "missed"),
    )


if __name__ == "__main__":
    main()
