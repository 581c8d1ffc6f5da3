"""The ``mobility`` command: protocols, and the sessions a person logs.

It browses, shows, validates and exports protocols, logs sessions, and advises
on them.

Run ``mobility --help``, or ``mobility COMMAND --help`` for one command. Exit
codes: 0 when all went well, 1 when a protocol is unsafe (it is then not exported),
2 for a mistake in the command or an input that cannot be read. ``mobility
advise`` exits 0 for continue or progress, 3 for stop or seek-care, and 4 for
emergency or see-doctor-today.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import os
import stat
import sys

from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, NoReturn

from .. import catalog
from ..errors import (
    FormatError,
    InvalidModelError,
    MobilityError,
    Problem,
    UnsafeProtocolError,
)
from ..model import Posture, Protocol, Region
from ..model._words import escaped, minutes


if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from ..model.schedule import Schedule
    from ..safety.limits import SafetyLimits
    from ..safety.validator import Report


__all__ = ["main"]

PROG: Final = "mobility"

#: Exit codes.
OK: Final = 0
UNSAFE: Final = 1
USAGE: Final = 2

_BOLD: Final = "\033[1m"
_RESET: Final = "\033[0m"


class _UsageError(MobilityError, ValueError):
    """A mistake in how the command was called; the message says which."""


class _NotAFileError(_UsageError):
    """An input that is neither a regular file nor standard input."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name}: not a regular file; give a file, or - for stdin")
        self.name = name


class _BadFileError(MobilityError):
    """A protocol file that cannot be loaded, with its name for the messages."""

    def __init__(self, name: str, error: FormatError) -> None:
        super().__init__(f"{name}: {error}")
        self.name = name
        self.problems = error.problems
        self.more = error.more


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, with where to find help."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def main(argv: Sequence[str] | None = None) -> int:  # noqa: PLR0911 - a code per outcome
    """Run the command line and return its exit code.

    Args:
        argv: The arguments, without the program name; ``sys.argv[1:]`` if None.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # --help, --version, or a mistake in the arguments
        return done.code if isinstance(done.code, int) else USAGE
    try:
        command: Callable[[argparse.Namespace], int] = args.command
        return command(args)
    except BrokenPipeError:  # the reader went away, as `mobility show x | head` does
        _quiet_stdout()
        return OK
    except UnsafeProtocolError as error:
        for finding in error.report.errors:
            _err(f"{finding} (unsafe: not exported)")
        return UNSAFE
    except _BadFileError as error:
        for problem in error.problems:
            _err(f"{error.name}: {problem}")
        if error.more:
            _err(f"{error.name}: ... and {error.more} more problems")
        return USAGE
    except (MobilityError, OSError) as error:
        _err(_describe(error))
        return USAGE
    except KeyboardInterrupt:
        return 130


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.filename is not None:
        return f"{error.filename}: {error.strerror or error}"
    return str(error)


def _err(message: str) -> None:
    print(f"{PROG}: {escaped(message)}", file=sys.stderr)


def _quiet_stdout() -> None:
    # Point stdout at devnull so the interpreter's final flush raises nothing.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


# --------------------------------------------------------------------------------
# Arguments


class _Version(argparse.Action):
    """``--version``: looks the version up only when asked.

    The lookup loads importlib.metadata, which costs more than the rest of a
    ``mobility list``; argparse's own version action would need the text up front.
    """

    def __init__(self, option_strings: list[str], dest: str, **_: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version")

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from importlib.metadata import version  # noqa: PLC0415

        sys.stdout.write(f"{parser.prog} {version('mobility')}\n")
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
        choices=[region.value for region in Region],
        help="only protocols for this body region",
    )
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
    listing.set_defaults(command=_list)

    show = commands.add_parser(
        "show",
        help="show a protocol as a person reads it",
        description="Show a protocol with its steps, dose and safety text.",
    )
    _add_source(show)
    _add_limits(show)
    show.set_defaults(command=_show)

    check = commands.add_parser(
        "validate",
        help="check protocol files against the safety limits",
        description="Check JSON protocol files. Exit 0 when all are valid (warnings "
        "allowed), 1 when any has an error, 2 when any cannot be read or parsed.",
    )
    check.add_argument(
        "files", nargs="+", metavar="FILE", help="JSON protocol files; - for stdin"
    )
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
        "-o", "--output", type=Path, help="the file to write; stdout if not given"
    )
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
        "protocol has several a day (default: 08:00)",
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
    _add_limits(export)
    export.set_defaults(command=_export)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of protocol documents",
        description="Print the JSON Schema (draft 2020-12) of a document.",
    )
    schema.add_argument(
        "--kind",
        choices=["protocol", "exercise", "session-log", "advice"],
        default="protocol",
        help="which document (default: protocol)",
    )
    schema.set_defaults(command=_schema)
    _add_progress(commands)
    return parser


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
    _add_format(log, "--list")
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
    _add_format(advise, "the advice")
    _add_db(advise)
    _add_limits(advise)
    advise.set_defaults(command=_advise)


def _add_format(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help=f"how to print {what}: text for people (default), or a JSON document",
    )


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="the records database (default: $MOBILITY_DB, else the user's data "
        "folder)",
    )


def _pain(text: str) -> int:
    # Plain ASCII digits only: int() would read "1_0" as 10 and "٣" as 3.
    value = int(text) if text.isascii() and text.isdigit() and len(text) <= 2 else -1
    if not 0 <= value <= 10:
        msg = f"expected a whole number from 0 (no pain) to 10, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _step(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 4) or (
        int(text) > _MAX_STEP
    ):
        msg = f"expected a step from 0 to {_MAX_STEP}, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


_MAX_STEP: Final = 1000  # SessionRecord's own bound


def _row(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 18) or int(text) == 0:
        msg = f"expected a row number from `--list`, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _moment(text: str) -> dt.datetime:
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
    parser.add_argument(
        "source",
        metavar="ID|FILE",
        help=(
            "a catalogue id (see `mobility list`), or a protocol file: mobility's "
            "JSON, or a FHIR bundle written by `mobility export --format fhir`"
        ),
    )


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
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"expected a date as YYYY-MM-DD, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _times(text: str) -> tuple[dt.time, ...]:
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


def _limits(args: argparse.Namespace) -> SafetyLimits | None:
    """The limits asked for; None for each protocol's own audience."""
    if args.limits is None:
        return None
    from ..safety.limits import PRESETS  # noqa: PLC0415

    return PRESETS[args.limits]()


