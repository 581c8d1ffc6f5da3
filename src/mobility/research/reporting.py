"""Reports of a protocol for a trial's paper: CERT and TIDieR.

CERT (Consensus on Exercise Reporting Template; Slade et al., Br J Sports Med 2016)
has 16 items, 19 with their parts, in seven groups. TIDieR (Hoffmann et al., BMJ
2014) has 12. A protocol's data answers some of them: its equipment, each exercise
in detail, its dose, its progression rule, its safety information. The others
(who delivered it, where, how adherence was measured, what happened in the trial)
need the researcher, and the report says so plainly instead of inventing them.
Researchers can pass their own answers, which the report marks as theirs.

Example:
    >>> from mobility import catalog
    >>> from mobility.research.reporting import cert_items
    >>> items = cert_items(catalog.get("lower-trunk-rotation"))
    >>> [item.key for item in items if item.answered]
    ['1', '7a', '8', '10', '13']
    >>> print(cert_report(catalog.get("lower-trunk-rotation")).splitlines()[0])
    # CERT report: Lower trunk rotation
"""

from __future__ import annotations

import enum

from typing import TYPE_CHECKING, Final

import attrs

from ..errors import AnswerError
from ..formats.text import (
    describe_derivation,
    describe_dose,
    describe_frequency,
    describe_progression,
    describe_session,
    markdown,
    markdown_escape,
    safety_section,
    sources_section,
    validation_section,
)
from ..model import View
from ..safety.validator import validate


if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from ..model import Protocol, Source
    from ..safety.limits import SafetyLimits


__all__ = [
    "CERT",
    "TIDIER",
    "Item",
    "Origin",
    "cert_items",
    "cert_report",
    "tidier_items",
    "tidier_report",
]


class Origin(enum.StrEnum):
    """Where an item's answer comes from."""

    PROTOCOL = "protocol"
    """Worked out from the protocol's data."""
    RESEARCHER = "researcher"
    """Given by the researcher."""
    MISSING = "missing"
    """Not known; the researcher must provide it."""


@attrs.frozen
class Item:
    """One item of a reporting checklist, with its answer if there is one.

    Args:
        key: The item's number in the checklist, such as ``"7a"``.
        group: The checklist's group for it, such as ``"Delivery"``.
        title: What the item asks, in brief.
        answer: The answer, or ``None`` when the researcher must provide it.
        origin: Where the answer comes from.
    """

    key: str
    group: str
    title: str
    answer: str | None
    origin: Origin

    @property
    def answered(self) -> bool:
        """Whether the item has an answer."""
        return self.answer is not None


# --------------------------------------------------------------------------------
# What the protocol's data can answer


#: Every text from a protocol or a researcher goes into a report through this,
#: so that it stays text in any Markdown renderer.
_e: Final = markdown_escape


def _equipment(protocol: Protocol) -> str:
    lines = []
    for exercise in protocol.exercises:
        needed = ", ".join(exercise.equipment) if exercise.equipment else "none listed"
        lines.append(_e(f"{exercise.name}: {needed}."))
    return " ".join(lines)


def _progression(protocol: Protocol) -> str:
    progression = protocol.progression
    if progression is None:
        return "The protocol defines no progression rule."
    text = describe_progression(progression)
    return _e(text[0].upper() + text[1:])


def _exercises(protocol: Protocol) -> str:
    parts = []
    if protocol.derived_from is not None:
        parts.append(f"The protocol is {_adapted(protocol)}.")
    for number, exercise in enumerate(protocol.exercises, start=1):
        steps = " ".join(
            f"({index}) {_e(step.text)}" + (f" [{_e(step.cue)}]" if step.cue else "")
            for index, step in enumerate(exercise.instructions, start=1)
        )
        source = f" Source: {_e(str(exercise.source))}." if exercise.source else ""
        ways = "".join(
            f" {_e(str(adaptation))}{_inferred(adaptation.source)}"
            for adaptation in exercise.adaptations
        )
        figure = (
            ""
            if exercise.figure is None
            else " Illustrated: its start and end, drawn from "
            f"{_SEEN_FROM[exercise.figure.view]} from the protocol's pose data."
        )
        parts.append(
            f"{number}. {_e(exercise.name)} (id `{exercise.id}`). Start position: "
            f"{_e(exercise.position)} Steps: {steps} Dose: "
            f"{_e(describe_dose(exercise.dose))}.{ways}{figure}{source}"
        )
    return "\n".join(parts)


# Where a figure is seen from, in a report's words.
_SEEN_FROM: Final = {
    View.SIDE: "the side",
    View.FRONT: "the front",
    View.TOP: "above",
    View.FEET: "beyond the feet",
}


