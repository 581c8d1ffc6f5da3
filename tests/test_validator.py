import re

from collections.abc import Callable

import attrs
import pytest

from hypothesis import given
from hypothesis import strategies as st

from mobility import (
    Audience,
    Bound,
    Disclaimer,
    Dose,
    Exercise,
    Finding,
    Frequency,
    Intensity,
    Limit,
    MobilityError,
    Progression,
    Protocol,
    RedFlag,
    Region,
    Report,
    Review,
    SafetyLimits,
    Severity,
    Side,
    Source,
    Step,
    UnsafeProtocolError,
    Urgency,
    catalog,
    validate,
)
from mobility.model import MAX_QUANTITY, MOVE_SECONDS
from mobility.research.strategies import protocols
from mobility.safety.validator import limits_for


SAFE_DISCLAIMER = Disclaimer(
    text="General exercises.",
    stop_rules=["Stop if pain increases."],
    seek_care=["Contact a physical therapist if nothing improves."],
    red_flags=[RedFlag("Chest pain", Urgency.EMERGENCY)],
    cautions=[],
)


def base(**changes: object) -> Protocol:
    """A small protocol with no findings at all, to vary one thing at a time."""
    fields: dict[str, object] = {
        "id": "base",
        "name": "Base",
        "region": Region.LUMBAR,
        "purpose": "Testing.",
        "exercises": [
            Exercise(
                id="knee-roll",
                name="Knee roll",
                position="On your back.",
                steps=[Step("Roll.")],
                dose=Dose(side=Side.EACH, reps=5, hold=20, sets=1),
            )
        ],
        "frequency": Frequency(days_per_week=5),
        "disclaimer": SAFE_DISCLAIMER,
        "review": Review(after_days=14, action="Contact a physical therapist."),
    }
    fields.update(changes)
    return Protocol(**fields)  # type: ignore[arg-type]


def with_dose(**changes: object) -> Protocol:
    """The base protocol with its one dose changed."""
    protocol = base()
    exercise = protocol.exercises[0]
    dose = attrs.evolve(exercise.dose, **changes)
    return attrs.evolve(protocol, exercises=[attrs.evolve(exercise, dose=dose)])


def codes(report: Report) -> list[str]:
    """The codes of a report's findings, in order."""
    return [finding.code for finding in report.findings]


def test_base_is_clean() -> None:
    """The base protocol has no findings, so each test sees only its own."""
    assert validate(base()).findings == ()


# How to set each checked parameter to a value, where the finding points, and the
# smallest step past a bound (1 for whole numbers).
Setter = Callable[[float], Protocol]
PARAMETERS: dict[str, tuple[str, Setter, str, float]] = {
    "hold-seconds": (
        "hold_seconds",
        lambda v: with_dose(hold=v, reps=1),
        "$.exercises[0].dose.hold.seconds",
        0.5,
    ),
    "reps": ("reps", lambda v: with_dose(reps=v), "$.exercises[0].dose.reps", 1),
    "sets": ("sets", lambda v: with_dose(sets=v), "$.exercises[0].dose.sets", 1),
    "rest-seconds": (
        "rest_seconds",
        lambda v: with_dose(sets=2, rest_seconds=v),
        "$.exercises[0].dose.rest_seconds",
        0.5,
    ),
    "stretch-seconds-per-side": (
        "stretch_seconds_per_side",
        lambda v: with_dose(hold=v, reps=1),
        "$.exercises[0].dose",
        0.5,
    ),
    "stretch-seconds-per-side-per-day": (
        "stretch_seconds_per_side_per_day",
        lambda v: attrs.evolve(
            with_dose(hold=v / 2, reps=1),
            frequency=Frequency(days_per_week=5, sessions_per_day=2),
        ),
        "$.exercises[0].dose",
        1,
    ),
    "session-minutes": (
        "session_minutes",
        lambda v: with_dose(side=Side.BILATERAL, reps=1, hold=v * 60 - MOVE_SECONDS),
        "$.exercises",
        0.5,
    ),
    "sessions-per-day": (
        "sessions_per_day",
        lambda v: base(frequency=Frequency(days_per_week=5, sessions_per_day=int(v))),
        "$.frequency.sessions_per_day",
        1,
    ),
    "days-per-week": (
        "days_per_week",
        lambda v: base(frequency=Frequency(days_per_week=int(v))),
        "$.frequency.days_per_week",
        1,
    ),
    "review-after-days": (
        "review_after_days",
        lambda v: base(review=Review(after_days=int(v), action="Call a PT.")),
        "$.review.after_days",
        1,
    ),
    "progression-reps-step": (
        "progression_reps_step",
        lambda v: base(progression=Progression(every_days=7, reps_step=int(v))),
        "$.progression.reps_step",
        1,
    ),
    "progression-every-days": (
        "progression_every_days",
        lambda v: base(progression=Progression(every_days=int(v), reps_step=1)),
        "$.progression.every_days",
        1,
    ),
    "progression-hold-step-seconds": (
        "progression_hold_step_seconds",
        lambda v: base(progression=Progression(every_days=7, hold_step_seconds=v)),
        "$.progression.hold_step_seconds",
        0.5,
    ),
    "progression-hold-seconds-per-week": (
        "progression_hold_seconds_per_week",
        lambda v: base(progression=Progression(every_days=7, hold_step_seconds=v)),
        "$.progression",
        0.5,
    ),
}

