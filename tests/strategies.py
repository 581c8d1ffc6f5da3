"""Hypothesis strategies for the model, shared by every test module.

`protocols()` makes any well-formed protocol: most are unsafe in some way, which is
the point, since the validator must report on them and never raise.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

from mobility import (
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
from mobility.model import MAX_QUANTITY


slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)

# Printable text with at least one visible character, as people write it.
texts = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")),
    min_size=1,
    max_size=40,
).filter(str.strip)

sources = st.builds(
    Source,
    texts,
    inferred=st.booleans(),
    note=st.none() | texts,
)


@st.composite
def ranges(
    draw: st.DrawFn,
    *,
    min_value: float = 0,
    max_value: float = 10_000,
    whole: bool = False,
) -> Range:
    """A range with both ends in [min_value, max_value]."""
    integers = st.integers(math.ceil(min_value), math.floor(max_value))
    numbers: st.SearchStrategy[float] = integers
    if not whole:
        numbers = integers | st.floats(
            min_value, max_value, allow_nan=False, allow_infinity=False
        )
    low, high = sorted((draw(numbers), draw(numbers)))
    return Range(low, high)


counts = ranges(min_value=1, max_value=100, whole=True) | ranges(
    min_value=1, max_value=MAX_QUANTITY, whole=True
)
positive_seconds = ranges(min_value=0.5, max_value=600) | ranges(
    min_value=0.5, max_value=MAX_QUANTITY
)

doses = st.builds(
    Dose,
    side=st.sampled_from(Side),
    reps=counts,
    sets=ranges(min_value=1, max_value=10, whole=True),
    hold=st.none() | st.builds(Hold, positive_seconds),
    rest_seconds=st.none() | ranges(max_value=600),
    intensity=st.sampled_from(Intensity),
    source=st.none() | sources,
)

steps = st.builds(Step, texts, cue=st.none() | texts)


@st.composite
def exercises(draw: st.DrawFn, exercise_id: str | None = None) -> Exercise:
    """Any well-formed exercise."""
    return Exercise(
        id=exercise_id if exercise_id is not None else draw(slugs),
        name=draw(texts),
        position=draw(texts),
        steps=draw(st.lists(steps, min_size=1, max_size=4)),
        dose=draw(doses),
        purpose=draw(st.none() | texts),
        equipment=draw(st.lists(texts, max_size=2)),
        source=draw(st.none() | sources),
    )


frequencies = st.builds(
    Frequency,
    days_per_week=st.integers(1, 7),
    sessions_per_day=st.integers(1, 6),
    source=st.none() | sources,
)

progressions = st.builds(
    Progression,
    every_days=st.integers(1, 30),
    reps_step=st.integers(1, 5),
    hold_step_seconds=st.sampled_from([0, 2.5, 5, 10, 20]),
    description=st.none() | texts,
    source=st.none() | sources,
)

reviews = st.builds(
    Review, after_days=st.integers(1, 120), action=texts, source=st.none() | sources
)

red_flags = st.builds(
    RedFlag, texts, st.sampled_from(Urgency), source=st.none() | sources
)

disclaimers = st.builds(
    Disclaimer,
    text=texts,
    stop_rules=st.lists(texts, max_size=2).map(tuple),
    seek_care=st.lists(texts, max_size=2).map(tuple),
    red_flags=st.lists(red_flags, max_size=3).map(tuple),
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
        frequency=draw(frequencies),
        disclaimer=draw(st.none() | disclaimers),
        rationale=draw(st.none() | texts),
        review=draw(st.none() | reviews),
        program_weeks=draw(st.none() | st.integers(1, 52)),
        progression=draw(st.none() | progressions),
        sources=draw(st.lists(sources, max_size=3)),
    )
