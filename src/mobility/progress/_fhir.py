"""Session records and advice as FHIR R4, for a clinician's system.

:func:`log_to_fhir` writes each :class:`SessionRecord` as an ``Observation``;
:func:`log_from_fhir` reads them back. :func:`advice_to_fhir` writes an
:class:`Advice` as a ``CommunicationRequest`` a clinician's system can show;
:func:`advice_from_fhir` reads it back. The docs page "FHIR" maps every field.
"""

from __future__ import annotations

import datetime as dt
import uuid

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ..errors import FormatError, InvalidModelError, Problem
from ..formats.fhir._mapping import (
    BASE,
    BUNDLE_TYPES,
    EXTENSION,
    FORMAT_VERSION,
    NAMESPACE,
    PHYSICAL_ACTIVITY,
)
from ..formats.fhir._reader import _MISSING, _Reader, _survey, plan_url_parts
from ..formats.fhir._writer import (
    _extensions,
    bundle,
    check_options,
    check_subject,
    narrative,
)
from ..formats.text import (
    Items,
    Paragraph,
    Part,
    Section,
    markdown_escape,
    markdown_unescape,
)
from ._advice import Action, Advice, advice_sections
from ._record import SessionLog, SessionRecord, Stiffness


if TYPE_CHECKING:
    from ..model import Protocol
    from ..safety.limits import SafetyLimits


__all__ = [
    "ADVICE_PRIORITY",
    "OBSERVATION_CODES",
    "PAIN_NRS",
    "advice_from_fhir",
    "advice_to_fhir",
    "log_from_fhir",
    "log_to_fhir",
]

LOINC: Final = "http://loinc.org"
#: LOINC 72514-3, the pain score on the 0-10 numeric rating scale, as reported.
PAIN_NRS: Final = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
#: mobility's own codes for what an Observation of a session holds.
OBSERVATION_CODES: Final = f"{BASE}/CodeSystem/observation"
STIFFNESS_CODES: Final = f"{BASE}/CodeSystem/stiffness"
RECORD_IDS: Final = f"{BASE}/session-record"
ADVICE_IDS: Final = f"{BASE}/advice"
ACTIVITY: Final = {
    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
    "code": "activity",
    "display": "Activity",
}
INSTRUCTION: Final = {
    "system": "http://terminology.hl7.org/CodeSystem/communication-category",
    "code": "instruction",
    "display": "Instruction",
}
INSTANTIATES: Final = (
    "http://hl7.org/fhir/StructureDefinition/workflow-instantiatesCanonical"
)
#: How urgent each action is, as a ``CommunicationRequest.priority`` (R4's
#: ``request-priority``). Our reading of the actions' own words, not a source's.
ADVICE_PRIORITY: Final = {
    Action.EMERGENCY: "stat",
    Action.SEE_DOCTOR_TODAY: "asap",
    Action.STOP: "urgent",
    Action.SEEK_CARE: "routine",
    Action.PROGRESS: "routine",
    Action.CONTINUE: "routine",
}


def _code(code: str, display: str) -> dict[str, Any]:
    return {"system": OBSERVATION_CODES, "code": code, "display": display}


_SESSION: Final = _code("session", "Planned exercise session done")
_PAIN_BEFORE: Final = _code("pain-before", "Pain just before the session")
_PAIN_AFTER: Final = _code("pain-after", "Pain just after the session")
_STIFFNESS: Final = _code("stiffness", "Stiffness compared with the start")
_SIGN: Final = _code("reported-sign", "A sign the person reported")
_STEP: Final = _code("progression-step", "Progression step of the dose done")


#: The complex extension that carries advice whole, for its definition.
ADVICE_EXTENSION: Final = (
    "advice",
    "What mobility's advice said, field by field",
    Advice,
    ("CommunicationRequest",),
)


def structure_definitions() -> dict[str, Any]:
    """The definition of every extension mobility writes, the advice's included.

    What the package ships as ``mobility/formats/fhir/definitions.json``
    (:func:`mobility.formats.fhir.definitions`); a test holds the two equal.
    """
    from ..formats.fhir._definitions import (  # noqa: PLC0415 - for the docs and tests
        structure_definitions as made,
    )

    return made((ADVICE_EXTENSION,))


