import importlib
import math

from collections.abc import Callable

import attrs
import pytest

from hypothesis import given
from hypothesis import strategies as st

from mobility import (
    Adaptation,
    AdaptationKind,
    Audience,
    Caution,
    CautionKind,
    Disclaimer,
    Dose,
    Exercise,
    Frequency,
    Hold,
    InvalidModelError,
    MobilityError,
    Posture,
    Progression,
    Protocol,
    Range,
    RedFlag,
    Region,
    Review,
    Side,
    Source,
    SourceKind,
    Step,
    Urgency,
    catalog,
)
from mobility.model import MAX_QUANTITY, MOVE_SECONDS, as_range, constraints, replace
from mobility.model._checks import checks_of
from mobility.research.strategies import doses, protocols, ranges


def make_exercise(**changes: object) -> Exercise:
    """A small valid exercise with some fields replaced."""
    fields: dict[str, object] = {
        "id": "knee-roll",
        "name": "Knee roll",
        "position": "On your back.",
        "steps": [Step("Roll.")],
        "dose": Dose(side=Side.EACH, reps=5),
    }
    fields.update(changes)
    return Exercise(**fields)  # type: ignore[arg-type]


def make_protocol(**changes: object) -> Protocol:
    """A small valid protocol with some fields replaced."""
    fields: dict[str, object] = {
        "id": "p",
        "name": "P",
        "region": Region.LUMBAR,
        "purpose": "Testing.",
        "exercises": [make_exercise()],
        "frequency": Frequency(days_per_week=3),
        "disclaimer": None,
    }
    fields.update(changes)
    return Protocol(**fields)  # type: ignore[arg-type]


class TestRange:
    def test_exact_by_default(self) -> None:
        """A range of one value is exact and prints as that value."""
        assert Range(30) == Range(30, 30)
        assert Range(30).is_exact
        assert str(Range(30)) == "30"
        assert not Range(10, 15).is_exact
        assert str(Range(10, 15)) == "10-15"

    def test_whole_floats_are_ints(self) -> None:
        """10.0 and 10 are one value with one spelling."""
        assert Range(10.0, 15.0) == Range(10, 15)
        assert isinstance(Range(10.0).low, int)
        assert str(Range(2.5, 5.0)) == "2.5-5"
        assert Range(2.5).is_whole is False
        assert Range(2, 5).is_whole is True

    @pytest.mark.parametrize(
        ("low", "high", "message"),
        [
            (15, 10, "Range.high: low (15) is above high (10)"),
            (-1, 5, "Range.low: must not be negative, got -1"),
            (0, math.inf, "Range.high: expected a finite number, got inf"),
            (math.nan, 1, "Range.low: expected a finite number, got nan"),
            (True, 2, "Range.low: expected a number, got True"),
            ("10", 15, "Range.low: expected a number, got '10'"),
        ],
    )
    def test_nonsense_fails_naming_the_field(
        self, low: object, high: object, message: str
    ) -> None:
        """Structural nonsense fails at construction, naming class and field."""
        with pytest.raises(InvalidModelError) as info:
            Range(low, high)  # type: ignore[arg-type]
        assert str(info.value) == message
        assert isinstance(info.value, MobilityError)
        assert isinstance(info.value, ValueError)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("10-15", Range(10, 15)),
            (" 10 \u2013 15 ", Range(10, 15)),
            ("30", Range(30)),
            ("2.5-5", Range(2.5, 5)),
        ],
    )
    def test_parse(self, text: str, expected: Range) -> None:
        """Ranges are read as people write them."""
        assert Range.parse(text) == expected

    @pytest.mark.parametrize("text", ["", "ten", "1-2-3", "-5", "10-"])
    def test_parse_rejects_junk(self, text: str) -> None:
        """Text that is not one or two numbers is refused, quoting the input."""
        with pytest.raises(InvalidModelError, match=r"Range"):
            Range.parse(text)

    def test_parse_rejects_reversed(self) -> None:
        """A reversed range is refused by the same rule as at construction."""
        with pytest.raises(InvalidModelError, match=r"low \(15\) is above high"):
            Range.parse("15-10")

    @given(ranges(), ranges())
    def test_arithmetic_is_end_by_end(self, a: Range, b: Range) -> None:
        """Sums and products combine the low ends and the high ends."""
        assert (a + b).low == pytest.approx(a.low + b.low)
        assert (a + b).high == pytest.approx(a.high + b.high)
        assert (a * b).low == pytest.approx(a.low * b.low)
        assert (a * b).high == pytest.approx(a.high * b.high)
        assert a * 2 == 2 * a == a + a

    @given(ranges(), ranges())
    def test_arithmetic_matches_a_checked_range(self, a: Range, b: Range) -> None:
        """Results of arithmetic equal ranges built and checked the slow way."""
        assert a + b == Range(a.low + b.low, a.high + b.high)
        assert a * b == Range(a.low * b.low, a.high * b.high)
        assert repr(a * b) == repr(Range(a.low * b.low, a.high * b.high))

    def test_arithmetic_refuses_overflow(self) -> None:
        """A result too large for a float is refused, not stored as infinity."""
        with pytest.raises(InvalidModelError, match="too large"):
            Range(1e200) * Range(1e200)
        with pytest.raises(InvalidModelError, match="too large"):
            Range(10**200) * Range(10**200)

    def test_huge_numbers_are_refused(self) -> None:
        """An int beyond any float is not a finite number here."""
        with pytest.raises(InvalidModelError, match=r"Range.low: expected a finite"):
            Range(10**400)

    def test_contains(self) -> None:
        """Membership is inclusive at both ends and only for numbers."""
        assert 10 in Range(10, 15)
        assert 15 in Range(10, 15)
        assert 15.5 not in Range(10, 15)
        assert True not in Range(0, 2)
        assert "12" not in Range(10, 15)

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (3, Range(3)),
            (2.5, Range(2.5)),
            ((1, 2), Range(1, 2)),
            ([1, 2], Range(1, 2)),
        ],
    )
    def test_as_range(self, value: object, expected: Range) -> None:
        """Numbers and pairs become ranges."""
        assert as_range(value) == expected  # type: ignore[arg-type]

    @pytest.mark.parametrize("value", ["10", (1, 2, 3), None, {"low": 1}])
    def test_as_range_refuses_others(self, value: object) -> None:
        """Anything else is refused with the value quoted."""
        with pytest.raises(InvalidModelError, match=r"expected a number, a"):
            as_range(value)  # type: ignore[arg-type]