# Bounds the model itself makes impossible to cross: a week has 7 days.
STRUCTURAL = {("days-per-week", "maximum")}


def boundary_cases() -> list[tuple[str, str, Bound]]:
    """Every (parameter code, bound name, bound) of the default limits."""
    cases = []
    for code, (field, *_rest) in PARAMETERS.items():
        limit: Limit = getattr(SafetyLimits(), field)
        cases.extend((code, name, bound) for name, bound in limit.bounds())
    return cases


def expected_code(code: str, bound_name: str) -> tuple[str, Severity, int]:
    """The finding code, severity and direction for crossing a bound."""
    direction, sign = (
        ("above", 1)
        if bound_name in {"typical_high", "maximum"}
        else (
            "below",
            -1,
        )
    )
    kind = bound_name if bound_name in {"maximum", "minimum"} else "typical"
    severity = Severity.WARNING if kind == "typical" else Severity.ERROR
    return f"{code}-{direction}-{kind}", severity, sign


def hold_limits(**bounds: Bound | None) -> SafetyLimits:
    """The default limits, the hold judged by these bounds alone.

    The stretch limit is left wide enough that only the hold limit can speak.
    """
    return attrs.evolve(
        SafetyLimits(),
        hold_seconds=Limit(label="static hold", unit="s", **bounds),
        stretch_seconds_per_side=Limit(label="stretch", unit="s"),
    )


