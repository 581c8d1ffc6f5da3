"""The columnar scan says what validate says, for every variant of any space."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from mobility import (
    AxisError,
    Hold,
    Intensity,
    Progression,
    Protocol,
    Range,
    Review,
    SafetyLimits,
    Side,
    Step,
    catalog,
)
from mobility.research import AXES, variants
from mobility.research.scan import scan, scan_chunks
from mobility.research.strategies import protocols, safe_protocols
from mobility.safety.rules import RULES

from .test_limits import trial_limits


LTR = catalog.get("lower-trunk-rotation")


def bounds(axis: str) -> list[float]:
    """The values of every bound a rule on ``axis`` has, and their neighbours."""
    limits = SafetyLimits()
    found: list[float] = []
    for rule in RULES:
        if rule.axis is None or rule.axis.name != axis:
            continue
        for _, bound in getattr(limits, rule.limit).bounds():
            found += [bound.value, bound.value + 1, max(bound.value - 1, 0)]
    return found


def _numbers(low: float, high: float, axis: str, *, whole: bool) -> st.SearchStrategy:
    edges = [v for v in bounds(axis) if low <= v <= high]
    if whole:
        edges = [v for v in edges if float(v).is_integer()]
        base: st.SearchStrategy = st.integers(int(low), int(high))
        return base | st.sampled_from([int(v) for v in edges] or [int(low)])
    base = st.integers(int(low), int(high)) | st.floats(
        low, high, allow_nan=False, allow_infinity=False
    ).map(lambda x: round(x, 1))
    return base | st.sampled_from(edges or [low])


def _pairs(values: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(values, values).map(lambda pair: tuple(sorted(pair)))


#: What each axis is drawn from: its numbers near and at the limits' bounds.
VALUES: dict[str, st.SearchStrategy] = {
    "hold": _numbers(1, 120, "hold", whole=False)
    | _pairs(_numbers(1, 120, "hold", whole=True)),
    "reps": _numbers(1, 40, "reps", whole=True)
    | _pairs(_numbers(1, 40, "reps", whole=True)),
    "sets": _numbers(1, 6, "sets", whole=True),
    "rest_seconds": st.none() | _numbers(0, 300, "rest_seconds", whole=False),
    "sessions_per_day": _numbers(1, 4, "sessions_per_day", whole=True),
    "days_per_week": st.integers(1, 7),
    "review_after_days": _numbers(1, 60, "review_after_days", whole=True),
    "program_weeks": st.none() | st.integers(1, 60),
    "progression_every_days": _numbers(1, 30, "progression_every_days", whole=True),
    "progression_reps_step": st.integers(0, 4),
    "progression_hold_step_seconds": _numbers(
        0, 12, "progression_hold_step_seconds", whole=False
    ),
    "progression_reps_ceiling": st.none() | st.integers(1, 50),
    "progression_hold_ceiling_seconds": st.none() | st.integers(1, 120),
    "side": st.sampled_from(Side),
    "intensity": st.sampled_from(Intensity),
}


@st.composite
def spaces(draw: st.DrawFn) -> dict[str, list[object]]:
    """One to three axes, each with one to three distinct values."""
    names = draw(
        st.lists(st.sampled_from(sorted(AXES)), min_size=1, max_size=3, unique=True)
    )
    axes: dict[str, list[object]] = {}
    for name in names:
        values = draw(st.lists(VALUES[name], min_size=1, max_size=3))
        axes[name] = list(dict.fromkeys(values))
    return axes


@st.composite
def bases(draw: st.DrawFn) -> Protocol:
    """A protocol, often with a review, a progression, or amounts in its steps."""
    protocol = draw(safe_protocols() | protocols())
    if protocol.review is None and draw(st.booleans()):
        protocol = attrs.evolve(
            protocol, review=Review(after_days=14, action="Review.")
        )
    if protocol.progression is None and draw(st.booleans()):
        reps_step = draw(st.integers(0, 2))
        hold_step = draw(st.sampled_from([0, 1, 2.5, 5]))
        if reps_step or hold_step:
            protocol = attrs.evolve(
                protocol,
                progression=Progression(
                    every_days=draw(st.integers(1, 14)),
                    reps_step=reps_step,
                    hold_step_seconds=hold_step,
                    reps_ceiling=draw(st.none() | st.integers(1, 30)),
                    hold_ceiling_seconds=draw(st.none() | st.integers(1, 90)),
                ),
            )
    if draw(st.booleans()):
        # A step that states amounts in words, which the generated steps never
        # do: the validator checks them against the dose at the start and end.
        seconds = draw(st.sampled_from([5, 10, 30]))
        times = draw(st.sampled_from([3, 10]))
        sets = draw(st.sampled_from([1, 2]))
        first = protocol.exercises[0]
        stated = Step(f"Hold for {seconds} seconds, {times} times, in {sets} sets.")
        exercise = attrs.evolve(first, steps=(*first.steps, stated))
        protocol = attrs.evolve(protocol, exercises=(exercise, *protocol.exercises[1:]))
    return protocol


def verdicts(base: Protocol, axes: dict, exercise: str | None = None) -> list[tuple]:
    """The validator's verdict on each built variant: ok, first error, its week."""
    found = []
    for variant in variants(base, axes, exercise=exercise):
        errors = variant.report.errors
        first = errors[0] if errors else None
        found.append(
            (
                variant.report.ok,
                None if first is None else first.code,
                0 if first is None or first.week is None else first.week,
            )
        )
    return found