class TestHold:
    def test_converts_numbers(self) -> None:
        """A hold takes a range, a number or a pair."""
        assert Hold(30) == Hold(Range(30)) == Hold((30, 30))
        assert str(Hold((10, 15))) == "hold 10-15 s"

    def test_zero_is_nonsense(self) -> None:
        """A hold of no time is not a hold."""
        with pytest.raises(
            InvalidModelError, match=r"Hold.seconds: must be above zero"
        ):
            Hold(0)

    def test_positions_are_held_each(self) -> None:
        """Cat-cow holds two positions: each for the hold, so twice the time."""
        hold = Hold((10, 15), positions=2)
        assert str(hold) == "hold each of 2 positions 10-15 s"
        dose = Dose(side=Side.BILATERAL, reps=5, hold=hold)
        assert dose.stretch_seconds_per_side == Range(100, 150)
        assert dose.estimated_seconds == Range(
            5 * 2 * (10 + MOVE_SECONDS), 5 * 2 * (15 + MOVE_SECONDS)
        )

    @pytest.mark.parametrize("positions", [0, 5, 1.5, True, "2"])
    def test_positions_are_a_small_count(self, positions: object) -> None:
        """One to four positions; anything else names the field."""
        with pytest.raises(InvalidModelError, match=r"Hold.positions: "):
            Hold(30, positions=positions)  # type: ignore[arg-type]


class TestSide:
    def test_each_works_both_sides(self) -> None:
        """EACH and ALTERNATING work both sides; the others one."""
        assert Side.EACH.sides_worked == 2
        assert Side.ALTERNATING.sides_worked == 2
        assert Side.BILATERAL.sides_worked == 1
        assert Side.LEFT.sides_worked == 1
        assert Side.RIGHT.sides_worked == 1

    def test_values_are_strings(self) -> None:
        """Sides compare equal to their values, for data exchange."""
        assert Side("each") is Side.EACH
        assert Side.EACH == "each"


