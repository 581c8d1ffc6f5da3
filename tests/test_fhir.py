"""FHIR R4 bundles, checked against the fhir.resources models (R4B)."""

import copy
import datetime as dt
import json

from typing import Any

import attrs
import pytest

from fhir.resources.R4B.activitydefinition import ActivityDefinition
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.plandefinition import PlanDefinition
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobility import (
    FormatError,
    Protocol,
    Region,
    Schedule,
    UnsafeProtocolError,
    catalog,
)
from mobility.formats.fhir import EXERCISE_THERAPY, EXTENSION, from_fhir, to_fhir
from mobility.formats.fhir._writer import bundle_resources
from mobility.formats.text import markdown_escape, markdown_unescape
from mobility.model import replace
from mobility.research.strategies import protocols, safe_protocols
from tests.conftest import into_pain


MODELS: dict[str, Any] = {
    "PlanDefinition": PlanDefinition,
    "ActivityDefinition": ActivityDefinition,
    "CarePlan": CarePlan,
}
LUMBAR = catalog.get("lower-trunk-rotation")
THORACIC = catalog.get("thoracic-open-book")


def accepted(bundle: dict[str, Any]) -> dict[str, Any]:
    """Check a bundle as a FHIR system would; return it as read from its JSON."""
    text = json.dumps(bundle, allow_nan=False)
    Bundle.model_validate_json(text)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        MODELS[resource["resourceType"]].model_validate(resource)
        extensions_well_formed(resource, top=True)
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def extensions_well_formed(element: Any, *, top: bool = False) -> None:
    """FHIR's ext-1 (a value or parts, never both or neither), which the models skip.

    Extensions on a resource or a data type have absolute URLs; the parts of a
    complex extension have plain names.
    """
    if isinstance(element, list):
        for item in element:
            extensions_well_formed(item)
        return
    if not isinstance(element, dict):
        return
    for extension in element.get("extension", []):
        one_extension_well_formed(extension, top=top)
    for key, value in element.items():
        if key != "extension":
            extensions_well_formed(value, top=True)


def one_extension_well_formed(extension: dict[str, Any], *, top: bool) -> None:
    """One extension: a value or parts; an absolute URL unless it is a part."""
    values = [key for key in extension if key.startswith("value")]
    parts = extension.get("extension")
    assert (len(values) == 1) != bool(parts), extension
    if top:
        assert extension["url"].startswith(("https://", "http://")), extension
    for part in parts or ():
        assert "/" not in part["url"], part
        extensions_well_formed(part)
    for key in values:
        extensions_well_formed(extension[key], top=True)


def resource(bundle: dict[str, Any], kind: str) -> dict[str, Any]:
    """The first resource of a kind in a bundle."""
    found: dict[str, Any] = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind
    )
    return found


def problems(bundle: Any) -> list[str]:
    """The problems from_fhir reports, as lines."""
    with pytest.raises(FormatError) as caught:
        from_fhir(bundle)
    return [str(problem) for problem in caught.value.problems]


