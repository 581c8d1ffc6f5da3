"""A body to draw exercises with: segments, joints, and where a pose puts them.

Each catalogue exercise holds its :class:`~mobility.Figure`: a view, and a
:class:`~mobility.Pose` for the start and the end of the movement. A pose is
data (which way the body lies, and each turned joint's angle), so an app can
draw it its own way, or animate it by moving each angle from the start's to the
end's. :func:`joints` works out where a pose puts every landmark of the body;
the handout, the docs and ``mobility show --figures`` draw them with it.

The body is a tree of rigid segments in three dimensions, its lengths the
fractions of standing height of Drillis & Contini's table (:data:`PROPORTIONS`).
The world's axes: ``x`` forward, ``y`` to the left and ``z`` up, with the floor
at ``z = 0``. Angles are in degrees, each from the standing anatomical position
(arms at the sides, palms forward), positive in the direction its name says:
hip flexion brings the knee forward, knee flexion the heel back, shoulder
abduction the arm out to the side, trunk rotation the chest to the person's
left. Each joint is drawn within a range (:data:`LIMITS`), the limbs' from
published tables of the normal range of motion.

Example:
    Halfway through the cat's movement: each angle halfway from start to end.

    >>> import attrs
    >>> from mobility import catalog
    >>> from mobility.model.figures import joints
    >>> (exercise,) = catalog.get("cat-cow").exercises
    >>> start, end = exercise.figure.start, exercise.figure.end
    >>> names = start.by_joint.keys() | end.by_joint.keys()
    >>> halfway = attrs.evolve(end, angles={
    ...     name: (start.angle(name) + end.angle(name)) / 2 for name in names
    ... })
    >>> body = {pose: joints(pose) for pose in (start, halfway, end)}
    >>> [round(body[pose]["waist"][2], 2) for pose in (start, halfway, end)]
    [0.28, 0.3, 0.31]
"""

from __future__ import annotations

import math

from typing import TYPE_CHECKING, Final

import attrs

from . import Source, SourceKind, _pose
from ._pose import PAIRED, Figure, Pose, Turn, View, limit


if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


__all__ = [
    "AAOS_UPPER_LIMB",
    "DRILLIS_CONTINI",
    "JOINTS",
    "KNEELING",
    "LANDMARKS",
    "LIMITS",
    "MERCK_LOWER_LIMB",
    "PAIRED",
    "PROPORTIONS",
    "Figure",
    "Pose",
    "Turn",
    "View",
    "holding",
    "joints",
    "limit",
    "mirrored",
    "mirrored_name",
    "reaching",
]

#: Each joint a pose may turn, by its plain name, and the range in degrees it
#: is drawn within, so that no figure shows a joint further than a person would
#: move it. The limbs' ranges are the tables' (:data:`AAOS_UPPER_LIMB`,
#: :data:`MERCK_LOWER_LIMB`), but for two that go further under the body's
#: weight: the wrist of a hand flat on the floor (to 90) and a knee sat back
#: towards the heel (to 145, see :data:`KNEELING`). The trunk's and neck's
#: ranges, and how the trunk's motion is split between the lumbar and thoracic
#: spine, are our choice.
LIMITS: Final = _pose.LIMITS
#: Every joint a pose may turn, the paired ones named ``left_...`` and
#: ``right_...``: ``lumbar_flexion``, ``left_knee_flexion``...
JOINTS: Final = _pose.JOINTS
#: Every landmark :func:`joints` places: ``pelvis``, ``waist``, ``chest``,
#: ``head`` (its top), ``face`` (the tip of the nose), and each side's ``hip``,
#: ``knee``, ``ankle``, ``toe``, ``shoulder``, ``elbow``, ``wrist`` and ``hand``.
LANDMARKS: Final = _pose.LANDMARKS

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

Vector = tuple[float, float, float]

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
            angles = pose.by_joint | {
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
        angles = moved.by_joint
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
        [(-60.0, 60.0)] + [limit(group[0]) for group in groups],
    )
    solved, frame = pose_of(values)
    angles = {joint: round(a, 1) for joint, a in solved.by_joint.items()}
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
        for joint, angle in pose.by_joint.items()
    }
    return Pose(
        up=(pose.up[0], -pose.up[1], pose.up[2]),
        forward=(pose.forward[0], -pose.forward[1], pose.forward[2]),
        angles=angles,
        rest=tuple(mirrored_name(name) for name in pose.rest),
        roll=-pose.roll,
    )