class TestDose:
    def test_each_side_is_not_a_total(self) -> None:
        """'10 reps on each side' is 20 reps in a session."""
        dose = Dose(side=Side.EACH, reps=10)
        assert dose.reps_per_side == Range(10)
        assert dose.total_reps == Range(20)

    def test_alternating_is_a_total_split_between_sides(self) -> None:
        """'8-10 times, alternating sides' is 8-10 in all, 4-5 on each side."""
        dose = Dose(side=Side.ALTERNATING, reps=(8, 10), hold=6)
        assert dose.reps_per_side == Range(4, 5)
        assert dose.total_reps == Range(8, 10)
        assert dose.stretch_seconds_per_side == Range(24, 30)
        assert dose.estimated_seconds == Range(
            8 * (6 + MOVE_SECONDS), 10 * (6 + MOVE_SECONDS)
        )
        odd = Dose(side=Side.ALTERNATING, reps=9)
        assert odd.reps_per_side == Range(4.5)

    def test_bilateral_is_the_total(self) -> None:
        """A bilateral dose is counted once."""
        dose = Dose(side=Side.BILATERAL, reps=10, sets=2)
        assert dose.reps_per_side == Range(20)
        assert dose.total_reps == Range(20)

    def test_stretch_time_per_side(self) -> None:
        """Stretch time on one side is sets x reps x hold."""
        dose = Dose(side=Side.EACH, reps=(10, 15), hold=(10, 15), sets=2)
        assert dose.stretch_seconds_per_side == Range(200, 450)
        assert Dose(side=Side.EACH, reps=10).stretch_seconds_per_side == Range(0)

    def test_estimated_seconds(self) -> None:
        """Each rep is its hold plus the move time; rests come between sets."""
        dose = Dose(side=Side.EACH, reps=10, hold=15, sets=2, rest_seconds=30)
        per_side = 2 * 10 * (15 + MOVE_SECONDS) + (2 - 1) * 30
        assert dose.estimated_seconds == Range(2 * per_side)

    def test_estimated_seconds_of_a_range(self) -> None:
        """A range of sets gives a range of rests."""
        dose = Dose(side=Side.LEFT, reps=1, sets=(1, 3), rest_seconds=10)
        assert dose.estimated_seconds == Range(MOVE_SECONDS, 3 * MOVE_SECONDS + 20)

    @given(doses)
    def test_totals_are_per_side_times_sides(self, dose: Dose) -> None:
        """Every whole-session figure is the per-side figure times the sides."""
        assert dose.total_reps == dose.reps_per_side * dose.side.sides_worked
        assert dose.reps_per_side == dose.sets * dose.reps * dose.side.share
        if dose.side is not Side.ALTERNATING:
            assert dose.total_reps == dose.sets * dose.reps * dose.side.sides_worked
        else:
            assert dose.total_reps == dose.sets * dose.reps

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"reps": 0}, "Dose.reps: must be whole numbers of at least 1, got 0"),
            ({"reps": 1.5}, "Dose.reps: must be whole numbers of at least 1, got 1.5"),
            ({"reps": (0, 3)}, "Dose.reps: must be whole numbers of at least 1"),
            ({"sets": 0}, "Dose.sets: must be whole numbers of at least 1"),
            ({"side": "each"}, "Dose.side: expected a Side, got 'each'"),
            ({"intensity": "pain"}, "Dose.intensity: expected an Intensity"),
            ({"hold": 0}, "Hold.seconds: must be above zero"),
            ({"rest_seconds": -1}, "Range.low: must not be negative"),
            ({"source": "ACSM"}, "Dose.source: expected a Source or None"),
        ],
    )
    def test_nonsense_fails_naming_the_field(
        self, changes: dict[str, object], message: str
    ) -> None:
        """Each structural mistake names the class and field."""
        fields: dict[str, object] = {"side": Side.EACH, "reps": 10}
        fields.update(changes)
        with pytest.raises(InvalidModelError) as info:
            Dose(**fields)  # type: ignore[arg-type]
        assert str(info.value).startswith(message)


class TestQuantityCap:
    @pytest.mark.parametrize(
        ("build", "message"),
        [
            (
                lambda: Dose(side=Side.EACH, reps=10**6 + 1),
                "Dose.reps: must be at most",
            ),
            (lambda: Dose(side=Side.EACH, reps=1, sets=10**7), "Dose.sets: must be at"),
            (lambda: Hold(1e6 + 0.5), "Hold.seconds: must be at most 1000000"),
            (
                lambda: Dose(side=Side.EACH, reps=1, rest_seconds=(0, 2e6)),
                "Dose.rest_seconds: must be at most",
            ),
            (
                lambda: Progression(every_days=1, hold_step_seconds=1e300),
                "Progression.hold_step_seconds: must be at most",
            ),
            (
                lambda: Frequency(days_per_week=1, sessions_per_day=10**400),
                "Frequency.sessions_per_day: must be between 1 and 1000000",
            ),
        ],
    )
    def test_numbers_a_person_gives_are_capped(
        self, build: Callable[[], object], message: str
    ) -> None:
        """Quantities above MAX_QUANTITY mean nothing and are refused."""
        with pytest.raises(InvalidModelError) as info:
            build()
        assert str(info.value).startswith(message)

    def test_the_cap_itself_is_allowed(self) -> None:
        """MAX_QUANTITY is on the edge, so allowed; derived figures may exceed it."""
        dose = Dose(
            side=Side.EACH,
            reps=MAX_QUANTITY,
            sets=MAX_QUANTITY,
            hold=MAX_QUANTITY,
            rest_seconds=MAX_QUANTITY,
        )
        assert dose.stretch_seconds_per_side == Range(MAX_QUANTITY**3)


class TestStepAndExercise:
    def test_steps_become_a_tuple(self) -> None:
        """Lists are accepted and stored as tuples, so the value stays frozen."""
        exercise = make_exercise(steps=[Step("A."), Step("B.")], equipment=["mat"])
        assert exercise.steps == (Step("A."), Step("B."))
        assert exercise.equipment == ("mat",)

    def test_a_lone_string_is_one_item(self) -> None:
        """equipment="mat" means one item, not three letters."""
        assert make_exercise(equipment="mat").equipment == ("mat",)

    @pytest.mark.parametrize(
        "bad_id",
        ["", "Knee", "knee roll", "knee--roll", "-knee", "knee_roll", "a" * 65],
    )
    def test_ids_are_slugs(self, bad_id: str) -> None:
        """Ids are lower-case slugs, so they stay stable across datasets."""
        with pytest.raises(InvalidModelError, match=r"Exercise.id: expected a slug"):
            make_exercise(id=bad_id)

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"steps": []}, "Exercise.steps: must not be empty"),
            ({"steps": ["Roll."]}, "Exercise.steps: item 0: expected a Step"),
            ({"name": "  "}, "Exercise.name: expected text with a visible character"),
            ({"dose": None}, "Exercise.dose: expected a Dose"),
            ({"equipment": ["mat", ""]}, "Exercise.equipment: item 1: expected"),
        ],
    )
    def test_nonsense_fails_naming_the_field(
        self, changes: dict[str, object], message: str
    ) -> None:
        """Each structural mistake names the class and field."""
        with pytest.raises(InvalidModelError) as info:
            make_exercise(**changes)
        assert str(info.value).startswith(message)

    def test_empty_step(self) -> None:
        """A step must say something."""
        with pytest.raises(
            InvalidModelError,
            match=r"Step.text: expected text with a visible character",
        ):
            Step("")


