import json
import re

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from mobility import (
    Audience,
    Dose,
    Exercise,
    FormatError,
    Hold,
    Instruction,
    InvalidModelError,
    MobilityError,
    Problem,
    Progression,
    Protocol,
    Source,
    Turn,
    catalog,
    from_dict,
    from_json,
    to_dict,
    to_json,
    validate,
)
from mobility.formats import json as json_format
from mobility.formats.json import SCHEMA_VERSION, upgrade
from mobility.model.steps import fill, to_template
from mobility.research.strategies import doses, exercises, protocols


LUMBAR = catalog.get("lower-trunk-rotation")
THORACIC = catalog.get("thoracic-open-book")


def lumbar_doc() -> dict[str, Any]:
    """A fresh, mutable document of the lumbar protocol."""
    return json.loads(to_json(LUMBAR))


def is_plain_json(value: object) -> bool:
    """Whether a value is made only of the types json.loads returns."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and is_plain_json(v) for k, v in value.items())
    if isinstance(value, list):
        return all(is_plain_json(item) for item in value)
    return value is None or type(value) in (str, int, float, bool)


class TestRoundTrip:
    @settings(max_examples=500)
    @given(protocols())
    def test_protocols(self, protocol: Protocol) -> None:
        """Any valid protocol survives JSON unchanged, byte for byte."""
        text = to_json(protocol)
        assert from_json(text) == protocol
        assert to_json(from_json(text)) == text

    @given(exercises())
    def test_exercises(self, exercise: Exercise) -> None:
        """Exercises are documents too."""
        assert from_json(to_json(exercise), Exercise) == exercise

    @given(protocols())
    def test_compact_and_bytes(self, protocol: Protocol) -> None:
        """Compact output and UTF-8 bytes load the same."""
        text = to_json(protocol, indent=None)
        assert "\n" not in text
        assert from_json(text.encode()) == protocol

    @given(protocols())
    def test_dicts_are_plain_json(self, protocol: Protocol) -> None:
        """to_dict gives builtin JSON types only, and from_dict takes them back."""
        data = to_dict(protocol)
        assert is_plain_json(data)
        assert from_dict(data) == protocol

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_catalogue(self, protocol_id: str) -> None:
        """Every catalogue protocol exports and loads, safety text included."""
        protocol = catalog.get(protocol_id)
        text = to_json(protocol)
        assert from_json(text) == protocol
        assert protocol.disclaimer is not None
        assert protocol.disclaimer.stop_rules[0] in text
        assert protocol.disclaimer.red_flags[0].text in text

    def test_ranges_sides_and_sources_are_readable(self) -> None:
        """Exact amounts are numbers; ranges are objects; sides are words."""
        dose = lumbar_doc()["exercises"][0]["dose"]
        assert dose["side"] == "each"
        assert dose["reps"] == {"low": 10, "high": 15}
        assert dose["sets"] == 1
        assert dose["hold"] == {"seconds": {"low": 10, "high": 15}, "positions": 1}
        assert dose["source"]["inferred"] is False

    def test_header_comes_first(self) -> None:
        """A reader sees what the document is before anything else."""
        assert list(lumbar_doc())[:3] == ["kind", "schema_version", "id"]
        assert lumbar_doc()["kind"] == "protocol"
        assert lumbar_doc()["schema_version"] == json_format.SCHEMA_VERSION

    def test_non_ascii_is_kept(self) -> None:
        """Text is written as itself, not as escapes."""
        assert "38 °C" in to_json(LUMBAR)

    def test_unsafe_protocols_load(self) -> None:
        """Loading does not judge safety; validate does."""
        exercise = LUMBAR.exercises[0]
        unsafe = attrs.evolve(
            LUMBAR,
            disclaimer=None,
            exercises=[
                attrs.evolve(exercise, dose=attrs.evolve(exercise.dose, hold=Hold(90)))
            ],
        )
        loaded = from_json(to_json(unsafe))
        assert loaded == unsafe
        assert {f.code for f in validate(loaded).errors} >= {
            "disclaimer-missing",
            "hold-seconds-above-maximum",
        }

    def test_only_known_kinds(self) -> None:
        """Storing or loading an unsupported class is a programming error."""
        with pytest.raises(TypeError, match="cannot store a Hold"):
            to_dict(Hold(10))  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="cannot load"):
            from_dict({}, Hold)  # type: ignore[call-overload]


def mutate(change: Callable[[dict[str, Any]], None]) -> str:
    """The lumbar document with one change applied, as text."""
    doc = lumbar_doc()
    change(doc)
    return json.dumps(doc)


def dose(doc: dict[str, Any]) -> dict[str, Any]:
    """The first exercise's dose in a document."""
    return doc["exercises"][0]["dose"]  # type: ignore[no-any-return]


