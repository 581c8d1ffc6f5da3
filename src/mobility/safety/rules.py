"""The validator's rules, as one table of data.

Each :class:`Rule` in :data:`RULES` compares one quantity of a protocol with one
:class:`~mobility.Limit` of :class:`~mobility.SafetyLimits`: it names the limit,
says how to read the quantity, where it lives (a JSON path) and the code its
findings carry. :func:`mobility.validate` loops over this table; the rules tables
in the documentation and the axes of :mod:`mobility.research` are made from it
too, so adding a parameter is one line here and one limit there.

Rules on a dose or on a whole session (:attr:`Scope.DOSE`, :attr:`Scope.SESSION`)
are applied at every step of a protocol's progression, because growing the dose
can carry it past a bound that week one is within. The checks that are not a
comparison with a number (safety text present, no stretching into pain, a review
point, a ceiling for growth) are listed in :data:`POLICIES`.

Example:
    >>> from mobility.safety.rules import RULES
    >>> rule = RULES[0]
    >>> rule.code, rule.limit, rule.path.format(index=0)
    ('hold-seconds', 'hold_seconds', '$.exercises[0].dose.hold.seconds')
    >>> [r.code for r in RULES if r.scope is Scope.SESSION]
    ['session-minutes']
"""

from __future__ import annotations

import enum

from typing import TYPE_CHECKING, Any, Final

import attrs

from ..model import MOVE_SECONDS, Dose, Protocol, Range, Source, evidence


if TYPE_CHECKING:
    from collections.abc import Callable

    from .limits import Limit, SafetyLimits


__all__ = [
    "POLICIES",
    "RULES",
    "Axis",
    "Policy",
    "Rule",
    "Scope",
    "Severity",
    "markdown_table",
    "policy",
    "policy_table",
]


class Severity(enum.StrEnum):
    """How serious a finding is."""

    ERROR = "error"
    """The protocol is unsafe or incomplete as it stands."""
    WARNING = "warning"
    """The protocol is allowed, but something is outside the typical range."""


#: What a rule reads, which is a number, a range, or a (low, high) pair.
Amount = Range | float | tuple[float, float]


class Scope(enum.StrEnum):
    """What a rule reads, and so whether it changes as a programme progresses."""

    DOSE = "dose"
    """One exercise's dose, for each exercise; checked at every progression step."""
    SESSION = "session"
    """All of a session's doses together; checked at every progression step."""
    PROTOCOL = "protocol"
    """The protocol's frequency, review or progression rule; fixed over time."""


@attrs.frozen
class Axis:
    """A research axis: a field that a variant grid sets directly.

    Args:
        name: The axis's name in :func:`mobility.research.grid`.
        level: What the field belongs to: ``"dose"``, ``"frequency"``,
            ``"review"``, ``"progression"`` or ``"protocol"``.
        field: The field's name there.
    """

    name: str
    level: str
    field: str


@attrs.frozen(kw_only=True)
class Rule:
    """One comparison of a protocol's quantity with a limit.

    Args:
        code: The start of every finding's code, e.g. ``"hold-seconds"``; the
            finding adds what was crossed: ``hold-seconds-above-maximum``.
        limit: The name of the :class:`~mobility.SafetyLimits` field applied.
        scope: What the rule reads.
        path: Where the quantity lives, as a JSON path; ``{index}`` stands for
            the exercise's position in a dose rule.
        measures: What the quantity is, in words, for the documentation.
        read: Reads the quantity: called with ``(dose, protocol)`` for a dose
            rule and ``(doses, protocol)`` otherwise, where ``doses`` are the
            session's doses at the step being checked. It returns a number, a
            :class:`~mobility.Range`, or a ``(low, high)`` pair of numbers; or
            ``None`` when the protocol has no such quantity (a dose without a
            hold).
        axis: The research axis that sets the quantity, if one does.
    """

    code: str
    limit: str
    scope: Scope
    path: str
    measures: str
    read: Callable[[Any, Protocol], Amount | None] = attrs.field(repr=False, eq=False)
    axis: Axis | None = None

    @property
    def grows(self) -> bool:
        """Whether a progression can change the quantity over time."""
        return self.scope is not Scope.PROTOCOL


# --------------------------------------------------------------------------------
# How each quantity is read. Plain functions: the validator calls them for every
# variant of a grid.


