import datetime as dt
import zoneinfo

import attrs
import icalendar
import pytest
import recurring_ical_events
import vobject

from hypothesis import given, settings
from hypothesis import strategies as st

from mobility import (
    Frequency,
    Hold,
    InvalidModelError,
    Protocol,
    SafetyLimits,
    Schedule,
    Step,
    UnsafeProtocolError,
    Weekday,
    catalog,
    to_ical,
)
from mobility.formats.ical import _yearly_rule
from mobility.model.schedule import CALENDAR_YEARS, DEFAULT_DAYS
from mobility.research.strategies import safe_protocols


LUMBAR = catalog.get("lower-trunk-rotation")
STAMP = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def export(schedule: Schedule) -> icalendar.Calendar:
    """Write a schedule with a pinned stamp and parse it back."""
    return icalendar.Calendar.from_ical(to_ical(schedule, stamp=STAMP))


def sessions_in(calendar: icalendar.Calendar, schedule: Schedule) -> list[dt.datetime]:
    """Every session start, expanded by recurring-ical-events (not by us)."""
    events = recurring_ical_events.of(calendar).between(
        schedule.start, schedule.end + dt.timedelta(days=1)
    )
    starts = [
        event.start for event in events if "Review" not in event.get("CATEGORIES").cats
    ]
    return sorted(starts)


def expected_sessions(schedule: Schedule) -> list[dt.datetime]:
    """Sessions worked out by hand: each listed weekday, at each time, locally."""
    zone = zoneinfo.ZoneInfo(schedule.tz)
    weekdays = {day.weekday for day in schedule.days}
    found = []
    for offset in range(schedule.weeks * 7):
        day = schedule.start + dt.timedelta(days=offset)
        if day.weekday() in weekdays:
            found += [dt.datetime.combine(day, at, tzinfo=zone) for at in schedule.at]
    return sorted(found)


def berlin(weeks: int = 4, **changes: object) -> Schedule:
    """The lumbar protocol at 07:30 in Berlin, from Monday 23 March 2026."""
    fields: dict[str, object] = {"at": dt.time(7, 30), "tz": "Europe/Berlin"}
    fields.update(changes)
    return Schedule(LUMBAR, dt.date(2026, 3, 23), weeks=weeks, **fields)  # type: ignore[arg-type]


def with_sessions(protocol: Protocol, days: int, per_day: int) -> Protocol:
    """A protocol with another frequency."""
    frequency = Frequency(days_per_week=days, sessions_per_day=per_day)
    return attrs.evolve(protocol, frequency=frequency)


