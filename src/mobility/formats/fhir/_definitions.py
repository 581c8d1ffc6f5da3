"""The StructureDefinition of every extension mobility writes, from the model.

The extensions are named after the model's fields (see ``_writer._extensions``),
so their definitions are made from the same fields and type hints: a field that
holds an object is a complex extension with a slice per field, a list is a
slice that repeats, a required field is one that must be there. The package
ships them as ``definitions.json`` (a FHIR ``Bundle``); a test holds that file
equal to what this module makes.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import types
import typing

from importlib import resources
from typing import Any, Final

import attrs

from ...model import Exercise, Protocol, Range, Source
from ..text import Items, Paragraph, Part, Section
from ._mapping import (
    ACTIVITY_FIELDS,
    EXTENSION,
    FORMAT_VERSION,
    PLAN_FIELDS,
    PUBLISHER,
)
from ._writer import narrative


FHIR_VERSION: Final = "4.0.1"
EXTENSION_BASE: Final = "http://hl7.org/fhir/StructureDefinition/Extension"

# The FHIR types of a field's values, as the writer writes them: a float field
# holds a whole number as an integer.
_VALUE_TYPES: Final[dict[Any, tuple[str, ...]]] = {
    bool: ("boolean",),
    int: ("integer",),
    float: ("decimal", "integer"),
    str: ("string",),
    dt.date: ("date",),
    Range: ("Range",),
    Source: ("RelatedArtifact",),
}


#: A complex extension made from a model class: its name, its title, the class
#: and the resources it goes on.
Complex = tuple[str, str, type, tuple[str, ...]]


def structure_definitions(more: tuple[Complex, ...] = ()) -> dict[str, Any]:
    """Every extension's ``StructureDefinition``, as a FHIR ``Bundle``, made now.

    Args:
        more: Complex extensions of packages above this one (the advice of
            :mod:`mobility.progress`), made from their classes the same way.
    """
    definitions = [
        _simple(
            "format-version",
            "The version of mobility's FHIR mapping",
            ("integer",),
            ("PlanDefinition", "Observation", "CommunicationRequest"),
            minimum=1,
        ),
        _simple(
            "reminder",
            "How long before each session to remind",
            ("Duration",),
            ("CarePlan",),
        ),
        _simple(
            "source-inferred",
            "Whether the figure is mobility's inference "
            "rather than the source's own statement",
            ("boolean",),
            ("RelatedArtifact",),
            minimum=1,
        ),
        _simple(
            "source-note",
            "What the source says, or how the figure was inferred from it",
            ("string",),
            ("RelatedArtifact",),
        ),
        _simple(
            "source-kind", "What kind of source it is", ("code",), ("RelatedArtifact",)
        ),
    ]
    definitions += _fields_of(Protocol, PLAN_FIELDS, "PlanDefinition")
    definitions += _fields_of(Exercise, ACTIVITY_FIELDS, "ActivityDefinition")
    definitions += (
        _complex(name, title, cls, contexts) for name, title, cls, contexts in more
    )
    for definition in definitions:
        definition["text"] = _described(definition)
    return {
        "resourceType": "Bundle",
        "id": "mobility-extensions",
        "type": "collection",
        "entry": [
            {"fullUrl": definition["url"], "resource": definition}
            for definition in definitions
        ],
    }


def definitions() -> dict[str, Any]:
    """The ``StructureDefinition`` of every extension, as shipped in the package.

    A FHIR ``Bundle`` of type ``collection``; load it into a validator or a
    server so that it knows mobility's extensions.
    """
    text = (
        resources.files(__package__)
        .joinpath("definitions.json")
        .read_text(encoding="utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _described(definition: dict[str, Any]) -> dict[str, Any]:
    """A narrative: the title, where it goes, and each part with its values."""
    elements = definition["differential"]["element"]
    root = elements[0]
    where = ", ".join(c["expression"] for c in definition["context"])
    blocks: list[Paragraph | Items] = [
        Paragraph(definition["description"]),
        Paragraph(definition["url"], "URL"),
        Paragraph(f"{where}; {root['min']}..{root['max']}", "On"),
    ]
    parts = []
    for element in elements:
        if "type" not in element:
            continue
        kinds = " or ".join(t["code"] for t in element["type"])
        named = (
            element["id"].removesuffix(".value[x]").replace("Extension.extension:", "")
        )
        slices = named.replace(".extension:", " > ")
        parts.append(kinds if slices == "Extension" else f"{slices}: {kinds}")
    blocks.append(Items(parts, "Values"))
    return narrative([Section(Part.TITLE, definition["title"], blocks)])


def _fields_of(cls: type, skip: frozenset[str], context: str) -> list[dict[str, Any]]:
    hints = typing.get_type_hints(cls)
    found = []
    for field in attrs.fields(cls):
        if field.name in skip:
            continue
        hint = hints[field.name]
        item, many, optional = _shape(hint)
        minimum = 0 if optional or many or field.default is not attrs.NOTHING else 1
        what = f"{cls.__name__}.{field.name}, as the JSON format has it"
        if attrs.has(item) and item not in _VALUE_TYPES:
            definition = _complex(
                field.name, what, item, (context,), minimum=minimum, many=many
            )
        else:
            definition = _simple(
                field.name,
                what,
                _types(item),
                (context,),
                minimum=minimum,
                many=many,
                codes=_codes(item),
            )
        found.append(definition)
        if many and field.default is None:
            found.append(
                _simple(
                    f"{field.name}_stated",
                    f"Whether {cls.__name__}.{field.name} was given, even as none",
                    ("boolean",),
                    (context,),
                )
            )
    return found


def _shape(hint: Any) -> tuple[Any, bool, bool]:
    """A field's item type, whether it is a list, and whether it may be None."""
    optional = False
    if isinstance(hint, types.UnionType):
        options = [o for o in hint.__args__ if o is not type(None)]
        optional = len(options) < len(hint.__args__)
        (hint,) = options
    if typing.get_origin(hint) is tuple:
        return typing.get_args(hint)[0], True, optional
    return hint, False, optional


