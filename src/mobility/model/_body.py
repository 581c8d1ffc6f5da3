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

from typing import TYPE_CHECKING, Any, Final

import attrs

from . import Source, SourceKind


if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


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
_FACE: Final = 0.085  # our choice: the nose drawn just beyond the head's outline

_SQUARE: Final = 1e-5  # how near 0 up . forward must be, their 6 decimals rounded

Vector = tuple[float, float, float]
Matrix = tuple[Vector, Vector, Vector]  # rows

#: The table the upper limb's limits come from.
AAOS_UPPER_LIMB: Final = Source(
    "American Academy of Orthopaedic Surgeons' mean values, as reprinted in "
    "Norkin CC, White DJ, Measurement of Joint Motion: A Guide to Goniometry, "
    "F.A. Davis, appendix A, table A.1",
    kind=SourceKind.PRACTITIONER,  # physical therapists' textbook of goniometry
    note="shoulder flexion 180, extension 60, abduction 180, medial rotation 70, "
    "lateral rotation 90; elbow flexion 150; pronation and supination 80 each; "
    "wrist flexion 80, extension 70 (degrees)",
)
#: The table the lower limb's limits come from.
MERCK_LOWER_LIMB: Final = Source(
    "Merck Manual, Professional Version, Normal Values for Range of Motion of "
    "Joints, table 1",
    kind=SourceKind.PRACTITIONER,  # a clinical reference for practitioners
    note="hip flexion 125, hyperextension 15, abduction and adduction 45 each; "
    "knee flexion 130; ankle plantar flexion 50, dorsiflexion 20 (degrees)",
)

#: A measure of the knee's bend when kneeling, past its active range.
KNEELING: Final = Source(
    "A study of the lower limbs' kinematics in kneeling, in thirty young and "
    "twenty older adults",
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC3468826",
    kind=SourceKind.RESEARCH,
    inferred=True,
    note="mean knee flexion about 140 degrees in both groups; taking it as the "
    "bend of a knee sat back towards the heel is our inference",
)

