"""How each catalogue exercise's start and end pose is worked out.

Each pose is written from the exercise's own start position and steps, in the
joints of :mod:`mobility.model.figures`; the angles are our reading of the
words, not a source's figures. Some poses are searched for: the hands brought
to a knee (:func:`~mobility.model.figures.reaching`), or hands, knees and toes
held on the floor while the back and hips move
(:func:`~mobility.model.figures.holding`). The searches take a second or two, so
the catalogue does not run them: ``make figures`` (``python -m
mobility.catalog._poses``) writes what they find to ``figures.json``, which
the catalogue reads, and a test holds that file equal to what this module
works out. tests/test_body.py checks each figure against its steps.
"""

from __future__ import annotations

import json
import sys

from pathlib import Path
from typing import Final

import attrs

from ..model.figures import Figure, Pose, View, holding, reaching
from ._drawings import pose_data


# Which way the body lies: the pelvis's up (towards the head) and front.
_STANDING: Final = {"up": (0.0, 0.0, 1.0), "forward": (1.0, 0.0, 0.0)}
_ON_BACK: Final = {"up": (-1.0, 0.0, 0.0), "forward": (0.0, 0.0, 1.0)}
_ON_FOURS: Final = {"up": (1.0, 0.0, 0.0), "forward": (0.0, 0.0, -1.0)}
_ON_SIDE: Final = {"up": (-1.0, 0.0, 0.0), "forward": (0.0, 1.0, 0.0)}


def _both(**angles: float) -> dict[str, float]:
    """The same angle on the left and the right."""
    return {
        f"{side}_{joint}": a
        for joint, a in angles.items()
        for side in ("left", "right")
    }


_KNEES_BENT: Final = _both(
    hip_flexion=45.0, knee_flexion=90.0, ankle_dorsiflexion=-45.0
)
_ARMS_ALONG: Final = _both(shoulder_abduction=10.0)
_ARMS_OVERHEAD: Final = _both(shoulder_flexion=170.0)
_SITTING: Final = _both(hip_flexion=90.0, knee_flexion=90.0)
# On all fours the arms, to the wrist, are longer than the thighs, so the trunk
# rises towards the head, by asin((0.332 - 0.245) / 0.288), about 18 degrees:
# thighs and arms upright then need the hips and shoulders each flexed 18
# degrees less than a right angle, and the hands lie flat: forearms turned palm
# back, wrists extended.
_FOURS: Final = _both(
    hip_flexion=72.0,
    knee_flexion=100.0,
    ankle_dorsiflexion=-45.0,
    shoulder_flexion=72.0,
    forearm_pronation=160.0,
    wrist_extension=80.0,
)
# Arms at shoulder height, elbows bent, hands up and palms forward.
_GOALPOST: Final = _both(
    shoulder_abduction=90.0, shoulder_rotation=90.0, elbow_flexion=90.0
)
_SIDE_LYING: Final = _both(hip_flexion=80.0, knee_flexion=90.0, shoulder_flexion=90.0)


def _pose(
    lying: dict[str, tuple[float, float, float]],
    *parts: dict[str, float],
    rest: tuple[str, ...] = (),
    roll: float = 0.0,
) -> Pose:
    angles: dict[str, float] = {}
    for part in parts:
        angles |= part
    return Pose(
        up=lying["up"], forward=lying["forward"], angles=angles, rest=rest, roll=roll
    )


# Each hand on its own shoulder, elbows forward.
_HANDS_ON_SHOULDERS: Final = reaching(
    reaching(_pose(_STANDING, _SITTING), "left", "left_shoulder"),
    "right",
    "right_shoulder",
).by_joint
# Arms crossed, each hand on the other shoulder: brought across the front,
# then each hand taken to the other shoulder.
_ARMS_CROSSED: Final = reaching(
    reaching(
        _pose(_STANDING, _SITTING, _both(shoulder_horizontal=-80.0)),
        "left",
        "right_shoulder",
    ),
    "right",
    "left_shoulder",
).by_joint

_BACK_DOWN: Final = ("chest", "pelvis", "left_toe", "right_toe")
_HANDS_AND_KNEES: Final = ("left_knee", "right_knee", "left_wrist", "right_wrist")
# On all fours, what stays on the floor while the back and hips move.
_ON_THE_FLOOR: Final = (
    *_HANDS_AND_KNEES,
    "left_toe",
    "right_toe",
    "left_hand",
    "right_hand",
)
_ALL_FOURS: Final = _pose(_ON_FOURS, _FOURS, rest=_HANDS_AND_KNEES)


