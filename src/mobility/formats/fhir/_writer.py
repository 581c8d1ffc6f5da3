"""Writing a protocol as a FHIR bundle: :func:`~mobility.to_fhir`."""

from __future__ import annotations

import base64
import datetime as dt
import enum
import hashlib
import re
import urllib.parse
import uuid

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final
from xml.etree import ElementTree as ET

import attrs

from ...errors import InvalidModelError
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
    Items,
    Paragraph,
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
    BUNDLE_TYPES,
    CARE_PLAN_IDS,
    DAYS_OF_WEEK,
    EXERCISE_IDS,
    EXERCISE_THERAPY,
    EXTENSION,
    FORMAT_VERSION,
    ILLUSTRATION_LABEL,
    NAMESPACE,
    PHYSICAL_ACTIVITY,
    PLAN_FIELDS,
    PLAN_TYPE,
    PROTOCOL_IDS,
    PUBLISHER,
    REGION_SYSTEM,
    SNOMED,
    TZ_CODE,
    UCUM,
    XHTML,
)


if TYPE_CHECKING:
    from collections.abc import Iterable

    from ...model import Frequency
    from ...safety.limits import SafetyLimits


def to_fhir(  # noqa: PLR0913 - each is a separate choice of the caller's
    item: Protocol | Schedule,
    *,
    limits: SafetyLimits | None = None,
    subject: Mapping[str, Any] | None = None,
    base: str = BASE,
    bundle_type: str = "collection",
    date: dt.date | None = None,
) -> dict[str, Any]:
    """Write a protocol, or a schedule of one, as a FHIR R4 ``Bundle``.

    Args:
        item: A protocol, or a :class:`~mobility.Schedule`; a schedule adds a
            ``CarePlan`` with its days, times, time zone and review.
        limits: The safety limits the protocol must meet; its audience's
            defaults unless given.
        subject: The ``CarePlan``'s patient, a FHIR ``Reference`` such as
            ``{"reference": "Patient/123"}`` (a ``display`` may go with it). A
            schedule names nobody, so by default the plan refers to a
            ``Patient`` contained in it, for the receiving system to replace.
        base: The base of the canonical URLs of the plan and its activities,
            such as the FHIR server that will hold them:
            ``{base}/PlanDefinition/{id}``. An absolute ``http`` or ``https``
            URL, without a query or a fragment.
        bundle_type: ``"collection"`` (the default) to store or send the
            bundle as one document, or ``"transaction"`` to have a server
            create each resource: every entry then has a ``request``, a
            conditional create on the resource's canonical URL and version (or
            on its identifier), so posting it twice creates nothing new.
        date: The ``date`` written on each plan and activity; today in UTC
            unless given.

    Returns:
        The bundle, as a ``dict`` of JSON values.

    Raises:
        UnsafeProtocolError: The protocol fails validation; nothing is written.
        InvalidModelError: ``base``, ``bundle_type`` or ``subject`` is not one
            FHIR can hold.
    """
    protocol = item.protocol if isinstance(item, Schedule) else item
    check_options(subject, base, bundle_type)
    validate(protocol, limits).raise_if_unsafe()
    resources = bundle_resources(protocol, base=base, date=date)
    if isinstance(item, Schedule):
        version = resources[0]["version"]  # the plan's, worked out once
        resources.append(_care_plan(item, subject, base=base, version=version))
    return bundle(resources, bundle_type)


def check_options(
    subject: Mapping[str, Any] | None, base: str, bundle_type: str
) -> None:
    """Refuse a subject, base or bundle type FHIR cannot hold, before any work."""
    check_base(base)
    if bundle_type not in BUNDLE_TYPES:
        problem = f"expected 'collection' or 'transaction', got {_brief(bundle_type)}"
        raise InvalidModelError(
            f"bundle_type: {problem}", field="bundle_type", problem=problem
        )
    if subject is not None:
        check_subject(subject)


def bundle(resources: Iterable[dict[str, Any]], bundle_type: str) -> dict[str, Any]:
    """Resources as a bundle of the type given, each entry with its request."""
    entries = []
    for resource in resources:
        entry: dict[str, Any] = {"fullUrl": _full_url(resource), "resource": resource}
        if bundle_type == "transaction":
            entry["request"] = request(resource)
        entries.append(entry)
    return {"resourceType": "Bundle", "type": bundle_type, "entry": entries}


