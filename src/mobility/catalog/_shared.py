"""Parts the catalogue's protocols have in common where a source is silent.

Each figure a source does not give is filled in here, with a note naming the
source that is silent and the reference the figure is taken from instead, and
marked as our inference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import attrs

from ..model import (
    Disclaimer,
    Dose,
    Frequency,
    Hold,
    Intensity,
    Range,
    Review,
    Side,
    Source,
)
from ..model.evidence import ACSM_2021, NHS_INFORM


if TYPE_CHECKING:
    from ..model import Caution, RedFlag


def daily(silent: str, *, sessions: int = 1) -> Frequency:
    """Every day, ``sessions`` a day, when ``silent`` gives no frequency.

    After ACSM, which finds daily stretching most effective.
    """
    return Frequency(
        days_per_week=7,
        sessions_per_day=sessions,
        source=attrs.evolve(
            ACSM_2021,
            inferred=True,
            note=(
                f"{silent} gives no frequency; ACSM advises at least 2-3 days "
                "a week and finds daily most effective"
            ),
        ),
    )


def two_weeks(silent: str) -> Source:
    """The source of a 14-day review when ``silent`` gives no time for one."""
    return attrs.evolve(
        NHS_INFORM,
        inferred=True,
        note=(
            f"{silent} gives no time for review; NHS Inform advises review after "
            "2 weeks without improvement"
        ),
    )


def review_after_two_weeks(silent: str, action: str) -> Review:
    """A review after 14 days, when ``silent`` gives no time for one."""
    return Review(after_days=14, action=action, source=two_weeks(silent))


def one_set_to_tightness(silent: str) -> Source:
    """The assumption of a dose whose source gives no sets, nor how far to go."""
    return attrs.evolve(
        ACSM_2021,
        inferred=True,
        note=(
            f"{silent} gives neither sets nor intensity; we count its "
            "repetitions as one set, stretched to the point of tightness as ACSM "
            "advises"
        ),
    )


def quoting(source: Source, figures: str) -> Source:
    """``source`` with a note that quotes the figures it states."""
    return attrs.evolve(source, note=figures)


def stated_dose(
    source: Source,
    side: Side,
    reps: Range,
    hold: Hold | float | tuple[float, float] | None,
    *,
    silent: str,
) -> Dose:
    """A dose as ``source`` states it, in one set, stretched to tightness.

    ``source`` quotes the figures (see :func:`quoting`); the set and the
    intensity, which ``silent`` does not give, are marked as our inference.
    """
    return Dose(
        side=side,
        reps=reps,
        hold=hold,
        sets=Range(1),
        intensity=Intensity.TIGHTNESS,
        source=source,
        assumptions=(one_set_to_tightness(silent),),
    )


DAILY: Final = daily("the source protocol")
TWO_WEEK_REVIEW: Final = two_weeks("the source protocol")
ONE_SET_TO_TIGHTNESS: Final = one_set_to_tightness("the source protocol")

#: The general notice every protocol of published guidance carries.
NOTICE: Final = (
    "These are general exercises from published guidance, not advice for your "
    "own back. They may not suit everyone: if you are unsure whether they suit "
    "you, ask a physical therapist or your doctor."
)

#: NHS Inform's rule for when to stop, for sources that give none of their own.
NHS_INFORM_STOP: Final = (
    "Stop if the exercises make your symptoms worse or cause new pain."
)


def taking_turns(dose: Dose) -> Dose:
    """A dose for each side whose sides take turns, one repetition each.

    For the exercises whose steps go to one side and then the other within a
    repetition ("then do the same to the other side"): the order is read from
    the steps, not from a source's dose. A dose of any other side is returned
    as it is.
    """
    return attrs.evolve(dose, in_turn=True) if dose.side is Side.EACH else dose


def disclaimer(
    *,
    stop_rules: tuple[str, ...],
    seek_care: tuple[str, ...],
    red_flags: tuple[RedFlag, ...],
    cautions: tuple[Caution, ...],
    source: Source,
) -> Disclaimer:
    """The safety text of a protocol of published guidance, with :data:`NOTICE`."""
    return Disclaimer(
        text=NOTICE,
        stop_rules=stop_rules,
        seek_care=seek_care,
        red_flags=red_flags,
        cautions=cautions,
        source=source,
    )
