"""Session records, the advice rules, the session-log format and the store."""

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys

from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest

from hypothesis import given
from hypothesis import strategies as st

from mobility import (
    FormatError,
    InvalidModelError,
    Protocol,
    UnsafeProtocolError,
    catalog,
    from_dict,
    from_json,
    json_schema,
    to_dict,
    to_json,
    validate,
)
from mobility.progress import (
    Action,
    Adherence,
    RecordError,
    SessionLog,
    SessionRecord,
    Stiffness,
    Store,
    StoreError,
    advise,
    default_path,
    match_red_flag,
)
from mobility.progress import _store as store_module


LUMBAR = catalog.get("lower-trunk-rotation")
GROWING = catalog.get("nhs-inform-back-exercises")  # the one with a progression
BERLIN_WINTER = dt.timezone(dt.timedelta(hours=1))
START = dt.date(2026, 3, 2)


def at(day: int, hour: int = 8, tz: dt.tzinfo = BERLIN_WINTER) -> dt.datetime:
    """A moment ``day`` days after START."""
    date = START + dt.timedelta(days=day)
    return dt.datetime(date.year, date.month, date.day, hour, tzinfo=tz)


def record(day: int, protocol: Protocol = LUMBAR, **fields: Any) -> SessionRecord:
    """A record of ``protocol`` on day ``day`` at 08:00, Berlin winter time."""
    return SessionRecord(protocol_id=protocol.id, at=at(day), **fields)


def today(day: int) -> dt.date:
    """The date ``day`` days after START."""
    return START + dt.timedelta(days=day)


class TestSessionRecord:
    def test_a_naive_time_is_refused(self) -> None:
        """A time without a zone is a different moment everywhere."""
        with pytest.raises(
            InvalidModelError, match=r"SessionRecord\.at: .*no time zone"
        ):
            SessionRecord(protocol_id=LUMBAR.id, at=dt.datetime(2026, 3, 2, 8))  # noqa: DTZ001

    @pytest.mark.parametrize("pain", [-1, 11, 2.5, True, "3"])
    def test_pain_is_a_whole_number_from_0_to_10(self, pain: object) -> None:
        """The 0-10 numeric rating scale, whole numbers only."""
        with pytest.raises(InvalidModelError, match="pain_before"):
            record(0, pain_before=pain)

    def test_a_skipped_session_has_no_pain_after_it(self) -> None:
        """Pain before a skipped session may be why it was skipped; after, none."""
        with pytest.raises(InvalidModelError, match="skipped session has no pain"):
            record(0, done=False, pain_after=3)
        assert record(0, done=False, pain_before=6).pain_before == 6

    def test_the_zone_is_kept_as_its_offset(self) -> None:
        """The local time and the moment stay; the zone becomes its offset."""
        from zoneinfo import ZoneInfo  # noqa: PLC0415

        moment = dt.datetime(2026, 7, 1, 8, tzinfo=ZoneInfo("Europe/Berlin"))
        kept = SessionRecord(protocol_id=LUMBAR.id, at=moment)
        assert kept.at == moment
        assert kept.at.utcoffset() == dt.timedelta(hours=2)
        assert kept.at.tzinfo == dt.timezone(dt.timedelta(hours=2))
        assert kept.day == dt.date(2026, 7, 1)

    def test_an_offset_in_seconds_is_refused(self) -> None:
        """Local mean time (Saratov in 1919: +03:04:18) has no RFC 3339 form."""
        from zoneinfo import ZoneInfo  # noqa: PLC0415

        moment = dt.datetime(1919, 1, 1, tzinfo=ZoneInfo("Europe/Saratov"))
        with pytest.raises(InvalidModelError, match="offset in seconds"):
            SessionRecord(protocol_id=LUMBAR.id, at=moment)

    def test_one_red_flag_is_not_split_into_characters(self) -> None:
        """A lone string is one red flag."""
        assert record(0, red_flags="Chest pain").red_flags == ("Chest pain",)

    @pytest.mark.parametrize(
        ("before", "after", "increased"),
        [
            (3, 4, True),
            (3, 3, False),
            (3, 2, False),
            (None, 4, False),
            (3, None, False),
        ],
    )
    def test_pain_increased(
        self, before: int | None, after: int | None, increased: bool
    ) -> None:
        """Only a rise counts, and only when both ends were rated."""
        assert (
            record(0, pain_before=before, pain_after=after).pain_increased is increased
        )