class TestRecurrence:
    def test_dates_and_times_across_daylight_saving(self) -> None:
        """Berlin moves its clocks on 29 March 2026; sessions stay at 07:30."""
        schedule = berlin(weeks=2)
        starts = sessions_in(export(schedule), schedule)
        assert starts == expected_sessions(schedule)
        assert len(starts) == 14
        assert {start.time() for start in starts} == {dt.time(7, 30)}
        utc_hours = [start.astimezone(dt.UTC).hour for start in starts]
        # Clocks go forward at 02:00 on Sunday the 29th, before that day's session.
        assert utc_hours[:6] == [6] * 6  # CET, UTC+1, Monday 23 to Saturday 28
        assert utc_hours[6:] == [5] * 8  # CEST, UTC+2, from Sunday 29

    def test_autumn_in_new_york(self) -> None:
        """Clocks go back on 1 November 2026 in New York; sessions stay at 18:00."""
        protocol = with_sessions(LUMBAR, 3, 1)
        schedule = Schedule(
            protocol,
            dt.date(2026, 10, 26),
            at=dt.time(18),
            tz="America/New_York",
            weeks=2,
        )
        starts = sessions_in(export(schedule), schedule)
        assert starts == expected_sessions(schedule)
        assert [start.date().isoformat() for start in starts] == [
            "2026-10-26",
            "2026-10-28",
            "2026-10-30",
            "2026-11-02",
            "2026-11-04",
            "2026-11-06",
        ]
        assert {start.astimezone(dt.UTC).hour for start in starts[:3]} == {22}
        assert {start.astimezone(dt.UTC).hour for start in starts[3:]} == {23}

    def test_start_on_a_day_without_a_session(self) -> None:
        """A start mid-week begins at the first listed day on or after it."""
        protocol = with_sessions(LUMBAR, 2, 1)
        schedule = Schedule(protocol, dt.date(2026, 3, 24), at=dt.time(8), tz="UTC")
        starts = sessions_in(export(schedule), schedule)
        assert starts[0].date() == dt.date(2026, 3, 26)  # the Thursday
        assert starts == expected_sessions(schedule)

    def test_two_sessions_a_day(self) -> None:
        """Each daily session is its own series with its own UID."""
        protocol = with_sessions(LUMBAR, 7, 2)
        schedule = Schedule(
            protocol,
            dt.date(2026, 3, 23),
            at=[dt.time(18), dt.time(7)],
            tz="Europe/Berlin",
            weeks=1,
        )
        calendar = export(schedule)
        series = [e for e in calendar.events if "RRULE" in e]
        assert len(series) == 2
        assert len({str(e["UID"]) for e in calendar.events}) == len(calendar.events)
        assert sessions_in(calendar, schedule) == expected_sessions(schedule)

    @settings(max_examples=60)
    @given(
        start=st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)),
        weeks=st.integers(1, 60),
        tz=st.sampled_from(
            [
                "UTC",
                "Europe/Berlin",
                "America/New_York",
                "Australia/Sydney",
                "Asia/Kolkata",
                "America/St_Johns",
                "Pacific/Chatham",
            ]
        ),
        at=st.times(dt.time(5), dt.time(21, 59)).map(
            lambda t: t.replace(second=0, microsecond=0)
        ),
        data=st.data(),
    )
    def test_any_schedule(
        self, start: dt.date, weeks: int, tz: str, at: dt.time, data: st.DataObject
    ) -> None:
        """Whatever the zone, start, length and days, the file holds the sessions."""
        days_per_week = data.draw(st.integers(1, 7))
        days = data.draw(
            st.lists(
                st.sampled_from(Weekday),
                min_size=days_per_week,
                max_size=days_per_week,
                unique=True,
            )
        )
        protocol = with_sessions(LUMBAR, days_per_week, 1)
        schedule = Schedule(protocol, start, at=at, tz=tz, weeks=weeks, days=days)
        calendar = export(schedule)
        assert sessions_in(calendar, schedule) == expected_sessions(schedule)
        assert sessions_in(calendar, schedule) == list(schedule.sessions())


