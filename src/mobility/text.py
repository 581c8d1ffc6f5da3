"""Protocols as plain text a person reads.

:func:`render` always includes the disclaimer, the stop rules, when to seek care
and the red flags: the safety text goes wherever the protocol goes.

Example:
    >>> from mobility import catalog
    >>> from mobility.text import describe_dose
    >>> dose = catalog.get("lower-trunk-rotation").exercises[0].dose
    >>> describe_dose(dose)
    'hold 10-15 s; 10-15 times on each side; stretch to the point of tightness'
"""

from __future__ import annotations

import textwrap

from typing import TYPE_CHECKING

from ._checks import fmt
from .model import (
    Disclaimer,
    Dose,
    Exercise,
    Frequency,
    Intensity,
    Progression,
    Protocol,
    Range,
    Side,
    Source,
    Urgency,
)


if TYPE_CHECKING:
    from collections.abc import Iterator

    from .validator import Report


__all__ = [
    "describe_dose",
    "describe_frequency",
    "describe_minutes",
    "describe_progression",
    "provenance",
    "render",
]

_UNWRAPPED = 10**9  # a width no paragraph reaches

_INTENSITY = {
    Intensity.TIGHTNESS: "stretch to the point of tightness",
    Intensity.SLIGHT_DISCOMFORT: "stretch to slight discomfort, never pain",
    Intensity.PAIN: "stretch into pain (unsafe)",
}

_URGENCY = {
    Urgency.EMERGENCY: "Get emergency care now if you have",
    Urgency.URGENT: "See a doctor the same day if you have",
}


def describe_dose(dose: Dose) -> str:
    r"""Say a dose in plain words, per side where it is per side.

    Example:
        >>> from mobility import Dose, Side
        >>> dose = Dose(side=Side.EACH, reps=10, sets=3, rest_seconds=30)
        >>> print(describe_dose(dose).replace("; ", "\n"))
        3 sets of 10 times on each side, 30 s rest between sets
        stretch to the point of tightness
    """
    parts = []
    if dose.hold is not None:
        parts.append(str(dose.hold))
    times = f"{dose.reps} {'time' if dose.reps == Range(1) else 'times'}"
    if dose.sets != Range(1):
        times = f"{dose.sets} sets of {times}"
    if dose.side is not Side.BILATERAL:
        times = f"{times} {dose.side.phrase}"
    if dose.rest_seconds is not None:
        times = f"{times}, {dose.rest_seconds} s rest between sets"
    parts.append(times)
    parts.append(_INTENSITY[dose.intensity])
    return "; ".join(parts)


def describe_frequency(frequency: Frequency) -> str:
    """Say how often, e.g. ``"every day, once a day"``.

    Example:
        >>> from mobility import Frequency
        >>> describe_frequency(Frequency(days_per_week=3, sessions_per_day=2))
        '3 days a week, twice a day'
    """
    days = (
        "every day"
        if frequency.days_per_week == 7
        else f"{frequency.days_per_week} day{'s' * (frequency.days_per_week > 1)} "
        "a week"
    )
    sessions = {1: "once a day", 2: "twice a day"}.get(
        frequency.sessions_per_day, f"{frequency.sessions_per_day} times a day"
    )
    return f"{days}, {sessions}"


def describe_progression(progression: Progression) -> str:
    """Say a progression rule in plain words, ceilings and description included.

    Example:
        >>> from mobility import Progression
        >>> describe_progression(
        ...     Progression(every_days=7, reps_step=1, reps_ceiling=15)
        ... )
        'every 7 days, add 1 repetition, up to 15 repetitions.'
    """
    steps = []
    if progression.reps_step:
        reps = f"add {progression.reps_step} repetition" + "s" * (
            progression.reps_step != 1
        )
        if progression.reps_ceiling is not None:
            reps += f", up to {progression.reps_ceiling} repetitions"
        steps.append(reps)
    if progression.hold_step_seconds:
        hold = f"add {fmt(progression.hold_step_seconds)} s to the hold"
        if progression.hold_ceiling_seconds is not None:
            hold += f", up to {fmt(progression.hold_ceiling_seconds)} s"
        steps.append(hold)
    text = f"every {progression.every_days} days, " + " and ".join(steps) + "."
    if progression.description:
        text += f" {progression.description}"
    return text


