"""What does the typed JSON round trip cost, next to plain json on plain dicts?

For each catalogue protocol this times ``from_json(to_json(protocol))``, which
unstructures, writes, parses, checks every field and builds every object, against
``json.loads(json.dumps(data))`` of the same document as built-in dicts, in the same
run. Both sides use the same formatting: once compact, once indented as ``to_json``
writes by default (the indented encoder is pure Python, so that ratio is lower).
The target is a ratio of at most 4.

Run it with ``make bench`` or ``python benchmarks/json_roundtrip.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import json
import timeit

from typing import TYPE_CHECKING

from mobility import catalog, from_json, to_dict, to_json


if TYPE_CHECKING:
    from collections.abc import Callable


def _interleaved(
    first: Callable[[], None], second: Callable[[], None], runs: int, number: int
) -> tuple[float, float]:
    """Best seconds per call of each, timing them in alternating batches.

    Alternating gives both the same machine conditions; timing one after the
    other lets any drift in the machine's speed skew the ratio.
    """
    best = [float("inf"), float("inf")]
    for _ in range(runs):
        for index, function in enumerate((first, second)):
            seconds = timeit.timeit(function, number=number) / number
            best[index] = min(best[index], seconds)
    return best[0], best[1]


def main() -> None:
    """Run the benchmark and print the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=7, help="batches to take the best of"
    )
    parser.add_argument("--number", type=int, default=200, help="trips per batch")
    args = parser.parse_args()

    protocols = catalog.protocols()
    plain = [to_dict(protocol) for protocol in protocols]

    print(f"JSON round trip of {len(protocols)} catalogue protocols")
    print("(best of", args.runs, "batches of", args.number, "round trips)")
    for label, indent in (("compact", None), ("indented (default)", 2)):

        def baseline(indent: int | None = indent) -> None:
            for data in plain:
                json.loads(json.dumps(data, indent=indent, ensure_ascii=False))

        def typed(indent: int | None = indent) -> None:
            for protocol in protocols:
                from_json(to_json(protocol, indent=indent))

        base, full = _interleaved(baseline, typed, args.runs, args.number)
        print(
            f"  {label:<19} plain dicts {base * 1e6:7.0f} us"
            f"   typed {full * 1e6:7.0f} us   ratio {full / base:4.2f} (target <= 4)"
        )


if __name__ == "__main__":
    main()
