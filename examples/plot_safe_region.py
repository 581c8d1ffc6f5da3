"""Draw where the lumbar protocol's hold and repetitions are safe.

Run it with ``python examples/plot_safe_region.py [FILE]`` (it needs the
``plots`` extra); the default file is ``safe-region.png`` in the current folder.
"""

import sys

from pathlib import Path

from mobility import catalog
from mobility.research import grid
from mobility.research.plots import safe_region


def main() -> None:
    """Build a grid of holds and repetitions, draw it, save it as a PNG."""
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "safe-region.png")
    result = grid(
        catalog.get("lower-trunk-rotation"),
        {"hold": [5, 10, 20, 30, 45, 60, 90], "reps": [3, 5, 10, 15, 20, 30]},
    )
    figure = safe_region(result, "hold", "reps")
    figure.savefig(target)
    print(f"{len(result.accepted)} of {len(result.variants)} variants accepted")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