# --------------------------------------------------------------------------------
# Commands


def _list(args: argparse.Namespace) -> int:
    found = catalog.find(
        region=args.region,
        position=args.position,
        equipment=args.equipment,
        max_minutes=args.max_minutes,
    )
    rows = [
        (
            p.id,
            p.region.value,
            minutes(p.estimated_session_seconds).removesuffix(" min"),
            ", ".join(kind.label for kind in catalog.evidence(p)),
            p.name,
        )
        for p in found
    ]
    header = ("ID", "REGION", "MIN", "EVIDENCE", "NAME")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    out = sys.stdout
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[4]]).rstrip(), file=out)
    if not rows:
        print("(no protocol matches)", file=out)
    print(
        "\nThese are general exercises, not medical advice. Stop at once if pain "
        "increases.\n`mobility show ID` gives a protocol's steps and full safety text.",
        file=out,
    )
    return OK


def _show(args: argparse.Namespace) -> int:
    from ..formats.text import render  # noqa: PLC0415
    from ..safety.validator import validate  # noqa: PLC0415

    protocol = _load(args)
    styled = _styled(sys.stdout)
    width = 78
    if styled:
        import shutil  # noqa: PLC0415 - only a terminal needs it

        width = max(40, min(100, shutil.get_terminal_size().columns - 1))
    report = validate(protocol, _limits(args))
    style = _bold if styled else None
    sys.stdout.write(render(protocol, report, width=width, style=style))
    return OK


def _bold(_: object, line: str) -> str:
    """Every heading in bold: the title, each exercise, safety, sources."""
    return f"{_BOLD}{line}{_RESET}"


