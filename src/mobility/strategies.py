"""Hypothesis strategies for mobility's model, for property tests of your own.

Install with the ``strategies`` extra (``pip install "mobility[strategies]"``),
which brings in `hypothesis <https://hypothesis.readthedocs.io>`_.

- :func:`protocols` makes any well-formed protocol, safe or not: for code that
  must cope with whatever a file holds.
- :func:`safe_protocols` makes protocols that pass :func:`mobility.validate` with
  no errors under the limits you give: for code that expects a usable protocol.

Example:
    >>> from hypothesis import given, settings
    >>> from mobility import SafetyLimits, validate
    >>> from mobility.strategies import safe_protocols
    >>> @settings(max_examples=20)
    ... @given(safe_protocols(SafetyLimits.older_adults()))
    ... def test_usable(protocol):
    ...     assert validate(protocol, SafetyLimits.older_adults()).ok
    >>> test_usable()
"""

from __future__ import annotations

import math

from typing import TYPE_CHECKING, Final


try:
    from hypothesis import assume
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - depends on the environment
    msg = 'mobility.strategies needs hypothesis: pip install "mobility[strategies]"'
    raise ImportError(msg) from error

from ._checks import MAX_QUANTITY
from .limits import SafetyLimits
from .model import (
    MOVE_SECONDS,
    Disclaimer,
    Dose,
    Exercise,
    Frequency,
    Hold,
    Intensity,
    Progression,
    Protocol,
    Range,
    RedFlag,
    Region,
    Review,
    Side,
    Source,
    Step,
    Urgency,
)
from .validator import validate


if TYPE_CHECKING:
    from .limits import Limit


__all__ = [
    "disclaimers",
    "doses",
    "exercises",
    "protocols",
    "ranges",
    "safe_protocols",
    "slugs",
    "sources",
    "texts",
]

#: Stable ids.
slugs: Final = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)

#: Printable text with at least one visible character, as people write it.
texts: Final = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")),
    min_size=1,
    max_size=40,
).filter(str.strip)

#: Any source, stated or inferred.
sources: Final = st.builds(
    Source, texts, inferred=st.booleans(), note=st.none() | texts
)


@st.composite
def ranges(
    draw: st.DrawFn,
    *,
    min_value: float = 0,
    max_value: float = 10_000,
    whole: bool = False,
) -> Range:
    """A range with both ends in ``[min_value, max_value]``; whole numbers if asked."""
    integers = st.integers(math.ceil(min_value), math.floor(max_value))
    numbers: st.SearchStrategy[float] = integers
    if not whole:
        numbers = integers | st.floats(
            min_value, max_value, allow_nan=False, allow_infinity=False
        )
    low, high = sorted((draw(numbers), draw(numbers)))
    return Range(low, high)


_counts = ranges(min_value=1, max_value=100, whole=True) | ranges(
    min_value=1, max_value=MAX_QUANTITY, whole=True
)
_seconds = ranges(min_value=0.5, max_value=600) | ranges(
    min_value=0.5, max_value=MAX_QUANTITY
)

#: Any well-formed dose, including unsafe ones.
doses: Final = st.builds(
    Dose,
    side=st.sampled_from(Side),
    reps=_counts,
    sets=ranges(min_value=1, max_value=10, whole=True),
    hold=st.none() | st.builds(Hold, _seconds),
    rest_seconds=st.none() | ranges(max_value=600),
    intensity=st.sampled_from(Intensity),
    source=st.none() | sources,
)

_steps = st.builds(Step, texts, cue=st.none() | texts)


@st.composite
def exercises(
    draw: st.DrawFn,
    exercise_id: str | None = None,
    dose: st.SearchStrategy[Dose] = doses,
) -> Exercise:
    """Any well-formed exercise, with the given id and dose strategy if given."""
    return Exercise(
        id=exercise_id if exercise_id is not None else draw(slugs),
        name=draw(texts),
        position=draw(texts),
        steps=draw(st.lists(_steps, min_size=1, max_size=4)),
        dose=draw(dose),
        purpose=draw(st.none() | texts),
        equipment=draw(st.lists(texts, max_size=2)),
        source=draw(st.none() | sources),
    )


_frequencies = st.builds(
    Frequency,
    days_per_week=st.integers(1, 7),
    sessions_per_day=st.integers(1, 6),
    source=st.none() | sources,
)

_progressions = st.builds(
    Progression,
    every_days=st.integers(1, 30),
    reps_step=st.integers(1, 5),
    hold_step_seconds=st.sampled_from([0, 2.5, 5, 10, 20]),
    description=st.none() | texts,
    source=st.none() | sources,
)

_reviews = st.builds(
    Review, after_days=st.integers(1, 120), action=texts, source=st.none() | sources
)

_red_flags = st.builds(
    RedFlag, texts, st.sampled_from(Urgency), source=st.none() | sources
)


def disclaimers(*, complete: bool = False) -> st.SearchStrategy[Disclaimer]:
    """Disclaimers; with ``complete=True`` always with stop rules and care advice."""
    least = 1 if complete else 0
    return st.builds(
        Disclaimer,
        text=texts,
        stop_rules=st.lists(texts, min_size=least, max_size=2).map(tuple),
        seek_care=st.lists(texts, min_size=least, max_size=2).map(tuple),
        red_flags=st.lists(_red_flags, min_size=least, max_size=3).map(tuple),
        source=st.none() | sources,
    )


