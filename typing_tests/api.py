"""How the public API is meant to be called, checked by mypy and never run.

Every `type: ignore[code]` below is a mistake mypy must catch: with
`warn_unused_ignores` (part of strict), an ignore that stops being needed fails
the type check.
"""

import attrs

import mobility

from mobility import (
    Disclaimer,
    Dose,
    Exercise,
    FormatError,
    Frequency,
    Hold,
    Protocol,
    Range,
    Region,
    Report,
    SafetyLimits,
    Side,
    Step,
    catalog,
    from_dict,
    from_json,
    json_schema,
    to_dict,
    to_json,
    validate,
)


# Reading the catalogue.
protocol: Protocol = catalog.get("lower-trunk-rotation")
ids: tuple[str, ...] = catalog.ids()
lumbar: tuple[Protocol, ...] = catalog.find(region="lumbar")
thoracic: tuple[Protocol, ...] = catalog.find(region=Region.THORACIC)
version: str = mobility.__version__

# Doses take ranges, numbers or pairs.
a = Dose(side=Side.EACH, reps=10, hold=30)
b = Dose(side=Side.EACH, reps=(10, 15), hold=Hold(Range(10, 15)), sets=Range(1))
c = Dose(side=Side.BILATERAL, reps=Range.parse("5-10"), rest_seconds=(15, 30))
per_side: Range = a.stretch_seconds_per_side

# Building a protocol; lists are fine where tuples are stored.
exercise = Exercise(
    id="knee-roll",
    name="Knee roll",
    position="On your back.",
    steps=[Step("Roll your knees to one side.")],
    dose=a,
)
mine = Protocol(
    id="mine",
    name="Mine",
    region=Region.LUMBAR,
    purpose="Testing the types.",
    exercises=[exercise],
    frequency=Frequency(days_per_week=3),
    disclaimer=Disclaimer(text="General exercises.", stop_rules=["Stop if it hurts."]),
)

# Variants and validation.
variant: Protocol = attrs.evolve(protocol, id="variant")
report: Report = validate(variant, limits=SafetyLimits.older_adults())
ok: bool = report.ok
codes: list[str] = [finding.code for finding in report.findings]
report.raise_if_unsafe()

# JSON: loading gives the class asked for.
text: str = to_json(protocol)
compact: str = to_json(protocol, indent=None)
loaded: Protocol = from_json(text)
loaded_exercise: Exercise = from_json(to_json(exercise), Exercise)
from_bytes: Protocol = from_json(text.encode())
data: dict[str, object] = to_dict(protocol)
again: Exercise = from_dict(to_dict(exercise), Exercise)
schema: dict[str, object] = json_schema(Exercise)
try:
    from_json("{}")
except FormatError as error:
    paths: list[str] = [problem.path for problem in error.problems]

# Schedules and calendars.
from datetime import UTC, date, datetime, time, timedelta  # noqa: E402

from mobility import Schedule, Weekday, to_ical  # noqa: E402


schedule = Schedule(protocol, date(2026, 3, 23), at=time(7, 30), tz="Europe/Berlin")
twice = Schedule(
    protocol,
    date(2026, 3, 23),
    at=[time(7), time(18)],
    tz="UTC",
    days=[Weekday.MO, "WE"],
    alarm=None,
)
ics: bytes = to_ical(schedule, stamp=datetime(2026, 3, 1, tzinfo=UTC))
first: datetime = next(schedule.sessions())
lead: timedelta | None = schedule.alarm

# Research.
from mobility.research import Grid, Variant, grid, to_records, variants  # noqa: E402
from mobility.research.reporting import cert_report  # noqa: E402


result: Grid = grid(protocol, {"hold": [10, (10, 15)], "days_per_week": [3, 7]})
first_variant: Variant = next(variants(protocol, {"reps": range(5, 11)}))
rows: list[dict[str, object]] = to_records(result.variants)
report_text: str = cert_report(protocol, answers={"2": "Two physical therapists."})

# Programmes that grow, and the rules that check them week by week.
from mobility import Finding, Progression  # noqa: E402
from mobility.safety.limits import PRESETS  # noqa: E402
from mobility.safety.rules import RULES, Rule  # noqa: E402


rule_of_growth = Progression(
    every_days=7, reps_step=1, reps_ceiling=15, hold_ceiling_seconds=30.5
)
grown: Protocol = attrs.evolve(protocol, program_weeks=None, progression=rule_of_growth)
findings: tuple[Finding, ...] = validate(grown, PRESETS["before-performance"]()).errors
week: int | None = findings[0].week if findings else None
warm_up: SafetyLimits = SafetyLimits.before_performance()
rules: tuple[Rule, ...] = RULES
try:
    protocol.exercise("nope")
except mobility.UnknownExerciseError as missing:
    known: tuple[str, ...] = missing.known

# Steps written from the dose, and the words built from the protocol once.
from mobility import Derivation, Instruction  # noqa: E402
from mobility.formats.json import report_to_dict, upgrade  # noqa: E402
from mobility.formats.text import Part, Section, markdown, plain, sections  # noqa: E402
from mobility.model.steps import fill, placeholders  # noqa: E402


held = Step("Hold for {hold}, {times} {sides}.", cue="Breathe out.")
shown: tuple[Instruction, ...] = exercise.instructions
one: Instruction = held.instruction(a)
filled: str = fill(held.text, a)
used: tuple[str, ...] = placeholders(held.text)
origin: Derivation | None = result.variants[0].protocol.derived_from
content: tuple[Section, ...] = sections(protocol, report)
as_text: str = plain(content, width=None, style=lambda part, line: f"{part}: {line}")
as_markdown: str = markdown(content)
kinds: list[Part] = [section.part for section in content]
report_data: dict[str, object] = report_to_dict(report)
current: dict[str, object] = upgrade({"kind": "protocol", "schema_version": 1})

# FHIR bundles and handouts.
from mobility import from_fhir, to_fhir, to_html  # noqa: E402


bundle: dict[str, object] = to_fhir(protocol)
with_plan: dict[str, object] = to_fhir(
    Schedule(protocol, date(2026, 3, 23), at=time(8), tz="Europe/Berlin"),
    subject={"reference": "Patient/1"},
)
back: Protocol = from_fhir(bundle)
page: str = to_html(protocol, limits=SafetyLimits())

# The command line, called from Python.
from mobility.cli import main  # noqa: E402


code: int = main(["list"])

# Mistakes mypy must catch.
Dose(side="each", reps=10)  # type: ignore[arg-type]
Dose(side=Side.EACH, reps="10")  # type: ignore[arg-type]
Exercise(id="x", name="X", position="P", steps=[Step("S")])  # type: ignore[call-arg]
catalog.find("lumbar")  # type: ignore[call-arg]
protocol.name = "changed"  # type: ignore[misc]
validate(protocol, SafetyLimits(), "extra")  # type: ignore[call-arg]
from_json(text, Hold)  # type: ignore[type-var]
to_json(Hold(10))  # type: ignore[arg-type]
Schedule(protocol, date(2026, 3, 23), at=time(8))  # type: ignore[call-arg]
to_ical(protocol)  # type: ignore[arg-type]
Progression(every_days=7, reps_step=1, reps_ceiling=12.5)  # type: ignore[arg-type]
fill(held, a)  # type: ignore[arg-type]
plain(protocol)  # type: ignore[arg-type]
to_html(bundle)  # type: ignore[arg-type]
to_fhir(protocol, SafetyLimits())  # type: ignore[call-arg]
