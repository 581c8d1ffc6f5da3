"""Session records as FHIR Observations and advice as a CommunicationRequest."""

import copy
import datetime as dt
import json

from pathlib import Path
from typing import Any

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobility import FormatError, InvalidModelError
from mobility.progress import (
    Action,
    SessionLog,
    SessionRecord,
    Stiffness,
    advice_from_fhir,
    advice_to_fhir,
    advise,
    log_from_fhir,
    log_to_fhir,
)
from mobility.progress._fhir import ADVICE_PRIORITY, PAIN_NRS
from tests.test_fhir import accepted, narrative_shown
from tests.test_progress import (
    GROWING,
    LUMBAR,
    full_logs,
    logs,
    logs_of,
    record,
    sessions,
    today,
)


def problems(read: Any, bundle: Any) -> list[str]:
    """The problems a reader reports, as lines."""
    with pytest.raises(FormatError) as caught:
        read(bundle)
    return [str(problem) for problem in caught.value.problems]


A_WEEK = SessionLog(
    [
        record(
            0,
            pain_before=3,
            pain_after=2,
            stiffness=Stiffness.BETTER,
            step=0,
            note="felt *fine*",
        ),
        record(1, done=False, note="away"),
        record(2, pain_before=2, red_flags=("my legs feel numb",)),
    ]
)