def request(resource: Mapping[str, Any]) -> dict[str, Any]:
    """A conditional create: on the canonical URL and version, or the identifier."""
    if "url" in resource:
        query = {"url": resource["url"], "version": resource["version"]}
    else:
        (identifier, *_) = resource["identifier"]
        query = {"identifier": f"{identifier['system']}|{identifier['value']}"}
    return {
        "method": "POST",
        "url": resource["resourceType"],
        "ifNoneExist": urllib.parse.urlencode(query),
    }


# A FHIR canonical base: http(s), a host, a path, and no query or fragment.
_BASE: Final = re.compile(r"https?://[^\s/?#|]+(/[^\s?#|]*)?")


def check_base(base: object) -> None:
    """Refuse a base that would not make canonical URLs FHIR accepts."""
    if not isinstance(base, str) or not _BASE.fullmatch(base) or base.endswith("/"):
        problem = (
            "expected an absolute http or https URL without a query, a fragment "
            f"or a trailing slash, such as {BASE!r}; got {_brief(base)}"
        )
        raise InvalidModelError(f"base: {problem}", field="base", problem=problem)


# A FHIR literal reference: a resource type and an id, or an absolute URL.
_REFERENCE: Final = re.compile(
    r"[A-Z][A-Za-z]{1,63}/[A-Za-z0-9\-.]{1,64}|https?://[^\s|]+/[A-Z][A-Za-z]{1,63}/[A-Za-z0-9\-.]{1,64}"
)


def check_subject(subject: object) -> None:
    """Refuse a subject that is not a FHIR ``Reference`` mobility can write."""
    ok = isinstance(subject, Mapping) and set(subject) <= _SUBJECT
    if ok:
        assert isinstance(subject, Mapping)  # noqa: S101 - for the type checker
        display = subject.get("display")
        ok = _is_reference(subject.get("reference")) and (
            display is None or (isinstance(display, str) and display.strip() != "")
        )
    if not ok:
        # A display alone fails R4's ref-1 as HL7's validator reads it.
        problem = (
            "expected a FHIR Reference such as {'reference': 'Patient/123'}: a "
            "resource type and an id, or an absolute URL to one, and a display "
            f"text if you like; got {_brief(subject)}"
        )
        raise InvalidModelError(f"subject: {problem}", field="subject", problem=problem)


def _brief(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


_SUBJECT: Final = frozenset({"reference", "display"})


def _is_reference(value: object) -> bool:
    return isinstance(value, str) and _REFERENCE.fullmatch(value) is not None


def bundle_resources(
    protocol: Protocol, *, base: str = BASE, date: dt.date | None = None
) -> list[dict[str, Any]]:
    """The plan and its activities, unvalidated; ``from_fhir`` compares with them."""
    about = _About(
        base=base,
        version=version_of(protocol),
        date=(date or dt.datetime.now(dt.UTC).date()).isoformat(),
    )
    content = sections(protocol)
    safety = next(s for s in content if s.part is Part.SAFETY)
    exercises = [s for s in content if s.part is Part.EXERCISE]
    activities = [
        _activity(protocol, exercise, section, safety, about)
        for exercise, section in zip(protocol.exercises, exercises, strict=True)
    ]
    return [_plan(protocol, activities, content, about), *activities]


@attrs.frozen
class _About:
    """What every canonical resource of one bundle says about itself."""

    base: str
    version: str
    date: str


def version_of(protocol: Protocol) -> str:
    """The business version of a protocol's resources.

    It is the mapping's version and the first 12 hex digits of the SHA-256 of
    the protocol's JSON document. The same protocol always gets the same
    version, and a changed one a new version, so ``url|version`` names one
    protocol exactly.
    """
    from ..json import to_json  # noqa: PLC0415 - JSON is loaded only when needed

    digest = hashlib.sha256(to_json(protocol).encode("utf-8")).hexdigest()
    return f"{FORMAT_VERSION}.{digest[:12]}"


def computable_name(slug: str) -> str:
    """A name a machine can use (FHIR's ``[A-Z]([A-Za-z0-9_]){0,254}``) from a slug."""
    name = "".join(
        part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", slug)
    )
    if not name[:1].isalpha():
        name = "N" + name
    return name[:255]


def _plan(
    protocol: Protocol,
    activities: list[dict[str, Any]],
    content: tuple[Section, ...],
    about: _About,
) -> dict[str, Any]:
    plan: dict[str, Any] = {
        "resourceType": "PlanDefinition",
        "id": protocol.id,
        "text": narrative(content),
        "extension": [
            {"url": f"{EXTENSION}format-version", "valueInteger": FORMAT_VERSION},
            *_top_level(_extensions(protocol, PLAN_FIELDS)),
        ],
        "url": f"{about.base}/PlanDefinition/{protocol.id}",
        "identifier": [{"system": PROTOCOL_IDS, "value": protocol.id}],
        "version": about.version,
        "name": computable_name(protocol.id),
        "title": protocol.name,
        "type": {"coding": [PLAN_TYPE]},
        "status": "active",
        "date": about.date,
        "publisher": PUBLISHER,
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
            "definitionCanonical": f"{activity['url']}|{about.version}",
        }
        for exercise, activity in zip(protocol.exercises, activities, strict=True)
    ]
    return plan