def write_definitions(target: Path | None = None) -> None:
    """Write :func:`structure_definitions` where the package ships them.

    Args:
        target: Another file to write them to (the tests write to a temporary
            one).
    """
    import json  # noqa: PLC0415 - for this maintenance task only

    from ..formats.fhir import _definitions  # noqa: PLC0415

    text = json.dumps(structure_definitions(), indent=2, ensure_ascii=False) + "\n"
    if target is None:
        target = Path(_definitions.__file__).with_name("definitions.json")
    target.write_text(text, encoding="utf-8")


def log_to_fhir(
    log: SessionLog,
    *,
    subject: Mapping[str, Any] | None = None,
    base: str = BASE,
    bundle_type: str = "collection",
) -> dict[str, Any]:
    """Write session records as a FHIR R4 ``Bundle`` of ``Observation`` s.

    Each record is one ``Observation``: whether the session was done
    (``valueBoolean``), when (``effectiveDateTime``, with its UTC offset), and
    a component for each rating: pain before and after (LOINC 72514-3, the
    0-10 numeric rating scale), stiffness, each sign reported, the progression
    step. The note is the ``note``; the protocol is named by its canonical URL
    in R4's ``workflow-instantiatesCanonical`` extension.

    Args:
        log: The records, in order.
        subject: The person, a FHIR ``Reference`` such as
            ``{"reference": "Patient/123"}``.
        base: The base of the protocols' canonical URLs, as given to
            :func:`~mobility.to_fhir`.
        bundle_type: ``"collection"`` or ``"transaction"`` (each record a
            conditional create on its identifier).

    Raises:
        InvalidModelError: ``subject``, ``base`` or ``bundle_type`` is not one
            FHIR can hold.
    """
    check_options(subject, base, bundle_type)
    who = dict(subject) if subject is not None else None
    return bundle(
        (
            _observation(record, index, who, base)
            for index, record in enumerate(log.records)
        ),
        bundle_type,
    )


def _observation(
    record: SessionRecord, index: int, subject: dict[str, Any] | None, base: str
) -> dict[str, Any]:
    moment = record.at.astimezone(dt.UTC).isoformat()
    # The patient is part of the key: two people's records of the same moment
    # must not match one conditional create.
    whose = (subject or {}).get("reference", "")
    key = f"session-record/{whose}/{record.protocol_id}/{moment}/{index}"
    record_id = str(uuid.uuid5(NAMESPACE, key))
    components: list[dict[str, Any]] = []
    if record.pain_before is not None:
        components.append(_pain(_PAIN_BEFORE, record.pain_before))
    if record.pain_after is not None:
        components.append(_pain(_PAIN_AFTER, record.pain_after))
    if record.stiffness is not None:
        components.append(
            {
                "code": {"coding": [dict(_STIFFNESS)]},
                "valueCodeableConcept": {
                    "coding": [
                        {"system": STIFFNESS_CODES, "code": record.stiffness.value}
                    ],
                    "text": record.stiffness.value,
                },
            }
        )
    components += (
        {"code": {"coding": [dict(_SIGN)]}, "valueString": sign}
        for sign in record.red_flags
    )
    if record.step is not None:
        components.append(
            {"code": {"coding": [dict(_STEP)]}, "valueInteger": record.step}
        )
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": record_id,
        "text": narrative([_record_section(record)]),
        "extension": [
            {"url": f"{EXTENSION}format-version", "valueInteger": FORMAT_VERSION},
            {
                "url": INSTANTIATES,
                "valueCanonical": f"{base}/PlanDefinition/{record.protocol_id}",
            },
        ],
        "identifier": [{"system": RECORD_IDS, "value": record_id}],
        "status": "final",
        "category": [
            {"coding": [dict(ACTIVITY)]},
            {"coding": [dict(PHYSICAL_ACTIVITY)]},
        ],
        "code": {"coding": [dict(_SESSION)], "text": "Exercise session done"},
    }
    if subject is not None:
        observation["subject"] = dict(subject)
    observation["effectiveDateTime"] = _moment(record.at)
    observation["valueBoolean"] = record.done
    if record.note is not None:
        observation["note"] = [{"text": markdown_escape(record.note)}]
    if components:
        observation["component"] = components
    return observation