@st.composite
def protocols(draw: st.DrawFn) -> Protocol:
    """Any well-formed protocol, safe or not."""
    ids = draw(st.lists(slugs, min_size=1, max_size=3, unique=True))
    return Protocol(
        id=draw(slugs),
        name=draw(texts),
        region=draw(st.sampled_from(Region)),
        purpose=draw(texts),
        exercises=[draw(exercises(exercise_id)) for exercise_id in ids],
        frequency=draw(_frequencies),
        disclaimer=draw(st.none() | disclaimers()),
        rationale=draw(st.none() | texts),
        review=draw(st.none() | _reviews),
        program_weeks=draw(st.none() | st.integers(1, 52)),
        progression=draw(st.none() | _progressions),
        sources=draw(st.lists(sources, max_size=3)),
    )


def safe_protocols(
    limits: SafetyLimits | None = None,
) -> st.SearchStrategy[Protocol]:
    """Protocols with no errors under ``limits`` (the adult defaults if None).

    Each number is drawn within its hard bounds, and repetitions are chosen to
    keep stretch time and session length within theirs; every protocol is then
    checked with :func:`mobility.validate`.
    """
    return _safe_protocols(limits if limits is not None else SafetyLimits())


@st.composite
def _safe_protocols(draw: st.DrawFn, limits: SafetyLimits) -> Protocol:
    count = draw(st.integers(1, 3))
    session_budget = _top(limits.session_minutes, 45) * 60 / count
    ids = draw(st.lists(slugs, min_size=count, max_size=count, unique=True))
    chosen = [
        draw(exercises(exercise_id, dose=_safe_dose(limits, session_budget)))
        for exercise_id in ids
    ]
    review = draw(
        st.builds(
            Review,
            after_days=st.integers(1, int(_top(limits.review_after_days, 42))),
            action=texts,
            source=st.none() | sources,
        )
    )
    frequency = draw(
        st.builds(
            Frequency,
            days_per_week=st.integers(1, int(min(7, _top(limits.days_per_week, 7)))),
            sessions_per_day=st.integers(1, int(_top(limits.sessions_per_day, 3))),
            source=st.none() | sources,
        )
    )
    protocol = Protocol(
        id=draw(slugs),
        name=draw(texts),
        region=draw(st.sampled_from(Region)),
        purpose=draw(texts),
        exercises=chosen,
        frequency=frequency,
        disclaimer=draw(disclaimers(complete=True)),
        rationale=draw(st.none() | texts),
        review=review,
        program_weeks=draw(st.none() | st.integers(1, 52)),
        progression=draw(st.none() | _safe_progression(limits)),
        sources=draw(st.lists(sources, max_size=3)),
    )
    assume(validate(protocol, limits).ok)
    return protocol


@st.composite
def _safe_dose(draw: st.DrawFn, limits: SafetyLimits, budget: float) -> Dose:
    side = draw(st.sampled_from(Side))
    sets = draw(st.integers(1, int(_top(limits.sets, 5))))
    hold_seconds = draw(st.none() | st.integers(1, int(_top(limits.hold_seconds, 60))))
    rest = draw(st.none() | st.integers(0, int(_top(limits.rest_seconds, 180))))
    # The most repetitions the stretch-time, repetition and session limits allow.
    most = _top(limits.reps, 15)
    if hold_seconds is not None:
        most = min(
            most, _top(limits.stretch_seconds_per_side, 240) / (sets * hold_seconds)
        )
    sides = side.sides_worked
    per_set = sets * ((hold_seconds or 0) + MOVE_SECONDS)
    resting = (sets - 1) * (rest or 0)
    most = min(most, (budget / sides - resting) / per_set)
    assume(most >= 1)
    high = draw(st.integers(1, math.floor(most)))
    low = draw(st.integers(1, high))
    return Dose(
        side=side,
        reps=Range(low, high),
        sets=sets,
        hold=None if hold_seconds is None else Hold(hold_seconds),
        rest_seconds=rest,
        intensity=draw(
            st.sampled_from([Intensity.TIGHTNESS, Intensity.SLIGHT_DISCOMFORT])
        ),
        source=draw(st.none() | sources),
    )


@st.composite
def _safe_progression(draw: st.DrawFn, limits: SafetyLimits) -> Progression:
    every_days = draw(st.integers(int(_bottom(limits.progression_every_days, 2)), 30))
    reps_step = draw(st.integers(0, int(_top(limits.progression_reps_step, 2))))
    per_week = _top(limits.progression_hold_seconds_per_week, 10)
    largest_step = math.floor(per_week * every_days / 7)
    # Without a repetition step the hold step starts at 1, so the rule progresses.
    hold_step = draw(st.integers(0 if reps_step else 1, max(1, largest_step)))
    return Progression(
        every_days=every_days, reps_step=reps_step, hold_step_seconds=hold_step
    )


def _top(limit: Limit, fallback: float) -> float:
    """The hard maximum of a limit, or a fallback where it has none."""
    return limit.maximum.value if limit.maximum is not None else fallback


def _bottom(limit: Limit, fallback: float) -> float:
    """The hard minimum of a limit, or a fallback where it has none."""
    return limit.minimum.value if limit.minimum is not None else fallback
