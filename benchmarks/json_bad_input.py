"""How long does from_json take to refuse the worst inputs we know of?

Each must be refused with a FormatError, and none may take more than a second.
This times each, on its own, and prints them slowest first.

Run it with ``make bench`` or ``python benchmarks/json_bad_input.py``.
"""

from __future__ import annotations

import json
import time

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


def main() -> None:
    """Time each bad input and print the results, slowest first."""
    results = []
    for label, text in _cases().items():
        start = time.perf_counter()
        try:
            from_json(text)
        except FormatError as error:
            elapsed = time.perf_counter() - start
            results.append((elapsed, label, str(error).splitlines()[0][:70]))
        else:  # pragma: no cover - a regression this script exists to catch
            raise SystemExit(f"{label}: loaded, but should have been refused")
    print("from_json on bad input, slowest first (limit: 1 s each)")
    for elapsed, label, first_line in sorted(results, reverse=True):
        print(f"  {elapsed * 1000:8.1f} ms  {label}\n              -> {first_line}")
    worst = max(elapsed for elapsed, _, _ in results)
    print(f"slowest: {worst * 1000:.1f} ms ({'within' if worst < 1 else 'OVER'} 1 s)")


if __name__ == "__main__":
    main()
