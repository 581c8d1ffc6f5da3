"""The constants of mobility's FHIR mapping: its URLs, codes and field split."""

from __future__ import annotations

import uuid

from typing import Final

from ...model import Region
from ...model.schedule import Weekday


# The public constants are documented where they are exported, in __init__.
BASE: Final = "https://mobility.readthedocs.io/fhir"
EXTENSION: Final = f"{BASE}/StructureDefinition/"
FORMAT_VERSION: Final = 2
PUBLISHER: Final = "mobility"
BUNDLE_TYPES: Final = ("collection", "transaction")

SNOMED: Final = "http://snomed.info/sct"
UCUM: Final = "http://unitsofmeasure.org"
EXERCISE_THERAPY: Final = {
    "system": SNOMED,
    "code": "229065009",
    "display": "Exercise therapy",
}
BODY_SITES: Final = {
    Region.LUMBAR: ("122496007", "Lumbar spine"),
    Region.THORACIC: ("122495006", "Thoracic spine"),
}
REGION_SYSTEM: Final = f"{BASE}/CodeSystem/region"
REGIONS: Final = frozenset(region.value for region in Region)
PROTOCOL_IDS: Final = f"{BASE}/protocol"
# The label of the RelatedArtifact that carries an exercise's figure.
ILLUSTRATION_LABEL: Final = "figure"
CARE_PLAN_IDS: Final = f"{BASE}/care-plan"
EXERCISE_IDS: Final = f"{BASE}/exercise"
PLAN_TYPE: Final = {
    "system": "http://terminology.hl7.org/CodeSystem/plan-definition-type",
    "code": "clinical-protocol",
    "display": "Clinical Protocol",
}
# The Physical Activity IG's category of what it covers (its temporary code).
PHYSICAL_ACTIVITY: Final = {
    "system": "http://hl7.org/fhir/us/physical-activity/CodeSystem/pa-temporary-codes",
    "code": "PhysicalActivity",
    "display": "Physical Activity",
}
TZ_CODE: Final = "http://hl7.org/fhir/StructureDefinition/tz-code"
XHTML: Final = "http://www.w3.org/1999/xhtml"

# The model's coded values as FHIR codes, for elements bound to a required R4
# value set. The interop suite checks every code mobility writes against the
# value sets themselves.
DAYS_OF_WEEK: Final = {  # Timing.repeat.dayOfWeek: http://hl7.org/fhir/ValueSet/days-of-week
    Weekday.MO: "mon",
    Weekday.TU: "tue",
    Weekday.WE: "wed",
    Weekday.TH: "thu",
    Weekday.FR: "fri",
    Weekday.SA: "sat",
    Weekday.SU: "sun",
}
NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, BASE)

# The protocol's and each exercise's fields that have a FHIR element of their
# own; every other field goes in an extension.
PLAN_FIELDS: Final = frozenset(
    {"id", "name", "region", "purpose", "exercises", "sources"}
)
ACTIVITY_FIELDS: Final = frozenset({"id", "name", "purpose", "source"})
# Readable texts written from the structured fields and not read back.
WRITTEN_FOR_PEOPLE: Final = frozenset({"usage", "description", "citation", "text"})
# What is written from the day of writing, and so not compared.
WRITTEN_WITH_THE_DATE: Final = frozenset({"date"})
# What a server may add to a resource or a bundle without changing its meaning.
BOOKKEEPING: Final = frozenset({"meta", "language", "implicitRules"})
BUNDLE_BOOKKEEPING: Final = frozenset({"id", "meta", "timestamp", "identifier"})
