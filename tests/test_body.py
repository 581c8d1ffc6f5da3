"""The body model, the catalogue's figures, and what each shows."""

import itertools
import math
import re

from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import attrs
import jsonschema
import pytest

from hypothesis import given
from hypothesis import strategies as st

from mobility import (
    FormatError,
    InvalidModelError,
    Turn,
    catalog,
    from_dict,
    json_schema,
    to_dict,
)
from mobility.catalog import _poses
from mobility.catalog._drawings import figure, pose_data, pose_from
from mobility.formats._figures import Panel, alternative, drawing, exercise_drawing
from mobility.model import Side
from mobility.model.figures import (
    JOINTS,
    LIMITS,
    PROPORTIONS,
    Pose,
    joints,
    mirrored,
    mirrored_name,
    reaching,
)


FIGURES = {e.id: figure(e.id) for p in catalog.protocols() for e in p.exercises}
EXERCISES = {e.id: e for p in catalog.protocols() for e in p.exercises}


STANDING = Pose(up=(0.0, 0.0, 1.0), forward=(1.0, 0.0, 0.0))
SUPINE = {"up": (-1.0, 0.0, 0.0), "forward": (0.0, 0.0, 1.0)}
KNEES_BENT = {
    f"{side}_{joint}": angle
    for side in ("left", "right")
    for joint, angle in (
        ("hip_flexion", 45.0),
        ("knee_flexion", 90.0),
        ("ankle_dorsiflexion", -45.0),
    )
}


