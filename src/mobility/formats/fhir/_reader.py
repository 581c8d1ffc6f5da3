"""Reading a bundle back into its protocol: :func:`~mobility.from_fhir`."""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

from ...errors import FormatError, InvalidModelError, Problem
from ...model import (
    Exercise,
    Protocol,
    Range,
    Region,
    Source,
    SourceKind,
)
from ...model._checks import shown
from ..text import (
    markdown_unescape,
)
from ._mapping import (
    ACTIVITY_FIELDS,
    BOOKKEEPING,
    BUNDLE_BOOKKEEPING,
    BUNDLE_TYPES,
    EXERCISE_IDS,
    EXTENSION,
    FORMAT_VERSION,
    ILLUSTRATION_LABEL,
    PLAN_FIELDS,
    PROTOCOL_IDS,
    REGION_SYSTEM,
    REGIONS,
    WRITTEN_FOR_PEOPLE,
    WRITTEN_WITH_THE_DATE,
)
from ._writer import bundle_resources, check_base, request


if TYPE_CHECKING:
    from collections.abc import Iterator


def _is_illustration(artifact: object) -> bool:
    """Whether a RelatedArtifact is an exercise's figure, as the writer labels it."""
    return (
        isinstance(artifact, Mapping)
        and artifact.get("type") == "documentation"
        and artifact.get("label") == ILLUSTRATION_LABEL
    )


def from_fhir(bundle: Mapping[str, Any]) -> Protocol:
    """Read a bundle written by :func:`~mobility.to_fhir` back into its protocol.

    The bundle is parsed JSON (``json.loads`` of the file). A ``CarePlan`` in it
    is not read: the protocol is. The readable texts (the narratives among them)
    and the ``date`` are not read either, since they are written from the fields
    that are, or from the day. Anything else that differs from what
    :func:`~mobility.to_fhir` writes for the protocol read is refused, so that
    nothing in the bundle is silently lost; the ``version`` is compared too, and
    so is each ``request`` of a transaction. What a server adds (``meta``, the
    bundle's ``id`` and ``timestamp``) is let through. The base of the canonical
    URLs is read from the plan's ``url``.

    Before any of that, the bundle is held to the caps of the JSON format:
    at most 50,000 values, 2 MiB of text, 1,000 items to a list, and 64 levels
    of nesting.

    Raises:
        FormatError: The bundle is not one mobility wrote, or lacks what a
            protocol needs, or is past a cap; each problem names its path, such
            as ``Bundle.entry[1].resource.extension[2]``.
    """
    _survey(bundle)
    reader = _Reader()
    protocol = reader.protocol(bundle)
    if protocol is not None and not reader.problems:
        reader.compare(bundle, protocol, reader.base)
    if reader.problems:
        raise FormatError(tuple(reader.problems))
    if protocol is None:  # pragma: no cover - every refusal above is reported
        msg = "from_fhir read no protocol and reported no problem"
        raise AssertionError(msg)
    return protocol


#: How deep a bundle may nest; one mobility writes goes 14 levels deep.
MAX_DEPTH: Final = 64


def _survey(bundle: object) -> None:
    """Refuse, before any work, a bundle past the JSON format's caps.

    One walk over every value without recursion, however deep the input.
    """
    from .._converter import MAX_ITEMS  # noqa: PLC0415 - the caps, not the loader
    from ..json import MAX_DOCUMENT_BYTES, MAX_VALUES  # noqa: PLC0415

    values = text = 0
    stack: list[tuple[str, object, int]] = [("Bundle", bundle, 1)]
    while stack:
        path, value, depth = stack.pop()
        values += 1
        if depth > MAX_DEPTH:
            problem = f"nested more than {MAX_DEPTH} levels deep"
        elif isinstance(value, str):
            text += len(value)
            problem = ""
        elif isinstance(value, Mapping):
            text += sum(len(key) for key in value if isinstance(key, str))
            values += len(value)
            stack += ((f"{path}.{k}", v, depth + 1) for k, v in value.items())
            problem = ""
        elif isinstance(value, list):
            problem = (
                f"holds more than {MAX_ITEMS} items" if len(value) > MAX_ITEMS else ""
            )
            stack += ((f"{path}[{i}]", v, depth + 1) for i, v in enumerate(value))
        else:
            problem = ""
        if values > MAX_VALUES:
            path, problem = "Bundle", f"holds more than {MAX_VALUES} values"
        elif text > MAX_DOCUMENT_BYTES:
            path, problem = "Bundle", f"holds more than {MAX_DOCUMENT_BYTES} characters"
        if problem:
            raise FormatError(
                (Problem(path, f"{problem}; a protocol needs far fewer"),)
            )


