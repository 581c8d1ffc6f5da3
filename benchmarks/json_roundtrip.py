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

from mobility import catalog, from_json, to_dict, to_json


def _best(function: object, runs: int, number: int) -> float:
    """Best mean seconds per call over ``runs`` batches of ``number`` calls."""
    return min(timeit.repeat(function, number=number, repeat=runs)) / number  # type: ignore[arg-type]


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

        base = _best(baseline, args.runs, args.number)
        full = _best(typed, args.runs, args.number)
        print(
            f"  {label:<19} plain dicts {base * 1e6:7.0f} us"
            f"   typed {full * 1e6:7.0f} us   ratio {full / base:4.2f} (target <= 4)"
        )


if __name__ == "__main__":
    main()