class TestObservations:
    def test_one_observation_per_record(self) -> None:
        """Done or skipped, when, and each rating as a component."""
        bundle = accepted(log_to_fhir(A_WEEK, subject={"reference": "Patient/7"}))
        first, skipped, third = (entry["resource"] for entry in bundle["entry"])
        assert first["valueBoolean"] is True
        assert skipped["valueBoolean"] is False
        assert first["effectiveDateTime"] == "2026-03-02T08:00:00+01:00"
        assert first["subject"] == {"reference": "Patient/7"}
        assert first["status"] == "final"
        instantiates = first["extension"][1]
        assert instantiates["valueCanonical"].endswith(
            "/PlanDefinition/lower-trunk-rotation"
        )
        pain = [c for c in first["component"] if PAIN_NRS in c["code"]["coding"]]
        assert [c["valueInteger"] for c in pain] == [3, 2]
        assert [c["code"]["text"] for c in pain] == [
            "Pain just before the session",
            "Pain just after the session",
        ]
        (sign,) = (c for c in third["component"] if "valueString" in c)
        assert sign["valueString"] == "my legs feel numb"
        assert first["note"] == [{"text": "felt \\*fine\\*"}]
        assert "component" not in skipped  # no rating, no empty list

    def test_two_patients_records_are_two_resources(self) -> None:
        """The same moment logged by two people: two ids, two identifiers."""
        one, two = (
            log_to_fhir(A_WEEK, subject={"reference": f"Patient/{n}"})["entry"][0]
            for n in (1, 2)
        )
        assert one["resource"]["id"] != two["resource"]["id"]
        assert one["fullUrl"] != two["fullUrl"]

    def test_read_back_equal(self) -> None:
        """The records come back as they were written."""
        assert log_from_fhir(accepted(log_to_fhir(A_WEEK))) == A_WEEK

    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
    @given(logs)
    def test_any_log_round_trips(self, log: SessionLog) -> None:
        """Any log, in any zone, reads back equal from either kind of bundle."""
        for kind in ("collection", "transaction"):
            assert log_from_fhir(accepted(log_to_fhir(log, bundle_type=kind))) == log

    @pytest.mark.parametrize(
        "offset",
        [dt.timedelta(hours=20), dt.timedelta(hours=-14, minutes=-1)],
    )
    def test_an_offset_fhir_cannot_hold_is_written_in_utc(
        self, offset: dt.timedelta
    ) -> None:
        """FHIR's offsets go up to 14 hours; the moment is kept."""
        odd = SessionRecord(
            protocol_id=LUMBAR.id,
            at=dt.datetime(2026, 3, 2, 8, tzinfo=dt.timezone(offset)),
        )
        bundle = accepted(log_to_fhir(SessionLog([odd])))
        written = bundle["entry"][0]["resource"]["effectiveDateTime"]
        assert written.endswith("+00:00")
        (read,) = log_from_fhir(bundle).records
        assert read.at == odd.at

    def test_an_edited_rating_is_refused_where_it_is(self) -> None:
        """A component whose code mobility does not write is named."""
        bundle = json.loads(json.dumps(log_to_fhir(A_WEEK)))
        first = bundle["entry"][0]["resource"]
        first["component"][0]["code"]["coding"].pop()  # LOINC left, "when" gone
        first["component"][1]["valueInteger"] = 11
        codes = "https://mobility.readthedocs.io/fhir/CodeSystem/observation"
        assert problems(log_from_fhir, bundle) == [
            (
                f"Bundle.entry[0].resource.component[0].code: expected one code of "
                f"{codes} (pain-after, pain-before, progression-step, reported-sign, "
                "stiffness), got a list"
            ),
        ]
        first["component"][0]["code"]["coding"].append(
            {
                "system": "https://mobility.readthedocs.io/fhir/CodeSystem/observation",
                "code": "pain-before",
            }
        )
        (line,) = problems(log_from_fhir, bundle)
        assert line.startswith("Bundle.entry[0].resource: SessionRecord.pain_after")

    def test_a_changed_text_for_people_is_let_through_an_added_field_is_not(
        self,
    ) -> None:
        """The narrative is written again; an element mobility can't read is named."""
        bundle = json.loads(json.dumps(log_to_fhir(A_WEEK)))
        bundle["entry"][0]["resource"]["text"]["div"] = "<div>edited</div>"
        assert log_from_fhir(bundle) == A_WEEK
        bundle["entry"][0]["resource"]["interpretation"] = [{"text": "good"}]
        (line,) = problems(log_from_fhir, bundle)
        assert line == (
            "Bundle.entry[0].resource.interpretation: is not read by mobility; "
            "it would be lost"
        )

    @pytest.mark.parametrize(
        ("damage", "expected"),
        [
            (
                lambda b: b["entry"][0]["resource"].pop("valueBoolean"),
                (
                    "Bundle.entry[0].resource.valueBoolean: expected true or false, "
                    "got nothing"
                ),
            ),
            (
                lambda b: b["entry"][0]["resource"].update(
                    effectiveDateTime="2026-03-02T08:00:00"
                ),
                (
                    "Bundle.entry[0].resource.effectiveDateTime: expected a date and "
                    "time with its UTC offset, got '2026-03-02T08:00:00'"
                ),
            ),
            (
                lambda b: b["entry"][0]["resource"]["extension"].pop(),
                (
                    "Bundle.entry[0].resource.extension: expected the protocol's "
                    "canonical URL, {base}/PlanDefinition/{id}, got nothing"
                ),
            ),
            (
                lambda b: b["entry"][0].update(resource={"resourceType": "Patient"}),
                (
                    "Bundle.entry[0].resource.resourceType: expected 'Observation', "
                    "got 'Patient'"
                ),
            ),
            (
                lambda b: b["entry"][0]["resource"].update(subject={"reference": 3}),
                "Bundle.entry[0].resource.subject: expected a FHIR Reference",
            ),
            (
                lambda b: b.update(type="batch"),
                "Bundle.type: expected 'collection' or 'transaction', got 'batch'",
            ),
            # Drawn by the damage property below, which first raised TypeError.
            (
                lambda b: b.update(type=[]),
                "Bundle.type: expected 'collection' or 'transaction', got a list",
            ),
            (
                lambda b: b["entry"][0]["resource"]["component"][1]["code"]["coding"][
                    1
                ].update(code=[]),
                "Bundle.entry[0].resource.component[1].code: expected one code of",
            ),
        ],
    )
    def test_damage_is_located(self, damage: Any, expected: str) -> None:
        """Each problem names its FHIR path."""
        bundle = json.loads(json.dumps(log_to_fhir(A_WEEK)))
        damage(bundle)
        assert any(
            line.startswith(expected) for line in problems(log_from_fhir, bundle)
        )

    @settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def test_any_damage_is_refused_cleanly(self, data: st.DataObject) -> None:
        """Any value replaced by any JSON value: equal records or a FormatError."""
        bundle = json.loads(json.dumps(log_to_fhir(A_WEEK, bundle_type="transaction")))
        places = list(_places(bundle))
        path = data.draw(st.sampled_from(places))
        value = data.draw(
            st.none()
            | st.booleans()
            | st.integers()
            | st.text(max_size=5)
            | st.just([])
            | st.just({})
            | st.just(["x"])
            | st.just({"a": 1})
        )
        container = bundle
        for key in path[:-1]:
            container = container[key]
        container[path[-1]] = value
        try:
            read = log_from_fhir(bundle)
        except FormatError:
            return
        assert isinstance(read, SessionLog)

    def test_keys_mobility_does_not_read_are_named_in_their_order(self) -> None:
        """Whatever the hash seed, the problems come in the bundle's own order."""
        bundle = json.loads(json.dumps(log_to_fhir(A_WEEK)))
        bundle |= {"zeta": 1, "alpha": 2}
        bundle["entry"][0] |= {"search": {}, "response": {}}
        assert problems(log_from_fhir, bundle) == [
            "Bundle.zeta: is not read by mobility",
            "Bundle.alpha: is not read by mobility",
            "Bundle.entry[0].search: is not read by mobility; it would be lost",
            "Bundle.entry[0].response: is not read by mobility; it would be lost",
        ]

    def test_options_fhir_cannot_use_are_refused(self) -> None:
        """The same checks as for a protocol's bundle."""
        with pytest.raises(InvalidModelError, match=r"^subject: expected"):
            log_to_fhir(A_WEEK, subject={"reference": "Patient 7"})
        with pytest.raises(InvalidModelError, match=r"^base: expected"):
            log_to_fhir(A_WEEK, base="https://x/")
        with pytest.raises(InvalidModelError, match=r"^bundle_type: expected"):
            log_to_fhir(A_WEEK, bundle_type="batch")


