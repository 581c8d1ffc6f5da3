import datetime as dt
import re
import subprocess
import sys

from collections.abc import Iterator
from pathlib import Path

import attrs
import icalendar
import pytest
import recurring_ical_events

from hypothesis import given
from hypothesis import strategies as st

from mobility import (
    AdaptationKind,
    Audience,
    CautionKind,
    Hold,
    Intensity,
    MobilityError,
    Posture,
    Protocol,
    QueryError,
    Range,
    Region,
    Schedule,
    Side,
    Source,
    SourceKind,
    UnknownProtocolError,
    Urgency,
    catalog,
    from_json,
    to_html,
    to_ical,
    to_json,
    validate,
)
from mobility.catalog import _index, _indexing
from mobility.catalog import _sources as catalog_sources
from mobility.catalog._page import page
from mobility.formats.text import describe_dose, provenance, render, to_markdown
from mobility.model import evidence
from mobility.progress import match_red_flag
from mobility.research.reporting import cert_report, tidier_report
from mobility.safety.limits import PRESETS, Bound, Limit, SafetyLimits
from mobility.safety.validator import limits_for


LUMBAR = catalog.get("lower-trunk-rotation")
THORACIC = catalog.get("thoracic-open-book")


class TestLookup:
    def test_ids_are_sorted(self) -> None:
        """ids() lists every protocol, sorted: at least 12, both regions."""
        ids = catalog.ids()
        assert list(ids) == sorted(ids)
        assert len(ids) >= 12
        assert {"lower-trunk-rotation", "thoracic-open-book"} <= set(ids)
        assert [p.id for p in catalog.protocols()] == list(ids)
        regions = [p.region for p in catalog.protocols()]
        assert regions.count(Region.LUMBAR) >= 5
        assert regions.count(Region.THORACIC) >= 5

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

    @pytest.mark.parametrize("region", [*Region, *(r.value for r in Region), None])
    def test_find_by_region(self, region: str | Region | None) -> None:
        """find(region=...) accepts a Region or its value."""
        expected = tuple(
            p.id for p in catalog.protocols() if region is None or p.region == region
        )
        assert tuple(p.id for p in catalog.find(region=region)) == expected
        assert "lower-trunk-rotation" in [p.id for p in catalog.find(region="lumbar")]
        assert catalog.find(region="cervical") == ()

    def test_find_by_position(self) -> None:
        """find(position=...) keeps protocols with an exercise starting so."""
        sitting = catalog.find(position=Posture.SITTING)
        assert sitting
        assert sitting == catalog.find(position="sitting")
        for protocol in catalog.protocols():
            starts = {e.posture for e in protocol.exercises}
            assert (protocol in sitting) is (Posture.SITTING in starts)
        assert [p.id for p in catalog.find(position="lying-on-side")] == [
            "thoracic-open-book"
        ]

    def test_find_by_equipment(self) -> None:
        """find(equipment=...) keeps what needs nothing more than what one has."""
        none = catalog.find(equipment=[])
        chair = catalog.find(equipment=["Chair"])  # compared without case
        assert none
        assert set(none) < set(chair)
        assert all(not catalog.needs(p) for p in none)
        assert any(catalog.needs(p) == {"chair"} for p in chair)
        assert catalog.find(equipment="chair") == chair  # one item, not letters
        assert catalog.find(equipment=None) == catalog.protocols()

    def test_find_by_minutes(self) -> None:
        """find(max_minutes=...) compares the longest estimate at the start."""
        for minutes in (0, 1, 2, 3.5, 10, 60):
            found = catalog.find(max_minutes=minutes)
            for protocol in catalog.protocols():
                fits = protocol.estimated_session_seconds.high <= minutes * 60
                assert (protocol in found) is fits
        assert catalog.find(max_minutes=0) == ()
        assert catalog.find(max_minutes=60) == catalog.protocols()

    def test_find_combines_criteria(self) -> None:
        """Every criterion given must hold."""
        found = catalog.find(region="thoracic", position="sitting", max_minutes=2)
        assert found
        for protocol in found:
            assert protocol.region is Region.THORACIC
            assert protocol.estimated_session_seconds.high <= 120
        assert set(found) < set(catalog.find(region="thoracic"))

    @pytest.mark.parametrize(
        ("criteria", "message"),
        [
            ({"position": "upside-down"}, "unknown position 'upside-down'"),
            ({"max_minutes": "ten"}, "max_minutes must be a number"),
            ({"max_minutes": float("nan")}, "max_minutes must be a number"),
            ({"max_minutes": True}, "max_minutes must be a number"),
        ],
    )
    def test_find_refuses_what_it_cannot_use(
        self, criteria: dict[str, object], message: str
    ) -> None:
        """A criterion it cannot use is a QueryError, a ValueError too."""
        with pytest.raises(QueryError, match=message):
            catalog.find(**criteria)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=message):
            catalog.find(**criteria)  # type: ignore[arg-type]

    def test_find_unknown_region(self) -> None:
        """An unknown region is an error that lists the known ones, plainly named."""
        with pytest.raises(MobilityError, match="unknown region 'knee'; expected one"):
            catalog.find(region="knee")
        with pytest.raises(ValueError, match=r"lumbar \(lower back\)"):
            catalog.find(region="knee")

    @pytest.mark.parametrize(
        ("name", "region"),
        [
            ("lower back", "lumbar"),
            ("Lower-Back", "lumbar"),
            ("low back", "lumbar"),
            ("upper back", "thoracic"),
            ("upper_back", "thoracic"),
            ("thoracic spine", "thoracic"),
            ("neck", "cervical"),
            ("hips", "hip"),
        ],
    )
    def test_find_by_a_persons_name_for_the_region(
        self, name: str, region: str
    ) -> None:
        """The words a person uses find what the anatomical name finds."""
        assert catalog.find(region=name) == catalog.find(region=region)


