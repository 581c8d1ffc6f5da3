"""A session moment by moment: the timed events an app, a voice or a coach walks.

:func:`~mobility.timeline` lays one session of a protocol out as events in order:
get into the start position, move, hold, switch to the other side, rest between
sets, and on to the next exercise. Each event's words are the exercise's own steps,
filled from its dose, and its seconds come from the dose by the same sums as
:attr:`~mobility.Protocol.estimated_session_seconds`, so the events add up to the
session length the protocol states, exactly:

- a repetition moves into each position it holds for
  :data:`~mobility.model.MOVE_SECONDS` (our assumption, as in the estimate), then
  holds it for the dose's hold; a repetition without a hold is one move;
- sets are separated by the dose's rest, when it gives one;
- with :attr:`Side.EACH <mobility.Side.EACH>` every set is done on the first side
  and then on the other, unless the dose says the sides take turns (its
  ``in_turn``): then one repetition on each side, in turn;
- getting into the start position is an event of 0 seconds, which a coach leaves
  to the person (the estimate counts no time for it either).

A dose given as a range ("10-15 s") is laid out at one end of each range: the low
end (the usual place to start) or the high end.

Example:
    >>> from mobility import catalog
    >>> from mobility.model.timeline import timeline
    >>> session = timeline(catalog.get("thoracic-open-book"))
    >>> estimate = catalog.get("thoracic-open-book").estimated_session_seconds
    >>> session.seconds == estimate.low
    True
    >>> for event in session.events[:4]:
    ...     print(event.start, event.moment, event.seconds, event.side)
    0 position 0 None
    0 move 5 first
    5 hold 30 first
    35 move 5 first
    >>> session.events[2].text
    'Hold the stretch for 30 seconds.'
"""

from __future__ import annotations

import enum
import math

from typing import TYPE_CHECKING, Final

import attrs

from .._words import amount, fmt
from . import (
    MOVE_SECONDS,
    Disclaimer,
    Dose,
    Exercise,
    Hold,
    Protocol,
    Range,
    Side,
    replace,
)
from ._checks import (
    Count,
    EachInstanceOf,
    InstanceOf,
    Number,
    Slug,
    Text,
    checks,
    fail,
)
from .steps import Instruction, placeholders


if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator


__all__ = [
    "MAX_EVENTS",
    "DoseEnd",
    "Event",
    "Moment",
    "Timeline",
    "WorkingSide",
    "timeline",
]

#: The most events one timeline holds, as many as any list in a JSON document
#: (``mobility.formats.json``), so every timeline can be written and read back.
#: The catalogue's longest session has 61 at the high end; a dose far beyond any
#: safe one (a million repetitions) is refused rather than laid out.
MAX_EVENTS: Final = 1000


class Moment(enum.StrEnum):
    """What a person is doing during an event."""

    POSITION = "position"
    """Getting into the exercise's start position, untimed (0 seconds)."""
    MOVE = "move"
    """Moving into the position a repetition holds, or doing a repetition that
    has no hold."""
    HOLD = "hold"
    """Holding a position."""
    SWITCH = "switch"
    """The move that starts the other side."""
    REST = "rest"
    """Resting between sets."""


class WorkingSide(enum.StrEnum):
    """Which side an event works.

    A dose for each side, or alternating, works a ``first`` and then the
    ``second`` side: which one comes first is the person's choice unless the
    steps say. A dose for one side only names it.
    """

    FIRST = "first"
    SECOND = "second"
    LEFT = "left"
    RIGHT = "right"


class DoseEnd(enum.StrEnum):
    """Which end of each range in a dose a timeline is laid out at."""

    LOW = "low"
    """The low end, with the fewest repetitions and the shortest hold."""
    HIGH = "high"
    """The high end."""


_check_seconds = Number()