DEEP = "[" * 100_000 + "]" * 100_000

BAD_INPUTS: list[tuple[str, str | bytes, str, str]] = [
    ("invalid JSON", '{"kind": "protocol",', "$", "not valid JSON (line 1, column 21)"),
    ("not UTF-8", b'{"name": "\xff"}', "$", "not UTF-8"),
    ("top-level array", "[1, 2]", "$", "expected a JSON object, got an array"),
    ("top-level string", '"protocol"', "$", 'expected a JSON object, got "protocol"'),
    (
        "unknown key",
        mutate(lambda d: d.update(nmae="x")),
        "$.nmae",
        "unknown key; did you mean 'name'?",
    ),
    (
        "unknown nested key",
        mutate(lambda d: dose(d).update(weight=5)),
        "$.exercises[0].dose.weight",
        "unknown key",
    ),
    (
        "missing key",
        mutate(lambda d: d.pop("purpose")),
        "$.purpose",
        "missing; this key is required",
    ),
    (
        "missing nested key",
        mutate(lambda d: d["exercises"][0].pop("steps")),
        "$.exercises[0].steps",
        "missing",
    ),
    (
        "string for a number",
        mutate(lambda d: dose(d)["hold"].update(seconds="ten")),
        "$.exercises[0].dose.hold.seconds",
        'expected a number or {"low": number, "high": number}, got "ten"',
    ),
    (
        "boolean for a number",
        mutate(lambda d: dose(d).update(reps=True)),
        "$.exercises[0].dose.reps",
        "got true",
    ),
    (
        "boolean for a count",
        mutate(lambda d: d["frequency"].update(days_per_week=True)),
        "$.frequency.days_per_week",
        "expected a whole number, got true",
    ),
    (
        "string for a count",
        mutate(lambda d: d["frequency"].update(days_per_week="7")),
        "$.frequency.days_per_week",
        'expected a whole number, got "7"',
    ),
    (
        "string for a boolean",
        mutate(lambda d: dose(d)["source"].update(inferred="false")),
        "$.exercises[0].dose.source.inferred",
        'expected true or false, got "false"',
    ),
    (
        "number for a string",
        mutate(lambda d: d.update(name=42)),
        "$.name",
        "expected a string, got 42",
    ),
    (
        "string for a list",
        mutate(lambda d: d["exercises"][0].update(equipment="mat")),
        "$.exercises[0].equipment",
        'expected an array, got "mat"',
    ),
    (
        "number for an object",
        mutate(lambda d: d["exercises"][0].update(dose=3)),
        "$.exercises[0].dose",
        "expected an object, got 3",
    ),
    (
        "unknown enum value",
        mutate(lambda d: dose(d).update(side="both")),
        "$.exercises[0].dose.side",
        (
            'expected one of "each", "alternating", "bilateral", "left", "right", '
            'got "both"'
        ),
    ),
    ("NaN", json.dumps(lumbar_doc()).replace('"sets": 1', '"sets": NaN'), "$", "NaN"),
    (
        "Infinity",
        json.dumps(lumbar_doc()).replace('"sets": 1', '"sets": Infinity'),
        "$",
        "Infinity",
    ),
    (
        "a float beyond any double",
        json.dumps(lumbar_doc()).replace('"sets": 1', '"sets": 1e999'),
        "$",
        "the number 1e999 is too large",
    ),
    (
        "negative number",
        mutate(lambda d: dose(d).update(rest_seconds=-3)),
        "$.exercises[0].dose.rest_seconds",
        "must not be negative, got -3",
    ),
    (
        "absurdly large number",
        mutate(lambda d: dose(d).update(reps=10**12)),
        "$.exercises[0].dose.reps",
        "must be at most 1000000",
    ),
    (
        "an integer of thousands of digits",
        json.dumps(lumbar_doc()).replace('"sets": 1', '"sets": ' + "9" * 5000),
        "$",
        "has too many digits",
    ),
    (
        "low above high",
        mutate(lambda d: dose(d).update(reps={"low": 15, "high": 10})),
        "$.exercises[0].dose.reps",
        "low (15) is above high (10)",
    ),
    (
        "duplicate exercise ids",
        mutate(lambda d: d["exercises"].append(d["exercises"][0])),
        "$.exercises[1]",
        "duplicate id 'lower-trunk-rotation'",
    ),
    (
        "bad slug",
        mutate(lambda d: d.update(id="Lower Trunk")),
        "$.id",
        "expected a slug",
    ),
    (
        "wrong kind",
        mutate(lambda d: d.update(kind="exercise")),
        "$.kind",
        'expected "protocol", got "exercise"',
    ),
    (
        "no kind",
        mutate(lambda d: d.pop("kind")),
        "$.kind",
        'missing; expected "protocol"',
    ),
    (
        "newer version",
        mutate(lambda d: d.update(schema_version=SCHEMA_VERSION + 1)),
        "$.schema_version",
        "upgrade mobility to read it",
    ),
    (
        "version zero",
        mutate(lambda d: d.update(schema_version=0)),
        "$.schema_version",
        f"expected a format version from 1 to {SCHEMA_VERSION}, got 0",
    ),
    (
        "version as a string",
        mutate(lambda d: d.update(schema_version="1")),
        "$.schema_version",
        'got "1"',
    ),
    (
        "deeply nested junk",
        '{"kind": "protocol", "schema_version": 1, "name": ' + DEEP + "}",
        "$",
        "nested too deeply",
    ),
    (
        "nested junk within the parser's depth",
        mutate(lambda d: d.update(name=json.loads("[" * 500 + "]" * 500))),
        "$.name",
        "expected a string, got an array",
    ),
    (
        "a 50 MB string",
        mutate(lambda d: d.update(name="x" * 50_000_000)),
        "$",
        "the document is too large",
    ),
    (
        "a list of a thousand and one steps",
        mutate(lambda d: d["exercises"][0].update(steps=[{"text": "x"}] * 1001)),
        "$.exercises[0].steps",
        "expected at most 1000 items, got an array of 1001",
    ),
]