def _activity(
    protocol: Protocol,
    exercise: Exercise,
    section: Section,
    safety: Section,
    about: _About,
) -> dict[str, Any]:
    # The description is the exercise's section of the person-facing content,
    # without its heading (that is the activity's title).
    description = markdown(
        [Section(section.part, None, section.blocks)], escape=markdown_escape
    ).rstrip("\n")
    activity_id = _activity_id(protocol, exercise)
    activity: dict[str, Any] = {
        "resourceType": "ActivityDefinition",
        "id": activity_id,
        "text": narrative([section, safety]),
        "extension": _top_level(_extensions(exercise, ACTIVITY_FIELDS)),
        "url": f"{about.base}/ActivityDefinition/{activity_id}",
        "identifier": [{"system": EXERCISE_IDS, "value": exercise.id}],
        "version": about.version,
        "name": computable_name(exercise.id),
        "title": exercise.name,
        "status": "active",
        "date": about.date,
        "publisher": PUBLISHER,
        "description": description,
    }
    if exercise.purpose is not None:
        activity["purpose"] = markdown_escape(exercise.purpose)
    # An app that applies the activity alone still shows the safety text.
    activity["usage"] = _safety_text(protocol)
    artifacts = [] if exercise.source is None else [_artifact(exercise.source)]
    illustration = _illustration(exercise)
    if illustration is not None:
        artifacts.append(illustration)
    if artifacts:
        activity["relatedArtifact"] = artifacts
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


