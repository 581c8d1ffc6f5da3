import attrs
import pytest

from mobility import Bound, InvalidModelError, Limit, SafetyLimits, Source
from mobility.model.evidence import BEHM_2016
from mobility.safety.limits import PRESETS, markdown_table
from mobility.safety.rules import RULES


# The evidence table of the domain brief, bound by bound: the figure and whether
# it is our inference. A change to a limit must change this table too.
ADULT_BOUNDS = [
    ("hold_seconds", "typical_low", 10, False),
    ("hold_seconds", "typical_high", 30, False),
    ("hold_seconds", "maximum", 60, True),
    ("reps", "typical_high", 10, True),  # our reading of what the copies show
    ("reps", "maximum", 15, True),
    ("sets", "typical_high", 3, False),
    ("sets", "maximum", 5, True),
    ("rest_seconds", "typical_high", 30, True),
    ("rest_seconds", "maximum", 180, True),
    ("stretch_seconds_per_side", "typical_low", 60, False),
    ("stretch_seconds_per_side", "maximum", 240, True),
    ("stretch_seconds_per_side_per_day", "maximum", 480, True),
    ("session_minutes", "typical_high", 15, False),
    ("session_minutes", "maximum", 45, True),
    ("sessions_per_day", "typical_high", 2, True),
    ("sessions_per_day", "maximum", 3, True),
    ("days_per_week", "typical_low", 2, False),
    ("days_per_week", "maximum", 7, False),
    ("review_after_days", "typical_high", 14, False),
    ("review_after_days", "maximum", 42, True),
    ("progression_reps_step", "maximum", 2, True),
    ("progression_every_days", "minimum", 2, True),
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
        # ACSM recommends 30-60 s; a ceiling at the top of a range is ours.
        assert hold.maximum.source.inferred is True
        assert hold.typical_high is not None
        assert hold.typical_high.source.inferred is False
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


class TestPresetEvidence:
    """What a preset says, word for word: its figures reach every table and finding."""

    def test_every_preset_names_each_limit_as_the_adults_do(self) -> None:
        """A preset changes numbers and evidence, never what a limit is called."""
        adults = dict(SafetyLimits().items())
        for make in PRESETS.values():
            for name, limit in make().items():
                assert (limit.label, limit.unit) == (
                    adults[name].label,
                    adults[name].unit,
                ), name

    def test_older_adults_cite_acsm_and_mark_the_ceiling_ours(self) -> None:
        """Both typical ends cite ACSM's 30-60 s; the 60 s ceiling is our reading."""
        hold = SafetyLimits.older_adults().hold_seconds
        assert hold.typical_low is not None
        assert hold.typical_high is not None
        assert hold.maximum is not None
        assert hold.typical_low.source == hold.typical_high.source
        assert hold.typical_low.source.note == (
            "30-60 s for adults 65+; see also Feland et al. 2001, Phys Ther "
            "81(5):1110-7"
        )
        assert (hold.typical_low.inclusive, hold.typical_high.inclusive) == (
            True,
            True,
        )
        assert hold.maximum.inclusive is True
        assert hold.maximum.source.note == (
            "the top of ACSM's 30-60 s range for adults 65+, taken as a ceiling"
        )

    def test_before_performance_quotes_behm(self) -> None:
        """The warm-up warning says what Behm et al. found, in their terms."""
        stretch = SafetyLimits.before_performance().stretch_seconds_per_side
        assert stretch.typical_high is not None
        assert stretch.typical_high.source.note == (
            "right before performance, under 60 s per muscle group has trivial "
            "effects on it; 60 s or more can reduce it"
        )

    def test_a_noted_source_keeps_its_standing_and_an_inferred_one_says_so(
        self,
    ) -> None:
        """_noted() adds words to a source; _inferred() also marks it as ours."""
        from mobility.safety.limits import _inferred, _noted  # noqa: PLC0415

        stated = Source("A guideline")
        assert _noted(stated, "n") == attrs.evolve(stated, note="n")
        assert _inferred(stated, "n") == attrs.evolve(stated, note="n", inferred=True)


class TestBoundWords:
    @pytest.mark.parametrize(
        ("name", "inclusive", "expected"),
        [
            ("minimum", True, "at least 5 s"),
            ("minimum", False, "more than 5 s"),
            ("typical_low", True, "at least 5 s"),
            ("typical_high", True, "up to 5 s"),
            ("typical_high", False, "under 5 s"),
            ("maximum", True, "at most 5 s"),
            ("maximum", False, "under 5 s"),
        ],
    )
    def test_a_lower_bound_reads_as_one(
        self, name: str, inclusive: bool, expected: str
    ) -> None:
        """A minimum is a floor ("at least"), never a ceiling, in every table."""
        bound = Bound(5, Source("A source"), inclusive=inclusive)
        limit = Limit(label="Hold", unit="s", **{name: bound})
        assert limit.words(name) == expected


class TestPresets:
    def test_names(self) -> None:
        """Each preset is reachable by the name the command line uses."""
        assert PRESETS["adults"]() == SafetyLimits()
        assert PRESETS["older-adults"]() == SafetyLimits.older_adults()
        assert PRESETS["before-performance"]() == SafetyLimits.before_performance()

    def test_each_preset_carries_its_own_name(self) -> None:
        """A report, and every table, names the limits it used by this name."""
        assert {key: preset().name for key, preset in PRESETS.items()} == {
            "adults": "adults",
            "older-adults": "adults 65+",
            "adolescents": "adolescents",
            "before-performance": "right before performance",
        }

    def test_before_performance_follows_behm(self) -> None:
        """60 s or more per muscle group right before performance is a warning."""
        limits = SafetyLimits.before_performance()
        stretch = limits.stretch_seconds_per_side
        assert stretch.typical_high is not None
        assert stretch.typical_high.value == 60
        assert stretch.typical_high.inclusive is False
        assert stretch.typical_high.source.citation == BEHM_2016.citation
        assert stretch.typical_high.source.inferred is False
        assert stretch.typical_low is None  # Garber's 60 s is not warm-up advice
        assert stretch.maximum == SafetyLimits().stretch_seconds_per_side.maximum
        assert (
            attrs.evolve(
                limits,
                name="adults",
                stretch_seconds_per_side=SafetyLimits().stretch_seconds_per_side,
            )
            == SafetyLimits()
        )


class TestBound:
    @pytest.mark.parametrize(
        ("inclusive", "value", "above", "below"),
        [
            (True, 60, False, False),
            (True, 60.5, True, False),
            (True, 59.5, False, True),
            (False, 60, True, True),
            (False, 60.5, True, False),
            (False, 59.5, False, True),
        ],
    )
    def test_on_the_bound(
        self, inclusive: bool, value: float, above: bool, below: bool
    ) -> None:
        """A value on an inclusive bound is within it; on an exclusive one, past it."""
        bound = Bound(60, Source("x"), inclusive=inclusive)
        assert bound.above(value) is above
        assert bound.below(value) is below

    def test_exclusive_bounds_read_as_under(self) -> None:
        """An exclusive upper bound reads 'under', an exclusive lower 'more than'."""
        source = Source("x")
        limit = Limit(
            label="stretch",
            unit="s",
            typical_low=Bound(10, source, inclusive=False),
            typical_high=Bound(60, source, inclusive=False),
        )
        assert limit.typical == "more than 10 s and under 60 s"


class TestLimitChecksItsFields:
    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"label": ""}, "Limit.label: expected text"),
            ({"unit": 5}, "Limit.unit: expected text"),
            ({"maximum": 60}, "Limit.maximum: expected a Bound or None, got 60"),
        ],
    )
    def test_limit(self, changes: dict[str, object], message: str) -> None:
        """A wrong type fails at construction, naming the field."""
        fields: dict[str, object] = {"label": "hold", "unit": "s", **changes}
        with pytest.raises(InvalidModelError, match=message):
            Limit(**fields)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"name": "\u200b"}, "SafetyLimits.name: expected text"),
            ({"hold_seconds": 60}, "SafetyLimits.hold_seconds: expected a Limit"),
            ({"reps": None}, "SafetyLimits.reps: expected a Limit, got None"),
        ],
    )
    def test_safety_limits(self, changes: dict[str, object], message: str) -> None:
        """SafetyLimits refuses a limit that is not a Limit, naming the field."""
        with pytest.raises(InvalidModelError, match=message):
            SafetyLimits(**changes)  # type: ignore[arg-type]

    def test_inclusive_is_a_boolean(self) -> None:
        """A bound's inclusive flag is True or False, not a truthy value."""
        with pytest.raises(InvalidModelError, match=r"Bound\.inclusive"):
            Bound(60, Source("x"), inclusive="no")  # type: ignore[arg-type]


