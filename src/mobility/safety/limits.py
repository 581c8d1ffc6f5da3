"""Safety limits for dose parameters, each bound with the evidence behind it.

A :class:`Limit` has up to four bounds. A value beyond a *hard* bound
(``minimum``, ``maximum``) is an error; a value outside the *typical* range
(``typical_low``, ``typical_high``) is a warning. A value on a bound is within it,
unless the bound is exclusive (``Bound(60, source, inclusive=False)``: "under 60").
A typical low bound is set only where the evidence recommends a minimum (ACSM's
10 s hold, for instance), not where it merely reports a common starting level.
Every bound carries a :class:`~mobility.model.Source`, marked ``inferred`` where
the figure is our reading rather than the reference's statement.

:class:`SafetyLimits` gathers one limit per parameter. ``SafetyLimits()`` are the
defaults for adults; :meth:`~mobility.SafetyLimits.older_adults` follows ACSM's
30-60 s holds for adults over 65, and
:meth:`~mobility.SafetyLimits.before_performance` adds Behm et al.'s advice for
stretching right before training or competition. :data:`PRESETS` names
them all. Researchers build their own with :func:`attrs.evolve`.

Example:
    >>> from mobility import SafetyLimits
    >>> limits = SafetyLimits()
    >>> limits.hold_seconds.maximum.value, limits.hold_seconds.maximum.source.inferred
    (60, True)
    >>> SafetyLimits.older_adults().hold_seconds.typical_low.value
    30
    >>> sorted(PRESETS)
    ['adolescents', 'adults', 'before-performance', 'older-adults']
"""

from __future__ import annotations

import functools
import re
import textwrap

from functools import partial
from itertools import pairwise
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from .._words import fmt
from ..errors import InvalidModelError
from ..model import MOVE_SECONDS, Protocol, Source, evidence
from ..model._checks import InstanceOf, Number, Text, checks, normalize_number
from ._quantities import (
    DOSE_PATH,
    ROW,
    Amount,
    Axis,
    Scope,
    read_days_per_week,
    read_hold,
    read_progression,
    read_reps,
    read_rest,
    read_review_after_days,
    read_session_minutes,
    read_sessions_per_day,
    read_sets,
    read_stretch,
    read_stretch_per_day,
)


if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


__all__ = ["PRESETS", "Bound", "Limit", "SafetyLimits", "limit_field", "markdown_table"]


@attrs.frozen
class Bound:
    """One bound of a :class:`Limit` and the evidence for it.

    Args:
        value: The bound, in the limit's unit.
        source: Where the figure comes from.
        inclusive: Whether a value exactly on the bound is within it (the
            default). An exclusive upper bound of 60 reads "under 60": 60 itself
            crosses it.
    """

    value: float = attrs.field(converter=normalize_number, **checks(Number()))
    source: Source = attrs.field(**checks(InstanceOf(Source, "a Source")))
    inclusive: bool = attrs.field(
        default=True, kw_only=True, **checks(InstanceOf(bool, "True or False"))
    )

    def below(self, value: float) -> bool:
        """Whether a value is under this bound, as a lower bound sees it."""
        return value < self.value if self.inclusive else value <= self.value

    def above(self, value: float) -> bool:
        """Whether a value is over this bound, as an upper bound sees it."""
        return value > self.value if self.inclusive else value >= self.value


_check_text = Text()
_optional_bound = InstanceOf(Bound, "a Bound", optional=True)


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

    label: str = attrs.field(**checks(_check_text))
    unit: str = attrs.field(**checks(_check_text))
    typical_low: Bound | None = attrs.field(default=None, **checks(_optional_bound))
    typical_high: Bound | None = attrs.field(default=None, **checks(_optional_bound))
    minimum: Bound | None = attrs.field(default=None, **checks(_optional_bound))
    maximum: Bound | None = attrs.field(default=None, **checks(_optional_bound))

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
        if low is not None and high is not None and low.inclusive and high.inclusive:
            return f"{fmt(low.value)}-{fmt(high.value)} {self.unit}"
        return " and ".join(
            self.words(name)
            for name in ("typical_low", "typical_high")
            if getattr(self, name) is not None
        )

    @functools.cached_property
    def hard(self) -> str:
        """The hard bounds in words, e.g. ``"at most 60 s"``; ``""`` if none."""
        return ", ".join(
            self.words(name)
            for name in ("minimum", "maximum")
            if getattr(self, name) is not None
        )

    def words(self, name: str) -> str:
        """One bound in words, by its field name: ``"at most 60 s"``.

        Example:
            >>> SafetyLimits().reps.words("typical_high")
            'up to 10 reps'
        """
        bound: Bound = getattr(self, name)
        lower = name in {"minimum", "typical_low"}
        if bound.inclusive:
            word = "at least" if lower else "at most" if name == "maximum" else "up to"
        else:
            word = "more than" if lower else "under"
        return f"{word} {fmt(bound.value)} {self.unit}"

    def bounds(self) -> tuple[tuple[str, Bound], ...]:
        """The bounds that are set, by name, from lowest to highest."""
        return tuple(
            (name, bound)
            for name in ("minimum", "typical_low", "typical_high", "maximum")
            if (bound := getattr(self, name)) is not None
        )


