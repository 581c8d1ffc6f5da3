"""The typed model of a mobility protocol, the foundation of every other package.

The classes are public here and in :mod:`mobility`. Beside them sit the model's
public submodules: :mod:`mobility.model.steps` (the step texts, templates filled
from a dose), :mod:`mobility.model.evidence` (the sources the safety limits cite)
and :mod:`mobility.model.schedule` (when the sessions fall, for calendars).

Every class here is a frozen, slotted attrs class: build variants with
:func:`attrs.evolve`. Construction refuses values that mean nothing (negative
seconds, a range whose low end is above its high end, an id that is not a slug)
with an :class:`~mobility.errors.InvalidModelError` naming the class and field.
Whether a well-formed protocol is *safe* is not decided here; that is the job of
:func:`mobility.validate`, so researchers can build an out-of-range variant and ask
what is wrong with it.

Example:
    >>> from mobility import Dose, Hold, Range, Side
    >>> dose = Dose(side=Side.EACH, reps=Range(10, 15), hold=Hold(Range(10, 15)))
    >>> dose.reps_per_side
    Range(low=10, high=15)
    >>> dose.stretch_seconds_per_side
    Range(low=100, high=225)
    >>> dose.total_reps  # "on each side" is not a total: both sides are worked
    Range(low=20, high=30)
"""

from __future__ import annotations

import enum
import functools
import math
import re

from types import MappingProxyType
from typing import TYPE_CHECKING, Final, TypeGuard, TypeVar

import attrs

from .._kinds import Posture, Region, SourceKind, region_names
from .._words import fmt
from ..errors import InvalidModelError, UnknownExerciseError
from ._checks import (
    MAX_QUANTITY,
    Count,
    EachInstanceOf,
    InstanceOf,
    NonEmpty,
    Number,
    RangeOf,
    Slug,
    Slugs,
    Template,
    Text,
    Texts,
    UniqueIds,
    Url,
    checks,
    checks_of,
    fail,
    is_finite,
    normalize_number,
)
from ._pose import Figure, Pose, Turn, View
from .steps import PLACEHOLDERS, Instruction, fill, placeholders


if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping


__all__ = [
    "MAX_QUANTITY",
    "MOVE_SECONDS",
    "Adaptation",
    "AdaptationKind",
    "Audience",
    "Caution",
    "CautionKind",
    "Derivation",
    "Disclaimer",
    "Dose",
    "Exercise",
    "Figure",
    "Frequency",
    "Hold",
    "Intensity",
    "Pose",
    "Posture",
    "Progression",
    "Protocol",
    "Range",
    "RedFlag",
    "Region",
    "Review",
    "Side",
    "Source",
    "SourceKind",
    "Step",
    "Turn",
    "Urgency",
    "View",
    "as_range",
    "constraints",
    "region_names",
    "replace",
    "session_seconds",
]

#: Seconds we assume one repetition spends moving into and out of position, on top
#: of any hold. Used only to *estimate* session length. This figure is our own
#: assumption, not taken from any source; no source we know of states one.
MOVE_SECONDS: Final = 5

# The structural checks live in _checks so the JSON Schema can read them back.
_check_text = Text()
_check_optional_text = Text(optional=True)
_check_texts = Texts()
_check_template = Template()
_check_slug = Slug()
_check_nonempty = NonEmpty()
_check_unique_ids = UniqueIds()


def _optional(kind: type, label: str) -> InstanceOf:
    return InstanceOf(kind, label, optional=True)


# --------------------------------------------------------------------------------
# Evidence


@attrs.frozen
class Source:
    """Where a figure or a piece of text comes from.

    Args:
        citation: A reference a reader can look up: the organisation or authors
            and the title.
        inferred: ``True`` when the figure is *our* inference from the cited
            source rather than something the source states.
        note: What exactly was taken or inferred, when the citation alone does
            not say.
        kind: What kind of publication it is; ``None`` for our own policies and
            for figures no publication gives.
        url: The original address of the page, never a mirror copy.

    Example:
        >>> Source("ACSM Guidelines, 11th ed. (2021)", inferred=True).inferred
        True
        >>> Source("NHS Inform", kind=SourceKind.PUBLIC_HEALTH).kind.label
        'public-health guidance'
    """

    citation: str = attrs.field(**checks(_check_text))
    inferred: bool = attrs.field(
        default=False, kw_only=True, **checks(InstanceOf(bool, "True or False"))
    )
    note: str | None = attrs.field(
        default=None, kw_only=True, **checks(_check_optional_text)
    )
    kind: SourceKind | None = attrs.field(
        default=None,
        kw_only=True,
        **checks(InstanceOf(SourceKind, "a SourceKind", optional=True)),
    )
    url: str | None = attrs.field(default=None, kw_only=True, **checks(Url()))

    def __str__(self) -> str:
        text = self.citation
        if self.note:
            text += f" ({self.note})"
        return text + (" [our inference]" if self.inferred else "")


def _sources(value: Iterable[Source]) -> tuple[Source, ...]:
    return tuple(value)


# --------------------------------------------------------------------------------
# Quantities


