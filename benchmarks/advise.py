"""Does ``advise`` cost the same per record at 1,000 records as at 100,000?

A person logging three sessions a day for a year writes about 1,100 records; an
app advising on many people, or a researcher replaying logs, reads far more.
Advice used to cost intervals x records (100,000 records took 451 s). The
baseline is sorting the same records by their moment, which any advice must do
at least once; the figure is the time per record at 100,000 over the time per
record at 1,000, and the target is at most 2 (linear, give or take the sort's
log factor).

Run it with ``make bench`` or ``python benchmarks/advise.py``.
"""

from __future__ import annotations

import datetime as dt
import time

from _table import row

from mobility import catalog
from mobility.progress import SessionRecord, advise


PROTOCOL = catalog.get("nhs-inform-back-exercises")  # three a day, a progression
START = dt.datetime(2026, 1, 1, 8, tzinfo=dt.UTC)


def log(count: int) -> list[SessionRecord]:
    """``count`` sessions, three a day, green, at step 0, one skipped in 50."""
    return [
        SessionRecord(
            protocol_id=PROTOCOL.id,
            at=START + dt.timedelta(hours=8 * n),
            done=n % 50 != 0,
            pain_before=1,
            pain_after=1 if n % 50 else None,
            step=0,
        )
        for n in range(count)
    ]


def seconds(function: object, *args: object) -> float:
    """The best of three runs of ``function(*args)``."""
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        function(*args)  # type: ignore[operator]
        best = min(best, time.perf_counter() - began)
    return best


def main() -> None:
    """Print the cost per record at each size, and the ratio of the extremes."""
    per_record = {}
    for count in (1_000, 10_000, 100_000):
        records = log(count)
        today = records[-1].day + dt.timedelta(days=1)
        took = seconds(lambda r=records, t=today: advise(PROTOCOL, r, today=t))
        baseline = seconds(lambda r=records: sorted(r, key=lambda x: x.at))
        per_record[count] = took / count
        print(
            f"{count:>7} records: advise {took * 1e3:8.1f} ms "
            f"({took / count * 1e6:5.2f} us a record), sorting them "
            f"{baseline * 1e3:7.1f} ms (advise / sort {took / baseline:5.1f})"
        )
    ratio = per_record[100_000] / per_record[1_000]
    row(
        "advise, us/record at 100,000",
        f"{per_record[100_000] * 1e6:.2f}",
        f"{per_record[1_000] * 1e6:.2f} at 1,000",
        f"{ratio:.2f}",
        "2",
    )


if __name__ == "__main__":
    main()
