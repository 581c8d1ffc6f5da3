"""Protocols as HL7 FHIR R4 bundles, for health records and clinical systems.

:func:`~mobility.to_fhir` writes a protocol as a FHIR ``Bundle`` of type
``collection`` or ``transaction``: a ``PlanDefinition`` (type
``clinical-protocol``) with one action per exercise, and an
``ActivityDefinition`` per exercise, coded SNOMED CT 229065009 "Exercise
therapy" with the region as its body site. Given a :class:`~mobility.Schedule`,
it adds a ``CarePlan`` with the schedule's days and times. Every resource has a
generated narrative; the plan and the activities have canonical URLs under a
base of the caller's, a version from their content and a computable name.
:func:`~mobility.from_fhir` reads such a bundle back into an equal
:class:`~mobility.Protocol`.

Each value goes in the FHIR element made for it where FHIR has one (title,
purpose, citations, timing, code, body site). What FHIR has no element for (the
hold, per-side repetitions, sets, ranges, the structured safety text) goes in
extensions under :data:`EXTENSION`, named after the fields of the JSON format;
:func:`definitions` gives the ``StructureDefinition`` of each.
The readable texts (the narratives, the plan's and each activity's ``usage``
with the safety text, each activity's ``description`` with its steps, each
dosage's ``text``, each citation) are written from those fields for people and
systems that show them, and are not read back. The docs page "FHIR" maps every field.

The bundle is a plain ``dict``, ready for ``json.dumps``; this module needs
no FHIR library. The tests check every resource with the ``fhir.resources``
models.

Example:
    >>> from mobility import catalog
    >>> bundle = to_fhir(catalog.get("lower-trunk-rotation"))
    >>> [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    ['PlanDefinition', 'ActivityDefinition']
    >>> activity = bundle["entry"][1]["resource"]
    >>> activity["code"]["coding"][0]["display"]
    'Exercise therapy'
    >>> activity["dosage"][0]["text"]
    'hold 10-15 s; 10-15 times on each side; stretch to the point of tightness'

    >>> from_fhir(bundle) == catalog.get("lower-trunk-rotation")
    True
"""

from typing import Final

from . import _mapping
from ._definitions import definitions
from ._reader import from_fhir
from ._writer import to_fhir


__all__ = [
    "BASE",
    "BODY_SITES",
    "BUNDLE_TYPES",
    "DAYS_OF_WEEK",
    "EXERCISE_THERAPY",
    "EXTENSION",
    "FORMAT_VERSION",
    "definitions",
    "from_fhir",
    "to_fhir",
]

#: The base of mobility's own URLs (its extensions, code systems and identifier
#: systems), and the default base of the plans' and activities' canonical URLs
#: (the ``base=`` of :func:`~mobility.to_fhir`).
BASE: Final = _mapping.BASE
#: The base of mobility's extension URLs; the docs page "FHIR" defines each one.
EXTENSION: Final = _mapping.EXTENSION
#: The version of this mapping, written on every plan; :func:`~mobility.from_fhir`
#: reads only this one.
FORMAT_VERSION: Final = _mapping.FORMAT_VERSION
#: The code of every activity, SNOMED CT 229065009 "Exercise therapy".
EXERCISE_THERAPY: Final = _mapping.EXERCISE_THERAPY
#: The SNOMED CT body-site codes of the regions that have one here. Every region
#: also carries mobility's own code (``{BASE}/CodeSystem/region``), which is the
#: one :func:`~mobility.from_fhir` reads.
BODY_SITES: Final = _mapping.BODY_SITES
#: The kinds of bundle :func:`~mobility.to_fhir` writes (its ``bundle_type=``).
BUNDLE_TYPES: Final = _mapping.BUNDLE_TYPES
#: The FHIR code of each weekday (R4's required value set ``days-of-week``), for
#: ``Timing.repeat.dayOfWeek``.
DAYS_OF_WEEK: Final = _mapping.DAYS_OF_WEEK