class TestBadInput:
    @pytest.mark.parametrize(
        ("text", "path", "message"),
        [case[1:] for case in BAD_INPUTS],
        ids=[case[0] for case in BAD_INPUTS],
    )
    def test_says_where_and_what(
        self, text: str | bytes, path: str, message: str
    ) -> None:
        """Each bad document raises FormatError naming the path and the problem."""
        with pytest.raises(FormatError) as info:
            from_json(text)
        error = info.value
        assert isinstance(error, MobilityError)
        assert isinstance(error, ValueError)
        first = error.problems[0]
        assert first.path == path
        assert message in first.message
        assert str(error).startswith(f"{path}: ")
        # No cattrs or json internals chained onto what the user sees.
        assert error.__cause__ is None
        assert error.__context__ is None or error.__suppress_context__

    def test_every_problem_is_reported(self) -> None:
        """Several problems in one document are all listed, in document order."""

        def change(doc: dict[str, Any]) -> None:
            doc.pop("name")
            dose(doc).update(side="both", reps="ten")

        with pytest.raises(FormatError) as info:
            from_json(mutate(change))
        assert info.value.problems == (
            Problem("$.name", "missing; this key is required"),
            Problem(
                "$.exercises[0].dose.side",
                (
                    'expected one of "each", "alternating", "bilateral", "left", '
                    '"right", got "both"'
                ),
            ),
            Problem(
                "$.exercises[0].dose.reps",
                'expected a number or {"low": number, "high": number}, got "ten"',
            ),
        )
        assert str(info.value).count("\n") == 2

    def test_long_lists_of_problems_are_cut_in_the_message(self) -> None:
        """The message shows the first problems; .problems keeps them all."""
        text = mutate(lambda d: d["exercises"][0].update(steps=[1] * 50))
        with pytest.raises(FormatError) as info:
            from_json(text)
        assert len(info.value.problems) == 50
        lines = str(info.value).splitlines()
        assert len(lines) == FormatError.SHOWN + 1
        assert lines[-1] == f"... and {50 - FormatError.SHOWN} more problems"

    def test_long_values_are_shortened(self) -> None:
        """A long wrong value is quoted in part, not in full."""
        with pytest.raises(FormatError) as info:
            from_json(mutate(lambda d: dose(d).update(side="x" * 10_000)))
        assert len(str(info.value)) < 200

    def test_from_dict_checks_too(self) -> None:
        """from_dict applies the same checks to an already parsed document."""
        with pytest.raises(FormatError, match=r"\$: expected a JSON object"):
            from_dict([LUMBAR.id])


DATA = Path(__file__).parent / "data"
V1 = DATA / "v1"
#: The two source protocols as they were written before format version 3.
OLD_CATALOGUE = ("lower-trunk-rotation", "thoracic-open-book")


def v1_document(name: str) -> dict[str, Any]:
    """A document as mobility 0.1 wrote it, with literal step texts."""
    return json.loads((V1 / name).read_text(encoding="utf-8"))


def v2_document(name: str) -> dict[str, Any]:
    """A document as mobility wrote it in format version 2."""
    return json.loads((DATA / "v2" / name).read_text(encoding="utf-8"))


def v3_document(name: str) -> dict[str, Any]:
    """A document as mobility wrote it in format version 3."""
    return json.loads((DATA / "v3" / name).read_text(encoding="utf-8"))


def v4_document(name: str) -> dict[str, Any]:
    """A document as mobility wrote it in format version 4, before figures."""
    return json.loads((DATA / "v4" / name).read_text(encoding="utf-8"))


