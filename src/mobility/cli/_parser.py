"""The command's arguments: argparse, and a type for each value a person types."""

from __future__ import annotations

import argparse
import sys

from typing import TYPE_CHECKING, Any, Final, NoReturn

from .._kinds import Posture, region_names
from ._base import PROG, USAGE
from ._commands import (
    _advise,
    _completion,
    _export,
    _list,
    _log,
    _run,
    _schema,
    _show,
    _validate,
)
from ._completion import SHELLS


if TYPE_CHECKING:
    import datetime as dt

    from pathlib import Path


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, with where to find help."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


class _Version(argparse.Action):
    """``--version``: looks the version up only when asked.

    The lookup loads importlib.metadata, which costs more than the rest of a
    ``mobility list``; argparse's own version action would need the text up front.
    """

    def __init__(self, option_strings: list[str], dest: str, **_: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version")

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from importlib.metadata import version  # noqa: PLC0415

        # The distribution's name, as mobility.__version__ reads it too.
        sys.stdout.write(f"{parser.prog} {version('mobility-protocols')}\n")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Browse, show, validate and export mobility protocols.",
        epilog="These are general exercises, not medical advice. Stop at once if "
        "pain increases, and ask a physical therapist.",
    )
    parser.add_argument("--version", action=_Version)
    commands = parser.add_subparsers(
        title="commands", required=True, metavar="COMMAND", parser_class=_Parser
    )

    listing = commands.add_parser(
        "list", help="list the built-in catalogue", description="List the catalogue."
    )
    listing.add_argument(
        "--region",
        metavar="REGION",
        help="only protocols for this body region, by its name or a person's: "
        + region_names(),
    ).complete = {"bash": "_mobility_regions", "zsh": "_mobility_regions"}  # type: ignore[attr-defined]
    listing.add_argument(
        "--position",
        choices=[posture.value for posture in Posture],
        help="only protocols with an exercise that starts in this position",
    )
    listing.add_argument(
        "--equipment",
        type=_equipment,
        metavar="ITEMS",
        help="what you have, comma-separated (such as chair); 'none' for "
        "protocols that need nothing",
    )
    listing.add_argument(
        "--max-minutes",
        type=_minutes,
        metavar="N",
        help="only protocols whose session takes at most N minutes at the start",
    )
    _add_format(listing, "the list")
    listing.set_defaults(command=_list)

    show = commands.add_parser(
        "show",
        help="show a protocol as a person reads it",
        description="Show a protocol with its steps, dose and safety text.",
    )
    _add_source(show)
    _add_limits(show)
    show.add_argument(
        "--figures",
        type=_path,
        metavar="FOLDER",
        help="also write each exercise's figure to FOLDER as ID.svg (the folder "
        "must exist), and list the files after the protocol",
    ).complete = _FOLDERS  # type: ignore[attr-defined]
    show.add_argument(
        "--force",
        action="store_true",
        help="with --figures: replace figure files that exist",
    )
    _add_format(show, "the protocol")
    show.set_defaults(command=_show)

    check = commands.add_parser(
        "validate",
        help="check protocol files against the safety limits",
        description="Check JSON protocol files. Exit 0 when all are valid (warnings "
        "allowed), 1 when any has an error, 2 when any cannot be read or parsed.",
    )
    check.add_argument(
        "files", nargs="+", metavar="FILE", help="JSON protocol files; - for stdin"
    ).complete = _FILES  # type: ignore[attr-defined]
    check.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text lines (the default) or a JSON report for scripts",
    )
    _add_limits(check)
    check.set_defaults(command=_validate)

    export = commands.add_parser(
        "export",
        help="write a protocol as JSON, a calendar, a FHIR bundle or a handout",
        description="Write a protocol as a JSON document, a calendar file of its "
        "schedule, a FHIR R4 bundle, or a printable HTML handout. An unsafe "
        "protocol is not exported.",
    )
    _add_source(export)
    export.add_argument(
        "--format",
        choices=["json", "ics", "fhir", "html"],
        required=True,
        help="what to write: json, ics (iCalendar), fhir (an R4 Bundle as JSON) "
        "or html (a printable handout)",
    )
    export.add_argument(
        "-o", "--output", type=_path, help="the file to write; stdout if not given"
    ).complete = _FILES  # type: ignore[attr-defined]
    export.add_argument(
        "--force", action="store_true", help="replace the output file if it exists"
    )
    calendar = export.add_argument_group(
        "schedule (for --format ics; for fhir, --start adds a CarePlan)"
    )
    calendar.add_argument(
        "--start",
        type=_date,
        default=None,
        help="first day, YYYY-MM-DD (default: today)",
    )
    calendar.add_argument(
        "--weeks", type=int, default=4, help="weeks to schedule (default: 4)"
    )
    calendar.add_argument(
        "--time",
        type=_times,
        default=None,
        help="local time of each daily session, HH:MM, comma-separated when the "
        "protocol has several a day (default: spread from 08:00 to 20:00)",
    )
    calendar.add_argument(
        "--tz",
        help="IANA time zone such as Europe/Berlin (default: the TZ variable or the "
        "system's zone)",
    )
    calendar.add_argument(
        "--days",
        type=_days,
        help="weekdays, such as MO,WE,FR (default: spread to match the protocol)",
    )
    calendar.add_argument(
        "--alarm",
        type=int,
        default=15,
        metavar="MINUTES",
        help="reminder before each session (default: 15)",
    )
    calendar.add_argument("--no-alarm", action="store_true", help="no reminders")
    fhir = export.add_argument_group("FHIR (for --format fhir)")
    fhir.add_argument(
        "--base",
        default=_FHIR_BASE,
        help="the base of the plan's and activities' canonical URLs, such as your "
        f"FHIR server's (default: {_FHIR_BASE})",
    )
    fhir.add_argument(
        "--bundle",
        choices=["collection", "transaction"],
        default="collection",
        help="collection (the default) to store the bundle as one document, or "
        "transaction to have a server create each resource, once",
    )
    fhir.add_argument(
        "--subject",
        metavar="REFERENCE",
        help="the CarePlan's patient, such as Patient/123 (needs --start)",
    )
    _add_limits(export)
    export.set_defaults(command=_export)

    _add_run(commands)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of protocol documents",
        description="Print the JSON Schema (draft 2020-12) of a document.",
    )
    schema.add_argument(
        "--kind",
        choices=["protocol", "exercise", "session-log", "advice", "timeline"],
        default="protocol",
        help="which document (default: protocol)",
    )
    schema.set_defaults(command=_schema)
    _add_progress(commands)
    completion = commands.add_parser(
        "completion",
        help="print a shell completion script for bash or zsh",
        description="Print a script that lets bash or zsh complete mobility's "
        'commands, options, catalogue ids and files. bash: add `eval "$(mobility '
        'completion bash)"` to ~/.bashrc. zsh: `mobility completion zsh > '
        "~/.zfunc/_mobility`, with ~/.zfunc on fpath before compinit runs.",
    )
    completion.add_argument("shell", choices=SHELLS, help="the shell")
    completion.set_defaults(command=_completion)
    return parser