class TestBoundaries:
    def test_every_limit_is_exercised(self) -> None:
        """Each limit in SafetyLimits has a way to be set in these tests."""
        fields = {field for field, *_ in PARAMETERS.values()}
        assert fields == {name for name, _ in SafetyLimits().items()}

    @pytest.mark.parametrize(
        ("code", "bound_name", "bound"),
        boundary_cases(),
        ids=[f"{c}-{b}" for c, b, _ in boundary_cases()],
    )
    def test_on_the_bound_and_just_past(
        self, code: str, bound_name: str, bound: Bound
    ) -> None:
        """A value on a bound passes it; one step past it is reported."""
        _, setter, path, step = PARAMETERS[code]
        expected, severity, sign = expected_code(code, bound_name)

        on_edge = validate(setter(bound.value))
        assert expected not in codes(on_edge)

        past_value = bound.value + sign * step
        if (code, bound_name) in STRUCTURAL:
            with pytest.raises(MobilityError):
                setter(past_value)
            return
        report = validate(setter(past_value))
        matching = [f for f in report.findings if f.code == expected]
        assert len(matching) == 1, report.findings
        finding = matching[0]
        assert finding.severity is severity
        assert finding.path == path
        assert finding.source == bound.source
        if severity is Severity.ERROR:
            assert not report.ok

    @given(st.floats(min_value=0.5, max_value=200))
    def test_hold_findings_follow_the_limits(self, hold: float) -> None:
        """Over any hold, the findings are exactly those the bounds imply."""
        found = set(codes(validate(with_dose(hold=hold, reps=1))))
        hold_codes = {c for c in found if c.startswith("hold-seconds-")}
        expected = set()
        if hold > 60:
            expected.add("hold-seconds-above-maximum")
        elif hold > 30:
            expected.add("hold-seconds-above-typical")
        if hold < 10:
            expected.add("hold-seconds-below-typical")
        assert hold_codes == expected

    @given(
        st.lists(st.integers(1, 300), min_size=2, max_size=2, unique=True).map(sorted),
        st.integers(1, 300),
    )
    def test_custom_limits_are_applied(self, bounds: list[int], hold: int) -> None:
        """Researchers' own limits decide the findings, not the defaults."""
        typical_high, maximum = bounds
        source = Source("Our trial protocol", inferred=True)
        limits = attrs.evolve(
            hold_limits(
                typical_high=Bound(typical_high, source),
                maximum=Bound(maximum, source),
            ),
            name="trial",
        )
        report = validate(with_dose(hold=hold, reps=1), limits)
        assert report.limits is limits
        hold_codes = [c for c in codes(report) if c.startswith("hold-seconds-")]
        if hold > maximum:
            assert hold_codes == ["hold-seconds-above-maximum"]
        elif hold > typical_high:
            assert hold_codes == ["hold-seconds-above-typical"]
        else:
            assert hold_codes == []

    @pytest.mark.parametrize(
        ("typical", "hard", "found"),
        [
            (True, False, "hold-seconds-above-maximum"),
            (False, True, "hold-seconds-above-typical"),
            (True, True, None),
        ],
    )
    def test_bounds_at_the_same_value(
        self, typical: bool, hard: bool, found: str | None
    ) -> None:
        """Where a typical and a hard bound meet, the exclusive one decides."""
        source = Source("Our trial", inferred=True)
        limits = attrs.evolve(
            SafetyLimits(),
            hold_seconds=Limit(
                label="static hold",
                unit="s",
                typical_high=Bound(40, source, inclusive=typical),
                maximum=Bound(40, source, inclusive=hard),
            ),
        )
        hold = [
            c
            for c in codes(validate(with_dose(hold=40, reps=1), limits))
            if c.startswith("hold-")
        ]
        assert hold == ([] if found is None else [found])

    def test_a_range_is_checked_at_both_ends(self) -> None:
        """The high end is held to the maximum and the low end to the minimum."""
        report = validate(with_dose(hold=(5, 70), reps=1))
        assert set(codes(report)) >= {
            "hold-seconds-above-maximum",
            "hold-seconds-below-typical",
        }

    def test_a_hard_bound_hides_the_typical_one(self) -> None:
        """Past the maximum, the warning for the same side is not repeated."""
        report = validate(with_dose(hold=70, reps=1))
        assert "hold-seconds-above-typical" not in codes(report)

    def test_session_length_is_compared_exactly(self) -> None:
        """A session a few seconds over the maximum is over it."""
        report = validate(with_dose(side=Side.BILATERAL, reps=1, hold=45 * 60 - 4))
        assert "session-minutes-above-maximum" in codes(report)

    def test_older_adults(self) -> None:
        """A 20 s hold is typical for adults, short for adults over 65."""
        protocol = with_dose(hold=20, reps=1)
        assert "hold-seconds-below-typical" not in codes(validate(protocol))
        older = validate(protocol, SafetyLimits.older_adults())
        assert "hold-seconds-below-typical" in codes(older)
        assert older.limits.name == "adults 65+"