def _moment(at: dt.datetime) -> str:
    """A FHIR dateTime: in UTC when its offset is past FHIR's 14 hours.

    A record's offset is already in whole minutes (RFC 3339's).
    """
    offset = at.utcoffset()
    assert offset is not None  # noqa: S101 - a record's time is aware
    if abs(offset) > dt.timedelta(hours=14):
        at = at.astimezone(dt.UTC)
    return at.isoformat()


def _pain(code: Mapping[str, str], score: int) -> dict[str, Any]:
    # The LOINC code says what is measured; mobility's says when.
    return {
        "code": {"coding": [dict(PAIN_NRS), dict(code)], "text": code["display"]},
        "valueInteger": score,
    }


def _local(at: dt.datetime) -> str:
    """``2026-03-02 08:00, UTC+01:00``: the person's clock, and its offset."""
    offset = at.utcoffset()
    assert offset is not None  # noqa: S101 - a record's time is aware
    minutes = int(offset.total_seconds()) // 60  # whole minutes, as RFC 3339's
    hours, minutes = divmod(abs(minutes), 60)
    sign = "-" if offset < dt.timedelta(0) else "+"
    return f"{at:%Y-%m-%d %H:%M}, UTC{sign}{hours:02d}:{minutes:02d}"


def _record_section(record: SessionRecord) -> Section:
    blocks: list[Paragraph | Items] = [
        Paragraph(_local(record.at), "When"),
        Paragraph("done" if record.done else "skipped (planned, not done)", "Session"),
    ]
    for label, pain in (
        ("Pain before", record.pain_before),
        ("Pain after", record.pain_after),
    ):
        if pain is not None:
            blocks.append(Paragraph(f"{pain} of 10", label))
    if record.stiffness is not None:
        blocks.append(Paragraph(record.stiffness.value, "Stiffness"))
    if record.red_flags:
        blocks.append(Items(record.red_flags, "Signs reported"))
    if record.step is not None:
        blocks.append(Paragraph(str(record.step), "Progression step"))
    if record.note is not None:
        blocks.append(Paragraph(record.note, "Note"))
    heading = f"Session of {record.protocol_id}"
    return Section(Part.TITLE, heading, blocks)


def log_from_fhir(data: Mapping[str, Any]) -> SessionLog:
    """Read a bundle written by :func:`log_to_fhir` back into its records.

    The subject is not read: a log belongs to whoever holds it. The narrative
    and ``meta`` are let through; anything else that differs from what
    :func:`log_to_fhir` writes for the records read is refused.

    Raises:
        FormatError: The bundle is not one mobility wrote; each problem names
            its path, such as ``Bundle.entry[0].resource.component[1]``.
    """
    _survey(data)
    reader = _LogReader()
    records = reader.log(data)
    if reader.problems:
        raise FormatError(tuple(reader.problems))
    return SessionLog(records)


_ENTRY: Final = frozenset({"fullUrl", "resource"})
_BUNDLE: Final = frozenset(
    {"resourceType", "type", "entry", "id", "meta", "timestamp", "identifier"}
)


