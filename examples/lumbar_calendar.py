"""Write the lumbar protocol as a 4-week calendar file a calendar app imports.

Run it with ``python examples/lumbar_calendar.py [FILE]``; the default file is
``lower-trunk-rotation.ics`` in the current folder.
"""

import sys

from datetime import date, time, timedelta
from pathlib import Path

from mobility import Schedule, catalog, to_ical


def main() -> None:
    """Schedule the lumbar protocol at 07:30 in Berlin and write the .ics file."""
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "lower-trunk-rotation.ics")
    protocol = catalog.get("lower-trunk-rotation")
    today = date.today()  # noqa: DTZ011 - the person's own calendar day
    next_monday = today + timedelta(days=-today.weekday(), weeks=1)
    schedule = Schedule(
        protocol,
        next_monday,
        at=time(7, 30),
        tz="Europe/Berlin",
        weeks=4,
        alarm=timedelta(minutes=10),
    )
    target.write_bytes(to_ical(schedule))
    print(
        f"wrote {target}: {protocol.name}, {schedule.weeks} weeks from {schedule.start}"
    )
    if protocol.review is not None:
        print(f"review on {schedule.review_date}: {protocol.review.action}")


if __name__ == "__main__":
    main()