class TestErrorDetail:
    def test_field_index_and_problem(self) -> None:
        """An error about one item says which field and which item, as data."""
        with pytest.raises(InvalidModelError) as info:
            make_exercise(steps=[Step("A."), "B."])
        error = info.value
        assert (error.field, error.index) == ("steps", 1)
        assert error.problem == "expected a Step, got 'B.'"
        assert str(error) == "Exercise.steps: item 1: expected a Step, got 'B.'"

    def test_without_an_index(self) -> None:
        """A whole-field error has no index."""
        with pytest.raises(InvalidModelError) as info:
            Dose(side=Side.EACH, reps=0)
        assert (info.value.field, info.value.index) == ("reps", None)


class TestFrequencyProgressionReview:
    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"days_per_week": 0}, "Frequency.days_per_week: must be between 1 and 7"),
            ({"days_per_week": 8}, "Frequency.days_per_week: must be between 1 and 7"),
            ({"days_per_week": True}, "Frequency.days_per_week: expected a whole"),
            ({"sessions_per_day": 0}, "Frequency.sessions_per_day: must be between 1"),
        ],
    )
    def test_frequency_nonsense(self, changes: dict[str, object], message: str) -> None:
        """A week has 1 to 7 training days, and a day at least one session."""
        fields: dict[str, object] = {"days_per_week": 3}
        fields.update(changes)
        with pytest.raises(InvalidModelError) as info:
            Frequency(**fields)  # type: ignore[arg-type]
        assert str(info.value).startswith(message)

    def test_sessions_per_week(self) -> None:
        """Sessions per week multiply out."""
        assert Frequency(days_per_week=3, sessions_per_day=2).sessions_per_week == 6

    def test_progression_must_progress(self) -> None:
        """A progression that adds nothing is refused."""
        with pytest.raises(InvalidModelError, match=r"at least one of reps_step"):
            Progression(every_days=3)

    def test_hold_growth_per_week(self) -> None:
        """A hold step every few days is converted to a weekly rate."""
        progression = Progression(every_days=2, hold_step_seconds=5)
        assert progression.hold_seconds_per_week == pytest.approx(17.5)

    def test_review_needs_a_day_and_an_action(self) -> None:
        """A review happens after at least a day and says what to do."""
        with pytest.raises(InvalidModelError, match=r"Review.after_days"):
            Review(after_days=0, action="Call.")
        with pytest.raises(InvalidModelError, match=r"Review.action"):
            Review(after_days=14, action="")


class TestDisclaimer:
    def test_parts_may_be_empty(self) -> None:
        """Incomplete safety text can be built, so it can be validated."""
        disclaimer = Disclaimer(text="General exercises.")
        assert disclaimer.stop_rules == ()
        assert disclaimer.seek_care == ()

    def test_red_flags_are_typed(self) -> None:
        """Red flags carry an urgency, not free text."""
        with pytest.raises(InvalidModelError, match=r"Disclaimer.red_flags: item 0"):
            Disclaimer(text="x", red_flags=["Chest pain"])  # type: ignore[list-item]
        flag = RedFlag("Chest pain", Urgency.EMERGENCY)
        assert Disclaimer(text="x", red_flags=[flag]).red_flags == (flag,)


class TestProtocol:
    def test_needs_an_exercise(self) -> None:
        """A protocol without exercises means nothing."""
        with pytest.raises(InvalidModelError, match=r"Protocol.exercises: must not be"):
            make_protocol(exercises=[])

    def test_exercise_ids_are_unique(self) -> None:
        """Two exercises with one id cannot be told apart."""
        with pytest.raises(
            InvalidModelError, match=r"item 1: duplicate id 'knee-roll'"
        ):
            make_protocol(exercises=[make_exercise(), make_exercise()])

    def test_region_is_typed(self) -> None:
        """A region is a Region, not any string."""
        with pytest.raises(InvalidModelError, match=r"Protocol.region: expected a"):
            make_protocol(region="lumbar")

    def test_program_weeks(self) -> None:
        """A programme lasts at least a week when its length is given."""
        with pytest.raises(InvalidModelError, match=r"Protocol.program_weeks"):
            make_protocol(program_weeks=0)
        assert make_protocol(program_weeks=None).program_weeks is None

    def test_exercise_lookup(self) -> None:
        """Exercises are found by id; an unknown id is a KeyError."""
        protocol = make_protocol()
        assert protocol.exercise("knee-roll") is protocol.exercises[0]
        with pytest.raises(KeyError):
            protocol.exercise("nope")

    def test_session_estimate_sums_exercises(self) -> None:
        """A session is as long as its exercises together."""
        one = make_exercise(id="a", dose=Dose(side=Side.EACH, reps=2, hold=10))
        two = make_exercise(id="b", dose=Dose(side=Side.BILATERAL, reps=3))
        protocol = make_protocol(exercises=[one, two])
        expected = 2 * 2 * (10 + MOVE_SECONDS) + 3 * MOVE_SECONDS
        assert protocol.estimated_session_seconds == Range(expected)


