"""Vary the lumbar protocol's dose, check every variant, and write a CSV table.

Run it with ``python examples/variant_grid.py [FILE]``; the default file is
``lumbar-variants.csv`` in the current folder. The protocol's safety text, the
same for every variant, goes once into a side file beside it
(``lumbar-variants.safety.csv``), and a bar on standard error shows how far the
grid has got.
"""

import sys

from pathlib import Path

from mobility import catalog
from mobility.research import grid, safety_record, write_csv


def bar(done: int, total: int) -> None:
    """A text progress bar on standard error, redrawn every tenth of the way."""
    if done == total or done % max(1, total // 10) == 0:
        filled = 30 * done // total
        end = "\n" if done == total else ""
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}{end}")
        sys.stderr.flush()


def main() -> None:
    """Build the grid, print the accepted and rejected counts, write the table."""
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "lumbar-variants.csv")
    base = catalog.get("lower-trunk-rotation")
    result = grid(
        base,
        {
            "hold": [10, 15, 20, 30, 45, 60, 90],
            "reps": [5, 10, 15, 20],
            "days_per_week": [3, 7],
        },
        progress=bar,
    )
    print(
        f"{len(result.variants)} variants: {len(result.accepted)} accepted, "
        f"{len(result.rejected)} rejected"
    )
    for code, count in result.reasons().most_common():
        print(f"  {count:3} rejected for {code}")
    # The safety text once, in a side file, rather than in every row.
    rows = result.to_records(safety=False)
    with target.open("w", newline="", encoding="utf-8") as file:
        write_csv(rows, file)
    beside = target.with_suffix(".safety.csv")
    with beside.open("w", newline="", encoding="utf-8") as file:
        write_csv([safety_record(base)], file)
    print(f"wrote {target}: one row per variant, {len(rows[0])} columns")
    print(f"wrote {beside}: the protocol's safety text, which goes with the table")


if __name__ == "__main__":
    main()