def _add_run(commands: Any) -> None:
    coach = commands.add_parser(
        "run",
        help="be coached through a session in the terminal",
        description="Walk through one session of a protocol: the stop rules "
        "first, then each moment with a countdown. Space pauses and resumes; q or "
        "Ctrl-C stops, and a stopped session is not logged. An unsafe protocol is "
        "not run. Exit 0 when the session is done, 130 when it is stopped.",
    )
    _add_source(coach)
    coach.add_argument(
        "--end",
        choices=["low", "high"],
        default="low",
        help="where in each range of the dose to work: low (the default; the "
        "fewest repetitions and shortest holds) or high",
    )
    coach.add_argument(
        "--speed",
        type=_speed,
        default=1.0,
        metavar="N",
        help="run N times as fast, from 0.1 to 1000 (default: 1, real time); 0 "
        "runs straight through without waiting, to try it out",
    )
    coach.add_argument(
        "--dry-run",
        action="store_true",
        help="print the session's timeline instead of running it",
    )
    coach.add_argument(
        "--log",
        action="store_true",
        help="ask for the pain before and after, and record the session once "
        "it is done",
    )
    coach.add_argument(
        "--pain-before", type=_pain, metavar="N", help="with --log: pain before, 0-10"
    )
    coach.add_argument(
        "--pain-after", type=_pain, metavar="N", help="with --log: pain after, 0-10"
    )
    _add_format(coach, "the timeline with --dry-run")
    _add_db(coach)
    _add_limits(coach)
    coach.set_defaults(command=_run)


