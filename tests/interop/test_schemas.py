"""The shipped JSON Schema, as three independent validators read it.

ajv (ECMAScript, draft 2020-12, strict mode), check-jsonschema and Python's
jsonschema each judge every exported document and a set of hand-made edge
cases, and each must agree with the loader: a document is valid to the schema
exactly when ``from_dict`` loads it, except for the few checks only the loader
makes (see :mod:`mobility.formats.schema`).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys

from pathlib import Path
from typing import Any

import jsonschema
import pytest

import mobility

from mobility import Exercise, FormatError, Protocol, catalog, from_dict, to_dict
from mobility.formats.json import SCHEMA_VERSION
from mobility.formats.schema import schema_file, shipped
from mobility.model.timeline import Timeline, timeline
from mobility.progress import SessionLog

from .conftest import HERE, run_json


Document = dict[str, Any]

#: Messages of the checks a JSON Schema cannot state; documents the loader
#: refuses only for these may be valid to the schema.
LOADER_ONLY = (
    "is above high",
    "duplicate id",
    "at least one of reps_step",
    "besides {sides}",
    "needs a dose with",
    "which the protocol does not have",
    "a date and time that exists",
    "skipped session has no pain",
    "but the event before it ends",
)


#: check-jsonschema matches patterns with the regress crate, which cannot take a
#: lone surrogate: it stops with a UnicodeEncodeError instead of a verdict.
CRASHES_CHECK_JSONSCHEMA = frozenset({"name with a lone surrogate"})


def edit(document: Document, path: str, value: Any) -> Document:
    """A copy of ``document`` with the value at a dotted path replaced."""
    changed = copy.deepcopy(document)
    *parents, last = path.split(".")
    target: Any = changed
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is _DELETE:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return changed


_DELETE = object()
BASE = to_dict(catalog.get("mayo-back-exercises"))

#: Edge cases, each named; the loader's verdict is what the validators must give.
EDGES: dict[str, Document] = {
    "name of a byte order mark": edit(BASE, "name", "\ufeff"),
    "name of a file separator": edit(BASE, "name", "\x1c"),
    "name with an escape sequence": edit(BASE, "name", "Roll \x1b[2J"),
    "name of a line separator": edit(BASE, "name", "\u2028"),
    "name with a tab and a newline": edit(BASE, "name", "Knee\trolls\nand more"),
    "name with a lone surrogate": edit(BASE, "name", "Roll \ud800"),
    "name with a right-to-left override": edit(BASE, "name", "Roll \u202egnik"),
    "name with a first-strong isolate": edit(BASE, "name", "Roll \u2068x\u2069"),
    "id with a final newline": edit(BASE, "id", "mayo\n"),
    "id in capitals": edit(BASE, "id", "Mayo"),
    "version written with .0": edit(BASE, "schema_version", SCHEMA_VERSION + 0.0),
    "version written with .5": edit(BASE, "schema_version", SCHEMA_VERSION + 0.5),
    "days written 7.0": edit(BASE, "frequency.days_per_week", 7.0),
    "days written 7.5": edit(BASE, "frequency.days_per_week", 7.5),
    "unknown key": edit(BASE, "colour", "red"),
    "source kind unknown": edit(BASE, "sources.0.kind", "blog"),
    "source address ftp": edit(BASE, "sources.0.url", "ftp://example.org"),
    "source address with a newline": edit(
        BASE, "sources.0.url", "https://example.org/\n"
    ),
    "caution kind unknown": edit(BASE, "disclaimer.cautions.0.kind", "maybe"),
    "caution naming a stranger": edit(
        BASE, "disclaimer.cautions.0.exercises", ["bridge"]
    ),
    "cautions not considered": edit(BASE, "disclaimer.cautions", None),
    "cautions missing": edit(BASE, "disclaimer.cautions", _DELETE),
    "posture unknown": edit(BASE, "exercises.0.posture", "handstand"),
    "audience unknown": edit(BASE, "audience", "children"),
    "step with an unknown placeholder": edit(
        BASE, "exercises.0.steps.0.text", "Hold for {breath}."
    ),
    "range upside down": edit(BASE, "exercises.0.dose.reps", {"low": 3, "high": 2}),
}


def _log(**changes: object) -> Document:
    """A session-log document of one record, with ``changes`` to the record."""
    record = {
        "protocol_id": "lower-trunk-rotation",
        "at": "2026-03-02T08:00:00+01:00",
        "done": True,
        "pain_before": 3,
        "pain_after": 2,
        "stiffness": "same",
        "red_flags": ["Chest pain"],
        "note": "stiff in the morning",
    }
    record.update(changes)
    return {
        "kind": "session-log",
        "schema_version": SCHEMA_VERSION,
        "records": [record],
    }


#: Session logs at the edges of what the format allows.
LOGS: dict[str, Document] = {
    "log": _log(),
    "log, UTC written Z": _log(at="2026-03-02T07:00:00Z"),
    "log, microseconds": _log(at="2026-03-02T07:00:00.123456-05:00"),
    "log, only the required keys": {
        "kind": "session-log",
        "schema_version": SCHEMA_VERSION,
        "records": [{"protocol_id": "cat-cow", "at": "2026-03-02T07:00:00Z"}],
    },
    "log, a naive time": _log(at="2026-03-02T08:00:00"),
    "log, a space for the T": _log(at="2026-03-02 08:00:00+01:00"),
    "log, a lower-case t": _log(at="2026-03-02t08:00:00+01:00"),
    "log, an offset in seconds": _log(at="2026-03-02T08:00:00+03:04:18"),
    "log, a date only": _log(at="2026-03-02"),
    "log, February 30": _log(at="2026-02-30T08:00:00Z"),
    "log, pain 11": _log(pain_after=11),
    "log, pain 2.5": _log(pain_before=2.5),
    "log, stiffness in capitals": _log(stiffness="SAME"),
    "log, an empty red flag": _log(red_flags=[" "]),
    "log, an unknown key": _log(mood="fine"),
    "log, skipped with pain after": _log(done=False),
}


_TIMELINE = to_dict(timeline(catalog.get("lower-trunk-rotation")))

#: Timelines at the edges of what the format allows.
TIMELINES: dict[str, Document] = {
    "timeline": _TIMELINE,
    "timeline, a start out of step": edit(_TIMELINE, "events.2.start", 99),
    "timeline, negative seconds": edit(_TIMELINE, "events.1.seconds", -5),
    "timeline, an unknown moment": edit(_TIMELINE, "events.1.moment", "stretch"),
    "timeline, a side in capitals": edit(_TIMELINE, "events.1.side", "FIRST"),
    "timeline, set 0": edit(_TIMELINE, "events.1.set", 0),
    "timeline, an end in the middle": edit(_TIMELINE, "end", "middle"),
    "timeline, no safety text": {
        k: v for k, v in _TIMELINE.items() if k != "disclaimer"
    },
}

Kind = type[Protocol | Exercise | SessionLog | Timeline]


def documents() -> list[tuple[str, Kind, Document]]:
    """Every catalogue protocol, exercise and timeline, edge cases, session logs."""
    found: list[tuple[str, Kind, Document]] = []
    for protocol in catalog.protocols():
        found.append((protocol.id, Protocol, to_dict(protocol)))
        found.extend(
            (f"{protocol.id}/{exercise.id}", Exercise, to_dict(exercise))
            for exercise in protocol.exercises
        )
        found.append(
            (f"{protocol.id} timeline", Timeline, to_dict(timeline(protocol, "high")))
        )
    found += [(name, Protocol, document) for name, document in EDGES.items()]
    found += [(name, SessionLog, document) for name, document in LOGS.items()]
    found += [(name, Timeline, document) for name, document in TIMELINES.items()]
    return found


def loader(cls: Kind, document: Document) -> bool | None:
    """The loader's verdict: True (loads), False (refused), or None.

    None means refused only for checks the schema cannot state.
    """
    try:
        from_dict(document, cls)
    except FormatError as error:
        if all(
            any(text in problem.message for text in LOADER_ONLY)
            for problem in error.problems
        ):
            return None
        return False
    return True


@pytest.fixture(scope="module")
def verdicts(node: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each validator's verdict on each document, by name."""
    folder = tmp_path_factory.mktemp("documents")
    found: dict[str, Any] = {"ajv": {}, "check-jsonschema": {}, "jsonschema": {}}
    for cls in (Protocol, Exercise, SessionLog, Timeline):
        schema = shipped(cls)
        # The installed package's file, as readers in other languages get it.
        schema_path = Path(mobility.__file__).parent / "schemas" / schema_file(cls)
        chosen = [(n, d) for n, c, d in documents() if c is cls]
        batch = folder / f"{cls.__name__}.json"
        batch.write_text(json.dumps([d for _, d in chosen]), encoding="utf-8")
        by_ajv = run_json(
            [node, str(HERE / "validate_json.mjs"), str(schema_path), str(batch)]
        )
        found["ajv"].update(zip([n for n, _ in chosen], by_ajv, strict=True))
        paths = {}
        for index, (name, document) in enumerate(chosen):
            if name in CRASHES_CHECK_JSONSCHEMA:
                continue
            path = folder / f"{cls.__name__}-{index}.json"
            path.write_text(json.dumps(document), encoding="utf-8")
            paths[str(path)] = name
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "check_jsonschema",
                "--schemafile",
                str(schema_path),
                "-o",
                "json",
                *paths,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        failed = {e["filename"] for e in json.loads(result.stdout)["errors"]}
        for path, name in paths.items():
            found["check-jsonschema"][name] = path not in failed
        validator = jsonschema.Draft202012Validator(schema)
        for name, document in chosen:
            found["jsonschema"][name] = validator.is_valid(document)
    return found


