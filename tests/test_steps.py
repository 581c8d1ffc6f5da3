"""Step texts that follow the dose: templates, their checks, and every output."""

import csv
import datetime as dt
import io
import json
import re

import attrs
import icalendar
import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from mobility import (
    Derivation,
    Dose,
    Exercise,
    Hold,
    Instruction,
    InvalidModelError,
    Progression,
    Range,
    Schedule,
    Side,
    Step,
    TemplateError,
    catalog,
    to_ical,
    to_json,
    validate,
)
from mobility.formats.text import render, to_markdown
from mobility.model.steps import PLACEHOLDERS, claims, fill, placeholders, to_template
from mobility.research import grid, to_records
from mobility.research.reporting import cert_report, tidier_report
from mobility.research.strategies import doses
from mobility.safety.rules import policy


LUMBAR = catalog.get("lower-trunk-rotation")
THORACIC = catalog.get("thoracic-open-book")
EACH_10_15 = Dose(side=Side.EACH, reps=Range(10, 15), hold=Hold((10, 15)))


class TestFilling:
    @pytest.mark.parametrize(
        ("template", "dose", "expected"),
        [
            ("Hold {hold}.", EACH_10_15, "Hold 10 to 15 seconds."),
            ("Hold {hold}.", Dose(side=Side.EACH, reps=1, hold=1),
             "Hold 1 second."),
            ("Hold {hold}.", Dose(side=Side.EACH, reps=1, hold=2.5),
             "Hold 2.5 seconds."),
            ("Do {reps} {sides}.", EACH_10_15, "Do 10 to 15 repetitions on each side."),
            ("Do {reps} {sides}.", Dose(side=Side.BILATERAL, reps=1),
             "Do 1 repetition."),
            ("Do it {times}.", Dose(side=Side.LEFT, reps=2), "Do it twice."),
            ("Do it {times} {sides}.", Dose(side=Side.RIGHT, reps=3),
             "Do it 3 times on the right side only."),
            ("{sets}, {rest} apart.", Dose(side=Side.EACH, reps=5, sets=3,
                                           rest_seconds=(15, 30)),
             "3 sets, 15 to 30 seconds apart."),
            ("Braces {{stay}}: {{{hold}}}", EACH_10_15,
             "Braces {stay}: {10 to 15 seconds}"),
        ],
    )  # fmt: skip
    def test_placeholders_read_as_words(
        self, template: str, dose: Dose, expected: str
    ) -> None:
        """Each placeholder is filled from the dose as a sentence says it."""
        assert fill(template, dose) == expected

    def test_the_vocabulary(self) -> None:
        """The documented placeholders, and what each needs of the dose."""
        assert list(PLACEHOLDERS) == ["hold", "reps", "times", "sets", "rest", "sides"]
        needs = {name: p.needs for name, p in PLACEHOLDERS.items() if p.needs}
        assert needs == {"hold": "hold", "rest": "rest_seconds"}

    def test_catalogue_reads_as_its_source(self) -> None:
        """The catalogue's steps, filled, read exactly as the source wrote them."""
        assert [str(i) for i in LUMBAR.exercises[0].instructions] == [
            (
                "Keep your knees together and lower them to one side. (Your feet "
                "stay on the floor.)"
            ),
            "Hold there for 10 to 15 seconds.",
            (
                "Tighten your abdominal muscles and bring your legs across to the "
                "other side. Hold there for 10 to 15 seconds as well."
            ),
            "Do 10 to 15 repetitions on each side.",
        ]
        assert THORACIC.exercises[0].instructions[3] == Instruction(
            "Do this 3 times, then lie on your other side and do it 3 times there."
        )

    def test_catalogue_steps_state_no_figure(self) -> None:
        """No catalogue step writes a number of its own: all come from the dose."""
        for protocol_id in catalog.ids():
            for exercise in catalog.get(protocol_id).exercises:
                for step in exercise.steps:
                    assert not re.search(r"\d", step.text + (step.cue or ""))