def v5_document(name: str) -> dict[str, Any]:
    """A document as mobility wrote it in format version 5, before turns."""
    return json.loads((DATA / "v5" / name).read_text(encoding="utf-8"))


def as_older(protocol: Protocol, *, figures: bool) -> Protocol:
    """A catalogue protocol as an older format held it.

    Its sides never take turns (before version 6), and it is undrawn if
    ``figures`` is false (before version 5).
    """
    return attrs.evolve(
        protocol,
        exercises=[
            attrs.evolve(
                e,
                figure=e.figure if figures else None,
                dose=attrs.evolve(e.dose, in_turn=False),
            )
            for e in protocol.exercises
        ],
    )


def exercise_content(exercise: Exercise) -> tuple[object, ...]:
    """What a person is told to do: what no format version may change."""
    dose = exercise.dose
    return (
        exercise.id,
        exercise.position,
        exercise.instructions,
        (dose.side, dose.reps, dose.sets, dose.hold, dose.rest_seconds, dose.intensity),
    )


class TestMigration:
    @pytest.mark.parametrize("protocol_id", OLD_CATALOGUE)
    def test_version_1_loads_as_version_2_did(self, protocol_id: str) -> None:
        """The catalogue as version 1 wrote it loads as version 2 wrote it."""
        old = v1_document(f"{protocol_id}.json")
        assert old["schema_version"] == 1
        assert from_dict(old) == from_dict(v2_document(f"{protocol_id}.json"))
        assert upgrade(old) == upgrade(v2_document(f"{protocol_id}.json"))

    @pytest.mark.parametrize("protocol_id", OLD_CATALOGUE)
    def test_old_documents_say_what_today_says(self, protocol_id: str) -> None:
        """Every old version tells a person to do exactly what today's does."""
        today = catalog.get(protocol_id)
        for old in (
            v1_document(f"{protocol_id}.json"),
            v2_document(f"{protocol_id}.json"),
            v3_document(f"{protocol_id}.json"),
        ):
            loaded = from_dict(old)
            assert [exercise_content(e) for e in loaded.exercises] == [
                exercise_content(e) for e in today.exercises
            ]
            assert (
                loaded.frequency.sessions_per_week == today.frequency.sessions_per_week
            )

    @pytest.mark.parametrize("protocol_id", OLD_CATALOGUE)
    def test_version_2_has_no_cautions_yet(self, protocol_id: str) -> None:
        """A version-2 document loads with its cautions unconsidered, and says so.

        The migration must not claim that the sources give no caution.
        """
        migrated = upgrade(v2_document(f"{protocol_id}.json"))
        assert migrated["schema_version"] == SCHEMA_VERSION
        assert "cautions" not in migrated["disclaimer"]
        loaded = from_dict(migrated)
        assert loaded.disclaimer is not None
        assert loaded.disclaimer.cautions is None
        assert loaded.audience is Audience.ADULTS
        assert [f.code for f in validate(loaded).errors] == ["cautions-not-considered"]

    @pytest.mark.parametrize("protocol_id", OLD_CATALOGUE)
    def test_version_3_reads_with_the_defaults(self, protocol_id: str) -> None:
        """Version 4 adds values with defaults: a version-3 document means them."""
        old = v3_document(f"{protocol_id}.json")
        assert old["schema_version"] == 3
        migrated = upgrade(old)
        assert migrated == {**old, "schema_version": SCHEMA_VERSION}
        loaded = from_dict(old)
        assert loaded == from_dict(migrated)
        for exercise in loaded.exercises:
            assert exercise.adaptations == ()
            assert exercise.dose.hold is None or exercise.dose.hold.positions == 1
        assert loaded.disclaimer is not None
        assert {flag.context for flag in loaded.disclaimer.red_flags} == {None}
        assert validate(loaded).ok

    def test_version_3_exercise_document(self) -> None:
        """Exercise documents of version 3 load as the catalogue's exercise."""
        old = v3_document("open-book.exercise.json")
        assert from_dict(old, Exercise) == attrs.evolve(
            THORACIC.exercises[0], figure=None
        )

    @pytest.mark.parametrize("protocol_id", OLD_CATALOGUE)
    def test_version_4_reads_without_figures(self, protocol_id: str) -> None:
        """Version 5 adds the figure only: a version-4 document is the same, undrawn."""
        old = v4_document(f"{protocol_id}.json")
        assert old["schema_version"] == 4
        assert upgrade(old) == {**old, "schema_version": SCHEMA_VERSION}
        loaded = from_dict(old)
        assert loaded == as_older(catalog.get(protocol_id), figures=False)
        assert from_dict(old, Protocol) == loaded

    @pytest.mark.parametrize(
        "protocol_id", ["lower-trunk-rotation", "csp-back-pain-exercises"]
    )
    def test_version_5_reads_with_one_side_first(self, protocol_id: str) -> None:
        """Version 6 adds sides that take turns: version 5 does one side first."""
        old = v5_document(f"{protocol_id}.json")
        assert old["schema_version"] == 5
        assert upgrade(old) == {**old, "schema_version": SCHEMA_VERSION}
        current = catalog.get(protocol_id)
        assert from_dict(old) == as_older(current, figures=True)
        assert any(e.dose.in_turn for e in current.exercises)

    def test_version_5_exercise_document(self) -> None:
        """An exercise document of version 5 is the catalogue's as it is."""
        old = v5_document("open-book.exercise.json")
        assert from_dict(old, Exercise) == THORACIC.exercises[0]

    def test_version_4_exercise_document(self) -> None:
        """An exercise document of version 4 is the catalogue's, without a figure."""
        old = v4_document("open-book.exercise.json")
        assert from_dict(old, Exercise) == attrs.evolve(
            THORACIC.exercises[0], figure=None
        )

    def test_version_1_exercise_document(self) -> None:
        """Exercise documents of version 1 are upgraded too."""
        old = v1_document("open-book.exercise.json")
        assert exercise_content(from_dict(old, Exercise)) == exercise_content(
            THORACIC.exercises[0]
        )
        assert from_dict(old, Exercise) == from_dict(
            v2_document("open-book.exercise.json"), Exercise
        )
        assert upgrade(old)["steps"][1]["text"] == "Hold the stretch for {hold}."

    @pytest.mark.parametrize("protocol_id", OLD_CATALOGUE)
    def test_loads_equal_their_migrated_form(self, protocol_id: str) -> None:
        """Loading a version-1 document equals loading its upgraded form."""
        old = v1_document(f"{protocol_id}.json")
        migrated = upgrade(old)
        assert migrated["schema_version"] == SCHEMA_VERSION
        assert from_dict(migrated) == from_dict(old)
        assert old["schema_version"] == 1, "upgrade must not change its argument"

    def test_braces_in_old_text_stay_braces(self) -> None:
        """A literal brace of version 1 is doubled, so it still reads as a brace."""
        old = v1_document("thoracic-open-book.json")
        old["exercises"][0]["steps"][2]["text"] = "Rest {as in step 1} for 30 seconds."
        old["exercises"][0]["steps"][2]["cue"] = "}{"
        exercise = from_dict(old).exercises[0]
        assert exercise.steps[2].text == "Rest {{as in step 1}} for {hold}."
        assert exercise.instructions[2] == Instruction(
            "Rest {as in step 1} for 30 seconds.", "}{"
        )

    @given(dose=doses, text=st.text(max_size=60))
    def test_old_text_reads_as_it_did(self, dose: Dose, text: str) -> None:
        """Whatever a version-1 step said, the migrated step reads exactly so."""
        assert fill(to_template(text, dose), dose) == text

    @pytest.mark.parametrize(
        "broken",
        [
            {"exercises": "none"},
            {"exercises": [7, {"steps": "x"}, {"steps": [3, {"text": 5}]}]},
            {"exercises": [{"dose": {"side": "sideways"}, "steps": [{"text": "{"}]}]},
        ],
    )
    def test_broken_old_documents_fail_as_documents(
        self, broken: dict[str, Any]
    ) -> None:
        """A malformed version-1 document is reported by loading, not the migration."""
        with pytest.raises(FormatError):
            from_dict({**v1_document("thoracic-open-book.json"), **broken})

    def test_newer_and_older_steps_chain(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """When the format moves on again, version 1 runs through every step."""
        today = SCHEMA_VERSION
        future = today + 1

        def rename_title(doc: dict[str, Any]) -> dict[str, Any]:
            doc = dict(doc)
            doc["name"] = doc.pop("title")
            return {**doc, "schema_version": future}

        old = v1_document("lower-trunk-rotation.json")
        old["title"] = old.pop("name")
        expected = from_dict(v1_document("lower-trunk-rotation.json"))
        monkeypatch.setattr(json_format, "SCHEMA_VERSION", future)
        monkeypatch.setitem(json_format._MIGRATIONS, today, rename_title)
        assert from_dict(old) == expected
        with pytest.raises(FormatError, match=f"reads up to {future}"):
            from_dict({**old, "schema_version": future + 1})

    def test_documents_from_before_the_ceilings_load(self) -> None:
        """Documents without ceilings or dose assumptions load, and are checked."""
        grown = attrs.evolve(
            LUMBAR,
            program_weeks=4,
            progression=Progression(every_days=7, reps_step=1),
        )
        doc = to_dict(grown)
        del doc["exercises"][0]["dose"]["assumptions"]
        del doc["progression"]["reps_ceiling"]
        del doc["progression"]["hold_ceiling_seconds"]
        loaded = from_dict(doc)
        assert loaded.exercises[0].dose.assumptions == ()
        assert loaded.progression is not None
        assert loaded.progression.reps_ceiling is None
        report = validate(loaded)
        # 16 reps from week 2; 17 x 15 s = 255 s of stretching from week 3.
        assert [(f.code, f.week) for f in report.errors] == [
            ("reps-above-maximum", 2),
            ("stretch-seconds-per-side-above-maximum", 3),
        ]


# Any Python value, as a YAML loader or a careless caller might hand to from_dict.
PYTHON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.just(5000).map(lambda digits: 10**digits)  # an int Python will not print
    | st.floats()
    | st.text(max_size=8)
    | st.binary(max_size=4)
    | st.sets(st.integers(), max_size=2),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner)
        | st.dictionaries(
            st.text(max_size=4) | st.integers() | st.none(), inner, max_size=3
        )
    ),
    max_leaves=12,
)