_check_limit: Final = InstanceOf(Limit, "a Limit")


def _inferred(source: Source, note: str) -> Source:
    return attrs.evolve(source, inferred=True, note=note)


def _noted(source: Source, note: str) -> Source:
    return attrs.evolve(source, note=note)


_HOLD_TYPICAL: Final = _noted(
    evidence.ACSM_2021,
    "10-30 s for adults; Bandy, Irion & Briggler 1997 found 30 s as effective as "
    "60 s for adults aged 21-39",
)
_HOLD_MAX: Final = _inferred(
    evidence.ACSM_2021,
    "the top of ACSM's 30-60 s range for older adults, taken as a ceiling",
)
_REPS_TYPICAL: Final = _inferred(
    evidence.NHS_BACK_EXERCISES,
    "5-10 a side is how the project's evidence brief reads NHS guidance on knee "
    "rolls and clinic programmes for thoracic rotation; the copies seen give "
    "8-10 alternating, 4-5 a side (NHS), 5 of both sides to start, growing by "
    "1-2 (NHS Inform), and 3 sets of 10 (Peak Physio), so the range is our reading",
)
_REPS_MAX: Final = _inferred(
    evidence.NHS_BACK_EXERCISES,
    "an inferred limit of 15-20; we apply its conservative end, 15",
)
_STRETCH_MAX: Final = _inferred(
    evidence.GARBER_2011,
    "an inferred limit of 240-300 s; we apply its conservative end, 240 s",
)
_STRETCH_PER_DAY_MAX: Final = _inferred(
    evidence.GARBER_2011,
    "no source gives a daily ceiling; ours is the 240 s per-session limit times "
    "2 sessions, the top of the typical 1-2 a day",
)


def limit_field(  # noqa: PLR0913 - one row of the table, every part named
    default: Limit,
    *,
    scope: Scope,
    path: str,
    measures: str,
    read: Callable[[Any, Protocol], Amount | None],
    axis: Axis | None = None,
) -> Limit:
    """Declare one limit of a :class:`SafetyLimits` class: one row of its table.

    The field's name becomes the rule's code (``hold_seconds`` gives findings
    such as ``hold-seconds-above-maximum``); the rest is recorded in the field's
    metadata, where :func:`mobility.safety.rules.rules_of` reads it.

    Args:
        default: The limit, with the evidence for every bound.
        scope: What ``read`` is given: one dose, a session's doses, or neither.
        path: Where the quantity lives, as a JSON path; ``{index}`` stands for
            the exercise's position in a dose rule.
        measures: What the quantity is, in words, for reports and docs.
        read: Called with ``(dose, protocol)`` for a dose rule and with
            ``(doses, protocol)`` otherwise; returns a number, a
            :class:`~mobility.Range`, a ``(low, high)`` pair, or ``None`` when
            the protocol has no such quantity.
        axis: The research axis that sets the quantity, if one does.

    Returns:
        An attrs field, typed as its limit for the type checker.
    """
    problem = _row_problem(
        {"default": default, "path": path, "measures": measures, "read": read},
        axis,
    )
    if problem is not None:
        raise InvalidModelError(f"limit_field(): {problem}", problem=problem)
    row = {
        "scope": Scope(scope),
        "path": path,
        "measures": measures,
        "read": read,
        "axis": axis,
    }
    recorded = checks(_check_limit)
    recorded["metadata"] = {**recorded["metadata"], ROW: row}
    field: Limit = attrs.field(default=default, **recorded)
    return field