class TestContent:
    def test_one_series_and_a_review(self) -> None:
        """A recurring session event and an all-day review event, nothing else."""
        calendar = export(berlin())
        assert [c.name for c in calendar.walk()] == [
            "VCALENDAR",
            "VTIMEZONE",
            "STANDARD",
            "DAYLIGHT",
            "STANDARD",
            "VEVENT",
            "VALARM",
            "VEVENT",
        ]
        (zone,) = calendar.walk("VTIMEZONE")
        assert "COMMENT" not in zone
        assert all("RDATE" not in block for block in zone.subcomponents)
        # Europe's changes follow a yearly rule over the whole window.
        rules = [str(b["RRULE"].to_ical(), "ascii") for b in zone.subcomponents[1:]]
        last = dt.date(2026 + CALENDAR_YEARS - 1, 1, 1).year
        assert rules == [
            f"FREQ=YEARLY;UNTIL={last}0330T020000Z;BYDAY=-1SU;BYMONTH=3",
            f"FREQ=YEARLY;UNTIL={last}1026T010000Z;BYDAY=-1SU;BYMONTH=10",
        ]
        assert "METHOD" not in calendar
        assert calendar["VERSION"] == "2.0"
        assert calendar["PRODID"] == "-//mobility//mobility schedule//EN"

    def test_rule_keeps_recurrence_and_starts_with_freq(self) -> None:
        """The rule is written once, FREQ first, and ends in UTC as RFC 5545 asks."""
        text = to_ical(berlin(), stamp=STAMP).decode()
        events = text[text.index("BEGIN:VEVENT") :]
        rules = [line for line in events.splitlines() if line.startswith("RRULE")]
        assert rules == [
            "RRULE:FREQ=WEEKLY;UNTIL=20260419T053000Z;BYDAY=MO,TU,WE,TH,FR,SA,SU"
        ]

    def test_local_time_with_its_zone(self) -> None:
        """DTSTART and DTEND are local times with a TZID that has a VTIMEZONE."""
        calendar = export(berlin())
        session = calendar.events[0]
        assert session["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert session.start == dt.datetime(
            2026, 3, 23, 7, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")
        )
        assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Berlin"]
        assert calendar.get_missing_tzids() == set()

    def test_session_length_comes_from_the_estimate(self) -> None:
        """DTEND is DTSTART plus the longest session estimate, in minutes."""
        session = export(berlin()).events[0]
        assert session.end - session.start == dt.timedelta(minutes=10)
        assert LUMBAR.estimated_session_seconds.high == 600

    def test_description_has_the_protocol_and_its_safety_text(self) -> None:
        """Steps, dose per side, disclaimer, stop rule and when to seek care."""
        session = export(berlin()).events[0]
        description = str(session["DESCRIPTION"])
        assert session["SUMMARY"] == "Lower trunk rotation"
        disclaimer = LUMBAR.disclaimer
        assert disclaimer is not None
        for text in (
            *(step.text for step in LUMBAR.exercises[0].instructions),
            "hold 10-15 s; 10-15 times on each side",
            disclaimer.text,
            *disclaimer.stop_rules,
            *disclaimer.seek_care,
            *(flag.text for flag in disclaimer.red_flags),
        ):
            assert text in description

    def test_review_event(self) -> None:
        """An all-day event at the review point says whom to contact."""
        review = export(berlin()).events[1]
        assert review.start == dt.date(2026, 4, 6)  # 14 days after the start
        assert review.end == dt.date(2026, 4, 7)
        assert review["SUMMARY"] == "Review: Lower trunk rotation"
        description = str(review["DESCRIPTION"])
        assert LUMBAR.review is not None
        assert description.startswith(LUMBAR.review.action)
        assert "Stop at once if your pain increases" in description
        assert "primary-care physician" in description

    def test_no_review_without_a_review_point(self) -> None:
        """A protocol without a review point gets no review event."""
        protocol = attrs.evolve(LUMBAR, review=None, program_weeks=2)
        schedule = Schedule(protocol, dt.date(2026, 3, 23), at=dt.time(8), tz="UTC")
        assert [e["SUMMARY"] for e in export(schedule).events] == [
            "Lower trunk rotation"
        ]

    def test_alarm(self) -> None:
        """A reminder before each session; its lead time can be set or switched off."""
        alarm = export(berlin()).events[0].subcomponents[0]
        assert alarm["ACTION"] == "DISPLAY"
        assert alarm["TRIGGER"].dt == -dt.timedelta(minutes=15)
        longer = export(berlin(alarm=dt.timedelta(hours=1))).events[0]
        assert longer.subcomponents[0]["TRIGGER"].dt == -dt.timedelta(hours=1)
        silent = export(berlin(alarm=None)).events[0]
        assert silent.subcomponents == []

    def test_utc_needs_no_vtimezone(self) -> None:
        """Times in UTC are written as such, with no VTIMEZONE."""
        text = to_ical(berlin(tz="UTC"), stamp=STAMP).decode()
        assert "DTSTART:20260323T073000Z" in text
        assert "BEGIN:VTIMEZONE" not in text


