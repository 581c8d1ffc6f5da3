"""The validator over a whole programme: every progression step, not week one."""

import math

import attrs
import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from mobility import (
    Dose,
    Frequency,
    Hold,
    Progression,
    Protocol,
    Range,
    SafetyLimits,
    Severity,
    Side,
    catalog,
    validate,
)
from mobility.model import MAX_QUANTITY, MOVE_SECONDS
from mobility.research.strategies import _safe_drawing, protocols, safe_protocols

from .test_validator import base, codes, with_dose


THORACIC = catalog.get("thoracic-open-book")
LUMBAR = catalog.get("lower-trunk-rotation")


def growing(protocol: Protocol, weeks: int | None, **rule: object) -> Protocol:
    """The protocol with a progression and a programme length."""
    return attrs.evolve(protocol, program_weeks=weeks, progression=Progression(**rule))


class TestTheIssueCases:
    def test_a_weekly_hold_step_over_a_year(self) -> None:
        """+10 s a week for 52 weeks fails once the hold passes 60 s, in week 5."""
        report = validate(growing(THORACIC, 52, every_days=7, hold_step_seconds=10))
        assert not report.ok
        hold = [f for f in report.errors if f.code == "hold-seconds-above-maximum"]
        assert len(hold) == 1
        assert hold[0].path == "$.exercises[0].dose.hold.seconds"
        assert hold[0].week == 5
        assert hold[0].message == (
            "static hold of 70 s in week 5 (progression step 4) is above the "
            "maximum of 60 s"
        )

    def test_an_open_ended_rep_progression(self) -> None:
        """An open-ended programme whose repetitions grow without a ceiling fails."""
        report = validate(growing(LUMBAR, None, every_days=3, reps_step=1))
        assert [(f.code, f.path) for f in report.errors] == [
            ("progression-ceiling-missing", "$.progression")
        ]
        assert "the repetitions (reps_ceiling)" in report.errors[0].message

    def test_three_sessions_a_day(self) -> None:
        """Three 225 s sessions a day pass per session but not per day."""
        protocol = attrs.evolve(
            LUMBAR, frequency=Frequency(days_per_week=7, sessions_per_day=3)
        )
        report = validate(protocol)
        assert [f.code for f in report.errors] == [
            "stretch-seconds-per-side-per-day-above-maximum"
        ]
        assert "of 300-675 s is above the maximum of 480 s" in report.errors[0].message

    def test_one_long_session_still_fails(self) -> None:
        """One 300 s session is over the per-session limit, as before."""
        report = validate(with_dose(hold=30, reps=10))
        assert "stretch-seconds-per-side-above-maximum" in codes(report)


