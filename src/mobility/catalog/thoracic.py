"""Open book: the catalogue's protocol for a stiff upper back.

The dose is the source protocol's: a thoracic mobility exercise done 3 times on
each side, each stretch held 30 seconds. The source does not name the exercise;
the side-lying thoracic rotation ("open book") is the catalogue's choice, and its
description is ours. Frequency, review, sets and intensity are filled in as for
the lumbar protocol and marked as our inference. Its red flags are the signs an
NHS trust's upper-back advice sends people to A&E for, then those of the low-back
guidance (NICE NG59 and the NHS), used as a general back-pain list; that
use is our inference, and their source says so.
"""

from __future__ import annotations

from typing import Final

import attrs

from ..model import (
    Dose,
    Exercise,
    Hold,
    Intensity,
    Posture,
    Protocol,
    Range,
    Region,
    Review,
    Side,
    Source,
    Step,
)
from ..model.evidence import ACSM_2021, NHS_INFORM, PEAK_PHYSIO, SOURCE_PROTOCOL
from ._drawings import figure
from ._shared import DAILY, ONE_SET_TO_TIGHTNESS, TWO_WEEK_REVIEW
from ._sources import WWL_NECK_UPPER_BACK
from .back_safety import UPPER_BACK_DISCLAIMER, UPPER_BACK_RED_FLAG_SOURCE


__all__ = ["OPEN_BOOK"]

_EXERCISE_CHOICE: Final = Source(
    "Side-lying thoracic rotation ('open book'), a standard thoracic mobility "
    "exercise in clinic home programmes",
    inferred=True,
    note=(
        "the source protocol does not name its thoracic exercise; choosing and "
        "describing this one is the catalogue's decision, and so is the purpose, "
        "turning the upper spine through its range of rotation, which follows "
        "from that choice"
    ),
)

OPEN_BOOK: Final = Protocol(
    id="thoracic-open-book",
    name="Open book thoracic rotation",
    region=Region.THORACIC,
    purpose=(
        "Mobility work for a stiff upper back: turning the upper (thoracic) spine "
        "through its range of rotation."
    ),
    exercises=(
        Exercise(
            id="open-book",
            figure=figure("open-book"),
            name="Open book (side-lying thoracic rotation)",
            position=(
                "Lie on one side with your hips and knees bent and your knees "
                "together. Stretch both arms out in front of you at shoulder "
                "height, palms together."
            ),
            steps=(
                Step(
                    "Lift your top arm up and over, turning your chest towards the "
                    "ceiling, until your arm opens out towards the floor behind you.",
                    cue="Keep your knees together and resting on the floor.",
                ),
                Step(
                    "Hold the stretch for {hold}.",
                    cue="Let your head and eyes follow your hand.",
                ),
                Step("Bring your arm back over to rest on the other hand."),
                Step(
                    "Do this {times}, then lie on your other side and do it "
                    "{times} there."
                ),
            ),
            dose=Dose(
                side=Side.EACH,
                reps=Range(3),
                hold=Hold(Range(30)),
                sets=Range(1),
                intensity=Intensity.TIGHTNESS,
                source=attrs.evolve(
                    SOURCE_PROTOCOL,
                    note="3 times on each side, each stretch held 30 s",
                ),
                assumptions=(ONE_SET_TO_TIGHTNESS,),
            ),
            source=_EXERCISE_CHOICE,
            posture=Posture.LYING_ON_SIDE,
        ),
    ),
    frequency=DAILY,
    review=Review(
        after_days=14,
        action=(
            "If your upper-back stiffness has not improved, or it is getting worse, "
            "contact a physical therapist."
        ),
        source=TWO_WEEK_REVIEW,
    ),
    disclaimer=UPPER_BACK_DISCLAIMER,
    sources=(
        SOURCE_PROTOCOL,
        _EXERCISE_CHOICE,
        PEAK_PHYSIO,
        ACSM_2021,
        NHS_INFORM,
        WWL_NECK_UPPER_BACK,
        UPPER_BACK_RED_FLAG_SOURCE,
    ),
)