class TestCatalogue:
    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_accepted_and_read_back_equal(self, protocol_id: str) -> None:
        """Every entry is a valid R4 bundle that reads back equal."""
        protocol = catalog.get(protocol_id)
        bundle = accepted(to_fhir(protocol))
        assert from_fhir(bundle) == protocol

    def test_shape_of_the_lumbar_bundle(self) -> None:
        """A plan of type clinical-protocol, one action per exercise, its activity."""
        bundle = to_fhir(LUMBAR)
        assert bundle["type"] == "collection"
        plan = resource(bundle, "PlanDefinition")
        activity = resource(bundle, "ActivityDefinition")
        assert plan["type"]["coding"][0]["code"] == "clinical-protocol"
        assert plan["title"] == LUMBAR.name
        assert [a["definitionCanonical"] for a in plan["action"]] == [activity["url"]]
        assert activity["kind"] == "ServiceRequest"
        assert activity["code"]["coding"] == [EXERCISE_THERAPY]
        snomed = [
            c for c in activity["bodySite"][0]["coding"] if "snomed" in c["system"]
        ]
        assert snomed == [
            {
                "system": "http://snomed.info/sct",
                "code": "122496007",
                "display": "Lumbar spine",
            }
        ]

    def test_thoracic_body_site(self) -> None:
        """The upper back is coded as the thoracic spine."""
        activity = resource(to_fhir(THORACIC), "ActivityDefinition")
        codes = {c["code"] for c in activity["bodySite"][0]["coding"]}
        assert codes == {"thoracic", "122495006"}

    def test_timing_from_the_frequency(self) -> None:
        """Daily protocols repeat per day, others per week, with the same count."""
        plan = resource(to_fhir(LUMBAR), "PlanDefinition")
        assert plan["action"][0]["timingTiming"] == {
            "repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}
        }
        weekly = replace(
            LUMBAR,
            frequency=attrs.evolve(
                LUMBAR.frequency, days_per_week=3, sessions_per_day=2
            ),
        )
        activity = resource(to_fhir(weekly), "ActivityDefinition")
        assert activity["timingTiming"] == {
            "repeat": {"frequency": 6, "period": 1, "periodUnit": "wk"}
        }
        assert activity["dosage"][0]["timing"] == activity["timingTiming"]
        assert from_fhir(to_fhir(weekly)).frequency == weekly.frequency

    def test_dose_extension_keeps_ranges_sides_and_units(self) -> None:
        """Hold, per-side reps and sets are in the dose extension, with units."""
        activity = resource(to_fhir(LUMBAR), "ActivityDefinition")
        (dose,) = [e for e in activity["extension"] if e["url"] == EXTENSION + "dose"]
        parts = {part["url"]: part for part in dose["extension"]}
        assert parts["side"]["valueCode"] == "each"
        assert parts["reps"]["valueRange"] == {
            "low": {"value": 10},
            "high": {"value": 15},
        }
        seconds = parts["hold"]["extension"][0]["valueRange"]
        assert seconds["low"] == {
            "value": 10,
            "unit": "s",
            "system": "http://unitsofmeasure.org",
            "code": "s",
        }
        assert seconds["high"]["value"] == 15
        assert activity["dosage"][0]["text"].startswith("hold 10-15 s; 10-15 times")

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_every_safety_sentence_travels(self, protocol_id: str) -> None:
        """The plan's usage holds the notice, stop rules, care and red flags."""
        protocol = catalog.get(protocol_id)
        usage = resource(to_fhir(protocol), "PlanDefinition")["usage"]
        disclaimer = protocol.disclaimer
        assert disclaimer is not None
        assert disclaimer.text in usage
        for text in (*disclaimer.stop_rules, *disclaimer.seek_care):
            assert text in usage
        for flag in disclaimer.red_flags:
            assert flag.text in usage

    def test_a_citation_per_source(self) -> None:
        """Each protocol source is a citation; a dose's source is in its extension."""
        protocol = catalog.get("nhs-inform-back-exercises")
        plan = resource(to_fhir(protocol), "PlanDefinition")
        assert [a["display"] for a in plan.get("relatedArtifact", [])] == [
            source.citation for source in protocol.sources
        ]
        assert all(a["type"] == "citation" for a in plan.get("relatedArtifact", []))
        activity = resource(to_fhir(LUMBAR), "ActivityDefinition")
        text = json.dumps(activity)
        dose_source = LUMBAR.exercises[0].dose.source
        assert dose_source is not None
        assert json.dumps(dose_source.citation) in text

    def test_unsafe_protocol_is_not_exported(self) -> None:
        """As for every other format, an unsafe protocol raises and writes nothing."""
        unsafe = into_pain(LUMBAR)
        with pytest.raises(UnsafeProtocolError):
            to_fhir(unsafe)

    def test_region_without_a_snomed_code_keeps_its_own(self) -> None:
        """A cervical protocol carries only mobility's region code, and reads back."""
        neck = replace(LUMBAR, region=Region.CERVICAL)
        bundle = accepted(
            {
                "resourceType": "Bundle",
                "type": "collection",
                "entry": [
                    {"fullUrl": f"urn:uuid:{i}", "resource": r}
                    for i, r in enumerate(bundle_resources(neck))
                ],
            }
        )
        coding = resource(bundle, "ActivityDefinition")["bodySite"][0]["coding"]
        assert [c["code"] for c in coding] == ["cervical"]
        assert from_fhir(bundle) == neck

    def test_long_ids_give_short_fhir_ids(self) -> None:
        """FHIR ids hold 64 characters; a long protocol and exercise id still fit."""
        long_id = "a" * 60
        protocol = replace(
            LUMBAR,
            id=long_id,
            exercises=[replace(LUMBAR.exercises[0], id="b" * 60)],
        )
        bundle = accepted(to_fhir(protocol))
        ids = [entry["resource"]["id"] for entry in bundle["entry"]]
        assert all(len(i) <= 64 for i in ids)
        assert len(set(ids)) == len(ids)
        assert from_fhir(bundle) == protocol


