"""How long do ``import mobility.catalog`` and ``mobility list`` take to start?

Apps import the catalogue at start-up, and people type ``mobility list``, so their
start-up time is what users feel. This script runs each in fresh interpreters,
alternating them with their baselines so that all see the same machine load, and
prints medians and ratios:

- ``import mobility.catalog`` against ``import attrs``, each over a bare
  ``python -c pass`` (the catalogue must import attrs anyway); target 1.3;
- ``mobility list`` against ``import mobility.catalog``, whole processes;
  target 1.2. The command is the ``mobility`` script that installing the
  package puts beside the interpreter, as a person runs it (``python -m
  mobility`` adds about 3 ms of ``runpy``).

A third figure is what an app pays in all when it takes the protocols at
start-up: ``import mobility.catalog`` and then ``catalog.protocols()``, which
builds every protocol and so loads attrs and the model. It has no target; it
shows what the import leaves for later.

Bytecode caching is on (``PYTHONDONTWRITEBYTECODE`` is removed from the children's
environment, and a first untimed run writes the caches), as in an installed
package; otherwise every run would time the compiler.

Run it with ``make bench`` or ``python benchmarks/import_time.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from pathlib import Path

from _table import row


_COMMANDS = {
    "python -c pass": ["-c", "pass"],
    "import attrs": ["-c", "import attrs"],
    "import mobility.catalog": ["-c", "import mobility.catalog"],
    "mobility list": [str(Path(sys.executable).with_name("mobility")), "list"],
    "... and catalog.protocols()": [
        "-c",
        "import mobility.catalog; mobility.catalog.protocols()",
    ],
}


def _seconds(arguments: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, *arguments], env=env, stdout=subprocess.DEVNULL, check=True
    )
    return time.perf_counter() - start


def measure(runs: int) -> dict[str, float]:
    """Median wall-clock seconds of each command, alternating them."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for arguments in _COMMANDS.values():  # write the bytecode caches; not timed
        _seconds(arguments, env)
    times: dict[str, list[float]] = {name: [] for name in _COMMANDS}
    for _ in range(runs):
        for name, arguments in _COMMANDS.items():
            times[name].append(_seconds(arguments, env))
    return {name: statistics.median(found) for name, found in times.items()}


def rows(
    medians: dict[str, float],
) -> list[tuple[str, float, str, float, float | None]]:
    """(figure, ms, baseline, ratio, target) for the table ``make bench`` prints."""
    bare = medians["python -c pass"]
    catalog = medians["import mobility.catalog"] - bare
    attrs = medians["import attrs"] - bare
    return [
        (
            "import mobility.catalog, over bare python",
            catalog * 1000,
            "import attrs, over bare python",
            catalog / attrs,
            1.3,
        ),
        (
            "mobility list",
            medians["mobility list"] * 1000,
            "import mobility.catalog",
            medians["mobility list"] / medians["import mobility.catalog"],
            1.2,
        ),
        (
            "import mobility.catalog and build every protocol, over bare python",
            (medians["... and catalog.protocols()"] - bare) * 1000,
            "import attrs, over bare python",
            (medians["... and catalog.protocols()"] - bare) / attrs,
            None,
        ),
    ]


def main() -> None:
    """Run the benchmark and print the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs of each command")
    args = parser.parse_args()
    medians = measure(args.runs)
    print(f"start-up, median of {args.runs} fresh processes each (ms)")
    for name, seconds in medians.items():
        print(f"  {name:<26} {seconds * 1000:7.1f}")
    for figure, ms, baseline, ratio, target in rows(medians):
        wanted = "-" if target is None else f"<= {target}"
        row(figure, f"{ms:.1f} ms", baseline, f"{ratio:.2f}", wanted)
        verdict = "no target"
        if target is not None:
            verdict = f"target {target}: " + ("meets" if ratio <= target else "MISSES")
        print(f"  {figure}: {ms:.1f} ms, {ratio:.2f} x {baseline} ({verdict})")


if __name__ == "__main__":
    main()