def _row_problem(given: dict[str, object], axis: object) -> str | None:
    """What is wrong with a row given to :func:`limit_field`, if anything."""
    path, measures = given["path"], given["measures"]
    if not isinstance(given["default"], Limit):
        return "default: give a Limit"
    if not isinstance(path, str) or not path.startswith("$"):
        return "path: give a JSON path, starting with '$'"
    if not isinstance(measures, str) or not measures.strip():
        return "measures: say what the limit bounds, in words"
    if not callable(given["read"]):
        return "read: give a function of (dose or doses, protocol)"
    if axis is not None and not isinstance(axis, Axis):
        return "axis: give an Axis or None"
    return None


@attrs.frozen(kw_only=True)
class SafetyLimits:
    """Every bound :func:`mobility.validate` applies, with its evidence.

    The defaults are for adults. See :meth:`older_adults` for adults over 65 and
    :meth:`before_performance` for stretching right before training or
    competition.

    Each field but ``name`` is one row of a table: a limit with its evidence
    and, declared with :func:`~mobility.safety.limits.limit_field`, the
    quantity it bounds; the arguments below are listed from those rows. A
    programme without a review point is held to ``review_after_days`` over its
    whole length.

    Args:
        name: Who the limits are for, shown in reports.

    Raises:
        InvalidModelError: A field is not of its type, for instance a limit given
            as a number instead of a :class:`Limit`.
    """

    name: str = attrs.field(default="adults", **checks(_check_text))
    hold_seconds: Limit = limit_field(
        Limit(
            label="static hold",
            unit="s",
            typical_low=Bound(10, _HOLD_TYPICAL),
            typical_high=Bound(30, _HOLD_TYPICAL),
            maximum=Bound(60, _HOLD_MAX),
        ),
        scope=Scope.DOSE,
        path=f"{DOSE_PATH}.hold.seconds",
        measures="each hold, of a repetition or of one position",
        read=read_hold,
        axis=Axis("hold", "dose", "hold"),
    )
    reps: Limit = limit_field(
        Limit(
            label="repetitions per set, per side",
            unit="reps",
            typical_high=Bound(10, _REPS_TYPICAL),
            maximum=Bound(15, _REPS_MAX),
        ),
        scope=Scope.DOSE,
        path=f"{DOSE_PATH}.reps",
        measures="repetitions in one set, on one side",
        read=read_reps,
        axis=Axis("reps", "dose", "reps"),
    )
    sets: Limit = limit_field(
        Limit(
            label="sets",
            unit="sets",
            typical_high=Bound(
                3, _noted(evidence.PEAK_PHYSIO, "1-3 sets; book opening 3x10")
            ),
            maximum=Bound(5, _inferred(evidence.PEAK_PHYSIO, "our limit")),
        ),
        scope=Scope.DOSE,
        path=f"{DOSE_PATH}.sets",
        measures="how many sets, on one side",
        read=read_sets,
        axis=Axis("sets", "dose", "sets"),
    )
    rest_seconds: Limit = limit_field(
        Limit(
            label="rest between sets",
            unit="s",
            typical_high=Bound(
                30, attrs.evolve(evidence.NO_PUBLISHED_SOURCE, note="ours: 15-30 s")
            ),
            maximum=Bound(180, evidence.NO_PUBLISHED_SOURCE),
        ),
        scope=Scope.DOSE,
        path=f"{DOSE_PATH}.rest_seconds",
        measures="the pause between two sets",
        read=read_rest,
        axis=Axis("rest_seconds", "dose", "rest_seconds"),
    )
    stretch_seconds_per_side: Limit = limit_field(
        Limit(
            label="total stretch time per side in a session",
            unit="s",
            typical_low=Bound(
                60, _noted(evidence.GARBER_2011, "60 s per muscle group per session")
            ),
            maximum=Bound(240, _STRETCH_MAX),
        ),
        scope=Scope.DOSE,
        path=DOSE_PATH,
        measures="sets x repetitions x hold x positions held, halved when the "
        "sides alternate: one side of one exercise in a session (one side of one "
        "exercise counts as one muscle group, our reading)",
        read=read_stretch,
    )
    stretch_seconds_per_side_per_day: Limit = limit_field(
        Limit(
            label="total stretch time per side in a day",
            unit="s",
            maximum=Bound(480, _STRETCH_PER_DAY_MAX),
        ),
        scope=Scope.DOSE,
        path=DOSE_PATH,
        measures="the stretch time per side in a session, times the sessions in a day",
        read=read_stretch_per_day,
    )
    session_minutes: Limit = limit_field(
        Limit(
            label="estimated session length",
            unit="min",
            typical_high=Bound(15, _noted(evidence.SEO_2022, "sessions of 10-15 min")),
            maximum=Bound(45, _inferred(evidence.SEO_2022, "our limit")),
        ),
        scope=Scope.SESSION,
        path="$.exercises",
        measures="every exercise's estimated time on every side, counting "
        f"{MOVE_SECONDS} s of movement per repetition (our assumption)",
        read=read_session_minutes,
    )
    sessions_per_day: Limit = limit_field(
        Limit(
            label="sessions per day",
            unit="sessions",
            typical_high=Bound(2, _inferred(evidence.NHS_INFORM, "1-2 a day")),
            maximum=Bound(
                3,
                _inferred(
                    evidence.NHS_INFORM,
                    "NHS Inform starts with 3 times a day; taking that starting "
                    "dose as a ceiling is ours",
                ),
            ),
        ),
        scope=Scope.PROTOCOL,
        path="$.frequency.sessions_per_day",
        measures="sessions on a training day",
        read=read_sessions_per_day,
        axis=Axis("sessions_per_day", "frequency", "sessions_per_day"),
    )
    days_per_week: Limit = limit_field(
        Limit(
            label="days per week",
            unit="days",
            typical_low=Bound(
                2,
                _noted(
                    evidence.ACSM_2021,
                    "at least 2-3 days a week; daily is most effective",
                ),
            ),
            maximum=Bound(7, _noted(evidence.ACSM_2021, "daily")),
        ),
        scope=Scope.PROTOCOL,
        path="$.frequency.days_per_week",
        measures="training days in a week",
        read=read_days_per_week,
        axis=Axis("days_per_week", "frequency", "days_per_week"),
    )
    review_after_days: Limit = limit_field(
        Limit(
            label="days until review",
            unit="days",
            typical_high=Bound(
                14, _noted(evidence.NHS_INFORM, "review if no improvement in 2 weeks")
            ),
            maximum=Bound(
                42,
                _inferred(evidence.NHS_INFORM, "6 weeks; the NHS says 'a few weeks'"),
            ),
        ),
        scope=Scope.PROTOCOL,
        path="$.review.after_days",
        measures="days from the start until progress is reviewed",
        read=read_review_after_days,
        axis=Axis("review_after_days", "review", "after_days"),
    )
    progression_reps_step: Limit = limit_field(
        Limit(
            label="repetitions added per progression step",
            unit="reps",
            maximum=Bound(
                2,
                _inferred(
                    evidence.NHS_INFORM,
                    "NHS Inform adds 1-2 repetitions at a time; 2 as a ceiling is ours",
                ),
            ),
        ),
        scope=Scope.PROTOCOL,
        path="$.progression.reps_step",
        measures="repetitions added at one progression step",
        read=partial(read_progression, "reps_step"),
        axis=Axis("progression_reps_step", "progression", "reps_step"),
    )
    progression_every_days: Limit = limit_field(
        Limit(
            label="days between progression steps",
            unit="days",
            minimum=Bound(
                2,
                _inferred(
                    evidence.NHS_INFORM,
                    "NHS Inform progresses 'every few days'; at least 2 days is our "
                    "reading",
                ),
            ),
        ),
        scope=Scope.PROTOCOL,
        path="$.progression.every_days",
        measures="days between progression steps",
        read=partial(read_progression, "every_days"),
        axis=Axis("progression_every_days", "progression", "every_days"),
    )
    progression_hold_step_seconds: Limit = limit_field(
        Limit(
            label="seconds added to a hold per progression step",
            unit="s",
            typical_high=Bound(5, evidence.NO_PUBLISHED_SOURCE),
        ),
        scope=Scope.PROTOCOL,
        path="$.progression.hold_step_seconds",
        measures="seconds added to a hold at one progression step",
        read=partial(read_progression, "hold_step_seconds"),
        axis=Axis("progression_hold_step_seconds", "progression", "hold_step_seconds"),
    )
    progression_hold_seconds_per_week: Limit = limit_field(
        Limit(
            label="hold growth per week",
            unit="s",
            maximum=Bound(10, evidence.NO_PUBLISHED_SOURCE),
        ),
        scope=Scope.PROTOCOL,
        path="$.progression",
        measures="a progression's hold step scaled to 7 days",
        read=partial(read_progression, "hold_seconds_per_week"),
    )

    @classmethod
    def adults(cls) -> SafetyLimits:
        """The default limits, for adults."""
        return cls()

    @classmethod
    def older_adults(cls) -> SafetyLimits:
        """Limits for adults aged 65 and over: ACSM's 30-60 s holds.

        ACSM recommends the range; holding 60 s as a ceiling is our inference.
        """
        typical = _noted(
            evidence.ACSM_2021,
            "30-60 s for adults 65+; see also Feland et al. 2001, Phys Ther "
            "81(5):1110-7",
        )
        return cls(
            name="adults 65+",
            hold_seconds=Limit(
                label="static hold",
                unit="s",
                typical_low=Bound(30, typical),
                typical_high=Bound(60, typical),
                maximum=Bound(
                    60,
                    _inferred(
                        evidence.ACSM_2021,
                        "the top of ACSM's 30-60 s range for adults 65+, taken as "
                        "a ceiling",
                    ),
                ),
            ),
        )

    @classmethod
    def adolescents(cls) -> SafetyLimits:
        """Limits for young athletes: the adults' figures, under their own name.

        No source we found gives stretching limits for adolescents, so the
        adult limits apply (our choice, not a finding). What differs for them is
        a caution, not a number: outputs for :attr:`Audience.ADOLESCENTS
        <mobility.Audience.ADOLESCENTS>` say that pain on arching back needs a
        clinician first (Micheli & Wood 1995).
        """
        return cls(name="adolescents")

    @classmethod
    def before_performance(cls) -> SafetyLimits:
        """Limits for stretching right before training or competition.

        Behm et al. (2016) found that under 60 s of static stretching per muscle
        group right before performance has trivial effects on it, while 60 s or
        more can reduce it. So 60 s or more per side in the session is a warning
        (the bound is exclusive). Garber's 60 s a session is advice for
        flexibility training, not for a warm-up, so it is not applied here; every
        other limit is as for adults.

        Example:
            >>> limit = SafetyLimits.before_performance().stretch_seconds_per_side
            >>> limit.typical, limit.hard
            ('under 60 s', 'at most 240 s')
        """
        return cls(
            name="right before performance",
            stretch_seconds_per_side=Limit(
                label="total stretch time per side in a session",
                unit="s",
                typical_high=Bound(
                    60,
                    _noted(
                        evidence.BEHM_2016,
                        "right before performance, under 60 s per muscle group has "
                        "trivial effects on it; 60 s or more can reduce it",
                    ),
                    inclusive=False,
                ),
                maximum=Bound(240, _STRETCH_MAX),
            ),
        )

    def items(self) -> tuple[tuple[str, Limit], ...]:
        """Every limit with its field name, in declaration order."""
        return tuple(
            (field.name, getattr(self, field.name))
            for field in attrs.fields(type(self))
            if field.name != "name"
        )


