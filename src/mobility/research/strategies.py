"""Hypothesis strategies for mobility's model, for property tests of your own.

Install with the ``strategies`` extra
(``pip install "mobility-protocols[strategies]"``), which brings in `hypothesis <https://hypothesis.readthedocs.io>`_.

- :func:`protocols` makes any well-formed protocol, safe or not: for code that
  must cope with whatever a file holds.
- :func:`safe_protocols` makes protocols that pass :func:`mobility.validate` with
  no errors under the limits you give, at every step of their programme: for
  code that expects a usable protocol.

Example:
    >>> from hypothesis import given, settings
    >>> from mobility import SafetyLimits, validate
    >>> from mobility.research.strategies import safe_protocols
    >>> @settings(max_examples=20)
    ... @given(safe_protocols(SafetyLimits.older_adults()))
    ... def test_usable(protocol):
    ...     assert validate(protocol, SafetyLimits.older_adults()).ok
    >>> test_usable()
"""

from __future__ import annotations

import functools
import math

from typing import Final, NamedTuple

import attrs


try:
    from hypothesis import assume
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - depends on the environment
    msg = (
        "mobility.research.strategies needs hypothesis: "
        'pip install "mobility-protocols[strategies]"'
    )
    raise ImportError(msg) from error

from ..model import (
    MOVE_SECONDS,
    Adaptation,
    AdaptationKind,
    Audience,
    Caution,
    CautionKind,
    Disclaimer,
    Dose,
    Exercise,
    Frequency,
    Hold,
    Intensity,
    Posture,
    Progression,
    Protocol,
    Range,
    RedFlag,
    Region,
    Review,
    Side,
    Source,
    SourceKind,
    Step,
    Urgency,
)
from ..model._checks import MAX_QUANTITY, is_visible
from ..model.figures import JOINTS, LANDMARKS, Figure, Pose, View, limit
from ..model.steps import PLACEHOLDERS, claims, escape
from ..safety.limits import SafetyLimits
from ..safety.validator import validate


__all__ = [
    "disclaimers",
    "doses",
    "exercises",
    "figures",
    "poses",
    "protocols",
    "ranges",
    "safe_protocols",
    "slugs",
    "sources",
    "step_templates",
    "texts",
]

#: Stable ids.
slugs: Final = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)

#: Printable text with at least one visible character, as people write it.
texts: Final = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")),
    min_size=1,
    max_size=40,
).filter(is_visible)

_urls = st.from_regex(
    r"https?://[a-z0-9]{1,12}(\.[a-z]{2,6})?(:[1-9][0-9]{0,3})?"
    r"(/[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]{0,20})?",
    fullmatch=True,
)

