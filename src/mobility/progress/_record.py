"""What a person did and felt in one session: the record the advice reads."""

from __future__ import annotations

import datetime as dt
import enum

from typing import TYPE_CHECKING, Final

import attrs

from ..errors import InvalidModelError
from ..formats.json import register_kind
from ..model._checks import (
    AwareTime,
    Count,
    EachInstanceOf,
    InstanceOf,
    Slug,
    Text,
    Texts,
    checks,
)


if TYPE_CHECKING:
    from collections.abc import Iterable


__all__ = ["SessionLog", "SessionRecord", "Stiffness"]

# The 0-10 numeric rating scale (NRS) for pain: 0 is no pain, 10 the worst
# imaginable, in whole numbers as the scale is read.
_PAIN: Final = Count(0, 10, optional=True)

# A progression step: no protocol grows for more than a few dozen steps, and
# every quantity is capped far below this anyway.
_STEP: Final = Count(0, 1000, optional=True)


class Stiffness(enum.StrEnum):
    """How the stiffness feels, compared with when the programme started."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


def _fixed_offset(value: object) -> object:
    """An aware datetime with its zone replaced by its UTC offset at that moment.

    The offset is what a document can hold, so a record reads back equal to
    itself; the local date and time, and the moment, are unchanged.
    """
    if isinstance(value, dt.datetime):
        offset = value.utcoffset()
        if offset is not None:
            return value.replace(tzinfo=dt.timezone(offset))
    return value


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):  # one red flag, not a sequence of characters
        return (value,)
    return tuple(value)


@attrs.frozen(kw_only=True)
class SessionRecord:
    """One session of a protocol, done or skipped, and how it felt.

    Args:
        protocol_id: The id of the protocol the session belongs to.
        at: When it was done (or would have been), with its time zone. The zone
            is kept as its UTC offset at that moment.
        done: ``False`` for a planned session that was skipped.
        pain_before: Pain just before the session on the 0-10 numeric rating
            scale; ``None`` when not rated.
        pain_after: Pain just after it; ``None`` when not rated, and always for
            a skipped session.
        stiffness: The stiffness compared with the start of the programme;
            ``None`` when not rated.
        red_flags: Signs the person reports, by a red flag's words or number
            in the protocol's list, or in their own words: every text is kept
            as given, and one that matches no listed red flag is advised on as
            needing a doctor the same day (see
            :func:`mobility.progress.match_red_flag`).
        note: Anything else, in the person's words.
        step: The progression step whose dose was done (0 for the protocol's
            own dose); ``None`` when not said. Advice grows a dose one step past
            the step done, so a log that never says earns one step at most.

    Example:
        >>> import datetime as dt
        >>> record = SessionRecord(
        ...     protocol_id="lower-trunk-rotation",
        ...     at=dt.datetime(2026, 3, 2, 7, 30, tzinfo=dt.timezone.utc),
        ...     pain_before=3,
        ...     pain_after=2,
        ... )
        >>> record.pain_increased
        False
    """

    protocol_id: str = attrs.field(**checks(Slug()))
    at: dt.datetime = attrs.field(converter=_fixed_offset, **checks(AwareTime()))
    done: bool = attrs.field(default=True, **checks(InstanceOf(bool, "a bool")))
    pain_before: int | None = attrs.field(default=None, **checks(_PAIN))
    pain_after: int | None = attrs.field(default=None, **checks(_PAIN))
    stiffness: Stiffness | None = attrs.field(
        default=None, **checks(InstanceOf(Stiffness, "a Stiffness", optional=True))
    )
    red_flags: tuple[str, ...] = attrs.field(
        default=(), converter=_texts, **checks(Texts())
    )
    note: str | None = attrs.field(default=None, **checks(Text(optional=True)))
    step: int | None = attrs.field(default=None, **checks(_STEP))

    def __attrs_post_init__(self) -> None:
        if not self.done and self.pain_after is not None:
            problem = "a skipped session has no pain after it"
            raise InvalidModelError(f"SessionRecord: {problem}", problem=problem)
        try:  # the store keeps the moment in UTC, which must exist too
            self.at.astimezone(dt.UTC)
        except OverflowError:
            problem = f"{self.at.isoformat()} is out of range in UTC"
            raise InvalidModelError(
                f"SessionRecord.at: {problem}", field="at", problem=problem
            ) from None

    @property
    def day(self) -> dt.date:
        """The local date of the session, where the person was."""
        return self.at.date()

    @property
    def pain_increased(self) -> bool:
        """Whether pain after the session was higher than before it."""
        if self.pain_before is None or self.pain_after is None:
            return False
        return self.pain_after > self.pain_before


def _records(value: Iterable[SessionRecord]) -> tuple[SessionRecord, ...]:
    return tuple(value)


@attrs.frozen
class SessionLog:
    """Session records as one document (``kind: "session-log"``).

    Args:
        records: The records, in the order they were given.
    """

    records: tuple[SessionRecord, ...] = attrs.field(
        converter=_records, **checks(EachInstanceOf(SessionRecord, "a SessionRecord"))
    )


register_kind(SessionLog, "session-log", enums=(Stiffness,))
