import re
import subprocess
import sys

import pytest

from mobility import (
    Hold,
    Intensity,
    MobilityError,
    Range,
    Region,
    Side,
    UnknownProtocolError,
    Urgency,
    catalog,
    validate,
)


LUMBAR = catalog.get("lower-trunk-rotation")
THORACIC = catalog.get("thoracic-open-book")


class TestLookup:
    def test_ids_are_sorted(self) -> None:
        """ids() lists every protocol, sorted."""
        assert catalog.ids() == ("lower-trunk-rotation", "thoracic-open-book")
        assert [p.id for p in catalog.protocols()] == list(catalog.ids())

    def test_get(self) -> None:
        """get() returns the protocol with that id."""
        for protocol_id in catalog.ids():
            assert catalog.get(protocol_id).id == protocol_id

    def test_unknown_id(self) -> None:
        """An unknown id is a library error and a KeyError, with suggestions."""
        with pytest.raises(UnknownProtocolError) as info:
            catalog.get("lower-trunk")
        error = info.value
        assert isinstance(error, KeyError)
        assert isinstance(error, MobilityError)
        assert error.protocol_id == "lower-trunk"
        assert error.suggestions == ("lower-trunk-rotation",)
        assert str(error) == (
            "no protocol with id 'lower-trunk' in the catalogue; "
            "did you mean 'lower-trunk-rotation'?"
        )

    def test_unknown_id_without_suggestions(self) -> None:
        """When nothing is close, the message says only what is missing."""
        with pytest.raises(KeyError) as info:
            catalog.get("zzz")
        assert str(info.value) == "no protocol with id 'zzz' in the catalogue"

    def test_not_a_string(self) -> None:
        """A non-string id is simply unknown, not a crash."""
        with pytest.raises(UnknownProtocolError):
            catalog.get(["lower-trunk-rotation"])  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("region", "expected"),
        [
            ("lumbar", ("lower-trunk-rotation",)),
            (Region.THORACIC, ("thoracic-open-book",)),
            ("cervical", ()),
            (None, ("lower-trunk-rotation", "thoracic-open-book")),
        ],
    )
    def test_find_by_region(
        self, region: str | Region | None, expected: tuple[str, ...]
    ) -> None:
        """find(region=...) accepts a Region or its value."""
        assert tuple(p.id for p in catalog.find(region=region)) == expected

    def test_find_unknown_region(self) -> None:
        """An unknown region is an error that lists the known ones."""
        with pytest.raises(MobilityError, match="unknown region 'neck'; expected one"):
            catalog.find(region="neck")
        with pytest.raises(ValueError, match="'lumbar'"):
            catalog.find(region="neck")


class TestSafety:
    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_passes_the_default_validator(self, protocol_id: str) -> None:
        """Every catalogue entry has no errors under the adult limits."""
        report = validate(catalog.get(protocol_id))
        assert report.errors == ()

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_every_figure_has_a_source(self, protocol_id: str) -> None:
        """Each number's object cites a source, down to every red flag."""
        protocol = catalog.get(protocol_id)
        assert protocol.sources
        assert protocol.frequency.source is not None
        assert protocol.review is not None
        assert protocol.review.source is not None
        for exercise in protocol.exercises:
            assert exercise.source is not None
            assert exercise.dose.source is not None
        assert protocol.disclaimer is not None
        assert protocol.disclaimer.source is not None
        assert all(flag.source is not None for flag in protocol.disclaimer.red_flags)

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_what_the_source_does_not_give_is_marked(self, protocol_id: str) -> None:
        """Frequency and review are our inference; the dose is the source's."""
        protocol = catalog.get(protocol_id)
        assert protocol.frequency.source is not None
        assert protocol.frequency.source.inferred
        assert protocol.review is not None
        assert protocol.review.source is not None
        assert protocol.review.source.inferred
        assert protocol.exercises[0].dose.source is not None
        assert not protocol.exercises[0].dose.source.inferred

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_sets_and_intensity_are_marked_as_ours(self, protocol_id: str) -> None:
        """The seed gives no sets or intensity; the dose marks them as ours."""
        dose = catalog.get(protocol_id).exercises[0].dose
        assert dose.source is not None
        assert dose.source.note is not None
        for word in ("set", "intensity", "tightness"):
            assert word not in dose.source.note
        (assumption,) = dose.assumptions
        assert assumption.inferred
        assert assumption.note is not None
        assert "sets" in assumption.note
        assert "tightness" in assumption.note

    def test_upper_back_red_flags_are_marked_as_ours(self) -> None:
        """NG59 is a low-back guideline: applying it to the upper back is ours."""
        assert LUMBAR.disclaimer is not None
        assert THORACIC.disclaimer is not None
        for flag in LUMBAR.disclaimer.red_flags:
            assert flag.source is not None
            assert not flag.source.inferred
        for flag in THORACIC.disclaimer.red_flags:
            assert flag.source is not None
            assert flag.source.inferred
            assert flag.source.note is not None
            assert "upper back" in flag.source.note
        cited = [source for source in THORACIC.sources if "NG59" in source.citation]
        assert cited
        assert all(source.inferred for source in cited)

    def test_red_flags(self) -> None:
        """Both back protocols list the NICE NG59 / NHS red flags."""
        for protocol in (LUMBAR, THORACIC):
            assert protocol.disclaimer is not None
            flags = protocol.disclaimer.red_flags
            emergency = [f.text for f in flags if f.urgency is Urgency.EMERGENCY]
            urgent = [f.text for f in flags if f.urgency is Urgency.URGENT]
            assert len(emergency) == 6
            assert len(urgent) == 7
            assert any("genitals, buttocks or inner thighs" in t for t in emergency)
            assert any("bladder or bowels" in t for t in emergency)
            assert any("both legs" in t for t in emergency)
            assert "Chest pain" in emergency
            assert any("38 °C" in t for t in urgent)
            assert any("between your shoulder blades" in t for t in urgent)
            assert any("worse at night" in t for t in urgent)
            assert any("osteoporosis" in t and "steroids" in t for t in urgent)


