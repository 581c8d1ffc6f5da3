"""The constants of mobility's FHIR mapping: its URLs, codes and field split."""

from __future__ import annotations

import uuid

from typing import Final

from ...model import Region


# The public constants are documented where they are exported, in __init__.
BASE: Final = "https://mobility.readthedocs.io/fhir"
EXTENSION: Final = f"{BASE}/StructureDefinition/"
FORMAT_VERSION: Final = 1

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
EXERCISE_IDS: Final = f"{BASE}/exercise"
PLAN_TYPE: Final = {
    "system": "http://terminology.hl7.org/CodeSystem/plan-definition-type",
    "code": "clinical-protocol",
    "display": "Clinical Protocol",
}
TZ_CODE: Final = "http://hl7.org/fhir/StructureDefinition/tz-code"
NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, BASE)

# The protocol's and each exercise's fields that have a FHIR element of their
# own; every other field goes in an extension.
PLAN_FIELDS: Final = frozenset(
    {"id", "name", "region", "purpose", "exercises", "sources"}
)
ACTIVITY_FIELDS: Final = frozenset({"id", "name", "purpose", "source"})
# Readable texts written from the structured fields and not read back.
WRITTEN_FOR_PEOPLE: Final = frozenset({"usage", "description", "citation", "text"})
# What a server may add to a resource or a bundle without changing its meaning.
BOOKKEEPING: Final = frozenset({"meta", "language", "implicitRules"})
BUNDLE_BOOKKEEPING: Final = frozenset({"id", "meta", "timestamp", "identifier"})
