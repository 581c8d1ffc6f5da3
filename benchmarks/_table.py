"""One line per figure, for ``run_all.py`` to gather into one table.

Each benchmark calls :func:`row` for each figure it measures. The line starts
with a tab-separated marker, so ``run_all.py`` can tell it from the rest of the
script's output; run on its own, a script prints it as one more line.
"""

from __future__ import annotations


MARK = "TABLE\t"


def row(figure: str, value: str, baseline: str, ratio: str, target: str) -> None:
    """Print one figure: its value, its baseline, their ratio, and the target."""
    print(f"{MARK}{figure}\t{value}\t{baseline}\t{ratio}\t{target}")