class TestMarkdownTable:
    def test_one_row_per_rule(self) -> None:
        """The table has a header, a rule and one row per rule, in table order."""
        lines = markdown_table(SafetyLimits()).splitlines()
        assert len(lines) == 2 + len(RULES)
        for rule, line in zip(RULES, lines[2:], strict=True):
            assert line.startswith(f"| `{rule.code}` |")

    def test_marks_inference_and_cites(self) -> None:
        """Each cell says whether the figure is stated or ours, with its source."""
        hold_row = markdown_table(SafetyLimits()).splitlines()[2]
        assert "| 10-30 s (stated) | at most 60 s (our inference) |" in hold_row
        assert "ACSM" in hold_row
        assert "[our inference]" in hold_row

    def test_ends_marked_apart_when_they_differ(self) -> None:
        """A range whose ends differ in evidence marks each end."""
        limits = SafetyLimits.older_adults()
        ours = Source("ours", inferred=True)
        hold = attrs.evolve(
            limits.hold_seconds, typical_high=Bound(60, ours), maximum=None
        )
        row = markdown_table(attrs.evolve(limits, hold_seconds=hold)).splitlines()[2]
        assert "at least 30 s (stated); up to 60 s (our inference)" in row

    def test_says_which_rules_follow_the_programme(self) -> None:
        """Dose and session rules are checked at every step; the others once."""
        table = markdown_table(SafetyLimits())
        for rule, line in zip(RULES, table.splitlines()[2:], strict=True):
            expected = "at every progression step" if rule.grows else "checked once |"
            assert expected in line, line

    def test_cites_each_source_once(self) -> None:
        """A citation behind several bounds of a row is named once, notes grouped."""
        hold_row = markdown_table(SafetyLimits()).splitlines()[2]
        assert hold_row.count("Table 5.6") == 1
        assert "10-30 s for adults" in hold_row
        assert "taken as a ceiling [our inference]" in hold_row