def _add_progress(commands: Any) -> None:
    log = commands.add_parser(
        "log",
        help="record a session: done or skipped, pain, stiffness, red flags",
        description="Record a session of a protocol, or list the records with "
        "--list. Records are kept in an SQLite database: --db, else the "
        "MOBILITY_DB variable, else the user's data folder.",
    )
    _add_source(log)
    log.add_argument("--list", action="store_true", help="list the records instead")
    log.add_argument("--pain-before", type=_pain, metavar="N", help="pain before, 0-10")
    log.add_argument("--pain-after", type=_pain, metavar="N", help="pain after, 0-10")
    log.add_argument(
        "--stiffness",
        choices=["better", "same", "worse"],
        help="stiffness compared with the start",
    )
    log.add_argument(
        "--red-flag",
        action="append",
        default=[],
        metavar="TEXT",
        help="a sign you have: a red flag's number in `mobility show`'s list, its "
        "words, or your own words, which are kept as you typed them (repeat for "
        "several)",
    )
    log.add_argument(
        "--step",
        type=_step,
        metavar="N",
        help="the progression step whose dose you did (0 for the starting dose), "
        "as `mobility advise` names it",
    )
    log.add_argument(
        "--skipped", action="store_true", help="the session was planned, not done"
    )
    log.add_argument(
        "--at",
        type=_moment,
        metavar="ISO-TIME",
        help="when, with the UTC offset, such as 2026-03-02T07:30+01:00 (default: now)",
    )
    log.add_argument("--note", help="anything else")
    changes = log.add_mutually_exclusive_group()
    changes.add_argument(
        "--correct",
        type=_row,
        metavar="ROW",
        help="record this session in place of the record in ROW (see --list); "
        "both are kept",
    )
    changes.add_argument(
        "--void",
        type=_row,
        metavar="ROW",
        help="withdraw the record in ROW (see --list); it is kept, marked void",
    )
    log.add_argument(
        "--reason", help="why a record is corrected or voided, with --correct or --void"
    )
    _add_format(log, "--list", fhir="R4 Observations")
    _add_subject(log)
    _add_db(log)
    log.set_defaults(command=_log)

    advise = commands.add_parser(
        "advise",
        help="what to do next, from the protocol's own rules and your records",
        description="Say what to do next: continue, progress, stop, seek care, "
        "see a doctor today, or emergency, with each reason in the protocol's own "
        "words. Exit 0 for continue or progress, 3 for stop or seek-care, 4 for "
        "emergency or see-doctor-today, 2 for a mistake.",
    )
    _add_source(advise)
    advise.add_argument(
        "--today", type=_date, help="the day to advise for (default: today)"
    )
    advise.add_argument(
        "--since",
        type=_date,
        help="read only the records from this day on, YYYY-MM-DD (for instance "
        "from the day a physical therapist cleared you)",
    )
    _add_format(advise, "the advice", fhir="an R4 CommunicationRequest")
    _add_subject(advise)
    _add_db(advise)
    _add_limits(advise)
    advise.set_defaults(command=_advise)


def _add_format(
    parser: argparse.ArgumentParser, what: str, *, fhir: str | None = None
) -> None:
    choices = ["text", "json"] if fhir is None else ["text", "json", "fhir"]
    also = "" if fhir is None else f", or a FHIR bundle of {fhir}"
    parser.add_argument(
        "--format",
        choices=choices,
        default="text",
        help=f"how to print {what}: text for people (default), a JSON document{also}",
    )


def _add_subject(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--subject",
        metavar="REFERENCE",
        help="with --format fhir: the patient, such as Patient/123",
    )


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=_path,
        metavar="PATH",
        help="the records database (default: $MOBILITY_DB, else the user's data "
        "folder)",
    ).complete = _FILES  # type: ignore[attr-defined]


