"""Mobility and stretching protocols as typed, validated, portable data.

The names below are the public API. The model lives in :mod:`mobility.model` (its
step texts in :mod:`mobility.steps`), the safety limits in :mod:`mobility.limits`,
the checks in :mod:`mobility.validator`, the words a person reads in
:mod:`mobility.text`,
the built-in protocols in :mod:`mobility.catalog`, the JSON format in
:mod:`mobility.json_format` and its schema in :mod:`mobility.schema`, schedules in
:mod:`mobility.schedule` and their calendar files in :mod:`mobility.ical`, FHIR
bundles in :mod:`mobility.fhir`, printable handouts in :mod:`mobility.handout`, and
the command line in :mod:`mobility.cli`. Researchers have :mod:`mobility.research`,
:mod:`mobility.reporting` and :mod:`mobility.strategies`.

Only the model and the catalogue load with the package; everything else loads the
first time one of its names is used, so that ``import mobility.catalog`` stays as
cheap as the model allows.
"""

from __future__ import annotations

import importlib

from typing import TYPE_CHECKING, Any

from . import catalog
from .errors import (
    AnswerError,
    AxisError,
    FormatError,
    InvalidModelError,
    MobilityError,
    Problem,
    QueryError,
    TemplateError,
    UnknownExerciseError,
    UnknownProtocolError,
    UnknownRegionError,
    UnsafeProtocolError,
)
from .model import (
    Adaptation,
    AdaptationKind,
    Audience,
    Caution,
    CautionKind,
    Derivation,
    Disclaimer,
    Dose,
    Exercise,
    Frequency,
    Hold,
    Intensity,
    Posture,
    Progression,
    Protocol,
    Range,
    RedFlag,
    Region,
    Review,
    Side,
    Source,
    SourceKind,
    Step,
    Urgency,
)
from .steps import Instruction


if TYPE_CHECKING:
    from .fhir import from_fhir, to_fhir
    from .handout import to_html
    from .ical import to_ical
    from .json_format import from_dict, from_json, to_dict, to_json
    from .limits import Bound, Limit, SafetyLimits
    from .schedule import Schedule, Weekday
    from .schema import json_schema
    from .validator import Finding, Report, Severity, validate

    __version__: str

# Public name -> the submodule that defines it, loaded on first use.
_LAZY = {
    "to_ical": "ical",
    "from_fhir": "fhir",
    "to_fhir": "fhir",
    "to_html": "handout",
    "Schedule": "schedule",
    "Weekday": "schedule",
    "from_dict": "json_format",
    "from_json": "json_format",
    "to_dict": "json_format",
    "to_json": "json_format",
    "json_schema": "schema",
    "Bound": "limits",
    "Limit": "limits",
    "SafetyLimits": "limits",
    "Finding": "validator",
    "Report": "validator",
    "Severity": "validator",
    "validate": "validator",
}

__all__ = [
    "Adaptation",
    "AdaptationKind",
    "AnswerError",
    "Audience",
    "AxisError",
    "Bound",
    "Caution",
    "CautionKind",
    "Derivation",
    "Disclaimer",
    "Dose",
    "Exercise",
    "Finding",
    "FormatError",
    "Frequency",
    "Hold",
    "Instruction",
    "Intensity",
    "InvalidModelError",
    "Limit",
    "MobilityError",
    "Posture",
    "Problem",
    "Progression",
    "Protocol",
    "QueryError",
    "Range",
    "RedFlag",
    "Region",
    "Report",
    "Review",
    "SafetyLimits",
    "Schedule",
    "Severity",
    "Side",
    "Source",
    "SourceKind",
    "Step",
    "TemplateError",
    "UnknownExerciseError",
    "UnknownProtocolError",
    "UnknownRegionError",
    "UnsafeProtocolError",
    "Urgency",
    "Weekday",
    "__version__",
    "catalog",
    "from_dict",
    "from_fhir",
    "from_json",
    "json_schema",
    "to_dict",
    "to_fhir",
    "to_html",
    "to_ical",
    "to_json",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        # importlib.metadata is slow to import; pay for it only when asked.
        from importlib.metadata import version  # noqa: PLC0415

        return version("mobility")
    module = _LAZY.get(name)
    if module is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