_MISSING: Final = object()
_At = tuple[str, Mapping[str, Any]]  # a resource and its path
_T = typing.TypeVar("_T")


#: What an entry of a bundle mobility writes holds.
_ENTRY_KEYS: Final = frozenset({"fullUrl", "resource"})


class _Reader:
    """Reads a bundle, collecting every problem with its path."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.base = ""
        self.transaction = False

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def expected(self, path: str, what: str, value: object = _MISSING) -> None:
        self.problem(path, f"expected {what}, got {_shown(value)}")

    # The structure of the bundle

    def protocol(self, bundle: object) -> Protocol | None:
        if not isinstance(bundle, Mapping):
            self.expected("Bundle", "a JSON object", bundle)
            return None
        if bundle.get("resourceType") != "Bundle":
            kind = bundle.get("resourceType", _MISSING)
            self.expected("Bundle.resourceType", "'Bundle'", kind)
            return None
        self.transaction = bundle.get("type") == "transaction"
        entries = bundle.get("entry", _MISSING)
        if not isinstance(entries, list):
            self.expected("Bundle.entry", "a list of entries", entries)
            return None
        plans, activities = self.resources(entries)
        if len(plans) != 1:
            found = f"found {len(plans)}"
            self.problem("Bundle.entry", f"expected one PlanDefinition, {found}")
            return None
        path, plan = plans[0]
        return self.plan(path, plan, activities)

    def resources(self, entries: list[Any]) -> tuple[list[_At], dict[str, _At]]:
        """The plans, and the activities by URL, each with its path."""
        plans: list[_At] = []
        activities: dict[str, _At] = {}
        for index, entry in enumerate(entries):
            path = f"Bundle.entry[{index}].resource"
            resource = entry.get("resource") if isinstance(entry, Mapping) else None
            allowed = _ENTRY_KEYS | ({"request"} if self.transaction else set())
            for key in entry if isinstance(entry, Mapping) else ():
                if key not in allowed:  # a search's score, say
                    where = f"Bundle.entry[{index}].{key}"
                    self.problem(where, "is not read by mobility; it would be lost")
            if not isinstance(resource, Mapping):
                self.expected(path, "a resource", resource)
                continue
            kind = resource.get("resourceType")
            if kind == "PlanDefinition":
                plans.append((path, resource))
            elif kind == "ActivityDefinition":
                url = resource.get("url", _MISSING)
                if isinstance(url, str):
                    activities[url] = (path, resource)
                else:
                    self.expected(f"{path}.url", "the activity's URL", url)
            elif kind != "CarePlan":
                what = "PlanDefinition, ActivityDefinition or CarePlan"
                self.expected(f"{path}.resourceType", what, kind)
        return plans, activities

    def plan(
        self, path: str, plan: Mapping[str, Any], activities: dict[str, _At]
    ) -> Protocol | None:
        version = self.extension_value(
            plan, path, f"{EXTENSION}format-version", "valueInteger"
        )
        if version is not _MISSING and version != FORMAT_VERSION:
            self.problem(
                f"{path}.extension",
                f"this bundle uses version {_shown(version)} of mobility's FHIR "
                f"mapping; this version of mobility reads version {FORMAT_VERSION}",
            )
            return None
        self.base = self.plan_base(plan, path)
        if not self.base:
            return None
        fields: dict[str, Any] = {
            "id": self.identifier(plan, path, PROTOCOL_IDS),
            "name": self.string(plan, path, "title"),
            "purpose": self.markdown(plan, path, "purpose"),
        }
        sources = plan.get("relatedArtifact", [])
        fields["sources"] = tuple(
            self.each(sources, f"{path}.relatedArtifact", self.source)
        )
        actions = plan.get("action", _MISSING)
        if not isinstance(actions, list) or not actions:
            self.expected(f"{path}.action", "one action per exercise", actions)
            actions = []
        regions: set[str] = set()
        exercises = self.actions(actions, path, activities, regions)
        fields["exercises"] = tuple(exercises)
        if len(regions) == 1:
            fields["region"] = Region(regions.pop())
        elif regions:
            named = ", ".join(sorted(regions))
            self.problem(path, f"the activities name different regions: {named}")
        extensions = _own_extensions(plan)
        skip = PLAN_FIELDS
        fields |= self.fields(Protocol, extensions, f"{path}.extension", skip)
        if self.problems or len(exercises) != len(actions):
            return None
        return self.build(Protocol, fields, path)

    def actions(
        self,
        actions: list[Any],
        path: str,
        activities: dict[str, _At],
        regions: set[str],
    ) -> list[Exercise]:
        """The exercise each action names, in order; the regions they name."""
        exercises: list[Exercise] = []
        for index, action in enumerate(actions):
            url = (
                action.get("definitionCanonical")
                if isinstance(action, Mapping)
                else None
            )
            # A list or an object here is damage to report, not a key to look up.
            if isinstance(url, str):
                url = url.partition("|")[0]  # the version is compared later
            if not isinstance(url, str) or url not in activities:
                where = f"{path}.action[{index}].definitionCanonical"
                self.expected(
                    where, "the URL of an ActivityDefinition in the bundle", url
                )
                continue
            exercise = self.exercise(*activities[url], regions)
            if exercise is not None:
                exercises.append(exercise)
        return exercises

    def plan_base(self, plan: Mapping[str, Any], path: str) -> str:
        """The base of the plan's canonical URL, or ``""`` (reported) if none."""
        url = plan.get("url", _MISSING)
        split = plan_url_parts(url)
        if split is None:
            what = "a canonical URL of the form {base}/PlanDefinition/{id}"
            self.expected(f"{path}.url", what, url)
            return ""
        return split[0]

    def exercise(
        self, path: str, activity: Mapping[str, Any], regions: set[str]
    ) -> Exercise | None:
        before = len(self.problems)
        fields: dict[str, Any] = {
            "id": self.identifier(activity, path, EXERCISE_IDS),
            "name": self.string(activity, path, "title"),
        }
        if "purpose" in activity:
            fields["purpose"] = self.markdown(activity, path, "purpose")
        artifacts = activity.get("relatedArtifact", [])
        found = list(
            self.each(artifacts, f"{path}.relatedArtifact", self.exercise_source)
        )
        if found:
            fields["source"] = found[0]
        region = self.region(activity, path)
        if region is not None:
            regions.add(region)
        fields |= self.fields(
            Exercise, _own_extensions(activity), f"{path}.extension", ACTIVITY_FIELDS
        )
        if len(self.problems) > before:
            return None
        return self.build(Exercise, fields, path)

    def region(self, activity: Mapping[str, Any], path: str) -> str | None:
        sites = activity.get("bodySite")
        codings = (
            sites[0].get("coding")
            if isinstance(sites, list) and sites and isinstance(sites[0], Mapping)
            else None
        )
        for coding in codings if isinstance(codings, list) else ():
            if isinstance(coding, Mapping) and coding.get("system") == REGION_SYSTEM:
                code = coding.get("code")
                if isinstance(code, str) and code in REGIONS:
                    return str(code)
                what = f"a region ({', '.join(sorted(REGIONS))})"
                self.expected(f"{path}.bodySite[0]", what, code)
                return None
        self.problem(
            f"{path}.bodySite", f"expected a body site coded in {REGION_SYSTEM}"
        )
        return None

    # Elements

    def identifier(self, resource: Mapping[str, Any], path: str, system: str) -> Any:
        identifiers = resource.get("identifier")
        for index, identifier in enumerate(
            identifiers if isinstance(identifiers, list) else ()
        ):
            if isinstance(identifier, Mapping) and identifier.get("system") == system:
                value = identifier.get("value")
                if not isinstance(value, str):
                    self.problem(
                        f"{path}.identifier[{index}].value",
                        f"expected a string, got {_shown(value)}",
                    )
                return value
        self.problem(
            f"{path}.identifier", f"expected an identifier with the system {system}"
        )
        return None

    def string(self, resource: Mapping[str, Any], path: str, key: str) -> Any:
        value = resource.get(key, _MISSING)
        if not isinstance(value, str):
            self.problem(f"{path}.{key}", f"expected a string, got {_shown(value)}")
        return value

    def markdown(self, resource: Mapping[str, Any], path: str, key: str) -> Any:
        value = self.string(resource, path, key)
        return markdown_unescape(value) if isinstance(value, str) else value

    def each(self, items: object, path: str, read: Any) -> Iterator[Any]:
        if not isinstance(items, list):
            self.problem(path, f"expected a list, got {_shown(items)}")
            return
        for index, item in enumerate(items):
            value = read(item, f"{path}[{index}]")
            if value is not None:
                yield value

    def exercise_source(self, artifact: object, path: str) -> Source | None:
        """An activity's source; its figure, written for people, is passed over."""
        if _is_illustration(artifact):
            return None
        return self.source(artifact, path)

    def source(self, artifact: object, path: str) -> Source | None:
        if not isinstance(artifact, Mapping):
            self.problem(path, f"expected a RelatedArtifact, got {_shown(artifact)}")
            return None
        fields: dict[str, Any] = {"citation": self.string(artifact, path, "display")}
        if "url" in artifact:
            fields["url"] = artifact["url"]
        for key, url, kind in (
            ("inferred", "source-inferred", "valueBoolean"),
            ("note", "source-note", "valueString"),
            ("kind", "source-kind", "valueCode"),
        ):
            value = self.extension_value(artifact, path, EXTENSION + url, kind)
            if value is not _MISSING:
                fields[key] = value
        if "kind" in fields:
            fields["kind"] = self.member(
                SourceKind, fields["kind"], f"{path}.extension"
            )
        return self.build(Source, fields, path)

    def extension_value(
        self, element: Mapping[str, Any], path: str, url: str, kind: str
    ) -> Any:
        for index, extension in enumerate(_list(element.get("extension"))):
            if isinstance(extension, Mapping) and extension.get("url") == url:
                if kind not in extension:
                    self.problem(f"{path}.extension[{index}]", f"expected {kind}")
                    return _MISSING
                return extension[kind]
        return _MISSING

    def member(self, kind: type[enum.Enum], value: object, path: str) -> Any:
        try:
            return kind(value)
        except ValueError:
            choices = ", ".join(str(m.value) for m in kind)
            self.problem(path, f"expected one of {choices}, got {_shown(value)}")
            return None

    def build(self, cls: type[_T], fields: dict[str, Any], path: str) -> _T | None:
        required = _required(cls)
        if any(value is None and name in required for name, value in fields.items()):
            return None  # the missing part was reported where it was found
        try:
            return cls(**fields)
        except (InvalidModelError, TypeError) as error:
            self.problem(path, str(error))
            return None

    # Fields kept in extensions

    def fields(
        self,
        cls: type[Any],
        extensions: list[tuple[int, Mapping[str, Any]]],
        path: str,
        skip: frozenset[str] = frozenset(),
    ) -> dict[str, Any]:
        """The fields of ``cls`` that the extensions hold, by name."""
        hints = _hints(cls)
        by_name: dict[str, list[tuple[int, Mapping[str, Any]]]] = {}
        for index, extension in extensions:
            url = extension.get("url")
            if isinstance(url, str):
                by_name.setdefault(url, []).append((index, extension))
        found: dict[str, Any] = {}
        for field in attrs.fields(cls):
            if field.name not in skip:
                hint = hints[field.name]
                self.field(cls, field, hint, by_name, path=path, found=found)
        return found

    def field(  # noqa: PLR0913 - the field, its type, where to look and where to put
        self,
        cls: type[Any],
        field: attrs.Attribute[Any],
        hint: Any,
        by_name: dict[str, list[tuple[int, Mapping[str, Any]]]],
        *,
        path: str,
        found: dict[str, Any],
    ) -> None:
        """Read one field from the extensions named after it into ``found``."""
        items = by_name.get(field.name, [])
        many = _item_type(hint)
        if many is not None:
            values = [self.value(many, ext, f"{path}[{i}]") for i, ext in items]
            stated = f"{field.name}_stated" in by_name
            if items or stated or field.default is not None:
                # A value that could not be read was reported already.
                found[field.name] = tuple(v for v in values if v is not None)
        elif len(items) > 1:
            where = f"{path}[{items[1][0]}]"
            self.problem(where, f"{field.name} is given more than once")
        elif items:
            index, extension = items[0]
            where = f"{path}[{index}]"
            found[field.name] = self.value(_single(hint), extension, where)
        elif field.default is attrs.NOTHING and _optional(hint):
            found[field.name] = None  # left out because it is None
        elif field.default is attrs.NOTHING:
            name = f"{cls.__name__}.{field.name}"
            self.problem(path, f"expected an extension {field.name!r} ({name})")

    def value(self, hint: Any, extension: Mapping[str, Any], path: str) -> Any:  # noqa: PLR0911 - a value type each
        if hint is Source:
            artifact = extension.get("valueRelatedArtifact")
            return self.source(artifact, f"{path}.valueRelatedArtifact")
        if hint is Range:
            return self.range(extension.get("valueRange"), f"{path}.valueRange")
        if attrs.has(hint):
            parts = [
                (i, e)
                for i, e in enumerate(_list(extension.get("extension")))
                if isinstance(e, Mapping)
            ]
            if not parts:
                self.problem(
                    path, f"expected the parts of a {hint.__name__} as extensions"
                )
                return None
            fields = self.fields(hint, parts, f"{path}.extension")
            return self.build(hint, fields, path)
        if hint is dt.date:
            return self.date(extension, path)
        key, check = ("valueCode", str) if _is_enum(hint) else _VALUE_KEYS[hint]
        for name in (key, *_ALSO[key]):
            if name in extension:
                value = extension[name]
                break
        else:
            self.problem(path, f"expected {key}")
            return None
        if not isinstance(value, check) or isinstance(value, bool) is not (
            check is bool
        ):
            self.problem(f"{path}.{key}", f"expected {key}, got {_shown(value)}")
            return None
        if _is_enum(hint):
            return self.member(hint, value, f"{path}.valueCode")
        return _whole(value)

    def date(self, extension: Mapping[str, Any], path: str) -> dt.date | None:
        value = extension.get("valueDate", _MISSING)
        try:
            if isinstance(value, str) and len(value) == len("2026-01-01"):
                return dt.date.fromisoformat(value)
        except ValueError:
            pass
        self.expected(f"{path}.valueDate", "a date, YYYY-MM-DD", value)
        return None

    def range(self, value: object, path: str) -> Range | None:
        if not isinstance(value, Mapping):
            self.problem(path, f"expected a Range, got {_shown(value)}")
            return None
        ends = []
        for end in ("low", "high"):
            quantity = value.get(end)
            number = quantity.get("value") if isinstance(quantity, Mapping) else None
            if not isinstance(number, int | float) or isinstance(number, bool):
                self.problem(
                    f"{path}.{end}.value", f"expected a number, got {_shown(number)}"
                )
                return None
            ends.append(_whole(number))
        return self.build(Range, {"low": ends[0], "high": ends[1]}, path)

    # The whole

    def compare(self, bundle: Mapping[str, Any], protocol: Protocol, base: str) -> None:
        """Refuse anything the protocol read does not account for."""
        expected = {r["url"]: r for r in bundle_resources(protocol, base=base)}
        for key in bundle:
            if key not in {"resourceType", "type", "entry"} | BUNDLE_BOOKKEEPING:
                self.problem(f"Bundle.{key}", "is not read by mobility")
        if bundle.get("type") not in BUNDLE_TYPES:
            self.problem(
                "Bundle.type",
                "expected 'collection' or 'transaction', got "
                f"{_shown(bundle.get('type', _MISSING))}",
            )
        for index, entry in enumerate(bundle["entry"]):
            resource = entry["resource"]
            if resource.get("resourceType") == "CarePlan":
                continue
            path = f"Bundle.entry[{index}].resource"
            url = resource.get("url", _MISSING)
            if not isinstance(url, str):
                self.expected(f"{path}.url", "the resource's URL", url)
                continue
            want = expected.pop(url, None)
            if want is None:
                self.problem(
                    path, "is not part of the protocol: no action refers to it"
                )
                continue
            self.same(want, resource, path, top=True)
            if self.transaction:
                got = entry.get("request", _MISSING)
                where = f"Bundle.entry[{index}].request"
                if got is _MISSING:
                    self.problem(where, "is missing; a transaction needs one")
                else:
                    self.same(request(want), got, where)
        # An activity no action names was reported above; all named ones were read.

    def same(self, want: Any, got: Any, path: str, *, top: bool = False) -> None:
        if len(self.problems) >= FormatError.KEPT:
            return
        if isinstance(want, dict) and isinstance(got, Mapping):
            self.same_object(want, got, path, top=top)
        elif isinstance(want, list) and isinstance(got, list):
            for index, (a, b) in enumerate(zip(want, got, strict=False)):
                self.same(a, b, f"{path}[{index}]")
            if len(want) != len(got):
                self.problem(path, f"expected {len(want)} items, got {len(got)}")
        elif want != got or (
            type(want) is not type(got) and not _both_numbers(want, got)
        ):
            self.expected(path, _shown(want), got)

    def same_object(
        self, want: dict[str, Any], got: Mapping[str, Any], path: str, *, top: bool
    ) -> None:
        for key in got:
            if key in WRITTEN_FOR_PEOPLE or (
                top and (key in BOOKKEEPING or key in WRITTEN_WITH_THE_DATE)
            ):
                continue
            if key not in want:
                self.problem(
                    f"{path}.{key}", "is not read by mobility; it would be lost"
                )
        for key, value in want.items():
            if key in WRITTEN_FOR_PEOPLE or (top and key in WRITTEN_WITH_THE_DATE):
                continue
            if key in got:
                self.same(value, got[key], f"{path}.{key}")
            else:
                self.problem(f"{path}.{key}", f"is missing; expected {_shown(value)}")