def _adapted(protocol: Protocol) -> str:
    """The derivation in words, with the base id as code: ``adapted from ...``."""
    if protocol.derived_from is None:
        return ""
    base = protocol.derived_from.base
    text = _e(describe_derivation(protocol.derived_from))
    return text.replace(_e(base), f"`{base}`", 1)


def _non_exercise(protocol: Protocol) -> str | None:
    disclaimer = protocol.disclaimer
    if disclaimer is None:
        return None
    text = (
        "The protocol gives participants safety information: a general notice, "
        f"{len(disclaimer.stop_rules)} stop rule(s), {len(disclaimer.seek_care)} "
        f"item(s) of advice on when to seek care and {len(disclaimer.red_flags)} red "
        "flag(s) (see Safety below)."
    )
    if protocol.review is not None:
        text += (
            f" It sets a review after {protocol.review.after_days} days"
            f"{_inferred(protocol.review.source)}: {_e(protocol.review.action)}"
        )
    return text


def _dosage(protocol: Protocol) -> str:
    doses = "; ".join(
        _e(f"{exercise.name}: {describe_dose(exercise.dose)}")
        for exercise in protocol.exercises
    )
    length = (
        f"{protocol.program_weeks} weeks"
        if protocol.program_weeks is not None
        else "not fixed (open-ended)"
    )
    frequency = _e(describe_frequency(protocol.frequency))
    return (
        f"{doses}. Frequency: {frequency}{_inferred(protocol.frequency.source)}. "
        f"{_e(describe_session(protocol))} Programme length: {length}."
    )


def _inferred(source: Source | None) -> str:
    """A marker for a figure that is our inference, with the reason; else ''."""
    if source is None or not source.inferred:
        return ""
    # Brackets never followed by "(": and no link definition can be written,
    # since every other text is escaped, so this stays text.
    return f" [our inference: {_e(source.note or source.citation)}]"


def _name(protocol: Protocol) -> str:
    adapted = f", {_adapted(protocol)}" if protocol.derived_from else ""
    return f"{_e(protocol.name)} (id `{protocol.id}`{adapted})."


def _why(protocol: Protocol) -> str:
    return _e(" ".join(filter(None, [protocol.purpose, protocol.rationale])))


def _researcher(_: Protocol) -> None:
    return None


#: The CERT items: key, group, title (our words), and how the protocol answers it.
CERT: Final[tuple[tuple[str, str, str, Callable[[Protocol], str | None]], ...]] = (
    ("1", "Materials", "Equipment used", _equipment),
    ("2", "Provider", "Who delivers it: qualifications and expertise", _researcher),
    ("3", "Delivery", "Individual or group sessions", _researcher),
    ("4", "Delivery", "Supervised or not, and how it is delivered", _researcher),
    ("5", "Delivery", "How adherence is measured and reported", _researcher),
    ("6", "Delivery", "How participants are motivated", _researcher),
    ("7a", "Delivery", "The rule for progressing the exercises", _progression),
    ("7b", "Delivery", "How the programme actually progressed", _researcher),
    ("8", "Delivery", "Each exercise, in enough detail to repeat it", _exercises),
    ("9", "Delivery", "Any home programme component", _researcher),
    ("10", "Delivery", "Non-exercise components", _non_exercise),
    ("11", "Delivery", "Type and number of adverse events", _researcher),
    ("12", "Location", "The setting", _researcher),
    (
        "13",
        "Dosage",
        "Dose: sets, repetitions, hold, rest, intensity, frequency, duration",
        _dosage,
    ),
    ("14a", "Tailoring", "Generic or tailored to each person", _researcher),
    ("14b", "Tailoring", "How it was tailored", _researcher),
    ("15", "Tailoring", "How the starting level is decided", _researcher),
    ("16a", "Compliance", "How adherence or fidelity is assessed", _researcher),
    ("16b", "Compliance", "How far it was delivered as planned", _researcher),
)

#: The TIDieR items, in the same form.
TIDIER: Final[tuple[tuple[str, str, str, Callable[[Protocol], str | None]], ...]] = (
    ("1", "Name", "Brief name", _name),
    ("2", "Why", "Rationale and goal", _why),
    ("3", "What", "Materials", _equipment),
    ("4", "What", "Procedures", _exercises),
    ("5", "Who", "Who provides it, and their expertise", _researcher),
    ("6", "How", "Mode of delivery", _researcher),
    ("7", "Where", "Where it takes place", _researcher),
    ("8", "When and how much", "Schedule, dose and duration", _dosage),
    ("9", "Tailoring", "What is personalised, and how", _researcher),
    ("10", "Modifications", "Changes made during the study", _researcher),
    ("11", "How well", "Adherence and fidelity: how planned", _researcher),
    ("12", "How well", "Adherence and fidelity: what happened", _researcher),
)


