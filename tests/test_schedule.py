import datetime as dt

import attrs
import pytest

from hypothesis import given
from hypothesis import strategies as st

from mobility import (
    Frequency,
    InvalidModelError,
    MobilityError,
    Schedule,
    Weekday,
    catalog,
)
from mobility.model.schedule import DAY_SPAN, default_times


LUMBAR = catalog.get("lower-trunk-rotation")
THREE_DAYS = attrs.evolve(LUMBAR, frequency=Frequency(days_per_week=3))
TWICE_A_DAY = attrs.evolve(
    LUMBAR, frequency=Frequency(days_per_week=7, sessions_per_day=2)
)


def make(protocol: object = LUMBAR, **changes: object) -> Schedule:
    """A valid schedule with some fields replaced."""
    fields: dict[str, object] = {"at": dt.time(8), "tz": "Europe/Berlin"}
    fields.update(changes)
    return Schedule(protocol, dt.date(2026, 3, 23), **fields)  # type: ignore[arg-type]


class TestDefaults:
    def test_four_weeks_with_a_reminder(self) -> None:
        """By default a schedule runs 4 weeks with a 15-minute reminder."""
        schedule = make()
        assert schedule.weeks == 4
        assert schedule.alarm == dt.timedelta(minutes=15)
        assert schedule.end == dt.date(2026, 4, 19)
        assert schedule.at == (dt.time(8),)

    def test_days_given_as_codes(self) -> None:
        """Days may be given as RFC 5545 codes."""
        assert make(THREE_DAYS, days=["TU", "TH", "SA"]).days == (
            Weekday.TU,
            Weekday.TH,
            Weekday.SA,
        )

    def test_a_datetime_start_keeps_its_day(self) -> None:
        """A datetime given as the start counts as its date."""
        start = dt.datetime(2026, 3, 23, 18, 45)  # noqa: DTZ001
        schedule = Schedule(LUMBAR, start, at=dt.time(8), tz="UTC")
        assert schedule.start == dt.date(2026, 3, 23)

    def test_sessions_and_review(self) -> None:
        """The schedule lists its sessions and knows its review day."""
        schedule = make(weeks=1)
        sessions = list(schedule.sessions())
        assert len(sessions) == 7
        assert sessions[0].isoformat() == "2026-03-23T08:00:00+01:00"
        assert sessions[-1].isoformat() == "2026-03-29T08:00:00+02:00"
        assert schedule.review_date == dt.date(2026, 4, 6)
        assert schedule.session_minutes == 10

    def test_variants(self) -> None:
        """Schedules are frozen; attrs.evolve makes a changed copy, checked again."""
        schedule = make()
        assert attrs.evolve(schedule, weeks=8).weeks == 8
        with pytest.raises(InvalidModelError, match=r"Schedule.weeks"):
            attrs.evolve(schedule, weeks=0)