def scanned(base: Protocol, axes: dict, exercise: str | None = None) -> list[tuple]:
    """The scan's verdict on each variant, in chunks of 7 to cross their seams."""
    result = scan(base, axes, exercise=exercise, chunk=7)
    return list(
        zip(
            result.ok.tolist(),
            result.first_error(),
            result.week.tolist(),
            strict=True,
        )
    )


class TestAgreesWithValidate:
    @settings(max_examples=150, deadline=None)
    @given(st.data())
    def test_any_base_and_axes(self, data: st.DataObject) -> None:
        """Random bases and axes, boundaries included: the same verdict, row by row."""
        base = data.draw(bases())
        axes = data.draw(spaces())
        exercise = data.draw(
            st.none() | st.sampled_from([e.id for e in base.exercises])
        )
        try:
            want = verdicts(base, axes, exercise)
        except AxisError as error:
            refused = str(error)
        else:
            refused = ""
        if refused:
            with pytest.raises(AxisError) as scanning:
                scan(base, axes, exercise=exercise)
            assert str(scanning.value) == refused
            return
        assert scanned(base, axes, exercise) == want

    @pytest.mark.parametrize("protocol", catalog.protocols(), ids=catalog.ids())
    def test_every_catalogue_protocol(self, protocol: Protocol) -> None:
        """A grid over each catalogue entry's dose and frequency."""
        axes = {
            "hold": [5, 30, 61],
            "reps": [3, 15],
            "sessions_per_day": [1, 3],
        }
        assert scanned(protocol, axes) == verdicts(protocol, axes)

    def test_a_programme_that_grows_past_a_bound(self) -> None:
        """The week a growing hold crosses the maximum, as validate finds it."""
        base = attrs.evolve(
            LTR,
            program_weeks=12,
            progression=Progression(every_days=7, hold_step_seconds=10),
        )
        axes = {"progression_hold_step_seconds": [1, 5, 10], "hold": [10, 30]}
        result = scan(base, axes)
        assert scanned(base, axes) == verdicts(base, axes)
        weeks = dict(zip(result.first_error(), result.week.tolist(), strict=False))
        assert weeks["hold-seconds-above-maximum"] > 1

    def test_steps_that_state_amounts(self) -> None:
        """Literal seconds, repetitions and sets in a step, checked as validate does.

        The generated protocols state no amount in their steps, so this base
        does: its steps say 30 seconds, 10 times and 1 set, and the axes and a
        growing hold move the dose away from them, at the start or by the end.
        """
        exercise = LTR.exercises[0]
        steps = (
            Step("Keep your knees together and lower them to one side."),
            Step("Hold there for 30 seconds, or rest 45 s."),
            Step("Do this 10 times on each side, in 1 set."),
        )
        literal = attrs.evolve(
            exercise,
            steps=steps,
            dose=attrs.evolve(
                exercise.dose, hold=Hold(30), reps=Range(10), rest_seconds=45
            ),
        )
        base = attrs.evolve(
            LTR,
            exercises=(literal,),
            program_weeks=4,
            progression=Progression(
                every_days=7, hold_step_seconds=5, hold_ceiling_seconds=45
            ),
        )
        axes = {
            "hold": [20, 30, (25, 35), 45],
            "reps": [10, 12, (8, 10)],
            "sets": [1, 2],
            "rest_seconds": [None, 45],
            "program_weeks": [1, 4],
        }
        want = verdicts(base, axes)
        assert "step-contradicts-dose" in {code for _, code, _ in want}
        assert scanned(base, axes) == want

    def test_a_session_that_grows_too_long(self) -> None:
        """The week the growing repetitions carry a session past its maximum."""
        # Four exercises of 5 sets of short holds on each side: no dose crosses
        # a bound as the repetitions grow to 15, but the session passes 45 min.
        base = attrs.evolve(
            catalog.get("csp-back-pain-exercises"),
            program_weeks=52,
            progression=Progression(every_days=7, reps_step=1, reps_ceiling=15),
        )
        axes = {
            "reps": [5, 8],
            "sets": [4, 5],
            "hold": [2, 3],
            "progression_every_days": [3, 7],
        }
        want = verdicts(base, axes)
        assert any(code and code.startswith("session-minutes") for _, code, _ in want)
        assert scanned(base, axes) == want


