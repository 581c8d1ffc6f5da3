"""How long does ``import mobility.catalog`` take, next to ``import attrs``?

Apps import the catalogue at start-up, so its import time is what users feel. This
script imports each module in fresh interpreters, alternating the two so that both
see the same machine load, and prints the medians and their ratio. The baseline is
``attrs``, which the catalogue must import anyway.

Run it with ``make bench`` or ``python benchmarks/import_time.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys


_PROBE = (
    "import time; t = time.perf_counter(); import {module}; "
    "print(time.perf_counter() - t)"
)


def _time_import(module: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE.format(module=module)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout)


def main() -> None:
    """Run the benchmark and print the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="imports of each module")
    args = parser.parse_args()

    candidates = ("attrs", "mobility.catalog", "mobility")
    for module in candidates:  # warm the bytecode caches; not timed
        _time_import(module)
    times: dict[str, list[float]] = {module: [] for module in candidates}
    for _ in range(args.runs):
        for module in candidates:
            times[module].append(_time_import(module))

    baseline = statistics.median(times["attrs"])
    print(f"median import time over {args.runs} fresh interpreters each")
    for module in candidates:
        median = statistics.median(times[module])
        print(
            f"  import {module:<18} {median * 1000:7.1f} ms"
            f"   {median / baseline:4.2f} x attrs"
        )


if __name__ == "__main__":
    main()
