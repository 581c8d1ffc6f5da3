"""The session timeline: what a coach walks through, and that it adds up."""

from __future__ import annotations

import json
import math

from collections import Counter

import attrs
import jsonschema
import pytest

from hypothesis import given
from hypothesis import strategies as st

from mobility import (
    Dose,
    FormatError,
    Hold,
    InvalidModelError,
    Protocol,
    Range,
    Side,
    catalog,
    from_json,
    json_schema,
    to_dict,
    to_json,
)
from mobility.formats._converter import MAX_ITEMS
from mobility.formats.schema import shipped
from mobility.model import MOVE_SECONDS
from mobility.model.timeline import (
    MAX_EVENTS,
    DoseEnd,
    Event,
    Moment,
    Timeline,
    WorkingSide,
    timeline,
)
from mobility.research.strategies import doses, protocols, safe_protocols


LTR = catalog.get("lower-trunk-rotation")
OPEN_BOOK = catalog.get("thoracic-open-book")
ANY_DOSE = catalog.get("nhs-lower-back-pain-exercises")
SCHEMA = jsonschema.Draft202012Validator(json_schema(Timeline))


def one_exercise(dose: Dose, protocol: Protocol = OPEN_BOOK) -> Protocol:
    """``protocol`` with its first exercise alone, given ``dose``."""
    exercise = attrs.evolve(protocol.exercises[0], dose=dose)
    return attrs.evolve(protocol, exercises=(exercise,))


def moving(events: tuple[Event, ...]) -> list[Event]:
    """The events that move or hold, without getting into position or resting."""
    return [e for e in events if e.moment not in (Moment.POSITION, Moment.REST)]


class TestItAddsUp:
    @pytest.mark.parametrize("protocol", catalog.protocols(), ids=catalog.ids())
    @pytest.mark.parametrize("end", list(DoseEnd))
    def test_every_catalogue_session_sums_to_its_stated_length(
        self, protocol: Protocol, end: DoseEnd
    ) -> None:
        """Each end of the estimate is the sum of the timeline laid out at it."""
        session = timeline(protocol, end)
        stated = protocol.estimated_session_seconds
        assert session.seconds == (stated.low if end is DoseEnd.LOW else stated.high)
        assert session.events[-1].end == session.seconds

    @given(safe_protocols(), st.sampled_from(DoseEnd))
    def test_any_safe_protocol_sums_to_its_stated_length(
        self, protocol: Protocol, end: DoseEnd
    ) -> None:
        """For generated protocols too: sides, turns, sets, rests, positions."""
        session = timeline(protocol, end)
        stated = protocol.estimated_session_seconds
        want = stated.low if end is DoseEnd.LOW else stated.high
        assert math.isclose(session.seconds, want, rel_tol=1e-9)
        assert len(session.events) <= MAX_EVENTS

    @given(protocols(), st.sampled_from(DoseEnd))
    def test_any_protocol_sums_or_is_refused_as_too_long(
        self, protocol: Protocol, end: DoseEnd
    ) -> None:
        """A well-formed protocol, however unsafe, is laid out or refused whole."""
        try:
            session = timeline(protocol, end)
        except ValueError as error:
            refused = str(error)
        else:
            refused = ""
        if refused:
            assert protocol.disclaimer is None or "too long" in refused
            return
        stated = protocol.estimated_session_seconds
        want = stated.low if end is DoseEnd.LOW else stated.high
        assert math.isclose(session.seconds, want, rel_tol=1e-9, abs_tol=1e-9)

    @given(doses, st.sampled_from(DoseEnd))
    def test_each_event_starts_where_the_last_ended(
        self, dose: Dose, end: DoseEnd
    ) -> None:
        """No gap and no overlap; holds as long as the dose, moves as the estimate."""
        dose = attrs.evolve(dose, reps=Range(min(dose.reps.low, 5)))
        # Bottom to heels names no amount but the count, so any dose fills it.
        session = timeline(one_exercise(dose, ANY_DOSE), end)
        clock = 0.0
        hold = None if dose.hold is None else dose.hold.seconds
        for event in session.events:
            assert math.isclose(event.start, clock, abs_tol=1e-6)
            clock = event.end
            if event.moment is Moment.HOLD:
                assert hold is not None
                assert event.seconds == (hold.low if end is DoseEnd.LOW else hold.high)
            if event.moment in (Moment.MOVE, Moment.SWITCH):
                assert event.seconds == MOVE_SECONDS