def _places(value: Any, path: tuple[Any, ...] = ()) -> Any:
    """The path of every value in a JSON document."""
    if path:
        yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


class TestAdvice:
    def test_an_emergency_is_stat_and_carries_its_reasons(self) -> None:
        """The priority follows the action; each reason is a reasonCode."""
        advice = advise(LUMBAR, A_WEEK.records, today=dt.date(2026, 3, 5))
        assert advice.action is Action.EMERGENCY
        bundle = accepted(advice_to_fhir(advice, LUMBAR))
        (entry,) = bundle["entry"]
        request = entry["resource"]
        assert request["priority"] == "stat"
        assert request["authoredOn"] == "2026-03-05"
        assert [r["coding"][0]["code"] for r in request["reasonCode"]] == [
            reason.code for reason in advice.reasons
        ]
        words = request["payload"][0]["contentString"]
        assert "EMERGENCY" in words
        assert LUMBAR.disclaimer is not None
        for rule in LUMBAR.disclaimer.stop_rules:
            assert rule in words
            assert rule in " ".join(narrative_shown(request).itertext())

    def test_priorities(self) -> None:
        """Most urgent first, and routine for going on."""
        assert [ADVICE_PRIORITY[action] for action in Action] == [
            "stat",
            "asap",
            "urgent",
            "routine",
            "routine",
            "routine",
        ]

    @settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
    @given(logs_of(GROWING) | full_logs())
    def test_any_advice_round_trips(
        self, drawn: tuple[list[SessionRecord], dt.date]
    ) -> None:
        """Every kind of advice, next doses and red flags included, reads back equal."""
        records, today = drawn
        advice = advise(GROWING, records, today=today)
        bundle = accepted(advice_to_fhir(advice, GROWING, bundle_type="transaction"))
        assert advice_from_fhir(bundle) == advice

    def test_a_progression_keeps_its_next_dose(self) -> None:
        """The new dose travels whole, as the JSON form carries it."""
        advice = advise(GROWING, sessions(GROWING, range(3), 2), today=today(3))
        assert advice.action is Action.PROGRESS
        read = advice_from_fhir(advice_to_fhir(advice, GROWING))
        assert read.next_dose == advice.next_dose
        assert read.next_dose is not None

    @settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def test_any_damage_is_refused_cleanly(self, data: st.DataObject) -> None:
        """Any value replaced by any JSON value: the same advice or a FormatError."""
        advice = advise(LUMBAR, A_WEEK.records, today=dt.date(2026, 3, 5))
        bundle = json.loads(json.dumps(advice_to_fhir(advice, LUMBAR)))
        path = data.draw(st.sampled_from(list(_places(bundle))))
        value = data.draw(
            st.none()
            | st.booleans()
            | st.integers()
            | st.text(max_size=5)
            | st.sampled_from([[], {}, ["x"], {"a": 1}, "2026-13-01", "stat"])
        )
        container = bundle
        for key in path[:-1]:
            container = container[key]
        container[path[-1]] = value
        try:
            read = advice_from_fhir(bundle)
        except FormatError:
            return
        assert isinstance(read, type(advice))

    def test_advice_for_another_protocol_is_refused(self) -> None:
        """The words would be another protocol's."""
        advice = advise(LUMBAR, A_WEEK.records, today=dt.date(2026, 3, 5))
        with pytest.raises(InvalidModelError, match="the advice is for lower-trunk"):
            advice_to_fhir(advice, GROWING)

    def test_edited_advice_is_refused(self) -> None:
        """A priority that no longer matches the action is named."""
        advice = advise(LUMBAR, A_WEEK.records, today=dt.date(2026, 3, 5))
        bundle = json.loads(json.dumps(advice_to_fhir(advice, LUMBAR)))
        bundle["entry"][0]["resource"]["priority"] = "routine"
        assert problems(advice_from_fhir, bundle) == [
            "Bundle.entry[0].resource.priority: expected 'stat', got 'routine'"
        ]
        two = copy.deepcopy(bundle)
        two["entry"].append(two["entry"][0])
        assert problems(advice_from_fhir, two) == [
            "Bundle.entry: expected one CommunicationRequest, found 2"
        ]