class TestVariants:
    def test_evolve_makes_a_variant(self) -> None:
        """attrs.evolve changes one field and keeps the rest."""
        base = catalog.get("lower-trunk-rotation")
        exercise = base.exercises[0]
        variant = attrs.evolve(
            base,
            id="ltr-hold-20",
            exercises=[
                attrs.evolve(exercise, dose=attrs.evolve(exercise.dose, hold=20))
            ],
        )
        assert variant.exercises[0].dose.hold == Hold(20)
        assert variant.exercises[0].dose.reps == exercise.dose.reps
        assert variant.disclaimer is base.disclaimer
        assert base.exercises[0].dose.hold == Hold((10, 15))  # base untouched

    def test_evolve_checks_the_new_value(self) -> None:
        """A variant is held to the same structural rules."""
        dose = catalog.get("lower-trunk-rotation").exercises[0].dose
        with pytest.raises(InvalidModelError, match=r"Dose.reps"):
            attrs.evolve(dose, reps=0)

    def test_values_are_frozen_and_hashable(self) -> None:
        """Protocols cannot change under a caller and can key a dict."""
        protocol = catalog.get("lower-trunk-rotation")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            protocol.name = "x"  # type: ignore[misc]
        assert {protocol: 1}[protocol] == 1

    @given(protocols())
    def test_any_protocol_equals_its_rebuild(self, protocol: Protocol) -> None:
        """Rebuilding from the fields gives an equal value (no hidden state)."""
        assert attrs.evolve(protocol) == protocol


class TestSource:
    def test_str_marks_inference(self) -> None:
        """A source says when a figure is our inference."""
        assert str(Source("ACSM")) == "ACSM"
        assert str(Source("ACSM", inferred=True, note="top of range")) == (
            "ACSM (top of range) [our inference]"
        )

    @given(st.text().filter(lambda t: not t.strip()))
    def test_needs_a_citation(self, blank: str) -> None:
        """A source with no citation cites nothing."""
        with pytest.raises(InvalidModelError, match=r"Source.citation"):
            Source(blank)

    def test_kind_and_address(self) -> None:
        """A source may say what kind it is and where the original page is."""
        source = Source("HSE", kind=SourceKind.PUBLIC_HEALTH, url="https://hse.ie/x")
        assert source.kind.label == "public-health guidance"  # type: ignore[union-attr]
        assert [kind.label for kind in SourceKind][-1] == "practitioner's material"
        with pytest.raises(InvalidModelError, match=r"Source\.kind"):
            Source("HSE", kind="public-health")  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        "url",
        [
            "hse.ie",
            "ftp://hse.ie",
            "javascript:alert(1)",
            "https://hse.ie/a b",
            "https://hse.ie/\n",
            "https://h\u00e9.ie",
            "https://" + "a" * 2000,
            "",
            'https://x/"><script>',
            "https://x/<img src=x onerror=alert(1)>",
            "https://hse.ie/a\\b",
            "https://hse.ie/{x}",
            "https://:80/",
            "https://hse.ie:99999/",
            "http://",
        ],
    )
    def test_address_must_be_a_web_address(self, url: str) -> None:
        """Only http and https with a host, in the characters RFC 3986 allows."""
        with pytest.raises(InvalidModelError, match=r"Source\.url: expected an http"):
            Source("HSE", url=url.encode().decode("unicode_escape"))


class TestCautions:
    def test_may_name_the_protocol_exercises(self) -> None:
        """A caution names exercises by id; the protocol checks that they exist."""
        caution = Caution("Not with osteoporosis.", CautionKind.AVOID,
                          exercises=["knee-roll"])  # fmt: skip
        assert caution.exercises == ("knee-roll",)
        disclaimer = Disclaimer(text="General.", cautions=[caution])
        assert make_protocol(disclaimer=disclaimer).disclaimer == disclaimer
        stray = attrs.evolve(caution, exercises=("bridge",))
        with pytest.raises(InvalidModelError) as info:
            make_protocol(disclaimer=attrs.evolve(disclaimer, cautions=[stray]))
        assert str(info.value) == (
            "Protocol.disclaimer: cautions[0] names the exercise 'bridge', which "
            "the protocol does not have; it has: knee-roll"
        )

    def test_none_and_empty_differ(self) -> None:
        """None (not considered) and () (none given) are kept apart."""
        assert Disclaimer(text="General.").cautions is None
        assert Disclaimer(text="General.", cautions=[]).cautions == ()

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"kind": "avoid"}, "Caution.kind"),
            ({"exercises": ["Knee Roll"]}, "Caution.exercises"),
            ({"text": " "}, "Caution.text"),
        ],
    )
    def test_refuses_what_means_nothing(
        self, changes: dict[str, object], field: str
    ) -> None:
        """A caution's kind is a CautionKind, its exercises are ids."""
        fields: dict[str, object] = {
            "text": "Ask first.",
            "kind": CautionKind.ASK_FIRST,
        }
        with pytest.raises(InvalidModelError, match=field):
            Caution(**(fields | changes))  # type: ignore[arg-type]
        with pytest.raises(InvalidModelError, match=r"Disclaimer\.cautions"):
            Disclaimer(text="General.", cautions=["Ask first."])  # type: ignore[list-item]

    def test_posture_and_audience(self) -> None:
        """Exercises may say their start position; protocols whom they are for."""
        assert make_exercise(posture=Posture.SITTING).posture is Posture.SITTING
        assert make_protocol().audience is Audience.ADULTS
        with pytest.raises(InvalidModelError, match=r"Exercise\.posture"):
            make_exercise(posture="sitting")
        with pytest.raises(InvalidModelError, match=r"Protocol\.audience"):
            make_protocol(audience="older-adults")


