"""A body to draw exercises with: segments, joints, and where a pose puts them.

Work in progress for issue 28 (figures from data); nothing public uses it yet.

The body is a tree of rigid segments in three dimensions, its lengths the
fractions of standing height of Drillis & Contini's table (:data:`PROPORTIONS`).
A :class:`Pose` places the pelvis and turns each joint; :func:`joints` works out
where every joint then is. The world's axes: ``x`` forward, ``y`` to the left
and ``z`` up, with the floor at ``z = 0``.

Angles are in degrees, each from the standing anatomical position (arms at the
sides, palms forward), positive in the direction its name says: hip flexion
brings the knee forward, knee flexion the heel back, shoulder abduction the arm
out to the side, trunk rotation the chest to the person's left.
"""

from __future__ import annotations

import math

from typing import Final

import attrs

from . import Source, SourceKind


#: Drillis & Contini's segment lengths, as fractions of standing height.
DRILLIS_CONTINI: Final = Source(
    "Drillis R, Contini R (1966), Body segment parameters, Technical report "
    "1166.03, New York University School of Engineering and Science; as "
    "reprinted in Winter DA (2009), Biomechanics and Motor Control of Human "
    "Movement, 4th ed., Wiley, figure 4.1",
    kind=SourceKind.RESEARCH,
    note="the heights of landmarks and the lengths of segments as fractions of "
    "standing height H",
)

#: Lengths as fractions of standing height, from :data:`DRILLIS_CONTINI`; the
#: split of the trunk between the lumbar and thoracic spine is our choice.
PROPORTIONS: Final = {
    "hip_height": 0.530,
    "shoulder_height": 0.818,
    "chin_height": 0.870,
    "hip_width": 0.191,
    "shoulder_width": 0.259,
    "thigh": 0.245,
    "shank": 0.246,
    "ankle_height": 0.039,
    "foot": 0.152,
    "upper_arm": 0.186,
    "forearm": 0.146,
    "hand": 0.108,
    "head": 0.130,
}
_TRUNK: Final = PROPORTIONS["shoulder_height"] - PROPORTIONS["hip_height"]
_LUMBAR_SHARE: Final = 0.4  # our choice: the lumbar spine's part of the trunk
_NECK: Final = PROPORTIONS["chin_height"] - PROPORTIONS["shoulder_height"]

Vector = tuple[float, float, float]
Matrix = tuple[Vector, Vector, Vector]  # rows

#: The joints a pose may turn, each with the range drawn: our limits, at or
#: inside the usual active ranges of motion, so that no figure shows a joint
#: further than a person would move it.
LIMITS: Final = {
    "lumbar_flexion": (-25.0, 60.0),
    "lumbar_side": (-25.0, 25.0),
    "lumbar_rotation": (-90.0, 90.0),  # with the pelvis turned by the knees
    "thoracic_flexion": (-20.0, 40.0),
    "thoracic_side": (-20.0, 20.0),
    "thoracic_rotation": (-45.0, 45.0),
    "neck_flexion": (-40.0, 45.0),
    "hip_flexion": (-20.0, 130.0),
    "hip_abduction": (-30.0, 45.0),
    "knee_flexion": (0.0, 150.0),
    "ankle_dorsiflexion": (-45.0, 20.0),
    "shoulder_flexion": (-60.0, 180.0),
    "shoulder_abduction": (-30.0, 180.0),
    "shoulder_horizontal": (-40.0, 45.0),  # an arm out to the side, drawn back
    "elbow_flexion": (0.0, 150.0),
    # From the palm forward of the anatomical position to the palm back.
    "forearm_pronation": (0.0, 160.0),
    "wrist_extension": (-70.0, 90.0),  # 90: a hand flat on the floor, weight on it
}
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
        "elbow_flexion",
        "forearm_pronation",
        "wrist_extension",
    }
)
JOINTS: Final = tuple(
    f"{side}_{name}" if name in PAIRED else name
    for name in LIMITS
    for side in (("left", "right") if name in PAIRED else ("",))
)


def _limit(joint: str) -> tuple[float, float]:
    return LIMITS[joint.removeprefix("left_").removeprefix("right_")]