#: The joints a pose may turn, each with the range drawn, so that no figure
#: shows a joint further than a person would move it. The limb's limits are the
#: tables' (:data:`AAOS_UPPER_LIMB`, :data:`MERCK_LOWER_LIMB`) except where a
#: comment says otherwise; the trunk's and neck's, and how the trunk's motion is
#: split between the lumbar and thoracic spine, are our choice.
LIMITS: Final = {
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
        if abs(_dot(self.up, self.forward)) > _SQUARE:
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
    ``head`` (the top of the head), ``face`` (the tip of the nose), and for
    each side ``hip``, ``knee``, ``ankle``, ``toe``, ``shoulder``, ``elbow``,
    ``wrist``, ``hand``.
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
    # In front of the middle of the head, where the nose is: which way it faces.
    middle = _add(found["chest"], _scale(neck.up, (_NECK * height + p["head"]) * 0.7))
    found["face"] = _add(middle, _scale(neck.forward, _FACE * height))
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
    # Outward rotation about the upper arm's own axis.
    upper = upper.turned(upper.up, sign * pose.angle(f"{side}_shoulder_rotation"))
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
    inside their limits: the hands that hold a knee, say. Where the pose
    rests on landmarks, no part of the arm goes below them, into the floor.
    """
    pelvis = _Frame(pose.up, pose.forward)
    floor = min((_body(pose, pelvis, 1.0)[n][2] for n in pose.rest), default=None)
    best: tuple[tuple[float, float], Pose] | None = None
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
            if floor is not None and (
                min(found[f"{side}_{part}"][2] for part in ("elbow", "hand"))
                < floor - 0.01
            ):
                continue
            # Nearest to the centimetre, then with the elbow the furthest in
            # front of the body (off the floor, lying on the back): of an arm's
            # two ways to reach, the one people use.
            score = (
                round(math.dist(found[f"{side}_hand"], found[target]), 2),
                -_dot(found[f"{side}_elbow"], pelvis.forward),
            )
            if best is None or score < best[0]:
                best = (score, candidate)
    assert best is not None  # noqa: S101 - the ranges are not empty
    return best[1]


def holding(
    start: Pose, moved: Pose, *, keep: Sequence[str], free: Sequence[str]
) -> Pose:
    """``moved``, with some joints re-turned so that chosen landmarks stay put.

    A closed chain: on all fours the hands and knees stay where they are on the
    floor while the back rounds, so the hips, shoulders and the pelvis's tip
    must give. ``free`` names the joints that may give (a paired joint's plain
    name, ``"hip_flexion"``, turns both sides alike); the pelvis may tip about
    its left-right axis too. They are searched, inside their limits, for the
    pose whose ``keep`` landmarks lie nearest, after a shift of the whole body,
    to where they are in ``start``. A pattern search: each variable is tried a
    step either way, and the step is halved when no try improves.
    """
    target = joints(start)
    wanted = [target[name] for name in keep]
    centre = _centroid(wanted)
    goal = [_add(p, _scale(centre, -1.0)) for p in wanted]
    groups = [
        [f"{side}_{name}" for side in ("left", "right")] if name in PAIRED else [name]
        for name in free
    ]
    pelvis = _Frame(moved.up, moved.forward)
    if moved.roll:
        pelvis = pelvis.turned(pelvis.up, moved.roll)

    def pose_of(values: list[float]) -> tuple[Pose, _Frame]:
        angles = dict(moved.angles)
        for group, value in zip(groups, values[1:], strict=True):
            angles |= dict.fromkeys(group, value)
        return attrs.evolve(moved, angles=angles), pelvis.turned(pelvis.left, values[0])

    def misfit(values: list[float]) -> float:
        candidate, frame = pose_of(values)
        found = _body(candidate, frame, 1.0)
        points = [found[name] for name in keep]
        middle = _centroid(points)
        return sum(
            _dot(d, d)
            for d in (
                _add(_add(p, _scale(middle, -1.0)), _scale(g, -1.0))
                for p, g in zip(points, goal, strict=True)
            )
        )

    values = _search(
        misfit,
        [0.0] + [moved.angle(group[0]) for group in groups],
        [(-60.0, 60.0)] + [_limit(group[0]) for group in groups],
    )
    solved, frame = pose_of(values)
    angles = {joint: round(a, 1) for joint, a in solved.angles.items()}
    if moved.roll:  # the roll is the pose's own; undo it to find up and forward
        frame = frame.turned(frame.up, -moved.roll)
    return attrs.evolve(
        solved,
        up=_rounded(frame.up),
        forward=_rounded(frame.forward),
        angles=angles,
    )


def _search(
    misfit: Callable[[list[float]], float],
    values: list[float],
    bounds: list[tuple[float, float]],
) -> list[float]:
    """A pattern search: each value a step either way, the step halved when stuck."""
    best = misfit(values)
    step = 8.0
    while step > 0.05:
        improved = False
        for index, (low, high) in enumerate(bounds):
            for change in (step, -step):
                trial = list(values)
                trial[index] = min(high, max(low, trial[index] + change))
                score = misfit(trial)
                if score < best - 1e-12:
                    values, best, improved = trial, score, True
                    break
        if not improved:
            step /= 2
    return values


def _centroid(points: Sequence[Vector]) -> Vector:
    n = len(points)
    return (
        sum(p[0] for p in points) / n,
        sum(p[1] for p in points) / n,
        sum(p[2] for p in points) / n,
    )


def _rounded(v: Vector) -> Vector:
    return (round(v[0], 6), round(v[1], 6), round(v[2], 6))


# Joints whose sign says a side: mirrored, they turn the other way.
_SIDED: Final = frozenset(
    {"lumbar_side", "lumbar_rotation", "thoracic_side", "thoracic_rotation"}
)


def mirrored_name(name: str) -> str:
    """A landmark's or joint's name on the other side: ``left_knee``, ``right_knee``."""
    if name.startswith("left_"):
        return "right_" + name.removeprefix("left_")
    if name.startswith("right_"):
        return "left_" + name.removeprefix("right_")
    return name


def mirrored(pose: Pose) -> Pose:
    """The same pose to the other side: as seen in a mirror, left for right.

    Every landmark of the mirrored pose is where its counterpart was, reflected
    across the body's midline plane (``y = 0``).
    """
    angles = {
        mirrored_name(joint): -angle if joint in _SIDED else angle
        for joint, angle in pose.angles.items()
    }
    return Pose(
        up=(pose.up[0], -pose.up[1], pose.up[2]),
        forward=(pose.forward[0], -pose.forward[1], pose.forward[2]),
        angles=angles,
        rest=tuple(mirrored_name(name) for name in pose.rest),
        roll=-pose.roll,
    )


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


def pose_data(pose: Pose) -> dict[str, object]:
    """A pose as plain data for JSON: lists, numbers and strings."""
    return {
        "up": list(pose.up),
        "forward": list(pose.forward),
        "angles": dict(sorted(pose.angles.items())),
        "rest": list(pose.rest),
        "roll": pose.roll,
    }


def pose_from(data: dict[str, Any]) -> Pose:
    """The pose that :func:`pose_data` wrote."""
    return Pose(
        up=_vector(data["up"]),
        forward=_vector(data["forward"]),
        angles={str(k): float(v) for k, v in data["angles"].items()},
        rest=tuple(str(name) for name in data["rest"]),
        roll=float(data["roll"]),
    )


def _vector(values: list[float]) -> Vector:
    x, y, z = (float(v) for v in values)
    return (x, y, z)
