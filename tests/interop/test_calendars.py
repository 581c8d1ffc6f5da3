"""Calendar files as third-party clients read them, session by session.

Seventeen files (several protocols; UTC, Berlin, New York and Lord Howe across their
DST changes; 1 to 520 weeks; with and without reminders; a variant whose text has
commas, semicolons, newlines, backslashes and non-ASCII letters) are read by:

- ical.js, Mozilla's parser behind Thunderbird, using only the file's VTIMEZONE;
- node-ical, vobject, recurring-ical-events and Home Assistant's ``ical``;
- khal, from Debian's packages;
- libical, behind Evolution, whose ``check_restrictions`` must find nothing.

Each reader must show every session of ``Schedule.sessions()`` at the same
instant. A session whose local time falls in a DST gap or fold does not exist or
exists twice, and readers may place it differently: those are recorded (as test
properties), not failed.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import zoneinfo

from typing import TYPE_CHECKING, NamedTuple

import attrs
import icalendar
import pytest
import recurring_ical_events
import vobject

from ical.calendar_stream import IcsCalendarStream

from mobility import Schedule, catalog, to_ical

from .conftest import HERE, run_json


if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


UTC = dt.UTC
STAMP = dt.datetime(2026, 3, 1, tzinfo=UTC)
SPRING = dt.date(2026, 3, 23)  # a Monday, a week before Europe's change
AUTUMN = dt.date(2026, 9, 21)  # before Lord Howe's and Europe's changes

HOSTILE = attrs.evolve(
    catalog.get("lower-trunk-rotation"),
    id="hostile-text",
    name='Knie-Rolle, Rücken; "sanft" \\ ruhig',
    purpose="Line one, with a comma;\nline two\\with a backslash, and ünïcødé.",
)


class Case(NamedTuple):
    """One calendar file to export and read back."""

    name: str
    protocol: str
    tz: str
    weeks: int
    at: tuple[dt.time, ...] = (dt.time(7, 30),)
    alarm: bool = True
    start: dt.date = SPRING

    def schedule(self) -> Schedule:
        """The schedule this case exports."""
        protocol = (
            HOSTILE if self.protocol == HOSTILE.id else catalog.get(self.protocol)
        )
        return Schedule(
            protocol,
            self.start,
            at=self.at,
            tz=self.tz,
            weeks=self.weeks,
            alarm=dt.timedelta(minutes=15) if self.alarm else None,
        )


_TWICE = (dt.time(7, 0), dt.time(19, 0))
_THRICE = (dt.time(7, 0), dt.time(12, 30), dt.time(19, 0))

CASES = [
    Case("ltr-utc", "lower-trunk-rotation", "UTC", 4),
    Case("ltr-berlin", "lower-trunk-rotation", "Europe/Berlin", 32),
    Case("ltr-new-york", "lower-trunk-rotation", "America/New_York", 32, alarm=False),
    Case("ltr-lord-howe", "lower-trunk-rotation", "Australia/Lord_Howe", 32),
    Case("ltr-berlin-one-week", "lower-trunk-rotation", "Europe/Berlin", 1),
    Case("open-book-berlin", "thoracic-open-book", "Europe/Berlin", 52),
    Case(
        "open-book-lord-howe",
        "thoracic-open-book",
        "Australia/Lord_Howe",
        52,
        alarm=False,
        start=AUTUMN,
    ),
    Case("mayo-berlin", "mayo-back-exercises", "Europe/Berlin", 32, _TWICE),
    Case(
        "mayo-new-york",
        "mayo-back-exercises",
        "America/New_York",
        32,
        _TWICE,
        start=AUTUMN,
    ),
    Case(
        "inform-new-york", "nhs-inform-back-exercises", "America/New_York", 8, _THRICE
    ),
    Case("seated-berlin-ten-years", "seated-upper-back-routine", "Europe/Berlin", 520),
    Case(
        "seated-lord-howe-ten-years",
        "seated-upper-back-routine",
        "Australia/Lord_Howe",
        520,
        alarm=False,
    ),
    Case("cat-cow-new-york-ten-years", "cat-cow", "America/New_York", 520),
    Case("hostile-berlin", HOSTILE.id, "Europe/Berlin", 4),
    Case("hostile-utc", HOSTILE.id, "UTC", 4, alarm=False),
    # 02:30 on the day Berlin's clocks skip from 02:00 to 03:00: a DST gap.
    Case("gap-berlin", "lower-trunk-rotation", "Europe/Berlin", 2, (dt.time(2, 30),)),
    # 02:30 on the day Berlin's clocks go back from 03:00 to 02:00: a fold.
    Case(
        "fold-berlin",
        "lower-trunk-rotation",
        "Europe/Berlin",
        2,
        (dt.time(2, 30),),
        start=dt.date(2026, 10, 19),
    ),
]


def in_gap_or_fold(local: dt.datetime) -> bool:
    """Whether a local time does not exist, or exists twice, in its zone."""
    round_trip = local.astimezone(UTC).astimezone(local.tzinfo)
    ambiguous = local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()
    return round_trip.replace(tzinfo=None) != local.replace(tzinfo=None) or ambiguous


class Files:
    """Each case's file, written once per test session."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.paths: dict[str, Path] = {}

    def __call__(self, case: Case) -> Path:
        """The path of the case's file, written on first use."""
        if case.name not in self.paths:
            path = self.folder / f"{case.name}.ics"
            path.write_bytes(to_ical(case.schedule(), stamp=STAMP))
            self.paths[case.name] = path
        return self.paths[case.name]