@attrs.frozen
class Range:
    """A prescribed amount, from ``low`` to ``high`` inclusive.

    A range is part of the prescription ("hold 10-15 s"), not an uncertainty. An
    exact amount is a range of one value: ``Range(30)``. Whole floats are stored
    as ints, so ``Range(10.0) == Range(10)``.

    Ranges add and multiply end by end, which is how doses combine: 10-15 reps of
    a 10-15 s hold is 100-225 s of stretching.

    Example:
        >>> Range(10, 15) * Range(10, 15)
        Range(low=100, high=225)
        >>> str(Range.parse("10-15")), str(Range(30)), 12 in Range(10, 15)
        ('10-15', '30', True)
    """

    low: float = attrs.field(converter=normalize_number, **checks(Number()))
    high: float = attrs.field(
        converter=normalize_number,
        **checks(Number()),
        default=attrs.Factory(lambda self: self.low, takes_self=True),
    )

    @high.validator
    def _check_order(self, attribute: attrs.Attribute[float], value: float) -> None:
        if value < self.low:
            fail(
                self,
                attribute,
                f"low ({fmt(self.low)}) is above high ({fmt(value)})",
            )

    @classmethod
    def parse(cls, text: str) -> Range:
        """Read a range written as ``"10-15"`` or ``"30"``; an en dash also works.

        Raises:
            InvalidModelError: The text is not one or two non-negative numbers.
        """
        parts = re.split(r"\s*[-\u2013]\s*", text.strip())
        try:
            numbers = [float(part) for part in parts]
        except ValueError:
            numbers = []
        if len(numbers) not in (1, 2):
            raise InvalidModelError(
                f"Range: expected 'LOW-HIGH' or a single number, got {text!r}"
            )
        return cls(numbers[0], numbers[-1])

    @property
    def is_exact(self) -> bool:
        """Whether the range holds a single value."""
        return self.low == self.high

    @property
    def is_whole(self) -> bool:
        """Whether both ends are whole numbers."""
        return isinstance(self.low, int) and isinstance(self.high, int)

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, int | float) or isinstance(value, bool):
            return False
        return self.low <= value <= self.high

    def __add__(self, other: Range | float) -> Range:
        if _is_amount(other):  # the common case, kept cheap: no Range built for it
            return _derived(self.low + other, self.high + other)
        other = as_range(other)
        return _derived(self.low + other.low, self.high + other.high)

    __radd__ = __add__

    def __mul__(self, other: Range | float) -> Range:
        if _is_amount(other):
            return _derived(self.low * other, self.high * other)
        other = as_range(other)
        return _derived(self.low * other.low, self.high * other.high)

    __rmul__ = __mul__

    def __str__(self) -> str:
        if self.is_exact:
            return fmt(self.low)
        return f"{fmt(self.low)}-{fmt(self.high)}"


