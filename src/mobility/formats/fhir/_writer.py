"""Writing a protocol as a FHIR bundle: :func:`~mobility.to_fhir`."""

from __future__ import annotations

import enum
import uuid

from typing import TYPE_CHECKING, Any

import attrs

from ...model import (
    Exercise,
    Protocol,
    Range,
    Region,
    Source,
)
from ...model.schedule import Schedule
from ...safety.validator import validate
from ..text import (
    Part,
    Section,
    describe_dose,
    describe_frequency,
    markdown,
    markdown_escape,
    plain,
    reference,
    safety_section,
    sections,
)
from ._mapping import (
    ACTIVITY_FIELDS,
    BASE,
    BODY_SITES,
    EXERCISE_IDS,
    EXERCISE_THERAPY,
    EXTENSION,
    FORMAT_VERSION,
    NAMESPACE,
    PLAN_FIELDS,
    PLAN_TYPE,
    PROTOCOL_IDS,
    REGION_SYSTEM,
    SNOMED,
    TZ_CODE,
    UCUM,
)


if TYPE_CHECKING:
    from collections.abc import Mapping

    from ...model import Frequency
    from ...safety.limits import SafetyLimits


def to_fhir(
    item: Protocol | Schedule,
    *,
    limits: SafetyLimits | None = None,
    subject: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Write a protocol, or a schedule of one, as a FHIR R4 ``Bundle``.

    Args:
        item: A protocol, or a :class:`~mobility.Schedule`; a schedule adds a
            ``CarePlan`` with its days, times, time zone and review.
        limits: The safety limits the protocol must meet; its audience's
            defaults unless given.
        subject: The ``CarePlan``'s subject, a FHIR ``Reference`` such as
            ``{"reference": "Patient/123"}``; a schedule names nobody, so by
            default the reference only says whom it is for.

    Returns:
        The bundle, as a ``dict`` of JSON values.

    Raises:
        UnsafeProtocolError: The protocol fails validation; nothing is written.
    """
    protocol = item.protocol if isinstance(item, Schedule) else item
    validate(protocol, limits).raise_if_unsafe()
    resources = bundle_resources(protocol)
    if isinstance(item, Schedule):
        resources.append(_care_plan(item, subject))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": _full_url(resource), "resource": resource}
            for resource in resources
        ],
    }


def bundle_resources(protocol: Protocol) -> list[dict[str, Any]]:
    """The plan and its activities, unvalidated; ``from_fhir`` compares with them."""
    # Each activity's description is its section of the person-facing content,
    # without the heading (that is the activity's title).
    described = [
        markdown([Section(s.part, None, s.blocks)], escape=markdown_escape).rstrip("\n")
        for s in sections(protocol)
        if s.part is Part.EXERCISE
    ]
    activities = [
        _activity(protocol, exercise, description)
        for exercise, description in zip(protocol.exercises, described, strict=True)
    ]
    return [_plan(protocol, activities), *activities]


def _plan(protocol: Protocol, activities: list[dict[str, Any]]) -> dict[str, Any]:
    plan: dict[str, Any] = {
        "resourceType": "PlanDefinition",
        "id": protocol.id,
        "extension": [
            {"url": f"{EXTENSION}format-version", "valueInteger": FORMAT_VERSION},
            *_top_level(_extensions(protocol, PLAN_FIELDS)),
        ],
        "url": _plan_url(protocol),
        "identifier": [{"system": PROTOCOL_IDS, "value": protocol.id}],
        "title": protocol.name,
        "type": {"coding": [PLAN_TYPE]},
        "status": "active",
        "purpose": markdown_escape(protocol.purpose),
        "usage": _safety_text(protocol),
    }
    if protocol.sources:
        plan["relatedArtifact"] = [_artifact(source) for source in protocol.sources]
    plan["action"] = [
        {
            "title": exercise.name,
            "description": describe_dose(exercise.dose),
            "code": [_exercise_therapy()],
            "timingTiming": _timing(protocol.frequency),
            "definitionCanonical": activity["url"],
        }
        for exercise, activity in zip(protocol.exercises, activities, strict=True)
    ]
    return plan


def _activity(
    protocol: Protocol, exercise: Exercise, description: str
) -> dict[str, Any]:
    activity: dict[str, Any] = {
        "resourceType": "ActivityDefinition",
        "id": _activity_id(protocol, exercise),
        "extension": _top_level(_extensions(exercise, ACTIVITY_FIELDS)),
        "url": f"{_plan_url(protocol)}/{exercise.id}",
        "identifier": [{"system": EXERCISE_IDS, "value": exercise.id}],
        "title": exercise.name,
        "status": "active",
        "description": description,
    }
    if exercise.purpose is not None:
        activity["purpose"] = markdown_escape(exercise.purpose)
    if exercise.source is not None:
        activity["relatedArtifact"] = [_artifact(exercise.source)]
    activity |= {
        "kind": "ServiceRequest",
        "code": _exercise_therapy(),
        "timingTiming": _timing(protocol.frequency),
        "bodySite": [_body_site(protocol.region)],
        "dosage": [
            {
                "text": describe_dose(exercise.dose),
                "timing": _timing(protocol.frequency),
            }
        ],
    }
    return activity


def _care_plan(schedule: Schedule, subject: Mapping[str, Any] | None) -> dict[str, Any]:
    protocol = schedule.protocol
    plan_url = _plan_url(protocol)
    times = sorted(schedule.at)
    first = schedule.first_session(times[0]).isoformat()

    def timing() -> dict[str, Any]:  # a fresh one each time: callers may edit them
        return {
            "repeat": {
                "boundsPeriod": {
                    "start": first,
                    "_start": {
                        "extension": [{"url": TZ_CODE, "valueCode": schedule.tz}]
                    },
                    "end": schedule.end.isoformat(),
                },
                "dayOfWeek": [day.value.lower() for day in schedule.days],
                "timeOfDay": [when.isoformat(timespec="seconds") for when in times],
            }
        }

    activities: list[dict[str, Any]] = [
        {
            "detail": {
                "kind": "ServiceRequest",
                "instantiatesCanonical": [f"{plan_url}/{exercise.id}"],
                "code": _exercise_therapy(),
                "status": "scheduled",
                "scheduledTiming": timing(),
                "description": f"{exercise.name}: {describe_dose(exercise.dose)}",
            }
        }
        for exercise in protocol.exercises
    ]
    if schedule.review_date is not None and protocol.review is not None:
        activities.append(
            {
                "detail": {
                    "kind": "Task",
                    "status": "scheduled",
                    "scheduledPeriod": {
                        "start": schedule.review_date.isoformat(),
                        "end": schedule.review_date.isoformat(),
                    },
                    "description": f"Review: {protocol.review.action}",
                }
            }
        )
    care_plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": str(uuid.uuid5(NAMESPACE, f"care-plan/{protocol.id}/{schedule.start}")),
        "instantiatesCanonical": [plan_url],
        "status": "active",
        "intent": "plan",
        "title": protocol.name,
        "description": f"{describe_frequency(protocol.frequency)}, for "
        f"{schedule.weeks} week{'s' * (schedule.weeks != 1)}.",
        "subject": dict(subject)
        if subject is not None
        else {"display": "The person who follows this schedule"},
        "period": {
            "start": schedule.start.isoformat(),
            "end": schedule.end.isoformat(),
        },
        "activity": activities,
        "note": [{"text": markdown_escape(_safety_text(protocol))}],
    }
    if schedule.alarm is not None:
        minutes = schedule.alarm.total_seconds() / 60
        care_plan["extension"] = [
            {
                "url": f"{EXTENSION}reminder",
                "valueDuration": {
                    "value": int(minutes) if minutes.is_integer() else minutes,
                    "unit": "min",
                    "system": UCUM,
                    "code": "min",
                },
            }
        ]
    return care_plan


def _safety_text(protocol: Protocol) -> str:
    return plain([safety_section(protocol.disclaimer)], width=None).rstrip("\n")


def _timing(frequency: Frequency) -> dict[str, Any]:
    """How often, as a FHIR ``Timing``: a day's sessions, or a week's."""
    if frequency.days_per_week == 7:
        repeat = {
            "frequency": frequency.sessions_per_day,
            "period": 1,
            "periodUnit": "d",
        }
    else:
        repeat = {
            "frequency": frequency.sessions_per_week,
            "period": 1,
            "periodUnit": "wk",
        }
    return {"repeat": repeat}


def _exercise_therapy() -> dict[str, Any]:
    return {"coding": [dict(EXERCISE_THERAPY)], "text": "Exercise therapy"}


def _body_site(region: Region) -> dict[str, Any]:
    coding = [{"system": REGION_SYSTEM, "code": region.value}]
    if region in BODY_SITES:
        code, display = BODY_SITES[region]
        coding.append({"system": SNOMED, "code": code, "display": display})
    return {"coding": coding}


def _plan_url(protocol: Protocol) -> str:
    return f"{BASE}/PlanDefinition/{protocol.id}"


def _activity_id(protocol: Protocol, exercise: Exercise) -> str:
    """A FHIR id (64 characters at most) unique to the exercise in the protocol."""
    joined = f"{protocol.id}.{exercise.id}"
    if len(joined) <= 64:
        return joined
    return str(uuid.uuid5(NAMESPACE, joined))


def _full_url(resource: Mapping[str, Any]) -> str:
    name = "{resourceType}/{id}".format_map(resource)
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, name)}"


def _artifact(source: Source) -> dict[str, Any]:
    """A source as a ``RelatedArtifact`` (citation) with its own extensions."""
    artifact: dict[str, Any] = {"type": "citation"}
    extensions = [
        {"url": f"{EXTENSION}source-inferred", "valueBoolean": source.inferred}
    ]
    if source.note is not None:
        extensions.append(
            {"url": f"{EXTENSION}source-note", "valueString": source.note}
        )
    if source.kind is not None:
        extensions.append(
            {"url": f"{EXTENSION}source-kind", "valueCode": source.kind.value}
        )
    artifact["extension"] = extensions
    artifact["display"] = source.citation
    artifact["citation"] = markdown_escape(reference(source))
    if source.url is not None:
        artifact["url"] = source.url
    return artifact


# --------------------------------------------------------------------------------
# The extensions, read off the model's own fields


def _extensions(
    instance: Any, skip: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """The fields of a model object as extensions named after them.

    ``None`` and empty tuples are left out. A tuple that may also be ``None``
    (a disclaimer's cautions) says that it was given with ``<name>_stated``, so
    "none" and "not considered" stay apart.
    """
    found: list[dict[str, Any]] = []
    for field in attrs.fields(type(instance)):
        if field.name in skip:
            continue
        value = getattr(instance, field.name)
        if value is None:
            continue
        if isinstance(value, tuple):
            if field.default is None:
                found.append({"url": f"{field.name}_stated", "valueBoolean": True})
            found += (_extension(field.name, item) for item in value)
        else:
            found.append(_extension(field.name, value))
    return found


def _extension(name: str, value: Any) -> dict[str, Any]:  # noqa: PLR0911 - a value type each
    match value:
        case Source():
            return {"url": name, "valueRelatedArtifact": _artifact(value)}
        case Range():
            return {
                "url": name,
                "valueRange": _range(value, seconds=name.endswith("seconds")),
            }
        case enum.Enum():
            return {"url": name, "valueCode": value.value}
        case bool():
            return {"url": name, "valueBoolean": value}
        case int():
            return {"url": name, "valueInteger": value}
        case float():
            return {"url": name, "valueDecimal": value}
        case str():
            return {"url": name, "valueString": value}
    return {"url": name, "extension": _extensions(value)}


def _range(value: Range, *, seconds: bool) -> dict[str, Any]:
    unit = {"unit": "s", "system": UCUM, "code": "s"} if seconds else {}
    return {"low": {"value": value.low, **unit}, "high": {"value": value.high, **unit}}


def _top_level(extensions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Extensions on a resource need absolute URLs; their parts keep plain names."""
    return [{**ext, "url": EXTENSION + ext["url"]} for ext in extensions]
