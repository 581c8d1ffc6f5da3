"""The pain rules of the advice, as data: zones of the 0-10 scale and the trend.

Each zone and threshold carries the source it comes from, and says where the
figure is our reading of that source rather than its own statement, as the
safety limits do.
"""

from __future__ import annotations

import enum

from typing import TYPE_CHECKING, Final

import attrs

from ..errors import InvalidModelError
from ..model import evidence


if TYPE_CHECKING:
    from ..model import Source


__all__ = ["PAIN_ZONES", "TREND", "PainTrend", "PainZone", "Zone", "pain_zone"]


class Zone(enum.StrEnum):
    """The traffic-light zones of the pain-monitoring model."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"


@attrs.frozen(kw_only=True)
class PainZone:
    """A band of the 0-10 numeric rating scale and what it allows.

    Args:
        zone: Its colour.
        low: The lowest rating in it.
        high: The highest rating in it.
        meaning: What the zone allows, in words.
        may_grow: Whether a dose may grow after sessions rated in it.
        stops: Whether a rating in it, before or after any session, means stop.
        source: Where the band and its meaning come from.
    """

    zone: Zone
    low: int
    high: int
    meaning: str
    may_grow: bool
    stops: bool
    source: Source


@attrs.frozen(kw_only=True)
class PainTrend:
    """A rise of the pain before sessions that counts as getting worse.

    A rise counts when it ends outside the green zone (0-2), where the model
    lets a dose grow.

    Args:
        points: The smallest rise on the 0-10 scale that counts.
        days: How many earlier days a rating is compared with.
        source: Where the figures come from.
    """

    points: int
    days: int
    source: Source


_READING: Final = (
    "the bands are the clinic traffic light of the model; applying them to the "
    "pain before and after a stretching session is our reading"
)


def _silbernagel(note: str = _READING) -> Source:
    return attrs.evolve(evidence.SILBERNAGEL_2007, note=note, inferred=True)


#: The zones, lowest first; every whole rating from 0 to 10 is in exactly one.
PAIN_ZONES: Final = (
    PainZone(
        zone=Zone.GREEN, low=0, high=2, meaning="go on; the dose may grow",
        may_grow=True, stops=False, source=_silbernagel(),
    ),
    PainZone(
        zone=Zone.AMBER, low=3, high=5,
        meaning="go on at the same dose; do not grow it",
        may_grow=False, stops=False, source=_silbernagel(),
    ),
    PainZone(
        zone=Zone.RED, low=6, high=10,
        meaning="stop, and act on the protocol's stop rule",
        may_grow=False, stops=True,
        source=_silbernagel("pain above 5 of 10 means stop; " + _READING),
    ),
)  # fmt: skip

#: Pain before sessions rising by this much is "getting worse", which the source
#: protocol sends to a physical therapist.
TREND: Final = PainTrend(
    points=2,
    days=7,
    source=attrs.evolve(
        evidence.FARRAR_2001,
        note=(
            "2 points is the smallest change patients rate as important; comparing "
            "with the lowest rating of the 7 days before, after Silbernagel's "
            "'should not rise from week to week', and counting only a rise that "
            "leaves the green zone, are our reading"
        ),
        inferred=True,
    ),
)


def pain_zone(pain: int) -> PainZone:
    """The zone a rating on the 0-10 scale falls in.

    Example:
        >>> pain_zone(2).zone, pain_zone(3).zone, pain_zone(6).zone
        (<Zone.GREEN: 'green'>, <Zone.AMBER: 'amber'>, <Zone.RED: 'red'>)
    """
    for zone in PAIN_ZONES:
        if zone.low <= pain <= zone.high:
            return zone
    msg = f"pain is rated from 0 to 10, got {pain!r}"
    raise InvalidModelError(msg, field="pain")
