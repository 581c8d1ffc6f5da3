import json

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

import mobility

from mobility import (
    Exercise,
    FormatError,
    Protocol,
    catalog,
    from_dict,
    json_schema,
    to_dict,
)
from mobility.formats.json import SCHEMA_VERSION
from mobility.formats.schema import schema_file, shipped
from mobility.research.strategies import exercises, protocols

from .test_model import INVISIBLE_TEXTS


THORACIC = catalog.get("thoracic-open-book")


PROTOCOL_SCHEMA = jsonschema.Draft202012Validator(json_schema(Protocol))
EXERCISE_SCHEMA = jsonschema.Draft202012Validator(json_schema(Exercise))

# Rules a JSON Schema cannot state, which only the loader enforces.
LOADER_ONLY = (
    "is above high",
    "duplicate id",
    "at least one of reps_step",
    "needs a dose with",
    "besides {sides}",
    "which the protocol does not have",
)


class TestTheSchema:
    @pytest.mark.parametrize("cls", [Protocol, Exercise])
    def test_is_a_valid_draft_2020_12_schema(self, cls: type) -> None:
        """The schema itself passes the metaschema."""
        schema = json_schema(cls)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].startswith("urn:mobility:schema:")

    @pytest.mark.parametrize("cls", [Protocol, Exercise])
    def test_shipped_file_matches(self, cls: type) -> None:
        """The file in the package is the generated schema (run `make schemas`)."""
        assert shipped(cls) == json_schema(cls), f"regenerate {schema_file(cls)}"

    def test_returns_a_copy(self) -> None:
        """Changing the returned dict does not change the next one."""
        json_schema()["properties"].clear()
        assert json_schema()["properties"]

    def test_constraints_come_from_the_model(self) -> None:
        """The schema states the model's own bounds, defaults and closed sets."""
        defs = json_schema()["$defs"]
        frequency = defs["Frequency"]["properties"]
        assert frequency["days_per_week"] == {
            "type": "integer",
            "minimum": 1,
            "maximum": 7,
        }
        assert frequency["sessions_per_day"]["default"] == 1
        sides = ["each", "alternating", "bilateral", "left", "right"]
        assert defs["Side"]["enum"] == sides
        assert defs["Dose"]["required"] == ["side", "reps"]
        reps_number = defs["Dose"]["properties"]["reps"]["anyOf"][0]
        assert reps_number == {"type": "integer", "minimum": 1, "maximum": 1_000_000}

    def test_rejects_the_usual_mistakes(self) -> None:
        """Extra keys, wrong types and missing keys fail the schema and the loader."""
        doc = to_dict(catalog.get("lower-trunk-rotation"))
        for broken in (
            {**doc, "extra": 1},
            {**doc, "name": 5},
            {key: value for key, value in doc.items() if key != "exercises"},
            {**doc, "frequency": {"days_per_week": 8}},
            {**doc, "region": "neck"},
        ):
            assert not PROTOCOL_SCHEMA.is_valid(broken)
            with pytest.raises(FormatError):
                from_dict(broken)


class TestAgreement:
    @settings(max_examples=300)
    @given(protocols())
    def test_everything_written_is_valid(self, protocol: Protocol) -> None:
        """Every document to_json writes validates against the schema."""
        PROTOCOL_SCHEMA.validate(to_dict(protocol))

    @given(exercises())
    def test_every_exercise_written_is_valid(self, exercise: Exercise) -> None:
        """The same holds for exercise documents."""
        EXERCISE_SCHEMA.validate(to_dict(exercise))

    @settings(max_examples=500)
    @given(protocols(), st.data())
    def test_a_mutation_the_schema_refuses_is_refused(
        self, protocol: Protocol, data: st.DataObject
    ) -> None:
        """Break a document at random: schema and loader agree on it."""
        doc = json.loads(json.dumps(to_dict(protocol)))
        mutated = mutate(doc, data)
        version = mutated.get("schema_version")
        if type(version) in (int, float) and version in range(1, SCHEMA_VERSION):
            return  # an older version's document: its own schema applies
        schema_ok = PROTOCOL_SCHEMA.is_valid(mutated)
        try:
            from_dict(mutated)
        except FormatError as error:
            loader_ok = False
            loader_only = all(
                any(rule in problem.message for rule in LOADER_ONLY)
                for problem in error.problems
            )
        else:
            loader_ok = True
            loader_only = False
        if not schema_ok:
            assert not loader_ok, "the schema refused what the loader accepted"
        elif not loader_ok:
            assert loader_only, "the loader refused what the schema accepts"

    def test_a_caution_naming_a_missing_exercise_is_the_loaders_to_refuse(
        self,
    ) -> None:
        """A reference between two parts of a document is beyond a JSON Schema.

        The property test above drew this once the catalogue's text changed
        (hypothesis takes some values from the literals of the code it tests):
        the schema accepts a caution naming an exercise the protocol lacks, and
        the loader refuses it, naming both.
        """
        doc = to_dict(catalog.get("mayo-back-exercises"))
        doc["disclaimer"]["cautions"][0]["exercises"] = ["x"]
        assert PROTOCOL_SCHEMA.is_valid(doc)
        with pytest.raises(FormatError, match="which the protocol does not have"):
            from_dict(doc)


