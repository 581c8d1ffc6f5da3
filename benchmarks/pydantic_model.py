"""A pydantic v2 model of the protocol document, as the JSON benchmark's rival.

It is what an app might write instead of using mobility: the same document, typed
and strict (no coercion, no unknown keys), with the structural checks a pydantic
user would state: non-empty text, slug ids, whole counts from 1, closed sets of
values, and an amount that is a number or a low-high pair. It does not check what
mobility's loader checks beyond those (invisible or control characters, step
templates, cautions that name exercises), so it is, if anything, flattered.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


Text = Annotated[str, Field(min_length=1)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64)]
Count = Annotated[int, Field(ge=1, le=1_000_000)]
Seconds = Annotated[float, Field(gt=0, le=1_000_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Source(_Strict):
    """The document's Source."""

    citation: Text
    inferred: bool = False
    note: Text | None = None
    kind: (
        Literal[
            "public-health",
            "professional-body",
            "patient-charity",
            "patient-library",
            "trial-protocol",
            "research",
            "practitioner",
        ]
        | None
    ) = None
    url: Annotated[str, Field(pattern=r"^https?://[!-~]+$")] | None = None


class CountRange(_Strict):
    """The document's CountRange."""

    low: Count
    high: Count


class SecondsRange(_Strict):
    """The document's SecondsRange."""

    low: Seconds
    high: Seconds


class Hold(_Strict):
    """The document's Hold."""

    seconds: Seconds | SecondsRange
    positions: Annotated[int, Field(ge=1, le=4)] = 1


class Dose(_Strict):
    """The document's Dose."""

    side: Literal["each", "alternating", "bilateral", "left", "right"]
    reps: Count | CountRange
    sets: Count | CountRange = 1
    hold: Hold | None = None
    rest_seconds: Seconds | SecondsRange | None = None
    in_turn: bool = False
    intensity: Literal["tightness", "slight-discomfort", "pain"] = "tightness"
    source: Source | None = None
    assumptions: tuple[Source, ...] = ()


class Step(_Strict):
    """The document's Step."""

    text: Text
    cue: Text | None = None


Direction = tuple[
    Annotated[float, Field(ge=-1, le=1)],
    Annotated[float, Field(ge=-1, le=1)],
    Annotated[float, Field(ge=-1, le=1)],
]
Name = Annotated[str, Field(pattern=r"^[a-z_]+$")]


class Turn(_Strict):
    """The document's Turn."""

    joint: Name
    degrees: Annotated[float, Field(ge=-180, le=180)]


class Pose(_Strict):
    """The document's Pose."""

    up: Direction
    forward: Direction
    angles: tuple[Turn, ...] = ()
    rest: tuple[Name, ...] = ()
    roll: Annotated[float, Field(ge=-180, le=180)] = 0


class Figure(_Strict):
    """The document's Figure."""

    view: Literal["side", "front", "top", "feet"]
    start: Pose
    end: Pose
    arrow: Name
    chair: bool = False


class Adaptation(_Strict):
    """The document's Adaptation."""

    text: Text
    kind: Literal["easier", "harder"]
    source: Source | None = None


class Exercise(_Strict):
    """The document's Exercise."""

    id: Slug
    name: Text
    position: Text
    steps: Annotated[tuple[Step, ...], Field(min_length=1)]
    dose: Dose
    purpose: Text | None = None
    equipment: tuple[Text, ...] = ()
    source: Source | None = None
    posture: (
        Literal[
            "lying-on-back",
            "lying-on-side",
            "lying-on-front",
            "all-fours",
            "kneeling",
            "sitting",
            "standing",
        ]
        | None
    ) = None
    adaptations: tuple[Adaptation, ...] = ()
    figure: Figure | None = None


class Frequency(_Strict):
    """The document's Frequency."""

    days_per_week: Annotated[int, Field(ge=1, le=7)]
    sessions_per_day: Count = 1
    source: Source | None = None


class Review(_Strict):
    """The document's Review."""

    after_days: Count
    action: Text
    source: Source | None = None


class Progression(_Strict):
    """The document's Progression."""

    every_days: Count
    reps_step: Annotated[int, Field(ge=0)] = 0
    hold_step_seconds: Annotated[float, Field(ge=0)] = 0
    reps_ceiling: Count | None = None
    hold_ceiling_seconds: Annotated[float, Field(ge=0)] | None = None
    description: Text | None = None
    source: Source | None = None


class RedFlag(_Strict):
    """The document's RedFlag."""

    text: Text
    urgency: Literal["emergency", "urgent"]
    source: Source | None = None
    context: Text | None = None


class Caution(_Strict):
    """The document's Caution."""

    text: Text
    kind: Literal["avoid", "ask-first"]
    exercises: tuple[Slug, ...] = ()
    source: Source | None = None


class Disclaimer(_Strict):
    """The document's Disclaimer."""

    text: Text
    stop_rules: tuple[Text, ...] = ()
    seek_care: tuple[Text, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    source: Source | None = None
    cautions: tuple[Caution, ...] | None = None


class Derivation(_Strict):
    """The document's Derivation."""

    base: Slug
    changed: tuple[Text, ...] = ()


class Protocol(_Strict):
    """The document's Protocol."""

    kind: Literal["protocol"]
    schema_version: Literal[6]
    id: Slug
    name: Text
    region: Literal["cervical", "thoracic", "lumbar", "hip"]
    purpose: Text
    exercises: Annotated[tuple[Exercise, ...], Field(min_length=1)]
    frequency: Frequency
    disclaimer: Disclaimer | None
    rationale: Text | None = None
    review: Review | None = None
    program_weeks: Count | None = None
    progression: Progression | None = None
    sources: tuple[Source, ...] = ()
    derived_from: Derivation | None = None
    audience: Literal["adults", "older-adults"] = "adults"