def _is_amount(value: object) -> TypeGuard[float]:
    """Whether a value is a number a Range could hold: finite and not negative."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and is_finite(value)
        and value >= 0
    )


def _derived(low: float, high: float) -> Range:
    """Build the result of arithmetic on valid ranges without re-validating it.

    Sums and products of two non-negative, ordered ranges are non-negative and
    ordered, so only finiteness can fail. Validation is most of the cost of a
    Range, and the validator does this arithmetic for every protocol it checks.
    """
    # Whole numbers in range, the common case, need no call to _end.
    if not (
        type(low) is int
        and type(high) is int
        and -_LARGEST_INT < low < _LARGEST_INT
        and -_LARGEST_INT < high < _LARGEST_INT
    ):
        low, high = _end(low), _end(high)
    result = object.__new__(Range)
    _set(result, "low", low)
    _set(result, "high", high)
    return result


_set: Final = object.__setattr__
_LARGEST_INT: Final = 10**300  # far below the largest float, far above any dose


def _end(value: float) -> float:
    """One end of a derived range: finite, with whole floats stored as ints."""
    if type(value) is int:  # the common case: sums and products of whole numbers
        if -_LARGEST_INT < value < _LARGEST_INT:
            return value
    elif is_finite(value):
        return normalize_number(value)  # type: ignore[no-any-return]
    raise InvalidModelError("Range: the result is too large")


_ZERO: Final = _derived(0, 0)  # built once: no hold, no stretch


def as_range(value: Range | float | tuple[float, float]) -> Range:
    """Turn a number, a ``(low, high)`` pair or a range into a :class:`Range`.

    Raises:
        InvalidModelError: The value is none of those.
    """
    match value:
        case Range():
            return value
        case int() | float():
            return _range(value)
        case (low, high):  # any pair, a list included; never a string
            try:
                return _range(low, high)
            except TypeError:  # an end that cannot be a key; Range says what
                return Range(low, high)
    raise InvalidModelError(  # reached by untyped callers only
        f"Range: expected a number, a (low, high) pair or a Range, got {value!r}"
    )


@functools.lru_cache(maxsize=1024, typed=True)
def _range(low: float, high: float | None = None) -> Range:
    """One Range for each value a dose gives as a number or a pair.

    Ranges cannot change, so a grid's thousands of doses share the few distinct
    ones instead of building and checking each again. A value Range refuses is
    not kept: it raises each time.
    """
    return Range(low) if high is None else Range(low, high)


def _as_optional_range(
    value: Range | float | tuple[float, float] | None,
) -> Range | None:
    return None if value is None else as_range(value)


@attrs.frozen(repr=False)
class Hold:
    """A static hold, timed in seconds.

    Args:
        seconds: How long to hold, e.g. ``Range(10, 15)`` or just ``30``.
        positions: How many positions one repetition holds, each for
            ``seconds``. Cat-cow holds two (the arch and the sag), so a
            repetition holds twice as long as its hold.

    Example:
        >>> Hold(30).seconds, str(Hold((10, 15)))
        (Range(low=30, high=30), 'hold 10-15 s')
        >>> str(Hold((10, 15), positions=2))
        'hold each of 2 positions 10-15 s'
    """

    seconds: Range = attrs.field(converter=as_range, **checks(RangeOf(positive=True)))
    positions: int = attrs.field(default=1, kw_only=True, **checks(Count(1, 4)))

    def __repr__(self) -> str:
        # One position is the usual hold, and its repr says no more than that.
        extra = "" if self.positions == 1 else f", positions={self.positions}"
        return f"Hold(seconds={self.seconds!r}{extra})"

    def __str__(self) -> str:
        if self.positions == 1:
            return f"hold {self.seconds} s"
        return f"hold each of {self.positions} positions {self.seconds} s"


def _as_hold(value: Hold | Range | float | tuple[float, float] | None) -> Hold | None:
    if value is None or isinstance(value, Hold):
        return value
    return Hold(as_range(value))


# --------------------------------------------------------------------------------
# Closed sets


class Side(enum.StrEnum):
    """Which side of the body a dose is done on, and so what its numbers count.

    ``EACH`` is the one to watch: "10 reps on each side" is 20 reps in a session,
    not 10. ``ALTERNATING`` is the other way round: "8-10 times, alternating
    sides" is 8-10 in all, so 4-5 on each side. Every per-side figure of a
    :class:`Dose` counts one side; use :attr:`Dose.total_reps` for the whole
    session.
    """

    EACH = "each"
    """Done on the left and on the right; the dose is for *each* side."""
    ALTERNATING = "alternating"
    """Done to the left and the right in turn; the repetitions count both sides."""
    BILATERAL = "bilateral"
    """Done with both sides at once, or without sides; the dose is the total."""
    LEFT = "left"
    """Done on the left side only."""
    RIGHT = "right"
    """Done on the right side only."""

    @property
    def sides_worked(self) -> int:
        """How many sides a session works (2 for ``EACH`` and ``ALTERNATING``)."""
        return 2 if self in (Side.EACH, Side.ALTERNATING) else 1

    @property
    def share(self) -> float:
        """The share of the repetitions that falls to one side, half if alternating."""
        return 0.5 if self is Side.ALTERNATING else 1

    @property
    def phrase(self) -> str:
        """How the side reads after a dose, such as ``"on each side"`` (or ``""``)."""
        return {
            Side.EACH: "on each side",
            Side.ALTERNATING: "in all, alternating sides",
            Side.BILATERAL: "",
            Side.LEFT: "on the left side only",
            Side.RIGHT: "on the right side only",
        }[self]


class Intensity(enum.StrEnum):
    """How far into a stretch to go."""

    TIGHTNESS = "tightness"
    """To the point of feeling tightness."""
    SLIGHT_DISCOMFORT = "slight-discomfort"
    """To the point of slight discomfort, never pain."""
    PAIN = "pain"
    """Into pain. Representable so that data can be checked; always rejected by
    :func:`mobility.validate`."""


class Audience(enum.StrEnum):
    """Whom a protocol is written for, and so which safety limits it needs.

    Each value names a preset of :data:`mobility.safety.limits.PRESETS`; this is the
    preset :func:`mobility.validate` applies when it is given no limits.
    """

    ADULTS = "adults"
    OLDER_ADULTS = "older-adults"
    """Adults aged 65 and over."""
    ADOLESCENTS = "adolescents"
    """Young athletes, such as the gymnasts the source protocol was written for.

    Their outputs carry a note on spondylolysis and on pain when arching back
    (Micheli & Wood 1995); the dose limits are the adults' (no source gives
    others).
    """


class CautionKind(enum.StrEnum):
    """What a :class:`Caution` asks of the people it names."""

    AVOID = "avoid"
    """They should not do the exercises it names."""
    ASK_FIRST = "ask-first"
    """They should ask a doctor or a physical therapist before starting."""


class Urgency(enum.StrEnum):
    """How soon a red flag needs care."""

    EMERGENCY = "emergency"
    """Call emergency services or go to an emergency department now."""
    URGENT = "urgent"
    """See a doctor the same day."""


# --------------------------------------------------------------------------------
# The prescription


@attrs.frozen(kw_only=True)
class Dose:
    """How much of an exercise to do in one session.

    Args:
        side: Which side the numbers are for. With ``Side.EACH`` every number is
            per side, and a session does the whole dose twice. With
            ``Side.ALTERNATING`` the repetitions alternate between the sides, so
            each side gets half of them.
        reps: Repetitions per set, on each side when ``side`` is ``EACH``, on
            both sides together when it is ``ALTERNATING``.
        sets: Sets per side.
        hold: The static hold of each repetition, if any.
        rest_seconds: Rest between sets, if prescribed.
        in_turn: With ``Side.EACH``, whether the sides take turns: one repetition
            on the first side, then one on the other, and so on ("bring your
            knees back to the middle, then do the same to the other side").
            ``False`` (the default) does every set on one side before the other.
            Only ``Side.EACH`` may set it: alternating repetitions always take
            turns, and other sides have none to take.
        intensity: How far into the stretch to go.
        source: Where these numbers come from.
        assumptions: Where the parts come from that ``source`` does not give,
            each with a note naming the parts; for instance the sets and the
            intensity when a source gives only the hold and the repetitions.
            These are normally marked ``inferred``.

    Example:
        >>> dose = Dose(side=Side.EACH, reps=3, hold=30)
        >>> dose.stretch_seconds_per_side, dose.total_reps
        (Range(low=90, high=90), Range(low=6, high=6))
    """

    side: Side = attrs.field(**checks(InstanceOf(Side, "a Side")))
    reps: Range = attrs.field(converter=as_range, **checks(RangeOf(whole=True)))
    sets: Range = attrs.field(
        default=Range(1), converter=as_range, **checks(RangeOf(whole=True))
    )
    hold: Hold | None = attrs.field(default=None, converter=_as_hold)
    rest_seconds: Range | None = attrs.field(
        default=None, converter=_as_optional_range, **checks(RangeOf())
    )
    in_turn: bool = attrs.field(
        default=False, **checks(InstanceOf(bool, "True or False"))
    )
    intensity: Intensity = attrs.field(
        default=Intensity.TIGHTNESS, **checks(InstanceOf(Intensity, "an Intensity"))
    )
    source: Source | None = attrs.field(
        default=None, **checks(_optional(Source, "a Source"))
    )
    assumptions: tuple[Source, ...] = attrs.field(
        default=(), converter=_sources, **checks(EachInstanceOf(Source, "a Source"))
    )

    @in_turn.validator
    def _check_in_turn(self, attribute: attrs.Attribute[bool], value: bool) -> None:  # noqa: FBT001 - attrs passes the value
        if value and self.side is not Side.EACH:
            problem = f"only a dose for each side takes turns, not {self.side.value!r}"
            fail(self, attribute, problem)

    @property
    def reps_per_side(self) -> Range:
        """Repetitions on one side in a session (sets x reps, halved if alternating).

        Example:
            >>> Dose(side=Side.ALTERNATING, reps=(8, 10)).reps_per_side
            Range(low=4, high=5)
        """
        share = self.side.share
        if share == 1:
            return self.sets * self.reps
        sets, reps = self.sets, self.reps
        return _derived(sets.low * reps.low * share, sets.high * reps.high * share)

    @property
    def total_reps(self) -> Range:
        """Repetitions in a whole session, every side counted."""
        return self.reps_per_side * self.side.sides_worked

    # The two properties below run for every protocol the validator checks, so
    # they work out each end with plain numbers and build one Range at the end.

    @property
    def stretch_seconds_per_side(self) -> Range:
        """Seconds spent holding on one side in a session (0 without a hold).

        Sets x reps x hold x positions held, end by end, halved when the
        repetitions alternate between the sides.
        """
        if self.hold is None:
            return _ZERO
        sets, reps, hold = self.sets, self.reps, self.hold.seconds
        each = self.hold.positions * self.side.share
        return _derived(
            sets.low * reps.low * hold.low * each,
            sets.high * reps.high * hold.high * each,
        )

    @property
    def estimated_seconds(self) -> Range:
        """Estimated seconds the dose takes in a session, every side counted.

        Each position a repetition holds is counted as its hold plus
        :data:`~mobility.model.MOVE_SECONDS` of movement (our assumption), plus any
        rest between sets, end by end:
        ``sides x (sets x reps x positions x (hold + move) + (sets - 1) x rest)``,
        where alternating repetitions count once, as they already hold both sides,
        and sides that take turns (``in_turn``) rest together, so their rests
        count once.
        """
        sets, reps = self.sets, self.reps
        hold = self.hold.seconds if self.hold is not None else _ZERO
        positions = self.hold.positions if self.hold is not None else 1
        low = sets.low * reps.low * positions * (hold.low + MOVE_SECONDS)
        high = sets.high * reps.high * positions * (hold.high + MOVE_SECONDS)
        sides = 1 if self.side is Side.ALTERNATING else self.side.sides_worked
        low, high = low * sides, high * sides
        if self.rest_seconds is not None:
            rests = 1 if self.in_turn else sides
            low += (sets.low - 1) * self.rest_seconds.low * rests
            high += (sets.high - 1) * self.rest_seconds.high * rests
        return _derived(low, high)


# The hash is kept: a step is hashed whenever a cache looks up its exercise's
# steps, once for every exercise a grid builds.
@attrs.frozen(cache_hash=True)
class Step:
    """One instruction of an exercise, in the order it is done.

    The text and the cue are templates: an amount of the dose is written as a
    placeholder (``{hold}``, ``{reps}``, ``{times}``, ``{sets}``, ``{rest}``,
    ``{sides}``; see :mod:`mobility.model.steps`) and filled from the exercise's dose
    when the step is shown, so the words always follow the numbers. A brace
    meant as a brace is doubled.

    Args:
        text: What to do, as a template.
        cue: A short reminder that goes with the step, if any; a template too.

    Example:
        >>> from mobility import Dose, Hold, Side
        >>> step = Step("Hold there for {hold}.", cue="Breathe out.")
        >>> str(step.instruction(Dose(side=Side.EACH, reps=3, hold=Hold(30))))
        'Hold there for 30 seconds. (Breathe out.)'
    """

    text: str = attrs.field(**checks(_check_text, _check_template))
    cue: str | None = attrs.field(
        default=None,
        kw_only=True,
        **checks(_check_optional_text, _check_template),
    )

    def instruction(self, dose: Dose) -> Instruction:
        """The step as a person reads it, filled from ``dose``.

        Raises:
            TemplateError: The step uses a placeholder the dose cannot fill,
                such as ``{hold}`` for a dose without a hold.
        """
        cue = None if self.cue is None else fill(self.cue, dose)
        return Instruction(fill(self.text, dose), cue)


def _steps(value: Iterable[Step]) -> tuple[Step, ...]:
    return tuple(value)


class AdaptationKind(enum.StrEnum):
    """Which way an adaptation changes an exercise."""

    EASIER = "easier"
    """A regression, gentler or easier to get into than the exercise."""
    HARDER = "harder"
    """A progression, more of a stretch or more work than the exercise."""


@attrs.frozen
class Adaptation:
    """An easier or a harder way to do an exercise, as a source gives it.

    The easier one is a regression, the harder one a progression, in a
    physiotherapist's words; :class:`Progression` is the other kind of
    progression, a rule that changes the dose over weeks.

    Args:
        text: What to do differently, in plain words, as an instruction.
        kind: Easier or harder.
        source: Where the variant comes from.

    Example:
        >>> str(Adaptation("Put a pillow between your knees.", AdaptationKind.EASIER))
        'Easier: Put a pillow between your knees.'
    """

    text: str = attrs.field(**checks(_check_text))
    kind: AdaptationKind = attrs.field(
        **checks(InstanceOf(AdaptationKind, "an AdaptationKind"))
    )
    source: Source | None = attrs.field(
        default=None, kw_only=True, **checks(_optional(Source, "a Source"))
    )

    def __str__(self) -> str:
        return f"{self.kind.value.capitalize()}: {self.text}"


def _adaptations(value: Iterable[Adaptation]) -> tuple[Adaptation, ...]:
    return tuple(value)


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    # A lone string is almost always a mistake for a one-item sequence; say so
    # instead of splitting it into characters.
    if isinstance(value, str):
        return (value,)
    return tuple(value)


@attrs.frozen(kw_only=True)
class Exercise:
    """One exercise: where to start, what to do, and how much.

    Args:
        id: A stable slug, unique within its protocol.
        name: The name a person reads.
        position: The start position.
        steps: The instructions in order; at least one.
        dose: How much to do in a session.
        purpose: What the exercise is for, if it differs from the protocol's.
        equipment: What is needed, in lower case (``"chair"``); empty when
            nothing is.
        source: Where the description of the exercise comes from.
        posture: Which of a few start positions ``position`` describes, for
            finding exercises; ``None`` when it is none of them.
        adaptations: Easier and harder ways to do it (regressions and
            progressions), each with its source; empty when no source gives one.
        figure: How to draw it: a view, and a pose for the start and the end
            (see :mod:`mobility.model.figures`); ``None`` when it has none.
    """

    id: str = attrs.field(**checks(_check_slug))
    name: str = attrs.field(**checks(_check_text))
    position: str = attrs.field(**checks(_check_text))
    steps: tuple[Step, ...] = attrs.field(
        converter=_steps,
        **checks(_check_nonempty, EachInstanceOf(Step, "a Step")),
    )
    dose: Dose = attrs.field(**checks(InstanceOf(Dose, "a Dose")))
    purpose: str | None = attrs.field(default=None, **checks(_check_optional_text))
    equipment: tuple[str, ...] = attrs.field(
        default=(), converter=_texts, **checks(_check_texts)
    )
    source: Source | None = attrs.field(
        default=None, **checks(_optional(Source, "a Source"))
    )
    posture: Posture | None = attrs.field(
        default=None, **checks(_optional(Posture, "a Posture"))
    )
    adaptations: tuple[Adaptation, ...] = attrs.field(
        default=(),
        converter=_adaptations,
        **checks(EachInstanceOf(Adaptation, "an Adaptation")),
    )
    figure: Figure | None = attrs.field(
        default=None, **checks(_optional(Figure, "a Figure"))
    )

    @dose.validator
    def _check_placeholders(self, _: attrs.Attribute[Dose], dose: Dose) -> None:
        # A step may only use what its dose can fill: {hold} needs a hold.
        found = _unfillable(
            self.steps, no_hold=dose.hold is None, no_rest=dose.rest_seconds is None
        )
        if found is not None:
            index, name, what = found
            fail(
                self,
                attrs.fields(Exercise).steps,
                f"{{{name}}} needs a dose with {what}",
                index,
            )

    @property
    def instructions(self) -> tuple[Instruction, ...]:
        """The steps as a person reads them, each filled from the dose.

        Example:
            >>> from mobility import catalog
            >>> exercise = catalog.get("thoracic-open-book").exercises[0]
            >>> exercise.steps[1].text
            'Hold the stretch for {hold}.'
            >>> exercise.instructions[1].text
            'Hold the stretch for 30 seconds.'
        """
        return tuple(step.instruction(self.dose) for step in self.steps)


@functools.lru_cache(maxsize=256)
def _unfillable(
    steps: tuple[Step, ...], *, no_hold: bool, no_rest: bool
) -> tuple[int, str, str] | None:
    """The first placeholder a dose without a hold or a rest cannot fill.

    Cached: a grid builds thousands of exercises from the same steps, and only
    whether the dose has a hold and a rest decides the answer.
    """
    missing = {"hold": no_hold, "rest_seconds": no_rest}
    for index, step in enumerate(steps):
        for text in (step.text, step.cue):
            for name in placeholders(text) if text else ():
                needs = PLACEHOLDERS[name].needs
                if needs is not None and missing[needs]:
                    what = "a hold" if needs == "hold" else "a rest between sets"
                    return index, name, what
    return None


def _exercises(value: Iterable[Exercise]) -> tuple[Exercise, ...]:
    return tuple(value)


# --------------------------------------------------------------------------------
# Around the exercises: how often, how it grows, when to review, what to watch for


@attrs.frozen(kw_only=True)
class Frequency:
    """How often a protocol is done.

    Args:
        days_per_week: Days a week with sessions, 1 to 7.
        sessions_per_day: Sessions on each of those days.
        source: Where these numbers come from.
    """

    days_per_week: int = attrs.field(**checks(Count(1, 7)))
    sessions_per_day: int = attrs.field(default=1, **checks(Count(1)))
    source: Source | None = attrs.field(
        default=None, **checks(_optional(Source, "a Source"))
    )

    @property
    def sessions_per_week(self) -> int:
        """Sessions in a week."""
        return self.days_per_week * self.sessions_per_day

    def sessions_in(self, days: int) -> int:
        """Sessions planned in a span of ``days`` days.

        A span has ``ceil(days x days_per_week / 7)`` training days, each with
        ``sessions_per_day`` sessions; partial weeks are rounded up.

        Example:
            >>> Frequency(days_per_week=3, sessions_per_day=2).sessions_in(10)
            10
        """
        return math.ceil(days * self.days_per_week / 7) * self.sessions_per_day


@attrs.frozen(kw_only=True)
class Progression:
    """How the dose grows over time.

    A step is taken every ``every_days`` days from the start: on day
    ``every_days``, ``2 * every_days`` and so on, for as long as the programme
    runs. Each step adds ``reps_step`` to both ends of every exercise's
    repetitions and ``hold_step_seconds`` to both ends of every hold, but never
    past the ceilings; an end already at or above its ceiling stays where it is.
    An exercise without a hold gains none.

    Args:
        every_days: Days between steps.
        reps_step: Repetitions added at each step.
        hold_step_seconds: Seconds added to the hold at each step.
        reps_ceiling: The most repetitions per set the steps grow to; ``None``
            for no ceiling.
        hold_ceiling_seconds: The longest hold the steps grow to; ``None`` for
            no ceiling.
        description: The rule in words, if there is more to it.
        source: Where the rule comes from.

    An open-ended programme (``program_weeks=None``) needs a ceiling for what
    grows; :func:`mobility.validate` reports one that has none.

    Example:
        >>> rule = Progression(every_days=7, reps_step=1, reps_ceiling=12)
        >>> rule.reps_at(Range(10, 15), step=3)
        Range(low=12, high=15)
    """

    every_days: int = attrs.field(**checks(Count(1)))
    reps_step: int = attrs.field(default=0, **checks(Count(0)))
    hold_step_seconds: float = attrs.field(
        default=0, converter=normalize_number, **checks(Number(MAX_QUANTITY))
    )
    reps_ceiling: int | None = attrs.field(
        default=None, **checks(Count(1, optional=True))
    )
    hold_ceiling_seconds: float | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(normalize_number),
        **checks(Number(MAX_QUANTITY, optional=True)),
    )
    description: str | None = attrs.field(default=None, **checks(_check_optional_text))
    source: Source | None = attrs.field(
        default=None, **checks(_optional(Source, "a Source"))
    )

    def __attrs_post_init__(self) -> None:
        if self.reps_step == 0 and self.hold_step_seconds == 0:
            problem = "at least one of reps_step and hold_step_seconds must be above 0"
            raise InvalidModelError(f"Progression: {problem}", problem=problem)

    @property
    def hold_seconds_per_week(self) -> float:
        """How many seconds a week the hold grows by."""
        return self.hold_step_seconds * 7 / self.every_days

    def reps_at(self, reps: Range, step: int) -> Range:
        """Repetitions per set after ``step`` steps, starting from ``reps``."""
        return _grown(reps, self.reps_step * step, self.reps_ceiling)

    def hold_at(self, hold: Range, step: int) -> Range:
        """The hold in seconds after ``step`` steps, starting from ``hold``."""
        return _grown(hold, self.hold_step_seconds * step, self.hold_ceiling_seconds)

    def dose_at(self, dose: Dose, step: int) -> Dose:
        """The dose after ``step`` steps; step 0 is the dose itself."""
        grows_hold = bool(self.hold_step_seconds) and dose.hold is not None
        if step == 0 or not (self.reps_step or grows_hold):
            return dose
        reps = self.reps_at(dose.reps, step) if self.reps_step else dose.reps
        hold = dose.hold
        if grows_hold and hold is not None:
            hold = replace(hold, seconds=self.hold_at(hold.seconds, step))
        return replace(dose, reps=reps, hold=hold)

    def steps_to_ceilings(self, dose: Dose) -> float:
        """Steps until nothing in ``dose`` grows any more; infinite without ceilings.

        Zero when nothing grows at all (a hold step on a dose without a hold, or
        a dose already at its ceilings).
        """
        steps: list[float] = [0]
        if self.reps_step:
            steps.append(_steps_to(dose.reps.low, self.reps_step, self.reps_ceiling))
        if self.hold_step_seconds and dose.hold is not None:
            steps.append(
                _steps_to(
                    dose.hold.seconds.low,
                    self.hold_step_seconds,
                    self.hold_ceiling_seconds,
                )
            )
        return max(steps)


def _grown(amount: Range, added: float, ceiling: float | None) -> Range:
    """Each end of ``amount`` with ``added`` on top, up to ``ceiling``.

    An end already at or above the ceiling stays; no end ever shrinks. Nothing
    grows past :data:`MAX_QUANTITY` either, so a grown dose is still one the model
    can hold (and one every default limit refuses).
    """
    cap = MAX_QUANTITY if ceiling is None else min(ceiling, MAX_QUANTITY)
    low = max(amount.low, min(amount.low + added, cap))
    high = max(amount.high, min(amount.high + added, cap))
    # Arithmetic on a valid range: each end grows, neither passes the cap, and
    # the low end stays at or below the high one.
    return _derived(low, high)


def _steps_to(start: float, step: float, ceiling: float | None) -> float:
    """Steps of ``step`` until ``start`` reaches ``ceiling`` (infinite if None)."""
    if ceiling is None:
        return math.inf
    if start >= ceiling:
        return 0
    return math.ceil((ceiling - start) / step)


@attrs.frozen(kw_only=True)
class Review:
    """When to take stock of a protocol, and what to do then.

    Args:
        after_days: Days after the start.
        action: What to do if things have not improved.
        source: Where the timing and the advice come from.
    """

    after_days: int = attrs.field(**checks(Count(1)))
    action: str = attrs.field(**checks(_check_text))
    source: Source | None = attrs.field(
        default=None, **checks(_optional(Source, "a Source"))
    )


@attrs.frozen
class RedFlag:
    """A sign that calls for medical care rather than exercise.

    Args:
        text: The sign, in plain words.
        urgency: How soon care is needed.
        source: The guidance that names the sign.
        context: What the sign counts together with, as the source frames it,
            such as ``"back pain"`` for "you have back pain and ...". ``None``
            when the sign counts on its own.

    Example:
        >>> flag = RedFlag("A fever of 38 °C or higher", Urgency.URGENT,
        ...                context="back pain")
        >>> str(flag)
        'A fever of 38 °C or higher (with back pain)'
    """

    text: str = attrs.field(**checks(_check_text))
    urgency: Urgency = attrs.field(**checks(InstanceOf(Urgency, "an Urgency")))
    source: Source | None = attrs.field(
        default=None,
        kw_only=True,
        **checks(_optional(Source, "a Source")),
    )
    context: str | None = attrs.field(
        default=None, kw_only=True, **checks(_check_optional_text)
    )

    def __str__(self) -> str:
        return (
            self.text if self.context is None else f"{self.text} (with {self.context})"
        )


def _red_flags(value: Iterable[RedFlag]) -> tuple[RedFlag, ...]:
    return tuple(value)


@attrs.frozen
class Caution:
    """Who should not do some of the exercises, or should ask first.

    Args:
        text: The caution in plain words, naming the people it is for and what
            they should do.
        kind: Whether they should leave the exercises out or ask first.
        exercises: The ids of the exercises it concerns; empty when it concerns
            the whole protocol.
        source: The guidance that gives it.

    Example:
        >>> caution = Caution(
        ...     "If you have osteoporosis, leave out the knee-to-chest stretch.",
        ...     CautionKind.AVOID,
        ...     exercises=("knee-to-chest",),
        ... )
        >>> caution.kind.value, caution.exercises
        ('avoid', ('knee-to-chest',))
    """

    text: str = attrs.field(**checks(_check_text))
    kind: CautionKind = attrs.field(**checks(InstanceOf(CautionKind, "a CautionKind")))
    exercises: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=_texts, **checks(Slugs())
    )
    source: Source | None = attrs.field(
        default=None, kw_only=True, **checks(_optional(Source, "a Source"))
    )


def _cautions(value: Iterable[Caution] | None) -> tuple[Caution, ...] | None:
    return None if value is None else tuple(value)


@attrs.frozen(kw_only=True)
class Disclaimer:
    """The safety text that travels with a protocol wherever it goes.

    The model lets any part be empty, so that incomplete data can be loaded and
    checked; :func:`mobility.validate` refuses a protocol without stop rules or
    without advice on when to seek care.

    Args:
        text: The general notice.
        stop_rules: When to stop at once.
        seek_care: When and whom to ask for help.
        red_flags: Signs that need medical care, not exercise.
        source: Where the text comes from.
        cautions: Who should not do the exercises, or should ask first. ``None``
            means nobody has considered it, and :func:`mobility.validate` refuses
            that; an empty tuple states that the sources give no caution.
    """

    text: str = attrs.field(**checks(_check_text))
    stop_rules: tuple[str, ...] = attrs.field(
        default=(), converter=_texts, **checks(_check_texts)
    )
    seek_care: tuple[str, ...] = attrs.field(
        default=(), converter=_texts, **checks(_check_texts)
    )
    red_flags: tuple[RedFlag, ...] = attrs.field(
        default=(),
        converter=_red_flags,
        **checks(EachInstanceOf(RedFlag, "a RedFlag")),
    )
    source: Source | None = attrs.field(
        default=None, **checks(_optional(Source, "a Source"))
    )
    cautions: tuple[Caution, ...] | None = attrs.field(
        default=None,
        converter=_cautions,
        **checks(EachInstanceOf(Caution, "a Caution", optional=True)),
    )


@attrs.frozen(kw_only=True)
class Derivation:
    """What a protocol was adapted from, and what the adaptation changed.

    :func:`mobility.research.variants` records one on every variant, so a variant
    never passes for the protocol it was derived from, and its reports can say
    "adapted from".

    Args:
        base: The id of the protocol it was adapted from.
        changed: The fields set for the adaptation, as JSON paths such as
            ``"$.exercises[0].dose.hold"``.
    """

    base: str = attrs.field(**checks(_check_slug))
    changed: tuple[str, ...] = attrs.field(
        default=(), converter=_texts, **checks(_check_texts)
    )


@attrs.frozen(kw_only=True)
class Protocol:
    """A complete mobility protocol: exercises, how often, and its safety text.

    Args:
        id: A stable slug that names the protocol across datasets.
        name: The name a person reads.
        region: The body region it is for.
        purpose: What it is meant to achieve.
        exercises: The exercises of one session, in order; at least one.
        frequency: How often to do it.
        disclaimer: The safety text. ``None`` is representable so incomplete data
            can be checked; :func:`mobility.validate` refuses it.
        rationale: Why the protocol helps, if stated.
        review: When to take stock and what to do if there is no improvement.
        program_weeks: The planned length of the programme; ``None`` when it is
            open-ended.
        progression: How the dose grows; ``None`` when it does not.
        sources: The references behind the protocol as a whole.
        derived_from: What the protocol was adapted from, for a variant;
            ``None`` for an original.
        audience: Whom it is written for; :func:`mobility.validate` applies
            the limits for this audience unless it is given others.
    """

    id: str = attrs.field(**checks(_check_slug))
    name: str = attrs.field(**checks(_check_text))
    region: Region = attrs.field(**checks(InstanceOf(Region, "a Region")))
    purpose: str = attrs.field(**checks(_check_text))
    exercises: tuple[Exercise, ...] = attrs.field(
        converter=_exercises,
        **checks(
            _check_nonempty, EachInstanceOf(Exercise, "an Exercise"), _check_unique_ids
        ),
    )
    frequency: Frequency = attrs.field(**checks(InstanceOf(Frequency, "a Frequency")))
    disclaimer: Disclaimer | None = attrs.field(
        **checks(_optional(Disclaimer, "a Disclaimer"))
    )
    rationale: str | None = attrs.field(default=None, **checks(_check_optional_text))
    review: Review | None = attrs.field(
        default=None, **checks(_optional(Review, "a Review"))
    )
    program_weeks: int | None = attrs.field(
        default=None, **checks(Count(1, optional=True))
    )
    progression: Progression | None = attrs.field(
        default=None,
        **checks(_optional(Progression, "a Progression")),
    )
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=_sources, **checks(EachInstanceOf(Source, "a Source"))
    )
    derived_from: Derivation | None = attrs.field(
        default=None, **checks(_optional(Derivation, "a Derivation"))
    )
    audience: Audience = attrs.field(
        default=Audience.ADULTS, **checks(InstanceOf(Audience, "an Audience"))
    )

    @disclaimer.validator
    def _check_cautions(
        self, _: attrs.Attribute[Disclaimer | None], disclaimer: Disclaimer | None
    ) -> None:
        # A caution may only name exercises the protocol has.
        if disclaimer is None or not disclaimer.cautions:
            return
        known = {exercise.id for exercise in self.exercises}
        for index, caution in enumerate(disclaimer.cautions):
            for name in caution.exercises:
                if name not in known:
                    fail(
                        self,
                        attrs.fields(Protocol).disclaimer,
                        f"cautions[{index}] names the exercise {name!r}, which "
                        f"the protocol does not have; it has: "
                        + ", ".join(sorted(known)),
                    )

    def exercise(self, exercise_id: str) -> Exercise:
        """Return the exercise with the given id.

        Raises:
            UnknownExerciseError: No exercise has that id. It is both a
                :class:`~mobility.MobilityError` and a :class:`KeyError`.

        Example:
            >>> from mobility import catalog
            >>> protocol = catalog.get("thoracic-open-book")
            >>> protocol.exercise("open-book").name
            'Open book (side-lying thoracic rotation)'
            >>> protocol.exercise("knee-roll")
            Traceback (most recent call last):
            mobility.errors.UnknownExerciseError: ... it has: open-book
        """
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise UnknownExerciseError(
            self.id, str(exercise_id), tuple(e.id for e in self.exercises)
        )

    @property
    def estimated_session_seconds(self) -> Range:
        """Estimated length of one session in seconds, all exercises and sides.

        An estimate: see :func:`~mobility.model.session_seconds`.
        """
        return session_seconds([exercise.dose for exercise in self.exercises])


def session_seconds(doses: Iterable[Dose]) -> Range:
    """Estimated seconds of a session made of ``doses``, end by end.

    The sum of each dose's :attr:`~mobility.Dose.estimated_seconds`; the one
    place a session's length is worked out (the validator's session rule reads it
    for every step of a programme).

    Example:
        >>> one = Dose(side=Side.LEFT, reps=10)
        >>> session_seconds([one, Dose(side=Side.BILATERAL, reps=5, hold=Hold(20))])
        Range(low=175, high=175)
    """
    low: float = 0
    high: float = 0
    for dose in doses:
        seconds = dose.estimated_seconds
        low += seconds.low
        high += seconds.high
    return _derived(low, high)


# --------------------------------------------------------------------------------
# What each field accepts


def constraints(cls: type) -> Mapping[str, str]:
    """What each field of a model class accepts, in words, by field name.

    Read from the checks each field records in its attrs metadata (under the key
    ``"mobility.checks"``): the same objects that run when an object is built and
    that the JSON Schema is generated from, so the three cannot disagree. A field
    that records no check is left out.

    Example:
        >>> constraints(Frequency)["days_per_week"]
        'a whole number from 1 to 7'
        >>> constraints(Hold)["seconds"]
        'a number or a low-high range of numbers above 0, at most 1,000,000'

    Raises:
        TypeError: ``cls`` is not an attrs class.
    """
    given: object = cls  # callers without mypy may pass anything
    if not (isinstance(given, type) and attrs.has(given)):
        msg = f"constraints() expects an attrs class such as Dose, got {cls!r}"
        raise TypeError(msg)
    return MappingProxyType(
        {
            field.name: "; ".join(check.words for check in checks_of(field))
            for field in attrs.fields(cls)
            if checks_of(field)
        }
    )


# --------------------------------------------------------------------------------
# Changing a checked object

_T = TypeVar("_T", bound=attrs.AttrsInstance)


def replace(instance: _T, **changes: object) -> _T:
    """A copy of ``instance`` with ``changes``, built and checked by its constructor.

    This is :func:`attrs.evolve`, with a clearer message for a name that is not
    a field. Every check runs, cross-field ones included; the fields a change
    leaves alone are the same objects in the copy, so an unchanged exercise or
    source is shared, not copied.

    Raises:
        TypeError: A name that is not a field.
        InvalidModelError: A changed value the model refuses, as the
            constructor raises it.

    Example:
        >>> from mobility import catalog
        >>> exercise = catalog.get("thoracic-open-book").exercises[0]
        >>> longer = replace(exercise, dose=replace(exercise.dose, hold=Hold(40)))
        >>> longer.instructions[1].text
        'Hold the stretch for 40 seconds.'
        >>> longer.source is exercise.source
        True
    """
    cls = type(instance)
    names, arguments = _init_arguments(cls)
    if not changes.keys() <= names:
        msg = f"{cls.__name__} has no field {min(changes.keys() - names)!r}"
        raise TypeError(msg)
    return cls(
        **{
            argument: changes[name] if name in changes else getattr(instance, name)
            for name, argument in arguments
        }
    )


@functools.cache
def _init_arguments(cls: type) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    """A class's field names, and each field with the argument that sets it.

    As :func:`attrs.evolve` works them out on every call; a class is done once.
    """
    fields = [field for field in attrs.fields(cls) if field.init]
    return (
        frozenset(field.name for field in fields),
        tuple((field.name, field.alias or field.name) for field in fields),
    )
