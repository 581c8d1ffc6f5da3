"""Vary the lumbar protocol's dose, check every variant, and write a CSV table.

Run it with ``python examples/variant_grid.py [FILE]``; the default file is
``lumbar-variants.csv`` in the current folder.
"""

import sys

from pathlib import Path

from mobility import catalog
from mobility.research import grid, write_csv


def main() -> None:
    """Build the grid, print the accepted and rejected counts, write the table."""
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "lumbar-variants.csv")
    result = grid(
        catalog.get("lower-trunk-rotation"),
        {
            "hold": [10, 15, 20, 30, 45, 60, 90],
            "reps": [5, 10, 15, 20],
            "days_per_week": [3, 7],
        },
    )
    print(
        f"{len(result.variants)} variants: {len(result.accepted)} accepted, "
        f"{len(result.rejected)} rejected"
    )
    for code, count in result.reasons().most_common():
        print(f"  {count:3} rejected for {code}")
    rows = result.to_records()
    with target.open("w", newline="", encoding="utf-8") as file:
        write_csv(rows, file)
    print(f"wrote {target}: one row per variant, {len(rows[0])} columns")


if __name__ == "__main__":
    main()