# --------------------------------------------------------------------------------
# The session-log document

times = st.datetimes(
    min_value=dt.datetime(1900, 1, 1),  # noqa: DTZ001 - naive bounds, as hypothesis wants
    max_value=dt.datetime(2200, 1, 1),  # noqa: DTZ001
    timezones=st.timezones(),
).filter(lambda moment: moment.utcoffset().seconds % 60 == 0)  # type: ignore[union-attr]
text = st.text(st.characters(codec="utf-8", categories=["L", "N", "P"]), min_size=1)
records = st.builds(
    SessionRecord,
    protocol_id=st.sampled_from(catalog.ids()),
    at=times,
    done=st.just(True),  # noqa: FBT003
    pain_before=st.none() | st.integers(0, 10),
    pain_after=st.none() | st.integers(0, 10),
    stiffness=st.none() | st.sampled_from(Stiffness),
    red_flags=st.lists(text, max_size=3),
    note=st.none() | text,
) | st.builds(
    SessionRecord,
    protocol_id=st.sampled_from(catalog.ids()),
    at=times,
    done=st.just(False),  # noqa: FBT003
    pain_before=st.none() | st.integers(0, 10),
    note=st.none() | text,
)
logs = st.builds(SessionLog, st.lists(records, max_size=8))


class TestSessionLogDocument:
    @given(log=logs)
    def test_round_trip(self, log: SessionLog) -> None:
        """Any log reads back equal, compact or indented, and fits the schema."""
        assert from_json(to_json(log), SessionLog) == log
        assert from_json(to_json(log, indent=2), SessionLog) == log
        jsonschema.validate(to_dict(log), json_schema(SessionLog))

    def test_the_header(self) -> None:
        """Kind and version first; times as RFC 3339 with their offset."""
        document = to_dict(SessionLog([record(0, pain_before=2, pain_after=1)]))
        assert list(document)[:2] == ["kind", "schema_version"]
        assert document["kind"] == "session-log"
        assert document["records"][0]["at"] == "2026-03-02T08:00:00+01:00"

    def test_a_day_that_does_not_exist(self) -> None:
        """The one mistake here the schema's pattern cannot see."""
        document = to_dict(SessionLog([record(0)]))
        document["records"][0]["at"] = "2026-02-30T08:00:00Z"
        with pytest.raises(FormatError, match=r"\$\.records\[0\]\.at: .* exists"):
            from_dict(document, SessionLog)

    @pytest.mark.parametrize(
        ("change", "path", "message"),
        [
            ({"at": "2026-03-02T08:00:00"}, "$.records[0].at", "UTC offset"),
            ({"at": "2026-03-02 08:00:00+01:00"}, "$.records[0].at", "UTC offset"),
            ({"at": 1772434800}, "$.records[0].at", "UTC offset"),
            ({"pain_after": 11}, "$.records[0].pain_after", "between 0 and 10"),
            ({"stiffness": "awful"}, "$.records[0].stiffness", "better"),
            ({"done": "yes"}, "$.records[0].done", "true or false"),
            ({"mood": "fine"}, "$.records[0].mood", "unknown key"),
        ],
    )
    def test_bad_records_are_located(
        self, change: dict[str, object], path: str, message: str
    ) -> None:
        """Each mistake names its JSON path; the schema refuses it too."""
        document = to_dict(SessionLog([record(0)]))
        document["records"][0].update(change)
        with pytest.raises(FormatError) as info:
            from_dict(document, SessionLog)
        assert info.value.problems[0].path == path
        assert message in info.value.problems[0].message
        assert not jsonschema.Draft202012Validator(json_schema(SessionLog)).is_valid(
            document
        )

    def test_logs_began_with_format_version_3(self) -> None:
        """No session log was ever written in versions 1 or 2."""
        document = {"kind": "session-log", "schema_version": 2, "records": []}
        with pytest.raises(FormatError, match="began with format version 3"):
            from_dict(document, SessionLog)


