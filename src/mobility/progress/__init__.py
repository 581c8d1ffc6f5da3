"""Progress: what a person did and felt, and what the protocol says to do next.

:class:`SessionRecord` holds one session; :func:`advise` applies the protocol's
own stop, seek-care, red-flag and progression rules, and the pain zones of
:data:`PAIN_ZONES`, to a person's records and says what to do, most urgent
first; :class:`Store` keeps records in an SQLite database, where a mistaken
record is corrected or voided, never lost. Session logs travel as JSON
documents too (``kind: "session-log"``) through :func:`mobility.to_json` and
:func:`mobility.from_json`, and, for a clinician's system, as FHIR R4: records as
``Observation`` s (:func:`log_to_fhir`) and advice as a ``CommunicationRequest``
(:func:`advice_to_fhir`).

The names load on first use, so that importing this package costs little.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _lazy
from ..errors import RecordError, StoreError


if TYPE_CHECKING:
    from ._advice import (
        Action,
        Adherence,
        Advice,
        Reason,
        advice_sections,
        advise,
        match_red_flag,
        recorded_red_flag,
    )
    from ._fhir import (
        ADVICE_PRIORITY,
        advice_from_fhir,
        advice_to_fhir,
        log_from_fhir,
        log_to_fhir,
    )
    from ._pain import PAIN_ZONES, TREND, PainTrend, PainZone, Zone, pain_zone
    from ._record import SessionLog, SessionRecord, Stiffness
    from ._store import Entry, Store, default_path

_LAZY = {
    "Action": "_advice",
    "Adherence": "_advice",
    "Advice": "_advice",
    "Reason": "_advice",
    "advise": "_advice",
    "advice_sections": "_advice",
    "match_red_flag": "_advice",
    "recorded_red_flag": "_advice",
    "PAIN_ZONES": "_pain",
    "TREND": "_pain",
    "PainTrend": "_pain",
    "PainZone": "_pain",
    "Zone": "_pain",
    "pain_zone": "_pain",
    "Entry": "_store",
    "ADVICE_PRIORITY": "_fhir",
    "advice_from_fhir": "_fhir",
    "advice_to_fhir": "_fhir",
    "log_from_fhir": "_fhir",
    "log_to_fhir": "_fhir",
    "SessionLog": "_record",
    "SessionRecord": "_record",
    "Stiffness": "_record",
    "Store": "_store",
    "default_path": "_store",
}

__all__ = [
    "ADVICE_PRIORITY",
    "PAIN_ZONES",
    "TREND",
    "Action",
    "Adherence",
    "Advice",
    "Entry",
    "PainTrend",
    "PainZone",
    "Reason",
    "RecordError",
    "SessionLog",
    "SessionRecord",
    "Stiffness",
    "Store",
    "StoreError",
    "Zone",
    "advice_from_fhir",
    "advice_sections",
    "advice_to_fhir",
    "advise",
    "default_path",
    "log_from_fhir",
    "log_to_fhir",
    "match_red_flag",
    "pain_zone",
    "recorded_red_flag",
]


__getattr__, __dir__ = _lazy.attach(__name__, _LAZY)