def _pain(text: str) -> int:
    # Plain ASCII digits only: int() would read "1_0" as 10 and "٣" as 3.
    value = int(text) if text.isascii() and text.isdigit() and len(text) <= 2 else -1
    if not 0 <= value <= 10:
        msg = f"expected a whole number from 0 (no pain) to 10, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _speed(text: str) -> float:
    try:
        speed = float(text)
    except ValueError:
        speed = -1.0
    if not (speed == 0 or _SLOWEST <= speed <= _FASTEST):
        msg = (
            f"expected 0 (no waiting) or a speed from {_SLOWEST:g} to "
            f"{_FASTEST:g}, got {text!r}"
        )
        raise argparse.ArgumentTypeError(msg)
    return speed


#: The fastest --speed: a 10-minute session in 0.6 s, faster than anyone reads.
_FASTEST: Final = 1000.0
#: The slowest: ten times as long as real time. Slower would leave a hold all
#: but endless (at 1e-9, a 10 s hold would take 300 years).
_SLOWEST: Final = 0.1


def _step(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 4) or (
        int(text) > _MAX_STEP
    ):
        msg = f"expected a step from 0 to {_MAX_STEP}, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


_MAX_STEP: Final = 1000  # SessionRecord's own bound
# mobility.formats.fhir.BASE, written out so that the parser loads no FHIR code;
# a test holds the two equal.
_FHIR_BASE: Final = "https://mobility.readthedocs.io/fhir"


def _path(text: str) -> Path:
    """A path as given; pathlib loads only when a command is given one."""
    from pathlib import Path  # noqa: PLC0415

    return Path(text)


def _row(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 18) or int(text) == 0:
        msg = f"expected a row number from `--list`, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _moment(text: str) -> dt.datetime:
    import datetime as dt  # noqa: PLC0415 - only this option needs it

    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None:
        msg = (
            f"expected a date and time with its UTC offset, such as "
            f"2026-03-02T07:30+01:00, got {text!r}"
        )
        raise argparse.ArgumentTypeError(msg)
    return moment


def _add_source(parser: argparse.ArgumentParser) -> None:
    source = parser.add_argument(
        "source",
        metavar="ID|FILE",
        help=(
            "a catalogue id (see `mobility list`), or a protocol file: mobility's "
            "JSON, or a FHIR bundle written by `mobility export --format fhir`"
        ),
    )
    source.complete = _SOURCES  # type: ignore[attr-defined]


# How the completion scripts (shtab's, see _completion) complete a value: the
# shell functions named here. Set on the actions, they cost nothing to parse.
_SOURCES: Final = {"bash": "_mobility_sources", "zsh": "_mobility_sources"}
_FILES: Final = {"bash": "_shtab_compgen_files", "zsh": "_files"}
_FOLDERS: Final = {"bash": "_shtab_compgen_dirs", "zsh": "_files -/"}


# The names of the limit presets; mobility.safety.limits.PRESETS holds the same keys
# (a test checks), kept here so that parsing arguments loads no limits.
_PRESETS: Final = ("adults", "older-adults", "adolescents", "before-performance")


def _add_limits(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limits",
        choices=_PRESETS,
        default=None,
        help="which safety limits to apply: adults, older-adults (65 and over), "
        "adolescents (young athletes: the adults' figures, with a note on pain when "
        "arching back) or before-performance (stretching right before training or "
        "competition); "
        "by default, those for the people the protocol is written for",
    )


def _date(text: str) -> dt.date:
    import datetime as dt  # noqa: PLC0415 - only this option needs it

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"expected a date as YYYY-MM-DD, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _times(text: str) -> tuple[dt.time, ...]:
    import datetime as dt  # noqa: PLC0415 - only this option needs it

    try:
        return tuple(
            dt.datetime.strptime(part.strip(), "%H:%M").time()  # noqa: DTZ007
            for part in text.split(",")
        )
    except ValueError:
        msg = f"expected times as HH:MM, comma-separated, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _equipment(text: str) -> tuple[str, ...]:
    items = tuple(part.strip() for part in text.split(",") if part.strip())
    return () if items == ("none",) else items


def _minutes(text: str) -> float:
    try:
        minutes = float(text)
    except ValueError:
        minutes = -1.0
    if not 0 <= minutes < float("inf"):
        msg = f"expected a number of minutes, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return minutes


def _days(text: str) -> tuple[str, ...]:
    return tuple(part.strip().upper() for part in text.split(",") if part.strip())