class TestSafetyText:
    def test_no_disclaimer(self) -> None:
        """A protocol without a disclaimer is refused, once, at $.disclaimer."""
        report = validate(base(disclaimer=None))
        assert [(f.code, f.path) for f in report.errors] == [
            ("disclaimer-missing", "$.disclaimer")
        ]
        assert not report.ok

    def test_no_stop_rule(self) -> None:
        """A disclaimer without a stop rule is refused."""
        disclaimer = attrs.evolve(SAFE_DISCLAIMER, stop_rules=())
        report = validate(base(disclaimer=disclaimer))
        assert [(f.code, f.path) for f in report.errors] == [
            ("stop-rule-missing", "$.disclaimer.stop_rules")
        ]

    def test_no_seek_care(self) -> None:
        """A disclaimer without advice on seeking care is refused."""
        disclaimer = attrs.evolve(SAFE_DISCLAIMER, seek_care=())
        report = validate(base(disclaimer=disclaimer))
        assert [(f.code, f.path) for f in report.errors] == [
            ("seek-care-missing", "$.disclaimer.seek_care")
        ]

    def test_no_red_flags_is_a_warning(self) -> None:
        """Missing red flags are worth saying, but not unsafe by themselves."""
        disclaimer = attrs.evolve(SAFE_DISCLAIMER, red_flags=())
        report = validate(base(disclaimer=disclaimer))
        assert report.ok
        assert codes(report) == ["red-flags-missing"]

    def test_cautions_not_considered_is_an_error(self) -> None:
        """None means nobody considered who should not do it: refused."""
        disclaimer = attrs.evolve(SAFE_DISCLAIMER, cautions=None)
        report = validate(base(disclaimer=disclaimer))
        assert [(f.code, f.path, f.severity) for f in report.findings] == [
            ("cautions-not-considered", "$.disclaimer.cautions", Severity.ERROR)
        ]
        assert "empty list" in report.findings[0].message

    def test_no_cautions_is_a_statement(self) -> None:
        """An empty tuple says the sources give none, and passes."""
        report = validate(base(disclaimer=attrs.evolve(SAFE_DISCLAIMER, cautions=())))
        assert report.findings == ()

    def test_audience_chooses_the_limits(self) -> None:
        """Without limits, a protocol for older adults gets their limits."""
        older = base(audience=Audience.OLDER_ADULTS)
        assert validate(older).limits.name == "adults 65+"
        assert validate(older).limits is limits_for(Audience.OLDER_ADULTS)
        assert "hold-seconds-below-typical" in codes(validate(older))
        assert validate(older, SafetyLimits()).findings == ()
        assert validate(base()).limits is limits_for(Audience.ADULTS)

    def test_pain_is_refused(self) -> None:
        """Stretching into pain is an error whatever the limits."""
        report = validate(with_dose(intensity=Intensity.PAIN))
        assert [(f.code, f.path) for f in report.errors] == [
            ("intensity-pain", "$.exercises[0].dose.intensity")
        ]
        assert "never into pain" in report.errors[0].message

    def test_slight_discomfort_is_allowed(self) -> None:
        """Slight discomfort is within ACSM's advice."""
        assert validate(with_dose(intensity=Intensity.SLIGHT_DISCOMFORT)).findings == ()


class TestReview:
    def test_open_ended_without_review(self) -> None:
        """An open-ended programme without a review point is refused."""
        report = validate(base(review=None, program_weeks=None))
        assert [(f.code, f.path) for f in report.errors] == [
            ("review-missing", "$.review")
        ]

    def test_long_programme_without_review(self) -> None:
        """Seven weeks unreviewed is past the 42-day limit."""
        assert "review-missing" in codes(validate(base(review=None, program_weeks=7)))
        assert not validate(base(review=None, program_weeks=7)).ok

    def test_six_weeks_without_review_is_a_warning(self) -> None:
        """Six weeks is on the limit: allowed, but past the typical two."""
        report = validate(base(review=None, program_weeks=6))
        assert report.ok
        assert [(f.code, f.severity) for f in report.findings] == [
            ("review-missing", Severity.WARNING)
        ]

    def test_the_messages_say_how_long_goes_unreviewed(self) -> None:
        """The error names an open-ended programme; the warning, its weeks."""
        (error,) = validate(base(review=None)).errors
        assert error.message == (
            "has no review point, and an open-ended programme would go unreviewed "
            "beyond 42 days; add a review"
        )
        (error,) = validate(base(review=None, program_weeks=7)).errors
        assert error.message == (
            "has no review point, and a programme of 7 weeks would go unreviewed "
            "beyond 42 days; add a review"
        )
        (warning,) = validate(base(review=None, program_weeks=6)).warnings
        assert warning.message == (
            "has no review point, and a programme of 6 weeks goes unreviewed beyond "
            "the typical 14 days; consider a review"
        )

    def test_two_weeks_without_review_is_fine(self) -> None:
        """A two-week programme ends at the typical review point."""
        assert validate(base(review=None, program_weeks=2)).findings == ()