def _items(
    checklist: tuple[tuple[str, str, str, Callable[[Protocol], str | None]], ...],
    protocol: Protocol,
    answers: Mapping[str, str] | None,
) -> tuple[Item, ...]:
    answers = dict(answers or {})
    unknown = set(answers) - {key for key, *_ in checklist}
    if unknown:
        known = ", ".join(key for key, *_ in checklist)
        msg = f"no such item(s): {', '.join(sorted(unknown))}; the items are {known}"
        raise AnswerError(msg)
    items = []
    for key, group, title, answer_from in checklist:
        answer = answer_from(protocol)
        given = answers.get(key)
        if given is not None and answer is not None:
            items.append(
                Item(
                    key,
                    group,
                    title,
                    f"{answer}\n\nResearcher: {_e(given)}",
                    Origin.PROTOCOL,
                )
            )
        elif given is not None:
            items.append(Item(key, group, title, _e(given), Origin.RESEARCHER))
        elif answer is not None:
            items.append(Item(key, group, title, answer, Origin.PROTOCOL))
        else:
            items.append(Item(key, group, title, None, Origin.MISSING))
    return tuple(items)


def cert_items(
    protocol: Protocol, *, answers: Mapping[str, str] | None = None
) -> tuple[Item, ...]:
    """Answer each CERT item from the protocol, and from the researcher's answers.

    Args:
        protocol: The protocol to report.
        answers: The researcher's answers by item key (``{"2": "..."}``).

    Raises:
        AnswerError: An answer names an item CERT does not have.
    """
    return _items(CERT, protocol, answers)


def tidier_items(
    protocol: Protocol, *, answers: Mapping[str, str] | None = None
) -> tuple[Item, ...]:
    """Answer each TIDieR item, as :func:`cert_items` does for CERT."""
    return _items(TIDIER, protocol, answers)


def cert_report(
    protocol: Protocol,
    *,
    answers: Mapping[str, str] | None = None,
    limits: SafetyLimits | None = None,
) -> str:
    """A Markdown CERT report of a protocol, safety text and sources included.

    Items the protocol's data cannot answer, and the researcher has not, are
    listed as needing the researcher's input.
    """
    items = cert_items(protocol, answers=answers)
    return _report(
        "CERT", "Slade et al., Br J Sports Med 2016", items, protocol, limits
    )


def tidier_report(
    protocol: Protocol,
    *,
    answers: Mapping[str, str] | None = None,
    limits: SafetyLimits | None = None,
) -> str:
    """A Markdown TIDieR report, as :func:`cert_report` is for CERT."""
    items = tidier_items(protocol, answers=answers)
    return _report("TIDieR", "Hoffmann et al., BMJ 2014", items, protocol, limits)


def _report(
    name: str,
    citation: str,
    items: tuple[Item, ...],
    protocol: Protocol,
    limits: SafetyLimits | None,
) -> str:
    return "\n".join(_lines(name, citation, items, protocol, limits)).rstrip() + "\n"


def _lines(
    name: str,
    citation: str,
    items: tuple[Item, ...],
    protocol: Protocol,
    limits: SafetyLimits | None,
) -> Iterator[str]:
    missing = [item.key for item in items if not item.answered]
    from_protocol = [item.key for item in items if item.origin is Origin.PROTOCOL]
    yield f"# {name} report: {_e(protocol.name)}"
    yield ""
    adapted = f" It is {_adapted(protocol)}." if protocol.derived_from else ""
    yield (
        f"Protocol `{protocol.id}`, reported against {name} ({citation}).{adapted} "
        f"{len(from_protocol)} of {len(items)} items are answered from the protocol's "
        f"data, {len(items) - len(from_protocol) - len(missing)} by the researcher."
    )
    yield ""
    if missing:
        yield (
            f"**Needs the researcher's input ({len(missing)} items):** "
            + ", ".join(missing)
            + ". The protocol's data does not say, and this report does not guess."
        )
        yield ""
    group = None
    for item in items:
        if item.group != group:
            group = item.group
            yield f"## {group}"
            yield ""
        yield f"### {item.key}. {item.title}"
        yield ""
        if item.answer is None:
            yield "_Needs the researcher's input._"
        else:
            yield item.answer
            if item.origin is Origin.RESEARCHER:
                yield ""
                yield "_(Provided by the researcher.)_"
        yield ""
    content = [
        safety_section(protocol.disclaimer),
        validation_section(validate(protocol, limits)),
        sources_section(protocol),
    ]
    yield markdown(content, escape=_e)
