r"""Schedules as iCalendar (RFC 5545) files that calendar apps import.

:func:`~mobility.to_ical` writes one recurring event per daily session (so the file
does not grow with the number of weeks), in the schedule's time zone with its
VTIMEZONE, with the protocol's steps, dose and safety text in each event's
description, a reminder, and an all-day review event at the protocol's review
point. UIDs are stable, so importing a changed schedule again updates the events
instead of duplicating them.

All iCalendar syntax, escaping and line folding is done by the ``icalendar``
package.

Example:
    >>> from datetime import date, datetime, time, timezone
    >>> from mobility import Schedule, catalog, to_ical
    >>> schedule = Schedule(
    ...     catalog.get("lower-trunk-rotation"),
    ...     date(2026, 3, 23),
    ...     at=time(7, 30),
    ...     tz="Europe/Berlin",
    ... )
    >>> data = to_ical(schedule, stamp=datetime(2026, 3, 1, tzinfo=timezone.utc))
    >>> events = data.decode().split("BEGIN:VEVENT")[1]
    >>> print("\n".join(events.splitlines()[2:4]))
    DTSTART;TZID=Europe/Berlin:20260323T073000
    DTEND;TZID=Europe/Berlin:20260323T074000
"""

from __future__ import annotations

import datetime as dt
import uuid

from typing import TYPE_CHECKING, Final

import icalendar

from ..errors import InvalidModelError
from ..model.schedule import CALENDAR_YEARS
from ..safety.validator import validate
from .text import plain, render, safety_section


if TYPE_CHECKING:
    from ..model import Protocol
    from ..model.schedule import Schedule
    from ..safety.limits import SafetyLimits


__all__ = ["to_ical"]

# UIDs are derived from this namespace, the protocol id, the start date and the
# session number, so the same schedule always gets the same UIDs.
_NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "urn:mobility:schedule")

# VTIMEZONE covers a fixed window from the start year (CALENDAR_YEARS, long enough
# for the longest schedule), so its size does not depend on the number of weeks.


def to_ical(
    schedule: Schedule,
    *,
    stamp: dt.datetime | None = None,
    limits: SafetyLimits | None = None,
) -> bytes:
    """Write a schedule as an iCalendar file.

    Args:
        schedule: What to write.
        stamp: The DTSTAMP of every event, an aware datetime; pin it for
            reproducible output. Defaults to now.
        limits: The safety limits the protocol must meet; the adult defaults
            unless given.

    Returns:
        The calendar, as UTF-8 bytes with CRLF line ends.

    Raises:
        UnsafeProtocolError: The protocol fails validation; nothing is written.
        InvalidModelError: ``stamp`` is a naive datetime.
    """
    protocol = schedule.protocol
    report = validate(protocol, limits)
    report.raise_if_unsafe()
    if stamp is None:
        stamp = dt.datetime.now(dt.UTC)
    elif stamp.tzinfo is None:
        msg = "stamp must be an aware datetime, such as one in UTC"
        raise InvalidModelError(msg, field="stamp")
    stamp = stamp.astimezone(dt.UTC).replace(microsecond=0)

    calendar = icalendar.Calendar.new(
        uid=_uid(schedule, "calendar"),
        prodid="-//mobility//mobility schedule//EN",
    )
    calendar.add("calscale", "GREGORIAN")
    # Calendar-level text, added as TEXT values so icalendar escapes commas,
    # semicolons and backslashes in the two non-standard names too (given as
    # plain strings, X-WR-CALNAME and X-WR-CALDESC are written raw, and readers
    # then cut the name at the first comma). Those two also say VALUE=TEXT: RFC
    # 5545 makes TEXT the default for X- properties, but ical.js reads an X-
    # property it does not know without unescaping it unless told. No METHOD:
    # the file is a plain calendar, not an iTIP message, and METHOD:PUBLISH
    # would need an ORGANIZER that libical checks for.
    name = _one_line(protocol.name)
    about = f"Mobility schedule: {name}"
    for key, value in (
        ("name", name),
        ("x-wr-calname", name),
        ("description", about),
        ("x-wr-caldesc", about),
    ):
        text = icalendar.vText(value)
        if key.startswith("x-"):
            text.params["VALUE"] = "TEXT"
        calendar.add(key, text)
    description = _description(protocol)
    for number, when in enumerate(sorted(schedule.at), start=1):
        calendar.add_component(_session(schedule, when, number, description, stamp))
    review = _review(schedule, stamp)
    if review is not None:
        calendar.add_component(review)
    first_year = dt.date(schedule.start.year, 1, 1)
    calendar.add_missing_timezones(
        first_date=first_year,
        last_date=first_year.replace(year=first_year.year + CALENDAR_YEARS),
    )
    for timezone in calendar.walk("VTIMEZONE"):
        _readable_timezone(timezone)
    return bytes(calendar.to_ical())