# Strings a reader sees as empty, each of a kind the issue tracker named.
INVISIBLE_TEXTS = [
    "\u200b",  # zero width space (Cf)
    "\u2060",  # word joiner (Cf)
    "\ufeff",  # byte order mark (Cf)
    "\u3164",  # Hangul filler (Lo, but default-ignorable)
    "\u2800",  # braille pattern blank (So)
    "\x00",  # NUL (Cc)
    "\x1c",  # file separator (Cc)
    " \u00a0\u2003\u3000",  # spaces (Zs)
    "\u2028\u2029",  # line and paragraph separators
    "\ufe0f",  # variation selector
    "\U000e0020\U000e0041",  # tag characters, above the BMP
    "\u200b \u3164 \u2800",
]


class TestVisibleText:
    @pytest.mark.parametrize("text", INVISIBLE_TEXTS)
    def test_invisible_safety_text_is_refused(self, text: str) -> None:
        """A disclaimer, stop rule or seek-care rule a reader cannot see fails."""
        with pytest.raises(InvalidModelError, match=r"Disclaimer\.text: expected text"):
            Disclaimer(text=text)
        with pytest.raises(InvalidModelError, match=r"Disclaimer.stop_rules: item 0"):
            Disclaimer(text="General.", stop_rules=[text])
        with pytest.raises(InvalidModelError, match=r"Disclaimer.seek_care: item 1"):
            Disclaimer(text="General.", seek_care=["Call a PT.", text])

    @pytest.mark.parametrize(
        "text", ["Stop.", "\u200bStop", "停止", "🛑", "x\u3164", "\u0301a", "\u2139"]
    )
    def test_visible_text_is_kept_as_written(self, text: str) -> None:
        """Text with one visible character is accepted and stored unchanged."""
        assert Disclaimer(text=text).text == text

    def test_the_table_matches_unicodedata(self) -> None:
        """INVISIBLE is unicodedata's Cc, Cf, Cs and Z*, plus the ignorables."""
        import unicodedata  # noqa: PLC0415

        from mobility.model._checks import INVISIBLE  # noqa: PLC0415

        table = {cp for start, end in INVISIBLE for cp in range(start, end + 1)}
        categories = {"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"}
        # Default_Ignorable_Code_Point members outside those categories, and the
        # blank braille pattern.
        ignorable_others = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C}
        ignorable_others |= {0x180D, 0x180F, 0x2800, 0x3164, 0xFFA0}
        ignorable_others |= set(range(0xFE00, 0xFE10)) | set(range(0xE0100, 0xE01F0))
        for cp in range(0x110000):
            category = unicodedata.category(chr(cp))
            if category in categories:
                assert cp in table, hex(cp)
            if cp in table:
                assert (
                    category in categories or category == "Cn" or cp in ignorable_others
                ), (hex(cp), category)

    @given(st.text(max_size=8))
    def test_the_function_and_the_pattern_agree(self, text: str) -> None:
        """is_visible and the schema's VISIBLE_PATTERN give the same answer."""
        import re  # noqa: PLC0415

        from mobility.model._checks import VISIBLE_PATTERN, is_visible  # noqa: PLC0415

        assert is_visible(text) is (re.search(VISIBLE_PATTERN, text) is not None)

    @pytest.mark.parametrize("edge", [0x20, 0x21, 0x7E, 0x7F, 0xA0, 0xA1, 0xE0FFF])
    def test_the_function_and_the_pattern_agree_at_the_edges(self, edge: int) -> None:
        """At each end of an invisible range, both say the same."""
        import re  # noqa: PLC0415

        from mobility.model._checks import INVISIBLE, VISIBLE_PATTERN, is_visible  # noqa: PLC0415

        points = {edge, *(p for r in INVISIBLE for e in r for p in (e - 1, e, e + 1))}
        for point in sorted(p for p in points if 0 <= p < 0x110000):
            text = chr(point)
            assert is_visible(text) is (re.search(VISIBLE_PATTERN, text) is not None)