@attrs.frozen
class Pose:
    """Where the pelvis is, which way the body faces, and every joint's angle.

    Args:
        up: The direction of the pelvis's up (towards the head), a unit vector.
        forward: The direction the front of the pelvis faces, a unit vector at
            right angles to ``up``.
        angles: Each turned joint's angle in degrees; a joint left out is at 0.
        rest: The landmarks that rest on the floor. The body is tipped about its
            left-right axis until they are as level as it can make them, then
            lowered onto the floor; with none, its lowest landmark is.
        roll: Degrees the pelvis rolls about its own long axis, towards its
            left, before anything else (knees dropping to one side).
    """

    up: Vector
    forward: Vector
    angles: dict[str, float] = attrs.field(factory=dict)
    rest: tuple[str, ...] = ()
    roll: float = 0.0

    def __attrs_post_init__(self) -> None:
        for joint, angle in self.angles.items():
            if joint not in JOINTS:
                msg = f"Pose: no joint {joint!r}"
                raise ValueError(msg)
            low, high = _limit(joint)
            if not low <= angle <= high:
                msg = f"Pose: {joint} of {angle} degrees is outside {low} to {high}"
                raise ValueError(msg)
        if abs(_dot(self.up, self.forward)) > 1e-9:
            msg = "Pose: up and forward must be at right angles"
            raise ValueError(msg)

    def angle(self, joint: str) -> float:
        """A joint's angle, 0 where the pose does not turn it."""
        return self.angles.get(joint, 0.0)


# --------------------------------------------------------------------------------
# Vectors and rotations


def _dot(a: Vector, b: Vector) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _cross(a: Vector, b: Vector) -> Vector:
    return (
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    )


def _add(a: Vector, b: Vector) -> Vector:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _scale(a: Vector, k: float) -> Vector:
    return (a[0] * k, a[1] * k, a[2] * k)


def _rotate(v: Vector, axis: Vector, degrees: float) -> Vector:
    """``v`` turned about the unit ``axis`` (right-hand rule)."""
    theta = math.radians(degrees)
    cos, sin = math.cos(theta), math.sin(theta)
    across = _cross(axis, v)
    along = _scale(axis, _dot(axis, v) * (1 - cos))
    return _add(_add(_scale(v, cos), _scale(across, sin)), along)


@attrs.frozen
class _Frame:
    """A segment's directions in the world: up, forward, and left."""

    up: Vector
    forward: Vector

    @property
    def left(self) -> Vector:
        return _cross(self.up, self.forward)

    def turned(self, axis: Vector, degrees: float) -> _Frame:
        return _Frame(
            _rotate(self.up, axis, degrees), _rotate(self.forward, axis, degrees)
        )

    def bent(self, flexion: float, side: float, rotation: float) -> _Frame:
        """Flexed forward, bent to the left, and turned to the left, in turn."""
        frame = self.turned(self.left, flexion)  # up tips towards forward
        frame = frame.turned(frame.forward, -side)  # up tips towards left
        return frame.turned(frame.up, rotation)  # forward turns towards left


# --------------------------------------------------------------------------------
# Where the joints are


def joints(pose: Pose, height: float = 1.0) -> dict[str, Vector]:
    """Every landmark of the body in a pose, for a person ``height`` tall.

    The landmarks: ``pelvis``, ``waist``, ``chest`` (between the shoulders),
    ``head`` (the top of the head), and for each side ``hip``, ``knee``,
    ``ankle``, ``toe``, ``shoulder``, ``elbow``, ``wrist``, ``hand``.
    """
    pelvis = _Frame(pose.up, pose.forward)
    if pose.roll:
        pelvis = pelvis.turned(pelvis.up, pose.roll)
    if len(pose.rest) > 1:
        pelvis = pelvis.turned(pelvis.left, _levelling(pose, pelvis, height))
    found = _body(pose, pelvis, height)
    resting = [found[name][2] for name in pose.rest] or [
        point[2] for point in found.values()
    ]
    lift = -min(resting)
    return {name: _add(point, (0.0, 0.0, lift)) for name, point in found.items()}


def _levelling(pose: Pose, pelvis: _Frame, height: float) -> float:
    """The tip, in degrees, that brings the resting landmarks most nearly level.

    A golden-section search over 45 degrees each way, on the spread of their
    heights: far enough for any pose drawn, near enough not to find the body
    stood on its head.
    """

    def spread(tip: float) -> float:
        found = _body(pose, pelvis.turned(pelvis.left, tip), height)
        heights = [found[name][2] for name in pose.rest]
        return max(heights) - min(heights)

    low, high = -45.0, 45.0
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(60):
        a = high - ratio * (high - low)
        b = low + ratio * (high - low)
        if spread(a) <= spread(b):
            high = b
        else:
            low = a
    return (low + high) / 2