class TestHostileDocuments:
    def test_a_key_that_is_not_a_string(self) -> None:
        """A number as a key, which YAML loaders make, is a located problem."""
        document = {**lumbar_doc(), 7: "x"}
        document["disclaimer"] = {**document["disclaimer"], None: 1}
        with pytest.raises(FormatError) as info:
            from_dict(document)
        assert sorted(map(str, info.value.problems)) == [
            "$.disclaimer: a key must be a string, got null",
            "$: a key must be a string, got 7",
        ]

    @pytest.mark.parametrize("field", ["program_weeks", "name", "schema_version"])
    def test_a_number_of_thousands_of_digits(self, field: str) -> None:
        """An integer Python will not print is named, not printed."""
        with pytest.raises(FormatError, match="a number too large to show") as info:
            from_dict({**lumbar_doc(), field: 10**5000})
        assert info.value.problems[0].path == f"$.{field}"

    def test_a_key_stated_twice(self) -> None:
        """Parsers disagree on which of two values wins, so neither does here."""
        original = to_json(LUMBAR)
        assert '"intensity":"tightness"' in original
        text = original.replace(
            '"intensity":"tightness"', '"intensity":"pain","intensity":"tightness"'
        )
        with pytest.raises(FormatError, match='the key "intensity" appears twice'):
            from_json(text)

    def test_too_many_values(self) -> None:
        """A document of more values than any protocol needs is refused whole."""
        document = {**lumbar_doc(), "sources": [{"citation": "x"}] * 30_000}
        with pytest.raises(FormatError) as info:
            from_dict(document)
        with pytest.raises(FormatError) as parsed:
            from_json(json.dumps(document))
        assert parsed.value.problems == info.value.problems
        assert info.value.problems == (
            Problem(
                "$",
                f"the document holds more than {json_format.MAX_VALUES} values; a "
                "protocol needs far fewer",
            ),
        )

    def test_problems_are_bounded(self) -> None:
        """Thousands of wrong values keep 100 problems and count the rest."""
        # Without its figure and the dose's sources, so that 400 copies stay
        # under the cap on values.
        exercise = dict(lumbar_doc()["exercises"][0], figure=None)
        exercise["dose"] = dict(exercise["dose"], source=None, assumptions=[])
        document = {
            **lumbar_doc(),
            "exercises": [
                {**exercise, "id": f"e{n}", "steps": [1] * 40} for n in range(400)
            ],
        }
        with pytest.raises(FormatError) as info:
            from_dict(document)
        error = info.value
        assert len(error.problems) == FormatError.KEPT
        assert error.more == 400 * 40 - FormatError.KEPT
        assert str(error).endswith(
            f"... and {400 * 40 - FormatError.SHOWN} more problems"
        )

    def test_unknown_keys_get_hints_only_at_first(self) -> None:
        """Fuzzy hints are for a few typos, not for a flood of keys."""
        document = {**lumbar_doc(), **{f"nam{n:03}": 1 for n in range(200)}}
        with pytest.raises(FormatError) as info:
            from_dict(document)
        hinted = [p for p in info.value.problems if "did you mean" in p.message]
        assert len(hinted) == 10
        assert info.value.more == 100

    @given(PYTHON_VALUES)
    def test_any_python_value_is_a_format_error(self, value: object) -> None:
        """from_dict answers every Python value with FormatError, wherever it is.

        As a whole document nothing drawn here is a protocol; as the review
        point, null is one (no review), and every other value is refused.
        """
        with pytest.raises(FormatError):
            from_dict(value)
        if value is None:
            assert from_dict({**lumbar_doc(), "review": value}).review is None
        else:
            with pytest.raises(FormatError):
                from_dict({**lumbar_doc(), "review": value})