def _hold(dose: Dose, _: Protocol) -> Range | None:
    return None if dose.hold is None else dose.hold.seconds


def _reps(dose: Dose, _: Protocol) -> Range:
    # Alternating repetitions count both sides; half of them fall to one side.
    return dose.reps if dose.side.share == 1 else dose.reps * dose.side.share


def _sets(dose: Dose, _: Protocol) -> Range:
    return dose.sets


def _rest(dose: Dose, _: Protocol) -> Range | None:
    return dose.rest_seconds


# The derived quantities are (low, high) pairs of plain numbers: building a Range
# for each would cost more than the comparison.


def _stretch(dose: Dose, _: Protocol) -> tuple[float, float] | None:
    if dose.hold is None:
        return None
    sets, reps, hold = dose.sets, dose.reps, dose.hold.seconds
    each = dose.hold.positions * dose.side.share
    return (
        sets.low * reps.low * hold.low * each,
        sets.high * reps.high * hold.high * each,
    )


def _stretch_per_day(dose: Dose, protocol: Protocol) -> tuple[float, float] | None:
    per_session = _stretch(dose, protocol)
    if per_session is None:
        return None
    sessions = protocol.frequency.sessions_per_day
    return (per_session[0] * sessions, per_session[1] * sessions)


def _session_minutes(doses: tuple[Dose, ...], _: Protocol) -> tuple[float, float]:
    low = high = 0.0
    for dose in doses:
        seconds = dose.estimated_seconds
        low += seconds.low
        high += seconds.high
    return (low / 60, high / 60)


def _sessions_per_day(_: object, protocol: Protocol) -> int:
    return protocol.frequency.sessions_per_day


def _days_per_week(_: object, protocol: Protocol) -> int:
    return protocol.frequency.days_per_week


def _review_after_days(_: object, protocol: Protocol) -> int | None:
    return None if protocol.review is None else protocol.review.after_days


def _progression(field: str) -> Callable[[object, Protocol], float | None]:
    def read(_: object, protocol: Protocol) -> float | None:
        progression = protocol.progression
        return None if progression is None else getattr(progression, field)

    read.__name__ = f"_progression_{field}"
    return read


_EXERCISE: Final = "$.exercises[{index}]"
_DOSE: Final = f"{_EXERCISE}.dose"

