"""A figure as data: the view, and a pose for the start and the end.

The classes an :class:`~mobility.Exercise` holds its figure in, and the names
they accept. :mod:`mobility.model.figures` works out where a pose puts the body
and documents the whole; this module holds only what the model needs to check a
figure, so that the model can hold one without the geometry.
"""

from __future__ import annotations

import enum

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs

from ..errors import InvalidModelError
from ._checks import (
    UNIT_TOLERANCE,
    Between,
    Direction,
    EachInstanceOf,
    InstanceOf,
    OneOf,
    checks,
    normalize_number,
)


if TYPE_CHECKING:
    from collections.abc import Iterable

#: The joints a pose may turn, each with the range drawn, so that no figure
#: shows a joint further than a person would move it. The limb's limits are the
#: tables' (:data:`~mobility.model.figures.AAOS_UPPER_LIMB`,
#: :data:`~mobility.model.figures.MERCK_LOWER_LIMB`) except where a
#: comment says otherwise; the trunk's and neck's, and how the trunk's motion is
#: split between the lumbar and thoracic spine, are our choice.
LIMITS: Final = MappingProxyType(
    {
        "lumbar_flexion": (-25.0, 60.0),
        "lumbar_side": (-25.0, 25.0),
        "lumbar_rotation": (-90.0, 90.0),  # with the pelvis turned by the knees
        "thoracic_flexion": (-20.0, 40.0),
        "thoracic_side": (-20.0, 20.0),
        "thoracic_rotation": (-45.0, 45.0),
        "neck_flexion": (-40.0, 45.0),
        "hip_flexion": (-15.0, 125.0),
        "hip_abduction": (-45.0, 45.0),
        # Past the table's active 130 to 145: kneeling and sitting back towards the
        # heels bend the knee further under the body's weight, about 140 on average
        # in a study of kneeling (KNEELING).
        "knee_flexion": (0.0, 145.0),
        "ankle_dorsiflexion": (-50.0, 20.0),
        "shoulder_flexion": (-60.0, 180.0),
        "shoulder_abduction": (-30.0, 180.0),  # -30, across the body: our choice
        # About the trunk's long axis: an arm out to the side drawn back (+), or
        # brought across the front (-), as far as a hand on the other shoulder: our
        # choice, the table gives no horizontal motion.
        "shoulder_horizontal": (-130.0, 45.0),
        "shoulder_rotation": (-70.0, 90.0),  # outwards: a bent elbow's hand turns up
        "elbow_flexion": (0.0, 150.0),
        # From the palm forward of the anatomical position (supination 80) to the
        # palm back (pronation 80).
        "forearm_pronation": (0.0, 160.0),
        # Past the table's active 70 to 90: a hand flat on the floor under the
        # body's weight is pushed further than it moves by itself (our inference).
        "wrist_extension": (-80.0, 90.0),
    }
)
#: The joints that come in pairs, named with ``left_`` or ``right_``.
PAIRED: Final = frozenset(
    {
        "hip_flexion",
        "hip_abduction",
        "knee_flexion",
        "ankle_dorsiflexion",
        "shoulder_flexion",
        "shoulder_abduction",
        "shoulder_horizontal",
        "shoulder_rotation",
        "elbow_flexion",
        "forearm_pronation",
        "wrist_extension",
    }
)
#: Every joint a pose may turn: the paired ones with ``left_`` or ``right_``.
JOINTS: Final = tuple(
    f"{side}_{name}" if name in PAIRED else name
    for name in LIMITS
    for side in (("left", "right") if name in PAIRED else ("",))
)


#: Every landmark of the body: where the segments meet, and the head and face.
LANDMARKS: Final = (
    "pelvis",
    "waist",
    "chest",
    "head",
    "face",
    *(
        f"{side}_{part}"
        for side in ("left", "right")
        for part in (
            "hip",
            "knee",
            "ankle",
            "toe",
            "shoulder",
            "elbow",
            "wrist",
            "hand",
        )
    ),
)


def limit(joint: str) -> tuple[float, float]:
    """The range a joint is drawn within, in degrees (``left_knee_flexion``...)."""
    return LIMITS[joint.removeprefix("left_").removeprefix("right_")]


class View(enum.StrEnum):
    """Where a figure is seen from: whichever shows the movement."""

    SIDE = "side"
    """From the person's left side."""
    FRONT = "front"
    """From in front."""
    TOP = "top"
    """From above."""
    FEET = "feet"
    """From beyond the feet of someone lying down, and above."""