def _body(pose: Pose, pelvis: _Frame, height: float) -> dict[str, Vector]:
    p = {name: length * height for name, length in PROPORTIONS.items()}
    trunk = _TRUNK * height
    found: dict[str, Vector] = {"pelvis": (0.0, 0.0, 0.0)}
    lumbar = pelvis.bent(
        pose.angle("lumbar_flexion"),
        pose.angle("lumbar_side"),
        pose.angle("lumbar_rotation"),
    )
    found["waist"] = _scale(lumbar.up, trunk * _LUMBAR_SHARE)
    thorax = lumbar.bent(
        pose.angle("thoracic_flexion"),
        pose.angle("thoracic_side"),
        pose.angle("thoracic_rotation"),
    )
    found["chest"] = _add(
        found["waist"], _scale(thorax.up, trunk * (1 - _LUMBAR_SHARE))
    )
    neck = thorax.bent(pose.angle("neck_flexion"), 0.0, 0.0)
    found["head"] = _add(found["chest"], _scale(neck.up, _NECK * height + p["head"]))
    for side, sign in (("left", 1.0), ("right", -1.0)):
        _leg(found, pose, pelvis, side=side, sign=sign, p=p)
        _arm(found, pose, thorax, side=side, sign=sign, p=p)
    return found


def _leg(  # noqa: PLR0913 - the parts of one leg
    found: dict[str, Vector],
    pose: Pose,
    pelvis: _Frame,
    *,
    side: str,
    sign: float,
    p: dict[str, float],
) -> None:
    hip = _scale(pelvis.left, sign * p["hip_width"] / 2)
    # The thigh hangs down (-up) and swings forward with flexion, out with abduction.
    thigh = pelvis.turned(pelvis.left, -pose.angle(f"{side}_hip_flexion"))
    thigh = thigh.turned(thigh.forward, sign * pose.angle(f"{side}_hip_abduction"))
    knee = _add(hip, _scale(thigh.up, -p["thigh"]))
    shank = thigh.turned(thigh.left, pose.angle(f"{side}_knee_flexion"))
    ankle = _add(knee, _scale(shank.up, -(p["shank"])))
    foot = shank.turned(shank.left, -pose.angle(f"{side}_ankle_dorsiflexion"))
    toe = _add(
        _add(ankle, _scale(foot.up, -p["ankle_height"])),
        _scale(foot.forward, p["foot"] * 0.75),
    )
    found |= {
        f"{side}_hip": hip,
        f"{side}_knee": knee,
        f"{side}_ankle": ankle,
        f"{side}_toe": toe,
    }


def _arm(  # noqa: PLR0913 - the parts of one arm
    found: dict[str, Vector],
    pose: Pose,
    thorax: _Frame,
    *,
    side: str,
    sign: float,
    p: dict[str, float],
) -> None:
    shoulder = _add(found["chest"], _scale(thorax.left, sign * p["shoulder_width"] / 2))
    upper = thorax.turned(thorax.left, -pose.angle(f"{side}_shoulder_flexion"))
    upper = upper.turned(upper.forward, sign * pose.angle(f"{side}_shoulder_abduction"))
    # Drawn back about the trunk's long axis: an arm out to the side goes behind.
    upper = upper.turned(thorax.up, sign * pose.angle(f"{side}_shoulder_horizontal"))
    elbow = _add(shoulder, _scale(upper.up, -p["upper_arm"]))
    fore = upper.turned(upper.left, -pose.angle(f"{side}_elbow_flexion"))
    wrist = _add(elbow, _scale(fore.up, -p["forearm"]))
    # Pronation turns the palm back about the forearm's own axis, thumb inwards.
    fore = fore.turned(fore.up, sign * pose.angle(f"{side}_forearm_pronation"))
    palm = fore.turned(fore.left, pose.angle(f"{side}_wrist_extension"))
    hand = _add(wrist, _scale(palm.up, -p["hand"]))
    found |= {
        f"{side}_shoulder": shoulder,
        f"{side}_elbow": elbow,
        f"{side}_wrist": wrist,
        f"{side}_hand": hand,
    }


def reaching(pose: Pose, side: str, target: str) -> Pose:
    """The pose with one arm turned so that its hand comes nearest a landmark.

    A search over the shoulder's flexion and the elbow's, 5 degrees apart,
    inside their limits: the hands that hold a knee, say.
    """
    pelvis = _Frame(pose.up, pose.forward)
    best: tuple[float, Pose] | None = None
    shoulder_low, shoulder_high = LIMITS["shoulder_flexion"]
    elbow_low, elbow_high = LIMITS["elbow_flexion"]
    for shoulder in range(int(shoulder_low), int(shoulder_high) + 1, 5):
        for elbow in range(int(elbow_low), int(elbow_high) + 1, 5):
            angles = pose.angles | {
                f"{side}_shoulder_flexion": float(shoulder),
                f"{side}_elbow_flexion": float(elbow),
            }
            candidate = attrs.evolve(pose, angles=angles)
            found = _body(candidate, pelvis, 1.0)
            gap = math.dist(found[f"{side}_hand"], found[target])
            if best is None or gap < best[0]:
                best = (gap, candidate)
    assert best is not None  # noqa: S101 - the ranges are not empty
    return best[1]