class TestStability:
    def test_same_schedule_same_bytes(self) -> None:
        """With DTSTAMP pinned, the output is reproducible byte for byte."""
        assert to_ical(berlin(), stamp=STAMP) == to_ical(berlin(), stamp=STAMP)

    def test_uids_survive_changes_to_time_and_length(self) -> None:
        """Re-importing an edited schedule updates its events: the UIDs stay."""
        first = {str(e["UID"]) for e in export(berlin()).events}
        edited = {str(e["UID"]) for e in export(berlin(weeks=8, at=dt.time(19))).events}
        assert first == edited
        other = Schedule(LUMBAR, dt.date(2026, 4, 6), at=dt.time(7, 30), tz="UTC")
        assert first.isdisjoint(str(e["UID"]) for e in export(other).events)

    def test_stamp_defaults_to_now(self) -> None:
        """Without a pinned stamp, DTSTAMP is the time of export."""
        before = dt.datetime.now(dt.UTC).replace(microsecond=0)
        stamp = icalendar.Calendar.from_ical(to_ical(berlin())).events[0]["DTSTAMP"].dt
        assert before <= stamp <= dt.datetime.now(dt.UTC)

    def test_naive_stamp(self) -> None:
        """A stamp without a zone is ambiguous and refused."""
        with pytest.raises(InvalidModelError, match="aware datetime"):
            to_ical(berlin(), stamp=dt.datetime(2026, 3, 1))  # noqa: DTZ001

    def test_size_does_not_grow_with_weeks(self) -> None:
        """A year of sessions takes no more room than a month."""
        assert len(to_ical(berlin(weeks=52), stamp=STAMP)) == len(
            to_ical(berlin(weeks=4), stamp=STAMP)
        )
        assert len(to_ical(berlin(weeks=520), stamp=STAMP)) == len(
            to_ical(berlin(weeks=1), stamp=STAMP)
        )


# Line breaks as text may hold them: a carriage return is a control character the
# model refuses (see TestNoControlCharacters).
EVIL = "Knees, hips; back\\slash — Ünïcödé 膝\nBEGIN:VEVENT\nSUMMARY:forged\nEND:VEVENT"


class TestHostileText:
    def evil_protocol(self) -> Protocol:
        """The lumbar protocol with iCalendar syntax hidden in its text."""
        exercise = LUMBAR.exercises[0]
        return attrs.evolve(
            LUMBAR,
            name=f"Rotation {EVIL}",
            exercises=[attrs.evolve(exercise, steps=[Step(EVIL), *exercise.steps])],
        )

    def test_text_never_becomes_syntax(self) -> None:
        """Commas, semicolons, backslashes, line breaks and BEGIN: stay text."""
        schedule = Schedule(
            self.evil_protocol(), dt.date(2026, 3, 23), at=dt.time(8), tz="UTC"
        )
        data = to_ical(schedule, stamp=STAMP)
        calendar = icalendar.Calendar.from_ical(data)
        assert len(calendar.events) == 2
        assert [c.name for c in calendar.walk("VEVENT")] == ["VEVENT", "VEVENT"]
        normalized = EVIL.replace("\r\n", "\n")
        session = calendar.events[0]
        assert str(session["SUMMARY"]) == "Rotation " + " ".join(EVIL.split())
        assert f"1) {normalized}" in str(session["DESCRIPTION"])
        assert b"\r\nBEGIN:VEVENT\r\nSUMMARY:forged" not in data
        assert b"\nBEGIN:VEVENT\nSUMMARY:forged" not in data

    def test_second_parser_agrees(self) -> None:
        """vobject, an independent parser, reads the same events and text."""
        schedule = Schedule(
            self.evil_protocol(), dt.date(2026, 3, 23), at=dt.time(8), tz="UTC"
        )
        parsed = vobject.readOne(to_ical(schedule, stamp=STAMP).decode())
        events = parsed.vevent_list
        assert len(events) == 2
        assert events[0].summary.value == "Rotation " + " ".join(EVIL.split())
        assert EVIL.replace("\r\n", "\n") in events[0].description.value

    def test_vobject_reads_zones_and_rules(self) -> None:
        """Vobject expands the rule in the VTIMEZONE's zone to the same sessions."""
        schedule = berlin(weeks=2)
        parsed = vobject.readOne(to_ical(schedule, stamp=STAMP).decode())
        starts = list(parsed.vevent_list[0].getrruleset())
        assert [s.isoformat() for s in starts] == [
            s.isoformat() for s in expected_sessions(schedule)
        ]