# --------------------------------------------------------------------------------
# The rules


class TestRules:
    def test_no_records_continue(self) -> None:
        """Nothing recorded, nothing to report, nothing planned yet."""
        advice = advise(LUMBAR, [], today=START)
        assert advice.action is Action.CONTINUE
        assert advice.reasons == ()
        assert advice.adherence == Adherence(0, 0)
        assert advice.adherence.ratio is None

    def test_comfortable_sessions_continue(self) -> None:
        """A fortnight without a rule applying: continue, all sessions done."""
        log = [record(day, pain_before=3, pain_after=2) for day in range(14)]
        advice = advise(LUMBAR, log, today=today(13))
        assert advice.action is Action.CONTINUE
        assert advice.adherence == Adherence(14, 14)

    def test_an_emergency_red_flag(self) -> None:
        """An emergency sign means emergency care, quoting the sign."""
        flag = LUMBAR.disclaimer.red_flags[0]  # type: ignore[union-attr]
        advice = advise(LUMBAR, [record(0, red_flags=[flag.text])], today=START)
        assert advice.action is Action.EMERGENCY
        assert advice.reasons[0].red_flag == flag
        assert advice.reasons[0].rule == flag.text
        assert advice.action.exit_code == 4

    def test_an_urgent_red_flag_means_a_doctor_today(self) -> None:
        """A same-day sign means a doctor today."""
        flag = next(
            f
            for f in LUMBAR.disclaimer.red_flags  # type: ignore[union-attr]
            if f.urgency == "urgent"
        )
        advice = advise(LUMBAR, [record(0, red_flags=[flag.text])], today=START)
        assert advice.action is Action.SEE_DOCTOR_TODAY
        assert advice.action.exit_code == 4

    def test_pain_rising_in_a_session_means_stop(self) -> None:
        """Any rise, however small, is the protocol's stop rule."""
        log = [
            record(0, pain_before=2, pain_after=2),
            record(1, pain_before=2, pain_after=3),
        ]
        advice = advise(LUMBAR, log, today=today(1))
        assert advice.action is Action.STOP
        assert advice.reasons[0].code == "pain-increased"
        assert advice.reasons[0].rule == LUMBAR.disclaimer.stop_rules[0]  # type: ignore[union-attr]
        assert advice.action.exit_code == 3

    def test_worse_stiffness_means_seek_care(self) -> None:
        """Worse at any time: the review's own words."""
        advice = advise(LUMBAR, [record(0, stiffness=Stiffness.WORSE)], today=START)
        assert advice.action is Action.SEEK_CARE
        assert advice.reasons[0].rule == LUMBAR.review.action  # type: ignore[union-attr]

    def test_the_same_stiffness_counts_from_the_review_day(self) -> None:
        """Unchanged before the review day is expected; on it, it is not."""
        review_day = LUMBAR.review.after_days  # type: ignore[union-attr]
        log = [record(day, stiffness=Stiffness.SAME) for day in range(review_day)]
        assert advise(LUMBAR, log, today=today(review_day)).action is Action.CONTINUE
        log.append(record(review_day, stiffness=Stiffness.SAME))
        advice = advise(LUMBAR, log, today=today(review_day))
        assert advice.action is Action.SEEK_CARE
        assert advice.reasons[0].code == "stiffness-unchanged-at-review"

    def test_better_stiffness_at_review_continues(self) -> None:
        """Improving stiffness past the review day is no reason to seek care."""
        log = [record(day, stiffness=Stiffness.BETTER) for day in range(20)]
        assert advise(LUMBAR, log, today=today(20)).action is Action.CONTINUE

    def test_the_most_urgent_wins_and_every_reason_is_kept(self) -> None:
        """Reasons come most urgent first; none is dropped."""
        flag = LUMBAR.disclaimer.red_flags[0]  # type: ignore[union-attr]
        log = [
            record(0, stiffness=Stiffness.WORSE),
            record(1, pain_before=1, pain_after=5, red_flags=[flag.text]),
        ]
        advice = advise(LUMBAR, log, today=today(1))
        assert advice.action is Action.EMERGENCY
        assert [r.action for r in advice.reasons] == [
            Action.EMERGENCY,
            Action.STOP,
            Action.SEEK_CARE,
        ]

    def test_a_repeated_sign_is_one_reason_with_a_count(self) -> None:
        """Daily reports of one sign make one reason, dated from the first."""
        log = [record(day, stiffness=Stiffness.WORSE) for day in range(3)]
        (reason,) = advise(LUMBAR, log, today=today(3)).reasons
        assert reason.message == (
            "stiffness reported worse on 2026-03-02 (and 2 more times)"
        )
        assert reason.on == START