class TestTemplateErrors:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("Hold {hld}.", "unknown placeholder {hld}; the placeholders are {hold}"),
            ("Hold {}.", "unknown placeholder {}"),
            ("Hold {hold:>4}.", "the placeholder {hold:>4} takes no format"),
            ("Hold {hold!r}.", "the placeholder {hold!r} takes no format"),
            ("Hold { for 10 s.", "write {{ or }} for a brace itself"),
            ("Hold } for 10 s.", "write {{ or }} for a brace itself"),
            ("{sides}", "a step must say something besides {sides}"),
            (" {sides} ", "a step must say something besides {sides}"),
        ],
    )
    def test_a_bad_template_is_refused(self, text: str, message: str) -> None:
        """A step text that is not a template fails at once, naming the field."""
        with pytest.raises(InvalidModelError, match=re.escape(message)) as info:
            Step(text)
        assert info.value.field == "text"
        with pytest.raises(InvalidModelError, match=re.escape(message)) as info:
            Step("Fine.", cue=text)
        assert info.value.field == "cue"

    def test_template_error_is_a_mobility_error(self) -> None:
        """Filling by hand raises TemplateError, a ValueError too."""
        with pytest.raises(TemplateError):
            fill("{hold}", Dose(side=Side.EACH, reps=3))
        with pytest.raises(ValueError, match="brace"):
            placeholders("{")

    @pytest.mark.parametrize(
        ("text", "needs"),
        [("Hold {hold}.", "a hold"), ("Rest {rest}.", "a rest between sets")],
    )
    def test_a_placeholder_the_dose_cannot_fill(self, text: str, needs: str) -> None:
        """An exercise refuses a step that asks for what its dose lacks."""
        steps = (Step("Lie down."), Step("Then breathe.", cue=text))
        with pytest.raises(
            InvalidModelError, match=f"needs a dose with {needs}"
        ) as info:
            attrs.evolve(
                THORACIC.exercises[0], steps=steps, dose=Dose(side=Side.EACH, reps=3)
            )
        assert (info.value.field, info.value.index) == ("steps", 1)


class TestClaims:
    @pytest.mark.parametrize(
        ("template", "found"),
        [
            ("Hold 10 to 15 seconds.", [("seconds", 10, 15)]),
            ("Hold 10-15 s, then rest 2 minutes.", [("seconds", 10, 15),
                                                     ("seconds", 120, 120)]),
            ("Do three sets of ten reps.", [("sets", 3, 3), ("reps", 10, 10)]),
            ("A 30-second hold.", [("seconds", 30, 30)]),
            ("Do this 3 times a day, twice a week.", []),
            ("Hold {hold}; 5 steps back; 90 degrees.", []),
            ("Lie on mat 2; {{10 s}}", [("seconds", 10, 10)]),
        ],
    )  # fmt: skip
    def test_amounts_in_literal_text(
        self, template: str, found: list[tuple[str, float, float]]
    ) -> None:
        """Amounts with a unit are read; placeholders and how-often are not."""
        assert [(c.kind, c.low, c.high) for c in claims(template)] == found


def with_step(text: str, **changes: object) -> object:
    """The thoracic protocol with one more step, and other changes if given."""
    exercise = THORACIC.exercises[0]
    changed = attrs.evolve(exercise, steps=(*exercise.steps, Step(text)))
    return attrs.evolve(THORACIC, exercises=[changed], **changes)


class TestValidatorFlagsContradictions:
    def test_a_step_that_contradicts_its_dose_fails(self) -> None:
        """A step saying 10 to 15 seconds beside a 30 s hold is an error."""
        report = validate(with_step("Hold it 10 to 15 seconds."))  # type: ignore[arg-type]
        (finding,) = report.errors
        assert finding.code == "step-contradicts-dose"
        assert finding.path == "$.exercises[0].steps[4].text"
        assert finding.message == (
            'step 5 says "10 to 15 seconds", but the dose gives a hold of 30 '
            "seconds; write {hold} so the step follows the dose"
        )
        assert finding.source == policy("step-contradicts-dose").source

    @pytest.mark.parametrize(
        "text",
        ["Hold it 30 seconds.", "Do it 3 times.", "That is 6 repetitions in all.",
         "One set.", "Half a minute: 0.5 minutes."],
    )  # fmt: skip
    def test_a_step_that_agrees_passes(self, text: str) -> None:
        """Figures that are the dose's own are fine, in any spelling."""
        assert validate(with_step(text)).ok  # type: ignore[arg-type]

    def test_a_figure_the_progression_outgrows(self) -> None:
        """A literal hold is wrong once the progression has grown the hold."""
        protocol = with_step(
            "Hold it 30 seconds.",
            program_weeks=4,
            progression=Progression(every_days=7, hold_step_seconds=5),
        )
        codes = [f.code for f in validate(protocol).errors]  # type: ignore[arg-type]
        assert codes == ["step-contradicts-dose"]
        (finding,) = validate(protocol).errors  # type: ignore[arg-type]
        assert "the progression changes the dose week by week" in finding.message

    def test_open_ended_growth_flags_only_what_grows(self) -> None:
        """Without a ceiling, a literal repetition count is flagged; sets are not."""
        protocol = with_step(
            "Do it 3 times, as 1 set.",
            progression=Progression(every_days=7, reps_step=1),
        )
        report = validate(protocol)  # type: ignore[arg-type]
        flagged = [
            f.message for f in report.errors if f.code == "step-contradicts-dose"
        ]
        assert len(flagged) == 1
        assert flagged[0].startswith('step 5 says "3 times", but the progression')

    def test_a_placeholder_grows_with_the_dose(self) -> None:
        """The same step written with {hold} follows the progression."""
        protocol = with_step(
            "Hold it {hold}.",
            program_weeks=4,
            progression=Progression(every_days=7, hold_step_seconds=5),
        )
        assert validate(protocol).ok  # type: ignore[arg-type]

    def test_the_cue_is_checked_too(self) -> None:
        """A cue that states another figure is reported at the cue's path."""
        exercise = THORACIC.exercises[0]
        steps = (*exercise.steps[:1], Step("Hold.", cue="For 45 s."))
        protocol = attrs.evolve(
            THORACIC, exercises=[attrs.evolve(exercise, steps=steps)]
        )
        (finding,) = validate(protocol).errors
        assert finding.path == "$.exercises[0].steps[1].cue"