@attrs.frozen(kw_only=True)
class Event:
    """One timed moment of a session.

    Args:
        moment: What the person is doing.
        start: When it starts, in seconds from the start of the session.
        seconds: How long it lasts; 0 for getting into position, which is
            untimed.
        text: What to do, in the exercise's own words, filled from its dose.
        cue: A reminder that goes with it, if the step has one.
        exercise: The id of the exercise it belongs to.
        side: Which side it works; ``None`` for a bilateral dose, for getting
            into position and for a rest.
        set: Which set it belongs to, from 1; ``None`` for getting into position.
        sets: How many sets the side does.
        repetition: Which repetition of the set, from 1; ``None`` for getting
            into position and for a rest.
        repetitions: How many repetitions the set has on this side (for
            alternating repetitions, on both sides together).
    """

    moment: Moment = attrs.field(**checks(InstanceOf(Moment, "a Moment")))
    start: float = attrs.field(**checks(_check_seconds))
    seconds: float = attrs.field(**checks(_check_seconds))
    text: str = attrs.field(**checks(Text()))
    cue: str | None = attrs.field(default=None, **checks(Text(optional=True)))
    exercise: str = attrs.field(**checks(Slug()))
    side: WorkingSide | None = attrs.field(
        default=None, **checks(InstanceOf(WorkingSide, "a WorkingSide", optional=True))
    )
    set: int | None = attrs.field(default=None, **checks(Count(1, optional=True)))
    sets: int | None = attrs.field(default=None, **checks(Count(1, optional=True)))
    repetition: int | None = attrs.field(
        default=None, **checks(Count(1, optional=True))
    )
    repetitions: int | None = attrs.field(
        default=None, **checks(Count(1, optional=True))
    )

    @property
    def end(self) -> float:
        """When it ends, in seconds from the start of the session."""
        return self.start + self.seconds