@attrs.frozen
class Turn:
    """One joint turned: its name, and its angle in degrees.

    Args:
        joint: One of :data:`~mobility.model.figures.JOINTS`, such as
            ``"left_knee_flexion"``.
        degrees: The angle from the standing anatomical position, positive in
            the direction the name says, within the joint's
            :func:`~mobility.model.figures.limit`.
    """

    joint: str = attrs.field(**checks(OneOf(JOINTS, "a joint name")))
    degrees: float = attrs.field(
        converter=normalize_number, **checks(Between(-180, 180))
    )

    def __attrs_post_init__(self) -> None:
        low, high = limit(self.joint)
        if not low <= self.degrees <= high:
            problem = (
                f"{self.joint} is drawn from {low:g} to {high:g} degrees, "
                f"got {self.degrees:g}"
            )
            raise InvalidModelError(
                f"Turn.degrees: {problem}", field="degrees", problem=problem
            )


def _turns(value: Mapping[str, float] | Iterable[Turn]) -> tuple[Turn, ...]:
    """Turns from a mapping of joint to degrees, or as given; sorted by joint."""
    if isinstance(value, Mapping):
        return tuple(Turn(joint, degrees) for joint, degrees in sorted(value.items()))
    return tuple(value)


def _direction(value: Iterable[float]) -> tuple[float, ...]:
    return tuple(normalize_number(v) for v in value)


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class Pose:
    """Which way the body lies, and every joint's angle.

    Args:
        up: The direction of the pelvis's up (towards the head), in the world's
            axes: ``x`` forward, ``y`` to the left, ``z`` up.
        forward: The direction the front of the pelvis faces, at right angles
            to ``up``.
        angles: Each turned joint's angle, as turns or a mapping of joint name
            to degrees; a joint left out is at 0, and each joint is named once.
        rest: The landmarks that rest on the floor: the body is tipped about
            its left-right axis until they are as level as it can make them,
            then lowered onto the floor; with none, its lowest landmark is.
        roll: Degrees the pelvis rolls about its own long axis, towards its
            left, before anything else (knees dropping to one side).

    Example:
        >>> pose = Pose(
        ...     up=(0, 0, 1), forward=(1, 0, 0), angles={"left_knee_flexion": 90}
        ... )
        >>> pose.angle("left_knee_flexion"), pose.angle("right_knee_flexion")
        (90, 0)
    """

    up: tuple[float, float, float] = attrs.field(
        converter=_direction, **checks(Direction())
    )
    forward: tuple[float, float, float] = attrs.field(
        converter=_direction, **checks(Direction())
    )
    angles: tuple[Turn, ...] = attrs.field(
        factory=tuple, converter=_turns, **checks(EachInstanceOf(Turn, "a Turn"))
    )
    rest: tuple[str, ...] = attrs.field(
        default=(),
        converter=_names,
        **checks(OneOf(LANDMARKS, "a landmark name", each=True)),
    )
    roll: float = attrs.field(
        default=0, converter=normalize_number, **checks(Between(-180, 180))
    )

    def __attrs_post_init__(self) -> None:
        square = sum(u * f for u, f in zip(self.up, self.forward, strict=True))
        if abs(square) > UNIT_TOLERANCE:
            problem = "must be at right angles to up"
            raise InvalidModelError(
                f"Pose.forward: {problem}", field="forward", problem=problem
            )
        named = [turn.joint for turn in self.angles]
        twice = sorted({joint for joint in named if named.count(joint) > 1})
        if twice:
            problem = f"names {', '.join(twice)} more than once"
            raise InvalidModelError(
                f"Pose.angles: {problem}", field="angles", problem=problem
            )

    def angle(self, joint: str) -> float:
        """A joint's angle in degrees, 0 where the pose does not turn it."""
        for turn in self.angles:
            if turn.joint == joint:
                return turn.degrees
        return 0

    @property
    def by_joint(self) -> dict[str, float]:
        """The turned joints' angles, by joint name."""
        return {turn.joint: turn.degrees for turn in self.angles}


@attrs.frozen(kw_only=True)
class Figure:
    """How to draw an exercise: the view, its start and end, and what goes with them.

    Args:
        view: Where it is seen from.
        start: The start position.
        end: The end of the movement, to one side where the dose is per side
            (the other side is its mirror image).
        arrow: The landmark whose path from start to end the arrow shows.
        chair: Whether the person sits on a chair.
    """

    view: View = attrs.field(**checks(InstanceOf(View, "a View")))
    start: Pose = attrs.field(**checks(InstanceOf(Pose, "a Pose")))
    end: Pose = attrs.field(**checks(InstanceOf(Pose, "a Pose")))
    arrow: str = attrs.field(**checks(OneOf(LANDMARKS, "a landmark name")))
    chair: bool = attrs.field(
        default=False, **checks(InstanceOf(bool, "True or False"))
    )