def describe_minutes(seconds: Range) -> str:
    """Say a duration in seconds as minutes, to the nearest half minute.

    Example:
        >>> describe_minutes(Range(300, 600)), describe_minutes(Range(210))
        ('5-10 min', '3.5 min')
    """
    return f"{Range(round(seconds.low / 30) / 2, round(seconds.high / 30) / 2)} min"


def render(
    protocol: Protocol,
    report: Report | None = None,
    *,
    width: int | None = 78,
    heading: bool = True,
) -> str:
    """Lay out a protocol as plain text, safety text included.

    Args:
        protocol: The protocol to show.
        report: A validation report to append, if any.
        width: The longest line, or ``None`` to leave each paragraph on one line
            (for calendar descriptions and other places that wrap text themselves).
        heading: Whether to start with the protocol's name, id and region; leave
            it out where the name is shown already, as in a calendar event.

    Returns:
        The text, ending in a newline.
    """
    lines = list(_render(protocol, report, width or _UNWRAPPED))
    if not heading:
        del lines[: lines.index("") + 1]
    return "\n".join(lines) + "\n"


def _wrap(
    text: str, indent: str = "", hanging: str | None = None, *, width: int
) -> Iterator[str]:
    if width == _UNWRAPPED:  # keep the author's text exactly, line breaks and all
        yield indent + text
        return
    yield from textwrap.wrap(
        text,
        width,
        initial_indent=indent,
        subsequent_indent=hanging if hanging is not None else indent,
        break_on_hyphens=False,
    )


def _render(protocol: Protocol, report: Report | None, width: int) -> Iterator[str]:
    title = list(
        _wrap(f"{protocol.name} ({protocol.id}, {protocol.region} region)", width=width)
    )
    yield from title
    yield "=" * min(max(len(line) for line in title), width)
    yield ""
    yield from _wrap(f"Purpose: {protocol.purpose}", hanging="  ", width=width)
    if protocol.rationale:
        yield from _wrap(f"Why: {protocol.rationale}", hanging="  ", width=width)
    for number, exercise in enumerate(protocol.exercises, start=1):
        yield ""
        yield from _render_exercise(number, exercise, width)
    yield ""
    yield from _render_schedule(protocol, width)
    yield ""
    yield from _render_disclaimer(protocol.disclaimer, width)
    yield ""
    yield "Where the figures come from"
    for label, source in provenance(protocol):
        yield from _wrap(
            f"{label}: {source}", indent="  - ", hanging="    ", width=width
        )
    citations = list(dict.fromkeys(source.citation for source in protocol.sources))
    if citations:
        yield ""
        yield "References"
        for citation in citations:
            yield from _wrap(citation, indent="  - ", hanging="    ", width=width)
    if report is not None:
        yield ""
        yield from _render_report(report, width)


def _render_schedule(protocol: Protocol, width: int) -> Iterator[str]:
    yield from _wrap(
        f"How often: {describe_frequency(protocol.frequency)}.",
        hanging="  ",
        width=width,
    )
    yield from _wrap(
        "One session takes about "
        f"{describe_minutes(protocol.estimated_session_seconds)} (our estimate).",
        hanging="  ",
        width=width,
    )
    if protocol.program_weeks is not None:
        yield f"Programme: {protocol.program_weeks} weeks."
    if protocol.progression is not None:
        yield from _wrap(
            f"Progression: {describe_progression(protocol.progression)}",
            hanging="  ",
            width=width,
        )
    if protocol.review is not None:
        yield from _wrap(
            f"Review after {_days(protocol.review.after_days)}: "
            f"{protocol.review.action}",
            hanging="  ",
            width=width,
        )