class TestMistakes:
    @pytest.mark.parametrize(
        ("protocol", "changes", "message"),
        [
            (
                LUMBAR,
                {"tz": "Europe/Berln"},
                (
                    "Schedule.tz: unknown time zone 'Europe/Berln'; did you mean "
                    "'Europe/Berlin'?"
                ),
            ),
            (LUMBAR, {"tz": "Nowhere"}, "Schedule.tz: unknown time zone 'Nowhere'"),
            (LUMBAR, {"tz": "../../etc/passwd"}, "Schedule.tz: unknown time zone"),
            (LUMBAR, {"tz": ""}, "Schedule.tz: expected an IANA time zone name"),
            (LUMBAR, {"weeks": 0}, "Schedule.weeks: must be between 1 and 520, got 0"),
            (LUMBAR, {"weeks": 521}, "Schedule.weeks: must be between 1 and 520"),
            (
                THREE_DAYS,
                {"days": ["MO", "TU"]},
                "Schedule.days: 2 day(s) given, but the protocol asks for 3 day(s)",
            ),
            (
                THREE_DAYS,
                {"days": ["MO", "MO", "FR"]},
                "Schedule.days: a day is given twice",
            ),
            (
                THREE_DAYS,
                {"days": ["MO", "Wednesday", "FR"]},
                "Schedule.days: item 1: expected one of MO, TU, WE, TH, FR, SA, SU",
            ),
            (
                LUMBAR,
                {"at": [dt.time(8), dt.time(18)]},
                "Schedule.at: 2 time(s) given, but the protocol asks for 1 session(s)",
            ),
            (
                TWICE_A_DAY,
                {"at": [dt.time(8), dt.time(8, 5)]},
                (
                    "Schedule.at: sessions at 08:00 and 08:05 overlap; a session takes "
                    "up to 10 min"
                ),
            ),
            (
                LUMBAR,
                {"at": dt.time(23, 55)},
                "Schedule.at: a session at 23:55 runs past midnight",
            ),
            (
                LUMBAR,
                {"at": dt.time(8, tzinfo=dt.UTC)},
                "Schedule.at: item 0: expected a local time without a time zone",
            ),
            (LUMBAR, {"at": "08:00"}, "Schedule.at: item 0: expected a datetime.time"),
            (
                LUMBAR,
                {"alarm": dt.timedelta(minutes=-5)},
                "Schedule.alarm: expected a lead time from 0 to 1 day, got -5 min",
            ),
            (LUMBAR, {"alarm": 15}, "Schedule.alarm: expected a datetime.timedelta"),
            ("lumbar", {}, "Schedule.protocol: expected a Protocol"),
        ],
    )
    def test_says_which_field(
        self, protocol: object, changes: dict[str, object], message: str
    ) -> None:
        """Each meaningless value is refused with the field and the reason."""
        with pytest.raises(InvalidModelError) as info:
            make(protocol, **changes)
        assert str(info.value).startswith(message)
        assert isinstance(info.value, MobilityError)
        assert isinstance(info.value, ValueError)

    def test_start_must_be_a_date(self) -> None:
        """A start that is not a date is refused."""
        with pytest.raises(InvalidModelError, match=r"Schedule.start: expected a"):
            Schedule(LUMBAR, "2026-03-23", at=dt.time(8), tz="UTC")  # type: ignore[arg-type]


class TestDateRange:
    def test_a_schedule_must_end_before_python_dates_do(self) -> None:
        """A start too late for the schedule, review or time-zone window is refused."""
        protocol = catalog.get("lower-trunk-rotation")
        for start in (dt.date(9999, 12, 25), dt.date(9990, 1, 1)):
            with pytest.raises(InvalidModelError, match="is too late") as info:
                Schedule(protocol, start, at=dt.time(8), tz="UTC")
            assert info.value.field == "start"
        latest = Schedule(protocol, dt.date(9988, 1, 1), at=dt.time(8), tz="UTC")
        assert latest.end.year == 9988

    def test_a_review_past_9999_is_refused(self) -> None:
        """A far review point counts too."""
        protocol = catalog.get("lower-trunk-rotation")
        assert protocol.review is not None
        far = attrs.evolve(
            protocol, review=attrs.evolve(protocol.review, after_days=10**6)
        )
        with pytest.raises(InvalidModelError, match="is too late"):
            Schedule(far, dt.date(7500, 1, 1), at=dt.time(8), tz="UTC")


class TestDefaultTimes:
    """Without `at`, a day's sessions are spread from 08:00 to 20:00."""

    @pytest.mark.parametrize(
        ("sessions", "times"),
        [
            (1, ["08:00"]),
            (2, ["08:00", "20:00"]),
            (3, ["08:00", "14:00", "20:00"]),
            (6, ["08:00", "10:25", "12:50", "15:10", "17:35", "20:00"]),
        ],
    )
    def test_a_schedule_without_times(self, sessions: int, times: list[str]) -> None:
        """One time per session, in order, on five-minute marks."""
        protocol = attrs.evolve(
            catalog.get("lower-trunk-rotation"),
            frequency=Frequency(days_per_week=7, sessions_per_day=sessions),
        )
        schedule = Schedule(protocol, dt.date(2026, 3, 23), tz="UTC")
        assert [t.isoformat("minutes") for t in schedule.at] == times

    @given(st.integers(1, 24))
    def test_any_number_of_sessions(self, sessions: int) -> None:
        """As many times as sessions, distinct, rising, within the day's span."""
        times = default_times(sessions)
        assert len(times) == sessions
        assert list(times) == sorted(set(times))
        assert DAY_SPAN[0] <= times[0]
        assert times[-1] <= DAY_SPAN[1]