class TestSafety:
    def test_unsafe_protocols_are_not_exported(self) -> None:
        """A protocol that fails validation raises and writes nothing."""
        exercise = LUMBAR.exercises[0]
        unsafe = attrs.evolve(
            LUMBAR,
            exercises=[
                attrs.evolve(exercise, dose=attrs.evolve(exercise.dose, hold=Hold(90)))
            ],
        )
        schedule = Schedule(unsafe, dt.date(2026, 3, 23), at=dt.time(8), tz="UTC")
        with pytest.raises(UnsafeProtocolError) as info:
            to_ical(schedule)
        assert "hold-seconds-above-maximum" in str(info.value)

    def test_limits_can_be_chosen(self) -> None:
        """The export applies the limits it is given."""
        schedule = berlin()
        to_ical(schedule, limits=SafetyLimits.older_adults())  # warnings only
        strict = attrs.evolve(
            SafetyLimits(),
            hold_seconds=attrs.evolve(
                SafetyLimits().hold_seconds,
                maximum=attrs.evolve(SafetyLimits().hold_seconds.maximum, value=12),
                typical_high=None,
            ),
        )
        with pytest.raises(UnsafeProtocolError):
            to_ical(schedule, limits=strict)


class TestDefaultDays:
    @pytest.mark.parametrize("days_per_week", range(1, 8))
    def test_days_follow_the_frequency(self, days_per_week: int) -> None:
        """Without days, the schedule spreads the protocol's days over the week."""
        protocol = with_sessions(LUMBAR, days_per_week, 1)
        schedule = Schedule(protocol, dt.date(2026, 3, 23), at=dt.time(8), tz="UTC")
        assert schedule.days == DEFAULT_DAYS[days_per_week]
        assert len(schedule.days) == days_per_week


class TestNoControlCharacters:
    @settings(max_examples=50)
    @given(safe_protocols())
    def test_files_hold_no_raw_control_character(self, protocol: Protocol) -> None:
        """RFC 5545 forbids control characters other than tab in content lines."""
        times = [dt.time(6 + n) for n in range(protocol.frequency.sessions_per_day)]
        schedule = Schedule(protocol, dt.date(2026, 3, 23), at=times, tz="UTC")
        for line in to_ical(schedule, stamp=STAMP).split(b"\r\n"):
            assert not any(
                (byte < 0x20 and byte != 0x09) or byte == 0x7F for byte in line
            )

    @pytest.mark.parametrize("control", ["\r", "\x07", "\x1b", "\x85"])
    def test_text_with_one_cannot_be_built(self, control: str) -> None:
        """So no protocol can carry one into a calendar."""
        with pytest.raises(InvalidModelError, match="control character"):
            Step(f"Lie down.{control}")


def wall(*parts: int) -> dt.datetime:
    """A local wall-clock time, as a VTIMEZONE writes its changes."""
    return dt.datetime(*parts)  # noqa: DTZ001 - local on purpose


class TestTimeZoneRules:
    def test_irregular_changes_get_a_block_each(self) -> None:
        """Casablanca's changes follow Ramadan, not a yearly rule: a block each."""
        schedule = berlin(weeks=52, tz="Africa/Casablanca")
        calendar = export(schedule)
        (zone,) = calendar.walk("VTIMEZONE")
        blocks = zone.subcomponents
        assert len(blocks) > 3
        assert all("RRULE" not in block and "RDATE" not in block for block in blocks)
        assert sessions_in(calendar, schedule) == expected_sessions(schedule)

    @pytest.mark.parametrize(
        ("starts", "rule"),
        [
            ([wall(2026 + n, 3, d, 2) for n, d in enumerate((29, 28, 26))],
             {"freq": "YEARLY", "bymonth": 3, "byday": "-1SU"}),
            ([wall(2026, 3, 8, 2), wall(2027, 3, 14, 2)],
             {"freq": "YEARLY", "bymonth": 3, "byday": "2SU"}),
            ([wall(2026, 3, 8, 2)], None),  # one change: no rule
            ([wall(2026, 3, 8, 2), wall(2028, 3, 12, 2)], None),  # gap
            ([wall(2026, 3, 8, 2), wall(2027, 3, 14, 3)], None),  # time
            ([wall(2026, 3, 1, 2), wall(2027, 3, 14, 2)], None),  # week
        ],
    )  # fmt: skip
    def test_yearly_rule(
        self, starts: list[dt.datetime], rule: dict[str, object] | None
    ) -> None:
        """A rule only when every change falls on it, one a year."""
        assert _yearly_rule(starts) == rule