class TestTheOrder:
    def test_sides_that_take_turns_alternate_every_repetition(self) -> None:
        """Lower trunk rotation: one side, then the other, ten times at the low end."""
        assert LTR.exercises[0].dose.in_turn
        holds = [e for e in timeline(LTR).events if e.moment is Moment.HOLD]
        assert [e.side for e in holds] == [WorkingSide.FIRST, WorkingSide.SECOND] * 10
        assert [e.repetition for e in holds[:4]] == [1, 1, 2, 2]

    def test_a_dose_for_each_side_otherwise_does_one_side_first(self) -> None:
        """The open book: three on the first side, one switch, three on the other."""
        events = moving(timeline(OPEN_BOOK).events)
        sides = [e.side for e in events if e.moment is Moment.HOLD]
        assert sides == [WorkingSide.FIRST] * 3 + [WorkingSide.SECOND] * 3
        switches = [e for e in events if e.moment is Moment.SWITCH]
        assert len(switches) == 1
        assert switches[0].text.startswith(
            "Bring your arm back over to rest on the other hand. "
            "Change to the other side. Lift your top arm"
        )

    def test_alternating_repetitions_count_both_sides(self) -> None:
        """NHS knee rolls, 8 alternating: 4 to each side, every one a switch."""
        protocol = catalog.get("nhs-lower-back-pain-exercises")
        events = [e for e in timeline(protocol).events if e.exercise == "knee-rolls"]
        moves = moving(tuple(events))
        assert Counter(e.side for e in moves) == {
            WorkingSide.FIRST: 4,
            WorkingSide.SECOND: 4,
        }
        assert [e.moment for e in moves[1:]] == [Moment.SWITCH] * 7

    def test_rest_between_sets_on_each_side_or_once_in_turn(self) -> None:
        """Three sets with a 30 s rest: two rests a side, or two in all in turn."""
        dose = Dose(side=Side.EACH, reps=2, sets=3, hold=Hold(10), rest_seconds=30)
        for in_turn, rests in ((False, 4), (True, 2)):
            turned = attrs.evolve(dose, in_turn=in_turn)
            session = timeline(one_exercise(turned))
            rested = [e for e in session.events if e.moment is Moment.REST]
            assert len(rested) == rests
            assert {e.seconds for e in rested} == {30}
            assert rested[0].text == "Rest for 30 seconds."
            assert session.seconds == turned.estimated_seconds.low

    def test_each_exercise_starts_by_getting_into_position(self) -> None:
        """Untimed, in the exercise's own words, once for each exercise."""
        protocol = catalog.get("csp-back-pain-exercises")
        positions = [
            e for e in timeline(protocol).events if e.moment is Moment.POSITION
        ]
        assert [e.exercise for e in positions] == [e.id for e in protocol.exercises]
        assert [e.text for e in positions] == [e.position for e in protocol.exercises]
        assert {e.seconds for e in positions} == {0}

    def test_a_dose_for_one_side_names_it(self) -> None:
        """A dose for the left side only is worked on the left, and never switches."""
        dose = Dose(side=Side.LEFT, reps=3, hold=Hold(5))
        events = moving(timeline(one_exercise(dose)).events)
        assert {e.side for e in events} == {WorkingSide.LEFT}
        assert Moment.SWITCH not in {e.moment for e in events}


class TestTheWords:
    def test_the_hold_says_the_seconds_it_lasts(self) -> None:
        """A 10-15 s hold reads 10 seconds at the low end and 15 at the high."""
        for end, words in ((DoseEnd.LOW, "10 seconds"), (DoseEnd.HIGH, "15 seconds")):
            holds = [e for e in timeline(LTR, end).events if e.moment is Moment.HOLD]
            assert holds[0].text == f"Hold there for {words}."
            assert holds[0].seconds == int(words.split()[0])

    def test_a_second_side_takes_the_steps_written_for_it(self) -> None:
        """Lower trunk rotation's third step is the other side's move and hold."""
        events = moving(timeline(LTR).events)
        assert events[0].text == (
            "Keep your knees together and lower them to one side."
        )
        assert events[0].cue == "Your feet stay on the floor."
        assert events[2].side is WorkingSide.SECOND
        assert events[2].text.startswith("Tighten your abdominal muscles")
        assert events[3].text.endswith("Hold there for 10 seconds as well.")

    def test_the_way_to_the_other_side_is_the_steps_that_say_it(self) -> None:
        """Seated twist: the move to the second side is "Do the same to the right"."""
        protocol = catalog.get("seated-upper-back-routine")
        events = moving(timeline(protocol).events)
        assert events[0].text.endswith(
            "turn your upper body to the left as far as is comfortable."
        )
        assert events[2].text == "Do the same to the right."

    def test_two_positions_each_get_their_own_steps(self) -> None:
        """Cat-cow rounds, holds, sags and holds, in that order."""
        events = moving(timeline(catalog.get("cat-cow")).events)
        assert [e.moment for e in events[:4]] == [Moment.MOVE, Moment.HOLD] * 2
        assert events[0].text.startswith("Round your back up")
        assert events[2].text.startswith("Let your back sag")

    def test_no_step_counts_the_dose_as_a_moment(self) -> None:
        """A step such as "Do this 3 times" says how often: it is no event."""
        for protocol in catalog.protocols():
            for event in timeline(protocol).events:
                assert not event.text.startswith("Do this"), event