@pytest.fixture(scope="session")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    """The calendar files, in a folder of their own."""
    return Files(tmp_path_factory.mktemp("calendars"))


Starts = list[tuple[str, dt.datetime]]


def window(schedule: Schedule) -> tuple[dt.datetime, dt.datetime]:
    """From the day before the start to two days after the end, in UTC."""
    return (
        dt.datetime.combine(schedule.start - dt.timedelta(days=1), dt.time(), UTC),
        dt.datetime.combine(schedule.end + dt.timedelta(days=2), dt.time(), UTC),
    )


def check(case: Case, starts: Starts, record: Callable[[str, object], None]) -> None:
    """The reader shows every session at its instant, and nothing else."""
    schedule = case.schedule()
    name = " ".join(schedule.protocol.name.split())
    sessions = [s for s in starts if not s[0].startswith("Review")]
    assert {summary for summary, _ in sessions} == {name}
    expected = list(schedule.sessions())
    tricky = {local.date() for local in expected if in_gap_or_fold(local)}

    def plain(instants: list[dt.datetime]) -> list[dt.datetime]:
        return sorted(
            i for i in instants if i.astimezone(schedule.zone).date() not in tricky
        )

    got = [start.astimezone(UTC) for _, start in sessions]
    want = [local.astimezone(UTC) for local in expected]
    assert plain(got) == plain(want)
    if tricky:
        shown = sorted(set(got) - set(plain(got)))
        record(case.name, [i.isoformat() for i in shown])


#: What each reader showed on the days of a DST gap or fold, by reader and case.
RECORDED: dict[str, object] = {}


def recorder(
    request: pytest.FixtureRequest, reader: str
) -> Callable[[str, object], None]:
    """Keep what a reader showed on tricky days, as a property of the test."""

    def record(case: str, shown: object) -> None:
        request.node.user_properties.append((f"{reader}:{case}", shown))
        RECORDED[f"{reader}:{case}"] = shown

    return record


def utc(text: str) -> dt.datetime:
    """An ISO time as JavaScript writes it (``...Z``), as an aware datetime."""
    return dt.datetime.fromisoformat(text)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
