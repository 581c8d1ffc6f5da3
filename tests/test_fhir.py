"""FHIR R4 bundles, checked against the fhir.resources models (R4B)."""

import base64
import copy
import datetime as dt
import hashlib
import json
import re
import urllib.parse

from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import attrs
import pytest

from fhir.resources.R4B.activitydefinition import ActivityDefinition
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.communicationrequest import CommunicationRequest
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.plandefinition import PlanDefinition
from fhir.resources.R4B.structuredefinition import StructureDefinition
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobility import (
    FormatError,
    InvalidModelError,
    Protocol,
    Region,
    Schedule,
    UnsafeProtocolError,
    catalog,
)
from mobility.formats import fhir as fhir_package
from mobility.formats._figures import alternative, exercise_drawing
from mobility.formats.fhir import (
    BASE,
    EXERCISE_THERAPY,
    EXTENSION,
    FORMAT_VERSION,
    definitions,
    from_fhir,
    to_fhir,
)
from mobility.formats.fhir._writer import bundle_resources
from mobility.formats.text import markdown_escape, markdown_unescape
from mobility.model import replace
from mobility.progress._fhir import structure_definitions, write_definitions
from mobility.research.strategies import protocols, safe_protocols
from tests.conftest import into_pain
from tests.fhir_conformance import nonconforming


MODELS: dict[str, Any] = {
    "PlanDefinition": PlanDefinition,
    "ActivityDefinition": ActivityDefinition,
    "CarePlan": CarePlan,
    "Observation": Observation,
    "CommunicationRequest": CommunicationRequest,
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
        narrative_shown(resource)
        assert nonconforming(resource, SHIPPED) == []
        if resource["resourceType"] in CANONICAL:
            assert COMPUTABLE_NAME.fullmatch(resource["name"]), resource["name"]
            assert resource["version"].startswith(f"{FORMAT_VERSION}.")
            assert resource["publisher"] == "mobility"
            assert resource["status"] == "active"
            dt.date.fromisoformat(resource["date"])
            kind = resource["resourceType"]
            assert resource["url"].endswith(f"/{kind}/{resource['id']}")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


CANONICAL = frozenset({"PlanDefinition", "ActivityDefinition"})
SHIPPED = definitions()
# FHIR's pattern for a computable name (invariant cnl-0).
COMPUTABLE_NAME = re.compile(r"[A-Z][A-Za-z0-9_]{0,254}")
XHTML = "{http://www.w3.org/1999/xhtml}"


def narrative_shown(resource: dict[str, Any]) -> ET.Element:
    """A generated narrative: one XHTML div with text, and only plain markup."""
    assert resource["text"]["status"] == "generated"
    div = ET.fromstring(resource["text"]["div"])  # noqa: S314 - our own output
    assert div.tag == f"{XHTML}div"
    assert "".join(div.itertext()).strip()
    allowed = {"div", "h2", "h3", "p", "b", "ul", "ol", "li"}
    for element in div.iter():
        assert element.tag.removeprefix(XHTML) in allowed, element.tag
        assert not (set(element.attrib) - {"xmlns"}), element.attrib
    return div


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


def _leaves(value: Any, key: str = "") -> Any:
    """Every string in a JSON document, with the key it is under."""
    if isinstance(value, dict):
        for inner, item in value.items():
            yield from _leaves(item, inner)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, key)
    elif isinstance(value, str):
        yield key, value


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """Every resource of a kind in a bundle."""
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind
    ]


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
        pinned = f"{activity['url']}|{activity['version']}"
        assert [a["definitionCanonical"] for a in plan["action"]] == [pinned]
        assert activity["url"] == (
            f"{BASE}/ActivityDefinition/lower-trunk-rotation.lower-trunk-rotation"
        )
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