class TestProgression:
    def test_a_step_due_and_earned_progresses(self) -> None:
        """NHS Inform's routine adds a repetition every 3 days, up to 10."""
        log = [record(day, GROWING, pain_before=2, pain_after=2) for day in range(3)]
        advice = advise(GROWING, log, today=today(3))
        assert advice.action is Action.PROGRESS
        assert advice.step == 1
        assert advice.next_dose is not None
        assert [dose.reps.low for dose in advice.next_dose] == [6, 6, 6]

    def test_before_the_first_step_continue(self) -> None:
        """Two days in, the first step (day 3) is not due."""
        log = [record(day, GROWING) for day in range(3)]
        advice = advise(GROWING, log, today=today(2))
        assert advice.action is Action.CONTINUE
        assert advice.reasons[0].code == "step-not-due"
        assert advice.next_dose is None

    def test_a_skipped_session_holds_the_dose(self) -> None:
        """A skipped session in the interval: the step is not earned."""
        log = [record(0, GROWING), record(1, GROWING, done=False), record(2, GROWING)]
        advice = advise(GROWING, log, today=today(3))
        assert advice.action is Action.CONTINUE
        assert advice.reasons[0].code == "step-not-earned"
        assert advice.step == 0

    def test_pain_in_the_interval_stops_and_does_not_progress(self) -> None:
        """Pain rising in the interval: stop, and no step."""
        log = [record(day, GROWING) for day in range(3)]
        log.append(record(2, GROWING, pain_before=1, pain_after=2))
        advice = advise(GROWING, log, today=today(3))
        assert advice.action is Action.STOP
        assert advice.next_dose is None
        assert advice.step == 0

    def test_the_ceiling_stops_the_growth(self) -> None:
        """From 5 to the ceiling of 10 takes five steps; the sixth adds nothing."""
        log = [record(day, GROWING) for day in range(40)]
        advice = advise(GROWING, log, today=today(39))
        assert advice.step == 5
        assert advice.action is Action.CONTINUE
        assert advice.reasons[0].code == "at-ceiling"

    def test_a_next_dose_that_would_fail_is_not_advised(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The grown dose is validated again before it is advised.

        validate() already checks every step of a programme, so for a protocol
        that passes, this guard cannot trip; a validator that refuses the grown
        protocol (the one without a progression) shows that it holds the step.
        """
        from mobility.progress import _advice  # noqa: PLC0415

        def refusing(protocol: Protocol, limits: object = None) -> object:
            report = validate(protocol, limits)  # type: ignore[arg-type]
            if protocol.progression is not None:
                return report
            unsafe = validate(attrs.evolve(protocol, disclaimer=None))
            return attrs.evolve(report, findings=unsafe.findings)

        monkeypatch.setattr(_advice, "validate", refusing)
        log = [record(day, GROWING) for day in range(3)]
        held = advise(GROWING, log, today=today(3))
        assert held.action is Action.CONTINUE
        assert held.reasons[0].code == "step-unsafe"
        assert "disclaimer-missing" in held.reasons[0].message
        assert held.step == 0
        assert held.next_dose is None

    def test_adherence_counts_the_planned_sessions(self) -> None:
        """Three sessions a day, every day: 2 days plan 6."""
        log = [record(0, GROWING), record(1, GROWING), record(1, GROWING, done=False)]
        advice = advise(GROWING, log, today=today(1))
        assert advice.adherence == Adherence(2, 6)

    def test_adherence_of_a_few_days_a_week(self) -> None:
        """Three days a week over a week plans three sessions."""
        three_days = attrs.evolve(
            LUMBAR, frequency=attrs.evolve(LUMBAR.frequency, days_per_week=3)
        )
        log = [record(0, three_days), record(2, three_days), record(4, three_days)]
        advice = advise(three_days, log, today=today(6))
        assert advice.adherence == Adherence(3, 3)


class TestRefusals:
    def test_an_unsafe_protocol_gets_no_advice(self) -> None:
        """No advice on a protocol without its safety text."""
        unsafe = attrs.evolve(LUMBAR, disclaimer=None)
        with pytest.raises(UnsafeProtocolError):
            advise(unsafe, [], today=START)

    def test_another_protocols_record(self) -> None:
        """Records of another protocol are an error, not silently dropped."""
        with pytest.raises(RecordError, match="cannot be advised on with"):
            advise(LUMBAR, [record(0, GROWING)], today=START)

    def test_a_session_after_today(self) -> None:
        """A record dated after the day advised on is a mistake."""
        with pytest.raises(RecordError, match="after 2026-03-02"):
            advise(LUMBAR, [record(1)], today=START)

    def test_an_unknown_red_flag(self) -> None:
        """An unknown sign is refused with the protocol's own list."""
        with pytest.raises(RecordError, match=r"not one of the red flags .* 1\. "):
            advise(LUMBAR, [record(0, red_flags=["itchy"])], today=START)

    def test_red_flags_match_by_words_or_number(self) -> None:
        """Case and spacing aside, or by number from 1."""
        flags = LUMBAR.disclaimer.red_flags  # type: ignore[union-attr]
        assert match_red_flag(LUMBAR, "  chest PAIN ") == next(
            f for f in flags if f.text == "Chest pain"
        )
        assert match_red_flag(LUMBAR, "1") == flags[0]
        with pytest.raises(RecordError):
            match_red_flag(LUMBAR, str(len(flags) + 1))
        with pytest.raises(RecordError):
            match_red_flag(LUMBAR, "0")


# --------------------------------------------------------------------------------
# Properties


def _flags(protocol: Protocol) -> list[str]:
    return [f.text for f in protocol.disclaimer.red_flags]  # type: ignore[union-attr]


@st.composite
def logs_of(draw: st.DrawFn, protocol: Protocol) -> tuple[list[SessionRecord], dt.date]:
    """A log of one protocol over a month, and a day to advise on."""
    count = draw(st.integers(0, 25))
    result = []
    for _ in range(count):
        day = draw(st.integers(0, 30))
        tz = dt.timezone(dt.timedelta(hours=draw(st.integers(-10, 12))))
        done = draw(st.booleans())
        result.append(
            SessionRecord(
                protocol_id=protocol.id,
                at=at(day, draw(st.integers(0, 23)), tz),
                done=done,
                pain_before=draw(st.none() | st.integers(0, 10)),
                pain_after=draw(st.none() | st.integers(0, 10)) if done else None,
                stiffness=draw(st.none() | st.sampled_from(Stiffness)),
                red_flags=draw(
                    st.lists(st.sampled_from(_flags(protocol)), max_size=1)
                    if draw(st.integers(0, 9)) == 0
                    else st.just([])
                ),
            )
        )
    last = max((r.day for r in result), default=START)
    return result, last + dt.timedelta(days=draw(st.integers(0, 10)))


def _applies(protocol: Protocol, log: list[SessionRecord]) -> list[Action]:
    """Each rule that applies, worked out here from the records alone."""
    found = []
    flags = {f.text: f for f in protocol.disclaimer.red_flags}  # type: ignore[union-attr]
    for item in log:
        for text in item.red_flags:
            urgent = flags[text].urgency == "emergency"
            found.append(Action.EMERGENCY if urgent else Action.SEE_DOCTOR_TODAY)
        if (
            item.pain_before is not None
            and item.pain_after is not None
            and item.pain_after > item.pain_before
        ):
            found.append(Action.STOP)
        if item.stiffness is Stiffness.WORSE:
            found.append(Action.SEEK_CARE)
    if log and protocol.review is not None:
        review_day = min(r.day for r in log) + dt.timedelta(
            days=protocol.review.after_days
        )
        if any(r.stiffness is Stiffness.SAME and r.day >= review_day for r in log):
            found.append(Action.SEEK_CARE)
    return found


class TestProperties:
    @given(data=st.data(), protocol=st.sampled_from([LUMBAR, GROWING]))
    def test_never_less_urgent_than_a_rule_that_applies(
        self, data: st.DataObject, protocol: Protocol
    ) -> None:
        """The action is at least as urgent as every rule worked out here."""
        log, day = data.draw(logs_of(protocol))
        advice = advise(protocol, log, today=day)
        for action in _applies(protocol, log):
            assert advice.action.rank <= action.rank
        if not _applies(protocol, log):
            assert advice.action in (Action.CONTINUE, Action.PROGRESS)

    @given(data=st.data())
    def test_a_progress_dose_always_passes_validate(self, data: st.DataObject) -> None:
        """A progress advice's dose passes validate; other advice has none."""
        log, day = data.draw(logs_of(GROWING))
        advice = advise(GROWING, log, today=day)
        if advice.action is Action.PROGRESS:
            assert advice.next_dose is not None
            exercises = tuple(
                attrs.evolve(exercise, dose=dose)
                for exercise, dose in zip(
                    GROWING.exercises, advice.next_dose, strict=True
                )
            )
            grown = attrs.evolve(GROWING, exercises=exercises, progression=None)
            assert validate(grown).ok
        else:
            assert advice.next_dose is None

    @given(data=st.data(), protocol=st.sampled_from([LUMBAR, GROWING]))
    def test_the_order_of_records_does_not_matter(
        self, data: st.DataObject, protocol: Protocol
    ) -> None:
        """Any order of the same records gives the same advice."""
        log, day = data.draw(logs_of(protocol))
        shuffled = data.draw(st.permutations(log))
        assert advise(protocol, shuffled, today=day) == advise(protocol, log, today=day)


# --------------------------------------------------------------------------------
# The store


class TestStore:
    def test_add_and_read_back(self, tmp_path: Path) -> None:
        """Records read back equal, oldest first, by protocol and since."""
        path = tmp_path / "log.sqlite3"
        first, second = record(1, pain_before=2, pain_after=1), record(0, note="ok")
        with Store(path) as store:
            store.add(first)
            store.add(second)
            store.add(record(0, GROWING))
        with Store(path) as store:
            assert store.records(LUMBAR.id) == (second, first)
            assert len(store.records()) == 3
            assert store.records(LUMBAR.id, since=at(1)) == (first,)

    def test_records_are_ordered_by_moment_not_local_time(self, tmp_path: Path) -> None:
        """08:00 in Tokyo is before 07:00 in Berlin on the same day."""
        tokyo = SessionRecord(
            protocol_id=LUMBAR.id, at=at(0, 8, dt.timezone(dt.timedelta(hours=9)))
        )
        berlin = record(0)
        with Store(tmp_path / "log.sqlite3") as store:
            store.add(berlin)
            store.add(tokyo)
            assert store.records() == (tokyo, berlin)

    def test_wal_mode_and_layout_version(self, tmp_path: Path) -> None:
        """The file is in WAL mode with layout version 1."""
        path = tmp_path / "log.sqlite3"
        Store(path).close()
        connection = sqlite3.connect(path)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("PRAGMA user_version").fetchone() == (1,)
        connection.close()

    def test_a_newer_database_is_refused(self, tmp_path: Path) -> None:
        """A layout from a newer version is refused, not misread."""
        path = tmp_path / "log.sqlite3"
        Store(path).close()
        connection = sqlite3.connect(path)
        connection.execute("PRAGMA user_version = 99")
        connection.close()
        with pytest.raises(StoreError, match="layout version 99, newer"):
            Store(path)

    def test_a_file_that_is_not_a_database(self, tmp_path: Path) -> None:
        """Another file is refused and left untouched."""
        path = tmp_path / "notes.txt"
        path.write_text("my notes\n" * 100)
        with pytest.raises(StoreError, match="not a database"):
            Store(path)
        assert path.read_text() == "my notes\n" * 100  # left as it was

    def test_a_row_that_is_not_a_record_is_named(self, tmp_path: Path) -> None:
        """A damaged row is named by its id and JSON path."""
        path = tmp_path / "log.sqlite3"
        with Store(path) as store:
            store.add(record(0))
        connection = sqlite3.connect(path)
        with connection:
            connection.execute(
                "INSERT INTO records (protocol_id, at_utc, record) VALUES (?, ?, ?)",
                (LUMBAR.id, "2026-03-03", '{"protocol_id": 7}'),
            )
        connection.close()
        with (
            Store(path) as store,
            pytest.raises(StoreError, match=r"row 2 .*\$\.protocol_id"),
        ):
            store.records()

    def test_a_locked_database_is_one_clear_error(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A lock held past the timeout is one error; nothing is written."""
        path = tmp_path / "log.sqlite3"
        Store(path).close()
        monkeypatch.setattr(store_module, "TIMEOUT", 0.1)
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreError, match="locked by another program"):
                Store(path).add(record(0))
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        with Store(path) as store:
            assert store.records() == ()

    def test_since_needs_a_zone(self, tmp_path: Path) -> None:
        """A naive ``since`` is refused."""
        with (
            Store(tmp_path / "a.sqlite3") as store,
            pytest.raises(ValueError, match="no time zone"),
        ):
            store.records(since=dt.datetime(2026, 3, 2))  # noqa: DTZ001

    def test_the_default_path(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """$MOBILITY_DB, else the platform's user data folder."""
        monkeypatch.setenv("MOBILITY_DB", str(tmp_path / "env.sqlite3"))
        assert default_path() == tmp_path / "env.sqlite3"
        monkeypatch.delenv("MOBILITY_DB")
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
        assert default_path() == tmp_path / "data" / "mobility" / "progress.sqlite3"
        Store().close()  # creates the folder
        assert (tmp_path / "data" / "mobility" / "progress.sqlite3").is_file()

    @given(log=st.lists(records, max_size=5))
    def test_any_record_reads_back_equal(self, log: list[SessionRecord]) -> None:
        """Hypothesis's records through SQLite: nothing lost or changed."""
        with Store(":memory:") as store:
            for item in log:
                store.add(item)
            assert sorted(store.records(), key=_key) == sorted(log, key=_key)


def _key(item: SessionRecord) -> str:
    return json.dumps(to_dict(SessionLog([item])), sort_keys=True)


WRITER = """
import datetime as dt, sys
from mobility.progress import SessionRecord, Store
store = Store(sys.argv[1])
for n in range(int(sys.argv[3])):
    store.add(SessionRecord(
        protocol_id="lower-trunk-rotation",
        at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=n),
        note=f"{sys.argv[2]} {n}",
    ))
store.close()
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    """1,000 records from each of two processes, all at the same time."""
    path = tmp_path / "shared.sqlite3"
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), name, "1000"], env=env
        )
        for name in ("first", "second")
    ]
    assert [writer.wait(timeout=600) for writer in writers] == [0, 0]
    with Store(path) as store:
        notes = {item.note for item in store.records()}
    expected = {f"{name} {n}" for name in ("first", "second") for n in range(1000)}
    assert notes == expected


def test_a_killed_writer_leaves_every_committed_record(tmp_path: Path) -> None:
    """A process killed mid-way: what it committed is there, and the file opens."""
    path = tmp_path / "crash.sqlite3"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "crash", "100000"]
    )
    try:
        deadline = dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=60)
        count = 0
        while count < 50 and dt.datetime.now(tz=dt.UTC) < deadline:
            if path.exists():
                with Store(path) as store:
                    count = len(store.records())
    finally:
        writer.kill()
        writer.wait()
    with Store(path) as store:
        notes = [item.note for item in store.records()]
    assert len(notes) >= count >= 50
    assert notes == [f"crash {n}" for n in range(len(notes))]  # a prefix, no gap
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()