class TestTableCells:
    """The rules table's bounds and sources cells, which the docs publish."""

    def test_each_citation_once_with_what_it_gives(self) -> None:
        """A source cited by two bounds is named once; an inference says so."""
        from mobility.safety.rules import _sources  # noqa: PLC0415

        cited = Source("A", note="n")
        ours = Source("B", inferred=True)
        assert _sources(Limit(label="x", unit="s", maximum=Bound(20, Source("C")))) == (
            "C"
        )
        both = Limit(
            label="x", unit="s", typical_high=Bound(10, cited), maximum=Bound(20, cited)
        )
        assert _sources(both) == "A (n)"
        mixed = Limit(
            label="x", unit="s", typical_high=Bound(10, cited), maximum=Bound(20, ours)
        )
        assert _sources(mixed) == "A (n); B ([our inference])"

    def test_a_range_is_one_cell_only_when_both_ends_are_alike(self) -> None:
        """Two inclusive typical ends of one standing read as a range; else apart."""
        from mobility.safety.rules import _cell  # noqa: PLC0415

        source = Source("A")
        typical = ("typical_low", "typical_high")
        closed = Limit(
            label="x",
            unit="s",
            typical_low=Bound(10, source),
            typical_high=Bound(30, source),
        )
        assert _cell(closed, typical) == "10-30 s (stated)"
        half_open = attrs.evolve(
            closed, typical_high=Bound(30, source, inclusive=False)
        )
        assert (
            _cell(half_open, typical) == "at least 10 s (stated); under 30 s (stated)"
        )
        hard = Limit(
            label="x", unit="s", minimum=Bound(10, source), maximum=Bound(30, source)
        )
        assert _cell(hard, ("minimum", "maximum")) == (
            "at least 10 s (stated); at most 30 s (stated)"
        )
