"""How long does from_json take to refuse the worst inputs we know of?

Each must be refused with a FormatError, and none may take more than a second.
This times each, on its own, and prints them slowest first.

Run it with ``make bench`` or ``python benchmarks/json_bad_input.py``.
"""

from __future__ import annotations

import json
import time
import tracemalloc

from _table import row

from mobility import FormatError, catalog, from_json, to_dict


def _document(**changes: object) -> str:
    data = to_dict(catalog.get("lower-trunk-rotation"))
    data.update(changes)
    return json.dumps(data)


def _cases() -> dict[str, str]:
    steps_of_numbers = to_dict(catalog.get("lower-trunk-rotation"))
    steps_of_numbers["exercises"][0]["steps"] = [1] * 1000
    deep = "[" * 200_000 + "]" * 200_000
    flood = to_dict(catalog.get("lower-trunk-rotation"))
    exercise = flood["exercises"][0]
    flood["exercises"] = [
        {**exercise, "id": f"e{n}", "steps": [1] * 40} for n in range(400)
    ]
    many_keys = {f"k{n}": 1 for n in range(24_000)}
    return {
        "16,000 wrong steps in 400 exercises": json.dumps(flood),
        "24,000 unknown keys": _document(**many_keys),
        "a million values in 2 MB": "[" + ",".join(["1"] * 1_000_000) + "]",
        "a key stated twice, 20,000 times": "{" + ",".join(['"a": 1'] * 20_000) + "}",
        "a 50 MB string": _document(name="x" * 50_000_000),
        "nesting 200,000 deep": '{"kind": "protocol", "schema_version": 1, "name": '
        + deep
        + "}",
        "1,000 wrong steps (a problem each)": json.dumps(steps_of_numbers),
        "an integer of 100,000 digits": _document().replace(
            '"sets": 1', '"sets": ' + "9" * 100_000
        ),
        "invalid JSON at the end of 1.9 MB": _document(name="x" * 1_900_000)[:-1],
        "NaN": _document().replace('"sets": 1', '"sets": NaN'),
    }


def _refuse(label: str, text: str) -> str:
    try:
        from_json(text)
    except FormatError as error:
        return str(error).splitlines()[0][:70]
    raise SystemExit(f"{label}: loaded, but should have been refused")


def main() -> None:
    """Time each bad input, then trace its memory, and print both, slowest first.

    Memory is traced in a second run of its own (tracemalloc slows the code it
    watches): the peak of what refusing allocates, the input text not counted.
    """
    results = []
    for label, text in _cases().items():
        start = time.perf_counter()
        first_line = _refuse(label, text)
        elapsed = time.perf_counter() - start
        tracemalloc.start()
        _refuse(label, text)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        results.append((elapsed, peak, label, first_line))
    print("from_json on bad input, slowest first (limits: 1 s and 100 MB each)")
    for elapsed, peak, label, first_line in sorted(results, reverse=True):
        print(
            f"  {elapsed * 1000:8.1f} ms {peak / 2**20:6.1f} MiB  {label}\n"
            f"              -> {first_line}"
        )
    worst = max(elapsed for elapsed, *_ in results)
    most = max(peak for _, peak, *_ in results) / 2**20
    print(f"slowest: {worst * 1000:.1f} ms ({'within' if worst < 1 else 'OVER'} 1 s)")
    print(f"most memory: {most:.1f} MiB ({'within' if most < 100 else 'OVER'} 100 MB)")
    row("slowest bad input refused", f"{worst * 1000:.1f} ms", "-", "-", "< 1 s")
    row("most memory refusing one", f"{most:.1f} MiB", "-", "-", "< 100 MB")


if __name__ == "__main__":
    main()