class TestCeilings:
    def test_ceilings_within_the_limits_pass_open_ended(self) -> None:
        """Growth that stops inside every bound is safe for ever."""
        protocol = growing(
            LUMBAR,
            None,
            every_days=7,
            reps_step=1,
            reps_ceiling=15,
            hold_step_seconds=1,
            hold_ceiling_seconds=16,
        )
        assert validate(protocol).ok

    def test_a_ceiling_past_a_bound_is_reported_when_reached(self) -> None:
        """An open-ended programme is checked up to its ceilings."""
        protocol = growing(
            THORACIC, None, every_days=7, hold_step_seconds=5, hold_ceiling_seconds=90
        )
        report = validate(protocol)
        hold = [f for f in report.errors if f.code == "hold-seconds-above-maximum"]
        assert [f.week for f in hold] == [8]  # 30 + 7 x 5 = 65 s after 7 steps

    def test_only_what_grows_needs_a_ceiling(self) -> None:
        """A hold step on exercises without a hold grows nothing."""
        no_hold = with_dose(hold=None)
        protocol = growing(no_hold, None, every_days=7, hold_step_seconds=5)
        assert "progression-ceiling-missing" not in codes(validate(protocol))

    def test_a_hold_ceiling_is_asked_for_only_where_a_hold_grows(self) -> None:
        """Without a hold, a missing hold ceiling is not named, only the reps one."""
        no_hold = with_dose(hold=None)
        protocol = growing(
            no_hold, None, every_days=7, reps_step=1, hold_step_seconds=1
        )
        (finding,) = [
            f
            for f in validate(protocol).errors
            if f.code == "progression-ceiling-missing"
        ]
        assert finding.message == (
            "the programme is open-ended and its progression has no ceiling for "
            "the repetitions (reps_ceiling), so the dose would grow without end; "
            "give a ceiling or a programme length"
        )

    def test_names_every_missing_ceiling(self) -> None:
        """Both missing ceilings are named in one finding."""
        protocol = growing(LUMBAR, None, every_days=7, reps_step=1, hold_step_seconds=1)
        (finding,) = [
            f
            for f in validate(protocol).errors
            if f.code == "progression-ceiling-missing"
        ]
        assert "reps_ceiling" in finding.message
        assert "hold_ceiling_seconds" in finding.message
        assert (finding.path, finding.severity) == ("$.progression", Severity.ERROR)
        assert "the repetitions (reps_ceiling) or the hold (hold_ceiling_seconds)," in (
            finding.message
        )

    def test_a_ceiling_never_shrinks_a_dose(self) -> None:
        """A dose already above its ceiling keeps its numbers."""
        rule = Progression(every_days=7, reps_step=1, reps_ceiling=12)
        assert rule.reps_at(Range(13, 15), 10) == Range(13, 15)
        assert rule.reps_at(Range(10, 15), 10) == Range(12, 15)

    def test_growth_stops_at_the_models_cap(self) -> None:
        """However long the programme, a grown dose is one the model can hold."""
        protocol = growing(
            with_dose(reps=1),
            MAX_QUANTITY,
            every_days=1,
            reps_step=MAX_QUANTITY,
        )
        report = validate(protocol)
        assert "reps-above-maximum" in codes(report)
        dose = protocol.exercises[0].dose
        assert protocol.progression is not None
        assert protocol.progression.dose_at(dose, 10**6).reps == Range(MAX_QUANTITY)


class TestWhenAndWhere:
    @pytest.mark.parametrize(("weeks", "ok"), [(4, True), (5, False)])
    def test_the_programme_length_decides(self, weeks: int, ok: bool) -> None:
        """The hold reaches 70 s in week 5: a 4-week programme never gets there."""
        protocol = growing(THORACIC, weeks, every_days=7, hold_step_seconds=10)
        assert validate(protocol).ok is ok

    def test_a_bound_crossed_from_the_start_is_reported_once(self) -> None:
        """Growth adds no second finding for a bound week one already crosses."""
        protocol = growing(
            with_dose(hold=70, reps=1), 12, every_days=7, hold_step_seconds=1
        )
        hold = [f for f in validate(protocol).findings if f.code.startswith("hold-")]
        assert [(f.code, f.week) for f in hold] == [
            ("hold-seconds-above-maximum", None)
        ]

    def test_a_warning_from_the_start_then_an_error_later(self) -> None:
        """Past the typical range at once, past the maximum in a later week."""
        protocol = growing(
            with_dose(hold=40, reps=1), 12, every_days=7, hold_step_seconds=5
        )
        hold = [f for f in validate(protocol).findings if f.code.startswith("hold-")]
        assert [(f.code, f.severity, f.week) for f in hold] == [
            ("hold-seconds-above-typical", Severity.WARNING, None),
            ("hold-seconds-above-maximum", Severity.ERROR, 6),
        ]

    def test_a_warning_that_only_growth_brings(self) -> None:
        """A typical bound first crossed later is a warning with its week."""
        protocol = growing(
            with_dose(hold=20, reps=1), 12, every_days=14, hold_step_seconds=5
        )
        hold = [f for f in validate(protocol).findings if f.code.startswith("hold-")]
        # 25 s on day 14, 30 s (on the bound) on day 28, 35 s on day 42: week 7.
        assert [(f.code, f.week) for f in hold] == [("hold-seconds-above-typical", 7)]

    def test_session_length_grows_too(self) -> None:
        """The session rule is checked at every step, for all exercises together."""
        long_session = with_dose(side=Side.BILATERAL, reps=10, hold=40, sets=4)
        protocol = growing(long_session, 52, every_days=7, reps_step=1)
        session = [
            f for f in validate(protocol).errors if f.code.startswith("session-")
        ]
        assert len(session) == 1
        assert session[0].path == "$.exercises"
        assert session[0].week is not None

    def test_weeks_count_from_one(self) -> None:
        """A step every 3 days: step 3 falls on day 9, in week 2."""
        protocol = growing(with_dose(reps=13), 4, every_days=3, reps_step=1)
        (reps,) = [f for f in validate(protocol).errors if f.code.startswith("reps")]
        assert reps.week == 2
        assert reps.message == (
            "repetitions per set, per side of 16 reps in week 2 (progression "
            "step 3) is above the maximum of 15 reps"
        )

    def test_lower_bounds_are_checked_at_the_start_only(self) -> None:
        """Growth only raises numbers: a short hold is reported once, at the start."""
        protocol = growing(
            with_dose(hold=5, reps=1), 4, every_days=7, hold_step_seconds=1
        )
        below = [f for f in validate(protocol).findings if "below" in f.code]
        assert all(f.week is None for f in below)
        assert "hold-seconds-below-typical" in [f.code for f in below]