class TestReport:
    def test_errors_and_warnings_partition_findings(self) -> None:
        """Every finding is an error or a warning, in the findings' order."""
        report = validate(with_dose(hold=70, reps=12))
        assert set(report.errors) | set(report.warnings) == set(report.findings)
        assert not set(report.errors) & set(report.warnings)
        assert report.ok is False

    def test_raise_if_unsafe(self) -> None:
        """An unsafe report raises an error that carries it and lists the errors."""
        report = validate(base(disclaimer=None))
        with pytest.raises(UnsafeProtocolError) as info:
            report.raise_if_unsafe()
        assert info.value.report is report
        assert isinstance(info.value, MobilityError)
        assert isinstance(info.value, ValueError)
        assert "'base' is not safe" in str(info.value)
        assert "$.disclaimer: has no disclaimer" in str(info.value)

    def test_safe_report_does_not_raise(self) -> None:
        """A report with warnings only does not raise."""
        report = validate(catalog.get("lower-trunk-rotation"))
        assert report.warnings
        report.raise_if_unsafe()

    def test_finding_reads_as_a_line(self) -> None:
        """A finding prints as 'path: message [code]'."""
        finding = validate(with_dose(hold=70, reps=1)).errors[0]
        assert str(finding) == (
            "$.exercises[0].dose.hold.seconds: static hold of 70 s is above the "
            "maximum of 60 s [hold-seconds-above-maximum]"
        )

    def test_not_a_protocol(self) -> None:
        """Passing something else is a programming error: TypeError."""
        with pytest.raises(TypeError, match="expects a Protocol, got dict"):
            validate({})  # type: ignore[arg-type]


CODE = re.compile(
    r"(disclaimer-missing|stop-rule-missing|seek-care-missing|red-flags-missing"
    r"|cautions-not-considered|intensity-pain|review-missing|progression-ceiling-missing"
    r"|[a-z-]+-(above|below)-(maximum|minimum|typical))"
)


class TestAnyProtocol:
    def test_every_quantity_at_the_cap(self) -> None:
        """The largest protocol the model allows is reported on, not crashed on."""
        dose = Dose(
            side=Side.EACH,
            reps=MAX_QUANTITY,
            sets=MAX_QUANTITY,
            hold=MAX_QUANTITY,
            rest_seconds=MAX_QUANTITY,
        )
        protocol = attrs.evolve(
            with_dose(),
            exercises=[attrs.evolve(base().exercises[0], dose=dose)],
            frequency=Frequency(days_per_week=7, sessions_per_day=MAX_QUANTITY),
            review=Review(after_days=MAX_QUANTITY, action="Call."),
            progression=Progression(
                every_days=1, reps_step=MAX_QUANTITY, hold_step_seconds=MAX_QUANTITY
            ),
        )
        report = validate(protocol)
        assert not report.ok
        assert "session-minutes-above-maximum" in codes(report)

    @given(protocols())
    def test_never_raises_and_findings_are_well_formed(
        self, protocol: Protocol
    ) -> None:
        """Any well-formed protocol gets a report, whose findings say where and why."""
        report = validate(protocol)
        assert report.protocol_id == protocol.id
        for finding in report.findings:
            assert CODE.fullmatch(finding.code), finding.code
            assert finding.path.startswith("$")
            assert finding.message
            assert isinstance(finding.source, Source)
        assert report.ok is (not report.errors)
        assert validate(protocol) == report  # deterministic


class TestSharedFindings:
    """A check keeps the findings of each value it has seen; reports share them."""

    def test_a_repeated_value_gives_the_same_findings(self) -> None:
        """The second report of the same dose holds the very same findings."""
        first, second = validate(with_dose(reps=30)), validate(with_dose(reps=30))
        assert first.findings == second.findings
        assert first.findings
        assert all(a is b for a, b in zip(first.findings, second.findings, strict=True))

    def test_equal_numbers_that_read_differently_are_kept_apart(self) -> None:
        """10**20 and 1e20 are one key to a dict, but two numbers in a message."""
        from mobility.safety.validator import _plan  # noqa: PLC0415

        check = next(c for c in _plan(SafetyLimits()).dose if c.rule.code == "reps")
        as_int: list[Finding] = []
        as_float: list[Finding] = []
        check.apply(as_int, 10**20, 0)
        check.apply(as_float, 1e20, 0)
        assert "100000000000000000000" in as_int[0].message
        assert "1e+20" in as_float[0].message

    def test_a_signed_zero_is_never_kept(self) -> None:
        """-0.0 and 0.0 are one key, and read differently: neither is kept."""
        from mobility.safety.validator import _plan  # noqa: PLC0415

        check = next(c for c in _plan(SafetyLimits()).dose if c.low > 0)
        before = len(check.found)
        check.apply([], -0.0, 0)
        check.apply([], 0.0, 0)
        assert len(check.found) == before


