"""Mobility and stretching protocols as typed, validated, portable data.

The names below are the public API. The packages are layered, and each imports
only from the ones before it:

- :mod:`mobility.errors`: every error the library raises on purpose;
- :mod:`mobility.model`: the protocol and its parts, with the step texts
  (:mod:`mobility.model.steps`), the sources (:mod:`mobility.model.evidence`),
  schedules (:mod:`mobility.model.schedule`) and a session's timeline
  (:mod:`mobility.model.timeline`);
- :mod:`mobility.safety`: the limits (:mod:`mobility.safety.limits`), the rules
  that read them (:mod:`mobility.safety.rules`) and :func:`validate`
  (:mod:`mobility.safety.validator`);
- :mod:`mobility.formats`: the words a person reads (:mod:`mobility.formats.text`),
  JSON and its schema (:mod:`mobility.formats.json`,
  :mod:`mobility.formats.schema`), calendars (:mod:`mobility.formats.ical`), FHIR
  (:mod:`mobility.formats.fhir`) and handouts (:mod:`mobility.formats.handout`);
- :mod:`mobility.catalog`, :mod:`mobility.progress` and :mod:`mobility.research`
  (with :mod:`mobility.research.reporting` and
  :mod:`mobility.research.strategies`): what apps, people and researchers use;
- :mod:`mobility.cli`: the command line, on top of everything.

Only the errors and the catalogue's index load with the package; everything
else, the model's classes included, loads the first time one of its names is
used, so that ``import mobility.catalog`` costs a few milliseconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from . import _lazy, catalog
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


if TYPE_CHECKING:
    from .formats.fhir import from_fhir, to_fhir
    from .formats.handout import to_html
    from .formats.ical import to_ical
    from .formats.json import from_dict, from_json, to_dict, to_json
    from .formats.schema import json_schema
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
        Figure,
        Frequency,
        Hold,
        Intensity,
        Pose,
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
        Turn,
        Urgency,
        View,
    )
    from .model.schedule import Schedule, Weekday
    from .model.steps import Instruction
    from .model.timeline import Timeline, timeline
    from .safety.limits import Bound, Limit, SafetyLimits
    from .safety.validator import Finding, Report, Severity, validate

    __version__: str

# Public name -> the submodule that defines it, loaded on first use.
_LAZY = {
    "Adaptation": "model",
    "AdaptationKind": "model",
    "Audience": "model",
    "Caution": "model",
    "CautionKind": "model",
    "Derivation": "model",
    "Disclaimer": "model",
    "Dose": "model",
    "Exercise": "model",
    "Figure": "model",
    "Frequency": "model",
    "Hold": "model",
    "Intensity": "model",
    "Pose": "model",
    "Posture": "_kinds",
    "Progression": "model",
    "Protocol": "model",
    "Range": "model",
    "RedFlag": "model",
    "Region": "_kinds",
    "Review": "model",
    "Side": "model",
    "Source": "model",
    "SourceKind": "_kinds",
    "Step": "model",
    "Turn": "model",
    "Urgency": "model",
    "View": "model",
    "Instruction": "model.steps",
    "to_ical": "formats.ical",
    "from_fhir": "formats.fhir",
    "to_fhir": "formats.fhir",
    "to_html": "formats.handout",
    "Schedule": "model.schedule",
    "Weekday": "model.schedule",
    "Timeline": "model.timeline",
    "timeline": "model.timeline",
    "from_dict": "formats.json",
    "from_json": "formats.json",
    "to_dict": "formats.json",
    "to_json": "formats.json",
    "json_schema": "formats.schema",
    "Bound": "safety.limits",
    "Limit": "safety.limits",
    "SafetyLimits": "safety.limits",
    "Finding": "safety.validator",
    "Report": "safety.validator",
    "Severity": "safety.validator",
    "validate": "safety.validator",
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
    "Figure",
    "Finding",
    "FormatError",
    "Frequency",
    "Hold",
    "Instruction",
    "Intensity",
    "InvalidModelError",
    "Limit",
    "MobilityError",
    "Pose",
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
    "Timeline",
    "Turn",
    "UnknownExerciseError",
    "UnknownProtocolError",
    "UnknownRegionError",
    "UnsafeProtocolError",
    "Urgency",
    "View",
    "Weekday",
    "__version__",
    "catalog",
    "from_dict",
    "from_fhir",
    "from_json",
    "json_schema",
    "timeline",
    "to_dict",
    "to_fhir",
    "to_html",
    "to_ical",
    "to_json",
    "validate",
]


_lazy_getattr, __dir__ = _lazy.attach(__name__, _LAZY)

#: The name to install mobility by: on the package index, "mobility" is another
#: project's.
_DISTRIBUTION: Final = "mobility-protocols"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        # importlib.metadata is slow to import; pay for it only when asked.
        from importlib.metadata import version  # noqa: PLC0415

        return version(_DISTRIBUTION)
    return _lazy_getattr(name)