@pytest.mark.parametrize("validator", ["ajv", "check-jsonschema", "jsonschema"])
def test_every_validator_agrees_with_the_loader(
    validator: str, verdicts: dict[str, Any]
) -> None:
    """Valid to the schema exactly when the loader loads it."""
    disagree = []
    for name, cls, document in documents():
        loads = loader(cls, document)
        valid = verdicts[validator].get(name)
        if loads is None or valid is None:
            continue  # a check only the loader makes, or no verdict (see above)
        if valid is not loads:
            disagree.append((name, "schema valid" if valid else "schema invalid"))
    assert disagree == []


def test_the_session_logs_say_what_they_test() -> None:
    """The first four load; the rest are refused, two by the loader alone."""
    loads = {name: loader(SessionLog, document) for name, document in LOGS.items()}
    assert [name for name, ok in loads.items() if ok] == list(LOGS)[:4]
    assert {name for name, ok in loads.items() if ok is None} == {
        "log, February 30",
        "log, skipped with pain after",
    }


def test_the_timelines_say_what_they_test() -> None:
    """The first loads; the rest are refused, one by the loader alone."""
    loads = {name: loader(Timeline, doc) for name, doc in TIMELINES.items()}
    assert [name for name, ok in loads.items() if ok] == ["timeline"]
    assert [name for name, ok in loads.items() if ok is None] == [
        "timeline, a start out of step"
    ]


def test_the_edges_say_what_they_test() -> None:
    """The edge cases are refused, bar the few the format allows on purpose."""
    loads = {name: loader(Protocol, document) for name, document in EDGES.items()}
    assert {name for name, ok in loads.items() if ok} == {
        "name with a tab and a newline",
        "version written with .0",
        "days written 7.0",
        "cautions not considered",
        "cautions missing",
    }
    assert {name for name, ok in loads.items() if ok is None} == {
        "caution naming a stranger",
        "range upside down",
    }