class TestReplace:
    """replace() is attrs.evolve that checks only what a change can affect."""

    @given(protocol=protocols(), data=st.data())
    def test_gives_what_evolve_gives(
        self, protocol: Protocol, data: st.DataObject
    ) -> None:
        """Any change of any level gives an equal object, or the same error."""
        exercise = protocol.exercises[0]
        new_dose = data.draw(doses)
        for target, changes in (
            (exercise.dose, {"reps": data.draw(ranges(min_value=0, max_value=30))}),
            (exercise, {"dose": new_dose}),
            (protocol, {"exercises": [attrs.evolve(exercise, id="renamed")]}),
            (protocol, {"name": data.draw(st.sampled_from(["Other", " ", 7]))}),
            (Range(2, 3), {"low": data.draw(st.integers(0, 5))}),
        ):
            try:
                expected: object = attrs.evolve(target, **changes)
            except InvalidModelError as error:
                expected = str(error)
            try:
                got: object = replace(target, **changes)
            except InvalidModelError as error:
                got = str(error)
            assert got == expected

    def test_checks_what_reads_the_change(self) -> None:
        """Checks that read a changed field from another field run again."""
        exercise = catalog.get("thoracic-open-book").exercises[0]
        with pytest.raises(
            InvalidModelError, match=r"\{hold\} needs a dose with a hold"
        ):
            replace(exercise, dose=attrs.evolve(exercise.dose, hold=None))
        mayo = catalog.get("mayo-back-exercises")
        with pytest.raises(
            InvalidModelError, match="names the exercise 'knee-to-chest'"
        ):
            replace(mayo, exercises=mayo.exercises[2:])
        with pytest.raises(InvalidModelError, match=r"low \(4\) is above high \(3\)"):
            replace(Range(2, 3), low=4)
        with pytest.raises(InvalidModelError, match="at least one of reps_step"):
            replace(Progression(every_days=3, reps_step=1), reps_step=0)

    def test_unknown_field(self) -> None:
        """A name that is not a field is a TypeError, as with attrs.evolve."""
        with pytest.raises(TypeError, match="Range has no field 'middle'"):
            replace(Range(2, 3), middle=2)

    def test_converts_like_the_constructor(self) -> None:
        """Changed values go through the field's converter."""
        dose = Dose(side=Side.EACH, reps=5)
        assert replace(dose, reps=(5, 8), hold=30) == Dose(
            side=Side.EACH, reps=Range(5, 8), hold=Hold(30)
        )


class TestAdaptationsAndFraming:
    def test_an_adaptation_reads_as_its_kind(self) -> None:
        """An easier or harder way says which it is, and keeps its source."""
        source = Source("NHS, 'Lower back pain exercises'")
        easier = Adaptation("Use a pillow.", AdaptationKind.EASIER, source=source)
        assert str(easier) == "Easier: Use a pillow."
        exercise = attrs.evolve(
            catalog.get("thoracic-open-book").exercises[0], adaptations=[easier]
        )
        assert exercise.adaptations == (easier,)

    @pytest.mark.parametrize(
        ("make", "message"),
        [
            (lambda: Adaptation("", AdaptationKind.EASIER), "Adaptation.text: "),
            (lambda: Adaptation("Go on.", "harder"), "Adaptation.kind: expected an"),
            (
                lambda: attrs.evolve(
                    catalog.get("thoracic-open-book").exercises[0],
                    adaptations=["Use a pillow."],
                ),
                "Exercise.adaptations: item 0: expected an Adaptation",
            ),
            (
                lambda: RedFlag("Chest pain", Urgency.EMERGENCY, context=" "),
                "RedFlag.context: ",
            ),
        ],
    )
    def test_nonsense_names_the_field(
        self, make: Callable[[], object], message: str
    ) -> None:
        """Each new field refuses the wrong thing by name."""
        with pytest.raises(InvalidModelError) as info:
            make()
        assert str(info.value).startswith(message)

    def test_a_framed_flag_says_its_framing(self) -> None:
        """'Chest pain' in a back-pain list reads as such on its own."""
        flag = RedFlag("Chest pain", Urgency.EMERGENCY, context="back pain")
        assert str(flag) == "Chest pain (with back pain)"
        assert str(RedFlag("Chest pain", Urgency.EMERGENCY)) == "Chest pain"

    def test_progression_keeps_the_positions(self) -> None:
        """A longer hold is longer in each position, still two of them."""
        dose = Dose(side=Side.BILATERAL, reps=5, hold=Hold(10, positions=2))
        progression = Progression(every_days=7, hold_step_seconds=5)
        later = progression.dose_at(dose, 2)
        assert later.hold == Hold(20, positions=2)