# ---------------------------------------------------------------------------------
# Every output of every variant says the variant's own figures

# Holds and repetitions chosen so that no product or sum of them spells one of the
# seeds' figures (10-15 s, 10-15 repetitions, 30 s, 3 times): what the seed's
# figures would look like can only come from the seed's own text.
HOLDS = st.sampled_from([11, 13, 17, 19, 23, (11, 13), (17, 23)])
REPS = st.sampled_from([2, 4, 5, 7, (4, 5)])


def seed_phrases(dose: Dose) -> list[str]:
    """How the seed's hold and repetitions read, in every spelling we write."""
    assert dose.hold is not None
    phrases = []
    for value, units in (
        (dose.hold.seconds, ["s", "seconds", "second"]),
        (dose.reps, ["times", "repetitions", "reps"]),
    ):
        spelled = (
            [str(value.low)]
            if value.is_exact
            else [f"{value.low}-{value.high}", f"{value.low} to {value.high}"]
        )
        phrases += [f"{number} {unit}" for number in spelled for unit in units]
    return phrases


def outputs(variant_protocol: object, ok: bool) -> dict[str, str]:
    """Every form a variant is exported in, as text."""
    protocol = variant_protocol
    report = validate(protocol)  # type: ignore[arg-type]
    found = {
        "json": to_json(protocol),  # type: ignore[arg-type]
        "text": render(protocol, report),  # type: ignore[arg-type]
        "markdown": to_markdown(protocol, report),  # type: ignore[arg-type]
        "cert": cert_report(protocol),  # type: ignore[arg-type]
        "tidier": tidier_report(protocol),  # type: ignore[arg-type]
    }
    if ok:
        schedule = Schedule(
            protocol,  # type: ignore[arg-type]
            dt.date(2026, 3, 2),
            at=dt.time(8),
            tz="UTC",
            weeks=1,
        )
        calendar = icalendar.Calendar.from_ical(to_ical(schedule))
        found["ical"] = "\n".join(
            str(event["DESCRIPTION"]) for event in calendar.walk("VEVENT")
        )
    return found