# --------------------------------------------------------------------------------
# An independent oracle: grow the dose step by step, by hand, and check every
# hard upper bound of every rule that a progression can move.


def _grow(amount: Range, added: float, ceiling: float | None) -> Range:
    cap = MAX_QUANTITY if ceiling is None else min(ceiling, MAX_QUANTITY)
    ends = [max(end, min(end + added, cap)) for end in (amount.low, amount.high)]
    return Range(*ends)


def _dose_at(dose: Dose, rule: Progression, step: int) -> Dose:
    reps = dose.reps
    if rule.reps_step:
        reps = _grow(reps, rule.reps_step * step, rule.reps_ceiling)
    hold = dose.hold
    if hold is not None and rule.hold_step_seconds:
        hold = Hold(
            _grow(
                hold.seconds, rule.hold_step_seconds * step, rule.hold_ceiling_seconds
            )
        )
    return attrs.evolve(dose, reps=reps, hold=hold)


def _crossings(protocol: Protocol, doses: list[Dose], limits: SafetyLimits) -> set[str]:
    """The hard upper bounds these doses cross, computed from first principles."""
    crossed = set()

    def over(name: str, value: float) -> None:
        bound = getattr(limits, name).maximum
        if bound is not None and value > bound.value:
            crossed.add(name)

    session = 0.0
    for dose in doses:
        sets, reps = dose.sets.high, dose.reps.high
        hold = dose.hold.seconds.high if dose.hold else 0
        positions = dose.hold.positions if dose.hold else 1
        rest = dose.rest_seconds.high if dose.rest_seconds else 0
        # Alternating repetitions are a total: half of them fall to each side.
        half = 0.5 if dose.side is Side.ALTERNATING else 1
        over("reps", reps * half)
        if dose.hold is not None:
            held = sets * reps * half * positions * hold
            over("hold_seconds", hold)
            over("stretch_seconds_per_side", held)
            over(
                "stretch_seconds_per_side_per_day",
                held * protocol.frequency.sessions_per_day,
            )
        sides = 2 if dose.side is Side.EACH else 1
        moving = sets * reps * positions * (hold + MOVE_SECONDS)
        session += sides * (moving + (sets - 1) * rest)
    over("session_minutes", session / 60)
    return crossed