class _LogReader(_Reader):
    def log(self, data: object) -> list[SessionRecord]:
        entries = self.entries(data, "Observation")
        records: list[SessionRecord] = []
        for path, observation in entries:
            record = self.record(path, observation)
            if record is not None:
                records.append(record)
        if self.problems:
            return records
        assert isinstance(data, Mapping)  # noqa: S101 - entries() checked it
        base = self.base or BASE
        for index, ((path, observation), record) in enumerate(
            zip(entries, records, strict=True)
        ):
            # The subject is not read, and so not compared either.
            subject = observation.get("subject")
            want = _observation(record, index, subject, base)
            self.same(want, observation, path, top=True)
            self.request_of(data, index, want)
        return records

    def entries(self, data: object, kind: str) -> list[tuple[str, Mapping[str, Any]]]:
        """The resources of one kind, with their paths; anything else reported."""
        entries = self.bundle_of(data)
        found = []
        allowed = _ENTRY | ({"request"} if self.transaction else set())
        for index, entry in enumerate(entries):
            if not isinstance(entry, Mapping):
                self.expected(f"Bundle.entry[{index}]", "an entry", entry)
                continue
            for key in [key for key in entry if key not in allowed]:  # in order
                where = f"Bundle.entry[{index}].{key}"
                self.problem(where, "is not read by mobility; it would be lost")
            path = f"Bundle.entry[{index}].resource"
            resource = entry.get("resource", _MISSING)
            got = (
                resource.get("resourceType", _MISSING)
                if isinstance(resource, Mapping)
                else resource
            )
            if got != kind:
                self.expected(f"{path}.resourceType", repr(kind), got)
                continue
            found.append((path, resource))
        return found

    def bundle_of(self, data: object) -> list[Any]:
        """The entries of a bundle; its other keys and its type checked."""
        if not isinstance(data, Mapping) or data.get("resourceType") != "Bundle":
            got = (
                data.get("resourceType", _MISSING)
                if isinstance(data, Mapping)
                else data
            )
            self.expected("Bundle", "a FHIR Bundle", got)
            return []
        for key in [key for key in data if key not in _BUNDLE]:  # in order
            self.problem(f"Bundle.{key}", "is not read by mobility")
        kind = data.get("type", _MISSING)
        if kind not in BUNDLE_TYPES:
            self.expected("Bundle.type", "'collection' or 'transaction'", kind)
        self.transaction = kind == "transaction"
        entries = data.get("entry", [])
        if not isinstance(entries, list):
            self.expected("Bundle.entry", "a list of entries", entries)
            return []
        return entries

    def request_of(
        self, data: Mapping[str, Any], index: int, want: dict[str, Any]
    ) -> None:
        from ..formats.fhir._writer import request  # noqa: PLC0415

        if not self.transaction:
            return
        entry = data["entry"][index]
        where = f"Bundle.entry[{index}].request"
        if "request" not in entry:
            self.problem(where, "is missing; a transaction needs one")
        else:
            self.same(request(want), entry["request"], where)

    def record(self, path: str, observation: Mapping[str, Any]) -> SessionRecord | None:
        before = len(self.problems)
        protocol_id = self.protocol_of(path, observation)
        at = self.moment(path, observation)
        done = observation.get("valueBoolean", _MISSING)
        if not isinstance(done, bool):
            self.expected(f"{path}.valueBoolean", "true or false", done)
        fields: dict[str, Any] = {"protocol_id": protocol_id, "at": at, "done": done}
        fields |= self.components(path, observation.get("component", []))
        notes = observation.get("note", [])
        if notes:
            text = (
                notes[0].get("text")
                if isinstance(notes, list) and notes and isinstance(notes[0], Mapping)
                else None
            )
            if isinstance(text, str):
                fields["note"] = markdown_unescape(text)
            else:
                self.expected(f"{path}.note[0].text", "the note", text)
        if "subject" in observation:
            self.subject(path, observation["subject"])
        if len(self.problems) > before:
            return None
        return self.build(SessionRecord, fields, path)

    def advice(self, path: str, request: Mapping[str, Any]) -> Advice | None:
        parts = self.extension_value(request, path, f"{EXTENSION}advice", "extension")
        where = f"{path}.extension"
        if not isinstance(parts, list) or not parts:
            self.expected(where, "the extension 'advice' with its parts", parts)
            return None
        numbered = [(i, p) for i, p in enumerate(parts) if isinstance(p, Mapping)]
        fields = self.fields(Advice, numbered, f"{where}.extension")
        if "subject" in request:
            self.subject(path, request["subject"])
        if self.problems:
            return None
        return self.build(Advice, fields, path)

    def subject(self, path: str, subject: object) -> None:
        if not isinstance(subject, Mapping):
            self.expected(f"{path}.subject", "a Reference", subject)
            return
        try:
            check_subject(subject)
        except InvalidModelError as error:
            self.problem(f"{path}.subject", error.problem)

    def protocol_of(self, path: str, observation: Mapping[str, Any]) -> str | None:
        url = self.extension_value(observation, path, INSTANTIATES, "valueCanonical")
        split = plan_url_parts(url)
        if split is None:
            what = "the protocol's canonical URL, {base}/PlanDefinition/{id}"
            self.expected(f"{path}.extension", what, url)
            return None
        base, protocol_id = split
        if self.base and base != self.base:
            self.problem(
                f"{path}.extension", f"expected the base {self.base}, got {base}"
            )
        self.base = base
        return protocol_id

    def moment(self, path: str, observation: Mapping[str, Any]) -> dt.datetime | None:
        value = observation.get("effectiveDateTime", _MISSING)
        try:
            if isinstance(value, str) and len(value) <= 40:
                moment = dt.datetime.fromisoformat(value)
                if moment.tzinfo is not None:
                    return moment
        except ValueError:
            pass
        self.expected(
            f"{path}.effectiveDateTime", "a date and time with its UTC offset", value
        )
        return None

    def components(self, path: str, components: object) -> dict[str, Any]:
        """The ratings of a record, from its components."""
        found: dict[str, Any] = {}
        signs: list[str] = []
        if not isinstance(components, list):
            self.expected(f"{path}.component", "a list", components)
            return found
        for index, component in enumerate(components):
            where = f"{path}.component[{index}]"
            code = self.component_code(where, component)
            if code is None:
                continue
            assert isinstance(component, Mapping)  # noqa: S101 - it has a code
            if code in _WHOLE_NUMBERS:
                value = component.get("valueInteger", _MISSING)
                if isinstance(value, int) and not isinstance(value, bool):
                    found[_WHOLE_NUMBERS[code]] = value
                else:
                    self.expected(f"{where}.valueInteger", "a whole number", value)
            elif code == "stiffness":
                concept = component.get("valueCodeableConcept")
                codings = (
                    _list(concept.get("coding")) if isinstance(concept, Mapping) else []
                )
                value = next(
                    (
                        c.get("code")
                        for c in codings
                        if isinstance(c, Mapping) and c.get("system") == STIFFNESS_CODES
                    ),
                    _MISSING,
                )
                where = f"{where}.valueCodeableConcept"
                found["stiffness"] = self.member(Stiffness, value, where)
            else:
                value = component.get("valueString", _MISSING)
                if isinstance(value, str):
                    signs.append(value)
                else:
                    self.expected(f"{where}.valueString", "the sign in words", value)
        if signs:
            found["red_flags"] = tuple(signs)
        return found

    def component_code(self, where: str, component: object) -> str | None:
        """The one code of mobility's a component has, or ``None`` (reported)."""
        concept = component.get("code") if isinstance(component, Mapping) else None
        codings = _list(concept.get("coding")) if isinstance(concept, Mapping) else []
        codes = [
            c.get("code")
            for c in codings
            if isinstance(c, Mapping) and c.get("system") == OBSERVATION_CODES
        ]
        if len(codes) == 1 and isinstance(codes[0], str) and codes[0] in _COMPONENTS:
            return codes[0]
        self.expected(
            f"{where}.code",
            f"one code of {OBSERVATION_CODES} ({', '.join(sorted(_COMPONENTS))})",
            codes[0] if len(codes) == 1 else codings,
        )
        return None


