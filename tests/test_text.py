import attrs
import pytest

from hypothesis import given

from mobility import (
    Dose,
    Frequency,
    Intensity,
    Protocol,
    Range,
    Side,
    catalog,
    validate,
)
from mobility.formats.text import (
    Part,
    describe_dose,
    describe_frequency,
    describe_minutes,
    markdown,
    plain,
    render,
    safety_section,
    sections,
    to_markdown,
    validation_summary,
)
from mobility.research.strategies import protocols


class TestDescribeDose:
    @pytest.mark.parametrize(
        ("dose", "expected"),
        [
            (
                Dose(side=Side.EACH, reps=(10, 15), hold=(10, 15)),
                (
                    "hold 10-15 s; 10-15 times on each side; stretch to the point "
                    "of tightness"
                ),
            ),
            (
                Dose(side=Side.BILATERAL, reps=1, hold=30),
                "hold 30 s; 1 time; stretch to the point of tightness",
            ),
            (
                Dose(side=Side.LEFT, reps=8, intensity=Intensity.SLIGHT_DISCOMFORT),
                (
                    "8 times on the left side only; stretch to slight discomfort, "
                    "never pain"
                ),
            ),
            (
                Dose(side=Side.EACH, reps=10, sets=3, rest_seconds=(15, 30)),
                (
                    "3 sets of 10 times on each side, 15-30 s rest between sets; "
                    "stretch to the point of tightness"
                ),
            ),
        ],
    )
    def test_plain_words(self, dose: Dose, expected: str) -> None:
        """The dose reads as a person would say it, per side where per side."""
        assert describe_dose(dose) == expected


class TestDescribeOther:
    @pytest.mark.parametrize(
        ("days", "sessions", "expected"),
        [
            (7, 1, "every day, once a day"),
            (1, 2, "1 day a week, twice a day"),
            (3, 3, "3 days a week, 3 times a day"),
        ],
    )
    def test_frequency(self, days: int, sessions: int, expected: str) -> None:
        """Frequencies read naturally."""
        frequency = Frequency(days_per_week=days, sessions_per_day=sessions)
        assert describe_frequency(frequency) == expected

    @pytest.mark.parametrize(
        ("seconds", "expected"),
        [(Range(300, 600), "5-10 min"), (Range(210), "3.5 min"), (Range(50), "1 min")],
    )
    def test_minutes(self, seconds: Range, expected: str) -> None:
        """Durations round to the nearest half minute."""
        assert describe_minutes(seconds) == expected


class TestRender:
    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_carries_everything_a_person_needs(self, protocol_id: str) -> None:
        """The text has each step, the dose and all of the safety text."""
        protocol = catalog.get(protocol_id)
        text = " ".join(render(protocol).split())  # undo the wrapping
        assert protocol.disclaimer is not None
        exercise = protocol.exercises[0]
        for step in exercise.instructions:
            assert step.text in text
        assert describe_dose(exercise.dose) in text
        assert protocol.disclaimer.text in text
        for line in (
            *protocol.disclaimer.stop_rules,
            *protocol.disclaimer.seek_care,
            *(flag.text for flag in protocol.disclaimer.red_flags),
        ):
            assert line in text
        assert "our inference" in text

    @given(protocols())
    def test_lines_fit_a_terminal(self, protocol: Protocol) -> None:
        """No line is wider than 78 characters, save unbreakable words."""
        for line in render(protocol, validate(protocol)).splitlines():
            assert len(line) <= 78 or " " not in line.strip()

    def test_says_when_safety_text_is_missing(self) -> None:
        """A protocol without a disclaimer is shown with a plain warning."""
        protocol = attrs.evolve(catalog.get("thoracic-open-book"), disclaimer=None)
        text = render(protocol, validate(protocol))
        assert "THIS PROTOCOL HAS NO SAFETY TEXT" in text
        assert "FAILS (1 error, 0 warnings)" in text
        assert "disclaimer-missing" in text

    def test_with_report(self) -> None:
        """The validation verdict and each finding are appended."""
        protocol = catalog.get("lower-trunk-rotation")
        text = render(protocol, validate(protocol))
        assert (
            "Checked against the safety limits for adults: passes (0 errors, 1 "
            "warning)." in " ".join(text.split())
        )
        assert "[reps-above-typical]" in text
        assert text.endswith("\n")


class TestSections:
    def test_the_content_is_built_once(self) -> None:
        """Plain text and Markdown are two writings of the same sections."""
        protocol = catalog.get("thoracic-open-book")
        report = validate(protocol)
        content = sections(protocol, report)
        assert [s.part for s in content] == [
            Part.TITLE, Part.PURPOSE, Part.EXERCISE, Part.SCHEDULE, Part.SAFETY,
            Part.SOURCES, Part.REFERENCES, Part.VALIDATION,
        ]  # fmt: skip
        assert render(protocol, report) == plain(content)
        assert to_markdown(protocol, report) == markdown(content)

    def test_markdown_carries_the_safety_text(self) -> None:
        """Every stop rule, piece of advice and red flag is a Markdown list item."""
        protocol = catalog.get("lower-trunk-rotation")
        text = to_markdown(protocol)
        assert protocol.disclaimer is not None
        assert "\n## Safety\n" in text
        for line in (
            *protocol.disclaimer.stop_rules,
            *protocol.disclaimer.seek_care,
            *(flag.text for flag in protocol.disclaimer.red_flags),
        ):
            assert f"\n- {line}\n" in text
        assert "\n1. Keep your knees together" in text

    def test_style_sees_headings_only(self) -> None:
        """The style callback gets each heading line with its part, and nothing else."""
        protocol = catalog.get("thoracic-open-book")
        seen: list[tuple[Part, str]] = []

        def note(part: Part, line: str) -> str:
            seen.append((part, line))
            return line

        assert render(protocol, style=note) == render(protocol)
        assert [part for part, _ in seen] == [
            Part.TITLE, Part.TITLE, Part.EXERCISE, Part.SAFETY, Part.SOURCES,
            Part.REFERENCES,
        ]  # fmt: skip

    def test_safety_section_without_a_disclaimer(self) -> None:
        """A protocol without safety text says so in every writing."""
        section = safety_section(None)
        assert "THIS PROTOCOL HAS NO SAFETY TEXT" in plain([section])
        assert "THIS PROTOCOL HAS NO SAFETY TEXT" in markdown([section])

    def test_validation_summary(self) -> None:
        """One sentence gives the limits, the verdict and the counts."""
        protocol = attrs.evolve(catalog.get("thoracic-open-book"), disclaimer=None)
        assert validation_summary(validate(protocol)) == (
            "Checked against the safety limits for adults: FAILS (1 error, 0 warnings)."
        )