def _types(item: Any) -> tuple[str, ...]:
    if isinstance(item, type) and issubclass(item, enum.Enum):
        return ("code",)
    return _VALUE_TYPES[item]


def _codes(item: Any) -> str:
    if isinstance(item, type) and issubclass(item, enum.Enum):
        return " One of: " + ", ".join(f"`{m.value}`" for m in item) + "."
    return ""


def _header(name: str, title: str, contexts: tuple[str, ...]) -> dict[str, Any]:
    return {
        "resourceType": "StructureDefinition",
        "id": f"mobility-{name.replace('_', '-')}",
        "url": f"{EXTENSION}{name}",
        "version": str(FORMAT_VERSION),
        "name": "".join(
            part.capitalize() for part in name.replace("_", "-").split("-")
        ),
        "title": title,
        "status": "active",
        "publisher": PUBLISHER,
        "description": f"{title}. Part of mobility's FHIR mapping, version "
        f"{FORMAT_VERSION}; the docs page 'FHIR' maps every field.",
        "fhirVersion": FHIR_VERSION,
        "kind": "complex-type",
        "abstract": False,
        "context": [{"type": "element", "expression": c} for c in contexts],
        "type": "Extension",
        "baseDefinition": EXTENSION_BASE,
        "derivation": "constraint",
    }


def _simple(  # noqa: PLR0913 - the parts of one definition
    name: str,
    title: str,
    value_types: tuple[str, ...],
    contexts: tuple[str, ...],
    *,
    minimum: int = 0,
    many: bool = False,
    codes: str = "",
) -> dict[str, Any]:
    definition = _header(name, title, contexts)
    definition["differential"] = {
        "element": [
            _root(title + codes, minimum, many),
            {"id": "Extension.extension", "path": "Extension.extension", "max": "0"},
            {
                "id": "Extension.url",
                "path": "Extension.url",
                "fixedUri": definition["url"],
            },
            {
                "id": "Extension.value[x]",
                "path": "Extension.value[x]",
                "min": 1,
                "type": [{"code": code} for code in value_types],
            },
        ]
    }
    return definition


def _complex(  # noqa: PLR0913 - the parts of one definition
    name: str,
    title: str,
    cls: type,
    contexts: tuple[str, ...],
    *,
    minimum: int = 0,
    many: bool = False,
) -> dict[str, Any]:
    definition = _header(name, title, contexts)
    elements = [_root(title, minimum, many)]
    elements += _parts(cls, "Extension", "Extension")
    elements += [
        {"id": "Extension.url", "path": "Extension.url", "fixedUri": definition["url"]},
        {"id": "Extension.value[x]", "path": "Extension.value[x]", "max": "0"},
    ]
    definition["differential"] = {"element": elements}
    return definition


def _root(text: str, minimum: int, many: bool) -> dict[str, Any]:  # noqa: FBT001
    return {
        "id": "Extension",
        "path": "Extension",
        "short": text[:100],
        "definition": text,
        "min": minimum,
        "max": "*" if many else "1",
    }


def _parts(cls: type, element_id: str, path: str) -> list[dict[str, Any]]:
    """The slices of a complex extension: one per field of ``cls``."""
    elements: list[dict[str, Any]] = [
        {
            "id": f"{element_id}.extension",
            "path": f"{path}.extension",
            "slicing": {
                "discriminator": [{"type": "value", "path": "url"}],
                "rules": "closed",
            },
        }
    ]
    hints = typing.get_type_hints(cls)
    for field in attrs.fields(cls):
        item, many, optional = _shape(hints[field.name])
        minimum = 0 if optional or many or field.default is not attrs.NOTHING else 1
        slices = [(field.name, item, many, minimum)]
        if many and field.default is None:
            slices.append((f"{field.name}_stated", bool, False, 0))
        for name, kind, repeats, least in slices:
            here = f"{element_id}.extension:{name}"
            inner = f"{path}.extension"
            text = f"{cls.__name__}.{field.name}"
            elements.append(
                {
                    "id": here,
                    "path": inner,
                    "sliceName": name,
                    "short": text,
                    "definition": text + _codes(kind),
                    "min": least,
                    "max": "*" if repeats else "1",
                }
            )
            if attrs.has(kind) and kind not in _VALUE_TYPES:
                elements += _parts(kind, here, inner)
                elements += [
                    {"id": f"{here}.url", "path": f"{inner}.url", "fixedUri": name},
                    {"id": f"{here}.value[x]", "path": f"{inner}.value[x]", "max": "0"},
                ]
            else:
                elements += [
                    {
                        "id": f"{here}.extension",
                        "path": f"{inner}.extension",
                        "max": "0",
                    },
                    {"id": f"{here}.url", "path": f"{inner}.url", "fixedUri": name},
                    {
                        "id": f"{here}.value[x]",
                        "path": f"{inner}.value[x]",
                        "min": 1,
                        "type": [{"code": code} for code in _types(kind)],
                    },
                ]
    return elements
