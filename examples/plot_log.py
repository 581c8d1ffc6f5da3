"""Draw two weeks of a person's log of the NHS Inform back exercises.

Run it with ``python examples/plot_log.py [FILE]`` (it needs the ``plots``
extra); the default file is ``log.png`` in the current folder. The records are
made up: most sessions done, pain mostly in the green zone, one skipped session
a week, and a flare on day 12 that the stop rule is for.
"""

import datetime as dt
import sys

from pathlib import Path

from mobility import catalog
from mobility.progress import SessionRecord, advise
from mobility.progress.plots import log_figure


def main() -> None:
    """Make the records, draw them, save the figure, and print the advice."""
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "log.png")
    protocol = catalog.get("nhs-inform-back-exercises")
    zone = dt.timezone(dt.timedelta(hours=1))
    start = dt.datetime(2026, 3, 2, tzinfo=zone)
    records = []
    for day in range(14):
        for hour in (8, 13, 18)[: protocol.frequency.sessions_per_day]:
            at = start + dt.timedelta(days=day, hours=hour)
            if day % 7 == 4 and hour == 18:
                records.append(
                    SessionRecord(protocol_id=protocol.id, at=at, done=False)
                )
                continue
            before = 2 if day < 12 else 4
            after = 1 if day < 12 else 6
            step = 0 if day < 7 else 1
            records.append(
                SessionRecord(
                    protocol_id=protocol.id,
                    at=at,
                    pain_before=before,
                    pain_after=after,
                    step=step,
                )
            )
    today = dt.date(2026, 3, 16)
    figure = log_figure(protocol, records, today=today)
    figure.savefig(target)
    advice = advise(protocol, records, today=today)
    print(f"{len(records)} records; advice for {today}: {advice.action}")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