def _document(cls: type[SafetyLimits]) -> None:
    """Add each limit field to the class's ``Args:``, after ``name``, from its row."""
    doc = cls.__doc__
    found = None if doc is None else re.search(r"^( *)name: .*\n", doc, re.MULTILINE)
    if doc is None or found is None:
        return
    indent = found.group(1)
    lines = [
        textwrap.fill(
            f"{field.name}: The limit on {field.metadata[ROW]['measures']}.",
            width=len(indent) + 76,
            initial_indent=indent,
            subsequent_indent=indent + "    ",
        )
        + "\n"
        for field in attrs.fields(cls)
        if ROW in field.metadata
    ]
    end = found.end()
    cls.__doc__ = doc[:end] + "".join(lines) + doc[end:]


_document(SafetyLimits)


#: Every preset by the name the command line uses for it (``--limits NAME``).
PRESETS: Final[Mapping[str, Callable[[], SafetyLimits]]] = MappingProxyType(
    {
        "adults": SafetyLimits.adults,
        "older-adults": SafetyLimits.older_adults,
        "adolescents": SafetyLimits.adolescents,
        "before-performance": SafetyLimits.before_performance,
    }
)


def markdown_table(limits: SafetyLimits) -> str:
    """Render limits as a Markdown table, one row per rule, with sources.

    The table is :func:`mobility.safety.rules.markdown_table`; see there.
    """
    from .rules import markdown_table as table  # noqa: PLC0415 - rules import us

    return table(limits)