class TestReaders:
    def test_ical_js_and_node_ical(
        self, case: Case, files: Files, node: str, request: pytest.FixtureRequest
    ) -> None:
        """ical.js (with the file's own VTIMEZONE) and node-ical."""
        schedule = case.schedule()
        low, high = window(schedule)
        found = run_json(
            [
                node,
                str(HERE / "read_ics.mjs"),
                str(files(case)),
                low.date().isoformat(),
                high.date().isoformat(),
            ]
        )
        for reader in ("ical.js", "node-ical"):
            starts = [(o["summary"], utc(o["start"])) for o in found[reader]]
            check(case, starts, recorder(request, reader))
        assert found["calname"] == " ".join(schedule.protocol.name.split())

    def test_python_readers(
        self, case: Case, files: Files, request: pytest.FixtureRequest
    ) -> None:
        """recurring-ical-events, vobject and Home Assistant's ical."""
        schedule = case.schedule()
        text = files(case).read_text(encoding="utf-8")
        low, high = window(schedule)
        calendar = icalendar.Calendar.from_ical(text)
        recurring = [
            (str(e["SUMMARY"]), e.start)
            for e in recurring_ical_events.of(calendar).between(low, high)
        ]
        check(case, _timed(recurring), recorder(request, "recurring-ical-events"))

        parsed = vobject.readOne(text)
        name = " ".join(schedule.protocol.name.split())
        assert parsed.x_wr_calname.value == name
        by_vobject: Starts = []
        for event in parsed.vevent_list:
            summary = event.summary.value
            start = event.dtstart.value
            if not isinstance(start, dt.datetime):
                continue  # the all-day review
            rules = event.getrruleset(addRDate=True)
            by_vobject += [(summary, s) for s in rules.between(low, high, inc=True)]
        check(case, by_vobject, recorder(request, "vobject"))

        home = IcsCalendarStream.calendar_from_ics(text)
        timeline = home.timeline_tz(zoneinfo.ZoneInfo("UTC"))
        by_home = [(e.summary, e.start) for e in timeline.overlapping(low, high)]
        check(case, _timed(by_home), recorder(request, "ical"))  # type: ignore[arg-type]
        reviews = [s for s, _ in by_home if s and s.startswith("Review")]
        review = schedule.review_date
        assert len(reviews) == (
            review is not None and low.date() <= review < high.date()
        )

    def test_khal(
        self,
        case: Case,
        files: Files,
        khal: str,
        tmp_path: Path,
        request: pytest.FixtureRequest,
    ) -> None:
        """khal, from Debian's packages, in UTC."""
        schedule = case.schedule()
        (tmp_path / "cal").mkdir()
        config = tmp_path / "config"
        config.write_text(
            "[calendars]\n[[cal]]\n"
            f"path = {tmp_path / 'cal'}\n"
            "[locale]\nlocal_timezone = UTC\ndefault_timezone = UTC\n"
            "timeformat = %H:%M\ndateformat = %Y-%m-%d\n"
            "longdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\n"
            "longdatetimeformat = %Y-%m-%d %H:%M\n"
            f"[sqlite]\npath = {tmp_path / 'khal.db'}\n",
            encoding="utf-8",
        )
        base = [khal, "-c", str(config)]
        subprocess.run(
            [*base, "import", "--batch", "-a", "cal", str(files(case))],
            check=True,
            capture_output=True,
        )
        low, high = window(schedule)
        listed = subprocess.run(
            [
                *base,
                "list",
                "--format",
                "{start}|{title}",
                "--day-format",
                "",
                low.date().isoformat(),
                high.date().isoformat(),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        starts: Starts = []
        for line in listed.splitlines():
            when, _, title = line.partition("|")
            if len(when) > len("2026-03-23"):  # a timed event, not the review
                moment = dt.datetime.strptime(when, "%Y-%m-%d %H:%M").replace(
                    tzinfo=UTC
                )
                starts.append((title, moment))
        check(case, starts, recorder(request, "khal"))


def _timed(events: list[tuple[str, object]]) -> Starts:
    """The events that start at a time, not on a whole day."""
    return [(s, t) for s, t in events if isinstance(t, dt.datetime)]


def test_libical_finds_nothing_wrong(files: Files, libical: str) -> None:
    """Evolution's libical parses every file, and its checks pass."""
    paths = [str(files(case)) for case in CASES]
    result = subprocess.run(
        [libical, str(HERE / "libical_check.py"), *paths],
        capture_output=True,
        text=True,
        check=True,
    )
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(reports) == len(CASES)
    assert [r for r in reports if r["errors"]] == []


def test_no_raw_control_characters(files: Files) -> None:
    """RFC 5545 allows no control character but HTAB in a content line."""
    for case in CASES:
        data = files(case).read_bytes()
        for line in data.split(b"\r\n"):
            assert not any(b < 0x20 and b != 0x09 for b in line), (case.name, line)
            assert 0x7F not in line


class TestTheChecksCatchTheOldFiles:
    """The suite fails on what the earlier exports wrote: it can see the bugs."""

    def test_ical_js_misreads_one_rdate_of_many_dates(
        self, files: Files, node: str, tmp_path: Path
    ) -> None:
        """With icalendar's own VTIMEZONE (one RDATE, many dates) ical.js is wrong."""
        case = CASES[1]  # Berlin, across both changes
        calendar = icalendar.Calendar.from_ical(files(case).read_bytes())
        calendar.subcomponents = [
            c for c in calendar.subcomponents if c.name != "VTIMEZONE"
        ]
        calendar.add_missing_timezones(
            first_date=dt.date(2026, 1, 1), last_date=dt.date(2037, 1, 1)
        )
        old = tmp_path / "old.ics"
        old.write_bytes(calendar.to_ical())
        assert b"RDATE:2027" in old.read_bytes()
        low, high = window(case.schedule())
        found = run_json(
            [
                node,
                str(HERE / "read_ics.mjs"),
                str(old),
                low.date().isoformat(),
                high.date().isoformat(),
            ]
        )
        starts = [(o["summary"], utc(o["start"])) for o in found["ical.js"]]
        with pytest.raises(AssertionError):
            check(case, starts, lambda *_: None)

    def test_libical_refuses_method_without_organizer(
        self, files: Files, libical: str, tmp_path: Path
    ) -> None:
        """METHOD:PUBLISH without an ORGANIZER fails libical's iTIP checks."""
        text = files(CASES[0]).read_text(encoding="utf-8")
        old = tmp_path / "old.ics"
        old.write_text(
            text.replace("CALSCALE:GREGORIAN", "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH"),
            encoding="utf-8",
        )
        report = run_json([libical, str(HERE / "libical_check.py"), str(old)])
        assert any("ITIP" in error for error in report["errors"])