def distance(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """The straight distance between two landmarks."""
    return math.dist(a, b)


def test_standing_heights_are_the_tables() -> None:
    """Each landmark of the anatomical position at its height in Drillis & Contini."""
    body = joints(STANDING)
    heights = {
        "left_hip": PROPORTIONS["hip_height"],
        "left_knee": 0.285,
        "left_ankle": PROPORTIONS["ankle_height"],
        "left_shoulder": PROPORTIONS["shoulder_height"],
        "left_elbow": 0.630,
        "left_wrist": 0.485,
        "left_hand": 0.377,
        "head": 1.0,
    }
    for landmark, height in heights.items():
        assert body[landmark][2] == pytest.approx(height, abs=0.003), landmark
    width = body["left_shoulder"][1] - body["right_shoulder"][1]
    assert width == pytest.approx(PROPORTIONS["shoulder_width"])


def test_lying_on_the_back_with_knees_bent_keeps_the_feet_on_the_floor() -> None:
    """The start of most lumbar exercises: back and feet down, knees up together."""
    body = joints(Pose(**SUPINE, angles=KNEES_BENT))
    for landmark in ("pelvis", "waist", "chest", "left_toe", "right_toe"):
        assert body[landmark][2] == pytest.approx(0.0, abs=0.06), landmark
    for knee in ("left_knee", "right_knee"):
        assert body[knee][2] > 0.15
    gap = distance(body["left_knee"], body["right_knee"])
    assert gap == pytest.approx(PROPORTIONS["hip_width"])


def test_a_knee_to_the_chest_comes_closer_to_it() -> None:
    """Hip flexion moves the knee towards the chest; the other leg stays."""
    start = joints(Pose(**SUPINE, angles=KNEES_BENT))
    bent = dict(KNEES_BENT, left_hip_flexion=120.0, left_knee_flexion=130.0)
    end = joints(Pose(**SUPINE, angles=bent))
    assert distance(end["left_knee"], end["chest"]) < distance(
        start["left_knee"], start["chest"]
    )
    assert end["right_knee"] == pytest.approx(start["right_knee"])


def test_turning_the_trunk_to_the_left_brings_the_right_shoulder_forward() -> None:
    """Rotation follows its name: the chest turns to the person's left."""
    body = joints(attrs.evolve(STANDING, angles={"thoracic_rotation": 30.0}))
    assert body["right_shoulder"][0] > 0 > body["left_shoulder"][0]


@given(
    st.sampled_from(JOINTS).flatmap(
        lambda joint: st.tuples(
            st.just(joint),
            st.floats(
                *LIMITS[joint.removeprefix("left_").removeprefix("right_")],
                allow_nan=False,
            ),
        )
    )
)
def test_no_joint_changes_a_segments_length(turn: tuple[str, float]) -> None:
    """Whatever a joint does, every segment keeps its length."""
    joint, angle = turn
    body = joints(attrs.evolve(STANDING, angles={joint: angle}))
    standing = joints(STANDING)
    for a, b in (
        ("left_hip", "left_knee"),
        ("left_knee", "left_ankle"),
        ("left_shoulder", "left_elbow"),
        ("left_elbow", "left_wrist"),
        ("right_hip", "right_knee"),
        ("right_shoulder", "right_elbow"),
    ):
        assert distance(body[a], body[b]) == pytest.approx(
            distance(standing[a], standing[b])
        )


@pytest.mark.parametrize(
    ("angles", "message"),
    [
        ({"left_knee_flexion": 170.0}, "left_knee_flexion is drawn from 0 to 145"),
        ({"knee_flexion": 10.0}, "expected a joint name, got 'knee_flexion'"),
        ({"lumbar_rotation": -91.0}, "drawn from -90 to 90 degrees, got -91"),
    ],
)
def test_a_pose_past_its_limits_is_refused(
    angles: dict[str, float], message: str
) -> None:
    """No figure shows a joint further than the limits drawn."""
    with pytest.raises(ValueError, match=message):
        attrs.evolve(STANDING, angles=angles)


def test_a_drawing_is_svg_with_its_words_escaped() -> None:
    """An SVG document: a title and description, a caption per panel, text as text."""
    body = joints(Pose(**SUPINE, angles=KNEES_BENT))
    svg = drawing(
        [Panel(body, "Start <here>"), Panel(body, "End & rest", chair=True)],
        "side",
        title="Knee <rolls>",
        description="Lie on your back & bend your knees.",
    )
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert root.find(f"{ns}title").text == "Knee <rolls>"  # type: ignore[union-attr]
    captions = [t.text for t in root.iter(f"{ns}text")]
    assert captions == ["Start <here>", "End & rest"]
    assert "<here>" not in svg


@pytest.mark.parametrize("view", ["side", "front", "top"])
def test_every_view_draws_the_body_and_the_arrow(view: str) -> None:
    """A line per limb segment on each side, a head, and an arrow where asked."""
    start = joints(Pose(**SUPINE, angles=KNEES_BENT))
    turned = joints(Pose(**SUPINE, angles=KNEES_BENT | {"lumbar_rotation": -60.0}))
    svg = drawing(
        [Panel(turned, "Knees to one side", arrow=("left_knee", start["left_knee"]))],
        view,
        title="Knee rolls",
        description="The knees go down to one side.",
    )
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    ns = "{http://www.w3.org/2000/svg}"
    lines = list(root.iter(f"{ns}line"))
    floor = 0 if view == "top" else 1
    # Limbs, girdles, neck, nose, floor, arrow head.
    assert len(lines) == 12 + 2 + 1 + 1 + floor + 2
    assert len(list(root.iter(f"{ns}circle"))) == 1
    assert len(list(root.iter(f"{ns}path"))) == 1


SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_exercise_draws_with_its_words(exercise_id: str) -> None:
    """Titled with its name, described in its words, a panel per pose shown."""
    exercise = EXERCISES[exercise_id]
    svg = exercise_drawing(exercise)
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.findtext(f"{SVG}title") == exercise.name
    description = root.findtext(f"{SVG}desc")
    assert description == alternative(exercise)
    assert exercise.position in description
    assert str(exercise.instructions[0]) in description
    captions = [t.text for t in root.iter(f"{SVG}text")]
    both = exercise.dose.side in (Side.EACH, Side.ALTERNATING)
    other = both and FIGURES[exercise_id].view != "side"
    assert captions == ["Start", "End", *(["Other side"] if other else [])]
    assert ("other side" in description) is both


def test_the_shipped_figures_are_what_the_recipes_work_out() -> None:
    """figures.json is made again by `make figures` after a pose changes."""
    assert _poses.SHIPPED.read_text(encoding="utf-8") == _poses.generated()


def test_every_catalogue_exercise_has_a_figure_and_no_other_id_has() -> None:
    """One figure per exercise of the catalogue, and none for an exercise not in it."""
    assert set(_poses.FIGURES) == set(EXERCISES)
    assert all(FIGURES.values())
    assert figure("not-an-exercise") is None


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_a_pose_reads_back_from_its_data(exercise_id: str) -> None:
    """The shipped form of a pose loses nothing."""
    for pose in (FIGURES[exercise_id].start, FIGURES[exercise_id].end):
        assert pose_from(pose_data(pose)) == pose


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_a_mirrored_pose_is_the_pose_in_a_mirror(exercise_id: str) -> None:
    """Every landmark where its counterpart was, across the midline plane."""
    pose = FIGURES[exercise_id].end
    body, other = joints(pose), joints(mirrored(pose))
    for name, (x, y, z) in body.items():
        assert other[mirrored_name(name)] == pytest.approx((x, -y, z), abs=0.01), name
    assert mirrored(mirrored(pose)) == pose


def test_resting_landmarks_are_levelled_onto_the_floor() -> None:
    """A pelvic tilt lifts nothing that rests: chest and feet stay down."""
    tilted = Pose(
        **SUPINE,
        angles=KNEES_BENT | {"lumbar_flexion": 12.0},
        rest=("chest", "left_toe", "right_toe"),
    )
    body = joints(tilted)
    for landmark in tilted.rest:
        assert body[landmark][2] == pytest.approx(0.0, abs=0.01), landmark


def test_a_roll_drops_both_knees_to_one_side() -> None:
    """Knee rolls: the pelvis rolls, the chest turned back stays flat."""
    start = joints(Pose(**SUPINE, angles=KNEES_BENT))
    rolled = Pose(
        **SUPINE,
        angles=KNEES_BENT | {"lumbar_rotation": 50.0},
        rest=("chest", "left_toe", "right_toe"),
        roll=-50.0,
    )
    end = joints(rolled)
    moved = [end[knee][1] - start[knee][1] for knee in ("left_knee", "right_knee")]
    assert min(abs(m) for m in moved) > 0.1
    assert moved[0] * moved[1] > 0  # both the same way
    # Lower on the whole: the knee underneath drops, the one above stays high.
    heights = [end[k][2] - start[k][2] for k in ("left_knee", "right_knee")]
    assert sum(heights) < -0.03
    shoulders = end["left_shoulder"][2] - end["right_shoulder"][2]
    assert shoulders == pytest.approx(0.0, abs=0.02)


def test_reaching_brings_the_hand_to_the_knee() -> None:
    """Knee to chest: both hands on the knee drawn up."""
    pulled = Pose(
        **SUPINE,
        angles=KNEES_BENT | {"left_hip_flexion": 120.0, "left_knee_flexion": 120.0},
    )
    holding = reaching(reaching(pulled, "left", "left_knee"), "right", "left_knee")
    body = joints(holding)
    assert distance(body["left_hand"], body["left_knee"]) < 0.05
    # The arms move only forward and back here, so the right hand comes as near
    # as it can from its own side: no nearer than the shoulders are apart.
    before = joints(pulled)
    assert distance(body["right_hand"], body["left_knee"]) < distance(
        before["right_hand"], before["left_knee"]
    )


@pytest.mark.parametrize(("side", "sign"), [("left", 1), ("right", -1)])
def test_abduction_takes_a_limb_out_to_its_own_side(side: str, sign: int) -> None:
    """Out to the left for the left arm and leg, to the right for the right."""
    body = joints(
        attrs.evolve(
            STANDING,
            angles={f"{side}_shoulder_abduction": 90.0, f"{side}_hip_abduction": 30.0},
        )
    )
    standing = joints(STANDING)
    assert sign * (body[f"{side}_hand"][1] - standing[f"{side}_hand"][1]) > 0.3
    assert sign * (body[f"{side}_ankle"][1] - standing[f"{side}_ankle"][1]) > 0.1


def test_an_arm_drawn_back_goes_behind_the_shoulder() -> None:
    """Horizontal extension: out to the side, then back."""
    out = joints(attrs.evolve(STANDING, angles={"left_shoulder_abduction": 90.0}))
    back = joints(
        attrs.evolve(
            STANDING,
            angles={"left_shoulder_abduction": 90.0, "left_shoulder_horizontal": 30.0},
        )
    )
    assert out["left_elbow"][0] == pytest.approx(0.0, abs=1e-9)
    assert back["left_elbow"][0] < -0.05
    assert back["left_elbow"][2] == pytest.approx(out["left_elbow"][2])


def test_wrist_extension_takes_the_hand_back_from_the_anatomical_position() -> None:
    """Palms forward: extending the wrist turns the fingers backwards."""
    body = joints(attrs.evolve(STANDING, angles={"left_wrist_extension": 60.0}))
    assert body["left_hand"][0] < -0.05


def test_all_fours_stands_on_knees_shins_and_flat_hands() -> None:
    """Thighs and arms upright, shins along the floor, hands flat and forward."""
    body = joints(FIGURES["cat-cow"].start)
    for side in ("left", "right"):
        for landmark in ("knee", "toe", "wrist"):
            assert body[f"{side}_{landmark}"][2] == pytest.approx(0.0, abs=0.015)
        assert 0 < body[f"{side}_ankle"][2] < 0.06  # the shin all but on the floor
        assert body[f"{side}_knee"][0] == pytest.approx(
            body[f"{side}_hip"][0], abs=0.01
        )
        assert body[f"{side}_wrist"][0] == pytest.approx(
            body[f"{side}_shoulder"][0], abs=0.01
        )
        assert body[f"{side}_hand"][2] == pytest.approx(0.0, abs=0.03)
        assert body[f"{side}_hand"][0] > body[f"{side}_wrist"][0]  # towards the head
    assert body["head"][0] > body["chest"][0] > body["pelvis"][0]


def ends(exercise_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The landmarks of an exercise's start and end pose."""
    figure = FIGURES[exercise_id]
    return joints(figure.start), joints(figure.end)


class TestWhatTheStepsSay:
    """Each figure shows what its exercise's steps say."""

    def test_every_exercise_is_checked_against_its_steps(self) -> None:
        """A new exercise in the catalogue needs a check here before it ships."""
        source = Path(__file__).read_text(encoding="utf-8")
        tests = source.split("class TestWhatTheStepsSay", 1)[1]
        tests = tests.split("\nclass ", 1)[0]
        for exercise_id in EXERCISES:
            assert f'"{exercise_id}"' in tests, exercise_id

    @pytest.mark.parametrize(
        "exercise_id",
        [
            "knee-rolls",
            "lower-trunk-rotation",
            "knee-to-chest",
            "pelvic-tilt",
            "double-knee-to-chest",
        ],
    )
    def test_lying_on_the_back_knees_bent_feet_flat(self, exercise_id: str) -> None:
        """The start: on the back, knees bent and up, feet on the floor."""
        start, _ = ends(exercise_id)
        for landmark in ("pelvis", "chest", "left_ankle", "right_ankle"):
            assert start[landmark][2] == pytest.approx(0.0, abs=0.05), landmark
        for knee in ("left_knee", "right_knee"):
            assert start[knee][2] > 0.15
        assert distance(start["left_knee"], start["right_knee"]) < 0.2  # together

    @pytest.mark.parametrize("exercise_id", ["knee-rolls", "lower-trunk-rotation"])
    def test_the_knees_go_down_to_one_side_together(self, exercise_id: str) -> None:
        """Knees together, both to the same side; the shoulders stay down."""
        start, end = ends(exercise_id)
        moved = [end[k][1] - start[k][1] for k in ("left_knee", "right_knee")]
        assert moved[0] * moved[1] > 0
        assert min(abs(m) for m in moved) > 0.1
        for shoulder in ("left_shoulder", "right_shoulder"):
            assert end[shoulder][2] == pytest.approx(0.0, abs=0.06), shoulder

    def test_one_knee_to_the_chest_held_by_the_hands(self) -> None:
        """The lifted knee nears the chest, a hand holds it, the other foot stays."""
        start, end = ends("knee-to-chest")
        assert distance(end["left_knee"], end["chest"]) < 0.8 * distance(
            start["left_knee"], start["chest"]
        )
        assert distance(end["left_hand"], end["left_knee"]) < 0.05
        # The ankle joint sits its own height above a foot flat on the floor.
        assert end["right_ankle"][2] == pytest.approx(0.0, abs=0.05)

    def test_both_knees_to_the_chest(self) -> None:
        """Both knees come up towards the chest."""
        start, end = ends("double-knee-to-chest")
        for knee in ("left_knee", "right_knee"):
            assert distance(end[knee], end["chest"]) < 0.8 * distance(
                start[knee], start["chest"]
            )

    def test_a_pelvic_tilt_keeps_the_back_and_feet_down(self) -> None:
        """The small of the back flattens: the chest and feet do not lift."""
        _, end = ends("pelvic-tilt")
        for landmark in ("chest", "left_toe", "right_toe"):
            assert end[landmark][2] == pytest.approx(0.0, abs=0.01)
        assert FIGURES["pelvic-tilt"].end.angle("lumbar_flexion") > 0

    def test_the_lunge_lifts_the_back_knee(self) -> None:
        """Kneeling on one knee, front foot flat; then the back knee comes up."""
        start, end = ends("deep-lunge")
        assert start["right_knee"][2] == pytest.approx(0.0, abs=0.02)
        assert start["left_ankle"][0] > start["left_hip"][0]  # the foot in front
        assert end["right_knee"][2] > 0.05

    def test_a_back_bend_leans_back_from_the_hips(self) -> None:
        """Standing, the head goes back behind the feet, the feet stay down."""
        start, end = ends("back-bends")
        assert end["head"][0] < start["head"][0] - 0.05
        assert end["left_toe"][2] == pytest.approx(0.0, abs=0.01)

    def test_the_side_stretch_reaches_over_and_bends_away(self) -> None:
        """One hand over the head, the trunk bent towards the other side."""
        start, end = ends("side-stretch")
        assert end["right_hand"][2] > end["head"][2]
        # The head goes to one side, and the raised arm leans over that way too.
        assert (end["head"][1] - start["head"][1]) * (
            end["right_hand"][1] - end["right_shoulder"][1]
        ) > 0
        assert FIGURES["side-stretch"].chair

    def test_the_elbows_go_back(self) -> None:
        """Sitting, both elbows draw back behind the shoulders."""
        _, end = ends("elbows-back")
        for side in ("left", "right"):
            assert end[f"{side}_elbow"][0] < end[f"{side}_shoulder"][0] - 0.05

    @pytest.mark.parametrize("exercise_id", ["cat-cow", "bottom-to-heels"])
    def test_hands_knees_and_feet_stay_on_the_floor(self, exercise_id: str) -> None:
        """On all fours the back and hips move; hands, knees and feet stay put."""
        start, end = ends(exercise_id)
        keep = [f"{s}_{p}" for s in ("left", "right") for p in ("knee", "wrist")]
        for landmark in keep:
            assert end[landmark][2] == pytest.approx(0.0, abs=0.015), landmark
        for a, b in itertools.pairwise(keep):
            assert distance(end[a], end[b]) == pytest.approx(
                distance(start[a], start[b]), abs=0.02
            )
        for toe in ("left_toe", "right_toe"):
            assert end[toe][2] == pytest.approx(0.0, abs=0.015)

    def test_the_cat_rounds_the_back_up_and_drops_the_head(self) -> None:
        """The middle of the back rises above the line from hips to shoulders."""
        start, end = ends("cat-cow")

        def hump(body: dict[str, Any]) -> float:
            line = (body["pelvis"][2] + body["chest"][2]) / 2
            return body["waist"][2] - line

        assert hump(end) > hump(start) + 0.02
        assert end["head"][2] < start["head"][2] - 0.03
        assert end["waist"][2] > start["waist"][2] + 0.02

    def test_the_bottom_goes_back_towards_the_heels(self) -> None:
        """The pelvis moves back over the feet and down; the arms reach forward."""
        start, end = ends("bottom-to-heels")
        knee = "left_knee"
        back = [
            b["pelvis"][0] - b[knee][0] for b in (start, end)
        ]  # towards the feet is negative x on all fours
        assert back[1] < back[0] - 0.1
        assert end["pelvis"][2] < start["pelvis"][2] - 0.05
        assert distance(end["pelvis"], end["left_ankle"]) < distance(
            start["pelvis"], start["left_ankle"]
        )

    @pytest.mark.parametrize("exercise_id", ["upper-body-twist", "trunk-mobility"])
    def test_a_seated_twist_turns_the_chest_to_the_left(self, exercise_id: str) -> None:
        """Hips still on the chair; the shoulders' line turns, the face with it."""
        start, end = ends(exercise_id)
        for hip in ("left_hip", "right_hip", "left_knee", "right_knee"):
            assert end[hip] == pytest.approx(start[hip], abs=0.01), hip
        # Turned to the left: the right shoulder comes forward, the left goes back.
        assert end["right_shoulder"][0] > start["right_shoulder"][0] + 0.05
        assert end["left_shoulder"][0] < start["left_shoulder"][0] - 0.05
        assert end["face"][1] > start["face"][1] + 0.03  # looking to the left
        assert FIGURES[exercise_id].chair

    def test_hands_on_the_shoulders_stay_there(self) -> None:
        """Arms crossed or not, each hand (wrist to fingertips) rests on a shoulder."""
        for exercise_id in ("upper-body-twist", "trunk-mobility"):
            _, end = ends(exercise_id)
            for side in ("left", "right"):
                nearest = min(
                    distance(end[f"{side}_{part}"], end[f"{other}_shoulder"])
                    for part in ("wrist", "hand")
                    for other in ("left", "right")
                )
                assert nearest < 0.1, (exercise_id, side)

    def test_the_chest_stretch_takes_the_arms_out_and_back(self) -> None:
        """Arms out to the sides and behind the shoulders; the chest lifts."""
        _, end = ends("chest-stretch")
        for side, sign in (("left", 1), ("right", -1)):
            assert sign * (end[f"{side}_hand"][1] - end[f"{side}_shoulder"][1]) > 0.2
            assert end[f"{side}_hand"][0] < end[f"{side}_shoulder"][0] - 0.05
        assert FIGURES["chest-stretch"].end.angle("thoracic_flexion") < 0  # chest up

    def test_the_shoulder_squeeze_draws_the_bent_arms_back(self) -> None:
        """Elbows at shoulder height and bent, hands up; then the elbows go back."""
        start, end = ends("shoulder-squeeze")
        for body in (start, end):
            for side in ("left", "right"):
                assert body[f"{side}_elbow"][2] == pytest.approx(
                    body[f"{side}_shoulder"][2], abs=0.02
                )
                assert body[f"{side}_wrist"][2] > body[f"{side}_elbow"][2] + 0.1
        for side in ("left", "right"):
            assert end[f"{side}_elbow"][0] < start[f"{side}_elbow"][0] - 0.05

    def test_the_open_book_turns_the_top_arm_over_to_the_floor(self) -> None:
        """On the side, knees together and down; the top arm opens out behind."""
        start, end = ends("open-book")
        top = (
            "right"
            if start["right_shoulder"][2] > start["left_shoulder"][2]
            else "left"
        )
        assert top == "right"
        # The arms start together in front, and the top one ends behind the back.
        assert distance(start["left_hand"], start["right_hand"]) < 0.3
        front = start["left_hand"][1] - start["chest"][1]
        assert front * (end["right_hand"][1] - end["chest"][1]) < 0
        assert end["right_hand"][2] < end["right_shoulder"][2]  # down towards it
        for knee in ("left_knee", "right_knee"):
            assert end[knee] == pytest.approx(start[knee], abs=0.02), knee
        assert end["left_hip"][2] == pytest.approx(0.0, abs=0.01)


class TestAFigureIsChecked:
    """A pose or figure the body cannot take is refused, saying where and what."""

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"up": (0, 0, 2)}, "Pose.up: expected a direction of length 1"),
            # Too large to square as a float: refused, not an OverflowError
            # (found by `make fuzz` through a FHIR bundle).
            ({"up": (10**200, 0, 0)}, "Pose.up: expected a direction of length 1"),
            ({"up": (1.34e154, 0, 0)}, "Pose.up: expected a direction of length 1"),
            ({"up": (0, 0)}, "Pose.up: expected three numbers"),
            ({"forward": (0, 0.6, 0.8)}, "Pose.forward: must be at right angles"),
            ({"rest": ("nose",)}, "Pose.rest: item 0: expected a landmark name"),
            ({"roll": float("nan")}, "Pose.roll: expected a finite number"),
            (
                {
                    "angles": (
                        Turn("left_knee_flexion", 10),
                        Turn("left_knee_flexion", 20),
                    )
                },
                "Pose.angles: names left_knee_flexion more than once",
            ),
        ],
    )
    def test_a_pose_says_what_is_wrong(
        self, fields: dict[str, Any], message: str
    ) -> None:
        """Each wrong field by its name, in the model's error."""
        with pytest.raises(InvalidModelError, match=re.escape(message)):
            attrs.evolve(STANDING, **fields)

    def test_a_turn_past_its_range_names_the_range(self) -> None:
        """The joint, its range and the angle given."""
        with pytest.raises(InvalidModelError, match="drawn from 0 to 150 degrees"):
            Turn("right_elbow_flexion", 151)

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"view": "side"}, "Figure.view: expected a View"),
            ({"arrow": "nose"}, "Figure.arrow: expected a landmark name"),
            ({"start": None}, "Figure.start: expected a Pose"),
        ],
    )
    def test_a_figure_says_what_is_wrong(
        self, fields: dict[str, Any], message: str
    ) -> None:
        """A view, two poses and a landmark, or a clear error."""
        with pytest.raises(InvalidModelError, match=re.escape(message)):
            attrs.evolve(FIGURES["cat-cow"], **fields)

    def test_a_document_with_a_bad_figure_says_where(self) -> None:
        """The loader names the path into the figure, and what is wrong there."""
        document = to_dict(catalog.get("cat-cow"))
        document["exercises"][0]["figure"]["start"]["up"] = [0, 0, 2]
        with pytest.raises(FormatError) as caught:
            from_dict(document)
        (problem,) = caught.value.problems
        assert problem.path == "$.exercises[0].figure.start.up"
        assert "length 1" in problem.message

    def test_the_schema_allows_what_only_the_loader_can_refuse(self) -> None:
        """A direction of the wrong length fits the schema; the loader refuses it."""
        document = to_dict(catalog.get("cat-cow"))
        document["exercises"][0]["figure"]["start"]["up"] = [0.5, 0.5, 0.5]
        assert jsonschema.Draft202012Validator(json_schema()).is_valid(document)
        with pytest.raises(FormatError):
            from_dict(document)
        document["exercises"][0]["figure"]["start"]["up"] = [0, 0, 2]
        assert not jsonschema.Draft202012Validator(json_schema()).is_valid(document)