class TestCommandLine:
    def test_records_and_advice_as_fhir(self, tmp_path: Path) -> None:
        """`log --list --format fhir` and `advise --format fhir` read back equal."""
        from tests.test_cli import run  # noqa: PLC0415 - the CLI's own helper

        db = str(tmp_path / "log.sqlite3")
        logged = run(
            "log",
            LUMBAR.id,
            "--db",
            db,
            "--pain-before",
            "2",
            "--pain-after",
            "4",
            "--at",
            "2026-03-02T08:00+01:00",
            cwd=tmp_path,
        )
        assert logged.returncode == 0, logged.stderr
        listed = run(
            "log",
            LUMBAR.id,
            "--db",
            db,
            "--list",
            "--format",
            "fhir",
            "--subject",
            "Patient/5",
            cwd=tmp_path,
        )
        assert listed.returncode == 0, listed.stderr
        bundle = accepted(json.loads(listed.stdout))
        (observation,) = (entry["resource"] for entry in bundle["entry"])
        assert observation["subject"] == {"reference": "Patient/5"}
        (read,) = log_from_fhir(bundle).records
        assert (read.pain_before, read.pain_after) == (2, 4)

        advised = run(
            "advise",
            LUMBAR.id,
            "--db",
            db,
            "--today",
            "2026-03-03",
            "--format",
            "fhir",
            cwd=tmp_path,
        )
        assert advised.returncode == 3  # stop: pain rose in the session
        advice = advice_from_fhir(accepted(json.loads(advised.stdout)))
        assert advice.action is Action.STOP

    def test_a_subject_fhir_cannot_use_is_a_usage_error(self, tmp_path: Path) -> None:
        """Said in the option's terms, with no traceback."""
        from tests.test_cli import run  # noqa: PLC0415

        db = str(tmp_path / "log.sqlite3")
        result = run(
            "advise",
            LUMBAR.id,
            "--db",
            db,
            "--format",
            "fhir",
            "--subject",
            "Patient 5",
            cwd=tmp_path,
        )
        assert result.returncode == 2
        assert result.stderr.startswith(
            "mobility: --subject: expected a reference such as Patient/123"
        )


@pytest.mark.parametrize(
    ("offset", "shown"),
    [
        (dt.timedelta(hours=1), "2026-03-02 08:00, UTC+01:00"),
        (dt.timedelta(hours=-5, minutes=-30), "2026-03-02 08:00, UTC-05:30"),
        (dt.timedelta(0), "2026-03-02 08:00, UTC+00:00"),
    ],
)
def test_the_narrative_gives_the_persons_clock(
    offset: dt.timedelta, shown: str
) -> None:
    """The local time as the person lived it, and its offset, in plain form."""
    moment = dt.datetime(2026, 3, 2, 8, tzinfo=dt.timezone(offset))
    log = SessionLog([SessionRecord(protocol_id=LUMBAR.id, at=moment)])
    observation = log_to_fhir(log)["entry"][0]["resource"]
    assert f"When:</b> {shown}</p>" in observation["text"]["div"]