class TestSchedule:
    SCHEDULE = Schedule(
        THORACIC, dt.date(2026, 3, 23), at=dt.time(7, 30), tz="Europe/Berlin"
    )

    def test_care_plan_with_the_schedule(self) -> None:
        """A CarePlan instantiates the plan with days, times, zone and review."""
        bundle = accepted(to_fhir(self.SCHEDULE))
        plan = resource(bundle, "PlanDefinition")
        care = resource(bundle, "CarePlan")
        assert care["instantiatesCanonical"] == [plan["url"]]
        assert care["period"] == {"start": "2026-03-23", "end": "2026-04-19"}
        detail = care["activity"][0]["detail"]
        repeat = detail["scheduledTiming"]["repeat"]
        assert repeat["timeOfDay"] == ["07:30:00"]
        assert len(repeat["dayOfWeek"]) == 7
        assert repeat["boundsPeriod"]["start"] == "2026-03-23T07:30:00+01:00"
        zone = repeat["boundsPeriod"]["_start"]["extension"][0]
        assert zone == {
            "url": "http://hl7.org/fhir/StructureDefinition/tz-code",
            "valueCode": "Europe/Berlin",
        }
        review = care["activity"][-1]["detail"]
        assert review["scheduledPeriod"]["start"] == "2026-04-06"
        disclaimer = THORACIC.disclaimer
        assert disclaimer is not None
        assert disclaimer.stop_rules[0] in care["note"][0]["text"]
        reminder = care["extension"][0]
        assert reminder["valueDuration"]["value"] == 15

    def test_the_safety_note_is_markdown_that_stays_text(self) -> None:
        """CarePlan.note is markdown: a stop rule holding HTML renders as text."""
        from markdown_it import MarkdownIt  # noqa: PLC0415

        disclaimer = attrs.evolve(
            THORACIC.disclaimer,
            stop_rules=("Stop <a href=https://evil.example>now</a> ![x](https://e.x)",),
        )
        hostile = attrs.evolve(
            self.SCHEDULE, protocol=attrs.evolve(THORACIC, disclaimer=disclaimer)
        )
        note = resource(to_fhir(hostile), "CarePlan")["note"][0]["text"]
        html = MarkdownIt("commonmark").render(note)
        assert "<a " not in html
        assert "<img" not in html
        assert "Stop &lt;a href=https://evil.example&gt;now&lt;/a&gt;" in html

    def test_subject_is_the_callers(self) -> None:
        """An app names the patient; by default the subject only says whom."""
        bundle = accepted(to_fhir(self.SCHEDULE, subject={"reference": "Patient/7"}))
        assert resource(bundle, "CarePlan")["subject"] == {"reference": "Patient/7"}
        default = resource(to_fhir(self.SCHEDULE), "CarePlan")["subject"]
        assert set(default) == {"display"}

    def test_no_alarm_no_reminder(self) -> None:
        """Without an alarm the CarePlan has no reminder extension."""
        quiet = attrs.evolve(self.SCHEDULE, alarm=None)
        assert "extension" not in resource(accepted(to_fhir(quiet)), "CarePlan")

    def test_protocol_reads_back_from_a_schedule_bundle(self) -> None:
        """from_fhir reads the protocol of a schedule's bundle."""
        assert from_fhir(accepted(to_fhir(self.SCHEDULE))) == THORACIC


