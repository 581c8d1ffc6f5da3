"""A first draft of each catalogue exercise's start and end pose (issue 28).

DRAFT, used by nothing public: rendered (tests/test_body.py draws them all),
several do not yet read as their steps say. Each pose is written from the
exercise's own start position and steps, in the joints of
:mod:`mobility.model._body`; the angles are our reading of the words, not a
source's figures. Rendered on 2026-12-04, after the body learned to tip until
its resting landmarks are level (``Pose.rest``), to roll its pelvis
(``Pose.roll``), to draw an arm back (``shoulder_horizontal``) and to bring a
hand to a landmark (``reaching``):

- read well enough, and tests/test_body.py checks each against its steps:
  knee-to-chest, double-knee-to-chest, pelvic-tilt (the tilt is small, as it
  is), deep-lunge, back-bends, elbows-back, side-stretch, and knee-rolls and
  lower-trunk-rotation seen from the feet;
- all fours (the start of cat-cow and bottom-to-heels) is right: thighs and
  arms upright, knees, shins and wrists on the floor, hands flat and forward
  (tests/test_body.py checks it). Their ends are wrong: the cat's back drops
  instead of rounding up, since a rounded back needs the pelvis to tuck as
  the spine bends, with hands and knees held where they are, a closed chain
  that tipping alone cannot solve; sitting back onto the heels likewise lifts
  the shins. Both need a small solver that holds chosen landmarks in place;
- hard to read: the seated twists and the open book from above (upper-body-
  twist, trunk-mobility, chest-stretch, shoulder-squeeze, open-book): the
  head's circle hides the shoulders' line; a view from above and behind, or
  the shoulders drawn as a bar, may be needed.
"""

from __future__ import annotations

from typing import Final

import attrs

from ..model._body import Pose, reaching


@attrs.frozen
class Figure:
    """How to draw one exercise: the view, the two poses, and what goes with them.

    Args:
        view: ``"side"``, ``"front"``, ``"top"`` or ``"feet"`` (from beyond the
            feet and above): whichever shows the movement.
        start: The start position.
        end: The end of the movement, to one side where the dose is per side.
        arrow: The landmark whose path the arrow shows.
        chair: Whether the person sits on a chair.
    """

    view: str
    start: Pose
    end: Pose
    arrow: str
    chair: bool = False


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
    knee_flexion=90.0,
    ankle_dorsiflexion=-40.0,
    shoulder_flexion=72.0,
    forearm_pronation=160.0,
    wrist_extension=80.0,
)
_HANDS_ON_SHOULDERS: Final = _both(shoulder_flexion=30.0, elbow_flexion=150.0)
_ARMS_CROSSED: Final = _both(
    shoulder_flexion=70.0, shoulder_abduction=-20.0, elbow_flexion=130.0
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


_BACK_DOWN: Final = ("chest", "pelvis", "left_toe", "right_toe")
_HANDS_AND_KNEES: Final = ("left_knee", "right_knee", "left_wrist", "right_wrist")


def _holding(pose: Pose, knee: str) -> Pose:
    """Both hands brought to a knee."""
    return reaching(reaching(pose, "left", knee), "right", knee)


_KNEES_DOWN: Final = Figure(
    view="feet",
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
        view="side",
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
        view="side",
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
        view="side",
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
    "cat-cow": Figure(
        view="side",
        start=_pose(_ON_FOURS, _FOURS, rest=_HANDS_AND_KNEES),
        end=_pose(
            _ON_FOURS,
            _FOURS,
            {"lumbar_flexion": 15.0, "thoracic_flexion": 20.0, "neck_flexion": 35.0},
            _both(shoulder_flexion=45.0),
            rest=_HANDS_AND_KNEES,
        ),
        arrow="waist",
    ),
    "bottom-to-heels": Figure(
        view="side",
        start=_pose(_ON_FOURS, _FOURS, rest=_HANDS_AND_KNEES),
        end=_pose(
            _ON_FOURS,
            _FOURS,
            _both(
                hip_flexion=120.0,
                knee_flexion=140.0,
                shoulder_flexion=150.0,
                wrist_extension=60.0,
            ),
            rest=_HANDS_AND_KNEES,
        ),
        arrow="pelvis",
    ),
    "deep-lunge": Figure(
        view="side",
        start=_pose(
            _STANDING,
            {
                "left_hip_flexion": 90.0,
                "left_knee_flexion": 90.0,
                "right_knee_flexion": 90.0,
                "right_ankle_dorsiflexion": -40.0,
            },
            rest=("left_toe", "right_knee"),
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
        view="side",
        start=_pose(_STANDING, _both(shoulder_flexion=-40.0, elbow_flexion=100.0)),
        end=_pose(
            _STANDING,
            _both(shoulder_flexion=-40.0, elbow_flexion=100.0),
            {"lumbar_flexion": -25.0, "thoracic_flexion": -10.0, "neck_flexion": -20.0},
        ),
        arrow="head",
    ),
    "side-stretch": Figure(
        view="front",
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
        view="top",
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
        view="top",
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
        view="top",
        start=_pose(
            _STANDING, _SITTING, _both(shoulder_abduction=90.0, elbow_flexion=90.0)
        ),
        end=_pose(
            _STANDING,
            _SITTING,
            _both(
                shoulder_abduction=90.0, elbow_flexion=90.0, shoulder_horizontal=30.0
            ),
        ),
        arrow="left_elbow",
        chair=True,
    ),
    "elbows-back": Figure(
        view="side",
        start=_pose(_STANDING, _SITTING, _both(elbow_flexion=90.0)),
        end=_pose(
            _STANDING, _SITTING, _both(shoulder_flexion=-45.0, elbow_flexion=90.0)
        ),
        arrow="left_elbow",
        chair=True,
    ),
    "trunk-mobility": Figure(
        view="top",
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
    "open-book": Figure(
        view="top",
        start=_pose(_ON_SIDE, _SIDE_LYING),
        end=_pose(
            _ON_SIDE,
            _SIDE_LYING,
            {
                "thoracic_rotation": 45.0,
                "lumbar_rotation": 30.0,
                "left_shoulder_horizontal": 45.0,
            },
        ),
        arrow="left_hand",
    ),
}