class TestFourBounds:
    """A limit with all four bounds, each inclusive or not, against any hold."""

    @given(
        values=st.lists(st.integers(1, 100), min_size=4, max_size=4).map(sorted),
        inclusive=st.lists(st.booleans(), min_size=4, max_size=4),
        hold=st.integers(1, 110),
    )
    def test_each_side_reports_the_hardest_bound_crossed(
        self, values: list[int], inclusive: list[bool], hold: int
    ) -> None:
        """The oracle: a hard bound crossed hides the typical one on its side."""
        source = Source("Our trial protocol", inferred=True)
        minimum, typical_low, typical_high, maximum = (
            Bound(value, source, inclusive=flag)
            for value, flag in zip(values, inclusive, strict=True)
        )
        limits = hold_limits(
            minimum=minimum,
            typical_low=typical_low,
            typical_high=typical_high,
            maximum=maximum,
        )
        expected = []
        if maximum.above(hold):
            expected.append("hold-seconds-above-maximum")
        elif typical_high.above(hold):
            expected.append("hold-seconds-above-typical")
        if minimum.below(hold):
            expected.append("hold-seconds-below-minimum")
        elif typical_low.below(hold):
            expected.append("hold-seconds-below-typical")
        report = validate(with_dose(hold=hold, reps=1), limits)
        found = [c for c in codes(report) if c.startswith("hold-seconds-")]
        assert found == expected

    def test_between_the_two_lower_bounds(self) -> None:
        """Above the minimum but under the typical low: a warning, not an error."""
        source = Source("Our trial protocol", inferred=True)
        limits = hold_limits(minimum=Bound(5, source), typical_low=Bound(10, source))
        found = codes(validate(with_dose(hold=7, reps=1), limits))
        assert found == ["hold-seconds-below-typical"]
        found = codes(validate(with_dose(hold=4, reps=1), limits))
        assert found == ["hold-seconds-below-minimum"]


class TestMessagesQuoteTheValue:
    def test_a_derived_range_is_quoted_to_two_places(self) -> None:
        """250-350 s of session is 4.1666...-5.8333... min: 4.17-5.83 in the words."""
        source = Source("Our trial protocol", inferred=True)
        limits = attrs.evolve(
            SafetyLimits(),
            session_minutes=Limit(
                label="session", unit="min", maximum=Bound(1, source)
            ),
        )
        (finding,) = validate(with_dose(reps=(5, 7)), limits).errors
        assert (
            finding.message == "session of 4.17-5.83 min is above the maximum of 1 min"
        )


class TestTheProgrammesLastWeek:
    """A literal figure in a step is checked against the last week's dose."""

    def with_text(self, text: str, **changes: object) -> Protocol:
        """The base protocol with one more step, and other changes."""
        protocol = base(**changes)
        exercise = protocol.exercises[0]
        steps = (*exercise.steps, Step(text))
        return attrs.evolve(protocol, exercises=[attrs.evolve(exercise, steps=steps)])

    def contradictions(self, protocol: Protocol) -> list[str]:
        """The messages of the step contradictions the validator finds."""
        return [
            f.message for f in validate(protocol).findings
            if f.code == "step-contradicts-dose"
        ]  # fmt: skip

    def test_one_step_in_the_programme_is_checked(self) -> None:
        """Two weeks of a weekly step: the last week's 6 reps outgrow "5 times"."""
        grows = Progression(every_days=7, reps_step=1)
        protocol = self.with_text("Do it 5 times.", program_weeks=2, progression=grows)
        (message,) = self.contradictions(protocol)
        assert "the progression changes the dose week by week" in message
        # One week holds no step: the dose never changes, the figure stays right.
        assert self.contradictions(attrs.evolve(protocol, program_weeks=1)) == []

    def test_the_last_week_is_the_programmes_not_the_caps(self) -> None:
        """A figure true in the last week passes, though unending growth passes it."""
        grows = Progression(every_days=7, reps_step=1)
        protocol = self.with_text("Do it 8 times.", program_weeks=2, progression=grows)
        protocol = attrs.evolve(
            protocol,
            exercises=[
                attrs.evolve(
                    protocol.exercises[0],
                    dose=attrs.evolve(protocol.exercises[0].dose, reps=(5, 10)),
                )
            ],
        )
        assert self.contradictions(protocol) == []  # 6-11 in week 2 holds 8
        open_ended = attrs.evolve(protocol, program_weeks=None)
        assert len(self.contradictions(open_ended)) == 1


