import csv
import inspect
import io
import itertools
import re

from collections.abc import Callable

import attrs
import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from mobility import (
    Dose,
    Frequency,
    Intensity,
    Progression,
    Range,
    Review,
    SafetyLimits,
    Side,
    Step,
    catalog,
    research,
    validate,
)
from mobility.research import (
    AxisError,
    grid,
    safety_record,
    to_records,
    variants,
    workload,
    write_csv,
)
from mobility.safety.rules import RULES


LUMBAR = catalog.get("lower-trunk-rotation")
THORACIC = catalog.get("thoracic-open-book")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def two_exercises() -> object:
    """A protocol with the lumbar and the thoracic exercise."""
    return attrs.evolve(LUMBAR, exercises=[*LUMBAR.exercises, *THORACIC.exercises])


class TestGrid:
    def test_every_combination_in_a_fixed_order(self) -> None:
        """The first axis varies slowest; values keep the order given."""
        result = grid(LUMBAR, {"hold": [10, 20], "days_per_week": [3, 5, 7]})
        assert [v.settings for v in result.variants] == [
            (("hold", hold), ("days_per_week", days))
            for hold, days in itertools.product([10, 20], [3, 5, 7])
        ]

    def test_each_variant_is_applied_and_validated(self) -> None:
        """A variant holds its values, and its report is validate()'s."""
        result = grid(LUMBAR, {"hold": [20], "sets": [2], "days_per_week": [3]})
        (variant,) = result.variants
        dose = variant.protocol.exercises[0].dose
        assert dose.hold is not None
        assert dose.hold.seconds == Range(20)
        assert dose.sets == Range(2)
        assert dose.reps == LUMBAR.exercises[0].dose.reps  # untouched
        assert variant.protocol.frequency.days_per_week == 3
        assert variant.protocol.id == variant.id
        assert variant.report == validate(variant.protocol)
        assert variant.protocol.disclaimer is LUMBAR.disclaimer

    def test_accepted_rejected_and_reasons(self) -> None:
        """Variants split by their errors; reasons count rejected variants per code."""
        result = grid(LUMBAR, {"hold": [10, 30, 90], "days_per_week": [3, 7]})
        assert len(result.accepted) + len(result.rejected) == 6
        assert all(v.ok for v in result.accepted)
        assert not any(v.ok for v in result.rejected)
        assert [v.settings[0][1] for v in result.accepted] == [10, 10]
        assert result.reasons() == {
            "stretch-seconds-per-side-above-maximum": 4,
            "stretch-seconds-per-side-per-day-above-maximum": 2,
            "hold-seconds-above-maximum": 2,
            "session-minutes-above-maximum": 2,
        }

    def test_ids_are_stable_unique_slugs(self) -> None:
        """Ids read as what was varied, are valid slugs, and never repeat."""
        axes = {"hold": [10, 12.5, (10, 15)], "intensity": list(Intensity)}
        ids = [v.id for v in variants(LUMBAR, axes)]
        assert ids[0] == "lower-trunk-rotation-hold-10-intensity-tightness"
        assert "lower-trunk-rotation-hold-12p5-intensity-pain" in ids
        assert "lower-trunk-rotation-hold-10-15-intensity-slight-discomfort" in ids
        assert len(set(ids)) == len(ids)
        assert all(SLUG.fullmatch(i) for i in ids)
        assert ids == [v.id for v in variants(LUMBAR, axes)]

    def test_long_ids_are_hashed(self) -> None:
        """An id that would pass 64 characters keeps the base and gets a hash."""
        axes = {
            "rest_seconds": [15],
            "sessions_per_day": [1],
            "days_per_week": [7],
            "program_weeks": [6, 8],
        }
        ids = [v.id for v in variants(LUMBAR, axes)]
        assert all(len(i) <= 64 and SLUG.fullmatch(i) for i in ids)
        assert all(i.startswith("lower-trunk-rotation-v-") for i in ids)
        assert len(set(ids)) == 2

    def test_other_axes(self) -> None:
        """Frequency, review and programme length are axes too."""
        (variant,) = variants(
            LUMBAR,
            {
                "sessions_per_day": [2],
                "review_after_days": [28],
                "program_weeks": [6],
                "side": [Side.LEFT],
                "rest_seconds": [30],
            },
        )
        protocol = variant.protocol
        assert protocol.frequency.sessions_per_day == 2
        assert protocol.review is not None
        assert protocol.review.after_days == 28
        assert protocol.program_weeks == 6
        assert protocol.exercises[0].dose.side is Side.LEFT
        assert protocol.exercises[0].dose.rest_seconds == Range(30)

    def test_one_exercise_only(self) -> None:
        """exercise= varies one exercise's dose and leaves the others."""
        base = two_exercises()
        (variant,) = variants(base, {"reps": [4]}, exercise="open-book")  # type: ignore[arg-type]
        first, second = variant.protocol.exercises
        assert first == LUMBAR.exercises[0]
        assert second.dose.reps == Range(4)

    def test_limits(self) -> None:
        """Variants are validated against the limits given."""
        older = grid(LUMBAR, {"hold": [20]}, limits=SafetyLimits.older_adults())
        codes = {f.code for f in older.variants[0].report.findings}
        assert "hold-seconds-below-typical" in codes

    def test_lazy(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """variants() builds and checks only what is asked for."""
        calls = []
        original = research.validate

        def counting(protocol: object, limits: SafetyLimits) -> object:
            calls.append(protocol)
            return original(protocol, limits)  # type: ignore[arg-type]

        monkeypatch.setattr(research, "validate", counting)
        axes = {"hold": range(1, 61), "reps": range(1, 16), "sets": range(1, 6)}
        stream = variants(LUMBAR, axes)
        assert inspect.isgenerator(stream)
        assert len(list(itertools.islice(stream, 3))) == 3
        assert len(calls) == 3

    def test_the_collector_is_left_alone(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """grid() never pauses garbage collection, which other threads rely on."""
        import gc  # noqa: PLC0415

        def refuse() -> None:
            pytest.fail("grid() paused the garbage collector")

        monkeypatch.setattr(gc, "disable", refuse)
        assert len(grid(LUMBAR, {"hold": [10, 20]}).variants) == 2
        assert gc.isenabled()

    @settings(max_examples=40)
    @given(
        holds=st.lists(st.integers(1, 200), min_size=1, max_size=4, unique=True),
        reps=st.lists(st.integers(1, 30), min_size=1, max_size=4, unique=True),
        days=st.lists(st.integers(1, 7), min_size=1, max_size=3, unique=True),
    )
    def test_any_grid(self, holds: list[int], reps: list[int], days: list[int]) -> None:
        """A grid has one variant per combination, each validated as itself."""
        result = grid(LUMBAR, {"hold": holds, "reps": reps, "days_per_week": days})
        assert len(result.variants) == len(holds) * len(reps) * len(days)
        for variant in result.variants:
            assert variant.report == validate(variant.protocol)
        assert len({v.id for v in result.variants}) == len(result.variants)


class TestAxisMistakes:
    @pytest.mark.parametrize(
        ("axes", "message"),
        [
            ({"weight": [1]}, "unknown axis 'weight'; the axes are: hold, reps"),
            ({"hold": []}, "axis 'hold' has no values"),
            ({"hold": [10, 10]}, "axis 'hold' lists 10 twice"),
            ({"reps": [5, 0]}, "axis 'reps', value 0: Dose.reps: must be whole"),
            ({"days_per_week": [8]}, "axis 'days_per_week', value 8: Frequency"),
            (
                {"side": ["each"]},
                "axis 'side', value 'each': Dose.side: expected a Side",
            ),
        ],
    )
    def test_refused_before_building(
        self, axes: dict[str, list[object]], message: str
    ) -> None:
        """A bad axis is refused at once, with the axis and value named."""
        with pytest.raises(AxisError) as info:
            variants(LUMBAR, axes).__next__()
        assert str(info.value).startswith(message)
        assert isinstance(info.value, ValueError)

    def test_review_needs_a_review(self) -> None:
        """A protocol without a review point has none to move."""
        base = attrs.evolve(LUMBAR, review=None)
        with pytest.raises(AxisError, match="has no review point to change"):
            next(variants(base, {"review_after_days": [7]}))

    def test_progression_needs_a_progression(self) -> None:
        """A protocol without a progression has none to change."""
        with pytest.raises(AxisError, match="has no progression to change"):
            next(variants(LUMBAR, {"progression_reps_step": [1]}))

    def test_unknown_exercise(self) -> None:
        """exercise= must name one of the protocol's exercises."""
        with pytest.raises(AxisError, match="exercise 'nope' is not in"):
            next(variants(LUMBAR, {"reps": [5]}, exercise="nope"))


class TestAxes:
    def test_come_from_the_rules(self) -> None:
        """Every rule that reads a field directly is an axis that sets that field."""
        for rule in RULES:
            if rule.axis is not None:
                assert research.AXES[rule.axis.name] == (
                    rule.axis.level,
                    rule.axis.field,
                )
        from_rules = {rule.axis.name for rule in RULES if rule.axis is not None}
        assert set(research.AXES) - from_rules == {
            "side",
            "intensity",
            "program_weeks",
            "progression_reps_ceiling",
            "progression_hold_ceiling_seconds",
        }

    def test_every_axis_sets_a_real_field(self) -> None:
        """Each axis names a field of the object it changes."""
        owners = {
            "dose": Dose,
            "frequency": Frequency,
            "review": Review,
            "progression": Progression,
            "protocol": type(LUMBAR),
        }
        for level, field in research.AXES.values():
            assert field in attrs.fields_dict(owners[level]), (level, field)

    def test_progression_variants_are_checked_at_every_week(self) -> None:
        """A grid over the hold step finds the steps that grow past the limit."""
        base = attrs.evolve(
            THORACIC,
            program_weeks=12,
            progression=Progression(every_days=7, hold_step_seconds=1),
        )
        result = grid(
            base,
            {
                "progression_hold_step_seconds": [1, 5, 10],
                "progression_hold_ceiling_seconds": [None, 45],
            },
        )
        verdicts = {
            tuple(value for _, value in v.settings): v.ok for v in result.variants
        }
        assert verdicts == {
            (1, None): True,  # 30 + 11 s at the end of week 12
            (1, 45): True,
            (5, None): False,  # 85 s by week 12
            (5, 45): True,
            (10, None): False,
            (10, 45): True,  # 10 s a week is on its maximum; 3 x 45 s is 135 s
        }


class TestWorkload:
    def test_lumbar(self) -> None:
        """Per side and per week, as the dose says: 10-15 reps of 10-15 s daily."""
        load = workload(LUMBAR)
        assert load.reps_per_side == Range(10, 15)
        assert load.stretch_seconds_per_side == Range(100, 225)
        assert load.sessions_per_week == 7
        assert load.week_reps_per_side == Range(70, 105)
        assert load.week_stretch_seconds_per_side == Range(700, 1575)
        assert load.session_seconds == LUMBAR.estimated_session_seconds
        assert load.week_seconds == Range(2100, 4200)

    def test_exercises_add_up(self) -> None:
        """Two exercises: their per-side figures are summed."""
        load = workload(two_exercises())  # type: ignore[arg-type]
        assert load.reps_per_side == Range(13, 18)
        assert load.stretch_seconds_per_side == Range(190, 315)

    def test_no_hold_no_stretch(self) -> None:
        """A dynamic exercise has repetitions but no stretch time."""
        exercise = attrs.evolve(
            LUMBAR.exercises[0],
            steps=[Step("Roll your knees from side to side, {reps} {sides}.")],
            dose=Dose(side=Side.EACH, reps=8),
        )
        protocol = attrs.evolve(
            LUMBAR, exercises=[exercise], frequency=Frequency(days_per_week=3)
        )
        load = workload(protocol)
        assert load.stretch_seconds_per_side == Range(0)
        assert load.week_reps_per_side == Range(24)


class TestRecords:
    def test_flat_rows_with_the_same_keys(self) -> None:
        """Each row is flat, scalar and shaped like the others."""
        rows = to_records(variants(LUMBAR, {"hold": [10, (10, 15)], "reps": [5, 20]}))
        assert len(rows) == 4
        assert len({tuple(row) for row in rows}) == 1
        for row in rows:
            assert all(isinstance(v, str | int | float | bool) for v in row.values())
        first = rows[0]
        assert first["hold"] == 10
        assert rows[2]["hold"] == "10-15"
        assert first["ok"] is True
        assert first["stretch_seconds_per_side_low"] == 50
        assert first["week_stretch_seconds_per_side_high"] == 350
        assert rows[1]["error_codes"] == "reps-above-maximum"
        assert LUMBAR.disclaimer is not None
        assert first["disclaimer"] == LUMBAR.disclaimer.text
        assert first["stop_rules"] == LUMBAR.disclaimer.stop_rules[0]

    def test_csv(self) -> None:
        """The rows go through csv.DictWriter unchanged."""
        rows = grid(LUMBAR, {"hold": [10, 90]}).to_records()
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        read = list(csv.DictReader(io.StringIO(buffer.getvalue())))
        assert [row["id"] for row in read] == [row["id"] for row in rows]
        assert read[1]["ok"] == "False"
        assert read[1]["error_codes"] == rows[1]["error_codes"]
        assert read[0]["stop_rules"].startswith("Stop at once if your pain increases")


class TestCsv:
    def test_a_formula_in_protocol_text_stays_text(self) -> None:
        """A disclaimer of =HYPERLINK(...) is written with an apostrophe first."""
        hostile = attrs.evolve(
            LUMBAR,
            disclaimer=attrs.evolve(
                LUMBAR.disclaimer,
                text='=HYPERLINK("https://evil.example","click")',
                stop_rules=("-2+3", "@SUM(A1)", "\tTab", "Stop at once."),
            ),
        )
        rows = to_records(variants(hostile, {"reps": [10]}))
        assert rows[0]["disclaimer"].startswith("=HYPERLINK")  # raw for pandas
        out = io.StringIO(newline="")
        write_csv(rows, out)
        (read,) = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
        assert read["disclaimer"] == "'" + rows[0]["disclaimer"]
        assert read["stop_rules"] == "'" + rows[0]["stop_rules"]
        assert read["reps"] == "10"
        assert read["id"] == rows[0]["id"]

    def test_nothing_to_write(self) -> None:
        """No rows, no file content (not even a header of nothing)."""
        out = io.StringIO()
        write_csv([], out)
        assert out.getvalue() == ""


class TestLongGrids:
    """A long grid shows its progress, and its table need not repeat the safety text."""

    def test_progress_is_reported_after_each_variant(self) -> None:
        """Done and total, once per variant, in order, the last equal."""
        calls: list[tuple[int, int]] = []
        found = grid(
            THORACIC, {"reps": [3, 4], "hold": [20, 30, 40]}, progress=_record(calls)
        )
        assert calls == [(n, 6) for n in range(1, 7)]
        assert len(found.variants) == 6

    def test_progress_follows_a_lazy_stream(self) -> None:
        """Reported as each variant is made: none before the first is taken."""
        calls: list[tuple[int, int]] = []
        stream = variants(THORACIC, {"reps": [3, 4, 5]}, progress=_record(calls))
        assert calls == []
        next(stream)
        assert calls == [(1, 3)]

    def test_the_safety_text_once_beside_the_table(self) -> None:
        """safety=False drops the two columns; safety_record holds them, and more."""
        rows = to_records(variants(THORACIC, {"reps": [3, 4]}), safety=False)
        assert all("disclaimer" not in row and "stop_rules" not in row for row in rows)
        full = to_records(variants(THORACIC, {"reps": [3, 4]}))
        assert {k: v for k, v in full[0].items() if k not in SAFETY} == rows[0]
        record = safety_record(THORACIC)
        assert THORACIC.disclaimer is not None
        assert record["disclaimer"] == full[0]["disclaimer"]
        assert record["stop_rules"] == full[0]["stop_rules"]
        for flag in THORACIC.disclaimer.red_flags:
            assert flag.text in record["red_flags"]
        assert record["protocol_id"] == THORACIC.id


SAFETY = ("disclaimer", "stop_rules")


def _record(calls: list[tuple[int, int]]) -> Callable[[int, int], None]:
    def progress(done: int, total: int) -> None:
        calls.append((done, total))

    return progress
