import attrs
import hypothesis
import pytest

from mobility import (
    Bound,
    Dose,
    InvalidModelError,
    Limit,
    Progression,
    Protocol,
    Range,
    SafetyLimits,
    Source,
    catalog,
    validate,
)
from mobility.model import evidence
from mobility.model.evidence import BEHM_2016
from mobility.research.strategies import safe_protocols
from mobility.safety.limits import PRESETS, limit_field, markdown_table
from mobility.safety.rules import POLICIES, RULES, Scope, policy_table, rules_of


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
            when = "at every progression step" if rule.grows else "once"
            assert f"; checked {when} | " in line, line

    def test_the_first_row_in_full(self) -> None:
        """Header, rule and the hold's row, cell by cell, as the docs print them."""
        lines = markdown_table(SafetyLimits()).splitlines()
        assert lines[:2] == [
            "| code | what is checked | typical | hard limit | sources |",
            "|---|---|---|---|---|",
        ]
        citation = evidence.ACSM_2021.citation
        assert lines[2] == (
            "| `hold-seconds` | **static hold**: each hold, of a repetition or of "
            "one position; checked at every progression step | 10-30 s (stated) | "
            f"at most 60 s (our inference) | {citation} (10-30 s for adults; "
            "Bandy, Irion & Briggler 1997 found 30 s as effective as 60 s for "
            "adults aged 21-39; the top of ACSM's 30-60 s range for older adults, "
            "taken as a ceiling [our inference]) |"
        )
        rows = lines[2:]
        assert all(line.startswith("| `") and line.endswith(" |") for line in rows)

    def test_cites_each_source_once(self) -> None:
        """A citation behind several bounds of a row is named once, notes grouped."""
        hold_row = markdown_table(SafetyLimits()).splitlines()[2]
        assert hold_row.count("Table 5.6") == 1
        assert "10-30 s for adults" in hold_row
        assert "taken as a ceiling [our inference]" in hold_row


class TestPolicyTable:
    def test_every_policy_in_order(self) -> None:
        """One row per policy: code, severity (or both), and when, in words."""
        lines = policy_table().splitlines()
        assert lines[:2] == ["| code | severity | when |", "|---|---|---|"]
        assert len(lines) == 2 + len(POLICIES)
        for item, line in zip(POLICIES, lines[2:], strict=True):
            severity = "error or warning" if item.severity is None else item.severity
            assert line == f"| `{item.code}` | {severity} | {item.when} |"
        assert "| `review-missing` | error or warning |" in policy_table()
        assert "| `intensity-pain` | error |" in policy_table()


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
        noted = Limit(
            label="x",
            unit="s",
            typical_high=Bound(10, cited),
            maximum=Bound(20, Source("A", note="m")),
        )
        assert _sources(noted) == "A (n; m)"

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


# A limit of a researcher's own, declared as the library declares its own.
_TRIAL = Source("Our trial protocol, section 4.2", inferred=True)


def _total_reps(dose: Dose, _: Protocol) -> Range:
    return dose.total_reps


def trial_limits() -> type[SafetyLimits]:
    """A subclass with one limit more, built when a test asks for it.

    Built at test time, not at import, so ``make mutate`` can see the row-building
    code of a mutant at work.
    """

    @attrs.frozen(kw_only=True)
    class TrialLimits(SafetyLimits):
        """Limits of a trial.

        Args:
            name: Who the limits are for, shown in reports.

        """

        total_reps: Limit = limit_field(
            Limit(
                label="repetitions in a session", unit="reps", maximum=Bound(24, _TRIAL)
            ),
            scope=Scope.DOSE,
            path="$.exercises[{index}].dose",
            measures="every repetition of a dose in a session, every side counted",
            read=_total_reps,
        )

    return TrialLimits


