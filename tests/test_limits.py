import attrs
import pytest

from mobility import Bound, InvalidModelError, Limit, SafetyLimits, Source
from mobility.limits import markdown_table


# The evidence table of the domain brief, bound by bound: the figure and whether
# it is our inference. A change to a limit must change this table too.
ADULT_BOUNDS = [
    ("hold_seconds", "typical_low", 10, False),
    ("hold_seconds", "typical_high", 30, False),
    ("hold_seconds", "maximum", 60, True),
    ("reps", "typical_high", 10, False),
    ("reps", "maximum", 15, True),
    ("sets", "typical_high", 3, False),
    ("sets", "maximum", 5, True),
    ("rest_seconds", "typical_high", 30, True),
    ("rest_seconds", "maximum", 180, True),
    ("stretch_seconds_per_side", "typical_low", 60, False),
    ("stretch_seconds_per_side", "maximum", 240, True),
    ("session_minutes", "typical_high", 15, False),
    ("session_minutes", "maximum", 45, True),
    ("sessions_per_day", "typical_high", 2, True),
    ("sessions_per_day", "maximum", 3, False),
    ("days_per_week", "typical_low", 2, False),
    ("days_per_week", "maximum", 7, False),
    ("review_after_days", "typical_high", 14, False),
    ("review_after_days", "maximum", 42, True),
    ("progression_reps_step", "maximum", 2, False),
    ("progression_every_days", "minimum", 2, False),
    ("progression_hold_step_seconds", "typical_high", 5, True),
    ("progression_hold_seconds_per_week", "maximum", 10, True),
]


class TestDefaults:
    @pytest.mark.parametrize(("field", "bound", "value", "inferred"), ADULT_BOUNDS)
    def test_bound_matches_the_evidence(
        self, field: str, bound: str, value: float, inferred: bool
    ) -> None:
        """Each adult bound has the evidence table's figure and inference flag."""
        found = getattr(getattr(SafetyLimits(), field), bound)
        assert found.value == value
        assert found.source.inferred is inferred

    def test_every_bound_is_pinned(self) -> None:
        """No bound exists that the evidence table above does not pin."""
        pinned = {(field, bound) for field, bound, _, _ in ADULT_BOUNDS}
        present = {
            (field, name)
            for field, limit in SafetyLimits().items()
            for name, _ in limit.bounds()
        }
        assert present == pinned

    def test_adults_is_the_default(self) -> None:
        """SafetyLimits() and SafetyLimits.adults() are the same limits."""
        assert SafetyLimits.adults() == SafetyLimits()
        assert SafetyLimits().name == "adults"

    def test_older_adults_hold_longer(self) -> None:
        """Adults over 65 follow ACSM's 30-60 s holds; the rest is unchanged."""
        older = SafetyLimits.older_adults()
        hold = older.hold_seconds
        assert (hold.typical_low.value, hold.typical_high.value) == (30, 60)  # type: ignore[union-attr]
        assert hold.maximum is not None
        assert hold.maximum.value == 60
        assert hold.maximum.source.inferred is False
        assert "ACSM" in hold.maximum.source.citation
        assert attrs.evolve(
            older, name="adults", hold_seconds=SafetyLimits().hold_seconds
        ) == (SafetyLimits())

    def test_items_lists_every_limit(self) -> None:
        """items() gives each Limit field by name, and nothing else."""
        items = dict(SafetyLimits().items())
        assert "name" not in items
        assert all(isinstance(limit, Limit) for limit in items.values())
        assert len(items) == len(attrs.fields(SafetyLimits)) - 1


class TestLimit:
    def test_bounds_must_be_ordered(self) -> None:
        """A typical range above the hard maximum means nothing."""
        source = Source("x")
        with pytest.raises(
            InvalidModelError, match=r"typical_high \(90\) is above maximum \(60\)"
        ):
            Limit(
                label="hold",
                unit="s",
                typical_high=Bound(90, source),
                maximum=Bound(60, source),
            )

    @pytest.mark.parametrize("value", [-1, float("inf"), 10**400, True, "10"])
    def test_bound_needs_a_finite_number(self, value: object) -> None:
        """A bound is a finite, non-negative number."""
        with pytest.raises(InvalidModelError, match=r"Bound.value"):
            Bound(value, Source("x"))  # type: ignore[arg-type]

    def test_bound_needs_a_source(self) -> None:
        """A bound without evidence cannot be built."""
        with pytest.raises(InvalidModelError, match=r"Bound.source: expected a Source"):
            Bound(10, None)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("low", "high", "expected"),
        [(10, 30, "10-30 s"), (10, None, "at least 10 s"), (None, 30, "up to 30 s")],
    )
    def test_typical_in_words(
        self, low: float | None, high: float | None, expected: str
    ) -> None:
        """The typical range reads naturally whichever ends are set."""
        source = Source("x")
        limit = Limit(
            label="hold",
            unit="s",
            typical_low=None if low is None else Bound(low, source),
            typical_high=None if high is None else Bound(high, source),
        )
        assert limit.typical == expected


class TestMarkdownTable:
    def test_one_row_per_limit(self) -> None:
        """The table has a header, a rule and one row per limit."""
        lines = markdown_table(SafetyLimits()).splitlines()
        assert len(lines) == 2 + len(SafetyLimits().items())
        for (field, _), line in zip(SafetyLimits().items(), lines[2:], strict=True):
            assert line.startswith(f"| `{field.replace('_', '-')}` |")

    def test_marks_inference_and_cites(self) -> None:
        """Each cell says whether the figure is stated or ours, with its source."""
        hold_row = markdown_table(SafetyLimits()).splitlines()[2]
        assert "| 10 (stated) | 30 (stated) |  | 60 (our inference) |" in hold_row
        assert "ACSM" in hold_row
        assert "[our inference]" in hold_row