def _validate(args: argparse.Namespace) -> int:
    from ..formats.json import report_to_dict  # noqa: PLC0415
    from ..safety.validator import validate  # noqa: PLC0415

    limits = _limits(args)
    results: list[tuple[str, Report | FormatError]] = []
    worst = OK
    for name in args.files:
        try:
            protocol = _protocol_from(_read(name))
        except FormatError as error:
            results.append((name, error))
            worst = USAGE
            continue
        except OSError as error:
            problem = Problem("$", error.strerror or str(error))
            results.append((name, FormatError((problem,))))
            worst = USAGE
            continue
        except _NotAFileError:
            problem = Problem("$", "not a regular file; give a file, or - for stdin")
            results.append((name, FormatError((problem,))))
            worst = USAGE
            continue
        report = validate(protocol, limits)
        if not report.ok and worst == OK:
            worst = UNSAFE
        results.append((name, report))
    if args.format == "json":
        files = [
            {
                "file": name,
                "status": "unreadable",
                "problems": [p._asdict() for p in found.problems],
                "more_problems": found.more,
            }
            if isinstance(found, FormatError)
            else {"file": name, "status": _status(found), **report_to_dict(found)}
            for name, found in results
        ]
        # Each file's report names its limits; this names the choice.
        chosen = limits.name if limits is not None else "each protocol's audience"
        import json  # noqa: PLC0415 - only this output needs it

        json.dump({"limits": chosen, "files": files}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print_results(results)
    return worst


def _status(report: Report) -> str:
    return "valid" if report.ok else "invalid"


def _print_results(results: list[tuple[str, Report | FormatError]]) -> None:
    counts = {"valid": 0, "invalid": 0, "unreadable": 0}
    for name, found in results:
        if isinstance(found, FormatError):
            counts["unreadable"] += 1
            for problem in found.problems:
                print(escaped(f"{name}: {problem} [unreadable]"))
            if found.more:
                print(
                    escaped(f"{name}: ... and {found.more} more problems [unreadable]")
                )
            continue
        counts[_status(found)] += 1
        for finding in found.findings:
            print(escaped(f"{name}: {finding}"))
        verdict = "valid" if found.ok else "INVALID"
        print(
            escaped(
                f"{name}: {verdict} ({len(found.errors)} error(s), "
                f"{len(found.warnings)} warning(s))"
            )
        )
    summary = ", ".join(
        f"{count} {status}" for status, count in counts.items() if count
    )
    print(f"{len(results)} file(s): {summary}")


def _export(args: argparse.Namespace) -> int:
    protocol = _load(args)
    limits = _limits(args)
    if args.format == "json":
        from ..formats.json import to_json  # noqa: PLC0415
        from ..safety.validator import validate  # noqa: PLC0415

        validate(protocol, limits).raise_if_unsafe()
        # Files are for people to read and diff as well: indented.
        data = (to_json(protocol, indent=2) + "\n").encode("utf-8")
    elif args.format == "fhir":
        import json  # noqa: PLC0415

        from ..formats.fhir import to_fhir  # noqa: PLC0415

        item = protocol if args.start is None else _schedule(args, protocol)
        bundle = to_fhir(item, limits=limits)
        data = (json.dumps(bundle, indent=2, ensure_ascii=False) + "\n").encode()
    elif args.format == "html":
        from ..formats.handout import to_html  # noqa: PLC0415

        data = to_html(protocol, limits=limits).encode("utf-8")
    else:
        from ..formats.ical import to_ical  # noqa: PLC0415

        data = to_ical(_schedule(args, protocol), limits=limits)
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        with _signals_end_cleanly():
            _write_atomic(args.output, data, force=args.force)
        print(escaped(f"wrote {args.output}"), file=sys.stderr)
    return OK


def _schedule(args: argparse.Namespace, protocol: Protocol) -> Schedule:
    from ..model.schedule import Schedule  # noqa: PLC0415

    zone = args.tz or _local_zone()
    if zone is None:
        msg = "--tz is needed for a calendar: give an IANA zone such as Europe/Berlin"
        raise _UsageError(msg)
    if args.alarm < 0:
        msg = f"--alarm takes minutes of 0 or more, got {args.alarm}"
        raise _UsageError(msg)
    times = args.time or (dt.time(8),)
    if args.time is None and protocol.frequency.sessions_per_day > 1:
        msg = (
            f"--time needs {protocol.frequency.sessions_per_day} times for this "
            "protocol, comma-separated, such as 07:30,18:00"
        )
        raise _UsageError(msg)
    fields: dict[str, Any] = {
        "at": times,
        "tz": zone,
        "weeks": args.weeks,
        "alarm": None if args.no_alarm else dt.timedelta(minutes=args.alarm),
    }
    if args.days is not None:
        fields["days"] = args.days
    start = args.start or dt.datetime.now().astimezone().date()
    try:
        return Schedule(protocol, start, **fields)
    except InvalidModelError as error:
        option = _OPTIONS.get(error.field or "")
        if option is None:
            raise
        raise _UsageError(f"{option}: {error.problem}") from None


# The command's option for each Schedule field, to name it in errors.
_OPTIONS: Final = {
    "start": "--start",
    "at": "--time",
    "tz": "--tz",
    "weeks": "--weeks",
    "days": "--days",
    "alarm": "--alarm",
}


def _schema(args: argparse.Namespace) -> int:
    from ..formats.schema import json_schema  # noqa: PLC0415
    from ..model import Exercise  # noqa: PLC0415
    from ..progress import Advice, SessionLog  # noqa: PLC0415

    kinds = {"exercise": Exercise, "session-log": SessionLog, "advice": Advice}
    cls = kinds.get(args.kind, Protocol)
    import json  # noqa: PLC0415 - only this command needs it

    json.dump(json_schema(cls), sys.stdout, indent=2)  # ASCII: escapes show
    sys.stdout.write("\n")
    return OK


def _log(args: argparse.Namespace) -> int:
    from ..progress import SessionRecord, Stiffness, Store, recorded_red_flag  # noqa: PLC0415

    protocol = _load(args)
    if args.list:
        return _log_list(args, protocol)
    if args.reason is not None and args.correct is None and args.void is None:
        msg = "--reason goes with --correct or --void"
        raise _UsageError(msg)
    if args.void is not None:
        with Store(args.db, create=False) as store:
            store.void(args.void, reason=args.reason)
        print(f"voided: row {args.void} (kept in the history)")
        return OK
    now = dt.datetime.now().astimezone()
    if args.at is not None and args.at > now:
        msg = (
            f"--at: {args.at.isoformat()} is in the future; a session is recorded "
            "once it has happened"
        )
        raise _UsageError(msg)
    flags = tuple(
        dict.fromkeys(recorded_red_flag(protocol, text) for text in args.red_flag)
    )
    record = SessionRecord(
        protocol_id=protocol.id,
        at=args.at if args.at is not None else now,
        done=not args.skipped,
        pain_before=args.pain_before,
        pain_after=args.pain_after,
        stiffness=Stiffness(args.stiffness) if args.stiffness else None,
        red_flags=flags,
        note=args.note,
        step=args.step,
    )
    if args.correct is not None:
        with Store(args.db, create=False) as store:
            row = store.correct(args.correct, record, reason=args.reason)
        print(escaped(f"corrected: row {args.correct} by row {row}: "))
        print(escaped(f"  {_record_line(record)}"))
    else:
        with Store(args.db) as store:
            row = store.add(record)
        print(escaped(f"recorded in row {row}: {_record_line(record)}"))
    if record.red_flags or _needs_attention(record):
        print(f"This needs attention now: run `{PROG} advise {protocol.id}`.")
    return OK


def _needs_attention(record: Any) -> bool:
    from ..progress import Stiffness, pain_zone  # noqa: PLC0415

    rated = [p for p in (record.pain_before, record.pain_after) if p is not None]
    return (
        record.pain_increased
        or record.stiffness is Stiffness.WORSE
        or any(pain_zone(pain).stops for pain in rated)
    )


def _log_list(args: argparse.Namespace, protocol: Protocol) -> int:
    from ..progress import Store  # noqa: PLC0415

    with Store(args.db, readonly=True) as store:
        entries = store.history(protocol.id)
    if args.format == "json":
        from ..formats.json import SCHEMA_VERSION, unstructure  # noqa: PLC0415

        document = {
            "kind": "session-history",
            "schema_version": SCHEMA_VERSION,
            "protocol_id": protocol.id,
            "entries": unstructure(entries),
        }
        _print_json(document)
        return OK
    for entry in entries:
        state = ""
        if entry.replaced_by is not None:
            state = f" [corrected by row {entry.replaced_by}]"
        elif entry.voided:
            state = " [void]"
        if entry.reason is not None and state:
            state = f"{state[:-1]}: {entry.reason}]"
        print(escaped(f"row {entry.id}: {_record_line(entry.record)}{state}"))
    counted = sum(1 for entry in entries if entry.current)
    print(f"{counted} record(s) of {protocol.id} count; {len(entries)} row(s) in all")
    return OK


def _print_json(document: object) -> None:
    import json  # noqa: PLC0415 - only the JSON forms need it

    # ASCII, so that no text from a record reaches the terminal as a control.
    json.dump(document, sys.stdout, indent=2, ensure_ascii=True)
    sys.stdout.write("\n")


def _record_line(record: Any) -> str:
    parts = [
        record.at.isoformat(timespec="minutes"),
        "done" if record.done else "skipped",
    ]
    if record.step is not None:
        parts.append(f"step {record.step}")
    if record.pain_before is not None or record.pain_after is not None:
        before = "-" if record.pain_before is None else record.pain_before
        after = "-" if record.pain_after is None else record.pain_after
        parts.append(f"pain {before} -> {after}")
    if record.stiffness is not None:
        parts.append(f"stiffness {record.stiffness}")
    parts += [f"sign reported: {flag}" for flag in record.red_flags]
    if record.note is not None:
        parts.append(f"note: {record.note}")
    return "; ".join(parts)


def _advise(args: argparse.Namespace) -> int:
    from ..formats.text import plain  # noqa: PLC0415
    from ..progress import Store, advice_sections, advise  # noqa: PLC0415

    protocol = _load(args)
    today = args.today if args.today is not None else dt.date.today()  # noqa: DTZ011 - the person's own day
    with Store(args.db, readonly=True) as store:
        records = store.records(protocol.id)
    if args.since is not None:
        records = tuple(r for r in records if r.day >= args.since)
    limits = _limits(args)
    advice = advise(protocol, records, today=today, limits=limits)
    if args.format == "json":
        from ..formats.json import to_dict  # noqa: PLC0415

        _print_json(to_dict(advice))
        return advice.action.exit_code
    text = plain(advice_sections(protocol, advice, limits))
    sys.stdout.write("\n".join(escaped(line) for line in text.split("\n")))
    return advice.action.exit_code


# --------------------------------------------------------------------------------
# Input and output


def _load(args: argparse.Namespace) -> Protocol:
    """A protocol from the catalogue, or from a file when the source is one."""
    source: str = args.source
    if _looks_like_file(source):
        try:
            return _protocol_from(_read(source))
        except FormatError as error:
            raise _BadFileError(source, error) from None
    return catalog.get(source)


def _protocol_from(document: bytes) -> Protocol:
    """The protocol in a mobility JSON document or in a FHIR bundle.

    A JSON object with a ``resourceType`` is read as FHIR, by
    :func:`~mobility.from_fhir`; anything else as mobility's own format. The
    text is parsed once, with the JSON format's caps, either way.
    """
    from ..formats.json import from_dict, parse  # noqa: PLC0415

    data = parse(document)
    if isinstance(data, dict) and "resourceType" in data:
        from ..formats.fhir import from_fhir  # noqa: PLC0415

        return from_fhir(data)
    return from_dict(data)


def _looks_like_file(source: str) -> bool:
    return (
        source == "-"
        or source.endswith(".json")
        or os.sep in source
        or Path(source).is_file()
    )


def _read(name: str) -> bytes:
    """A document's bytes: at most the size cap and one byte more.

    Only standard input and regular files are read. A device, a FIFO or a
    folder is refused by name before it is opened, so ``/dev/zero`` cannot fill
    memory and a FIFO cannot hang the command; one byte over the cap is enough
    for the loader to refuse a document as too large.
    """
    from ..formats.json import MAX_DOCUMENT_BYTES  # noqa: PLC0415

    limit = MAX_DOCUMENT_BYTES + 1
    if name == "-":
        return sys.stdin.buffer.read(limit)
    if not stat.S_ISREG(Path(name).stat().st_mode):
        raise _NotAFileError(name)
    # Opened without blocking and checked again, in case the name was swapped
    # for a FIFO in between: O_NONBLOCK lets such an open return at once.
    handle = os.open(name, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(handle, "rb") as file:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise _NotAFileError(name)
        return file.read(limit)


def _styled(stream: IO[str]) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def _local_zone() -> str | None:
    """The IANA name of the local time zone, if the system says."""
    from zoneinfo import ZoneInfo, available_timezones  # noqa: PLC0415

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        candidates.append(timezone_file.read_text(encoding="utf-8").strip())
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if name and name in available_timezones():
            ZoneInfo(name)
            return name
    return None


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _write_atomic(target: Path, data: bytes, *, force: bool) -> None:
    """Write a file whole or not at all, and never replace one unless forced.

    The data goes to a temporary file in the same folder. Without ``force`` it
    is then linked to the target name, which fails if the name exists: there is
    no moment between a check and the write in which another writer's file could
    be replaced. With ``force`` it is renamed over the target, which must be a
    regular file (a FIFO, a device or a link is never replaced). The temporary
    file is removed on every way out, errors and signals included; errors name
    the target, not the temporary file.
    """
    folder = target.parent if str(target.parent) else Path()
    if not folder.is_dir():
        msg = f"{folder}: no such folder"
        raise _UsageError(msg)
    existing = _status_of(target)
    if existing is not None and not force:
        raise _ExistsError(target)
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        msg = f"{target} is not a regular file; --force replaces only regular files"
        raise _UsageError(msg)
    mode = stat.S_IMODE(existing.st_mode) if existing else _default_mode()
    try:
        import tempfile  # noqa: PLC0415 - only writing a file needs it

        handle, temporary = tempfile.mkstemp(
            dir=folder, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise _named(error, target) from None
    try:
        os.fchmod(handle, mode)  # mkstemp makes 0600; give the usual permissions
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if force:
            Path(temporary).replace(target)
        else:
            _link_new(Path(temporary), target, data, mode)
    except OSError as error:
        raise _named(error, target) from None
    finally:
        Path(temporary).unlink(missing_ok=True)


@contextlib.contextmanager
def _signals_end_cleanly() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into SystemExit while writing, so cleanup runs.

    Their default is to end the process at once, leaving a temporary file
    behind; as an exception they unwind through ``_write_atomic``'s ``finally``.
    Only the main thread can set handlers; elsewhere this does nothing.
    """
    import signal  # noqa: PLC0415 - only writing a file needs these
    import threading  # noqa: PLC0415

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]
    previous = {number: signal.signal(number, _exit_on_signal) for number in wanted}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _exit_on_signal(number: int, _frame: object) -> NoReturn:
    raise SystemExit(128 + number)


def _status_of(path: Path) -> os.stat_result | None:
    """The path's own status (a link's, not its target's), or None if it is free."""
    try:
        return path.lstat()
    except FileNotFoundError:
        return None


def _link_new(source: Path, target: Path, data: bytes, mode: int) -> None:
    """Give ``source``'s file the name ``target``, only if that name is free.

    Where the file system has no hard links, the name is created exclusively
    and written instead; a failure then removes it again.
    """
    try:
        target.hardlink_to(source)
    except FileExistsError:
        raise _ExistsError(target) from None
    except OSError as error:
        if error.errno not in _NO_LINKS:
            raise
    else:
        return
    try:
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise _ExistsError(target) from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise


# What link() says on a file system without hard links.
_NO_LINKS: Final = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP})


def _named(error: OSError, target: Path) -> OSError:
    """The same error, naming the file the user asked for."""
    return OSError(error.errno, error.strerror, str(target))


class _ExistsError(_UsageError):
    """The output file exists and --force was not given."""

    def __init__(self, target: Path) -> None:
        super().__init__(f"{target} exists; use --force to replace it")