class TestOneRowPerLimit:
    """A limit field is the whole row: rule, code, docs and budget follow from it."""

    def test_the_defaults_rules_are_their_fields_in_order(self) -> None:
        """RULES is read from the fields; each code is the field's name."""
        names = [name for name, _ in SafetyLimits().items()]
        assert [rule.limit for rule in RULES] == names
        assert [rule.code for rule in RULES] == [n.replace("_", "-") for n in names]
        for rule in RULES:
            assert rule.default == getattr(SafetyLimits(), rule.limit)

    def test_every_field_is_documented_from_its_row(self) -> None:
        """The class's Args list each field, in the words of its row."""
        doc = " ".join((SafetyLimits.__doc__ or "").split())
        for rule in RULES:
            assert f"{rule.limit}: The limit on {rule.measures}." in doc

    def test_a_subclass_field_is_a_rule_the_validator_applies(self) -> None:
        """One new field: its rule, its code, its finding, its table row."""
        TrialLimits = trial_limits()  # noqa: N806 - a class
        rules = rules_of(TrialLimits)
        assert rules[: len(RULES)] == RULES
        assert rules_of(TrialLimits) is rules  # kept, not read again
        assert rules[-1].code == "total-reps"
        protocol = catalog.get("lower-trunk-rotation")  # 2 sides x 10-15 reps
        report = validate(protocol, TrialLimits(name="trial"))
        codes = [finding.code for finding in report.errors]
        assert codes == ["total-reps-above-maximum"]
        assert report.errors[0].path == "$.exercises[0].dose"
        assert report.errors[0].source == _TRIAL
        assert validate(protocol, SafetyLimits()).ok
        table = markdown_table(TrialLimits()).splitlines()
        assert table[-1].startswith("| `total-reps` | **repetitions in a session**")

    def test_a_subclass_limit_follows_the_programme(self) -> None:
        """A dose rule of one's own is checked at every progression step too."""
        TrialLimits = trial_limits()  # noqa: N806 - a class
        protocol = catalog.get("lower-trunk-rotation")
        limits = TrialLimits(
            total_reps=Limit(label="reps", unit="reps", maximum=Bound(30, _TRIAL))
        )
        grown = attrs.evolve(
            protocol,
            progression=Progression(every_days=7, reps_step=1, reps_ceiling=20),
            program_weeks=8,
        )
        # 2 sides x 15 reps is on the bound at the start; 2 x 16 crosses it in week 2.
        weeks = {f.code: f.week for f in validate(grown, limits).findings}
        assert weeks["total-reps-above-maximum"] == 2
        far = TrialLimits(
            total_reps=Limit(label="reps", unit="reps", maximum=Bound(34, _TRIAL))
        )
        # 2 x 18 = 36 > 34 after the third step, on day 21: week 4.
        weeks = {f.code: f.week for f in validate(grown, far).findings}
        assert weeks["total-reps-above-maximum"] == 4
        # Past the bound from the start, the finding has no week.
        start = validate(grown, TrialLimits()).findings
        assert [f.week for f in start if f.code.startswith("total-reps")] == [None]

    def test_a_subclass_can_be_documented_from_its_rows(self) -> None:
        """The docstring helper lists every row, the subclass's own last."""
        from mobility.safety.limits import _document  # noqa: PLC0415

        cls = trial_limits()
        _document(cls)
        doc = cls.__doc__ or ""
        assert doc.startswith("Limits of a trial.")
        args = doc.split("Args:\n")[1].splitlines()
        pad = " " * 12  # the docstring's own indent, followed
        assert args[0] == f"{pad}name: Who the limits are for, shown in reports."
        assert args[1] == (
            f"{pad}hold_seconds: The limit on each hold, of a repetition or of one "
            "position."
        )
        first = (
            f"{pad}total_reps: The limit on every repetition of a dose in a session,"
        )
        assert args[-4:-1] == [f"{first} every side", f"{pad}    counted.", ""]
        assert all(len(line) <= 88 for line in args)
        plain = attrs.frozen(type("Plain", (SafetyLimits,), {"__doc__": "No args."}))
        _document(plain)
        assert plain.__doc__ == "No args."
        bare = attrs.frozen(type("Bare", (SafetyLimits,), {"__doc__": None}))
        _document(bare)
        assert bare.__doc__ is None

    def test_a_reader_of_ones_own_may_give_plain_numbers(self) -> None:
        """Findings quote what the reader gave, even a signed zero, never a neighbour's.

        The validator keeps the findings of each value it has seen; -0.0 and 0.0
        are equal as keys, so neither may be kept for the other.
        """
        given: list[tuple[float, float]] = []

        def reader(_dose: Dose, _: Protocol) -> tuple[float, float]:
            return given[-1]

        @attrs.frozen(kw_only=True)
        class Floor(SafetyLimits):
            floor: Limit = limit_field(
                Limit(
                    label="floor",
                    unit="s",
                    minimum=Bound(5, _TRIAL),
                    maximum=Bound(10**9, _TRIAL),
                ),
                scope=Scope.DOSE,
                path="$.exercises[{index}].dose",
                measures="a reading of our own",
                read=reader,
            )

        limits = Floor()
        protocol = catalog.get("lower-trunk-rotation")
        shown = []
        pairs = [(0.0, 0.0), (-0.0, -0.0), (0.0, 1.0), (-0.0, 1.0)]
        for value in pairs * 2:
            given.append(value)
            (finding,) = [
                f
                for f in validate(protocol, limits).findings
                if f.code == "floor-below-minimum"
            ]
            shown.append(finding.message)
        # An int and a float of the same value are equal keys too, and read apart.
        for value in [(1e20, 1e21), (10**20, 1e21), (1e20, 10**21)] * 2:
            given.append(value)
            (finding,) = [
                f
                for f in validate(protocol, limits).findings
                if f.code == "floor-above-maximum"
            ]
            shown.append(finding.message)
        expected = [
            "floor of 0 s is below the minimum of 5 s",
            "floor of -0 s is below the minimum of 5 s",
            "floor of 0-1 s is below the minimum of 5 s",
            "floor of -0-1 s is below the minimum of 5 s",
        ]
        big = "is above the maximum of 1000000000 s"
        huge = [
            f"floor of 1e+20-1e+21 s {big}",
            f"floor of 100000000000000000000-1e+21 s {big}",
            f"floor of 1e+20-1000000000000000000000 s {big}",
        ]
        assert shown == expected * 2 + huge * 2

    def test_a_field_without_a_row_is_refused(self) -> None:
        """A Limit field that no rule reads would be a limit silently ignored."""

        @attrs.frozen(kw_only=True)
        class Careless(SafetyLimits):
            extra: Limit = attrs.field(default=SafetyLimits().reps)

        with pytest.raises(InvalidModelError) as info:
            rules_of(Careless)
        assert str(info.value) == (
            "Careless.extra: declare a limit with limit_field(), which says what it "
            "bounds; no rule reads it otherwise"
        )
        assert info.value.problem == "declared without limit_field()"
        with pytest.raises(InvalidModelError, match="limit_field"):
            validate(catalog.get("lower-trunk-rotation"), Careless())

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"default": 60}, "default: give a Limit"),
            ({"path": "exercises"}, "path: give a JSON path"),
            ({"path": None}, "path: give a JSON path"),
            ({"measures": " "}, "measures: say what"),
            ({"read": "dose.reps"}, "read: give a function"),
            ({"axis": "reps"}, "axis: give an Axis"),
            ({"scope": "week"}, "'week' is not a valid Scope"),
        ],
    )
    def test_a_row_is_checked_when_declared(
        self, changes: dict[str, object], message: str
    ) -> None:
        """A broken row fails where it is written, not when a protocol is checked."""
        row: dict[str, object] = {
            "default": SafetyLimits().reps,
            "scope": Scope.DOSE,
            "path": "$.exercises[{index}].dose.reps",
            "measures": "repetitions",
            "read": _total_reps,
            "axis": None,
        } | changes
        with pytest.raises((InvalidModelError, ValueError), match=message) as info:
            limit_field(**row)  # type: ignore[arg-type]
        if isinstance(info.value, InvalidModelError):
            assert str(info.value) == f"limit_field(): {info.value.problem}"
            assert info.value.problem is not None
            assert info.value.problem.startswith(message)

    def test_a_limit_field_takes_only_a_limit(self) -> None:
        """The field a row declares checks its value as any limit field does."""
        with pytest.raises(InvalidModelError, match=r"total_reps: expected a Limit"):
            trial_limits()(total_reps=24)  # type: ignore[arg-type]

    def test_a_strategy_budgets_an_open_limit_by_the_default(self) -> None:
        """Limits without a maximum are drawn within the default's hard bound."""
        open_reps = attrs.evolve(
            SafetyLimits(),
            reps=Limit(label="reps", unit="reps", typical_high=Bound(10, _TRIAL)),
        )
        most = SafetyLimits().reps.maximum
        assert most is not None

        @hypothesis.settings(max_examples=30, database=None)
        @hypothesis.given(safe_protocols(open_reps))
        def check(protocol: Protocol) -> None:
            for exercise in protocol.exercises:
                per_side = exercise.dose.reps * exercise.dose.side.share
                assert per_side.high <= most.value

        check()