_WHOLE_NUMBERS: Final = {
    "pain-before": "pain_before",
    "pain-after": "pain_after",
    "progression-step": "step",
}
_COMPONENTS: Final = frozenset({*_WHOLE_NUMBERS, "stiffness", "reported-sign"})


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


# --------------------------------------------------------------------------------
# Advice


def advice_to_fhir(
    advice: Advice,
    protocol: Protocol,
    *,
    limits: SafetyLimits | None = None,
    subject: Mapping[str, Any] | None = None,
    bundle_type: str = "collection",
) -> dict[str, Any]:
    """Write advice as a FHIR R4 ``CommunicationRequest``, in a ``Bundle``.

    The request is what a clinician's system shows: its narrative and its
    ``payload`` are the advice as :func:`advice_sections` words it, the safety
    text included; its ``priority`` follows the action (:data:`ADVICE_PRIORITY`);
    each reason is a ``reasonCode``. The advice itself travels whole in the
    extension ``advice``, from which :func:`advice_from_fhir` reads it back.

    Args:
        advice: What :func:`advise` said.
        protocol: The protocol advised on, for the words.
        limits: The limits the advice was given under.
        subject: The person, a FHIR ``Reference``.
        bundle_type: ``"collection"`` or ``"transaction"``.

    Raises:
        InvalidModelError: ``advice`` is for another protocol, or ``subject``
            or ``bundle_type`` is not one FHIR can hold.
    """
    if advice.protocol_id != protocol.id:
        problem = f"the advice is for {advice.protocol_id}, not {protocol.id}"
        raise InvalidModelError(
            f"protocol: {problem}", field="protocol", problem=problem
        )
    check_options(subject, BASE, bundle_type)
    who = dict(subject) if subject is not None else None
    content = advice_sections(protocol, advice, limits)
    return bundle([_request(advice, content, who)], bundle_type)