class TestTextThatCannotTravel:
    @pytest.mark.parametrize(
        ("escape", "code"),
        [("\\ud800", "U+D800"), ("\\u001b[2J", "U+001B"), ("\\r", "U+000D"),
         ("\\u0085", "U+0085")],
    )  # fmt: skip
    def test_control_characters_and_lone_surrogates(
        self, escape: str, code: str
    ) -> None:
        """Text that no UTF-8 file, terminal or calendar can carry is refused."""
        text = to_json(LUMBAR).replace('"Lower trunk rotation"', f'"Lower{escape}"', 1)
        with pytest.raises(
            FormatError, match=re.escape(f"surrogate {code} in")
        ) as info:
            from_json(text)
        assert info.value.problems[0].path == "$.name"

    @pytest.mark.parametrize("code", ["202A", "202E", "2066", "2069"])
    def test_bidirectional_controls(self, code: str) -> None:
        """U+202E and its kin, which reverse text on a page, are refused."""
        text = to_json(LUMBAR).replace(
            '"Lower trunk rotation"', f'"Lower \\u{code}noitator"', 1
        )
        with pytest.raises(FormatError, match=f"bidirectional control U\\+{code} in"):
            from_json(text)
        with pytest.raises(InvalidModelError, match="bidirectional control"):
            attrs.evolve(
                LUMBAR, name=f"Lower \\u{code}".encode().decode("unicode_escape")
            )

    def test_newlines_and_tabs_stay(self) -> None:
        """A stop rule may run over lines, and hold a tab."""
        disclaimer = attrs.evolve(
            LUMBAR.disclaimer, stop_rules=["Stop at once:\n\tif pain increases."]
        )
        protocol = attrs.evolve(LUMBAR, disclaimer=disclaimer)
        assert from_json(to_json(protocol)) == protocol

    def test_messages_escape_what_they_quote(self) -> None:
        """A hostile value or key is shown with escapes, never raw."""
        document = lumbar_doc()
        document["region"] = "\x1b]0;owned\x07"
        document["\x1b[2J"] = 1
        with pytest.raises(FormatError) as info:
            from_dict(document)
        message = str(info.value)
        assert "\x1b" not in message
        assert "\x07" not in message
        assert '"\\u001b]0;owned\\u0007"' in message
        assert '$["\\u001b[2J"]: unknown key' in message


