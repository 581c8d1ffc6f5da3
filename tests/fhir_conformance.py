"""Whether the extensions in a FHIR resource are those their definitions describe.

Reads the ``StructureDefinition`` s mobility ships (their differentials: the
slices of a complex extension, each with its cardinality, and the value types
of a simple one) and checks every extension under mobility's base against the
one its URL names: where it may go, how many times, which parts, which value.
Written for these tests from the R4 rules for extensions; it is no general
profile validator.
"""

from __future__ import annotations

from typing import Any

import attrs

from mobility.formats.fhir import EXTENSION


@attrs.define
class Node:
    """What one extension, or one part of one, may be."""

    minimum: int = 0
    maximum: str = "1"
    types: list[str] | None = None
    parts: dict[str, Node] = attrs.Factory(dict)


def tree(definition: dict[str, Any]) -> Node:
    """The nodes of a definition's differential."""
    root = Node()
    for element in definition["differential"]["element"]:
        slices = [
            step.removeprefix("extension:")
            for step in element["id"].split(".")[1:]
            if step.startswith("extension:")
        ]
        node = root
        for name in slices:
            node = node.parts.setdefault(name, Node())
        last = element["id"].rsplit(".", 1)[-1]
        if element["id"] == "Extension" or last.startswith("extension:"):
            node.minimum = element["min"]
            node.maximum = element["max"]
        elif last == "value[x]" and "type" in element:
            node.types = [t["code"] for t in element["type"]]
    return root


def _value_type(key: str) -> str:
    """``valueRange`` -> ``Range``; ``valueInteger`` -> ``integer``."""
    kind = key.removeprefix("value")
    primitive = kind[:1].lower() + kind[1:]
    return primitive if primitive in _PRIMITIVES else kind


_PRIMITIVES = frozenset(
    {"boolean", "integer", "decimal", "string", "code", "date", "canonical", "uri"}
)


def check(extension: dict[str, Any], node: Node, where: str) -> list[str]:
    """The ways one extension differs from its node."""
    values = [key for key in extension if key.startswith("value")]
    if node.types is not None:
        if "extension" in extension or len(values) != 1:
            return [f"{where}: expected one value and no parts"]
        kind = _value_type(values[0])
        return [] if kind in node.types else [f"{where}: {kind} not in {node.types}"]
    if values:
        return [f"{where}: a complex extension has no value"]
    problems: list[str] = []
    counts: dict[str, int] = {}
    for index, part in enumerate(extension.get("extension", [])):
        name = part["url"]
        child = node.parts.get(name)
        if child is None:
            problems.append(f"{where}.extension[{index}]: no part {name!r}")
            continue
        counts[name] = counts.get(name, 0) + 1
        problems += check(part, child, f"{where}.extension[{index}]")
    problems += _counted(counts, node.parts, where)
    return problems


def _counted(counts: dict[str, int], nodes: dict[str, Node], where: str) -> list[str]:
    problems = []
    for name, child in nodes.items():
        count = counts.get(name, 0)
        if count < child.minimum or (
            child.maximum != "*" and count > int(child.maximum)
        ):
            problems.append(
                f"{where}: {name} {count} times, not {child.minimum}..{child.maximum}"
            )
    return problems


def nonconforming(resource: dict[str, Any], shipped: dict[str, Any]) -> list[str]:
    """Every way a resource's mobility extensions differ from their definitions."""
    definitions = {e["resource"]["url"]: e["resource"] for e in shipped["entry"]}
    problems: list[str] = []
    _walk(
        resource,
        resource["resourceType"],
        resource["resourceType"],
        definitions,
        problems,
    )
    return problems


def _walk(
    element: Any,
    kind: str,
    where: str,
    definitions: dict[str, dict[str, Any]],
    problems: list[str],
) -> None:
    if isinstance(element, list):
        for index, item in enumerate(element):
            _walk(item, kind, f"{where}[{index}]", definitions, problems)
        return
    if not isinstance(element, dict):
        return
    ours = _own(element, kind, where, definitions, problems)
    if kind == element.get("resourceType"):  # a resource: its own extensions counted
        on_it = {
            url: tree(d)
            for url, d in definitions.items()
            if kind in [c["expression"] for c in d["context"]]
        }
        problems += _counted(ours, on_it, where)
    for key, value in element.items():
        if key == "extension":
            continue
        inner = "RelatedArtifact" if key in _ARTIFACTS else key
        _walk(value, inner, f"{where}.{key}", definitions, problems)


_ARTIFACTS = frozenset({"relatedArtifact", "valueRelatedArtifact"})


def _own(
    element: dict[str, Any],
    kind: str,
    where: str,
    definitions: dict[str, dict[str, Any]],
    problems: list[str],
) -> dict[str, int]:
    """Check an element's own mobility extensions; count them by URL."""
    ours: dict[str, int] = {}
    for index, extension in enumerate(element.get("extension", [])):
        url = extension["url"]
        if not url.startswith(EXTENSION):
            continue
        definition = definitions.get(url)
        here = f"{where}.extension[{index}]"
        if definition is None:
            problems.append(f"{here}: no definition of {url}")
            continue
        contexts = [c["expression"] for c in definition["context"]]
        if kind not in contexts:
            problems.append(f"{here}: {url} is not defined for {kind}")
        ours[url] = ours.get(url, 0) + 1
        problems += check(extension, tree(definition), here)
    return ours