def _request(
    advice: Advice, content: tuple[Section, ...], subject: dict[str, Any] | None
) -> dict[str, Any]:
    from ..formats.text import plain  # noqa: PLC0415 - words only for this

    whose = (subject or {}).get("reference", "")
    key = f"advice/{whose}/{advice.protocol_id}/{advice.today}/{advice.action}"
    request_id = str(uuid.uuid5(NAMESPACE, key))
    request: dict[str, Any] = {
        "resourceType": "CommunicationRequest",
        "id": request_id,
        "text": narrative(content),
        "extension": [
            {"url": f"{EXTENSION}format-version", "valueInteger": FORMAT_VERSION},
            {"url": f"{EXTENSION}advice", "extension": _extensions(advice)},
        ],
        "identifier": [{"system": ADVICE_IDS, "value": request_id}],
        "status": "active",
        "category": [{"coding": [dict(INSTRUCTION)]}],
        "priority": ADVICE_PRIORITY[advice.action],
    }
    if subject is not None:
        request["subject"] = dict(subject)
    request["authoredOn"] = advice.today.isoformat()
    if advice.reasons:
        request["reasonCode"] = [
            {"coding": [{"system": REASON_CODES, "code": r.code}], "text": r.message}
            for r in advice.reasons
        ]
    request["payload"] = [{"contentString": plain(content, width=None).rstrip("\n")}]
    return request


REASON_CODES: Final = f"{BASE}/CodeSystem/advice-reason"


def advice_from_fhir(data: Mapping[str, Any]) -> Advice:
    """Read a bundle written by :func:`advice_to_fhir` back into its advice.

    The words (narrative, ``payload``) and the subject are not read; anything
    else that differs from what :func:`advice_to_fhir` writes for the advice
    read is refused.

    Raises:
        FormatError: The bundle is not one mobility wrote; each problem names
            its path.
    """
    _survey(data)
    reader = _LogReader()
    entries = reader.entries(data, "CommunicationRequest")
    advice = None
    if len(entries) != 1 and not reader.problems:
        found = f"found {len(entries)}"
        reader.problem("Bundle.entry", f"expected one CommunicationRequest, {found}")
    elif entries:
        ((path, request),) = entries
        advice = reader.advice(path, request)
        if advice is not None and not reader.problems:
            assert isinstance(data, Mapping)  # noqa: S101 - entries() checked it
            want = _request(advice, (), request.get("subject"))
            got = {k: v for k, v in request.items() if k != "payload"}
            reader.same(
                {k: v for k, v in want.items() if k != "payload"}, got, path, top=True
            )
            reader.request_of(data, 0, want)
    if reader.problems or advice is None:
        raise FormatError(tuple(reader.problems) or (Problem("Bundle", "no advice"),))
    return advice