SOURCE_PROTOCOLS = (LUMBAR, THORACIC)

#: Hosts of copies and mirrors the research notes saw pages through; the
#: catalogue cites the original pages, never these.
MIRRORS = (
    "azurewebsites",
    "exercisesforfree",
    "http3.lol",
    "kramesonline",
    "manualzz",
    "paperzz",
    "pdfcoke",
    "pugvestor",
    "scribd",
    "zjcylx",
)


def every_source(protocol: Protocol) -> Iterator[Source]:
    """Every source a protocol cites anywhere."""
    yield from protocol.sources
    for _, source in provenance(protocol):
        yield source


def figures(protocol: Protocol) -> Iterator[tuple[str, Range | float, Source | None]]:
    """Every number of a protocol, where it is, and the source that gives it."""
    for index, exercise in enumerate(protocol.exercises):
        dose = exercise.dose
        where = f"exercises[{index}].dose"
        yield f"{where}.reps", dose.reps, dose.source
        if dose.hold is not None:
            yield f"{where}.hold", dose.hold.seconds, dose.source
        if dose.rest_seconds is not None:
            yield f"{where}.rest_seconds", dose.rest_seconds, dose.source
        # Sets: no source states them; an assumption must say so.
        (assumption,) = dose.assumptions
        yield f"{where}.sets", dose.sets, assumption
    frequency = protocol.frequency
    yield "frequency.days_per_week", frequency.days_per_week, frequency.source
    yield "frequency.sessions_per_day", frequency.sessions_per_day, frequency.source
    if protocol.review is not None:
        yield "review.after_days", protocol.review.after_days, protocol.review.source
    progression = protocol.progression
    if progression is not None:
        for name in ("every_days", "reps_step", "reps_ceiling"):
            yield f"progression.{name}", getattr(progression, name), progression.source