def _events(value: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Timeline:
    """One session of a protocol as timed events, in order, with its safety text.

    Build one with :func:`timeline`. Each event starts where the one before it
    ends, which is checked when a timeline is built or loaded.

    Args:
        protocol: The id of the protocol.
        name: Its name.
        end: Which end of each range in the doses it is laid out at.
        disclaimer: The protocol's safety text: the stop rules come first
            wherever a timeline is shown.
        events: The events, in order.
    """

    protocol: str = attrs.field(**checks(Slug()))
    name: str = attrs.field(**checks(Text()))
    end: DoseEnd = attrs.field(**checks(InstanceOf(DoseEnd, "a DoseEnd")))
    disclaimer: Disclaimer = attrs.field(
        **checks(InstanceOf(Disclaimer, "a Disclaimer"))
    )
    events: tuple[Event, ...] = attrs.field(
        converter=_events, **checks(EachInstanceOf(Event, "an Event"))
    )

    @events.validator
    def _check_starts(
        self, attribute: attrs.Attribute[tuple[Event, ...]], events: tuple[Event, ...]
    ) -> None:
        if len(events) > MAX_EVENTS:
            fail(self, attribute, f"at most {MAX_EVENTS:,} events, got {len(events):,}")
        ends = 0.0
        for index, event in enumerate(events):
            if not math.isclose(event.start, ends, rel_tol=1e-9, abs_tol=1e-6):
                fail(
                    self,
                    attribute,
                    f"starts at {fmt(event.start)} s, but the event before it ends "
                    f"at {fmt(ends)} s",
                    index,
                )
            ends = event.end

    @property
    def seconds(self) -> float:
        """The length of the session, the sum of its events' seconds."""
        return math.fsum(event.seconds for event in self.events)


def timeline(protocol: Protocol, end: DoseEnd | str = DoseEnd.LOW) -> Timeline:
    """Lay one session of ``protocol`` out as timed events.

    Args:
        protocol: Any protocol; it need not be valid, though a person should only
            be coached through one that :func:`mobility.validate` passes.
        end: Lay each range of a dose out at its ``"low"`` end (the default) or
            its ``"high"`` end. The events then sum to that end of
            :attr:`~mobility.Protocol.estimated_session_seconds`.

    Raises:
        ValueError: The protocol has no disclaimer, ``end`` is neither end, or
            the session would need more than
            :data:`~mobility.model.timeline.MAX_EVENTS` events.
    """
    if protocol.disclaimer is None:
        msg = (
            f"protocol {protocol.id!r} has no disclaimer, and a timeline carries "
            "its safety text; mobility.validate says what it needs"
        )
        raise ValueError(msg)
    try:
        at = DoseEnd(end)
    except ValueError:
        msg = f"end must be 'low' or 'high', got {end!r}"
        raise ValueError(msg) from None
    doses = [_at(exercise.dose, at) for exercise in protocol.exercises]
    count = sum(_event_count(dose) for dose in doses)
    if count > MAX_EVENTS:
        msg = (
            f"a session of {count:,} events is too long to lay out; a timeline holds "
            f"at most {MAX_EVENTS:,}"
        )
        raise ValueError(msg)
    events: list[Event] = []
    clock = _Clock()
    for exercise, dose in zip(protocol.exercises, doses, strict=True):
        events += _exercise_events(exercise, dose, clock)
    return Timeline(
        protocol=protocol.id,
        name=protocol.name,
        end=at,
        disclaimer=protocol.disclaimer,
        events=events,
    )


# --------------------------------------------------------------------------------
# Laying out one exercise


def _at(dose: Dose, end: DoseEnd) -> Dose:
    """The dose with each range narrowed to one end."""

    def pick(amount: Range) -> Range:
        return Range(amount.low if end is DoseEnd.LOW else amount.high)

    hold = dose.hold
    return replace(
        dose,
        reps=pick(dose.reps),
        sets=pick(dose.sets),
        hold=None
        if hold is None
        else Hold(pick(hold.seconds), positions=hold.positions),
        rest_seconds=None if dose.rest_seconds is None else pick(dose.rest_seconds),
    )


def _event_count(dose: Dose) -> int:
    sets, reps = int(dose.sets.low), int(dose.reps.low)
    positions = dose.hold.positions if dose.hold is not None else 1
    per_rep = positions * (2 if dose.hold is not None else 1)
    sides = 1 if dose.side is Side.ALTERNATING else dose.side.sides_worked
    rests = (sets - 1) * (1 if dose.in_turn else sides) if dose.rest_seconds else 0
    return 1 + sides * sets * reps * per_rep + rests


class _Clock:
    """The running time of a session as events are laid out."""

    def __init__(self) -> None:
        self.now = 0.0

    def event(self, seconds: float, **fields: object) -> Event:
        start = self.now
        self.now = start + seconds
        return Event(start=_tidy(start), seconds=_tidy(seconds), **fields)  # type: ignore[arg-type]


def _tidy(value: float) -> float:
    """A whole number of seconds as an int, so that JSON reads ``5``, not ``5.0``."""
    return int(value) if float(value).is_integer() else value


class _Segment:
    """The steps up to and including one that holds: the move, then the hold."""

    __slots__ = ("hold", "lead")

    def __init__(self, lead: list[Instruction], hold: Instruction | None) -> None:
        self.lead = lead
        self.hold = hold


_COUNTS: Final = frozenset({"times", "reps", "sets"})


def _segments(
    exercise: Exercise, dose: Dose
) -> tuple[list[_Segment], list[Instruction]]:
    """The steps of one repetition, split at each step that holds, and the rest.

    A step that counts the dose ("Do this {times}") says how often to repeat the
    others and is not itself a moment; a step about the rest between sets is the
    rest's text. What follows the last hold (bringing the knees back) is
    returned apart, as the start of what comes next.
    """
    segments: list[_Segment] = []
    lead: list[Instruction] = []
    for step in exercise.steps:
        names = set(placeholders(step.text))
        instruction = step.instruction(dose)
        if "hold" in names:
            segments.append(_Segment(lead, instruction))
            lead = []
        elif not names & (_COUNTS | {"rest"}):
            lead.append(instruction)
    return segments, lead


def _rest_text(exercise: Exercise, dose: Dose) -> str:
    for step in exercise.steps:
        names = set(placeholders(step.text))
        if "rest" in names and "hold" not in names:
            return step.instruction(dose).text
    assert dose.rest_seconds is not None  # noqa: S101 - only asked with a rest
    return f"Rest for {amount(dose.rest_seconds, 'second')}."


def _words(instructions: Iterable[Instruction]) -> tuple[str, str | None]:
    """The texts joined, and the cues joined (``None`` when there are none)."""
    instructions = list(instructions)
    text = " ".join(instruction.text for instruction in instructions)
    cues = " ".join(i.cue for i in instructions if i.cue is not None)
    return text, cues or None


_MOVE_TEXT: Final = "Do the movement."
_SWITCH: Final = Instruction("Change to the other side.", None)


class _Round:
    """One repetition on one side, or a rest between sets."""

    __slots__ = ("repetition", "rest", "set", "side")

    def __init__(
        self,
        set_number: int,
        repetition: int | None = None,
        side: WorkingSide | None = None,
        *,
        rest: bool = False,
    ) -> None:
        self.set = set_number
        self.repetition = repetition
        self.side = side
        self.rest = rest


def _rounds(dose: Dose, sets: int, reps: int) -> Iterator[_Round]:
    """The repetitions of one exercise in the order they are done, rests between."""
    rest = dose.rest_seconds is not None
    blocks: tuple[WorkingSide | None, ...] = (None,)
    if dose.side is Side.EACH and not dose.in_turn:
        blocks = (WorkingSide.FIRST, WorkingSide.SECOND)  # every set, side by side
    for block in blocks:
        for set_number in range(1, sets + 1):
            if rest and set_number > 1:
                yield _Round(set_number, rest=True)
            for repetition in range(1, reps + 1):
                for side in _sides(dose.side, repetition, block):
                    yield _Round(set_number, repetition, side)


def _sides(
    side: Side, repetition: int, block: WorkingSide | None
) -> tuple[WorkingSide | None, ...]:
    """The sides one repetition works, in order."""
    if block is not None:
        return (block,)
    if side is Side.EACH:  # in turn: one side, then the other
        return (WorkingSide.FIRST, WorkingSide.SECOND)
    if side is Side.ALTERNATING:
        return (WorkingSide.FIRST if repetition % 2 else WorkingSide.SECOND,)
    return ({Side.LEFT: WorkingSide.LEFT, Side.RIGHT: WorkingSide.RIGHT}.get(side),)


def _segment(
    segments: list[_Segment], position: int, *, second: bool, positions: int
) -> _Segment | None:
    """The steps for one position held, from the second half for a second side."""
    if not segments:
        return None
    return segments[position % len(segments) + (positions if second else 0)]


def _lead(
    segment: _Segment,
    tail: list[Instruction],
    *,
    in_turn: bool,
    second: bool,
    again: bool,
) -> list[Instruction]:
    """The steps that move into the first position a repetition holds.

    ``second`` is a repetition on the second side, ``again`` one that follows
    another in the exercise.
    """
    if in_turn and second and tail:
        return tail  # the steps that lead to the other side
    if again and tail and not in_turn:
        return tail + segment.lead  # come back, then go again
    return segment.lead


def _exercise_events(exercise: Exercise, dose: Dose, clock: _Clock) -> Iterator[Event]:
    sets, reps = int(dose.sets.low), int(dose.reps.low)
    positions = dose.hold.positions if dose.hold is not None else 1
    hold = dose.hold.seconds.low if dose.hold is not None else None
    segments, tail = _segments(exercise, dose)
    # One pass through the steps may describe both sides (two holds for a hold of
    # one position): then the second half of the steps is the second side's.
    halves = dose.in_turn and len(segments) == 2 * positions
    yield clock.event(
        0, moment=Moment.POSITION, text=exercise.position, exercise=exercise.id
    )
    previous: WorkingSide | None = None
    started = False
    for round_ in _rounds(dose, sets, reps):
        common: dict[str, object] = {
            "exercise": exercise.id,
            "set": round_.set,
            "sets": sets,
        }
        if round_.rest:
            assert dose.rest_seconds is not None  # noqa: S101 - rounds rest with one
            yield clock.event(
                dose.rest_seconds.low,
                moment=Moment.REST,
                text=_rest_text(exercise, dose),
                **common,
            )
            continue
        side = round_.side
        common |= {"side": side, "repetition": round_.repetition, "repetitions": reps}
        switch = started and side != previous
        for position in range(positions):
            segment = _segment(
                segments,
                position,
                second=halves and side is WorkingSide.SECOND,
                positions=positions,
            )
            if segment is None:
                lead = tail  # no step holds: the repetition is all of its steps
            elif position == 0 and not halves:
                lead = _lead(
                    segment,
                    tail,
                    in_turn=dose.in_turn,
                    second=side is WorkingSide.SECOND,
                    again=started,
                )
            else:
                lead = segment.lead
            if not lead and segment is not None and segment.hold is not None:
                lead = [segment.hold]  # the hold's own step says how to get there
            if switch and position == 0 and dose.side is Side.EACH and not dose.in_turn:
                # every set done on the first side: come back, change, go again
                after = segment.lead if segment is not None else tail
                lead = [*lead[: len(lead) - len(after)], _SWITCH, *after]
            text, cue = _words(lead)
            yield clock.event(
                MOVE_SECONDS,
                moment=Moment.SWITCH if switch and position == 0 else Moment.MOVE,
                text=text or _MOVE_TEXT,
                cue=cue,
                **common,
            )
            if hold is not None:
                if segment is not None and segment.hold is not None:
                    text, cue = _words([segment.hold])
                else:
                    text, cue = f"Hold for {amount(Range(hold), 'second')}.", None
                yield clock.event(
                    hold, moment=Moment.HOLD, text=text, cue=cue, **common
                )
        previous = side
        started = True