def _steps(protocol: Protocol, rule: Progression) -> range | None:
    """Every step the programme takes, or None when growth never stops."""
    if protocol.program_weeks is not None:
        return range((protocol.program_weeks * 7 - 1) // rule.every_days + 1)
    unbounded = (rule.reps_step and rule.reps_ceiling is None) or (
        rule.hold_step_seconds
        and rule.hold_ceiling_seconds is None
        and any(e.dose.hold for e in protocol.exercises)
    )
    if unbounded:
        return None
    # With ceilings, growth stops once every end reaches one: step until then.
    reach = [0]
    for exercise in protocol.exercises:
        dose = exercise.dose
        if rule.reps_step and rule.reps_ceiling is not None:
            reach.append(
                math.ceil(max(0, rule.reps_ceiling - dose.reps.low) / rule.reps_step)
            )
        if dose.hold and rule.hold_step_seconds and rule.hold_ceiling_seconds:
            gap = max(0, rule.hold_ceiling_seconds - dose.hold.seconds.low)
            reach.append(math.ceil(gap / rule.hold_step_seconds))
    return range(max(reach) + 1)


_steps_drawn = st.tuples(st.integers(0, 3), st.sampled_from([0, 1, 2.5, 5, 10])).filter(
    any
)
_rules = st.builds(
    lambda steps, **fields: Progression(
        reps_step=steps[0], hold_step_seconds=steps[1], **fields
    ),
    _steps_drawn,
    every_days=st.integers(1, 30),
    reps_ceiling=st.none() | st.integers(1, 20),
    hold_ceiling_seconds=st.none() | st.integers(1, 90),
)


@st.composite
def _grown(draw: st.DrawFn) -> Protocol:
    """A safe protocol given an arbitrary progression and programme length."""
    return attrs.evolve(
        draw(safe_protocols()),
        progression=draw(_rules),
        program_weeks=draw(st.none() | st.integers(1, 52)),
    )


class TestEveryStep:
    @settings(max_examples=300)
    @given(st.one_of(protocols(), _grown()))
    def test_passing_means_safe_at_every_step(self, protocol: Protocol) -> None:
        """Passing means inside every hard bound at every step, and vice versa."""
        limits = SafetyLimits()
        ok = validate(protocol, limits).ok
        rule = protocol.progression
        if rule is None:
            return
        steps = _steps(protocol, rule)
        if steps is None:
            assert not ok, "growth without end passed"
            return
        doses = [e.dose for e in protocol.exercises]
        # The bounds growth crosses that the start does not.
        start = _crossings(protocol, doses, limits)
        grown = set()
        for step in steps:
            grown |= _crossings(
                protocol, [_dose_at(d, rule, step) for d in doses], limits
            )
        if ok:
            assert not grown, f"passed, but crosses {grown}"
        elif grown - start:
            codes_found = codes(validate(protocol, limits))
            for name in grown - start:
                assert f"{name.replace('_', '-')}-above-maximum" in codes_found

    @settings(max_examples=200)
    @given(_safe_drawing(SafetyLimits()))
    def test_safe_protocols_stay_safe(self, protocol: Protocol) -> None:
        """The strategy's protocols pass at every step, by the oracle too.

        Drawn without safe_protocols()' validating filter, so that a protocol the
        drawing gets wrong fails here instead of being dropped.
        """
        assert validate(protocol).ok
        rule = protocol.progression
        if rule is None:
            return
        steps = _steps(protocol, rule)
        assert steps is not None
        doses = [e.dose for e in protocol.exercises]
        for step in steps:
            stepped = [_dose_at(d, rule, step) for d in doses]
            assert not _crossings(protocol, stepped, SafetyLimits()), step

    def test_the_strategy_draws_growing_programmes(self) -> None:
        """safe_protocols() does make progressions, open-ended ones included."""
        seen: set[tuple[bool, bool]] = set()

        @settings(max_examples=200)
        @given(safe_protocols())
        def collect(protocol: Protocol) -> None:
            seen.add((protocol.progression is not None, protocol.program_weeks is None))

        collect()
        assert (True, True) in seen
        assert (True, False) in seen


class TestBaseStaysClean:
    def test_base(self) -> None:
        """The shared base protocol has no findings, growth or not."""
        assert validate(base()).findings == ()
        protocol = growing(base(), 4, every_days=7, reps_step=1, reps_ceiling=10)
        assert validate(protocol).findings == ()