class TestTheTable:
    def test_columns_for_pandas(self) -> None:
        """Each axis, ok, first_error and week, one item per variant, in order."""
        result = scan(LTR, {"hold": [10, (10, 15), 90], "days_per_week": [3, 7]})
        columns = result.columns()
        assert list(columns) == ["hold", "days_per_week", "ok", "first_error", "week"]
        assert {len(c) for c in columns.values()} == {6}
        assert columns["days_per_week"].tolist() == [3.0, 7.0] * 3
        assert columns["hold"][2] == (10, 15)
        assert columns["first_error"][4] == "hold-seconds-above-maximum"
        assert columns["first_error"][0] == ""
        assert columns["ok"].dtype == np.bool_

    def test_a_row_becomes_the_variant(self) -> None:
        """A row builds as variants() builds it, id and all, with the same report."""
        axes = {"hold": [10, 90], "reps": [5, 10]}
        result = scan(LTR, axes)
        for row, variant in enumerate(variants(LTR, axes)):
            assert result.protocol(row) == variant.protocol
            assert result.variant(row).report == variant.report

    def test_chunks_are_the_scan_in_parts(self) -> None:
        """Streamed in chunks of 5, the rows and their verdicts are the same."""
        axes = {"hold": [10, 30, 90], "reps": [3, 10, 30], "sets": [1, 4]}
        whole = scan(LTR, axes)
        parts = list(scan_chunks(LTR, axes, chunk=5))
        assert [part.start for part in parts] == [0, 5, 10, 15]
        assert np.concatenate([p.ok for p in parts]).tolist() == whole.ok.tolist()
        assert sum(len(p) for p in parts) == len(whole) == 18


class TestRefusals:
    def test_the_axes_are_checked_as_variants_checks_them(self) -> None:
        """An unknown axis, before any work."""
        with pytest.raises(AxisError, match="unknown axis 'tempo'"):
            scan(LTR, {"tempo": [1]})

    def test_a_chunk_of_nothing(self) -> None:
        """A chunk holds at least one variant."""
        with pytest.raises(ValueError, match="chunk must be a whole number"):
            list(scan_chunks(LTR, {"hold": [10]}, chunk=0))

    def test_limits_with_a_rule_it_cannot_read(self) -> None:
        """A limit a scan has no reader for is refused, never skipped."""
        trial = trial_limits()
        with pytest.raises(AxisError, match="cannot read the rule 'total-reps'"):
            scan(LTR, {"hold": [10]}, limits=trial())
        assert [v.ok for v in variants(LTR, {"reps": [10, 15]}, limits=trial())] == [
            True,
            False,
        ]