class TestSharing:
    """Values that cannot change are built once and shared, never built around."""

    def test_a_number_gives_one_range(self) -> None:
        """Doses given the same numbers share their ranges."""
        first, second = Dose(side=Side.EACH, reps=5), Dose(side=Side.EACH, reps=5)
        assert first.reps is second.reps
        assert Dose(side=Side.EACH, reps=(5, 8)).reps is as_range((5, 8))

    def test_a_refused_number_is_refused_every_time(self) -> None:
        """A value Range refuses raises again; it is not kept as a range."""
        for _ in range(2):
            with pytest.raises(InvalidModelError, match=r"Range\.low"):
                as_range(-1)
            with pytest.raises(InvalidModelError):
                as_range(True)  # noqa: FBT003 - a bool is the refused value
        with pytest.raises(InvalidModelError):
            as_range((1, [2]))  # type: ignore[arg-type] - cannot be a key

    def test_numbers_of_another_type_keep_their_own_range(self) -> None:
        """1 and 1.0 are equal keys; each gets the range it would have got alone."""
        assert as_range(1.5) == Range(1.5)
        assert type(as_range(2).low) is type(Range(2).low)
        assert type(as_range(2.0).low) is type(Range(2.0).low)

    def test_a_bad_text_is_refused_every_time(self) -> None:
        """Text verdicts are kept, and a kept refusal still raises."""
        for _ in range(2):
            with pytest.raises(InvalidModelError, match="visible character"):
                Step(" ")

    def test_replace_runs_every_check(self) -> None:
        """replace() builds through the constructor, so no check can be missed."""
        exercise = catalog.get("thoracic-open-book").exercises[0]
        with pytest.raises(InvalidModelError, match=r"Exercise\.name"):
            replace(exercise, name="\u200b")
        assert replace(exercise, name="Other").steps is exercise.steps


class TestChecksAreRecorded:
    """Each field's checks are in its metadata, where the schema reads them."""

    @pytest.mark.parametrize(
        "cls",
        [
            c
            for module in ("mobility.model", "mobility.progress._record")
            for c in vars(importlib.import_module(module)).values()
            if isinstance(c, type) and attrs.has(c) and c.__module__ == module
        ],
        ids=lambda c: c.__name__,
    )
    def test_no_field_runs_a_check_it_does_not_record(self, cls: type) -> None:
        """A validator outside the metadata would be enforced but not published.

        The only exceptions are the checks that read a second field, which no
        field's schema can state; they are written as ``@field.validator``.
        """
        for field in attrs.fields(cls):
            recorded = checks_of(field)
            if field.validator is None:
                assert recorded == (), field.name
            else:
                assert recorded or field.name in CROSS_FIELD.get(cls.__name__, ()), (
                    f"{cls.__name__}.{field.name}"
                )


CROSS_FIELD: dict[str, tuple[str, ...]] = {}


def _every_attrs_class() -> list[type]:
    """Every attrs class the package defines, in every module but the CLI's."""
    import pkgutil  # noqa: PLC0415 - only this list needs it

    import mobility  # noqa: PLC0415

    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(mobility.__path__, "mobility."):
        if info.name.endswith("__main__"):
            continue
        for value in vars(importlib.import_module(info.name)).values():
            if isinstance(value, type) and attrs.has(value):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


class TestConstraints:
    """What each field accepts, in words, from the checks it records."""

    @pytest.mark.parametrize("cls", _every_attrs_class(), ids=lambda c: c.__name__)
    def test_every_recorded_check_says_what_it_allows(self, cls: type) -> None:
        """No check is silent, and every field with checks is listed."""
        described = constraints(cls)
        for field in attrs.fields(cls):
            words = [check.words for check in checks_of(field)]
            assert all(isinstance(w, str) and w.strip() for w in words), field.name
            assert (field.name in described) is bool(words)
            if words:
                assert described[field.name] == "; ".join(words)

    def test_the_words_state_the_bounds(self) -> None:
        """The figures in the words are the checks' own."""
        assert constraints(Frequency) == {
            "days_per_week": "a whole number from 1 to 7",
            "sessions_per_day": "a whole number from 1 to 1,000,000",
            "source": "a Source, or None",
        }
        assert constraints(Dose)["reps"] == (
            "a number or a low-high range of whole numbers of at least 1, at most "
            "1,000,000"
        )
        assert constraints(Hold)["positions"] == "a whole number from 1 to 4"
        assert constraints(Disclaimer)["cautions"] == "each item a Caution, or None"
        assert constraints(Progression)["hold_ceiling_seconds"] == (
            "a finite number of at least 0 and at most 1,000,000, or None"
        )
        assert constraints(Exercise)["steps"] == "at least one item; each item a Step"

    def test_a_schedule_describes_its_function_checks(self) -> None:
        """Checks written as functions carry their words too."""
        from mobility.model.schedule import Schedule  # noqa: PLC0415

        assert constraints(Schedule)["tz"] == (
            "an IANA time zone name, such as Europe/Berlin"
        )
        assert constraints(Schedule)["weeks"] == "a whole number from 1 to 520"

    def test_the_words_match_what_is_refused(self) -> None:
        """A value just outside what the words say is refused; one inside is not."""
        Frequency(days_per_week=7)
        with pytest.raises(InvalidModelError, match="between 1 and 7"):
            Frequency(days_per_week=8)
        Hold(10, positions=4)
        with pytest.raises(InvalidModelError, match="positions"):
            Hold(10, positions=5)

    def test_only_attrs_classes(self) -> None:
        """Anything else is a TypeError, as attrs.fields raises it."""
        with pytest.raises(TypeError, match="expects an attrs class"):
            constraints(dict)
        with pytest.raises(TypeError, match="expects an attrs class"):
            constraints(Frequency(days_per_week=3))  # type: ignore[arg-type]