class TestRoundTrip:
    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
    @given(safe_protocols())
    def test_safe_protocols(self, protocol: Protocol) -> None:
        """Any safe protocol is exported, accepted by FHIR, and read back equal."""
        assert from_fhir(accepted(to_fhir(protocol))) == protocol

    @settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
    @given(protocols())
    def test_any_protocol_resources(self, protocol: Protocol) -> None:
        """The mapping loses nothing, even for data validate would refuse."""
        bundle = {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": r} for r in bundle_resources(protocol)],
        }
        assert from_fhir(json.loads(json.dumps(bundle))) == protocol

    @pytest.mark.parametrize("cautions", [None, ()])
    def test_unconsidered_and_no_cautions_stay_apart(
        self, cautions: tuple[()] | None
    ) -> None:
        """Cautions nobody considered and cautions stated as none read back apart."""
        assert LUMBAR.disclaimer is not None
        disclaimer = attrs.evolve(LUMBAR.disclaimer, cautions=cautions)
        protocol = attrs.evolve(LUMBAR, disclaimer=disclaimer)
        bundle = {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": r} for r in bundle_resources(protocol)],
        }
        read = from_fhir(bundle)
        assert read.disclaimer is not None
        assert read.disclaimer.cautions == cautions

    @given(st.text())
    def test_markdown_escape_is_undone(self, text: str) -> None:
        """Escaping for FHIR markdown is undone exactly."""
        assert markdown_unescape(markdown_escape(text)) == text

    @pytest.mark.parametrize(
        ("text", "escaped"),
        [
            ("Keep *both* knees", r"Keep \*both\* knees"),
            ("<script>", r"\<script\>"),
            ("- a list?", r"\- a list?"),
            ("1. a list?", r"1\. a list?"),
            ("# a heading?", r"\# a heading?"),
            ("10-15 s.", "10-15 s."),
            ("a [link](x)", r"a \[link\](x)"),
        ],
    )
    def test_markdown_escape_cases(self, text: str, escaped: str) -> None:
        """Marks that would change how the text shows are escaped; others not."""
        assert markdown_escape(text) == escaped


