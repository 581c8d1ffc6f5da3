"""What does the typed JSON round trip cost, next to plain json on plain dicts?

For each catalogue protocol this times ``from_json(to_json(protocol))``, which
unstructures, writes, parses, checks every field and builds every object, against
``json.loads(json.dumps(data))`` of the same document as built-in dicts, in the same
run. Both sides use the same formatting: once compact, as ``to_json`` writes by
default, once indented as ``mobility export`` writes files (the indenting encoder
is pure Python and slow on both sides, so that ratio is lower).
The targets: at most 2x the plain dicts, compact, and no slower than a pydantic v2
model of the same document (``pydantic_model.py``), each doing its own round trip
(``model_validate_json(model.model_dump_json())``).

Loading keeps each distinct source, red flag, figure, pose, turn and step it
builds, and gives the same object when the same value loads again (see
``mobility.formats._converter``). Round trips of the same twelve documents
find all of those kept, which a process loading documents it has not seen
finds only for what they share with what it loaded before. So the typed round
trip is timed twice: warm, as the targets were set, and cold, forgetting every
kept object before each batch of twelve (``forget_shared()``), which is what
the first load of the catalogue's documents costs. pydantic keeps nothing.

Run it with ``make bench`` or ``python benchmarks/json_roundtrip.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import json
import timeit

from typing import TYPE_CHECKING

from _table import row
from pydantic_model import Protocol as PydanticProtocol

from mobility import catalog, from_json, to_dict, to_json
from mobility.formats._converter import forget_shared


if TYPE_CHECKING:
    from collections.abc import Callable


def _interleaved(
    functions: list[Callable[[], None]], runs: int, number: int
) -> list[float]:
    """Best seconds per call of each, timing them in alternating batches.

    Alternating gives all the same machine conditions; timing one after the
    other lets any drift in the machine's speed skew the ratio.
    """
    best = [float("inf")] * len(functions)
    for _ in range(runs):
        for index, function in enumerate(functions):
            seconds = timeit.timeit(function, number=number) / number
            best[index] = min(best[index], seconds)
    return best


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
    models = [PydanticProtocol.model_validate_json(to_json(p)) for p in protocols]

    print(f"JSON round trip of {len(protocols)} catalogue protocols")
    print("(best of", args.runs, "batches of", args.number, "round trips)")
    for label, indent in (("compact (default)", None), ("indented", 2)):

        def baseline(indent: int | None = indent) -> None:
            for data in plain:
                json.loads(json.dumps(data, indent=indent, ensure_ascii=False))

        def typed(indent: int | None = indent) -> None:
            for protocol in protocols:
                from_json(to_json(protocol, indent=indent))

        def cold(indent: int | None = indent) -> None:
            forget_shared()
            for protocol in protocols:
                from_json(to_json(protocol, indent=indent))

        def rival(indent: int | None = indent) -> None:
            for model in models:
                PydanticProtocol.model_validate_json(
                    model.model_dump_json(indent=indent)
                )

        base, full, other, first = _interleaved(
            [baseline, typed, rival, cold], args.runs, args.number
        )
        target = " (target <= 2)" if indent is None else ""
        row(
            f"JSON round trip, {label}",
            f"{full * 1e6:.0f} us",
            f"plain dicts, {base * 1e6:.0f} us",
            f"{full / base:.2f}",
            "<= 2" if indent is None else "-",
        )
        row(
            f"JSON round trip, {label}",
            f"{full * 1e6:.0f} us",
            f"pydantic v2, {other * 1e6:.0f} us",
            f"{full / other:.2f}",
            "<= 1",
        )
        row(
            f"JSON round trip, {label}, cold",
            f"{first * 1e6:.0f} us",
            f"plain dicts, {base * 1e6:.0f} us; pydantic, {other * 1e6:.0f} us",
            f"{first / base:.2f}; {first / other:.2f}",
            "-",
        )
        print(
            f"  {label:<19} cold (nothing kept) {first * 1e6:6.0f} us: "
            f"{first / base:4.2f} x plain, {first / other:4.2f} x pydantic"
        )
        print(
            f"  {label:<19} plain dicts {base * 1e6:6.0f} us   mobility "
            f"{full * 1e6:6.0f} us   pydantic {other * 1e6:6.0f} us\n"
            f"  {'':<19} mobility / plain {full / base:4.2f}{target}   "
            f"mobility / pydantic {full / other:4.2f} (target <= 1)"
        )


if __name__ == "__main__":
    main()