class TestFigures:
    """Each exercise's figure, attached to its ActivityDefinition."""

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_each_activity_carries_its_figure(self, protocol_id: str) -> None:
        """An SVG attachment, its size and SHA-1 right, titled with its words."""
        protocol = catalog.get(protocol_id)
        bundle = accepted(to_fhir(protocol))
        activities = resources(bundle, "ActivityDefinition")
        for exercise, activity in zip(protocol.exercises, activities, strict=True):
            (figure,) = [
                a for a in activity["relatedArtifact"] if a["type"] == "documentation"
            ]
            document = figure["document"]
            svg = base64.b64decode(document["data"], validate=True)
            drawn = exercise_drawing(exercise)
            assert svg == drawn.encode("utf-8")
            assert document["contentType"] == "image/svg+xml"
            assert document["size"] == len(svg)
            sha1 = hashlib.sha1(svg).digest()  # noqa: S324 - Attachment.hash is SHA-1
            assert base64.b64decode(document["hash"]) == sha1
            assert document["title"] == alternative(exercise)
            assert figure["display"] == f"Figure: {exercise.name}"
            # The source stays the first artifact, and reads back as the source.
            assert activity["relatedArtifact"][0]["type"] == "citation"

    def test_a_changed_figure_is_refused_not_lost(self) -> None:
        """The figure is compared like everything else a reader does not read."""
        bundle = to_fhir(LUMBAR)
        activity = resource(bundle, "ActivityDefinition")
        (figure,) = [
            a for a in activity["relatedArtifact"] if a["type"] == "documentation"
        ]
        figure["document"]["data"] = base64.b64encode(b"<svg/>").decode()
        assert any("relatedArtifact" in line for line in problems(bundle))

    def test_an_exercise_without_a_figure_has_no_attachment(self) -> None:
        """Only an exercise with a figure is drawn; one without reads back equal."""
        (exercise,) = LUMBAR.exercises
        own = replace(LUMBAR, exercises=[replace(exercise, figure=None)])
        bundle = accepted(to_fhir(own))
        activity = resource(bundle, "ActivityDefinition")
        assert [a["type"] for a in activity["relatedArtifact"]] == ["citation"]
        assert from_fhir(bundle) == own


class TestSchedule:
    SCHEDULE = Schedule(
        THORACIC, dt.date(2026, 3, 23), at=dt.time(7, 30), tz="Europe/Berlin"
    )

    def test_care_plan_with_the_schedule(self) -> None:
        """A CarePlan instantiates the plan with days, times, zone and review."""
        bundle = accepted(to_fhir(self.SCHEDULE))
        plan = resource(bundle, "PlanDefinition")
        care = resource(bundle, "CarePlan")
        assert care["instantiatesCanonical"] == [f"{plan['url']}|{plan['version']}"]
        assert care["period"] == {"start": "2026-03-23", "end": "2026-04-19"}
        detail = care["activity"][0]["detail"]
        repeat = detail["scheduledTiming"]["repeat"]
        assert repeat["timeOfDay"] == ["07:30:00"]
        assert repeat["dayOfWeek"] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
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
        """An app names the patient; by default a contained Patient stands in."""
        bundle = accepted(to_fhir(self.SCHEDULE, subject={"reference": "Patient/7"}))
        care = resource(bundle, "CarePlan")
        assert care["subject"] == {"reference": "Patient/7"}
        assert "contained" not in care
        default = resource(accepted(to_fhir(self.SCHEDULE)), "CarePlan")
        assert default["subject"]["reference"] == "#person"
        assert default["contained"] == [{"resourceType": "Patient", "id": "person"}]
        assert list(default)[:4] == ["resourceType", "id", "text", "contained"]

    def test_no_alarm_no_reminder(self) -> None:
        """Without an alarm the CarePlan has no reminder extension."""
        quiet = attrs.evolve(self.SCHEDULE, alarm=None)
        assert "extension" not in resource(accepted(to_fhir(quiet)), "CarePlan")

    def test_protocol_reads_back_from_a_schedule_bundle(self) -> None:
        """from_fhir reads the protocol of a schedule's bundle."""
        assert from_fhir(accepted(to_fhir(self.SCHEDULE))) == THORACIC


