"""Safety limits for dose parameters, each bound with the evidence behind it.

A :class:`Limit` has up to four bounds. A value beyond a *hard* bound
(``minimum``, ``maximum``) is an error; a value outside the *typical* range
(``typical_low``, ``typical_high``) is a warning. A value on a bound is within it.
A typical low bound is set only where the evidence recommends a minimum (ACSM's
10 s hold, for instance), not where it merely reports a common starting level.
Every bound carries a :class:`~mobility.model.Source`, marked ``inferred`` where
the figure is our reading rather than the reference's statement.

:class:`SafetyLimits` gathers one limit per parameter. ``SafetyLimits()`` are the
defaults for adults; :meth:`SafetyLimits.older_adults` follows ACSM's 30-60 s holds
for adults over 65. Researchers build their own with :func:`attrs.evolve`.

Example:
    >>> from mobility import SafetyLimits
    >>> limits = SafetyLimits()
    >>> limits.hold_seconds.maximum.value, limits.hold_seconds.maximum.source.inferred
    (60, True)
    >>> SafetyLimits.older_adults().hold_seconds.typical_low.value
    30
"""

from __future__ import annotations

import functools

from itertools import pairwise

import attrs

from . import evidence
from ._checks import InstanceOf, Number, fmt, normalize_number
from .errors import InvalidModelError
from .model import Source


__all__ = ["Bound", "Limit", "SafetyLimits", "markdown_table"]


def _inferred(source: Source, note: str) -> Source:
    return attrs.evolve(source, inferred=True, note=note)


def _noted(source: Source, note: str) -> Source:
    return attrs.evolve(source, note=note)


@attrs.frozen
class Bound:
    """One bound of a :class:`Limit` and the evidence for it.

    Args:
        value: The bound, in the limit's unit.
        source: Where the figure comes from.
    """

    value: float = attrs.field(converter=normalize_number, validator=Number())
    source: Source = attrs.field(validator=InstanceOf(Source, "a Source"))


@attrs.frozen(kw_only=True)
class Limit:
    """The safe and typical bounds for one dose parameter.

    Args:
        label: What the parameter is, in words.
        unit: Its unit, as printed after a number.
        typical_low: Below this a value is unusual: a warning.
        typical_high: Above this a value is unusual: a warning.
        minimum: Below this a value is unsafe: an error.
        maximum: Above this a value is unsafe: an error.
    """

    label: str
    unit: str
    typical_low: Bound | None = None
    typical_high: Bound | None = None
    minimum: Bound | None = None
    maximum: Bound | None = None

    def __attrs_post_init__(self) -> None:
        order = [
            (name, bound.value)
            for name in ("minimum", "typical_low", "typical_high", "maximum")
            if (bound := getattr(self, name)) is not None
        ]
        for (low_name, low), (high_name, high) in pairwise(order):
            if low > high:
                raise InvalidModelError(
                    f"Limit {self.label!r}: {low_name} ({fmt(low)}) is above "
                    f"{high_name} ({fmt(high)})"
                )

    @functools.cached_property
    def typical(self) -> str:
        """The typical range in words, e.g. ``"10-30 s"`` or ``"up to 10 reps"``.

        Empty when the limit has no typical bound.
        """
        low, high = self.typical_low, self.typical_high
        if low is not None and high is not None:
            return f"{fmt(low.value)}-{fmt(high.value)} {self.unit}"
        if low is not None:
            return f"at least {fmt(low.value)} {self.unit}"
        if high is not None:
            return f"up to {fmt(high.value)} {self.unit}"
        return ""

    @functools.cached_property
    def hard(self) -> str:
        """The hard bounds in words, e.g. ``"at most 60 s"``; ``""`` if none."""
        parts = []
        if self.minimum is not None:
            parts.append(f"at least {fmt(self.minimum.value)} {self.unit}")
        if self.maximum is not None:
            parts.append(f"at most {fmt(self.maximum.value)} {self.unit}")
        return ", ".join(parts)

    def bounds(self) -> tuple[tuple[str, Bound], ...]:
        """The bounds that are set, by name, from lowest to highest."""
        return tuple(
            (name, bound)
            for name in ("minimum", "typical_low", "typical_high", "maximum")
            if (bound := getattr(self, name)) is not None
        )


