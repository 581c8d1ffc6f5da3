"""When a person does a protocol: days of the week, times of day, for how long.

A :class:`Schedule` ties a protocol to a calendar: a start date, the local time of
each session, an IANA time zone, the weekdays, and a length in weeks. It checks that
the days and times agree with the protocol's frequency, and it can list every
session it holds. :func:`mobility.to_ical` turns it into an iCalendar file.

Example:
    >>> from datetime import date, time
    >>> from mobility import Schedule, catalog
    >>> schedule = Schedule(
    ...     catalog.get("lower-trunk-rotation"),
    ...     date(2026, 3, 23),
    ...     at=time(7, 30),
    ...     tz="Europe/Berlin",
    ...     weeks=2,
    ... )
    >>> " ".join(schedule.days)  # every day, as the protocol's frequency says
    'MO TU WE TH FR SA SU'
    >>> schedule.end, len(list(schedule.sessions()))
    (datetime.date(2026, 4, 5), 14)
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import math
import zoneinfo

from typing import TYPE_CHECKING, Any, Final

import attrs

from ..errors import InvalidModelError
from . import Frequency, Protocol
from ._checks import Count, InstanceOf, checks, described, fail


if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from ._checks import Attribute


__all__ = [
    "CALENDAR_YEARS",
    "DAY_SPAN",
    "MAX_WEEKS",
    "Schedule",
    "Weekday",
    "default_times",
]

#: The longest schedule, in weeks (ten years).
MAX_WEEKS: Final = 520

#: The years of time-zone rules a calendar file carries from its start year, enough
#: for the longest schedule; a schedule must start this long before the year 9999
#: ends, the last year Python's dates hold.
CALENDAR_YEARS: Final = 11


class Weekday(enum.StrEnum):
    """A day of the week, by its iCalendar (RFC 5545) code."""

    MO = "MO"
    TU = "TU"
    WE = "WE"
    TH = "TH"
    FR = "FR"
    SA = "SA"
    SU = "SU"

    @property
    def weekday(self) -> int:
        """Monday is 0 and Sunday 6, as in :meth:`datetime.date.weekday`."""
        return list(Weekday).index(self)


_W = Weekday
#: The weekdays chosen for a number of days a week when none are given, spread
#: over the week, starting on Monday. The choice is ours, not a source's.
DEFAULT_DAYS: Final[dict[int, tuple[Weekday, ...]]] = {
    1: (_W.MO,),
    2: (_W.MO, _W.TH),
    3: (_W.MO, _W.WE, _W.FR),
    4: (_W.MO, _W.TU, _W.TH, _W.FR),
    5: (_W.MO, _W.TU, _W.WE, _W.TH, _W.FR),
    6: (_W.MO, _W.TU, _W.WE, _W.TH, _W.FR, _W.SA),
    7: tuple(Weekday),
}


def _as_times(value: dt.time | Iterable[dt.time]) -> tuple[dt.time, ...]:
    if isinstance(value, dt.time):
        return (value,)
    return tuple(value)


def _as_days(value: Iterable[Weekday | str]) -> tuple[Weekday, ...]:
    # Accept "MO" as well as Weekday.MO; unknown codes fail in the validator.
    days = []
    for day in value:
        try:
            days.append(Weekday(day))
        except ValueError:
            days.append(day)  # type: ignore[arg-type]
    return tuple(days)


#: The part of the day default session times are spread over, first to last.
#: Our choice, not a source's: a session in the morning, the last in the evening.
DAY_SPAN: Final = (dt.time(8), dt.time(20))


def default_times(sessions: int) -> tuple[dt.time, ...]:
    """Session times spread evenly over :data:`DAY_SPAN`, to the five minutes.

    One session is at 08:00; more run from 08:00 to 20:00 at equal gaps.

    Example:
        >>> [t.isoformat("minutes") for t in default_times(3)]
        ['08:00', '14:00', '20:00']
        >>> [t.isoformat("minutes") for t in default_times(5)]
        ['08:00', '11:00', '14:00', '17:00', '20:00']
    """
    first, last = (t.hour * 60 + t.minute for t in DAY_SPAN)
    if sessions <= 1:
        return (DAY_SPAN[0],)
    gap = (last - first) / (sessions - 1)
    minutes = (round((first + gap * n) / 5) * 5 for n in range(sessions))
    return tuple(dt.time(m // 60, m % 60) for m in minutes)


def _default_times(schedule: Schedule) -> tuple[dt.time, ...]:
    frequency = getattr(schedule.protocol, "frequency", None)
    if not isinstance(frequency, Frequency):
        return (DAY_SPAN[0],)  # not a protocol: its own check reports this
    return default_times(frequency.sessions_per_day)


def _default_days(schedule: Schedule) -> tuple[Weekday, ...]:
    frequency = getattr(schedule.protocol, "frequency", None)
    if not isinstance(frequency, Frequency):
        return ()  # not a protocol: its own check reports this, and runs first
    return DEFAULT_DAYS[frequency.days_per_week]


@described("an IANA time zone name, such as Europe/Berlin")
def _check_zone(instance: Schedule, attribute: Attribute, value: Any) -> None:
    if not isinstance(value, str) or not value:
        fail(instance, attribute, f"expected an IANA time zone name, got {value!r}")
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        import difflib  # noqa: PLC0415 - only needed on the error path

        close = difflib.get_close_matches(
            value, zoneinfo.available_timezones(), n=1, cutoff=0.7
        )
        hint = f"; did you mean {close[0]!r}?" if close else ""
        fail(instance, attribute, f"unknown time zone {value!r}{hint}")


@described("weekdays, each once, as many as the protocol's training days a week")
def _check_days(instance: Schedule, attribute: Attribute, value: Any) -> None:
    for index, day in enumerate(value):
        if not isinstance(day, Weekday):
            codes = ", ".join(d.value for d in Weekday)
            fail(instance, attribute, f"expected one of {codes}, got {day!r}", index)
    if len(set(value)) != len(value):
        fail(instance, attribute, "a day is given twice")
    wanted = instance.protocol.frequency.days_per_week
    if len(value) != wanted:
        fail(
            instance,
            attribute,
            f"{len(value)} day(s) given, but the protocol asks for {wanted} "
            "day(s) a week",
        )


@described("local times of day without a zone, one for each session of a day")
def _check_times(instance: Schedule, attribute: Attribute, value: Any) -> None:
    for index, when in enumerate(value):
        if not isinstance(when, dt.time):
            fail(instance, attribute, f"expected a datetime.time, got {when!r}", index)
        if when.tzinfo is not None:
            fail(
                instance,
                attribute,
                "expected a local time without a time zone (give the zone as tz)",
                index,
            )
    wanted = instance.protocol.frequency.sessions_per_day
    if len(value) != wanted:
        fail(
            instance,
            attribute,
            f"{len(value)} time(s) given, but the protocol asks for {wanted} "
            "session(s) a day",
        )
    minutes = instance.session_minutes
    ordered = sorted(value)
    for earlier, later in itertools.pairwise(ordered):
        gap = _minutes(later) - _minutes(earlier)
        if gap < minutes:
            fail(
                instance,
                attribute,
                f"sessions at {earlier:%H:%M} and {later:%H:%M} overlap; a session "
                f"takes up to {minutes} min",
            )
    if _minutes(ordered[-1]) + minutes > 24 * 60:
        fail(
            instance, attribute, f"a session at {ordered[-1]:%H:%M} runs past midnight"
        )


def _minutes(when: dt.time) -> int:
    return when.hour * 60 + when.minute


@described("a lead time from 0 to 1 day, or None")
def _check_alarm(instance: Schedule, attribute: Attribute, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, dt.timedelta):
        fail(
            instance, attribute, f"expected a datetime.timedelta or None, got {value!r}"
        )
    if value < dt.timedelta(0) or value > dt.timedelta(days=1):
        minutes = f"{value.total_seconds() / 60:g} min"
        fail(
            instance, attribute, f"expected a lead time from 0 to 1 day, got {minutes}"
        )


def _as_date(value: dt.date) -> dt.date:
    # A datetime is a date too; keep only its day.
    return value.date() if isinstance(value, dt.datetime) else value


@attrs.frozen
class Schedule:
    """A protocol placed in a calendar.

    Args:
        protocol: What to do.
        start: The first day of the schedule.
        at: The local time of each session of a day: one ``datetime.time``, or as
            many as the protocol has sessions a day; by default spread over the
            day (see :func:`~mobility.model.schedule.default_times`).
        tz: The IANA time zone of ``at``, such as ``"Europe/Berlin"``.
        weeks: How many weeks the schedule runs, 1 to 520.
        days: The weekdays with sessions; by default spread over the week to match
            the protocol's days a week (see ``DEFAULT_DAYS``).
        alarm: How long before each session to remind; ``None`` for no reminder.

    Raises:
        InvalidModelError: A value is meaningless or contradicts the protocol's
            frequency; the message names the field.
    """

    protocol: Protocol = attrs.field(**checks(InstanceOf(Protocol, "a Protocol")))
    start: dt.date = attrs.field(
        converter=_as_date, **checks(InstanceOf(dt.date, "a datetime.date"))
    )
    at: tuple[dt.time, ...] = attrs.field(
        kw_only=True,
        default=attrs.Factory(_default_times, takes_self=True),
        converter=_as_times,
        **checks(_check_times),
    )
    tz: str = attrs.field(kw_only=True, **checks(_check_zone))
    weeks: int = attrs.field(kw_only=True, default=4, **checks(Count(1, MAX_WEEKS)))
    days: tuple[Weekday, ...] = attrs.field(
        kw_only=True,
        default=attrs.Factory(_default_days, takes_self=True),
        converter=_as_days,
        **checks(_check_days),
    )
    alarm: dt.timedelta | None = attrs.field(
        kw_only=True, default=dt.timedelta(minutes=15), **checks(_check_alarm)
    )

    def __attrs_post_init__(self) -> None:
        # Every date the schedule and its calendar file need must exist.
        try:
            fits = (
                self.start.year + CALENDAR_YEARS <= dt.MAXYEAR
                and self.end <= dt.date.max
                and (self.review_date is None or self.review_date <= dt.date.max)
            )
        except OverflowError:
            fits = False
        if not fits:
            problem = (
                f"{self.start.isoformat()} is too late: the schedule, its review and "
                f"{CALENDAR_YEARS} years of time-zone rules must end by "
                f"{dt.MAXYEAR}-12-31"
            )
            raise InvalidModelError(
                f"Schedule.start: {problem}", field="start", problem=problem
            )

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The time zone."""
        return zoneinfo.ZoneInfo(self.tz)

    @property
    def end(self) -> dt.date:
        """The last day of the schedule."""
        return self.start + dt.timedelta(weeks=self.weeks, days=-1)

    @property
    def session_minutes(self) -> int:
        """How long a calendar entry lasts, in whole minutes (at least 1).

        The longest of the protocol's session estimates, rounded up.
        """
        return max(1, math.ceil(self.protocol.estimated_session_seconds.high / 60))

    @property
    def review_date(self) -> dt.date | None:
        """The day to take stock, from the protocol's review point, if it has one."""
        review = self.protocol.review
        if review is None:
            return None
        return self.start + dt.timedelta(days=review.after_days)

    def sessions(self) -> Iterator[dt.datetime]:
        """Every session's start, as an aware local datetime, in order."""
        zone = self.zone
        weekdays = {day.weekday for day in self.days}
        times = sorted(self.at)
        day = self.start
        while day <= self.end:
            if day.weekday() in weekdays:
                for when in times:
                    yield dt.datetime.combine(day, when, tzinfo=zone)
            day += dt.timedelta(days=1)

    def first_session(self, when: dt.time) -> dt.datetime:
        """The first session at a given time of day."""
        weekdays = {day.weekday for day in self.days}
        day = self.start
        while day.weekday() not in weekdays:
            day += dt.timedelta(days=1)
        return dt.datetime.combine(day, when, tzinfo=self.zone)