class TestServerReady:
    """What a FHIR server or an EHR integrator checks beyond the models."""

    SCHEDULE = TestSchedule.SCHEDULE

    def test_the_narrative_is_the_handouts_text(self) -> None:
        """The plan's narrative has the title, every step and every stop rule."""
        plan = resource(to_fhir(LUMBAR), "PlanDefinition")
        text = " ".join(narrative_shown(plan).itertext())
        assert LUMBAR.name in text
        for step in LUMBAR.exercises[0].instructions:
            assert str(step) in text
        assert LUMBAR.disclaimer is not None
        for rule in LUMBAR.disclaimer.stop_rules:
            assert rule in text

    def test_an_activity_alone_carries_the_safety_text(self) -> None:
        """An app that applies only the ActivityDefinition still shows the stop rule."""
        assert THORACIC.disclaimer is not None
        for activity in resources(to_fhir(THORACIC), "ActivityDefinition"):
            shown = " ".join(narrative_shown(activity).itertext())
            for rule in THORACIC.disclaimer.stop_rules:
                assert rule in activity["usage"]
                assert rule in shown

    def test_markup_in_the_text_stays_text(self) -> None:
        """A name or stop rule holding markup is escaped, never markup."""
        assert LUMBAR.disclaimer is not None
        disclaimer = attrs.evolve(
            LUMBAR.disclaimer, stop_rules=("Stop <script>alert(1)</script> & rest",)
        )
        hostile = attrs.evolve(
            LUMBAR, name="<b onclick=x>Rotation</b>", disclaimer=disclaimer
        )
        bundle = accepted(to_fhir(hostile))
        plan = resource(bundle, "PlanDefinition")
        div = narrative_shown(plan)
        assert "Stop <script>alert(1)</script> & rest" in "".join(div.itertext())
        assert "<script>" not in plan["text"]["div"]
        assert "&lt;b onclick=x&gt;" in plan["text"]["div"]

    def test_characters_xml_cannot_hold_are_replaced(self) -> None:
        """U+FFFE and U+FFFF, which the model allows, become U+FFFD in the narrative."""
        odd = attrs.evolve(LUMBAR, name="Lower \ufffe trunk \uffff rotation")
        plan = resource(accepted(to_fhir(odd)), "PlanDefinition")
        assert "Lower \ufffd trunk \ufffd rotation" in plan["text"]["div"]
        assert plan["title"] == odd.name  # the data keeps what was given
        assert from_fhir(to_fhir(odd)) == odd

    @pytest.mark.parametrize(
        ("slug", "name"),
        [
            ("lower-trunk-rotation", "LowerTrunkRotation"),
            ("cat-cow", "CatCow"),
            ("90-90-hip-switch", "N9090HipSwitch"),
            ("x", "X"),
        ],
    )
    def test_computable_names(self, slug: str, name: str) -> None:
        """A name from the id: words capitalised and joined; never a leading digit."""
        protocol = attrs.evolve(LUMBAR, id=slug)
        assert resource(accepted(to_fhir(protocol)), "PlanDefinition")["name"] == name

    def test_the_version_follows_the_content(self) -> None:
        """The same protocol, the same version; any change, a new one."""
        first = resource(to_fhir(LUMBAR), "PlanDefinition")["version"]
        again = resource(to_fhir(copy.deepcopy(LUMBAR)), "PlanDefinition")["version"]
        changed = attrs.evolve(LUMBAR, purpose=LUMBAR.purpose + " Gently.")
        other = resource(to_fhir(changed), "PlanDefinition")["version"]
        assert first == again
        assert other != first
        assert re.fullmatch(rf"{FORMAT_VERSION}\.[0-9a-f]{{12}}", first)

    def test_a_changed_version_is_refused(self) -> None:
        """A version that does not match the content read is named."""
        bundle = json.loads(json.dumps(to_fhir(LUMBAR)))
        bundle["entry"][1]["resource"]["version"] = "2.000000000000"
        (line,) = problems(bundle)
        assert line.startswith("Bundle.entry[1].resource.version: expected '2.")

    def test_the_date_is_the_callers_and_not_read(self) -> None:
        """``date`` pins the date; a bundle from another day reads back the same."""
        day = dt.date(2026, 3, 1)
        bundle = to_fhir(LUMBAR, date=day)
        for kind in CANONICAL:
            assert resource(bundle, kind)["date"] == "2026-03-01"
        today = resource(to_fhir(LUMBAR), "PlanDefinition")["date"]
        assert today == dt.datetime.now(dt.UTC).date().isoformat()
        assert from_fhir(bundle) == LUMBAR

    def test_a_base_of_ones_own(self) -> None:
        """Every canonical URL, and every reference to one, uses the base given."""
        base = "https://fhir.example.org/r4"
        bundle = accepted(to_fhir(self.SCHEDULE, base=base))
        plan = resource(bundle, "PlanDefinition")
        assert plan["url"] == f"{base}/PlanDefinition/{THORACIC.id}"
        for activity in resources(bundle, "ActivityDefinition"):
            assert activity["url"] == f"{base}/ActivityDefinition/{activity['id']}"
        care = resource(bundle, "CarePlan")
        for canonical in [
            *care["instantiatesCanonical"],
            *(a["definitionCanonical"] for a in plan["action"]),
            *(
                c
                for a in care["activity"]
                for c in a["detail"].get("instantiatesCanonical", [])
            ),
        ]:
            assert canonical.startswith(f"{base}/"), canonical
        assert from_fhir(bundle) == THORACIC
        # Mobility's own definitions keep their URLs, whatever the base.
        assert plan["extension"][0]["url"] == f"{EXTENSION}format-version"

    @pytest.mark.parametrize(
        "base",
        [
            "",
            "ftp://example.org/fhir",
            "https://example.org/fhir/",
            "https://example.org/fhir?x=1",
            "https://example.org/fhir#top",
            "https://example.org/my fhir",
            "https://example.org/a|b",
            "example.org/fhir",
            3,
        ],
    )
    def test_a_base_fhir_cannot_use_is_refused(self, base: Any) -> None:
        """The error names the base and what it must be."""
        with pytest.raises(
            InvalidModelError, match=r"^base: expected an absolute"
        ) as e:
            to_fhir(LUMBAR, base=base)
        assert e.value.field == "base"

    def test_a_bundle_with_a_broken_base_is_refused(self) -> None:
        """A plan URL that is not ``{base}/PlanDefinition/{id}`` is named."""
        bundle = json.loads(json.dumps(to_fhir(LUMBAR)))
        bundle["entry"][0]["resource"]["url"] = "urn:x:PlanDefinition/1"
        (line,) = problems(bundle)
        assert line.startswith(
            "Bundle.entry[0].resource.url: expected a canonical URL of the form"
        )

    @pytest.mark.parametrize(
        "subject",
        [
            {"reference": "Patient/123"},
            {"reference": "https://ehr.example.org/fhir/Patient/a-1"},
            {"reference": "Patient/1", "display": "Ana"},
        ],
    )
    def test_subjects_fhir_takes(self, subject: dict[str, str]) -> None:
        """A reference by type and id, or by URL, with a display text or not."""
        care = resource(accepted(to_fhir(self.SCHEDULE, subject=subject)), "CarePlan")
        assert care["subject"] == subject

    @pytest.mark.parametrize(
        "subject",
        [
            {},
            {"reference": "Patient 1"},
            {"display": "Ana"},  # fails ref-1 as HL7's validator reads it
            {"reference": "patient/1"},
            {"reference": 3},
            {"display": "  "},
            {"reference": "Patient/1", "extra": 1},
            "Patient/1",
        ],
    )
    def test_subjects_fhir_refuses(self, subject: Any) -> None:
        """Anything else is refused before a bundle is written, with what it got."""
        with pytest.raises(InvalidModelError, match=r"^subject: expected a FHIR"):
            to_fhir(self.SCHEDULE, subject=subject)

    def test_two_patients_plans_are_two_resources(self) -> None:
        """The same schedule for two people: two ids, two conditional creates."""
        first, second = (
            resource(
                to_fhir(self.SCHEDULE, subject={"reference": f"Patient/{n}"}),
                "CarePlan",
            )
            for n in (1, 2)
        )
        assert first["id"] != second["id"]
        assert first["identifier"] != second["identifier"]

    def test_the_care_plan_is_categorised_and_identified(self) -> None:
        """Physical Activity IG's category; an identifier a server can match on."""
        care = resource(to_fhir(self.SCHEDULE), "CarePlan")
        (category,) = care["category"]
        assert category["coding"][0]["code"] == "PhysicalActivity"
        (identifier,) = care["identifier"]
        assert identifier["value"] == care["id"]
        narrative_shown(care)

    def test_a_transaction_creates_each_resource_once(self) -> None:
        """Each entry is a conditional create on its canonical URL and version."""
        bundle = accepted(to_fhir(self.SCHEDULE, bundle_type="transaction"))
        assert bundle["type"] == "transaction"
        for entry in bundle["entry"]:
            found = entry["resource"]
            request = entry["request"]
            assert request["method"] == "POST"
            assert request["url"] == found["resourceType"]
            query = urllib.parse.parse_qs(request["ifNoneExist"], strict_parsing=True)
            if "url" in found:
                assert query == {"url": [found["url"]], "version": [found["version"]]}
            else:
                (identifier,) = found["identifier"]
                system, value = identifier["system"], identifier["value"]
                assert query == {"identifier": [f"{system}|{value}"]}
        assert from_fhir(bundle) == THORACIC

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    @pytest.mark.parametrize("subject", [None, {"reference": "Patient/42"}])
    def test_every_reference_in_a_transaction_resolves_inside_it(
        self, protocol_id: str, subject: dict[str, str] | None
    ) -> None:
        """Every canonical and every local reference resolves in the bundle.

        Each canonical names a resource of the bundle, at its version; a local
        reference names a contained resource. Only the caller's patient is outside.
        """
        protocol = catalog.get(protocol_id)
        times = [dt.time(8 + 4 * n) for n in range(protocol.frequency.sessions_per_day)]
        schedule = Schedule(protocol, dt.date(2026, 3, 2), at=times, tz="UTC")
        bundle = to_fhir(schedule, bundle_type="transaction", subject=subject)
        held = {
            f"{e['resource']['url']}|{e['resource']['version']}"
            for e in bundle["entry"]
            if "url" in e["resource"]
        }
        canonicals: list[str] = []
        references: list[tuple[dict[str, Any], str]] = []
        for entry in bundle["entry"]:
            found = entry["resource"]
            for key, value in _leaves(found):
                if key in {"definitionCanonical", "instantiatesCanonical"}:
                    canonicals.append(value)
                elif key == "reference":
                    references.append((found, value))
        assert len(canonicals) == 2 * len(protocol.exercises) + 1
        assert set(canonicals) <= held
        for found, reference in references:
            if reference.startswith("#"):
                contained = {c["id"] for c in found.get("contained", [])}
                assert reference[1:] in contained
            else:
                assert subject is not None
                assert reference == subject["reference"]

    def test_a_transaction_without_or_with_a_changed_request_is_refused(self) -> None:
        """The request is part of what is compared."""
        bundle = json.loads(json.dumps(to_fhir(LUMBAR, bundle_type="transaction")))
        del bundle["entry"][0]["request"]
        bundle["entry"][1]["request"]["method"] = "PUT"
        assert problems(bundle) == [
            "Bundle.entry[0].request: is missing; a transaction needs one",
            "Bundle.entry[1].request.method: expected 'POST', got 'PUT'",
        ]

    def test_an_unknown_bundle_type_is_refused(self) -> None:
        """Only the two kinds mobility writes."""
        with pytest.raises(InvalidModelError, match=r"^bundle_type: expected"):
            to_fhir(LUMBAR, bundle_type="batch")
        bundle = json.loads(json.dumps(to_fhir(LUMBAR)))
        bundle["type"] = "batch"
        assert problems(bundle) == [
            "Bundle.type: expected 'collection' or 'transaction', got 'batch'"
        ]


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
        bundle["entry"][0]["resource"]["extension"][0]["valueInteger"] = 3
        (line,) = problems(bundle)
        assert "version 3 of mobility's FHIR mapping" in line

    def test_the_first_mapping_is_refused_with_its_version(self) -> None:
        """Version 1 (weekday codes FHIR refuses, activity URLs under the plan)."""
        bundle = self.bundle()
        bundle["entry"][0]["resource"]["extension"][0]["valueInteger"] = 1
        (line,) = problems(bundle)
        assert line == (
            "Bundle.entry[0].resource.extension: this bundle uses version 1 of "
            "mobility's FHIR mapping; this version of mobility reads version 2"
        )

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
                "Bundle.entry[0].resource.url: expected a canonical URL of the form",
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

    def test_a_direction_too_large_to_square(self) -> None:
        """A pose's direction of 1.34e154 is refused, not an OverflowError.

        ``make fuzz`` found it: the reader stores the whole float as an int of
        155 digits, whose square no float can hold.
        """
        bundle = self.bundle()
        (place,) = [
            (container, key)
            for container, key in _places(bundle)
            if isinstance(container, dict)
            and container.get("url") == "up"
            and key.startswith("value")
        ][:1]
        container, key = place
        container[key] = 1.3407807929942597e154
        outcome = _outcome(bundle)
        assert isinstance(outcome, FormatError)
        assert any("direction of length 1" in p.message for p in outcome.problems)

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