class TestBadBundles:
    def bundle(self) -> dict[str, Any]:
        """A fresh bundle of the lumbar protocol, as read from JSON."""
        loaded: dict[str, Any] = json.loads(json.dumps(to_fhir(LUMBAR)))
        return loaded

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ([], "Bundle: expected a JSON object"),
            ({"resourceType": "Patient"}, "Bundle.resourceType: expected 'Bundle'"),
            ({"resourceType": "Bundle"}, "Bundle.entry: expected a list"),
            ({"resourceType": "Bundle", "entry": [1]}, "Bundle.entry[0].resource"),
            (
                {"resourceType": "Bundle", "entry": []},
                "Bundle.entry: expected one PlanDefinition, found 0",
            ),
        ],
    )
    def test_not_a_bundle(self, value: Any, expected: str) -> None:
        """What is not a bundle is refused at its root."""
        assert problems(value)[0].startswith(expected)

    def test_missing_title_is_named(self) -> None:
        """A plan without a title names the path of the title."""
        bundle = self.bundle()
        del bundle["entry"][0]["resource"]["title"]
        assert problems(bundle) == [
            "Bundle.entry[0].resource.title: expected a string, got nothing"
        ]

    def test_each_missing_part_is_named(self) -> None:
        """Every missing part is reported, each at its own path."""
        bundle = self.bundle()
        activity = bundle["entry"][1]["resource"]
        activity["extension"] = [
            e for e in activity["extension"] if not e["url"].endswith("/dose")
        ]
        del activity["identifier"]
        found = problems(bundle)
        assert (
            "Bundle.entry[1].resource.identifier: expected an identifier" in (found[0])
        )
        assert any("'dose' (Exercise.dose)" in line for line in found)

    def test_wrong_value_type_is_named(self) -> None:
        """A repetition count that is not a number names its FHIR path."""
        bundle = self.bundle()
        dose = next(
            e
            for e in bundle["entry"][1]["resource"]["extension"]
            if e["url"].endswith("/dose")
        )
        reps = next(p for p in dose["extension"] if p["url"] == "reps")
        reps["valueRange"]["low"]["value"] = "ten"
        (line,) = problems(bundle)
        assert line.startswith("Bundle.entry[1].resource.extension[")
        assert ".valueRange.low.value: expected a number, got 'ten'" in line

    def test_a_model_refusal_is_located(self) -> None:
        """A range the model refuses is reported at the range's path."""
        bundle = self.bundle()
        dose = next(
            e
            for e in bundle["entry"][1]["resource"]["extension"]
            if e["url"].endswith("/dose")
        )
        reps = next(p for p in dose["extension"] if p["url"] == "reps")
        reps["valueRange"]["low"]["value"] = 20
        (line,) = problems(bundle)
        assert ".valueRange: Range.high: low (20) is above high (15)" in line

    def test_an_added_field_is_refused(self) -> None:
        """What mobility does not read is refused rather than lost."""
        bundle = self.bundle()
        bundle["entry"][1]["resource"]["contraindication"] = "none"
        bundle["entry"][0]["resource"]["extension"].append(
            {"url": "https://example.org/x", "valueString": "y"}
        )
        found = problems(bundle)
        assert any("resource.contraindication: is not read" in p for p in found)
        assert any("resource.extension: expected" in p for p in found)

    def test_a_changed_timing_is_refused(self) -> None:
        """A timing that disagrees with the frequency is refused, not ignored."""
        bundle = self.bundle()
        bundle["entry"][1]["resource"]["timingTiming"]["repeat"]["frequency"] = 3
        (line,) = problems(bundle)
        assert line == (
            "Bundle.entry[1].resource.timingTiming.repeat.frequency: expected 1, got 3"
        )

    def test_texts_for_people_and_server_bookkeeping_are_let_through(self) -> None:
        """Usage, descriptions, meta and a narrative do not stop a read."""
        bundle = self.bundle()
        plan = bundle["entry"][0]["resource"]
        plan["usage"] = "edited"
        plan["meta"] = {"versionId": "2"}
        plan["text"] = {"status": "generated", "div": "<div>x</div>"}
        bundle["id"] = "from-a-server"
        assert from_fhir(bundle) == LUMBAR

    def test_another_mapping_version_is_refused(self) -> None:
        """A bundle from a later mapping says which version it is."""
        bundle = self.bundle()
        bundle["entry"][0]["resource"]["extension"][0]["valueInteger"] = 2
        (line,) = problems(bundle)
        assert "version 2 of mobility's FHIR mapping" in line

    def test_action_pointing_nowhere(self) -> None:
        """An action whose activity is not in the bundle is named."""
        bundle = self.bundle()
        del bundle["entry"][1]
        (line,) = problems(bundle)
        assert line.startswith(
            "Bundle.entry[0].resource.action[0].definitionCanonical: expected the URL"
        )

    @pytest.mark.parametrize("value", [[], ["x"], {}, {"a": 1}])
    @pytest.mark.parametrize(
        ("place", "expected"),
        [
            (
                ("entry", 0, "resource", "action", 0, "definitionCanonical"),
                "Bundle.entry[0].resource.action[0].definitionCanonical",
            ),
            (
                ("entry", 0, "resource", "url"),
                "Bundle.entry[0].resource.url: expected the resource's URL",
            ),
            (
                ("entry", 1, "resource", "bodySite", 0, "coding", 0, "code"),
                "Bundle.entry[1].resource.bodySite[0]: expected a region",
            ),
        ],
    )
    def test_a_container_where_a_string_belongs(
        self, place: tuple[str | int, ...], expected: str, value: Any
    ) -> None:
        """A list or an object in place of a URL or code is located, not a crash.

        Pinned from draws of the damage property below that raised TypeError.
        """
        bundle = self.bundle()
        container = bundle
        for key in place[:-1]:
            container = container[key]
        container[place[-1]] = value
        assert any(line.startswith(expected) for line in problems(bundle))

    def test_an_integer_too_long_to_print(self) -> None:
        """An int of 5,000 digits is named, not printed (it raised ValueError)."""
        bundle = self.bundle()
        bundle["entry"][0]["resource"]["title"] = 10**5000
        (line,) = problems(bundle)
        assert line == (
            "Bundle.entry[0].resource.title: expected a string, got a number too "
            "large to show"
        )

    @pytest.mark.parametrize("depth", [63, 985, 100_000])
    def test_deep_nesting_is_refused_without_recursion(self, depth: int) -> None:
        """A value nested thousands deep is refused (quoting it recursed)."""
        nested: Any = []
        for _ in range(depth):
            nested = [nested]
        bundle = self.bundle()
        bundle["entry"][0]["resource"]["title"] = nested
        (line,) = problems(bundle)
        assert line.startswith("Bundle.entry[0].resource.title")
        if depth > 63:
            assert "nested more than 64 levels deep" in line

    @pytest.mark.parametrize(
        ("damage", "expected"),
        [
            (
                lambda b: b["entry"][0]["resource"].update(title="x" * 2_100_000),
                "Bundle: holds more than 2097152 characters",
            ),
            (
                lambda b: b["entry"][0]["resource"].update(
                    relatedArtifact=[{"type": "citation", "citation": "x"}] * 1001
                ),
                "Bundle.entry[0].resource.relatedArtifact: holds more than 1000 items",
            ),
            (
                lambda b: b.update(padding=[[0] * 1000] * 60),
                "Bundle: holds more than 50000 values",
            ),
        ],
    )
    def test_the_json_formats_caps_hold(self, damage: Any, expected: str) -> None:
        """Text, items and values are capped as in the JSON format, before work."""
        bundle = self.bundle()
        damage(bundle)
        (line,) = problems(bundle)
        assert line.startswith(expected)

    def test_an_entry_key_mobility_does_not_read(self) -> None:
        """A transaction's request is refused, not silently dropped."""
        bundle = self.bundle()
        bundle["entry"][0]["request"] = {"method": "PUT", "url": "PlanDefinition"}
        assert problems(bundle) == [
            "Bundle.entry[0].request: is not read by mobility; it would be lost"
        ]

    def test_two_plans(self) -> None:
        """A bundle holds one protocol."""
        bundle = self.bundle()
        bundle["entry"].append(copy.deepcopy(bundle["entry"][0]))
        assert problems(bundle) == [
            "Bundle.entry: expected one PlanDefinition, found 2"
        ]

    @settings(max_examples=300)
    @given(st.data())
    def test_any_damage_is_refused_cleanly(self, data: st.DataObject) -> None:
        """Replacing any value of a bundle gives a protocol or a FormatError."""
        bundle = self.bundle()
        places = list(_places(bundle))
        container, key = data.draw(st.sampled_from(places))
        container[key] = data.draw(
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(-(2**70), 2**70),
                st.floats(),
                st.text(max_size=5),
                st.just([]),
                st.just({}),
            )
        )
        outcome = _outcome(bundle)
        assert isinstance(outcome, Protocol) or outcome.problems


def _outcome(bundle: Any) -> Protocol | FormatError:
    """What from_fhir gives: a protocol or the error it raised."""
    try:
        return from_fhir(bundle)
    except FormatError as error:
        return error


def _places(value: Any) -> Any:
    """Every (container, key) in a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield value, key
            yield from _places(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield value, index
            yield from _places(item)


def test_no_two_places_share_an_object() -> None:
    """Editing one part of a bundle changes no other part."""
    schedule = Schedule(
        catalog.get("csp-back-pain-exercises"),
        dt.date(2026, 3, 23),
        at=dt.time(8),
        tz="UTC",
    )
    seen: dict[int, str] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict | list):
            assert id(value) not in seen, (path, seen.get(id(value)))
            seen[id(value)] = path
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                walk(item, f"{path}.{key}")

    walk(to_fhir(schedule), "Bundle")
