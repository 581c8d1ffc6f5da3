"""Parts the catalogue's protocols have in common where the source is silent."""

from __future__ import annotations

from typing import Final

import attrs

from ..evidence import ACSM_2021, NHS_INFORM
from ..model import Frequency


DAILY: Final = Frequency(
    days_per_week=7,
    sessions_per_day=1,
    source=attrs.evolve(
        ACSM_2021,
        inferred=True,
        note=(
            "the source protocol gives no frequency; ACSM advises at least 2-3 days "
            "a week and finds daily most effective"
        ),
    ),
)

TWO_WEEK_REVIEW: Final = attrs.evolve(
    NHS_INFORM,
    inferred=True,
    note=(
        "the source protocol gives no time for review; NHS Inform advises review "
        "after 2 weeks without improvement"
    ),
)

ONE_SET_TO_TIGHTNESS: Final = attrs.evolve(
    ACSM_2021,
    inferred=True,
    note=(
        "the source protocol gives neither sets nor intensity; we count its "
        "repetitions as one set, stretched to the point of tightness as ACSM "
        "advises"
    ),
)
