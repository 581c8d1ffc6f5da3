"""A person's log over time, as a picture.

:func:`log_figure` draws the records of one protocol: pain before and after
each session against the pain zones (green, amber, red), the sessions done
against those the protocol plans, and the progression step of the dose done.
The protocol's stop rule is printed under the chart, as it is on every other
form a protocol takes.

Needs matplotlib: install the ``plots`` extra
(``pip install "mobility-protocols[plots]"``).

Example:
    >>> import datetime as dt
    >>> from mobility import catalog
    >>> from mobility.progress import SessionRecord
    >>> protocol = catalog.get("lower-trunk-rotation")
    >>> berlin = dt.timezone(dt.timedelta(hours=1))
    >>> records = [
    ...     SessionRecord(
    ...         protocol_id=protocol.id,
    ...         at=dt.datetime(2026, 3, day, 8, tzinfo=berlin),
    ...         pain_before=3,
    ...         pain_after=2,
    ...     )
    ...     for day in (2, 3, 5)
    ... ]
    >>> figure = log_figure(protocol, records, today=dt.date(2026, 3, 6))
    >>> [axes.get_ylabel() for axes in figure.axes]
    ['pain (0-10)', 'sessions', 'step of the dose']
"""

from __future__ import annotations

import datetime as dt
import textwrap

from typing import TYPE_CHECKING, Any, Final

from .. import _plotting as plotting
from ._pain import PAIN_ZONES, Zone


if TYPE_CHECKING:
    from collections.abc import Iterable

    from matplotlib.figure import Figure

    from ..model import Protocol
    from ._record import SessionRecord


__all__ = ["ZONE_COLOURS", "log_figure"]

#: The shade of each pain zone, light enough to read the points over it.
ZONE_COLOURS: Final = {
    Zone.GREEN: "#d7efc9",
    Zone.AMBER: "#ffe7b3",
    Zone.RED: "#f8cccc",
}


def log_figure(
    protocol: Protocol,
    records: Iterable[SessionRecord],
    *,
    today: dt.date | None = None,
) -> Figure:
    """Draw a person's records of one protocol over time.

    Args:
        protocol: The protocol the records are of; records of another protocol
            are left out, as :func:`~mobility.progress.advise` leaves them.
        records: The records, in any order.
        today: The last day drawn; the last record's day unless given.

    Returns:
        A matplotlib ``Figure``: save it with ``figure.savefig("log.png")``.
        Its axes are the pain (first), the sessions done and planned
        (second), and the step of the dose (third, sharing the second's days).

    Raises:
        ValueError: There is no record of the protocol to draw.
        ModuleNotFoundError: matplotlib is not installed.
    """
    own = sorted((r for r in records if r.protocol_id == protocol.id), key=_moment)
    if not own:
        msg = f"no record of {protocol.id} to draw"
        raise ValueError(msg)
    first = own[0].day
    last = max(today or own[-1].day, own[-1].day)
    figure = plotting.figure_class()(figsize=(9, 7), dpi=100, layout="constrained")
    pain, sessions = figure.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    _pain(pain, own)
    step = _sessions(sessions, protocol, own, first, last)
    pain.set_title(f"{protocol.name}: {first.isoformat()} to {last.isoformat()}")
    # From the start of the first day to the end of the last, where the person was.
    zone = own[0].at.tzinfo
    sessions.set_xlim(
        dt.datetime.combine(first, dt.time(0), tzinfo=zone),
        dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=zone),
    )
    figure.autofmt_xdate()
    rule = (
        protocol.disclaimer.stop_rules[0]
        if protocol.disclaimer and (protocol.disclaimer.stop_rules)
        else "This protocol has no stop rule: do not use it as it stands."
    )
    figure.supxlabel(
        textwrap.fill(f"Stop rule: {rule}", 110), fontsize=9, x=0.01, ha="left"
    )
    step.set_gid("step")
    return figure


def _ticker() -> Any:
    from matplotlib import ticker  # noqa: PLC0415 - an optional extra

    return ticker


def _moment(record: SessionRecord) -> dt.datetime:
    return record.at


def _pain(axes: Any, records: list[SessionRecord]) -> None:
    for zone in PAIN_ZONES:
        axes.axhspan(
            zone.low - 0.5,
            zone.high + 0.5,
            color=ZONE_COLOURS[zone.zone],
            zorder=0,
            label=f"{zone.zone.value} zone ({zone.low}-{zone.high})",
        )
    before = [(r.at, r.pain_before) for r in records if r.pain_before is not None]
    after = [(r.at, r.pain_after) for r in records if r.pain_after is not None]
    rated = [
        r for r in records if r.pain_before is not None and r.pain_after is not None
    ]
    if rated:  # a thin line from before to after shows each session's change
        axes.vlines(
            [r.at for r in rated],
            [r.pain_before for r in rated],
            [r.pain_after for r in rated],
            color="#555555",
            linewidth=0.8,
        )
    if before:
        axes.plot(
            *zip(*before, strict=True),
            "o",
            color="#1f4e79",
            label="pain before",
            gid="pain-before",
        )
    if after:
        axes.plot(
            *zip(*after, strict=True),
            "^",
            color="#8b1a1a",
            label="pain after",
            gid="pain-after",
        )
    axes.set_ylim(-0.5, 10.5)
    axes.set_yticks(range(11))
    axes.set_ylabel("pain (0-10)")
    axes.legend(loc="upper left", fontsize=8, ncols=5)


def _sessions(
    axes: Any,
    protocol: Protocol,
    records: list[SessionRecord],
    first: dt.date,
    last: dt.date,
) -> Any:
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    planned = [protocol.frequency.sessions_in((day - first).days + 1) for day in days]
    done = [sum(1 for r in records if r.done and r.day <= day) for day in days]
    axes.step(
        days,
        planned,
        where="mid",
        color="grey",
        linestyle="--",
        label="planned",
        gid="planned",
    )
    axes.step(days, done, where="mid", color="#1f4e79", label="done", gid="done")
    axes.set_ylabel("sessions")
    axes.set_ylim(bottom=0)
    steps = axes.twinx()
    stepped = [(r.at, r.step) for r in records if r.step is not None]
    if stepped:
        steps.plot(
            *zip(*stepped, strict=True),
            "s",
            color="#6a3d9a",
            label="step of the dose done",
        )
    steps.set_ylabel("step of the dose")
    steps.yaxis.set_major_locator(_ticker().MaxNLocator(integer=True))
    steps.set_ylim(bottom=-0.5, top=max([s for _, s in stepped] + [1]) + 0.5)
    lines = axes.get_legend_handles_labels()
    more = steps.get_legend_handles_labels()
    axes.legend(lines[0] + more[0], lines[1] + more[1], loc="upper left", fontsize=8)
    return steps
