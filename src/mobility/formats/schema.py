"""The JSON Schema (draft 2020-12) of the document format.

The schema is generated, not written by hand: its structure comes from the model's
attrs fields and its constraints from the very checks the model runs (see
``mobility.model._checks``), so it cannot drift from what :func:`mobility.from_json`
accepts. The package also ships each schema as a file (``schemas/*.json``) for
readers in other languages; the test suite checks that the files match.

What a schema cannot say, the loader still checks: that a range's low end is not
above its high end, that exercise ids are unique within a protocol, that a
progression progresses, that a step uses only placeholders its dose can fill
(``{hold}`` needs a hold), that a step says more than ``{sides}``, and that a
figure's pose has directions of length 1 at right angles, names each joint
once, and keeps each within its range. So every
document the schema rejects is rejected by the loader too, and a few it accepts
are not.

Example:
    >>> from mobility import json_schema
    >>> schema = json_schema()
    >>> schema["$schema"], schema["$id"]
    ('https://json-schema.org/draft/2020-12/schema', 'urn:mobility:schema:protocol:6')
    >>> schema["properties"]["kind"]
    {'const': 'protocol'}
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import json
import types
import typing

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from ..model import Exercise, Protocol, Range
from ..model._checks import (
    ALLOWED_PATTERN,
    DATETIME_PATTERN,
    MAX_QUANTITY,
    SLUG_MAX_LENGTH,
    SLUG_PATTERN,
    VISIBLE_PATTERN,
    Between,
    Count,
    Direction,
    NonEmpty,
    Number,
    OneOf,
    RangeOf,
    Slug,
    Slugs,
    Template,
    Text,
    Texts,
    Url,
    checks_of,
)
from ..model.steps import PLACEHOLDERS
from ._converter import MAX_ITEMS, converter
from .json import DOCUMENT_KINDS, KINDS, SCHEMA_VERSION


if TYPE_CHECKING:
    # Only for the type checker: the progress package binds these at run time.
    from ..progress import Advice, SessionLog


__all__ = ["json_schema", "schema_file"]

DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"

#: A JSON Schema, or a part of one.
Schema = dict[str, Any]

#: The definition every text field refers to: a string with a visible character.
_TEXT: Final[Schema] = {
    "description": "Text with at least one visible character (not only white "
    "space, control, format or other invisible characters), and no control "
    "character other than tab and newline, no bidirectional control, nor a lone "
    "surrogate.",
    "type": "string",
    "allOf": [
        {"type": "string", "pattern": VISIBLE_PATTERN},
        {"type": "string", "pattern": ALLOWED_PATTERN},
    ],
}


#: Step texts and cues: text, and a template whose braces are doubled or enclose a
#: placeholder's name (see :mod:`mobility.model.steps`).
_STEP_TEXT: Final[Schema] = {
    "description": "A step template: text whose braces are doubled ({{, }}) or "
    "enclose a placeholder ("
    + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    + ") that is filled from the exercise's dose.",
    "allOf": [
        {"$ref": "#/$defs/Text"},
        {"type": "string", "pattern": Template.pattern},
    ],
}


def whole(pattern: str) -> str:
    r"""A JSON Schema pattern that matches only a whole string of ``pattern``.

    ``$`` alone would not do: Python's ``re`` (which Python validators use)
    lets it match before a final newline, so ``"cat-cow\n"`` would pass as an
    id there and fail in ECMAScript validators and in the loader. ``(?!\n)``
    after it rules that out in both engines.

    Example:
        >>> import re
        >>> pattern = whole("[a-z]+")
        >>> bool(re.search(pattern, "abc")), bool(re.search(pattern, "abc\n"))
        (True, False)
    """
    return f"^(?:{pattern})$(?!\n)"


def json_schema(
    cls: type[Protocol | Exercise | SessionLog | Advice] = Protocol,
) -> Schema:
    """Return the JSON Schema of a document holding ``cls``.

    Args:
        cls: :class:`~mobility.Protocol` (the default),
            :class:`~mobility.Exercise`, :class:`~mobility.progress.SessionLog`
            or :class:`~mobility.progress.Advice`.

    Returns:
        A new dict each call, safe to change.
    """
    return copy.deepcopy(_generate(cls))


def schema_file(cls: type[Protocol | Exercise | SessionLog | Advice] = Protocol) -> str:
    """The name of the shipped schema file for ``cls``, e.g. ``protocol.v1.json``."""
    return f"{KINDS[cls]}.v{SCHEMA_VERSION}.json"


_GENERATED: dict[type, Schema] = {}


def _generate(cls: type[Protocol | Exercise | SessionLog | Advice]) -> Schema:
    if cls not in _GENERATED:
        _GENERATED[cls] = _build(cls)
    return _GENERATED[cls]


def _build(cls: type[Protocol | Exercise | SessionLog | Advice]) -> Schema:
    kind = KINDS.get(cls)
    if kind is None:
        msg = f"no document holds a {cls!r}; expected one of "
        raise TypeError(msg + ", ".join(c.__name__ for c in KINDS))
    defs: dict[str, Schema] = {}
    _define(cls, defs)
    body = defs.pop(cls.__name__)
    return {
        "$schema": DIALECT,
        "$id": f"urn:mobility:schema:{kind}:{SCHEMA_VERSION}",
        "title": f"mobility {kind} document, format version {SCHEMA_VERSION}",
        "description": body.pop("description"),
        "type": "object",
        "properties": {
            "kind": {"const": kind},
            "schema_version": {"const": SCHEMA_VERSION},
            **body["properties"],
        },
        "required": ["kind", "schema_version", *body["required"]],
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


def _define(cls: type, defs: dict[str, Schema]) -> Schema:
    """Add ``cls`` (and what it holds) to ``defs``; return a reference to it."""
    name = cls.__name__
    if name not in defs:
        if issubclass(cls, enum.Enum):
            defs[name] = {
                "description": _summary(cls),
                "enum": [member.value for member in cls],
            }
        else:
            defs[name] = {}  # reserve the name before recursing
            defs[name] = _object(cls, defs)
    return {"$ref": f"#/$defs/{name}"}


def _object(cls: type, defs: dict[str, Schema]) -> Schema:
    hints = typing.get_type_hints(cls)
    properties: Schema = {}
    required = []
    for field in attrs.fields(cls):
        schema = _value(hints[field.name], _checks(field), defs)
        if field.default is attrs.NOTHING:
            required.append(field.name)
        elif not isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            schema = {**schema, "default": converter.unstructure(field.default)}
        properties[field.name] = schema
    return {
        "description": _summary(cls),
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _checks(field: attrs.Attribute[Any]) -> list[object]:
    """The checks the field records in its metadata (see ``checks_of``)."""
    return list(checks_of(field))


def _value(hint: Any, checks: list[object], defs: dict[str, Schema]) -> Schema:  # noqa: C901, PLR0911, PLR0912 - a case per type
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        options = [_value(arg, checks, defs) for arg in typing.get_args(hint)]
        return {"anyOf": options}
    if hint is type(None):
        return {"type": "null"}
    if origin is tuple and Ellipsis not in typing.get_args(hint):
        return _fixed(typing.get_args(hint), checks)
    if origin is tuple:
        (item,) = (arg for arg in typing.get_args(hint) if arg is not Ellipsis)
        item_checks: list[object] = [Text()] if _find(checks, Texts) else []
        if _find(checks, Slugs):
            item_checks = [Slug()]
        names = _find(checks, OneOf)
        if names is not None and names.each:
            item_checks = [OneOf(names.names, names.label)]
        schema: Schema = {
            "type": "array",
            "items": _value(item, item_checks, defs),
            "maxItems": MAX_ITEMS,
        }
        if _find(checks, NonEmpty):
            schema["minItems"] = 1
        return schema
    if hint is Range:
        return _range(_find(checks, RangeOf))
    if hint is bool:
        return {"type": "boolean"}
    if hint is dt.datetime:
        return {
            "description": "A date and time with its UTC offset (RFC 3339).",
            "type": "string",
            # No "format": validators treat it differently (ajv's strict mode
            # refuses it without a plug-in); the pattern says it for all.
            "pattern": whole(DATETIME_PATTERN),
        }
    if hint is dt.date:
        return {
            "description": "A date, YYYY-MM-DD.",
            "type": "string",
            "pattern": whole("[0-9]{4}-[0-9]{2}-[0-9]{2}"),
        }
    if hint is str:
        names = _find(checks, OneOf)
        if names is not None and not names.each:
            return {"enum": list(names.names)}
        slug = _find(checks, Slug)
        if slug is not None:
            return {
                "type": "string",
                "pattern": whole(SLUG_PATTERN),
                "maxLength": SLUG_MAX_LENGTH,
            }
        url = _find(checks, Url)
        if url is not None:
            return {
                "type": "string",
                "pattern": whole(url.pattern),
                "maxLength": url.max_length,
            }
        if _find(checks, Text):
            defs.setdefault("Text", dict(_TEXT))
            if _find(checks, Template):
                defs.setdefault("StepText", dict(_STEP_TEXT))
                return {"$ref": "#/$defs/StepText"}
            return {"$ref": "#/$defs/Text"}
        return {"type": "string"}
    if hint is int:
        count = _find(checks, Count)
        schema = {"type": "integer"}
        if count is not None:
            schema |= {"minimum": count.minimum, "maximum": count.maximum}
        return schema
    if hint is float and _find(checks, Between) is not None:
        between = _find(checks, Between)
        assert between is not None  # noqa: S101 - found just above
        return {"type": "number", "minimum": between.low, "maximum": between.high}
    if hint is float:
        number = _find(checks, Number)
        schema = {"type": "number", "minimum": 0}
        if number is not None and number.maximum is not None:
            schema["maximum"] = number.maximum
        return schema
    if isinstance(hint, type) and (attrs.has(hint) or issubclass(hint, enum.Enum)):
        return _define(hint, defs)
    msg = f"no JSON Schema for {hint!r}"  # pragma: no cover - a new field type
    raise TypeError(msg)


def _fixed(items: tuple[Any, ...], checks: list[object]) -> Schema:
    """A tuple of a fixed length: a direction is three numbers from -1 to 1."""
    if _find(checks, Direction) is None or items != (float, float, float):
        msg = f"no JSON Schema for a tuple of {items!r}"  # pragma: no cover
        raise TypeError(msg)
    return {
        "description": "A direction: three numbers, x forward, y to the left and "
        "z up, whose length is 1.",
        "type": "array",
        "items": {"type": "number", "minimum": -1, "maximum": 1},
        "minItems": 3,
        "maxItems": 3,
    }


def _range(check: RangeOf | None) -> Schema:
    number: Schema
    if check is not None and check.whole:
        number = {"type": "integer", "minimum": 1, "maximum": MAX_QUANTITY}
    elif check is not None and check.positive:
        number = {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_QUANTITY}
    else:
        number = {"type": "number", "minimum": 0, "maximum": MAX_QUANTITY}
    return {
        "description": "An amount: one number, or a range from low to high.",
        "anyOf": [
            number,
            {
                "type": "object",
                "properties": {"low": number, "high": number},
                "required": ["low", "high"],
                "additionalProperties": False,
            },
        ],
    }


_C = typing.TypeVar("_C")


def _find(checks: list[object], kind: type[_C]) -> _C | None:
    return next((check for check in checks if isinstance(check, kind)), None)


def _summary(cls: type) -> str:
    return (cls.__doc__ or cls.__name__).strip().splitlines()[0]


def shipped(cls: type[Protocol | Exercise | SessionLog | Advice] = Protocol) -> Schema:
    """Read the schema file shipped in the package for ``cls``."""
    text = resources.files("mobility").joinpath("schemas", schema_file(cls))
    return json.loads(text.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _write_shipped() -> None:
    """Regenerate the shipped schema files (``make schemas``).

    Every kind of document must have its class bound first (the Makefile imports
    :mod:`mobility.progress` for its two).
    """
    unbound = set(DOCUMENT_KINDS) - set(KINDS.values())
    if unbound:
        msg = f"no class is bound to {', '.join(sorted(unbound))}; import it first"
        raise RuntimeError(msg)
    folder = Path(__file__).parent.parent / "schemas"
    folder.mkdir(exist_ok=True)
    for cls in KINDS:
        # ASCII, so that the invisible characters in the text pattern show as
        # escapes rather than as nothing.
        text = json.dumps(json_schema(cls), indent=2) + "\n"
        (folder / schema_file(cls)).write_text(text, encoding="utf-8")