def _holding(pose: Pose, knee: str) -> Pose:
    """Both hands brought to a knee."""
    return reaching(reaching(pose, "left", knee), "right", knee)


_KNEES_DOWN: Final = Figure(
    view=View.FEET,
    start=_pose(_ON_BACK, _KNEES_BENT, _ARMS_ALONG, rest=_BACK_DOWN),
    end=_pose(
        _ON_BACK,
        _KNEES_BENT,
        _ARMS_ALONG,
        {"lumbar_rotation": 50.0},
        rest=("chest", "left_toe", "right_toe"),
        roll=-50.0,
    ),
    arrow="left_knee",
)

#: Each exercise's figure, by the exercise's id.
FIGURES: Final = {
    "knee-rolls": attrs.evolve(
        _KNEES_DOWN,
        start=_pose(_ON_BACK, _KNEES_BENT, _ARMS_OVERHEAD, rest=_BACK_DOWN),
        end=_pose(
            _ON_BACK,
            _KNEES_BENT,
            _ARMS_OVERHEAD,
            {"lumbar_rotation": 50.0},
            rest=("chest", "left_toe", "right_toe"),
            roll=-50.0,
        ),
    ),
    "lower-trunk-rotation": _KNEES_DOWN,
    "knee-to-chest": Figure(
        view=View.SIDE,
        start=_pose(_ON_BACK, _KNEES_BENT, _ARMS_ALONG, rest=_BACK_DOWN),
        end=_holding(
            _pose(
                _ON_BACK,
                _KNEES_BENT,
                {
                    "left_hip_flexion": 120.0,
                    "left_knee_flexion": 120.0,
                    "left_ankle_dorsiflexion": 0.0,
                },
                rest=("chest", "pelvis", "right_toe"),
            ),
            "left_knee",
        ),
        arrow="left_knee",
    ),
    "double-knee-to-chest": Figure(
        view=View.SIDE,
        start=_pose(_ON_BACK, _KNEES_BENT, _ARMS_ALONG, rest=_BACK_DOWN),
        end=_holding(
            _pose(
                _ON_BACK,
                _both(hip_flexion=120.0, knee_flexion=120.0),
                rest=("chest", "pelvis"),
            ),
            "left_knee",
        ),
        arrow="left_knee",
    ),
    "pelvic-tilt": Figure(
        view=View.SIDE,
        start=_pose(_ON_BACK, _KNEES_BENT, _ARMS_ALONG, rest=_BACK_DOWN),
        end=_pose(
            _ON_BACK,
            _KNEES_BENT,
            _ARMS_ALONG,
            {"lumbar_flexion": 12.0},
            rest=("chest", "left_toe", "right_toe"),
        ),
        arrow="pelvis",
    ),
    # The back rounds up and the head drops; hands and knees stay put.
    "cat-cow": Figure(
        view=View.SIDE,
        start=_ALL_FOURS,
        end=holding(
            _ALL_FOURS,
            _pose(
                _ON_FOURS,
                _FOURS,
                {
                    "lumbar_flexion": 25.0,
                    "thoracic_flexion": 30.0,
                    "neck_flexion": 40.0,
                },
                rest=_HANDS_AND_KNEES,
            ),
            keep=_ON_THE_FLOOR,
            free=("hip_flexion", "knee_flexion", "shoulder_flexion", "wrist_extension"),
        ),
        arrow="waist",
    ),
    # The bottom goes back towards the heels; hands, knees and toes stay put.
    "bottom-to-heels": Figure(
        view=View.SIDE,
        start=_ALL_FOURS,
        end=holding(
            _ALL_FOURS,
            _pose(
                _ON_FOURS,
                _FOURS,
                _both(knee_flexion=140.0, hip_flexion=115.0),
                {"lumbar_flexion": 20.0, "neck_flexion": 20.0},
                rest=_HANDS_AND_KNEES,
            ),
            keep=_ON_THE_FLOOR,
            free=(
                "hip_flexion",
                "shoulder_flexion",
                "elbow_flexion",
                "wrist_extension",
                "ankle_dorsiflexion",
            ),
        ),
        arrow="pelvis",
    ),
    "deep-lunge": Figure(
        view=View.SIDE,
        start=_pose(
            _STANDING,
            {
                "left_hip_flexion": 90.0,
                "left_knee_flexion": 90.0,
                "right_knee_flexion": 100.0,
                "right_ankle_dorsiflexion": -45.0,
            },
            rest=("left_toe", "right_knee", "right_toe"),
        ),
        end=_pose(
            _STANDING,
            {
                "left_hip_flexion": 70.0,
                "left_knee_flexion": 100.0,
                "right_hip_flexion": -15.0,
                "right_knee_flexion": 30.0,
                "right_ankle_dorsiflexion": 15.0,
            },
            rest=("left_toe", "right_toe"),
        ),
        arrow="right_knee",
    ),
    "back-bends": Figure(
        view=View.SIDE,
        start=_pose(_STANDING, _both(shoulder_flexion=-40.0, elbow_flexion=100.0)),
        end=_pose(
            _STANDING,
            _both(shoulder_flexion=-40.0, elbow_flexion=100.0),
            {"lumbar_flexion": -25.0, "thoracic_flexion": -10.0, "neck_flexion": -20.0},
        ),
        arrow="head",
    ),
    "side-stretch": Figure(
        view=View.FRONT,
        start=_pose(_STANDING, _SITTING),
        end=_pose(
            _STANDING,
            _SITTING,
            {
                "right_shoulder_abduction": 160.0,
                "lumbar_side": 15.0,
                "thoracic_side": 15.0,
            },
        ),
        arrow="right_hand",
        chair=True,
    ),
    "upper-body-twist": Figure(
        view=View.TOP,
        start=_pose(_STANDING, _SITTING, _ARMS_CROSSED),
        end=_pose(
            _STANDING,
            _SITTING,
            _ARMS_CROSSED,
            {"lumbar_rotation": 15.0, "thoracic_rotation": 35.0},
        ),
        arrow="right_shoulder",
        chair=True,
    ),
    "chest-stretch": Figure(
        view=View.TOP,
        start=_pose(_STANDING, _SITTING, _both(shoulder_abduction=30.0)),
        end=_pose(
            _STANDING,
            _SITTING,
            _both(shoulder_abduction=80.0, shoulder_horizontal=30.0),
            {"thoracic_flexion": -15.0},
        ),
        arrow="left_hand",
        chair=True,
    ),
    "shoulder-squeeze": Figure(
        view=View.TOP,
        start=_pose(_STANDING, _SITTING, _GOALPOST),
        end=_pose(_STANDING, _SITTING, _GOALPOST, _both(shoulder_horizontal=30.0)),
        arrow="left_elbow",
        chair=True,
    ),
    "elbows-back": Figure(
        view=View.SIDE,
        start=_pose(_STANDING, _SITTING, _both(elbow_flexion=90.0)),
        end=_pose(
            _STANDING, _SITTING, _both(shoulder_flexion=-45.0, elbow_flexion=90.0)
        ),
        arrow="left_elbow",
        chair=True,
    ),
    "trunk-mobility": Figure(
        view=View.TOP,
        start=_pose(_STANDING, _SITTING, _HANDS_ON_SHOULDERS),
        end=_pose(
            _STANDING,
            _SITTING,
            _HANDS_ON_SHOULDERS,
            {"lumbar_rotation": 15.0, "thoracic_rotation": 35.0},
        ),
        arrow="right_elbow",
        chair=True,
    ),
    # Lying on the left side: the right arm is on top, and the chest turns to
    # the person's right, towards the ceiling, as that arm opens out behind.
    "open-book": Figure(
        view=View.FEET,
        start=_pose(_ON_SIDE, _SIDE_LYING, rest=("left_hip",)),
        end=_pose(
            _ON_SIDE,
            _SIDE_LYING,
            {
                "thoracic_rotation": -45.0,
                "lumbar_rotation": -15.0,
                "right_shoulder_flexion": 0.0,
                "right_shoulder_abduction": 90.0,
                "right_shoulder_horizontal": 45.0,
            },
            rest=("left_hip",),
        ),
        arrow="right_hand",
    ),
}


#: Where the worked-out figures are shipped.
SHIPPED: Final = Path(__file__).with_name("figures.json")


def generated() -> str:
    """The text of ``figures.json``: every figure, its searched poses worked out."""
    data = {
        exercise_id: {
            "view": figure.view,
            "chair": figure.chair,
            "arrow": figure.arrow,
            "start": pose_data(figure.start),
            "end": pose_data(figure.end),
        }
        for exercise_id, figure in sorted(FIGURES.items())
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - make figures
    SHIPPED.write_text(generated(), encoding="utf-8")
    sys.stdout.write(f"wrote {SHIPPED}\n")