#: Any source, stated or inferred.
sources: Final = st.builds(
    Source,
    texts,
    inferred=st.booleans(),
    note=st.none() | texts,
    kind=st.none() | st.sampled_from(SourceKind),
    url=st.none() | _urls,
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


def _taking_turns(dose: Dose) -> st.SearchStrategy[Dose]:
    """The dose, and for each side also with its sides taking turns."""
    if dose.side is not Side.EACH:
        return st.just(dose)
    return st.sampled_from([dose, attrs.evolve(dose, in_turn=True)])


#: Any well-formed dose, including unsafe ones.
doses: Final = st.builds(
    Dose,
    side=st.sampled_from(Side),
    reps=_counts,
    sets=ranges(min_value=1, max_value=10, whole=True),
    hold=st.none() | st.builds(Hold, _seconds, positions=st.integers(1, 4)),
    rest_seconds=st.none() | ranges(max_value=600),
    intensity=st.sampled_from(Intensity),
    source=st.none() | sources,
).flatmap(_taking_turns)

#: Literal step text: braces doubled, and no amount that a dose could contradict.
_literals = texts.map(escape).filter(lambda template: not claims(template))


def step_templates(dose: Dose) -> st.SearchStrategy[str]:
    """Step templates that ``dose`` can fill: literal text, then placeholders.

    The text starts with a literal part, so it reads as something even when a
    placeholder fills to nothing, and states no amount of its own, so it never
    contradicts the dose.
    """
    return _templates(_fillable(dose))


def _fillable(dose: Dose) -> tuple[str, ...]:
    return tuple(
        name
        for name, placeholder in PLACEHOLDERS.items()
        if placeholder.needs is None or getattr(dose, placeholder.needs) is not None
    )


# Built once per set of placeholders: a new strategy for every draw would make
# hypothesis check it anew each time, which costs more than drawing from it.
@functools.cache
def _templates(names: tuple[str, ...]) -> st.SearchStrategy[str]:
    chunks = st.lists(
        _literals | st.sampled_from(names).map("{{{}}}".format), max_size=3
    )
    return st.builds(
        lambda first, rest: " ".join([first, *rest]), _literals, chunks
    ).filter(lambda template: not claims(template))


@functools.cache
def _steps(names: tuple[str, ...]) -> st.SearchStrategy[Step]:
    templates = _templates(names)
    return st.builds(Step, templates, cue=st.none() | templates)


def _angle(joint: str) -> st.SearchStrategy[float]:
    return st.floats(*limit(joint), allow_nan=False).map(lambda d: round(d, 1))


#: Some joints, each turned within its range.
_turns: Final = st.lists(st.sampled_from(JOINTS), unique=True, max_size=8).flatmap(
    lambda joints: st.tuples(*(_angle(joint) for joint in joints)).map(
        lambda degrees: dict(zip(joints, degrees, strict=True))
    )
)


# Which way a body lies: the pairs of up and forward a figure uses, and others
# at right angles. Any direction would do; these keep the numbers short.
_DIRECTIONS: Final = (
    ((0, 0, 1), (1, 0, 0)),
    ((-1, 0, 0), (0, 0, 1)),
    ((1, 0, 0), (0, 0, -1)),
    ((-1, 0, 0), (0, 1, 0)),
    ((0, 0.6, 0.8), (0, 0.8, -0.6)),
)


@st.composite
def poses(draw: st.DrawFn) -> Pose:
    """Any pose the body model accepts: each joint within its range."""
    up, forward = draw(st.sampled_from(_DIRECTIONS))
    return Pose(
        up=up,
        forward=forward,
        angles=draw(_turns),
        rest=draw(st.lists(st.sampled_from(LANDMARKS), max_size=4, unique=True)),
        roll=draw(st.sampled_from([0, -50, 30.5])),
    )


@st.composite
def figures(draw: st.DrawFn) -> Figure:
    """Any figure: a view, two poses, an arrow's landmark, with a chair or not."""
    return Figure(
        view=draw(st.sampled_from(View)),
        start=draw(poses()),
        end=draw(poses()),
        arrow=draw(st.sampled_from(LANDMARKS)),
        chair=draw(st.booleans()),
    )


_adaptations = st.builds(
    Adaptation, texts, st.sampled_from(AdaptationKind), source=st.none() | sources
)


@st.composite
def exercises(
    draw: st.DrawFn,
    exercise_id: str | None = None,
    dose: st.SearchStrategy[Dose] = doses,
) -> Exercise:
    """Any well-formed exercise, with the given id and dose strategy if given.

    Its steps use the placeholders its dose can fill (see :func:`step_templates`).
    """
    drawn = draw(dose)
    return Exercise(
        id=exercise_id if exercise_id is not None else draw(slugs),
        name=draw(texts),
        position=draw(texts),
        steps=draw(st.lists(_steps(_fillable(drawn)), min_size=1, max_size=4)),
        dose=drawn,
        purpose=draw(st.none() | texts),
        equipment=draw(st.lists(texts, max_size=2)),
        source=draw(st.none() | sources),
        posture=draw(st.none() | st.sampled_from(Posture)),
        adaptations=draw(st.lists(_adaptations, max_size=2)),
        figure=draw(st.none() | figures()),
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
    reps_ceiling=st.none() | st.integers(1, 40),
    hold_ceiling_seconds=st.none() | st.integers(1, 120),
    description=st.none() | texts,
    source=st.none() | sources,
)

_reviews = st.builds(
    Review, after_days=st.integers(1, 120), action=texts, source=st.none() | sources
)

_red_flags = st.builds(
    RedFlag,
    texts,
    st.sampled_from(Urgency),
    source=st.none() | sources,
    context=st.none() | texts,
)


_cautions = st.builds(
    Caution, texts, st.sampled_from(CautionKind), source=st.none() | sources
)


def disclaimers(*, complete: bool = False) -> st.SearchStrategy[Disclaimer]:
    """Disclaimers; ``complete=True`` ones pass the validator's safety-text checks.

    Those always have stop rules, care advice and red flags, and their cautions
    considered (an empty list included). Their cautions concern the whole
    protocol; :func:`protocols` ties some to its exercises.
    """
    least = 1 if complete else 0
    cautions = st.lists(_cautions, max_size=2).map(tuple)
    return st.builds(
        Disclaimer,
        text=texts,
        stop_rules=st.lists(texts, min_size=least, max_size=2).map(tuple),
        seek_care=st.lists(texts, min_size=least, max_size=2).map(tuple),
        red_flags=st.lists(_red_flags, min_size=least, max_size=3).map(tuple),
        source=st.none() | sources,
        cautions=cautions if complete else st.none() | cautions,
    )


def _tie_cautions(
    draw: st.DrawFn, disclaimer: Disclaimer | None, ids: list[str]
) -> Disclaimer | None:
    """Let each caution name some of the protocol's exercises, or none."""
    if disclaimer is None or not disclaimer.cautions:
        return disclaimer
    names = st.lists(st.sampled_from(ids), unique=True, max_size=len(ids))
    return attrs.evolve(
        disclaimer,
        cautions=[
            attrs.evolve(caution, exercises=draw(names))
            for caution in disclaimer.cautions
        ],
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
        disclaimer=_tie_cautions(draw, draw(st.none() | disclaimers()), ids),
        rationale=draw(st.none() | texts),
        review=draw(st.none() | _reviews),
        program_weeks=draw(st.none() | st.integers(1, 52)),
        progression=draw(st.none() | _progressions),
        sources=draw(st.lists(sources, max_size=3)),
        audience=draw(st.sampled_from(Audience)),
    )


def safe_protocols(
    limits: SafetyLimits | None = None,
) -> st.SearchStrategy[Protocol]:
    """Protocols with no errors under ``limits`` (the adult defaults if None).

    Each number is drawn within its hard bounds. With a progression, the dose
    grows only up to ceilings that are themselves drawn within those bounds, and
    repetitions are chosen so that stretch time (per session and per day) and
    session length stay within theirs even at the ceilings. So the protocols are
    safe at every step of their programme, open-ended ones included; each is then
    checked with :func:`mobility.validate`.
    """
    limits = limits if limits is not None else SafetyLimits()
    # The drawing respects every hard maximum and the minimum between progression
    # steps; a filter drops the rare protocol that breaks a bound it does not
    # model (another minimum, or an exclusive maximum a value sits on). The tests
    # check the drawing without this filter, so a gap in it cannot hide here.
    return _safe_drawing(limits).filter(lambda p: validate(p, limits).ok)


@st.composite
def _safe_drawing(draw: st.DrawFn, limits: SafetyLimits) -> Protocol:
    """A protocol drawn within the hard bounds of ``limits``, not yet checked."""
    count = draw(st.integers(1, 3))
    frequency = draw(
        st.builds(
            Frequency,
            days_per_week=st.integers(1, int(min(7, _top(limits, "days_per_week")))),
            sessions_per_day=st.integers(1, int(_top(limits, "sessions_per_day"))),
            source=st.none() | sources,
        )
    )
    progression = draw(st.none() | _safe_progression(limits))
    budget = _Budget(
        session_seconds=_top(limits, "session_minutes") * 60 / count,
        stretch_seconds=min(
            _top(limits, "stretch_seconds_per_side"),
            _top(limits, "stretch_seconds_per_side_per_day")
            / frequency.sessions_per_day,
        ),
    )
    ids = draw(st.lists(slugs, min_size=count, max_size=count, unique=True))
    chosen = [
        draw(exercises(exercise_id, dose=_safe_dose(limits, budget, progression)))
        for exercise_id in ids
    ]
    if progression is not None and progression.reps_step:
        # Repetitions grow up to the ceiling: the most every dose's budget allows.
        room = min(
            _most_reps(limits, budget, exercise.dose, progression)
            for exercise in chosen
        )
        progression = attrs.evolve(
            progression, reps_ceiling=draw(st.integers(1, math.floor(room)))
        )
    review = draw(
        st.builds(
            Review,
            after_days=st.integers(1, int(_top(limits, "review_after_days"))),
            action=texts,
            source=st.none() | sources,
        )
    )
    return Protocol(
        id=draw(slugs),
        name=draw(texts),
        region=draw(st.sampled_from(Region)),
        purpose=draw(texts),
        exercises=chosen,
        frequency=frequency,
        disclaimer=_tie_cautions(draw, draw(disclaimers(complete=True)), ids),
        rationale=draw(st.none() | texts),
        review=review,
        program_weeks=draw(st.none() | st.integers(1, 52)),
        progression=progression,
        sources=draw(st.lists(sources, max_size=3)),
    )


class _Budget(NamedTuple):
    """What one exercise's dose may use: session seconds and stretch seconds."""

    session_seconds: float
    stretch_seconds: float


@st.composite
def _safe_dose(
    draw: st.DrawFn,
    limits: SafetyLimits,
    budget: _Budget,
    progression: Progression | None,
) -> Dose:
    side = draw(st.sampled_from(Side))
    sets = draw(st.integers(1, int(_top(limits, "sets"))))
    hold_seconds = draw(st.none() | st.integers(1, int(_top(limits, "hold_seconds"))))
    positions = draw(st.integers(1, 2))
    rest = draw(st.none() | st.integers(0, int(_top(limits, "rest_seconds"))))
    dose = Dose(
        side=side,
        reps=1,
        in_turn=side is Side.EACH and draw(st.booleans()),
        sets=sets,
        hold=None if hold_seconds is None else Hold(hold_seconds, positions=positions),
        rest_seconds=rest,
        intensity=draw(
            st.sampled_from([Intensity.TIGHTNESS, Intensity.SLIGHT_DISCOMFORT])
        ),
        source=draw(st.none() | sources),
    )
    most = _most_reps(limits, budget, dose, progression)
    assume(most >= 1)
    high = draw(st.integers(1, math.floor(most)))
    return attrs.evolve(dose, reps=Range(draw(st.integers(1, high)), high))


def _most_reps(
    limits: SafetyLimits,
    budget: _Budget,
    dose: Dose,
    progression: Progression | None,
) -> float:
    """The most repetitions per set that keep ``dose`` within every limit.

    Counted at the longest hold the programme reaches: the progression's hold
    ceiling when it grows holds (drawn within the hold limit), else the hold.
    """
    hold = 0 if dose.hold is None else dose.hold.seconds.high
    if dose.hold is not None and progression and progression.hold_step_seconds:
        assert progression.hold_ceiling_seconds is not None  # noqa: S101 - drawn so
        hold = max(hold, progression.hold_ceiling_seconds)
    sets = dose.sets.high
    positions = 1 if dose.hold is None else dose.hold.positions
    # Alternating repetitions are counted in all, and half fall to each side.
    share = dose.side.share
    most = _top(limits, "reps") / share
    if hold:
        most = min(most, budget.stretch_seconds / (sets * hold * positions * share))
    resting = (sets - 1) * (0 if dose.rest_seconds is None else dose.rest_seconds.high)
    per_set = sets * positions * (hold + MOVE_SECONDS)
    sides = 1 if share != 1 else dose.side.sides_worked
    return min(most, (budget.session_seconds / sides - resting) / per_set)


@st.composite
def _safe_progression(draw: st.DrawFn, limits: SafetyLimits) -> Progression:
    every_days = draw(st.integers(int(_bottom(limits, "progression_every_days")), 30))
    reps_step = draw(st.integers(0, int(_top(limits, "progression_reps_step"))))
    per_week = _top(limits, "progression_hold_seconds_per_week")
    largest_step = math.floor(per_week * every_days / 7)
    # Without a repetition step the hold step starts at 1, so the rule progresses.
    hold_step = draw(st.integers(0 if reps_step else 1, max(1, largest_step)))
    # The repetition ceiling depends on the doses; _safe_protocols sets it.
    return Progression(
        every_days=every_days,
        reps_step=reps_step,
        hold_step_seconds=hold_step,
        hold_ceiling_seconds=(
            draw(st.integers(1, int(_top(limits, "hold_seconds"))))
            if hold_step
            else None
        ),
    )


def _top(limits: SafetyLimits, name: str) -> float:
    """The hard maximum of a limit; where ``limits`` set none, the default's.

    The defaults' bound is what a drawing is budgeted by when a researcher's
    limits leave one open, so no figure is written here a second time.
    """
    bound = getattr(limits, name).maximum or getattr(_DEFAULTS, name).maximum
    return float(bound.value)


def _bottom(limits: SafetyLimits, name: str) -> float:
    """The hard minimum of a limit; where ``limits`` set none, the default's."""
    bound = getattr(limits, name).minimum or getattr(_DEFAULTS, name).minimum
    return float(bound.value)


_DEFAULTS: Final = SafetyLimits()