class TestFirstCrossingWeek:
    def reps_week(self, reps_step: int) -> dict[str, int | None]:
        """The week of each repetition finding over a 3-week programme (2 steps)."""
        grows = Progression(every_days=7, reps_step=reps_step)
        report = validate(base(progression=grows, program_weeks=3))
        return {f.code: f.week for f in report.findings if f.code.startswith("reps-")}

    def test_a_bound_first_crossed_in_the_last_step(self) -> None:
        """5 a side grows to 10 (on the typical bound), then 15 in week 3, the last."""
        assert self.reps_week(5) == {"reps-above-typical": 3}

    def test_a_bound_first_crossed_in_the_first_step(self) -> None:
        """5 a side grows to 16 at the first step: past the maximum in week 2."""
        assert self.reps_week(11) == {"reps-above-maximum": 2}

    def test_a_step_on_the_programmes_last_day(self) -> None:
        """Every 6 days in a one-week programme: day 6 is in it, and so is its step."""
        grows = Progression(every_days=6, reps_step=11)
        report = validate(base(progression=grows, program_weeks=1))
        assert {f.code: f.week for f in report.findings}["reps-above-maximum"] == 1

    def test_a_programme_of_one_step(self) -> None:
        """Two weeks hold one step, and the growth it brings is checked."""
        grows = Progression(every_days=7, reps_step=11)
        report = validate(base(progression=grows, program_weeks=2))
        assert {f.code: f.week for f in report.findings}["reps-above-maximum"] == 2

    def test_each_growing_dose_is_followed(self) -> None:
        """A dose that does not grow does not end the search for one that does."""
        protocol = base(
            progression=Progression(
                every_days=7, hold_step_seconds=10, hold_ceiling_seconds=90
            ),
            program_weeks=8,
        )
        still = attrs.evolve(
            protocol.exercises[0], id="still", dose=Dose(side=Side.EACH, reps=5)
        )
        protocol = attrs.evolve(protocol, exercises=[still, *protocol.exercises])
        crossed = [
            (f.code, f.path, f.week)
            for f in validate(protocol).findings
            if f.code == "hold-seconds-above-maximum"
        ]
        # 20 s grows by 10 a week: 70 s, past the 60 s maximum, in week 6.
        assert crossed == [
            ("hold-seconds-above-maximum", "$.exercises[1].dose.hold.seconds", 6)
        ]


class TestSafetyTextMessages:
    """What each missing piece of safety text says, word for word."""

    def test_no_disclaimer(self) -> None:
        """The whole disclaimer missing is one error that says what it must hold."""
        (finding,) = validate(base(disclaimer=None)).findings
        assert (finding.code, finding.path, finding.message) == (
            "disclaimer-missing",
            "$.disclaimer",
            (
                "has no disclaimer; a protocol must carry its safety text, a rule for "
                "when to stop, and advice on when to seek care"
            ),
        )

    def test_each_missing_part(self) -> None:
        """Each empty part is its own finding, in the disclaimer's order."""
        bare = Disclaimer(text="General exercises.")
        found = [(f.code, f.message) for f in validate(base(disclaimer=bare)).findings]
        assert found == [
            (
                "stop-rule-missing",
                (
                    "has no stop rule; say when to stop at once (for example, if pain "
                    "increases)"
                ),
            ),
            (
                "seek-care-missing",
                "has no advice on when to seek care; say when and whom to contact",
            ),
            (
                "red-flags-missing",
                (
                    "lists no red flags; add the signs that need medical care rather "
                    "than exercise"
                ),
            ),
            (
                "cautions-not-considered",
                (
                    "does not say who should not do these exercises or should ask "
                    "first; list the cautions its sources give, or an empty list if "
                    "they give none"
                ),
            ),
        ]

    def test_stretching_into_pain(self) -> None:
        """The pain finding says what to do instead."""
        (finding,) = validate(with_dose(intensity=Intensity.PAIN)).errors
        assert finding.message == (
            "asks for stretching into pain; stretch to tightness or slight "
            "discomfort, never into pain"
        )