# --------------------------------------------------------------------------------
# Helpers of the reader


def plan_url_parts(url: object) -> tuple[str, str] | None:
    """The base and the id of a plan's canonical URL; ``None`` if it is not one."""
    if not isinstance(url, str):
        return None
    base, found, plan_id = url.rpartition("/PlanDefinition/")
    try:
        check_base(base)
    except InvalidModelError:
        return None
    return (base, plan_id) if found and plan_id else None


_VALUE_KEYS: Final[dict[Any, tuple[str, Any]]] = {
    bool: ("valueBoolean", bool),
    int: ("valueInteger", int),
    float: ("valueDecimal", int | float),
    str: ("valueString", str),
}
# A whole number written as an integer where a decimal is expected, and back.
_ALSO: Final = {
    "valueBoolean": (),
    "valueInteger": ("valueDecimal",),
    "valueDecimal": ("valueInteger",),
    "valueString": (),
    "valueCode": (),
}


def _is_enum(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, enum.Enum)


_HINTS: Final[dict[type, dict[str, Any]]] = {}
_REQUIRED: Final[dict[type, frozenset[str]]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """The field types of a model class, resolved (once per class)."""
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


def _required(cls: type) -> frozenset[str]:
    """The fields of a model class that must have a value other than ``None``."""
    names = _REQUIRED.get(cls)
    if names is None:
        hints = _hints(cls)
        names = _REQUIRED[cls] = frozenset(
            f.name
            for f in attrs.fields(cls)
            if f.default is attrs.NOTHING and not _optional(hints[f.name])
        )
    return names


def _item_type(hint: Any) -> Any:
    """The item type of a tuple field, optional or not; ``None`` for others."""
    for option in typing.get_args(hint) or (hint,):
        if typing.get_origin(option) is tuple:
            return typing.get_args(option)[0]
    if typing.get_origin(hint) is tuple:
        return typing.get_args(hint)[0]
    return None


def _optional(hint: Any) -> bool:
    return isinstance(hint, types.UnionType) and type(None) in hint.__args__


def _single(hint: Any) -> Any:
    """The type of an optional field without its ``None``."""
    if isinstance(hint, types.UnionType):
        (hint,) = (option for option in hint.__args__ if option is not type(None))
    return hint


def _own_extensions(resource: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    """The resource's extensions under mobility's base, with plain names."""
    found: list[tuple[int, Mapping[str, Any]]] = []
    for index, extension in enumerate(_list(resource.get("extension"))):
        if not isinstance(extension, Mapping):
            continue
        url = extension.get("url")
        if (
            isinstance(url, str)
            and url.startswith(EXTENSION)
            and url != f"{EXTENSION}format-version"
        ):
            found.append((index, {**extension, "url": url.removeprefix(EXTENSION)}))
    return found


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _whole(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _both_numbers(a: object, b: object) -> bool:
    return all(isinstance(x, int | float) and not isinstance(x, bool) for x in (a, b))


def _shown(value: object) -> str:
    if value is _MISSING:
        return "nothing"
    if isinstance(value, list | dict):  # its repr could be as deep as the input
        return "a list" if isinstance(value, list) else "an object"
    text = shown(value)  # an int of thousands of digits has no repr
    return text if len(text) <= 60 else text[:57] + "..."
