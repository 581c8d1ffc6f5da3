"""What a limit bounds: the pieces of one row of :class:`~mobility.SafetyLimits`.

A field of :class:`~mobility.SafetyLimits` declared with
:func:`~mobility.safety.limits.limit_field` is one row: its default
:class:`~mobility.Limit` and evidence, and the quantity of a protocol the limit
bounds (how to read it, where it lives, what it means in words). The validator,
the documentation's tables, the research axes and the safe-protocol strategy
are all made from those rows; :func:`mobility.safety.rules.rules_of` lists them
as :class:`Rule` objects. This module holds the row's parts and the readers the
library's own rows use; its public names are re-exported by
:mod:`mobility.safety.rules`.
"""

from __future__ import annotations

import enum

from typing import TYPE_CHECKING, Any, Final

import attrs

from ..model import Dose, Protocol, Range, session_seconds


if TYPE_CHECKING:
    from collections.abc import Callable

    from .limits import Limit


#: What a rule reads, which is a number, a range, or a (low, high) pair.
Amount = Range | float | tuple[float, float]

#: The key of a limit field's row in its attrs metadata.
ROW: Final = "mobility.rule"

#: Where an exercise lives, as a JSON path; ``{index}`` is its position.
EXERCISE_PATH: Final = "$.exercises[{index}]"
#: Where an exercise's dose lives, as a JSON path.
DOSE_PATH: Final = f"{EXERCISE_PATH}.dose"


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
    """One comparison of a protocol's quantity with a limit: one limit field.

    Rules are not written by hand: :func:`mobility.safety.rules.rules_of` makes
    one from each field that :func:`~mobility.safety.limits.limit_field`
    declares, and the field's name gives ``limit`` and :attr:`code`.

    Args:
        limit: The name of the :class:`~mobility.SafetyLimits` field applied.
        default: That field's default limit.
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

    limit: str
    default: Limit = attrs.field(repr=False)
    scope: Scope
    path: str
    measures: str
    read: Callable[[Any, Protocol], Amount | None] = attrs.field(repr=False, eq=False)
    axis: Axis | None = None

    @property
    def code(self) -> str:
        """The start of every finding's code, which is the limit's name with hyphens.

        A finding adds what was crossed: ``hold-seconds-above-maximum``.
        """
        return self.limit.replace("_", "-")

    @property
    def grows(self) -> bool:
        """Whether a progression can change the quantity over time."""
        return self.scope is not Scope.PROTOCOL


# --------------------------------------------------------------------------------
# How the library's rows read their quantities. Plain functions: the validator
# calls them for every variant of a grid.


def read_hold(dose: Dose, _: Protocol) -> Range | None:
    """Each hold of a dose, if it holds."""
    return None if dose.hold is None else dose.hold.seconds


def read_reps(dose: Dose, _: Protocol) -> Range:
    """Repetitions in one set on one side: half of them when the sides alternate."""
    return dose.reps if dose.side.share == 1 else dose.reps * dose.side.share


def read_sets(dose: Dose, _: Protocol) -> Range:
    """Sets of a dose."""
    return dose.sets


def read_rest(dose: Dose, _: Protocol) -> Range | None:
    """The rest between sets, if the dose gives one."""
    return dose.rest_seconds


def read_stretch(dose: Dose, _: Protocol) -> Range | None:
    """Seconds held on one side in a session, if the dose holds.

    See :attr:`mobility.Dose.stretch_seconds_per_side`.
    """
    return None if dose.hold is None else _stretch(dose)


def read_stretch_per_day(dose: Dose, protocol: Protocol) -> tuple[float, float] | None:
    """Seconds held on one side in a day: a session's, times the sessions."""
    if dose.hold is None:
        return None
    session = _stretch(dose)
    sessions = protocol.frequency.sessions_per_day
    return (session.low * sessions, session.high * sessions)


# The last dose's stretch time: the two stretch rules read the same dose in turn.
_last_stretch: tuple[Dose | None, Range] = (None, Range(0))


def _stretch(dose: Dose) -> Range:
    global _last_stretch  # noqa: PLW0603 - a one-entry cache, as the validator's
    seen, value = _last_stretch  # read once: another thread may replace it
    if seen is not dose:
        value = dose.stretch_seconds_per_side
        _last_stretch = (dose, value)
    return value


def read_session_minutes(doses: tuple[Dose, ...], _: Protocol) -> tuple[float, float]:
    """A session's estimated minutes (:func:`mobility.model.session_seconds`)."""
    seconds = session_seconds(doses)
    return (seconds.low / 60, seconds.high / 60)


def read_sessions_per_day(_: object, protocol: Protocol) -> int:
    """Sessions on a training day."""
    return protocol.frequency.sessions_per_day


def read_days_per_week(_: object, protocol: Protocol) -> int:
    """Training days in a week."""
    return protocol.frequency.days_per_week


def read_review_after_days(_: object, protocol: Protocol) -> int | None:
    """Days until the review, if the protocol has a review point."""
    return None if protocol.review is None else protocol.review.after_days


def read_progression(field: str, _: object, protocol: Protocol) -> float | None:
    """One field of the protocol's progression, if it has one.

    A row binds the field's name: ``functools.partial(read_progression, "reps_step")``.
    """
    progression = protocol.progression
    return None if progression is None else getattr(progression, field)