class TestRefusals:
    def test_an_end_that_is_neither(self) -> None:
        """Only the two ends of a range are laid out."""
        with pytest.raises(ValueError, match="end must be 'low' or 'high', got 'mid'"):
            timeline(LTR, "mid")

    def test_a_protocol_without_its_safety_text(self) -> None:
        """A timeline carries the stop rules, so it needs them."""
        with pytest.raises(ValueError, match="has no disclaimer"):
            timeline(attrs.evolve(LTR, disclaimer=None))

    def test_a_session_too_long_to_lay_out(self) -> None:
        """A thousand repetitions a side is refused whole, before any is laid out."""
        dose = Dose(side=Side.EACH, reps=1000, hold=Hold(5))
        with pytest.raises(ValueError, match="4,001 events is too long"):
            timeline(one_exercise(dose))

    def test_every_timeline_fits_in_a_document(self) -> None:
        """A timeline never holds more events than a JSON list may."""
        assert MAX_EVENTS == MAX_ITEMS

    def test_only_a_dose_for_each_side_takes_turns(self) -> None:
        """Alternating already takes turns; other sides have none to take."""
        for side in (Side.BILATERAL, Side.ALTERNATING, Side.LEFT):
            with pytest.raises(InvalidModelError, match=r"Dose\.in_turn: only a dose"):
                Dose(side=side, reps=3, in_turn=True)

    def test_in_turn_rests_once(self) -> None:
        """Sides that take turns rest together between sets."""
        dose = Dose(side=Side.EACH, reps=2, sets=3, hold=Hold(10), rest_seconds=30)
        assert dose.estimated_seconds == Range(2 * 3 * 2 * 15 + 2 * 2 * 30)
        turned = attrs.evolve(dose, in_turn=True)
        assert turned.estimated_seconds == Range(2 * 3 * 2 * 15 + 2 * 30)


class TestAsData:
    @pytest.mark.parametrize("protocol", catalog.protocols(), ids=catalog.ids())
    def test_json_round_trip_and_schema(self, protocol: Protocol) -> None:
        """Each catalogue timeline is valid to the schema and reads back equal."""
        session = timeline(protocol, DoseEnd.HIGH)
        text = to_json(session)
        assert from_json(text, Timeline) == session
        SCHEMA.validate(json.loads(text))
        assert json.loads(text)["kind"] == "timeline"

    @given(safe_protocols(), st.sampled_from(DoseEnd))
    def test_any_timeline_round_trips(self, protocol: Protocol, end: DoseEnd) -> None:
        """Generated timelines are valid to the schema and read back equal."""
        session = timeline(protocol, end)
        document = to_dict(session)
        SCHEMA.validate(document)
        assert from_json(to_json(session), Timeline) == session

    def test_it_carries_the_safety_text(self) -> None:
        """The stop rules travel with the timeline, as with every export."""
        document = to_dict(timeline(LTR))
        assert document["disclaimer"]["stop_rules"] == list(LTR.disclaimer.stop_rules)

    def test_the_shipped_schema_is_the_generated_one(self) -> None:
        """The file in the package is the generated schema (run `make schemas`)."""
        assert shipped(Timeline) == json_schema(Timeline)

    def test_an_event_out_of_step_is_refused_where_it_is(self) -> None:
        """A start that does not follow the event before it names the event."""
        document = to_dict(timeline(OPEN_BOOK))
        document["events"][3]["start"] = 99
        with pytest.raises(FormatError, match=r"\$\.events\[3\]|events.*item 3"):
            from_json(json.dumps(document), Timeline)

    def test_negative_seconds_are_refused(self) -> None:
        """No event lasts less than nothing."""
        document = to_dict(timeline(OPEN_BOOK))
        document["events"][1]["seconds"] = -5
        with pytest.raises(FormatError, match="must not be negative"):
            from_json(json.dumps(document), Timeline)