class TestSharedObjects:
    def test_equal_sources_load_as_one_object(self) -> None:
        """A source cited many times is built once, and still equal to the original."""
        protocol = catalog.get("mayo-back-exercises")
        loaded = from_json(to_json(protocol))
        assert loaded == protocol
        assert loaded.disclaimer is not None
        flags = loaded.disclaimer.red_flags
        by_value: dict[object, set[int]] = {}
        for flag in flags:
            by_value.setdefault(flag.source, set()).add(id(flag.source))
        assert len(by_value) < len(flags)  # some source really is shared
        assert all(len(ids) == 1 for ids in by_value.values())
        again = from_json(to_json(protocol))
        assert again.disclaimer is not None
        assert again.disclaimer.red_flags[0] is flags[0]

    def test_an_exercise_figure_loads_once_wherever_it_appears(self) -> None:
        """Knee rolls are drawn alike in four protocols: one Figure object."""
        loaded = [
            from_json(to_json(catalog.get(protocol_id)))
            for protocol_id in (
                "csp-back-pain-exercises",
                "versus-arthritis-back-exercises",
            )
        ]
        figures = [p.exercise("knee-rolls").figure for p in loaded]
        assert (
            figures[0]
            == catalog.get("csp-back-pain-exercises").exercise("knee-rolls").figure
        )
        assert figures[0] is figures[1]

    def test_steps_holds_and_red_flag_lists_load_once(self) -> None:
        """What several protocols say alike loads as one object for all."""
        ids = ("csp-back-pain-exercises", "versus-arthritis-back-exercises")
        first, second = (from_json(to_json(catalog.get(i))) for i in ids)
        assert first.disclaimer is not None
        assert second.disclaimer is not None
        assert first.disclaimer.red_flags == second.disclaimer.red_flags
        assert first.disclaimer.red_flags is second.disclaimer.red_flags
        rolls = [p.exercise("knee-rolls") for p in (first, second)]
        assert rolls[0].steps == rolls[1].steps
        assert all(a is b for a, b in zip(*(r.steps for r in rolls), strict=True))
        holds = [r.dose.hold for r in rolls]
        assert holds[0] is not None
        assert holds[0] is holds[1]

    def test_a_bad_figure_is_reported_wherever_it_appears(self) -> None:
        """A joint past its range is refused at each place, even once one loaded."""
        doc = to_dict(catalog.get("csp-back-pain-exercises"))
        from_dict(doc)  # the good figures are kept now
        for exercise in doc["exercises"][:2]:
            exercise["figure"]["end"]["angles"][0]["degrees"] = 179
        with pytest.raises(FormatError) as info:
            from_dict(doc)
        paths = [problem.path for problem in info.value.problems]
        want = [f"$.exercises[{i}].figure.end.angles[0].degrees" for i in range(2)]
        assert paths == want

    def test_sharing_goes_on_once_the_cache_is_full(self) -> None:
        """The oldest kept objects make way: what loads now is still shared."""
        from mobility.formats._converter import _SHARED_MAX  # noqa: PLC0415
        from mobility.formats.json import structure  # noqa: PLC0415

        for number in range(_SHARED_MAX + 10):
            structure({"citation": f"A source of its own, {number}"}, Source)
        first = from_json(to_json(LUMBAR)).sources[0]
        assert from_json(to_json(LUMBAR)).sources[0] is first

    @pytest.mark.parametrize(
        ("first", "second"),
        [(0.0, -0.0), (1, 1.0), (30, 30.0)],
        ids=["signed-zero", "int-float", "whole-float"],
    )
    def test_equal_numbers_of_other_types_are_other_keys(
        self, first: float, second: float
    ) -> None:
        """Numbers equal in Python but written apart are looked up apart.

        The model makes these turns equal; what matters is that the cache
        does not take one for the other, as it must not take ``1`` for
        ``true``.
        """
        from mobility.formats.json import structure  # noqa: PLC0415

        turns = [structure({"joint": "left_knee_flexion", "degrees": n}, Turn)
                 for n in (first, second)]  # fmt: skip
        assert turns[0] == turns[1]
        assert turns[0] is not turns[1]

    def test_types_are_kept_apart(self) -> None:
        """`true` and `1` are different values, even where a cache sees them."""
        doc = to_dict(LUMBAR)
        doc["sources"][0]["inferred"] = 1
        with pytest.raises(FormatError, match=r"\$\.sources\[0\]\.inferred"):
            from_dict(doc)
        doc["sources"][0]["inferred"] = True
        assert from_dict(doc).sources[0].inferred is True

    def test_other_mappings_are_built_not_looked_up(self) -> None:
        """A dict subclass is not a key the cache can hold; it still loads."""
        doc = to_dict(LUMBAR)
        doc["sources"] = [OrderedDict(source) for source in doc["sources"]]
        assert from_dict(doc) == LUMBAR

    def test_a_bad_source_is_reported_every_time(self) -> None:
        """Only loaded objects are kept: a bad one is refused wherever it appears."""
        doc = to_dict(LUMBAR)
        for source in doc["sources"]:
            source["kind"] = "blog"
        with pytest.raises(FormatError) as info:
            from_dict(doc)
        paths = [problem.path for problem in info.value.problems]
        assert paths == [f"$.sources[{i}].kind" for i in range(len(doc["sources"]))]

    def test_long_texts_are_not_kept(self) -> None:
        """Hostile input cannot grow what is kept: long texts are built anew."""
        from mobility.formats._converter import _SHARED_BYTES  # noqa: PLC0415

        doc = to_dict(LUMBAR)
        doc["sources"][0]["note"] = "x" * _SHARED_BYTES
        first = from_dict(doc).sources[0]
        assert from_dict(doc).sources[0] is not first
        assert from_dict(doc).sources[0] == first
        assert from_dict(doc).sources[1] is from_dict(doc).sources[1]

    def test_threads_loading_at_once_agree(self) -> None:
        """Loads in several threads give equal protocols and keep a true count."""
        from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

        from mobility.formats._converter import _KEPT, forget_shared  # noqa: PLC0415

        texts = [to_json(p) for p in catalog.protocols()] * 4
        forget_shared()
        with ThreadPoolExecutor(max_workers=8) as pool:
            loaded = list(pool.map(from_json, texts))
        assert loaded == list(catalog.protocols()) * 4
        for kept in _KEPT:
            assert kept.size == sum(len(key) for key in kept.objects)

    def test_what_is_kept_stays_within_its_budget(self) -> None:
        """Many long values, each under the cap, keep at most the budget's bytes."""
        from mobility.formats._converter import _KEPT, _SHARED_BUDGET  # noqa: PLC0415
        from mobility.formats.json import structure  # noqa: PLC0415

        for number in range(_SHARED_BUDGET // 10_000 + 20):
            structure({"citation": f"{number} " + "x" * 10_000}, Source)
        sizes = [kept.size for kept in _KEPT]
        assert max(sizes) <= _SHARED_BUDGET
        assert max(sizes) > _SHARED_BUDGET - 20_000  # it filled up to the budget
        for kept in _KEPT:
            assert kept.size == sum(len(key) for key in kept.objects)