#: Every rule that compares a quantity with a limit, in the order findings are
#: reported: the dose rules for each exercise in turn, then the others.
RULES: Final = (
    Rule(
        code="hold-seconds",
        limit="hold_seconds",
        scope=Scope.DOSE,
        path=f"{_DOSE}.hold.seconds",
        measures="each hold, of a repetition or of one position",
        read=_hold,
        axis=Axis("hold", "dose", "hold"),
    ),
    Rule(
        code="reps",
        limit="reps",
        scope=Scope.DOSE,
        path=f"{_DOSE}.reps",
        measures="repetitions in one set, on one side",
        read=_reps,
        axis=Axis("reps", "dose", "reps"),
    ),
    Rule(
        code="sets",
        limit="sets",
        scope=Scope.DOSE,
        path=f"{_DOSE}.sets",
        measures="how many sets, on one side",
        read=_sets,
        axis=Axis("sets", "dose", "sets"),
    ),
    Rule(
        code="rest-seconds",
        limit="rest_seconds",
        scope=Scope.DOSE,
        path=f"{_DOSE}.rest_seconds",
        measures="the pause between two sets",
        read=_rest,
        axis=Axis("rest_seconds", "dose", "rest_seconds"),
    ),
    Rule(
        code="stretch-seconds-per-side",
        limit="stretch_seconds_per_side",
        scope=Scope.DOSE,
        path=_DOSE,
        measures="sets x repetitions x hold x positions held, halved when the "
        "sides alternate: one side of one exercise in a session (one side of one "
        "exercise counts as one muscle group, our reading)",
        read=_stretch,
    ),
    Rule(
        code="stretch-seconds-per-side-per-day",
        limit="stretch_seconds_per_side_per_day",
        scope=Scope.DOSE,
        path=_DOSE,
        measures="the stretch time per side in a session, times the sessions in a day",
        read=_stretch_per_day,
    ),
    Rule(
        code="session-minutes",
        limit="session_minutes",
        scope=Scope.SESSION,
        path="$.exercises",
        measures="every exercise's estimated time on every side, counting "
        f"{MOVE_SECONDS} s of movement per repetition (our assumption)",
        read=_session_minutes,
    ),
    Rule(
        code="sessions-per-day",
        limit="sessions_per_day",
        scope=Scope.PROTOCOL,
        path="$.frequency.sessions_per_day",
        measures="sessions on a training day",
        read=_sessions_per_day,
        axis=Axis("sessions_per_day", "frequency", "sessions_per_day"),
    ),
    Rule(
        code="days-per-week",
        limit="days_per_week",
        scope=Scope.PROTOCOL,
        path="$.frequency.days_per_week",
        measures="training days in a week",
        read=_days_per_week,
        axis=Axis("days_per_week", "frequency", "days_per_week"),
    ),
    Rule(
        code="review-after-days",
        limit="review_after_days",
        scope=Scope.PROTOCOL,
        path="$.review.after_days",
        measures="days from the start until progress is reviewed",
        read=_review_after_days,
        axis=Axis("review_after_days", "review", "after_days"),
    ),
    Rule(
        code="progression-reps-step",
        limit="progression_reps_step",
        scope=Scope.PROTOCOL,
        path="$.progression.reps_step",
        measures="repetitions added at one progression step",
        read=_progression("reps_step"),
        axis=Axis("progression_reps_step", "progression", "reps_step"),
    ),
    Rule(
        code="progression-every-days",
        limit="progression_every_days",
        scope=Scope.PROTOCOL,
        path="$.progression.every_days",
        measures="days between progression steps",
        read=_progression("every_days"),
        axis=Axis("progression_every_days", "progression", "every_days"),
    ),
    Rule(
        code="progression-hold-step-seconds",
        limit="progression_hold_step_seconds",
        scope=Scope.PROTOCOL,
        path="$.progression.hold_step_seconds",
        measures="seconds added to a hold at one progression step",
        read=_progression("hold_step_seconds"),
        axis=Axis("progression_hold_step_seconds", "progression", "hold_step_seconds"),
    ),
    Rule(
        code="progression-hold-seconds-per-week",
        limit="progression_hold_seconds_per_week",
        scope=Scope.PROTOCOL,
        path="$.progression",
        measures="a progression's hold step scaled to 7 days",
        read=_progression("hold_seconds_per_week"),
    ),
)


# --------------------------------------------------------------------------------
# The checks that are not a comparison with a number


@attrs.frozen(kw_only=True)
class Policy:
    """A check that is not a comparison with a limit, as the docs list it.

    Args:
        code: The finding's code.
        severity: How serious its finding is; ``None`` where that depends on the
            case (``review-missing``).
        path: Where its finding points, as a JSON path.
        when: When it is reported, in words.
        source: Why, as evidence.
    """

    code: str
    severity: Severity | None
    path: str
    when: str
    source: Source


_INTENSITY: Final = Source(
    "ACSM 2021; NHS Inform",
    note="stretch to the point of tightness or slight discomfort, never into pain",
)

#: Every check that is not a comparison with a limit.
POLICIES: Final = (
    Policy(
        code="disclaimer-missing",
        severity=Severity.ERROR,
        path="$.disclaimer",
        when="the protocol has no disclaimer at all",
        source=evidence.POLICY,
    ),
    Policy(
        code="stop-rule-missing",
        severity=Severity.ERROR,
        path="$.disclaimer.stop_rules",
        when="the disclaimer says nowhere when to stop",
        source=evidence.POLICY,
    ),
    Policy(
        code="seek-care-missing",
        severity=Severity.ERROR,
        path="$.disclaimer.seek_care",
        when="the disclaimer says nowhere when to seek care",
        source=evidence.POLICY,
    ),
    Policy(
        code="red-flags-missing",
        severity=Severity.WARNING,
        path="$.disclaimer.red_flags",
        when="the disclaimer lists no red flags",
        source=evidence.NICE_NG59,
    ),
    Policy(
        code="cautions-not-considered",
        severity=Severity.ERROR,
        path="$.disclaimer.cautions",
        when="the disclaimer does not say who should not do the exercises or "
        "should ask first (an empty list says the sources give no caution)",
        source=evidence.POLICY,
    ),
    Policy(
        code="intensity-pain",
        severity=Severity.ERROR,
        path=f"{_DOSE}.intensity",
        when="a dose asks for stretching into pain",
        source=_INTENSITY,
    ),
    Policy(
        code="review-missing",
        severity=None,
        path="$.review",
        when="no review point, and the programme would go unreviewed past the "
        "review limits: an error past the hard limit (any open-ended programme "
        "included), a warning past the typical one",
        source=evidence.POLICY,
    ),
    Policy(
        code="step-contradicts-dose",
        severity=Severity.ERROR,
        path=f"{_EXERCISE}.steps",
        when="a step's text or cue states a hold, a number of repetitions or of "
        "sets that its dose does not prescribe, at the start or in a later week "
        "of the programme; write a placeholder such as {hold} instead",
        source=evidence.TEXT_POLICY,
    ),
    Policy(
        code="progression-ceiling-missing",
        severity=Severity.ERROR,
        path="$.progression",
        when="an open-ended programme's progression grows the repetitions or a "
        "hold with no ceiling, so the dose would grow without end",
        source=evidence.PROGRAMME_POLICY,
    ),
)


