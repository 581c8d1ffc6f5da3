"""Run every benchmark, show what each prints, then one table of all figures.

Run it with ``make bench``. The scripts run one after another, never at once,
so that none slows another down.
"""

from __future__ import annotations

import subprocess
import sys

from pathlib import Path

from _table import MARK


SCRIPTS = (
    "import_time.py",
    "json_roundtrip.py",
    "json_bad_input.py",
    "variant_grid.py",
    "dose_scan.py",
    "ical_export.py",
    "advise.py",
)
HEADER = ("figure", "value", "baseline", "ratio", "target")


def main() -> None:
    """Run the scripts, then print the table; exit 1 if a script failed."""
    here = Path(__file__).parent
    rows: list[list[str]] = []
    failed = []
    for script in SCRIPTS:
        print(f"== {script}", flush=True)
        result = subprocess.run(
            [sys.executable, str(here / script)],
            capture_output=True,
            text=True,
            check=False,
        )
        for line in result.stdout.splitlines():
            if line.startswith(MARK):
                rows.append(line.removeprefix(MARK).split("\t"))
            else:
                print(line)
        if result.returncode != 0:
            failed.append(script)
            print(result.stderr, file=sys.stderr)
    widths = [max(len(r[i]) for r in [list(HEADER), *rows]) for i in range(5)]
    print("\n== all figures")
    for cells in [list(HEADER), ["-" * w for w in widths], *rows]:
        line = "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
        print(line.rstrip())
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
