"""mobility's FHIR bundles, checked by validators mobility does not use itself.

- HL7's R4 JSON Schema, with ajv;
- Medplum's ``validateResource``, with the R4 StructureDefinitions;
- every invariant of those StructureDefinitions, warnings included (dom-6, the
  narrative; cnl-0, the computable name), evaluated with the ``fhirpath`` engine;
- every required value-set binding, against HL7's R4 value sets
  (:mod:`tests.interop.fhir_bindings`).

The bundles are every catalogue protocol (alone, and with a CarePlan for a named
patient as a transaction or for a person not named), a week of session records,
and advice of four kinds, each with and without a patient; and the
StructureDefinitions of mobility's extensions.

Each is first shown to fail on a bundle damaged the way it should catch.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

from typing import TYPE_CHECKING, Any

import pytest

from mobility import Schedule, catalog
from mobility.formats.fhir import definitions, to_fhir
from mobility.progress import advice_to_fhir, advise, log_to_fhir
from tests.interop.conftest import HERE, run_json
from tests.interop.fhir_bindings import violations
from tests.test_progress import record, sessions, today
from tests.test_progress_fhir import A_WEEK


if TYPE_CHECKING:
    from pathlib import Path


LUMBAR = catalog.get("lower-trunk-rotation")


def schedule(protocol_id: str) -> Schedule:
    """A schedule of a catalogue protocol, one time per session of a day."""
    protocol = catalog.get(protocol_id)
    times = [dt.time(8 + 4 * n) for n in range(protocol.frequency.sessions_per_day)]
    return Schedule(protocol, dt.date(2026, 3, 2), at=times, tz="Europe/Berlin")


def progress_bundles() -> list[dict[str, Any]]:
    """A week's records, and advice of each kind the records give."""
    growing = catalog.get("nhs-inform-back-exercises")
    patient = {"reference": "Patient/example"}
    bundles = [
        log_to_fhir(A_WEEK, subject=patient, bundle_type="transaction"),
        log_to_fhir(A_WEEK),
    ]
    for protocol, records, day in [
        (LUMBAR, A_WEEK.records, today(5)),  # emergency: a red flag
        (LUMBAR, [record(0, pain_before=2, pain_after=4)], today(1)),  # stop
        (growing, sessions(growing, range(3), 2), today(3)),  # progress
        (LUMBAR, [], today(0)),  # continue, nothing recorded
    ]:
        advice = advise(protocol, records, today=day)
        bundles.append(advice_to_fhir(advice, protocol, subject=patient))
        bundles.append(advice_to_fhir(advice, protocol))
    return bundles


def every_bundle() -> list[dict[str, Any]]:
    """Each catalogue protocol alone and with a CarePlan, in three forms.

    Alone; with a CarePlan for a named patient, as a transaction; and with a
    CarePlan whose person is not named.
    """
    bundles = []
    for protocol_id in catalog.ids():
        bundles.append(to_fhir(catalog.get(protocol_id)))
        bundles.append(
            to_fhir(
                schedule(protocol_id),
                bundle_type="transaction",
                subject={"reference": "Patient/example"},
                base="https://ehr.example.org/fhir",
            )
        )
        bundles.append(to_fhir(schedule(protocol_id)))  # the person unnamed
    return bundles


def check(node: str, bundles: list[dict[str, Any]], tmp_path: Path) -> dict[str, Any]:
    """What the three validators say of each bundle."""
    data = tmp_path / "bundles.json"
    data.write_text(json.dumps(bundles), encoding="utf-8")
    found: dict[str, Any] = run_json(
        [node, str(HERE / "validate_fhir.mjs"), str(data)], cwd=HERE
    )
    return found


def test_every_bundle_passes_all_three(node: str, tmp_path: Path) -> None:
    """0 schema errors, 0 Medplum issues, 0 invariant errors or warnings."""
    bundles = [*every_bundle(), *progress_bundles(), definitions()]
    found = check(node, bundles, tmp_path)
    assert found["skipped"] == []  # every invariant was evaluated
    assert len(found["report"]) == len(bundles) == 3 * len(catalog.ids()) + 11
    for bundle, report in zip(bundles, found["report"], strict=True):
        first = bundle["entry"][0]["resource"]["id"]
        assert report == {"schema": [], "medplum": [], "invariants": []}, first


def test_every_required_binding_holds() -> None:
    """Each coded value is in its required R4 value set (158 were not, in v1)."""
    checked: set[str] = set()
    for bundle in [*every_bundle(), *progress_bundles(), definitions()]:
        assert violations(bundle, checked) == []
    # The walk reached the bindings of every part mobility writes.
    assert {
        "http://hl7.org/fhir/ValueSet/bundle-type",
        "http://hl7.org/fhir/ValueSet/http-verb",
        "http://hl7.org/fhir/ValueSet/narrative-status",
        "http://hl7.org/fhir/ValueSet/publication-status",
        "http://hl7.org/fhir/ValueSet/request-resource-types",
        "http://hl7.org/fhir/ValueSet/days-of-week",
        "http://hl7.org/fhir/ValueSet/units-of-time",
        "http://hl7.org/fhir/ValueSet/care-plan-activity-kind",
        "http://hl7.org/fhir/ValueSet/care-plan-activity-status",
        "http://hl7.org/fhir/ValueSet/care-plan-intent",
        "http://hl7.org/fhir/ValueSet/request-status",
        "http://hl7.org/fhir/ValueSet/related-artifact-type",
        "http://hl7.org/fhir/ValueSet/observation-status",
        "http://hl7.org/fhir/ValueSet/request-priority",
        "http://hl7.org/fhir/ValueSet/structure-definition-kind",
        "http://hl7.org/fhir/ValueSet/type-derivation-rule",
        "http://hl7.org/fhir/ValueSet/extension-context-type",
    } <= checked