def _readable_timezone(timezone: icalendar.cal.Component) -> None:
    """Rewrite a VTIMEZONE so that every client reads each transition.

    icalendar writes one STANDARD or DAYLIGHT block per kind of offset, with the
    later transitions as one RDATE of many dates. ical.js (behind Thunderbird)
    reads only the first date of such an RDATE and then ignores DTSTART, so it
    showed summer sessions an hour late. Here the transitions of each kind that
    follow a yearly rule (the last Sunday of March, say) become one block with
    that rule as an RRULE, ending at the window's last transition; any others
    get a block each, with DTSTART only. Every reader understands both, and the
    file stays small. The COMMENT icalendar adds is dropped: RFC 5545 does not
    allow one directly in a VTIMEZONE.
    """
    timezone.pop("COMMENT", None)
    groups: dict[tuple[object, ...], list[dt.datetime]] = {}
    templates: dict[tuple[object, ...], icalendar.cal.Component] = {}
    for block in timezone.subcomponents:
        starts = [block.decoded("DTSTART")]
        rdates = block.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            starts += [period.dt for period in rdate.dts]
        key: tuple[object, ...] = (
            block.name,
            *(
                str(block.get(name))
                for name in ("TZNAME", "TZOFFSETFROM", "TZOFFSETTO")
            ),
        )
        groups.setdefault(key, []).extend(starts)
        templates[key] = block
    blocks: list[icalendar.cal.Component] = []
    for key, starts in groups.items():
        template = templates[key]
        rule = _yearly_rule(sorted(starts))
        for start in [min(starts)] if rule else sorted(starts):
            block = type(template)()
            block.add("dtstart", start)
            for name in ("TZNAME", "TZOFFSETFROM", "TZOFFSETTO"):
                if name in template:
                    block[name] = template[name]
            if rule:
                until = max(starts) - template.decoded("TZOFFSETFROM")
                block.add("rrule", {**rule, "until": until.replace(tzinfo=dt.UTC)})
            blocks.append(block)
    timezone.subcomponents = sorted(blocks, key=lambda b: b.decoded("DTSTART"))


_WEEKDAYS: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _yearly_rule(starts: list[dt.datetime]) -> dict[str, object] | None:
    """The yearly rule that gives exactly these local transition times, if any.

    The times must fall one a year, in the same month, at the same time of day,
    on the same weekday, and either in the same week of the month or in its last
    week (``BYDAY=-1SU``). Otherwise there is no rule, and ``None``.
    """
    if len(starts) < 2 or [s.year for s in starts] != list(
        range(starts[0].year, starts[0].year + len(starts))
    ):
        return None
    first = starts[0]
    if any(
        (s.month, s.time(), s.weekday()) != (first.month, first.time(), first.weekday())
        for s in starts
    ):
        return None
    weeks = {(s.day - 1) // 7 + 1 for s in starts}
    last = all((s + dt.timedelta(days=7)).month != s.month for s in starts)
    if len(weeks) == 1:
        week = weeks.pop()
    elif last:
        week = -1
    else:
        return None
    day = f"{week}{_WEEKDAYS[first.weekday()]}"
    return {"freq": "YEARLY", "bymonth": first.month, "byday": day}


def _session(
    schedule: Schedule,
    when: dt.time,
    number: int,
    description: str,
    stamp: dt.datetime,
) -> icalendar.Event:
    protocol = schedule.protocol
    first = schedule.first_session(when)
    last = dt.datetime.combine(schedule.end, when, tzinfo=schedule.zone)
    event = icalendar.Event.new(
        uid=_uid(schedule, f"session-{number}"),
        stamp=stamp,
        start=first,
        end=first + dt.timedelta(minutes=schedule.session_minutes),
        summary=_one_line(protocol.name),
        description=description,
        categories=["Exercise", "Mobility"],
        transparency=icalendar.enums.TRANSP.OPAQUE,
    )
    event.add(
        "rrule",
        {
            "freq": "WEEKLY",
            "until": last.astimezone(dt.UTC),
            "byday": [day.value for day in schedule.days],
        },
    )
    if schedule.alarm is not None:
        alarm = icalendar.Alarm.new(
            description=f"{_one_line(protocol.name)}: time for your session",
        )
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -schedule.alarm)
        event.add_component(alarm)
    return event


def _review(schedule: Schedule, stamp: dt.datetime) -> icalendar.Event | None:
    protocol = schedule.protocol
    review = protocol.review
    day = schedule.review_date
    if review is None or day is None:
        return None
    safety = plain([safety_section(protocol.disclaimer)], width=None)
    description = _text(f"{review.action}\n\n{safety}").rstrip("\n")
    return icalendar.Event.new(
        uid=_uid(schedule, "review"),
        stamp=stamp,
        start=day,
        end=day + dt.timedelta(days=1),
        summary=f"Review: {_one_line(protocol.name)}",
        description=description,
        categories=["Exercise", "Mobility", "Review"],
        transparency=icalendar.enums.TRANSP.TRANSPARENT,
    )


def _uid(schedule: Schedule, part: str) -> str:
    key = f"{schedule.protocol.id}/{schedule.start.isoformat()}/{part}"
    return f"{uuid.uuid5(_NAMESPACE, key)}@mobility"


def _description(protocol: Protocol) -> str:
    """The whole protocol as text, safety text included, unwrapped."""
    return _text(render(protocol, width=None, heading=False)).rstrip("\n")


def _text(text: str) -> str:
    # iCalendar text has one kind of line break; a bare CR cannot be kept.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _one_line(text: str) -> str:
    return " ".join(text.split())
