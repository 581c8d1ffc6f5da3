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
from mobility.strategies import protocols
from mobility.text import describe_dose, describe_frequency, describe_minutes, render


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
        for step in exercise.steps:
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
            "Validation against the limits for adults: passes (0 errors, 1 warning)"
            in text
        )
        assert "[reps-above-typical]" in text
        assert text.endswith("\n")