def _render_exercise(number: int, exercise: Exercise, width: int) -> Iterator[str]:
    yield f"{number}. {exercise.name}"
    if exercise.purpose:
        yield from _wrap(
            f"Purpose: {exercise.purpose}", indent="   ", hanging="     ", width=width
        )
    yield from _wrap(
        f"Start: {exercise.position}", indent="   ", hanging="     ", width=width
    )
    if exercise.equipment:
        yield from _wrap(
            f"You need: {', '.join(exercise.equipment)}",
            indent="   ",
            hanging="     ",
            width=width,
        )
    for step_number, step in enumerate(exercise.steps, start=1):
        text = step.text + (f" ({step.cue})" if step.cue else "")
        yield from _wrap(
            f"{step_number}) {text}", indent="   ", hanging="      ", width=width
        )
    dose = exercise.dose
    yield from _wrap(
        f"Dose: {describe_dose(dose)}.", indent="   ", hanging="     ", width=width
    )
    side = "on each side" if dose.side is Side.EACH else "in all"
    work = f"{dose.reps_per_side} repetitions {side}"
    if dose.hold is not None:
        work += f", {dose.stretch_seconds_per_side} s of stretching {side}"
    yield from _wrap(
        f"Per session: {work}.", indent="   ", hanging="     ", width=width
    )


def _render_disclaimer(disclaimer: Disclaimer | None, width: int) -> Iterator[str]:
    yield "Safety"
    if disclaimer is None:
        yield "  THIS PROTOCOL HAS NO SAFETY TEXT. Do not use it as it stands."
        return
    yield from _wrap(disclaimer.text, indent="  ", width=width)
    if disclaimer.stop_rules:
        yield "  Stop:"
        for rule in disclaimer.stop_rules:
            yield from _wrap(rule, indent="  - ", hanging="    ", width=width)
    if disclaimer.seek_care:
        yield "  When to seek care:"
        for advice in disclaimer.seek_care:
            yield from _wrap(advice, indent="  - ", hanging="    ", width=width)
    for urgency in Urgency:
        flags = [flag for flag in disclaimer.red_flags if flag.urgency is urgency]
        if flags:
            yield f"  {_URGENCY[urgency]}:"
            for flag in flags:
                yield from _wrap(flag.text, indent="  - ", hanging="    ", width=width)


def _render_report(report: Report, width: int) -> Iterator[str]:
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "passes" if report.ok else "FAILS"
    yield (
        f"Validation against the limits for {report.limits.name}: {verdict} "
        f"({errors} error{'s' * (errors != 1)}, "
        f"{warnings} warning{'s' * (warnings != 1)})"
    )
    for finding in report.findings:
        yield from _wrap(
            f"{finding.severity}: {finding}", indent="  ", hanging="    ", width=width
        )


def _days(days: int) -> str:
    if days % 7 == 0:
        weeks = days // 7
        return f"{weeks} week{'s' * (weeks != 1)}"
    return f"{days} day{'s' * (days != 1)}"


def _exercise_sources(exercise: Exercise, which: str) -> Iterator[tuple[str, Source]]:
    if exercise.source is not None:
        yield f"Exercise{which}", exercise.source
    if exercise.dose.source is not None:
        yield f"Dose{which}", exercise.dose.source
    for assumption in exercise.dose.assumptions:
        yield f"Dose{which}, filled in", assumption


def provenance(protocol: Protocol) -> Iterator[tuple[str, Source]]:
    """Each source the protocol cites, with what it stands behind, in reading order.

    Example:
        >>> from mobility import catalog
        >>> for label, source in provenance(catalog.get("thoracic-open-book")):
        ...     print(label, "(inferred)" if source.inferred else "")
        Exercise (inferred)
        Dose
        Dose, filled in (inferred)
        How often (inferred)
        Review (inferred)
        Safety text
        Red flags (inferred)
    """
    many = len(protocol.exercises) > 1
    for number, exercise in enumerate(protocol.exercises, start=1):
        yield from _exercise_sources(exercise, f" of exercise {number}" if many else "")
    if protocol.frequency.source is not None:
        yield "How often", protocol.frequency.source
    if protocol.progression is not None and protocol.progression.source is not None:
        yield "Progression", protocol.progression.source
    if protocol.review is not None and protocol.review.source is not None:
        yield "Review", protocol.review.source
    if protocol.disclaimer is not None:
        if protocol.disclaimer.source is not None:
            yield "Safety text", protocol.disclaimer.source
        flag_sources = {
            flag.source
            for flag in protocol.disclaimer.red_flags
            if flag.source is not None
        }
        for source in sorted(flag_sources, key=str):
            yield "Red flags", source
