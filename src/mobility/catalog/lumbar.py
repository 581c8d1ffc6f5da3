"""Lower trunk rotation: the catalogue's protocol for a stiff lower back.

Everything about the exercise (purpose, start position, steps, hold, repetitions,
sides, the escalation advice and the safety text) is the source protocol's. What
the source does not give is filled in and marked as our inference: how often to do
it (daily, after ACSM's guidance that daily stretching is most effective), when to
review (two weeks, after NHS Inform), that its repetitions are one set, and how
far to stretch (to tightness, after ACSM).
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
    Step,
)
from ..model.evidence import ACSM_2021, NHS_INFORM, NICE_NG59, SOURCE_PROTOCOL
from ._drawings import figure
from ._shared import DAILY, ONE_SET_TO_TIGHTNESS, TWO_WEEK_REVIEW
from .back_safety import BACK_DISCLAIMER


__all__ = ["LOWER_TRUNK_ROTATION"]

LOWER_TRUNK_ROTATION: Final = Protocol(
    id="lower-trunk-rotation",
    name="Lower trunk rotation",
    region=Region.LUMBAR,
    purpose=(
        "More flexibility in the lower back (lumbar spine) and hips, so the spine "
        "can move and rotate further."
    ),
    rationale=(
        "Stiffness often comes from a joint that cannot move through its full "
        "range of motion, or from one or more muscles that are tight. Mobility "
        "work addresses both."
    ),
    exercises=(
        Exercise(
            id="lower-trunk-rotation",
            figure=figure("lower-trunk-rotation"),
            name="Lower trunk rotation",
            position=(
                "Lie on your back with your knees bent and your feet flat on the floor."
            ),
            steps=(
                Step(
                    "Keep your knees together and lower them to one side.",
                    cue="Your feet stay on the floor.",
                ),
                Step("Hold there for {hold}."),
                Step(
                    "Tighten your abdominal muscles and bring your legs across to "
                    "the other side. Hold there for {hold} as well."
                ),
                Step("Do {reps} {sides}."),
            ),
            dose=Dose(
                side=Side.EACH,
                in_turn=True,  # the steps go to one side, then the other
                reps=Range(10, 15),
                hold=Hold(Range(10, 15)),
                sets=Range(1),
                intensity=Intensity.TIGHTNESS,
                source=attrs.evolve(
                    SOURCE_PROTOCOL,
                    note="hold 10-15 s, 10-15 repetitions, on each side",
                ),
                assumptions=(ONE_SET_TO_TIGHTNESS,),
            ),
            source=SOURCE_PROTOCOL,
            posture=Posture.LYING_ON_BACK,
        ),
    ),
    frequency=DAILY,
    review=Review(
        after_days=14,
        action=(
            "If your stiffness has not improved, or it is getting worse, contact a "
            "physical therapist, or your primary-care physician, who can refer you "
            "to one."
        ),
        source=TWO_WEEK_REVIEW,
    ),
    disclaimer=BACK_DISCLAIMER,
    sources=(SOURCE_PROTOCOL, ACSM_2021, NHS_INFORM, NICE_NG59),
)