class TestVisibleText:
    @pytest.mark.parametrize("text", INVISIBLE_TEXTS)
    def test_schema_and_loader_refuse_invisible_text(self, text: str) -> None:
        """A name or stop rule a reader cannot see fails both, wherever it is."""
        doc = to_dict(catalog.get("lower-trunk-rotation"))
        for broken in (
            {**doc, "name": text},
            {**doc, "disclaimer": {**doc["disclaimer"], "stop_rules": [text]}},
        ):
            assert not PROTOCOL_SCHEMA.is_valid(broken)
            with pytest.raises(FormatError, match="expected text with a visible"):
                from_dict(broken)

    @given(st.text(max_size=6))
    def test_schema_and_loader_agree_on_any_name(self, name: str) -> None:
        """For any string, the schema accepts a name exactly when the loader does."""
        doc = {**to_dict(catalog.get("thoracic-open-book")), "name": name}
        try:
            from_dict(doc)
        except FormatError:
            loader_ok = False
        else:
            loader_ok = True
        assert PROTOCOL_SCHEMA.is_valid(doc) is loader_ok

    def test_shipped_pattern_is_ascii(self) -> None:
        """The shipped file shows invisible characters as escapes, not as nothing."""
        folder = Path(mobility.__file__).parent / "schemas"
        for path in folder.glob("*.json"):
            assert path.read_text(encoding="utf-8").isascii(), path


#: Step texts built from what a template is made of, broken ones included.
TEMPLATE_PIECES = st.sampled_from(
    ["Hold", " ", "{", "}", "{{", "}}", "{hold}", "{reps}", "{sides}", "{times}",
     "{rest}", "{sets}", "{bogus}", "{hold:>3}", "{hold!r}", "{}", "{0}", "30 s",
     "\u200b", "\n"]
)  # fmt: skip


class TestStepTemplates:
    @given(st.lists(TEMPLATE_PIECES, min_size=1, max_size=6).map("".join))
    def test_schema_and_loader_agree_on_any_step(self, text: str) -> None:
        """For any step text, the schema accepts it exactly when the loader does.

        The exceptions are the loader's own checks: a placeholder the dose
        cannot fill ({rest} without a rest), and a step of nothing but {sides}.
        """
        doc = to_dict(catalog.get("thoracic-open-book"))
        doc["exercises"][0]["steps"][0] = {"text": text, "cue": text}
        try:
            from_dict(doc)
        except FormatError as error:
            loader_ok = False
            loader_only = all(
                "besides {sides}" in p.message or "needs a dose with" in p.message
                for p in error.problems
            )
        else:
            loader_ok, loader_only = True, False
        assert PROTOCOL_SCHEMA.is_valid(doc) is (loader_ok or loader_only)

    @pytest.mark.parametrize("version", [1, 2, 3])
    @pytest.mark.parametrize("cls", [Protocol, Exercise])
    def test_older_files_stay_shipped(self, cls: type, version: int) -> None:
        """Older schemas still ship, and documents of their version meet them."""
        folder = Path(mobility.__file__).parent / "schemas"
        kind = "protocol" if cls is Protocol else "exercise"
        old = json.loads(
            (folder / f"{kind}.v{version}.json").read_text(encoding="utf-8")
        )
        assert old["properties"]["schema_version"] == {"const": version}
        data = Path(__file__).parent / "data" / f"v{version}"
        name = (
            "thoracic-open-book.json" if cls is Protocol else "open-book.exercise.json"
        )
        document = json.loads((data / name).read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(old).validate(document)
        assert not jsonschema.Draft202012Validator(old).is_valid(to_dict(THORACIC))


JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
    st.just([]),
    st.just({}),
    st.just(["x"]),
    st.just({"low": 1, "high": 2}),
)


def places(value: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) in a JSON value, to pick one to change."""
    found: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((value, key))
            found.extend(places(item))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.append((value, index))
            found.extend(places(item))
    return found


def mutate(doc: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """Delete a key, add an unknown key, or replace a value somewhere in doc."""
    container, key = data.draw(st.sampled_from(places(doc)))
    action = data.draw(st.sampled_from(["delete", "add", "replace"]))
    if action == "delete" and isinstance(container, dict):
        del container[key]
    elif action == "add" and isinstance(container, dict):
        container[data.draw(st.sampled_from(["extra", "Name", "notes"]))] = 1
    else:
        container[key] = data.draw(JSON_VALUES)
    return doc
