"""Protocols as words a person reads: built once as sections, written three ways.

:func:`sections` lays out a protocol's person-facing content once, as structured
:class:`Section` objects: its title, purpose, exercises (steps filled from their
doses), schedule, safety text, sources, references and, when given, a validation
report. Three writers turn the same sections into text: :func:`plain` (the
terminal and calendar descriptions), :func:`markdown` (reports and handouts), and
their shorthands :func:`render` and :func:`to_markdown`. Every one of them carries
the safety section: the disclaimer, the stop rules, when to seek care and the red
flags go wherever the protocol goes.

Example:
    >>> from mobility import catalog
    >>> from mobility.formats.text import describe_dose, sections
    >>> protocol = catalog.get("lower-trunk-rotation")
    >>> describe_dose(protocol.exercises[0].dose)
    'hold 10-15 s; 10-15 times on each side; stretch to the point of tightness'
    >>> [str(section.part) for section in sections(protocol)]
    ['title', 'purpose', 'exercise', 'schedule', 'safety', 'sources', 'references']
"""

from __future__ import annotations

import enum
import re
import textwrap

from typing import TYPE_CHECKING, Final

import attrs

from .._words import fmt, minutes
from ..model import (
    MOVE_SECONDS,
    Audience,
    CautionKind,
    Derivation,
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
    from collections.abc import Callable, Iterable, Iterator

    from ..safety.limits import SafetyLimits
    from ..safety.validator import Report


__all__ = [
    "Block",
    "Items",
    "Paragraph",
    "Part",
    "Section",
    "audience_notes",
    "describe_derivation",
    "describe_dose",
    "describe_frequency",
    "describe_minutes",
    "describe_progression",
    "describe_session",
    "markdown",
    "markdown_escape",
    "markdown_unescape",
    "plain",
    "provenance",
    "render",
    "safety_section",
    "sections",
    "sources_section",
    "to_markdown",
    "validation_section",
    "validation_summary",
]

_INTENSITY: Final = {
    Intensity.TIGHTNESS: "stretch to the point of tightness",
    Intensity.SLIGHT_DISCOMFORT: "stretch to slight discomfort, never pain",
    Intensity.PAIN: "stretch into pain (unsafe)",
}

_URGENCY: Final = {
    Urgency.EMERGENCY: "Get emergency care now if you have",
    Urgency.URGENT: "See a doctor the same day if you have",
}

_CAUTION: Final = {
    CautionKind.AVOID: "Who should not do some or all of this",
    CautionKind.ASK_FIRST: "Ask first",
}


# --------------------------------------------------------------------------------
# Phrases


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


def describe_derivation(derivation: Derivation) -> str:
    """Say what a variant was adapted from and what it changed.

    Example:
        >>> from mobility import Derivation
        >>> describe_derivation(
        ...     Derivation(base="open-book", changed=["$.exercises[0].dose.hold"])
        ... )
        'adapted from the protocol open-book; changed: exercises[0].dose.hold'
    """
    text = f"adapted from the protocol {derivation.base}"
    if derivation.changed:
        changed = ", ".join(path.removeprefix("$.") for path in derivation.changed)
        text += f"; changed: {changed}"
    return text


def describe_session(protocol: Protocol) -> str:
    """Say how long a session takes, and that the figure is our estimate.

    Example:
        >>> from mobility import catalog
        >>> describe_session(catalog.get("thoracic-open-book")).split(" (")[0]
        'One session takes about 3.5 min'
    """
    minutes = describe_minutes(protocol.estimated_session_seconds)
    return (
        f"One session takes about {minutes} (our estimate: {MOVE_SECONDS} s of "
        "movement per repetition on top of any hold)."
    )


def validation_summary(report: Report) -> str:
    """Say a validation report's verdict in one sentence.

    Example:
        >>> from mobility import catalog, validate
        >>> validation_summary(validate(catalog.get("thoracic-open-book")))
        'Checked against the safety limits for adults: passes (0 errors, 0 warnings).'
    """
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "passes" if report.ok else "FAILS"
    return (
        f"Checked against the safety limits for {report.limits.name}: {verdict} "
        f"({errors} error{'s' * (errors != 1)}, "
        f"{warnings} warning{'s' * (warnings != 1)})."
    )


def describe_minutes(seconds: Range) -> str:
    """Say a duration in seconds as minutes, to the nearest half minute.

    Example:
        >>> describe_minutes(Range(300, 600)), describe_minutes(Range(210))
        ('5-10 min', '3.5 min')
    """
    return minutes(seconds)


# --------------------------------------------------------------------------------
# Sections


class Part(enum.StrEnum):
    """What a section of the person-facing content holds."""

    TITLE = "title"
    PURPOSE = "purpose"
    EXERCISE = "exercise"
    SCHEDULE = "schedule"
    SAFETY = "safety"
    SOURCES = "sources"
    REFERENCES = "references"
    VALIDATION = "validation"
    ADVICE = "advice"


def _strings(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


@attrs.frozen
class Paragraph:
    """A paragraph, with a label such as ``"Dose"`` when it has one."""

    text: str
    label: str | None = None


@attrs.frozen
class Items:
    """A list of items, bulleted or numbered, with a title when it has one."""

    items: tuple[str, ...] = attrs.field(converter=_strings)
    title: str | None = None
    numbered: bool = False


#: A block of a section, which is a paragraph or a list.
Block = Paragraph | Items


def _blocks(blocks: Iterable[Block]) -> tuple[Block, ...]:
    return tuple(blocks)


@attrs.frozen
class Section:
    """One section of the content: what it is, its heading, and its blocks.

    Args:
        part: What the section holds; writers style by it.
        heading: The section's heading, if it has one.
        blocks: Its paragraphs and lists, in order.
    """

    part: Part
    heading: str | None
    blocks: tuple[Block, ...] = attrs.field(converter=_blocks)


# Characters that mean something in CommonMark wherever they stand, and those
# that do only at the start of a line (lists, headings, block quotes).
_ANYWHERE: Final = re.compile(r"([\\`*_\[\]<>&|~#])")
_LINE_START: Final = re.compile(r"(?m)^([ \t]*)([-+=])|^([ \t]*\d+)([.)])")
_ESCAPED: Final = re.compile(r"\\([!-/:-@\[-`{-~])")


def markdown_escape(text: str) -> str:
    r"""Text as Markdown that shows it as written, and nothing more.

    Every Markdown that mobility writes (reports, FHIR ``markdown`` fields, the
    handout's sources) passes protocol text through this one function, so that a
    name holding ``<script>`` or ``![x](https://...)`` stays text in any
    CommonMark renderer.

    A backslash goes before each character that would start emphasis, a link,
    HTML, code or a table, and before the marks that start a list or a heading
    at the start of a line. :func:`markdown_unescape` undoes it exactly.

    Example:
        >>> print(markdown_escape("Keep *both* knees <together>"))
        Keep \*both\* knees \<together\>
        >>> markdown_unescape(markdown_escape("1. a_b \\ c")) == "1. a_b \\ c"
        True
    """
    text = _ANYWHERE.sub(r"\\\1", text)
    return _LINE_START.sub(_line_start, text)


def _line_start(match: re.Match[str]) -> str:
    if match.group(2) is not None:
        return f"{match.group(1)}\\{match.group(2)}"
    return f"{match.group(3)}\\{match.group(4)}"


def markdown_unescape(text: str) -> str:
    """Undo :func:`markdown_escape`: a backslash before punctuation goes."""
    return _ESCAPED.sub(r"\1", text)


def sections(
    protocol: Protocol,
    report: Report | None = None,
    *,
    limits: SafetyLimits | None = None,
) -> tuple[Section, ...]:
    """The person-facing content of a protocol, in reading order.

    Args:
        protocol: The protocol.
        report: A validation report to add as the last section, if any.
        limits: The limits it is used under, when not the report's; the safety
            section says in plain words what the before-performance limits
            mean (see :func:`audience_notes`).
    """
    if limits is None and report is not None:
        limits = report.limits
    found = [
        Section(
            Part.TITLE,
            f"{protocol.name} ({protocol.id}, {protocol.region} region"
            + (
                f": {protocol.region.plain})"
                if protocol.region.plain != protocol.region.value
                else ")"
            ),
            (),
        ),
        _purpose(protocol),
    ]
    found += (
        _exercise(number, exercise)
        for number, exercise in enumerate(protocol.exercises, start=1)
    )
    safety = safety_section(protocol.disclaimer)
    notes = audience_notes(protocol, limits)
    if notes:
        safety = attrs.evolve(safety, blocks=(*safety.blocks, *notes))
    found += [_schedule(protocol), safety]
    found.append(sources_section(protocol))
    citations = dict.fromkeys(reference(source) for source in protocol.sources)
    if citations:
        found.append(Section(Part.REFERENCES, "References", [Items(list(citations))]))
    if report is not None:
        found.append(validation_section(report))
    return tuple(found)


def _purpose(protocol: Protocol) -> Section:
    blocks = [Paragraph(protocol.purpose, "Purpose")]
    if protocol.rationale:
        blocks.append(Paragraph(protocol.rationale, "Why"))
    if protocol.derived_from is not None:
        derivation = describe_derivation(protocol.derived_from)
        blocks.append(Paragraph(derivation[0].upper() + derivation[1:] + "."))
    return Section(Part.PURPOSE, None, blocks)


def _exercise(number: int, exercise: Exercise) -> Section:
    blocks: list[Block] = []
    if exercise.purpose:
        blocks.append(Paragraph(exercise.purpose, "Purpose"))
    blocks.append(Paragraph(exercise.position, "Start"))
    if exercise.equipment:
        blocks.append(Paragraph(", ".join(exercise.equipment), "You need"))
    blocks.append(Items([str(step) for step in exercise.instructions], numbered=True))
    dose = exercise.dose
    blocks.append(Paragraph(f"{describe_dose(dose)}.", "Dose"))
    side = "on each side" if dose.side.sides_worked == 2 else "in all"
    work = f"{dose.reps_per_side} repetitions {side}"
    if dose.hold is not None:
        work += f", {dose.stretch_seconds_per_side} s of stretching {side}"
    blocks.append(Paragraph(f"{work}.", "Per session"))
    if exercise.adaptations:
        blocks.append(Items([str(a) for a in exercise.adaptations], "Easier or harder"))
    return Section(Part.EXERCISE, f"{number}. {exercise.name}", blocks)


def _schedule(protocol: Protocol) -> Section:
    blocks = [
        Paragraph(f"{describe_frequency(protocol.frequency)}.", "How often"),
        Paragraph(describe_session(protocol)),
    ]
    if protocol.program_weeks is not None:
        blocks.append(Paragraph(f"{protocol.program_weeks} weeks.", "Programme"))
    if protocol.progression is not None:
        blocks.append(
            Paragraph(describe_progression(protocol.progression), "Progression")
        )
    if protocol.review is not None:
        blocks.append(
            Paragraph(
                protocol.review.action,
                f"Review after {_days(protocol.review.after_days)}",
            )
        )
    return Section(Part.SCHEDULE, None, blocks)


def safety_section(disclaimer: Disclaimer | None) -> Section:
    """The safety text as a section: notice, cautions, stop rules, care, red flags.

    A protocol without a disclaimer gets a section that says so, in capitals, and
    one whose cautions nobody has considered says that too.
    """
    if disclaimer is None:
        notice = "THIS PROTOCOL HAS NO SAFETY TEXT. Do not use it as it stands."
        return Section(Part.SAFETY, "Safety", [Paragraph(notice)])
    blocks: list[Block] = [Paragraph(disclaimer.text)]
    if disclaimer.cautions is None:
        blocks.append(
            Paragraph(
                "NOBODY HAS SAID WHO SHOULD NOT DO THIS. Ask a physical therapist "
                "whether it suits you before you start."
            )
        )
    else:
        for kind in CautionKind:
            cautions = [c.text for c in disclaimer.cautions if c.kind is kind]
            if cautions:
                blocks.append(Items(cautions, _CAUTION[kind]))
    if disclaimer.stop_rules:
        blocks.append(Items(disclaimer.stop_rules, "Stop"))
    if disclaimer.seek_care:
        blocks.append(Items(disclaimer.seek_care, "When to seek care"))
    for urgency in Urgency:
        # One list per urgency and framing, in the order the flags come.
        contexts = dict.fromkeys(
            flag.context for flag in disclaimer.red_flags if flag.urgency is urgency
        )
        for context in contexts:
            flags = [
                flag.text
                for flag in disclaimer.red_flags
                if flag.urgency is urgency and flag.context == context
            ]
            heading = _URGENCY[urgency]
            if context is not None:
                heading = f"{heading} {context} and"
            blocks.append(Items(flags, heading))
    return Section(Part.SAFETY, "Safety", blocks)


#: What the before-performance limits mean, for a coach or an athlete (Behm et
#: al. 2016, as :meth:`~mobility.SafetyLimits.before_performance` applies it).
BEFORE_PERFORMANCE_NOTE: Final = (
    "These limits are for stretching right before training or competition. Keep "
    "the static holds for each muscle group under 60 seconds in all: that costs "
    "little performance, while 60 seconds or more can reduce it (Behm et al. "
    "2016). Warm up with moving (dynamic) exercises, and keep longer static holds "
    "for after training."
)

#: What a protocol for young athletes must say (Micheli & Wood 1995; NICE NG59
#: covers people over 16 only).
ADOLESCENTS_NOTE: Final = (
    "This protocol is for young athletes. In adolescent athletes with back pain, "
    "a stress fracture of a vertebra (spondylolysis) was the cause in 47% of "
    "cases, against 5% in adults (Micheli & Wood 1995). If arching your back "
    "backwards hurts, see a clinician first, before any exercise that arches it. "
    "The red flags above come from guidance for people over 16 (NICE NG59)."
)


def audience_notes(
    protocol: Protocol, limits: SafetyLimits | None = None
) -> list[Paragraph]:
    """Plain words for the people and the moment a protocol is used for.

    A note for young athletes (:attr:`~mobility.Audience.ADOLESCENTS`), and one on what
    the before-performance limits mean.

    Example:
        >>> from mobility import SafetyLimits, catalog
        >>> protocol = catalog.get("lower-trunk-rotation")
        >>> audience_notes(protocol)
        []
        >>> [note.label for note in audience_notes(
        ...     protocol, SafetyLimits.before_performance())]
        ['Right before training or competition']
    """
    notes: list[Paragraph] = []
    if protocol.audience is Audience.ADOLESCENTS:
        notes.append(Paragraph(ADOLESCENTS_NOTE, "Young athletes"))
    if limits is not None and limits.name == _BEFORE_PERFORMANCE:
        notes.append(
            Paragraph(BEFORE_PERFORMANCE_NOTE, "Right before training or competition")
        )
    return notes


# The name of the before-performance preset (mobility.safety.limits; a test checks).
_BEFORE_PERFORMANCE: Final = "right before performance"


def sources_section(protocol: Protocol) -> Section:
    """Each source with what it stands behind (see :func:`provenance`), and kind."""
    items = [f"{label}: {_with_kind(source)}" for label, source in provenance(protocol)]
    return Section(Part.SOURCES, "Where the figures come from", [Items(items)])


def validation_section(report: Report) -> Section:
    """A validation report as a section: its verdict, then each finding."""
    findings = [f"{finding.severity}: {finding}" for finding in report.findings]
    blocks: list[Block] = [Paragraph(validation_summary(report))]
    if findings:
        blocks.append(Items(findings))
    return Section(Part.VALIDATION, "Validation", blocks)


# --------------------------------------------------------------------------------
# Writers


def render(
    protocol: Protocol,
    report: Report | None = None,
    *,
    width: int | None = 78,
    heading: bool = True,
    style: Callable[[Part, str], str] | None = None,
) -> str:
    """Lay out a protocol as plain text, safety text included.

    Args:
        protocol: The protocol to show.
        report: A validation report to append, if any.
        width: The longest line, or ``None`` to leave each paragraph on one line
            (for calendar descriptions and other places that wrap text themselves).
        heading: Whether to start with the protocol's name, id and region; leave
            it out where the name is shown already, as in a calendar event.
        style: Applied to each heading line with its section's part; the command
            line makes headings bold with it.

    Returns:
        The text, ending in a newline.
    """
    content = sections(protocol, report)
    if not heading:
        content = tuple(s for s in content if s.part is not Part.TITLE)
    return plain(content, width=width, style=style)


def to_markdown(protocol: Protocol, report: Report | None = None) -> str:
    """Lay out a protocol as Markdown, safety text included.

    Example:
        >>> from mobility import catalog
        >>> print(to_markdown(catalog.get("thoracic-open-book")).splitlines()[0])
        # Open book thoracic rotation (thoracic-open-book, thoracic region: upper back)
    """
    return markdown(sections(protocol, report))


def plain(
    content: Iterable[Section],
    *,
    width: int | None = 78,
    style: Callable[[Part, str], str] | None = None,
) -> str:
    """Write sections as plain text: headings, indented blocks, wrapped lines.

    Args:
        content: The sections, as :func:`sections` gives them.
        width: The longest line, or ``None`` to keep each paragraph on one line.
        style: Applied to each heading line with its section's part.
    """
    lines: list[str] = []
    for section in content:
        if lines:
            lines.append("")
        lines += _plain_section(section, width or _UNWRAPPED, style)
    return "\n".join(lines) + "\n"


_UNWRAPPED: Final = 10**9  # a width no paragraph reaches


def _plain_section(
    section: Section, width: int, style: Callable[[Part, str], str] | None
) -> Iterator[str]:
    def styled(line: str) -> str:
        return style(section.part, line) if style is not None else line

    if section.part is Part.TITLE:
        title = list(_wrap(section.heading or "", width=width))
        yield from map(styled, title)
        yield styled("=" * min(max(map(len, title)), width))
        return
    if section.heading is None:
        indent, more = "", "  "
    else:
        yield from map(styled, _wrap(section.heading, width=width))
        indent = "   " if section.part is Part.EXERCISE else "  "
        more = indent + "  "
    for block in section.blocks:
        if isinstance(block, Paragraph):
            text = f"{block.label}: {block.text}" if block.label else block.text
            hanging = more if block.label or section.heading is None else None
            yield from _wrap(text, indent, hanging, width=width)
            continue
        if block.title:
            yield f"{indent}{block.title}:"
        for number, item in enumerate(block.items, start=1):
            bullet = f"{number}) " if block.numbered else "- "
            yield from _wrap(
                item, indent + bullet, indent + " " * len(bullet), width=width
            )


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
        break_long_words=False,  # an address stays whole, to be copied
    )


def markdown(
    content: Iterable[Section],
    *,
    level: int = 2,
    escape: Callable[[str], str] | None = None,
) -> str:
    """Write sections as Markdown; section headings at ``level``.

    The title section, if there is one, is the page's level-1 heading.

    Args:
        content: The sections, as :func:`sections` gives them.
        level: The level of each section's heading.
        escape: Applied to every text from the protocol (headings, labels,
            paragraphs, items) before it is written, for readers that render
            Markdown; :func:`markdown_escape` is one. Without it
            the texts are written as they are.
    """
    esc = escape if escape is not None else _same
    lines: list[str] = []
    for section in content:
        if section.part is Part.TITLE:
            lines += [f"# {esc(section.heading or '')}", ""]
            continue
        if section.heading is not None:
            lines += [f"{'#' * level} {esc(section.heading)}", ""]
        for block in section.blocks:
            if isinstance(block, Paragraph):
                label = f"**{esc(block.label)}:** " if block.label else ""
                lines += [label + esc(block.text), ""]
                continue
            if block.title:
                lines += [f"{esc(block.title)}:", ""]
            for number, item in enumerate(block.items, start=1):
                item = esc(item)  # noqa: PLW2901 - the item as written
                lines.append(f"{number}. {item}" if block.numbered else f"- {item}")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _same(text: str) -> str:
    return text


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
    for adaptation in exercise.adaptations:
        if adaptation.source is not None:
            yield f"{adaptation.kind.value.capitalize()} way{which}", adaptation.source


def _with_kind(source: Source) -> str:
    """The source as ``str()`` writes it, with its kind after the citation."""
    if source.kind is None:
        return str(source)
    kind = attrs.evolve(source, citation=f"{source.citation} [{source.kind.label}]")
    return str(kind)


def reference(source: Source, *, kind: bool = True) -> str:
    """A source as a reference list shows it: citation, kind, note and address.

    Example:
        >>> from mobility import SourceKind
        >>> reference(Source("HSE, 'Sitting exercises'", url="https://www2.hse.ie/",
        ...                  kind=SourceKind.PUBLIC_HEALTH, note="seen in a copy"))
        "HSE, 'Sitting exercises' [public-health guidance] (seen in a copy): https://www2.hse.ie/"
    """
    shown = _with_kind(source) if kind else str(source)
    return shown + (f": {source.url}" if source.url else "")


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
        Safety text (inferred)
        Red flags (inferred)
        Red flags
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
        for caution in protocol.disclaimer.cautions or ():
            if caution.source is not None:
                yield "Caution", caution.source
        flag_sources = {
            flag.source
            for flag in protocol.disclaimer.red_flags
            if flag.source is not None
        }
        for source in sorted(flag_sources, key=str):
            yield "Red flags", source