class TestLumbarFidelity:
    """The lower trunk rotation protocol against the source, fact by fact."""

    def test_identity(self) -> None:
        """It is a lumbar protocol with one exercise."""
        assert LUMBAR.region is Region.LUMBAR
        assert LUMBAR.name == "Lower trunk rotation"
        assert len(LUMBAR.exercises) == 1

    def test_purpose_and_rationale(self) -> None:
        """More flexibility in the lumbar spine and hips; joints or tight muscles."""
        assert "lumbar spine" in LUMBAR.purpose
        assert "hips" in LUMBAR.purpose
        assert "rotate" in LUMBAR.purpose
        assert LUMBAR.rationale is not None
        assert "full range of motion" in LUMBAR.rationale
        assert "muscles are tight" in LUMBAR.rationale

    def test_start_position(self) -> None:
        """Lying on the back, knees bent, feet flat on the floor."""
        position = LUMBAR.exercises[0].position
        assert "on your back" in position
        assert "knees bent" in position
        assert "feet flat on the floor" in position

    def test_steps_in_order(self) -> None:
        """Lower the knees together, hold, cross with abdominals tight, repeat."""
        steps = LUMBAR.exercises[0].steps
        assert len(steps) == 4
        assert "knees together" in steps[0].text
        assert "to one side" in steps[0].text
        assert steps[0].cue == "Your feet stay on the floor."
        assert "Hold" in steps[1].text
        assert "abdominal muscles" in steps[2].text
        assert "other side" in steps[2].text
        assert "Hold" in steps[2].text
        assert steps[3].text == "Do {reps} {sides}."
        shown = LUMBAR.exercises[0].instructions
        assert shown[3].text == "Do 10 to 15 repetitions on each side."

    def test_dose(self) -> None:
        """Hold 10-15 s, 10-15 reps, one set, on each side (not in total)."""
        dose = LUMBAR.exercises[0].dose
        assert dose.side is Side.EACH
        assert dose.hold == Hold(Range(10, 15))
        assert dose.reps == Range(10, 15)
        assert dose.sets == Range(1)
        assert dose.intensity is Intensity.TIGHTNESS
        assert dose.reps_per_side == Range(10, 15)
        assert dose.total_reps == Range(20, 30)
        assert dose.stretch_seconds_per_side == Range(100, 225)

    def test_steps_say_the_dose(self) -> None:
        """Every '10 to 15' in the steps as shown matches the structured dose."""
        dose = LUMBAR.exercises[0].dose
        assert dose.hold is not None
        text = " ".join(step.text for step in LUMBAR.exercises[0].instructions)
        seconds = re.findall(r"(\d+) to (\d+) seconds", text)
        assert seconds == [("10", "15"), ("10", "15")]
        assert all(Range(int(a), int(b)) == dose.hold.seconds for a, b in seconds)
        reps = re.findall(r"(\d+) to (\d+) repetitions", text)
        assert [Range(int(a), int(b)) for a, b in reps] == [dose.reps]

    def test_escalation_and_safety_text(self) -> None:
        """The source's escalation advice and safety text travel with it."""
        disclaimer = LUMBAR.disclaimer
        assert disclaimer is not None
        assert "may not suit every kind of pain" in disclaimer.text
        assert "physical therapist can assess" in disclaimer.text
        (stop,) = disclaimer.stop_rules
        assert "Stop at once" in stop
        assert "pain increases" in stop
        assert "contact your physical therapist" in stop
        advice = " ".join(disclaimer.seek_care)
        assert "keeps increasing or stays the same" in advice
        assert "primary-care physician, who can refer you" in advice
        assert "gets worse or does not change" in advice
        assert "back or neck" in advice
        assert LUMBAR.review is not None
        assert "physical therapist" in LUMBAR.review.action


class TestThoracicFidelity:
    def test_dose(self) -> None:
        """3 times on each side, each stretch held 30 s."""
        dose = THORACIC.exercises[0].dose
        assert THORACIC.region is Region.THORACIC
        assert dose.side is Side.EACH
        assert dose.reps == Range(3)
        assert dose.hold == Hold(30)
        assert dose.stretch_seconds_per_side == Range(90)

    def test_steps_say_the_dose(self) -> None:
        """The steps as shown say 30 seconds and 3 times, as the dose does."""
        text = " ".join(step.text for step in THORACIC.exercises[0].instructions)
        assert "30 seconds" in text
        assert "3 times" in text

    def test_exercise_choice_is_ours(self) -> None:
        """The source names no exercise: the open book is marked as our choice."""
        source = THORACIC.exercises[0].source
        assert source is not None
        assert source.inferred
        assert source.note is not None
        assert "catalogue's decision" in source.note


class TestImportCost:
    def test_catalog_loads_no_export_or_validation_code(self) -> None:
        """Importing the catalogue loads neither cattrs nor calendar nor checks."""
        code = "import sys, mobility.catalog; print('\\n'.join(sorted(sys.modules)))"
        out = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout.split()
        heavy = {
            "cattrs",
            "icalendar",
            "importlib.metadata",
            "mobility.limits",
            "mobility.validator",
        }
        assert heavy.isdisjoint(out)
        assert "mobility.catalog" in out