def _care_plan(
    schedule: Schedule, subject: Mapping[str, Any] | None, *, base: str, version: str
) -> dict[str, Any]:
    protocol = schedule.protocol
    plan_url = f"{base}/PlanDefinition/{protocol.id}"
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
                "dayOfWeek": [DAYS_OF_WEEK[day] for day in schedule.days],
                "timeOfDay": [when.isoformat(timespec="seconds") for when in times],
            }
        }

    activity_base = f"{base}/ActivityDefinition/"
    activities: list[dict[str, Any]] = [
        {
            "detail": {
                "kind": "ServiceRequest",
                "instantiatesCanonical": [
                    f"{activity_base}{_activity_id(protocol, exercise)}|{version}"
                ],
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
    # Whose plan it is makes it another plan: two patients' plans of the same
    # schedule must not match one conditional create.
    whose = (subject or {}).get("reference", "")
    key = f"care-plan/{whose}/{protocol.id}/{version}/{schedule.start}/{schedule.tz}"
    care_plan_id = str(uuid.uuid5(NAMESPACE, key))
    description = (
        f"{describe_frequency(protocol.frequency)}, for "
        f"{schedule.weeks} week{'s' * (schedule.weeks != 1)}."
    )
    safety = safety_section(protocol.disclaimer)
    care_plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": care_plan_id,
        "text": narrative(
            [
                Section(Part.TITLE, protocol.name, ()),
                Section(Part.SCHEDULE, None, [Paragraph(description, "How often")]),
                safety,
            ]
        ),
        "identifier": [{"system": CARE_PLAN_IDS, "value": care_plan_id}],
        "instantiatesCanonical": [f"{plan_url}|{version}"],
        "status": "active",
        "intent": "plan",
        "category": [{"coding": [dict(PHYSICAL_ACTIVITY)]}],
        "title": protocol.name,
        "description": description,
        "subject": dict(subject) if subject is not None else dict(_SOMEONE),
        "period": {
            "start": schedule.start.isoformat(),
            "end": schedule.end.isoformat(),
        },
        "activity": activities,
        "note": [{"text": markdown_escape(_safety_text(protocol))}],
    }
    if subject is None:
        # A CarePlan must name its subject, and a reference with only a display
        # fails R4's ref-1 as HL7's validator reads it (an empty result is a
        # failure), so the person is a Patient contained in the plan, to be
        # replaced by a real one.
        # After the narrative, where FHIR's JSON puts it; resourceType stays first.
        head = ("resourceType", "id", "text")
        care_plan = {
            **{key: care_plan[key] for key in head},
            "contained": [{"resourceType": "Patient", "id": "person"}],
            **{key: value for key, value in care_plan.items() if key not in head},
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


_SOMEONE: Final = {
    "reference": "#person",
    "display": "The person who follows this schedule",
}

# Characters a string may hold that XML 1.0 may not; the model refuses the
# others (control characters and surrogates) already.
_NOT_XML: Final = re.compile("[\ufffe\uffff]")


def narrative(content: Iterable[Section]) -> dict[str, Any]:
    """Sections as a FHIR narrative: generated XHTML that shows the same text.

    ElementTree escapes every text; the two characters XML cannot hold at all
    (U+FFFE and U+FFFF) are shown as U+FFFD.
    """
    div = ET.Element("div", {"xmlns": XHTML})

    def add(parent: ET.Element, tag: str, text: str) -> ET.Element:
        element = ET.SubElement(parent, tag)
        element.text = _NOT_XML.sub("\ufffd", text)
        return element

    for section in content:
        if section.heading is not None:
            add(div, "h2" if section.part is Part.TITLE else "h3", section.heading)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                if block.label:
                    paragraph = ET.SubElement(div, "p")
                    add(paragraph, "b", f"{block.label}:").tail = _NOT_XML.sub(
                        "\ufffd", f" {block.text}"
                    )
                else:
                    add(div, "p", block.text)
                continue
            assert isinstance(block, Items)  # noqa: S101 - the only other kind
            if block.title:
                add(div, "p", f"{block.title}:")
            listed = ET.SubElement(div, "ol" if block.numbered else "ul")
            for item in block.items:
                add(listed, "li", item)
    return {"status": "generated", "div": ET.tostring(div, encoding="unicode")}


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


def _activity_id(protocol: Protocol, exercise: Exercise) -> str:
    """A FHIR id (64 characters at most) unique to the exercise in the protocol."""
    joined = f"{protocol.id}.{exercise.id}"
    if len(joined) <= 64:
        return joined
    return str(uuid.uuid5(NAMESPACE, joined))


def _full_url(resource: Mapping[str, Any]) -> str:
    name = "{resourceType}/{id}".format_map(resource)
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, name)}"


def _illustration(exercise: Exercise) -> dict[str, Any] | None:
    """The exercise's figure as a ``RelatedArtifact``, the SVG attached.

    A ``documentation`` artifact whose ``document`` holds the drawing (base64,
    as an Attachment's ``data`` is), titled with the figure's text
    alternative. Written for people, like the narrative: a reader does not
    read it back (the figure's data is an extension). ``None`` for an exercise
    without a figure.
    """
    from .._figures import alternative, exercise_drawing  # noqa: PLC0415

    if exercise.figure is None:
        return None
    svg = exercise_drawing(exercise).encode("utf-8")
    return {
        "type": "documentation",
        "label": ILLUSTRATION_LABEL,
        "display": f"Figure: {exercise.name}",
        "document": {
            "contentType": "image/svg+xml",
            "language": "en",
            "data": base64.b64encode(svg).decode("ascii"),
            "size": len(svg),
            "hash": base64.b64encode(hashlib.sha1(svg).digest()).decode("ascii"),  # noqa: S324 - the hash R4's Attachment names
            "title": alternative(exercise),
        },
    }


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
        case dt.date():
            return {"url": name, "valueDate": value.isoformat()}
    return {"url": name, "extension": _extensions(value)}


def _range(value: Range, *, seconds: bool) -> dict[str, Any]:
    unit = {"unit": "s", "system": UCUM, "code": "s"} if seconds else {}
    return {"low": {"value": value.low, **unit}, "high": {"value": value.high, **unit}}


def _top_level(extensions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Extensions on a resource need absolute URLs; their parts keep plain names."""
    return [{**ext, "url": EXTENSION + ext["url"]} for ext in extensions]