class TestVariantsSayTheirOwnFigures:
    @settings(max_examples=40, deadline=None)
    @given(
        seed=st.sampled_from([LUMBAR, THORACIC]),
        holds=st.lists(HOLDS, min_size=1, max_size=2, unique=True),
        reps=st.lists(REPS, min_size=1, max_size=2, unique=True),
        sides=st.lists(st.sampled_from(Side), min_size=1, max_size=2, unique=True),
    )
    def test_no_output_keeps_the_seeds_figures(
        self, seed: object, holds: list[object], reps: list[object], sides: list[Side]
    ) -> None:
        """JSON, text, Markdown, iCal, CERT, TIDieR and CSV say only the variant's."""
        result = grid(seed, {"hold": holds, "reps": reps, "side": sides})  # type: ignore[arg-type]
        stale = seed_phrases(seed.exercises[0].dose)  # type: ignore[attr-defined]
        pattern = re.compile(
            r"(?<![\d.\-])(?:" + "|".join(map(re.escape, stale)) + r")(?![\w])"
        )
        table = io.StringIO()
        rows = to_records(result.variants)
        writer = csv.DictWriter(table, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        assert not pattern.search(table.getvalue())
        for variant in result.variants:
            dose = variant.protocol.exercises[0].dose
            assert dose.hold is not None
            for name, written in outputs(variant.protocol, variant.ok).items():
                text = " ".join(written.split())
                assert not pattern.search(text), (name, pattern.search(text))
            shown = " ".join(i.text for i in variant.protocol.exercises[0].instructions)
            assert fill("{hold}", dose) in shown

    def test_the_issue_case(self) -> None:
        """Hold 30 s and 10 reps: the steps say so, and the dose credits the variant."""
        (variant,) = grid(LUMBAR, {"hold": [30], "reps": [10]}).variants
        exercise = variant.protocol.exercises[0]
        assert [i.text for i in exercise.instructions][1:] == [
            "Hold there for 30 seconds.",
            (
                "Tighten your abdominal muscles and bring your legs across to the "
                "other side. Hold there for 30 seconds as well."
            ),
            "Do 10 repetitions on each side.",
        ]
        source = exercise.dose.source
        assert source is not None
        assert source.citation == "Adapted from the protocol lower-trunk-rotation"
        assert source.note is not None
        assert source.note.startswith("hold, reps set for this variant; the rest as in")
        assert "10-15" not in str(source)


class TestProvenance:
    def test_a_variant_records_its_base_and_changes(self) -> None:
        """derived_from names the base and each field the variant set."""
        (variant,) = grid(
            THORACIC, {"hold": [20], "days_per_week": [5], "program_weeks": [6]}
        ).variants
        assert variant.protocol.derived_from == Derivation(
            base="thoracic-open-book",
            changed=(
                "$.program_weeks",
                "$.exercises[0].dose.hold",
                "$.frequency.days_per_week",
            ),
        )
        frequency_source = variant.protocol.frequency.source
        assert frequency_source is not None
        assert frequency_source.note == (
            "days_per_week set for this variant; the rest as in "
            f"{THORACIC.frequency.source.citation}"  # type: ignore[union-attr]
        )

    def test_only_the_changed_exercise_is_credited_anew(self) -> None:
        """With exercise=, the other exercises keep their own sources."""
        second = attrs.evolve(THORACIC.exercises[0], id="second")
        base = attrs.evolve(THORACIC, exercises=[THORACIC.exercises[0], second])
        (variant,) = grid(base, {"reps": [2]}, exercise="second").variants
        first, changed = variant.protocol.exercises
        assert first.dose.source == THORACIC.exercises[0].dose.source
        assert changed.dose.source != first.dose.source
        assert variant.protocol.derived_from is not None
        assert variant.protocol.derived_from.changed == ("$.exercises[1].dose.reps",)

    def test_reports_say_adapted_from(self) -> None:
        """CERT and TIDieR name the base protocol and what changed."""
        (variant,) = grid(LUMBAR, {"hold": [20]}).variants
        adapted = (  # Markdown: the path's brackets are escaped, and show as is
            "adapted from the protocol `lower-trunk-rotation`; changed: "
            "exercises\\[0\\].dose.hold"
        )
        for report in (cert_report(variant.protocol), tidier_report(variant.protocol)):
            assert adapted in report
        assert "Adapted from the protocol lower-trunk-rotation" in render(
            variant.protocol
        )

    def test_derivation_round_trips(self) -> None:
        """A variant's JSON keeps its derivation."""
        (variant,) = grid(LUMBAR, {"reps": [8]}).variants
        document = json.loads(to_json(variant.protocol))
        assert document["derived_from"] == {
            "base": "lower-trunk-rotation",
            "changed": ["$.exercises[0].dose.reps"],
        }

    def test_originals_have_none(self) -> None:
        """The catalogue's protocols are originals."""
        assert LUMBAR.derived_from is None
        assert to_json(LUMBAR).count('"derived_from":null') == 1


class TestToTemplate:
    @given(dose=doses, text=st.text(alphabet="{} 0123456789to-seconds", max_size=40))
    def test_fills_back_to_the_same_text(self, dose: Dose, text: str) -> None:
        """Text made of braces, digits and units reads the same after templating."""
        assert fill(to_template(text, dose), dose) == text

    def test_an_ambiguous_amount_stays_literal(self) -> None:
        """A hold and a rest of the same length: neither placeholder is guessed."""
        dose = Dose(side=Side.EACH, reps=3, sets=2, hold=30, rest_seconds=30)
        assert to_template("Hold 30 seconds.", dose) == "Hold 30 seconds."

    def test_exercise_level(self) -> None:
        """An Exercise built from migrated text follows a later change of dose."""
        dose = Dose(side=Side.EACH, reps=3, hold=30)
        exercise = Exercise(
            id="x",
            name="X",
            position="Lying.",
            steps=[Step(to_template("Hold 30 seconds, 3 times on each side.", dose))],
            dose=dose,
        )
        longer = attrs.evolve(exercise, dose=attrs.evolve(dose, hold=Hold(20)))
        assert longer.instructions[0].text == "Hold 20 seconds, 3 times on each side."