def policy(code: str) -> Policy:
    """The policy with the given code.

    Raises:
        KeyError: No policy has that code.
    """
    return _POLICIES_BY_CODE[code]


_POLICIES_BY_CODE: Final = {p.code: p for p in POLICIES}


# --------------------------------------------------------------------------------
# The rules as the documentation shows them


def _mark(source: Source) -> str:
    return "our inference" if source.inferred else "stated"


def _cell(limit: Limit, names: tuple[str, str]) -> str:
    """The bounds of a limit named in ``names``, in words, each with its mark."""
    bounds = [(name, getattr(limit, name)) for name in names]
    present = [(name, bound) for name, bound in bounds if bound is not None]
    if (
        names[0] == "typical_low"
        and len(present) == 2
        and {_mark(bound.source) for _, bound in present}
        == {_mark(present[0][1].source)}
        and all(bound.inclusive for _, bound in present)
    ):  # one range, one mark: "10-30 s (stated)"
        return f"{limit.typical} ({_mark(present[0][1].source)})"
    return "; ".join(
        f"{limit.words(name)} ({_mark(bound.source)})" for name, bound in present
    )


def _sources(limit: Limit) -> str:
    """Each citation once, followed by what its bounds take from it."""
    notes: dict[str, list[str]] = {}
    for _, bound in limit.bounds():
        source = bound.source
        note = source.note or ""
        if source.inferred:
            note = f"{note} [our inference]".strip()
        found = notes.setdefault(source.citation, [])
        if note and note not in found:
            found.append(note)
    return "; ".join(
        f"{citation} ({'; '.join(found)})" if found else citation
        for citation, found in notes.items()
    )


def markdown_table(limits: SafetyLimits) -> str:
    """The rules and the limits they apply, as a Markdown table with sources.

    One row per rule: its code, what it measures and whether it is checked at
    every progression step, the typical range and the hard bounds, each marked
    *stated* by its source or *our inference*, and the sources.

    Example:
        >>> from mobility import SafetyLimits
        >>> row = markdown_table(SafetyLimits()).splitlines()[2]
        >>> code, measures, typical, hard = row.split(" | ")[:4]
        >>> for cell in (code, typical, hard, *measures.split("; ")):
        ...     print(cell)
        | `hold-seconds`
        10-30 s (stated)
        at most 60 s (our inference)
        **static hold**: each hold, of a repetition or of one position
        checked at every progression step
    """
    lines = [
        "| code | what is checked | typical | hard limit | sources |",
        "|---|---|---|---|---|",
    ]
    for rule in RULES:
        limit: Limit = getattr(limits, rule.limit)
        when = "at every progression step" if rule.grows else "once"
        row = [
            f"`{rule.code}`",
            f"**{limit.label}**: {rule.measures}; checked {when}",
            _cell(limit, ("typical_low", "typical_high")),
            _cell(limit, ("minimum", "maximum")),
            _sources(limit),
        ]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def policy_table() -> str:
    """The checks of :data:`POLICIES` as a Markdown table.

    Example:
        >>> print(policy_table().splitlines()[2])
        | `disclaimer-missing` | error | the protocol has no disclaimer at all |
    """
    lines = ["| code | severity | when |", "|---|---|---|"]
    for item in POLICIES:
        severity = "error or warning" if item.severity is None else item.severity
        lines.append(f"| `{item.code}` | {severity} | {item.when} |")
    return "\n".join(lines)