def spellings(value: Range | float) -> set[str]:
    """The ways a source note may state a number: "5-10", "up to 5", "2 weeks"."""
    if isinstance(value, Range):
        if value.is_exact:
            return spellings(value.low)
        found = {f"{value.low:g}-{value.high:g}"}
        if value.low == 1:
            found.add(f"up to {value.high:g}")
        return found
    found = {f"{value:g}"}
    if value % 7 == 0:
        weeks = int(value // 7)
        found.add(f"{weeks} week" + ("s" if weeks > 1 else ""))
    return found


class TestSafety:
    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_passes_under_its_audience_limits(self, protocol_id: str) -> None:
        """Every entry has no errors under its audience's limits, in every week."""
        protocol = catalog.get(protocol_id)
        report = validate(protocol)
        assert report.limits is limits_for(protocol.audience)
        assert report.errors == ()
        assert report.ok

    def test_the_routine_for_older_people_gets_their_limits(self) -> None:
        """The NHS/HSE seated routine is written for older people."""
        protocol = catalog.get("seated-upper-back-routine")
        assert protocol.audience is Audience.OLDER_ADULTS
        assert validate(protocol).limits.name == "adults 65+"

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_every_figure_has_a_source(self, protocol_id: str) -> None:
        """Each number is stated by its source's note, or marked as inferred.

        A source that claims to state a figure must quote it: its note holds the
        number as the source wrote it. An inferred one must say what it infers.
        """
        protocol = catalog.get(protocol_id)
        for where, value, source in figures(protocol):
            assert source is not None, where
            assert source.note, where
            if source.inferred:
                continue
            quoted = re.findall(r"up to \d+|\d+ weeks?|\d+(?:-\d+)?", source.note)
            assert spellings(value) & set(quoted), (where, value, source.note)

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_every_text_has_a_source(self, protocol_id: str) -> None:
        """Exercises, safety text, cautions and red flags each cite a source."""
        protocol = catalog.get(protocol_id)
        assert protocol.sources
        for exercise in protocol.exercises:
            assert exercise.source is not None
        disclaimer = protocol.disclaimer
        assert disclaimer is not None
        assert disclaimer.source is not None
        assert disclaimer.cautions is not None
        assert all(caution.source is not None for caution in disclaimer.cautions)
        assert all(flag.source is not None for flag in disclaimer.red_flags)

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_sources_say_their_kind_and_cite_no_copy(self, protocol_id: str) -> None:
        """Published sources carry their kind; addresses are originals."""
        for source in every_source(catalog.get(protocol_id)):
            if source.url is not None:
                assert not any(mirror in source.url for mirror in MIRRORS), source
            if source.citation.startswith("mobility"):
                continue  # our own policy, not a publication
            if source.kind is None:
                assert source.inferred, source  # only our own choices lack a kind

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_sets_and_intensity_are_marked_as_ours(self, protocol_id: str) -> None:
        """No source gives sets or intensity; each dose marks them as ours."""
        for exercise in catalog.get(protocol_id).exercises:
            dose = exercise.dose
            assert dose.source is not None
            assert dose.source.note is not None
            for word in ("sets", "intensity", "tightness"):
                assert word not in dose.source.note
            (assumption,) = dose.assumptions
            assert assumption.inferred
            assert assumption.note is not None
            assert "sets" in assumption.note
            assert "tightness" in assumption.note

    @pytest.mark.parametrize("protocol", SOURCE_PROTOCOLS, ids=lambda p: p.id)
    def test_what_the_source_protocol_does_not_give_is_marked(
        self, protocol: Protocol
    ) -> None:
        """Frequency and review are our inference; the dose is the source's."""
        assert protocol.frequency.source is not None
        assert protocol.frequency.source.inferred
        assert protocol.review is not None
        assert protocol.review.source is not None
        assert protocol.review.source.inferred
        assert protocol.exercises[0].dose.source is not None
        assert not protocol.exercises[0].dose.source.inferred

    def test_disagreements_say_which_source_is_followed(self) -> None:
        """Where two sources differ on a dose, the note names both and why."""
        for protocol_id, other in (
            ("cat-cow", "CommonSpirit"),
            ("shoulder-blade-squeeze", "National Jewish"),
        ):
            dose = catalog.get(protocol_id).exercises[0].dose
            assert dose.source is not None
            assert dose.source.note is not None
            assert other in dose.source.note
            assert "we follow" in dose.source.note

    def test_cautions(self) -> None:
        """Knee-to-chest with osteoporosis (Mayo); a GP first after inactivity."""
        mayo = catalog.get("mayo-back-exercises")
        assert mayo.disclaimer is not None
        assert mayo.disclaimer.cautions
        avoid = [c for c in mayo.disclaimer.cautions if c.kind is CautionKind.AVOID]
        (osteoporosis,) = avoid
        assert "osteoporosis" in osteoporosis.text
        assert osteoporosis.exercises == ("knee-to-chest", "double-knee-to-chest")
        assert osteoporosis.source is not None
        assert "basic stretches" in osteoporosis.source.citation
        seated = catalog.get("seated-upper-back-routine").disclaimer
        assert seated is not None
        assert seated.cautions is not None
        (first,) = seated.cautions
        assert first.kind is CautionKind.ASK_FIRST
        assert "GP" in first.text
        assert first.exercises == ()

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_red_flags_suit_the_region(self, protocol_id: str) -> None:
        """Low back: NICE NG59 as stated; upper back adds a trust's A&E signs.

        On the upper back, NG59's list is marked as our use of it as a general
        back-pain list.
        """
        protocol = catalog.get(protocol_id)
        assert protocol.disclaimer is not None
        flags = protocol.disclaimer.red_flags
        emergency = [f.text for f in flags if f.urgency is Urgency.EMERGENCY]
        urgent = [f.text for f in flags if f.urgency is Urgency.URGENT]
        lumbar = protocol.region is Region.LUMBAR
        # The upper back leaves out its own complaint, the shoulder-blade pain.
        assert len(urgent) == (8 if lumbar else 7)
        assert any("genitals, buttocks or inner thighs" in t for t in emergency)
        assert any("bladder or bowels" in t for t in emergency)
        assert "Chest pain" in emergency
        assert any("38 °C" in t for t in urgent)
        assert any("between your shoulder blades" in t for t in urgent) is lumbar
        assert any("osteoporosis" in t and "steroids" in t for t in urgent)
        ng59 = [f for f in flags if f.source and "NG59" in f.source.citation]
        nhs = [f for f in flags if f.source and f.source.citation == "NHS, 'Back pain'"]
        assert (len(ng59), len(nhs)) == ((13, 2) if lumbar else (14, 0))
        if lumbar:
            assert len(emergency) == 7
            kept = [f.text for f in ng59 if f.source and f.source.inferred]
            assert kept == [
                "You have had cancer",
                (
                    "A minor injury to your back when you have osteoporosis or "
                    "take steroids long term"
                ),
            ]
            return
        assert len(emergency) == 11
        assert any("swallowing" in t for t in emergency)
        assert any("both arms" in t for t in emergency)
        for flag in ng59:
            assert flag.source is not None
            assert flag.source.inferred
            assert flag.source.note is not None
            assert "general back-pain list" in flag.source.note
        trust = [f for f in flags if f not in ng59]
        assert all(f.source and not f.source.inferred for f in trust)
        assert all(f.source and "upper back" in f.source.citation for f in trust)


def published_sources() -> Iterator[Source]:
    """Every source the catalogue and the safety limits cite, with the constants."""
    for protocol_id in catalog.ids():
        yield from every_source(catalog.get(protocol_id))
    for module in (evidence, catalog_sources):
        yield from (v for v in vars(module).values() if isinstance(v, Source))
    for make in PRESETS.values():
        for _, bound in bounds(make()):
            yield bound.source


def bounds(limits: SafetyLimits) -> Iterator[tuple[str, Bound]]:
    """Every bound of a set of limits, named by its limit and its place."""
    for field in attrs.fields(type(limits)):
        limit = getattr(limits, field.name)
        if not isinstance(limit, Limit):
            continue
        for place in attrs.fields(Limit):
            bound = getattr(limit, place.name)
            if isinstance(bound, Bound):
                yield f"{field.name}.{place.name}", bound


#: How a citation shows the title a reader can look up: a quoted title, a
#: book's edition, a journal's volume(issue):pages, a guideline's number, or
#: an honest word that the title was not seen or that there is none.
TITLED = re.compile(
    r"'[^']+'|\d+(?:th|st|nd|rd) ed\.|\d+(?:\(\d+\))?:\d+|NG\d+|title(?: and \w+)? not "
    r"(?:seen|recorded)|untitled"
)


class TestEveryLabelIsTrue:
    """What each label claims, checked against what its source says."""

    def test_every_published_source_has_a_title(self) -> None:
        """A reader can look each one up: no source is only an organisation."""
        for source in published_sources():
            if source.kind is None:
                continue  # our own policies and choices
            assert TITLED.search(source.citation), source.citation

    def test_every_stated_limit_quotes_its_figure(self) -> None:
        """A bound that claims its source states it quotes the number."""
        for name, make in PRESETS.items():
            for where, bound in bounds(make()):
                if bound.source.inferred:
                    continue
                note = bound.source.note or ""
                quoted = set(re.findall(r"up to \d+|\d+ weeks?|\d+(?:-\d+)?", note))
                quoted |= {end for token in quoted for end in token.split("-")}
                if where.startswith("days_per_week") and "daily" in note:
                    quoted.add("7")
                assert spellings(bound.value) & quoted, (name, where, note)

    def test_the_seed_is_cited_under_its_title(self) -> None:
        """The source protocol's title, and its hedges, as it wrote them."""
        assert (
            "'Exercise for Lower Back Stiffness'" in evidence.SOURCE_PROTOCOL.citation
        )
        assert LUMBAR.rationale is not None
        assert LUMBAR.rationale.startswith("Stiffness often comes from")
        assert LUMBAR.disclaimer is not None
        assert "can assess and address" in LUMBAR.disclaimer.text

    def test_the_upper_back_reading_is_marked(self) -> None:
        """The stop rule and the purpose on the upper back are the catalogue's."""
        disclaimer = THORACIC.disclaimer
        assert disclaimer is not None
        assert disclaimer.stop_rules == LUMBAR.disclaimer.stop_rules  # type: ignore[union-attr]
        assert disclaimer.source is not None
        assert disclaimer.source.inferred
        assert "catalogue's reading" in (disclaimer.source.note or "")
        choice = THORACIC.exercises[0].source
        assert choice is not None
        assert "range of rotation" in THORACIC.purpose
        assert "so is the purpose" in (choice.note or "")

    def test_a_week_or_so_is_our_seven_days(self) -> None:
        """The CSP says "a week or so"; 7 days is our reading, and it says so."""
        review = catalog.get("csp-back-pain-exercises").review
        assert review is not None
        assert review.after_days == 7
        assert review.source is not None
        assert review.source.inferred
        assert "a week or so" in (review.source.note or "")

    def test_the_csp_says_how_long_to_keep_going(self) -> None:
        """Its 6-8 weeks to help stop back pain coming back is kept."""
        assert "6-8 weeks" in catalog.get("csp-back-pain-exercises").purpose

    def test_copies_are_named_as_copies(self) -> None:
        """NHS Inform and the Versus Arthritis sheet were seen through copies."""
        assert "copy" in (evidence.NHS_INFORM.note or "")
        sheet = catalog.get("versus-arthritis-back-exercises").disclaimer
        assert sheet is not None
        assert sheet.source is not None
        assert "printable sheet" in sheet.source.citation
        assert sheet.source.url is None  # the original address is not known
        assert "copy" in (catalog_sources.VERSUS_ARTHRITIS_SHEET.note or "")

    def test_knee_rolls_typical_reps_are_our_reading(self) -> None:
        """NHS gives 8-10 alternating, not 5-10 a side: the range is ours."""
        bound = PRESETS["adults"]().reps.typical_high
        assert bound is not None
        assert bound.source.inferred
        assert "8-10 alternating" in (bound.source.note or "")

    def test_the_page_behind_peak_physio_is_named(self) -> None:
        """Its title, address and what it gives: 3 sets of 10 for the book opening."""
        assert evidence.PEAK_PHYSIO.url is not None
        assert "peak-physio.com.au" in evidence.PEAK_PHYSIO.url
        sets = PRESETS["adults"]().sets.typical_high
        assert sets is not None
        assert "3x10" in (sets.source.note or "")

    def test_the_side_stretch_marks_what_is_ours(self) -> None:
        """The page's "stay within your pain limits" is quoted; our addition marked."""
        disclaimer = catalog.get("seated-side-stretch").disclaimer
        assert disclaimer is not None
        assert disclaimer.source is not None
        assert "'stop if the stretch becomes painful' is our reading" in (
            disclaimer.source.note or ""
        )

    def test_red_flags_say_whose_words_they_are(self) -> None:
        """NG59 names kinds of cause; the signs are the NHS's, or marked ours."""
        protocol = catalog.get("csp-back-pain-exercises")
        assert protocol.disclaimer is not None
        for flag in protocol.disclaimer.red_flags:
            assert flag.source is not None
            note = flag.source.note or ""
            if flag.source.inferred:
                assert "neither the copy of NG59 nor the NHS pages" in note
            elif "NG59" not in flag.source.citation:
                assert flag.source.citation == "NHS, 'Back pain'"
                assert "seen only through copies" in note
            else:
                assert "kinds of cause are NG59's" in note
                assert "NHS pages" in note

    def test_mayo_says_both_its_kind_and_its_grade(self) -> None:
        """Mayo Clinic: a patient library by kind, tier A in the evidence brief."""
        mayo = [
            source
            for protocol in catalog.protocols()
            for source in protocol.sources
            if source.citation.startswith("Mayo Clinic")
        ]
        assert len(mayo) >= 3
        for source in mayo:
            assert source.kind is SourceKind.PATIENT_LIBRARY
            assert "tier A" in (source.note or ""), source.citation

    def test_the_mayo_cue_is_kept(self) -> None:
        """Mayo's knee-to-chest: tighten the tummy and press the spine down."""
        exercise = catalog.get("mayo-back-exercises").exercises[0]
        assert exercise.id == "knee-to-chest"
        cues = " ".join(step.cue or "" for step in exercise.steps)
        assert "press your spine into the floor" in cues

    @pytest.mark.parametrize(
        "protocol_id",
        [
            "csp-back-pain-exercises",
            "versus-arthritis-back-exercises",
            "mayo-back-exercises",
        ],
    )
    def test_knee_to_chest_carries_mayos_caution(self, protocol_id: str) -> None:
        """Wherever knee-to-chest appears, so does the osteoporosis caution."""
        protocol = catalog.get(protocol_id)
        assert any(e.id == "knee-to-chest" for e in protocol.exercises)
        assert protocol.disclaimer is not None
        cautions = protocol.disclaimer.cautions or ()
        (caution,) = [c for c in cautions if "osteoporosis" in c.text]
        assert caution.kind is CautionKind.AVOID
        assert "knee-to-chest" in caution.exercises
        assert caution.source is not None
        assert "basic stretches" in caution.source.citation


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
        assert "muscles that are tight" in LUMBAR.rationale

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
        assert "physical therapist can assess and address" in disclaimer.text
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


def loaded_by(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    code += "\nimport sys; print('\\n'.join(sorted(sys.modules)))"
    return set(
        subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout.split()
    )


class TestImportCost:
    # What building a protocol loads, and what exporting one loads.
    MODEL = frozenset({"attrs", "mobility.model", "mobility.catalog.lumbar"})
    EXPORT = frozenset(
        {
            "cattrs",
            "icalendar",
            "importlib.metadata",
            "jinja2",
            "mobility.formats.fhir",
            "mobility.formats.handout",
            "mobility.safety.limits",
            "mobility.safety.validator",
        }
    )

    def test_catalog_builds_nothing_on_import(self) -> None:
        """Importing the catalogue loads neither the model nor export code."""
        out = loaded_by("import mobility.catalog")
        assert "mobility.catalog._index" in out
        assert (self.MODEL | self.EXPORT).isdisjoint(out)

    def test_summaries_build_nothing(self) -> None:
        """Listing and filtering the catalogue is answered by its index."""
        out = loaded_by(
            "from mobility import catalog\n"
            "catalog.summaries(region='lower back', position='sitting', "
            "equipment=['chair'], max_minutes=20)"
        )
        assert (self.MODEL | self.EXPORT).isdisjoint(out)

    def test_get_builds_only_its_module(self) -> None:
        """Taking one protocol builds the module that defines it, no other."""
        out = loaded_by(
            "from mobility import catalog\ncatalog.get('lower-trunk-rotation')"
        )
        assert out >= self.MODEL
        assert "mobility.catalog.upper_back" not in out
        assert self.EXPORT.isdisjoint(out)

    def test_names_of_the_package_load_on_first_use(self) -> None:
        """``import mobility`` loads the model when a class of it is first used."""
        assert "mobility.model" not in loaded_by("import mobility")
        assert "mobility.model" in loaded_by("import mobility\nmobility.Dose")
        assert "mobility.model" not in loaded_by("import mobility\nmobility.Region")


def listed(equipment: list[str] | str) -> list[str]:
    """What ``find(equipment=...)`` takes a string to mean: one item."""
    return [equipment] if isinstance(equipment, str) else equipment


class TestIndex:
    """The index the catalogue answers from says what the protocols say."""

    def test_it_holds_every_protocol_and_where_it_is(self) -> None:
        """Every protocol of the modules, by the module and name that define it."""
        found = _indexing.found()
        assert tuple(found) == catalog.ids()
        assert {pid: (m, n) for pid, (m, n, _) in found.items()} == _index.DEFINED
        for protocol_id, (_, _, protocol) in found.items():
            assert catalog.get(protocol_id) is protocol

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_each_summary_is_the_protocols(self, protocol_id: str) -> None:
        """Run ``make catalog-index`` after changing a protocol if this fails."""
        (summary,) = [s for s in catalog.summaries() if s.id == protocol_id]
        assert summary == _indexing.summary(catalog.get(protocol_id))

    @given(
        region=st.sampled_from([None, *Region, "lower back", "upper-back"]),
        position=st.sampled_from([None, *Posture]),
        equipment=st.sampled_from([None, [], ["chair"], ["Chair", "towel"], "chair"]),
        max_minutes=st.sampled_from([None, 0, 2, 3.5, 10, 60]),
    )
    def test_summaries_find_what_find_finds(
        self,
        region: Region | str | None,
        position: Posture | None,
        equipment: list[str] | str | None,
        max_minutes: float | None,
    ) -> None:
        """The index filters exactly as the built protocols would be filtered."""
        criteria = {
            "region": region,
            "position": position,
            "equipment": equipment,
            "max_minutes": max_minutes,
        }
        wanted = [
            p.id
            for p in catalog.protocols()
            if (region is None or p.region is Region.parse(str(region)))
            and (position is None or any(e.posture is position for e in p.exercises))
            and (
                equipment is None
                or catalog.needs(p) <= {e.casefold() for e in listed(equipment)}
            )
            and (
                max_minutes is None
                or p.estimated_session_seconds.high <= max_minutes * 60
            )
        ]
        assert [s.id for s in catalog.summaries(**criteria)] == wanted  # type: ignore[arg-type]
        assert [p.id for p in catalog.find(**criteria)] == wanted  # type: ignore[arg-type]


class TestEveryOutputForm:
    """Each entry leaves in every format with its safety text and cautions."""

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_round_trips_through_json(self, protocol_id: str) -> None:
        """JSON brings back an equal protocol, cautions and kinds included."""
        protocol = catalog.get(protocol_id)
        assert from_json(to_json(protocol)) == protocol
        assert from_json(to_json(protocol, indent=None)) == protocol

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_calendar_is_read_back_by_a_third_party(self, protocol_id: str) -> None:
        """recurring-ical-events finds every planned session, with the safety text."""
        protocol = catalog.get(protocol_id)
        times = [
            dt.time(7 + 5 * n, 0) for n in range(protocol.frequency.sessions_per_day)
        ]
        schedule = Schedule(
            protocol, dt.date(2026, 3, 23), at=times, tz="Europe/Berlin", weeks=4
        )
        stamp = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
        calendar = icalendar.Calendar.from_ical(to_ical(schedule, stamp=stamp))
        events = recurring_ical_events.of(calendar).between(
            dt.date(2026, 3, 23), dt.date(2026, 4, 21)
        )
        sessions = [e for e in events if "Review" not in e.get("CATEGORIES").cats]
        assert len(sessions) == 4 * protocol.frequency.sessions_per_week
        description = " ".join(str(sessions[0].get("DESCRIPTION")).split())
        assert protocol.disclaimer is not None
        for text in (
            *protocol.disclaimer.stop_rules,
            *(caution.text for caution in protocol.disclaimer.cautions or ()),
        ):
            assert " ".join(text.split()) in description

    def test_cautions_reach_every_text_form(self) -> None:
        """Terminal text, Markdown, calendar and reports all carry the cautions."""
        protocol = catalog.get("mayo-back-exercises")
        assert protocol.disclaimer is not None
        assert protocol.disclaimer.cautions
        times = [dt.time(7), dt.time(19)]
        schedule = Schedule(protocol, dt.date(2026, 3, 23), at=times, tz="UTC")
        forms = {
            "text": render(protocol, validate(protocol)),
            "markdown": to_markdown(protocol),
            "calendar": to_ical(schedule).decode(),
            "cert": cert_report(protocol),
            "tidier": tidier_report(protocol),
        }
        for name, form in forms.items():
            flat = " ".join(form.replace("\r\n ", "").replace("\\,", ",").split())
            for caution in protocol.disclaimer.cautions:
                assert " ".join(caution.text.split()) in flat, name

    def test_a_document_without_cautions_says_so(self) -> None:
        """Unconsidered cautions are shown as such, not as silence."""
        protocol = catalog.get("cat-cow")
        assert protocol.disclaimer is not None
        unconsidered = attrs.evolve(
            protocol, disclaimer=attrs.evolve(protocol.disclaimer, cautions=None)
        )
        assert "NOBODY HAS SAID WHO SHOULD NOT DO THIS" in to_markdown(unconsidered)
        assert "cautions-not-considered" in [
            f.code for f in validate(unconsidered).errors
        ]


class TestSourcePage:
    def test_the_docs_page_is_written_from_the_catalogue(self) -> None:
        """Every protocol has a row and a section, with dose, source and evidence."""
        text = page()
        for protocol in catalog.protocols():
            assert f"| `{protocol.id}` |" in text
            assert f"## `{protocol.id}`: {protocol.name}" in text
            for exercise in protocol.exercises:
                assert describe_dose(exercise.dose) in text
            for source in protocol.sources:
                if source.url:
                    assert source.url in text
            for label in (kind.label for kind in catalog.evidence(protocol)):
                assert label in text
        assert text.count("passes (0 errors") == len(catalog.ids())

    def test_the_docs_include_it(self) -> None:
        """docs/catalog.md includes the generated page, and conf.py writes it."""
        docs = Path(__file__).parent.parent / "docs"
        assert "_generated/catalog.md" in (docs / "catalog.md").read_text("utf-8")
        assert "page(level=3)" in (docs / "conf.py").read_text("utf-8")


class TestTheWordsCountRight:
    """Two positions a repetition, alternating sides, framed red flags (issue 25)."""

    def test_cat_cow_holds_each_position(self) -> None:
        """UCI Health holds each of two positions 10-15 s, five times: 10 holds."""
        dose = catalog.get("cat-cow").exercises[0].dose
        assert dose.hold == Hold((10, 15), positions=2)
        assert dose.stretch_seconds_per_side == Range(100, 150)
        words = describe_dose(dose)
        assert words.startswith("hold each of 2 positions 10-15 s; 5 times")
        codes = [f.code for f in validate(catalog.get("cat-cow")).findings]
        assert not [code for code in codes if "below-typical" in code]

    def test_nhs_knee_rolls_alternate(self) -> None:
        """NHS: 8-10 times alternating sides, which is 4-5 on each side."""
        knee_rolls = catalog.get("nhs-lower-back-pain-exercises").exercises[1]
        dose = knee_rolls.dose
        assert (dose.side, dose.reps) == (Side.ALTERNATING, Range(8, 10))
        assert dose.reps_per_side == Range(4, 5)
        assert dose.total_reps == Range(8, 10)
        assert dose.source is not None
        assert not dose.source.inferred
        assert "Do this 8 to 10 times in all, alternating sides." in [
            str(i) for i in knee_rolls.instructions
        ]

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_the_complaint_is_not_its_own_red_flag(self, protocol_id: str) -> None:
        """What a person does the protocol for never reads as a sign to stop."""
        protocol = catalog.get(protocol_id)
        complaints = ["back pain", "stiff back", "lower back pain", "upper back pain"]
        if protocol.region is Region.THORACIC:
            complaints += ["pain between my shoulder blades", "stiff upper back"]
        for complaint in complaints:
            assert match_red_flag(protocol, complaint) is None, complaint
        assert match_red_flag(protocol, "back pain and chest pain") is not None

    def test_back_flags_are_framed_as_the_nhs_frames_them(self) -> None:
        """'You have back pain and ...': the framing is kept and shown."""
        flags = LUMBAR.disclaimer.red_flags  # type: ignore[union-attr]
        assert {flag.context for flag in flags} == {"back pain"}
        assert "Get emergency care now if you have back pain and" in render(LUMBAR)
        shoulder = [f for f in flags if "shoulder blades" in f.text]
        assert [f.urgency for f in shoulder] == [Urgency.URGENT]

    @pytest.mark.parametrize(
        ("report", "sign", "urgency"),
        [
            ("tingling in both legs", "Pain or tingling in both legs", "emergency"),
            ("pain in both legs", "Pain or tingling in both legs", "emergency"),
            (
                "worse when I cough",
                "Pain that gets worse when you sneeze, cough or poo",
                "urgent",
            ),
            (
                "pain when I poo",
                "Pain that gets worse when you sneeze, cough or poo",
                "urgent",
            ),
        ],
    )
    def test_the_nhs_back_pain_page_adds_two_signs(
        self, report: str, sign: str, urgency: str
    ) -> None:
        """NHS: 999 for pain or tingling in both legs; 111 for pain worse on a cough."""
        for protocol in catalog.protocols():
            flag = match_red_flag(protocol, report)
            assert flag is not None, protocol.id
            assert (flag.text, flag.urgency.value) == (sign, urgency)
            assert flag.source is not None
        (listed,) = [f for f in LUMBAR.disclaimer.red_flags if f.text == sign]  # type: ignore[union-attr]
        assert listed.source is not None
        assert listed.source.url == "https://www.nhs.uk/conditions/back-pain/"
        assert "seen only through copies" in (listed.source.note or "")

    def test_the_upper_back_list_says_what_it_leaves_out(self) -> None:
        """The thoracic lists drop the shoulder-blade sign, and their source says so."""
        for protocol in catalog.find(region=Region.THORACIC):
            assert protocol.disclaimer is not None
            flags = protocol.disclaimer.red_flags
            assert not [f for f in flags if "shoulder blades" in f.text], protocol.id
            notes = {f.source.note for f in flags if f.source is not None}
            assert any("shoulder blades is left out" in (n or "") for n in notes)

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_exercise_cautions_travel_with_the_exercise(self, protocol_id: str) -> None:
        """Wherever knee-to-chest appears, Mayo's osteoporosis caution names it."""
        protocol = catalog.get(protocol_id)
        assert protocol.disclaimer is not None
        named = {
            exercise_id
            for caution in protocol.disclaimer.cautions or ()
            if "osteoporosis" in caution.text
            for exercise_id in caution.exercises
        }
        for exercise in protocol.exercises:
            if "knee-to-chest" in exercise.id:
                assert exercise.id in named

    def test_every_adaptation_names_its_source(self) -> None:
        """An easier or harder way is a claim too: each has a source and a note."""
        seen = 0
        for protocol in catalog.protocols():
            for exercise in protocol.exercises:
                for adaptation in exercise.adaptations:
                    seen += 1
                    assert adaptation.source is not None
                    assert adaptation.source.note
        assert seen >= 8

    def test_knee_rolls_offer_the_pillow_wherever_they_appear(self) -> None:
        """One definition, reused: every routine's knee rolls have the easier way."""
        rolls = [
            exercise
            for protocol in catalog.protocols()
            for exercise in protocol.exercises
            if exercise.id == "knee-rolls"
        ]
        assert len(rolls) == 5
        for exercise in rolls:
            (pillow,) = exercise.adaptations
            assert pillow.kind is AdaptationKind.EASIER
            assert "pillow between your knees" in pillow.text

    def test_adaptations_reach_show_and_the_handout(self) -> None:
        """The terminal text and the printed page list the easier way."""
        protocol = catalog.get("csp-back-pain-exercises")
        assert "Easier: Put a pillow between your knees" in render(protocol)
        page = to_html(protocol)
        assert "Put a pillow between your knees" in page
        assert "Easier or harder" in page
        labels = [label for label, _ in provenance(protocol)]
        assert "Easier way of exercise 1" in labels
