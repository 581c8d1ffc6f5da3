"""The catalogue's documentation page, written from the catalogue itself.

The Sphinx build writes it to ``docs/_generated/catalog.md`` and the catalogue
page includes it, so the documentation cannot disagree with the data. It loads
the validator and the text module, so the catalogue imports it only on demand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..formats.text import (
    describe_dose,
    describe_frequency,
    describe_minutes,
    reference,
    validation_summary,
)
from ..model import CautionKind, Urgency
from ..safety.validator import validate
from . import evidence, protocols


if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..model import Protocol


def page(level: int = 2) -> str:
    """The Markdown of the catalogue: one table, then a section per protocol."""
    lines = [*_table(), ""]
    for protocol in protocols():
        lines += [*_section(protocol, level), ""]
    return "\n".join(lines).rstrip() + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _kinds(protocol: Protocol) -> str:
    return ", ".join(kind.label for kind in evidence(protocol))


def _main_source(protocol: Protocol) -> str:
    return protocol.sources[0].citation if protocol.sources else ""


def _table() -> Iterator[str]:
    yield "| id | region | exercises and dose | how often | source | evidence |"
    yield "|---|---|---|---|---|---|"
    for protocol in protocols():
        exercises = "; ".join(
            f"{exercise.name}: {describe_dose(exercise.dose)}"
            for exercise in protocol.exercises
        )
        cells = (
            f"`{protocol.id}`",
            protocol.region.value,
            exercises,
            describe_frequency(protocol.frequency),
            _main_source(protocol),
            _kinds(protocol),
        )
        yield "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _section(protocol: Protocol, level: int) -> Iterator[str]:
    heading = "#" * level
    yield f"{heading} `{protocol.id}`: {protocol.name}"
    yield ""
    yield protocol.purpose
    if protocol.rationale:
        yield ""
        yield protocol.rationale
    yield ""
    minutes = describe_minutes(protocol.estimated_session_seconds)
    yield (
        f"- **Region**: {protocol.region.value}; **written for**: "
        f"{protocol.audience.value}; **a session**: about {minutes}."
    )
    yield f"- **Evidence**: {_kinds(protocol)}."
    for exercise in protocol.exercises:
        yield f"- **{exercise.name}**: {describe_dose(exercise.dose)}."
        for adaptation in exercise.adaptations:
            cited = f" ({reference(adaptation.source)})" if adaptation.source else ""
            yield f"  - {adaptation}{cited}"
    yield f"- **How often**: {describe_frequency(protocol.frequency)}."
    if protocol.progression is not None and protocol.progression.description:
        yield f"- **Progression**: {protocol.progression.description}"
    if protocol.review is not None:
        yield (
            f"- **Review** after {protocol.review.after_days} days: "
            f"{protocol.review.action}"
        )
    yield from _safety(protocol)
    yield "- **Sources**:"
    for source in protocol.sources:
        yield f"  - {reference(source)}"
    report = validate(protocol)
    yield f"- **Validation**: {validation_summary(report)}"
    for finding in report.findings:
        yield f"  - {finding.severity}: {finding.message} [`{finding.code}`]"


def _safety(protocol: Protocol) -> Iterator[str]:
    disclaimer = protocol.disclaimer
    if disclaimer is None:  # pragma: no cover - every entry has one (tested)
        return
    for rule in disclaimer.stop_rules:
        yield f"- **Stop**: {rule}"
    if not disclaimer.cautions:
        yield "- **Cautions**: none given by the sources."
    for caution in disclaimer.cautions or ():
        label = "Avoid" if caution.kind is CautionKind.AVOID else "Ask first"
        yield f"- **{label}**: {caution.text}"
    counts = {
        urgency: sum(flag.urgency is urgency for flag in disclaimer.red_flags)
        for urgency in Urgency
    }
    cited = dict.fromkeys(
        str(flag.source) for flag in disclaimer.red_flags if flag.source
    )
    yield (
        f"- **Red flags**: {counts[Urgency.EMERGENCY]} for emergency care, "
        f"{counts[Urgency.URGENT]} for a doctor the same day, from "
        + "; ".join(cited)
        + "."
    )