_HOLD_TYPICAL = _noted(
    evidence.ACSM_2021,
    "10-30 s for adults; Bandy, Irion & Briggler 1997 found 30 s as effective as "
    "60 s for adults aged 21-39",
)
_HOLD_MAX = _inferred(evidence.ACSM_2021, "the top of ACSM's older-adult range")
_REPS_TYPICAL = _noted(
    evidence.NHS_BACK_EXERCISES,
    "knee rolls 5-10 per side (also NHS Inform); thoracic rotation 5-10 per side "
    "(clinic home programmes)",
)
_REPS_MAX = _inferred(
    evidence.NHS_BACK_EXERCISES,
    "an inferred limit of 15-20; we apply its conservative end, 15",
)
_STRETCH_MAX = _inferred(
    evidence.GARBER_2011,
    "an inferred limit of 240-300 s; we apply its conservative end, 240 s",
)


@attrs.frozen(kw_only=True)
class SafetyLimits:
    """Every bound :func:`mobility.validate` applies, with its evidence.

    The defaults are for adults. See :meth:`older_adults` for adults over 65.

    Args:
        name: Who the limits are for, shown in reports.
        hold_seconds: Static hold of one repetition.
        reps: Repetitions in one set, on one side.
        sets: Sets on one side.
        rest_seconds: Rest between sets.
        stretch_seconds_per_side: Total hold time of one exercise on one side in a
            session (one side of one exercise counts as one muscle group).
        session_minutes: The estimated length of a session.
        sessions_per_day: Sessions on a training day.
        days_per_week: Training days in a week.
        review_after_days: Days until progress is reviewed. A programme without a
            review point is held to this limit over its whole length.
        progression_reps_step: Repetitions added at one progression step.
        progression_every_days: Days between progression steps.
        progression_hold_step_seconds: Seconds added to a hold at one step.
        progression_hold_seconds_per_week: Seconds a hold grows by in a week.
    """

    name: str = "adults"
    hold_seconds: Limit = Limit(
        label="static hold",
        unit="s",
        typical_low=Bound(10, _HOLD_TYPICAL),
        typical_high=Bound(30, _HOLD_TYPICAL),
        maximum=Bound(60, _HOLD_MAX),
    )
    reps: Limit = Limit(
        label="repetitions per set, per side",
        unit="reps",
        typical_high=Bound(10, _REPS_TYPICAL),
        maximum=Bound(15, _REPS_MAX),
    )
    sets: Limit = Limit(
        label="sets",
        unit="sets",
        typical_high=Bound(3, _noted(evidence.PEAK_PHYSIO, "1-3 sets, up to 3x10")),
        maximum=Bound(5, _inferred(evidence.PEAK_PHYSIO, "our limit")),
    )
    rest_seconds: Limit = Limit(
        label="rest between sets",
        unit="s",
        typical_high=Bound(
            30, attrs.evolve(evidence.NO_PUBLISHED_SOURCE, note="ours: 15-30 s")
        ),
        maximum=Bound(180, evidence.NO_PUBLISHED_SOURCE),
    )
    stretch_seconds_per_side: Limit = Limit(
        label="total stretch time per side in a session",
        unit="s",
        typical_low=Bound(
            60, _noted(evidence.GARBER_2011, "60 s per muscle group per session")
        ),
        maximum=Bound(240, _STRETCH_MAX),
    )
    session_minutes: Limit = Limit(
        label="estimated session length",
        unit="min",
        typical_high=Bound(15, _noted(evidence.SEO_2022, "sessions of 10-15 min")),
        maximum=Bound(45, _inferred(evidence.SEO_2022, "our limit")),
    )
    sessions_per_day: Limit = Limit(
        label="sessions per day",
        unit="sessions",
        typical_high=Bound(2, _inferred(evidence.NHS_INFORM, "1-2 a day")),
        maximum=Bound(3, _noted(evidence.NHS_INFORM, "start with 3 times a day")),
    )
    days_per_week: Limit = Limit(
        label="days per week",
        unit="days",
        typical_low=Bound(
            2,
            _noted(
                evidence.ACSM_2021, "at least 2-3 days a week; daily is most effective"
            ),
        ),
        maximum=Bound(7, _noted(evidence.ACSM_2021, "daily")),
    )
    review_after_days: Limit = Limit(
        label="days until review",
        unit="days",
        typical_high=Bound(
            14, _noted(evidence.NHS_INFORM, "review if no improvement in 2 weeks")
        ),
        maximum=Bound(
            42, _inferred(evidence.NHS_INFORM, "6 weeks; the NHS says 'a few weeks'")
        ),
    )
    progression_reps_step: Limit = Limit(
        label="repetitions added per progression step",
        unit="reps",
        maximum=Bound(2, _noted(evidence.NHS_INFORM, "add 1-2 reps at a time")),
    )
    progression_every_days: Limit = Limit(
        label="days between progression steps",
        unit="days",
        minimum=Bound(2, _noted(evidence.NHS_INFORM, "every few days if comfortable")),
    )
    progression_hold_step_seconds: Limit = Limit(
        label="seconds added to a hold per progression step",
        unit="s",
        typical_high=Bound(5, evidence.NO_PUBLISHED_SOURCE),
    )
    progression_hold_seconds_per_week: Limit = Limit(
        label="hold growth per week",
        unit="s",
        maximum=Bound(10, evidence.NO_PUBLISHED_SOURCE),
    )

    @classmethod
    def adults(cls) -> SafetyLimits:
        """The default limits, for adults."""
        return cls()

    @classmethod
    def older_adults(cls) -> SafetyLimits:
        """Limits for adults aged 65 and over: ACSM's 30-60 s holds."""
        source = _noted(
            evidence.ACSM_2021,
            "30-60 s for adults 65+; see also Feland et al. 2001, Phys Ther "
            "81(5):1110-7",
        )
        return cls(
            name="adults 65+",
            hold_seconds=Limit(
                label="static hold",
                unit="s",
                typical_low=Bound(30, source),
                typical_high=Bound(60, source),
                maximum=Bound(60, source),
            ),
        )

    def items(self) -> tuple[tuple[str, Limit], ...]:
        """Every limit with its field name, in declaration order."""
        return tuple(
            (field.name, getattr(self, field.name))
            for field in attrs.fields(type(self))
            if field.name != "name"
        )


def _cell(bound: Bound | None) -> str:
    return "" if bound is None else f"{fmt(bound.value)} ({_mark(bound.source)})"


def _mark(source: Source) -> str:
    return "our inference" if source.inferred else "stated"


def markdown_table(limits: SafetyLimits) -> str:
    """Render limits as a Markdown table, one row per parameter, with sources.

    Example:
        >>> row = markdown_table(SafetyLimits()).splitlines()[2]
        >>> print(row[:55])
        | `hold-seconds` | static hold | s | 10 (stated) | 30 ...
    """
    header = (
        "| code | parameter | unit | typical low | typical high | "
        "hard minimum | hard maximum | sources |"
    )
    lines = [header, "|" + "---|" * 8]
    for key, limit in limits.items():
        sources: list[str] = []
        for _, bound in limit.bounds():
            text = str(bound.source)
            if text not in sources:
                sources.append(text)
        row = [
            f"`{key.replace('_', '-')}`",
            limit.label,
            limit.unit,
            _cell(limit.typical_low),
            _cell(limit.typical_high),
            _cell(limit.minimum),
            _cell(limit.maximum),
            "; ".join(sources),
        ]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)