@pytest.fixture(scope="module")
def reports(node: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The reports on three bundles, each damaged for one validator to catch."""
    damaged = []
    bundle = to_fhir(LUMBAR)
    bundle["type"] = "nonsense"  # outside the schema's enum
    damaged.append(bundle)
    bundle = to_fhir(LUMBAR)
    bundle["entry"][1]["resource"]["bogus"] = 1  # no such element
    damaged.append(bundle)
    bundle = to_fhir(LUMBAR)
    plan = bundle["entry"][0]["resource"]
    del plan["text"]  # dom-6, a warning
    plan["name"] = "lower-trunk-rotation"  # cnl-0 (pdf-0 in R4), a warning
    plan["extension"][0]["extension"] = [{"url": "x", "valueString": "y"}]
    damaged.append(bundle)  # ext-1: a value and parts both
    bundle = to_fhir(schedule(LUMBAR.id))
    bundle["entry"][-1]["resource"]["subject"]["reference"] = "#nobody"
    damaged.append(bundle)  # ref-1: a local reference to nothing contained
    bundle = definitions()
    dose = next(
        e["resource"] for e in bundle["entry"] if e["fullUrl"].endswith("/dose")
    )
    part = next(e for e in dose["differential"]["element"] if "sliceName" in e)
    part["sliceName"] = "a slice"  # eld-16: a slice name with a space
    dose["differential"]["element"][-1]["path"] = "..."  # eld-19, eld-20
    damaged.append(bundle)
    return check(node, damaged, tmp_path_factory.mktemp("damaged"))["report"]


class TestEachValidatorCanFail:
    """Damage each validator should catch, and the report that says so."""

    def test_the_schema(self, reports: Any) -> None:
        """A type outside the enum of Bundle.type."""
        (error,) = reports[0]["schema"]
        assert error["where"] == "Bundle/type"
        assert error["what"].startswith("enum:")

    def test_medplum(self, reports: Any) -> None:
        """An element R4 does not have."""
        assert reports[1]["schema"] != []
        wheres = {issue["where"] for issue in reports[1]["medplum"]}
        assert "ActivityDefinition.bogus" in wheres

    def test_the_invariants(self, reports: Any) -> None:
        """No narrative, a name no machine can use, an extension with both."""
        invariants = reports[2]["invariants"]
        keys = {issue["where"].split(": ")[1].split()[0] for issue in invariants}
        assert {"dom-6", "pdf-0", "ext-1"} <= keys
        assert any(issue["what"].startswith("warning:") for issue in invariants)

    def test_the_invariants_rewritten_for_the_engine(self, reports: Any) -> None:
        """The regular expressions rewritten for JavaScript still refuse."""
        invariants = reports[4]["invariants"]
        keys = {issue["where"].split(": ")[1].split()[0] for issue in invariants}
        assert {"eld-16", "eld-19", "eld-20"} <= keys

    def test_the_invariants_of_a_resource_in_a_bundle(self, reports: Any) -> None:
        """A reference inside an entry resolves in that entry's resource."""
        invariants = reports[3]["invariants"]
        keys = {issue["where"].split(": ")[1].split()[0] for issue in invariants}
        assert "ref-1" in keys
        # The Patient that is no longer referred to is caught too.
        assert "dom-3" in keys

    def test_the_bindings(self) -> None:
        """A status and a weekday outside their value sets, each by its path."""
        bundle = to_fhir(schedule(LUMBAR.id))
        care = bundle["entry"][-1]["resource"]
        repeat = care["activity"][0]["detail"]["scheduledTiming"]["repeat"]
        repeat["dayOfWeek"] = ["mo", "tue"]  # mobility's first mapping wrote "mo"
        damaged = copy.deepcopy(bundle)
        damaged["entry"][0]["resource"]["status"] = "live"
        # A media type IANA does not register, on the figure's attachment.
        figure = damaged["entry"][1]["resource"]["relatedArtifact"][1]
        figure["document"]["contentType"] = "image/x-svg"
        status = "http://hl7.org/fhir/ValueSet/publication-status|4.0.1"
        days = "http://hl7.org/fhir/ValueSet/days-of-week|4.0.1"
        media = "http://hl7.org/fhir/ValueSet/mimetypes|4.0.1"
        where = "entry[2].resource.activity[0].detail.scheduledTiming.repeat"
        figure_at = "entry[1].resource.relatedArtifact[1].document"
        assert violations(damaged) == [
            f"entry[0].resource.status: 'live' is not in {status}",
            f"{figure_at}.contentType: 'image/x-svg' is not in {media}",
            f"{where}.dayOfWeek[0]: 'mo' is not in {days}",
        ]
