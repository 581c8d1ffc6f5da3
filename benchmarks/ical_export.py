"""What does ``to_ical`` cost, next to the icalendar calls it cannot avoid?

The baseline builds the same calendar straight with the icalendar package: the
same events, rule, reminder, review and time zone window, with the description
text already written, and serialises it. ``to_ical`` adds validating the protocol,
writing its text, and giving each time-zone transition a block of its own. The
target is a ratio of at most 1.5; the file's size must not grow with the weeks.

Run it with ``make bench`` or ``python benchmarks/ical_export.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import timeit

import icalendar

from _table import row

from mobility import Schedule, catalog, to_ical
from mobility.formats.text import render
from mobility.model.schedule import CALENDAR_YEARS


STAMP = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def schedule(weeks: int = 4) -> Schedule:
    """The lumbar protocol at 07:30 in Berlin."""
    return Schedule(
        catalog.get("lower-trunk-rotation"),
        dt.date(2026, 3, 23),
        at=dt.time(7, 30),
        tz="Europe/Berlin",
        weeks=weeks,
    )


def raw(plan: Schedule, description: str) -> bytes:
    """The calendar built with icalendar alone: what any exporter must do."""
    calendar = icalendar.Calendar.new(
        prodid="-//bench//EN", name="Lower trunk rotation"
    )
    first = plan.first_session(plan.at[0])
    event = icalendar.Event.new(
        uid="session@bench",
        stamp=STAMP,
        start=first,
        end=first + dt.timedelta(minutes=plan.session_minutes),
        summary="Lower trunk rotation",
        description=description,
    )
    last = dt.datetime.combine(plan.end, plan.at[0], tzinfo=plan.zone)
    event.add("rrule", {"freq": "WEEKLY", "until": last.astimezone(dt.UTC)})
    alarm = icalendar.Alarm.new(description="time for your session")
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -dt.timedelta(minutes=15))
    event.add_component(alarm)
    calendar.add_component(event)
    review = plan.review_date
    if review is None:  # pragma: no cover - the protocol has a review
        raise SystemExit("the benchmark protocol lost its review point")
    calendar.add_component(
        icalendar.Event.new(
            uid="review@bench",
            stamp=STAMP,
            start=review,
            end=review + dt.timedelta(days=1),
            summary="Review",
            description=description,
        )
    )
    year = dt.date(plan.start.year, 1, 1)
    calendar.add_missing_timezones(
        first_date=year, last_date=year.replace(year=year.year + CALENDAR_YEARS)
    )
    return bytes(calendar.to_ical())


def main() -> None:
    """Run the benchmark and print the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="batches; the best counts")
    args = parser.parse_args()
    plan = schedule()
    description = render(plan.protocol, width=None, heading=False)
    number = 50
    best = {"icalendar alone": float("inf"), "to_ical": float("inf")}
    for _ in range(args.runs):  # alternate, so both see the same machine load
        best["icalendar alone"] = min(
            best["icalendar alone"],
            timeit.timeit(lambda: raw(plan, description), number=number) / number,
        )
        best["to_ical"] = min(
            best["to_ical"],
            timeit.timeit(lambda: to_ical(plan, stamp=STAMP), number=number) / number,
        )
    ratio = best["to_ical"] / best["icalendar alone"]
    print(f"calendar export of lower-trunk-rotation, 4 weeks (best of {args.runs})")
    for name, seconds in best.items():
        print(f"  {name:<16} {seconds * 1e6:8.0f} us")
    verdict = "meets" if ratio <= 1.5 else "MISSES"
    print(f"  to_ical / icalendar alone: {ratio:.2f} (target <= 1.5: {verdict})")
    sizes = {weeks: len(to_ical(schedule(weeks), stamp=STAMP)) for weeks in (1, 520)}
    same = "the same" if sizes[1] == sizes[520] else "DIFFERENT"
    print(f"  file size: {sizes[1]} bytes for 1 week, {sizes[520]} for 520 ({same})")
    row(
        "to_ical, 4 weeks",
        f"{best['to_ical'] * 1e6:.0f} us",
        f"icalendar alone, {best['icalendar alone'] * 1e6:.0f} us",
        f"{ratio:.2f}",
        "<= 1.5",
    )
    row(
        "calendar file, 1 and 520 weeks",
        f"{sizes[520]} bytes",
        f"{sizes[1]} bytes",
        f"{sizes[520] / sizes[1]:.2f}",
        "= 1",
    )


if __name__ == "__main__":
    main()