class TestDefinitions:
    """The StructureDefinition of every extension, shipped in the package."""

    def test_the_shipped_file_is_what_the_model_makes(self) -> None:
        """Regenerate with `make fhir-definitions` after changing the model."""
        assert definitions() == structure_definitions()

    def test_make_writes_the_file_as_shipped(self, tmp_path: Path) -> None:
        """`make fhir-definitions` writes exactly the shipped bytes."""
        target = tmp_path / "definitions.json"
        write_definitions(target)
        shipped = Path(fhir_package.__file__).with_name("definitions.json")
        assert target.read_bytes() == shipped.read_bytes()

    def test_each_is_a_structure_definition(self) -> None:
        """Each parses as R4's StructureDefinition, with narrative and a name."""
        shipped = definitions()
        for entry in shipped["entry"]:
            found = entry["resource"]
            StructureDefinition.model_validate(found)
            narrative_shown(found)
            assert COMPUTABLE_NAME.fullmatch(found["name"]), found["name"]
            assert found["url"].startswith(EXTENSION)
            assert entry["fullUrl"] == found["url"]

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_every_extension_written_is_defined(self, protocol_id: str) -> None:
        """Where it goes, how often, its parts and its values, as defined."""
        protocol = catalog.get(protocol_id)
        times = [dt.time(8 + 4 * n) for n in range(protocol.frequency.sessions_per_day)]
        schedule = Schedule(protocol, dt.date(2026, 3, 2), at=times, tz="UTC")
        shipped = definitions()
        for entry in to_fhir(schedule)["entry"]:
            assert nonconforming(entry["resource"], shipped) == []

    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
    @given(protocols())
    def test_any_protocols_extensions_are_defined(self, protocol: Protocol) -> None:
        """Optional fields, empty lists and unconsidered cautions included."""
        shipped = definitions()
        for found in bundle_resources(protocol):
            assert nonconforming(found, shipped) == []

    def test_the_check_can_fail(self) -> None:
        """A part that is not defined, a missing one, a value of the wrong type."""
        shipped = definitions()
        plan, activity = bundle_resources(LUMBAR)
        dose = next(e for e in activity["extension"] if e["url"].endswith("/dose"))
        dose["extension"].append({"url": "colour", "valueString": "red"})
        dose["extension"] = [p for p in dose["extension"] if p["url"] != "reps"]
        frequency = next(
            e for e in plan["extension"] if e["url"].endswith("/frequency")
        )
        frequency["extension"][0] = {"url": "days_per_week", "valueString": "7"}
        plan["extension"].append(dict(plan["extension"][0]))  # format-version twice
        assert nonconforming(activity, shipped) == [
            "ActivityDefinition.extension[5].extension[7]: no part 'colour'",
            "ActivityDefinition.extension[5]: reps 0 times, not 1..1",
        ]
        found = nonconforming(plan, shipped)
        assert (
            "PlanDefinition.extension[1].extension[0]: string not in ['integer']"
            in found
        )
        assert any("format-version 2 times" in line for line in found)