class TestEveryStatedFigure:
    """Each exercise's steps, and each figure in them, is checked."""

    def protocol(self, first: str, second: str) -> Protocol:
        """The base protocol with two exercises, each with one more step."""
        protocol = base()
        exercise = protocol.exercises[0]
        one = attrs.evolve(exercise, steps=(*exercise.steps, Step(first)))
        two = attrs.evolve(exercise, id="other", steps=(*exercise.steps, Step(second)))
        return attrs.evolve(protocol, exercises=[one, two])

    def test_a_later_exercise_is_read(self) -> None:
        """A contradiction in the second exercise is found after a clean first."""
        report = validate(self.protocol("Roll slowly.", "Hold it 30 seconds."))
        assert [(f.code, f.path) for f in report.findings] == [
            ("step-contradicts-dose", "$.exercises[1].steps[1].text")
        ]

    def test_a_later_figure_is_read(self) -> None:
        """A wrong figure after a right one in the same step is found."""
        report = validate(
            self.protocol("Roll.", "Hold it 20 seconds, then 30 seconds.")
        )
        (finding,) = report.findings
        assert finding.path == "$.exercises[1].steps[1].text"
        assert finding.message.startswith('step 2 says "30 seconds"')


class TestNoHoldNoStretch:
    def test_a_dose_without_a_hold_has_no_stretch_time_to_judge(self) -> None:
        """No hold is not zero seconds of stretching below the typical minute."""
        assert validate(with_dose(hold=None)).findings == ()

    def test_a_value_on_an_exclusive_lower_bound_crosses_it(self) -> None:
        """An exclusive "more than 10 s": a hold of exactly 10 s is under it."""
        source = Source("Our trial protocol", inferred=True)
        limits = hold_limits(typical_low=Bound(10, source, inclusive=False))
        assert codes(validate(with_dose(hold=10, reps=1), limits)) == [
            "hold-seconds-below-typical"
        ]
        assert codes(validate(with_dose(hold=11, reps=1), limits)) == []


class TestMissingCeiling:
    def test_names_only_what_grows_without_one(self) -> None:
        """A hold step with no ceiling names the hold, not the repetitions."""
        protocol = base(progression=Progression(every_days=7, hold_step_seconds=1))
        (finding,) = [
            f for f in validate(protocol).errors
            if f.code == "progression-ceiling-missing"
        ]  # fmt: skip
        assert finding.message == (
            "the programme is open-ended and its progression has no ceiling for "
            "the hold (hold_ceiling_seconds), so the dose would grow without end; "
            "give a ceiling or a programme length"
        )

    def test_names_both_when_both_grow(self) -> None:
        """Repetitions and hold both growing without a ceiling: both are named."""
        grows = Progression(every_days=7, reps_step=1, hold_step_seconds=1)
        messages = [
            f.message for f in validate(base(progression=grows)).errors
            if f.code == "progression-ceiling-missing"
        ]  # fmt: skip
        assert messages == [
            (
                "the programme is open-ended and its progression has no ceiling "
                "for the repetitions (reps_ceiling) or the hold "
                "(hold_ceiling_seconds), so the dose would grow without end; give "
                "a ceiling or a programme length"
            )
        ]


class TestReviewSources:
    def test_a_missing_review_cites_the_bound_it_crosses(self) -> None:
        """The error cites the hard bound's source, the warning the typical one's."""
        limits = SafetyLimits()
        hard, typical = (
            limits.review_after_days.maximum,
            limits.review_after_days.typical_high,
        )
        assert hard is not None
        assert typical is not None
        (error,) = validate(base(review=None)).errors
        assert (error.code, error.source) == ("review-missing", hard.source)
        (warning,) = validate(base(review=None, program_weeks=3)).warnings
        assert (warning.code, warning.source) == ("review-missing", typical.source)
        assert hard.source != typical.source
