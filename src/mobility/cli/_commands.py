"""One function per command, each taking the parsed arguments."""

from __future__ import annotations

import os
import sys

from typing import TYPE_CHECKING, Any, Final

from .. import catalog
from .._words import escaped, minutes
from ..errors import FormatError, InvalidModelError, Problem
from ._base import (
    _BOLD,
    _RESET,
    OK,
    PROG,
    UNSAFE,
    USAGE,
    _BadFileError,
    _print_json,
    _styled,
    _UsageError,
)
from ._files import (
    _ExistsError,
    _looks_like_file,
    _NotAFileError,
    _read,
    _signals_end_cleanly,
    _status_of,
    _write_atomic,
)


if TYPE_CHECKING:
    import argparse

    from pathlib import Path

    from ..model import Exercise, Protocol
    from ..model.schedule import Schedule
    from ..safety.limits import SafetyLimits
    from ..safety.validator import Report


def _limits(args: argparse.Namespace) -> SafetyLimits | None:
    """The limits asked for; None for each protocol's own audience."""
    if args.limits is None:
        return None
    from ..safety.limits import PRESETS  # noqa: PLC0415

    return PRESETS[args.limits]()


def _list(args: argparse.Namespace) -> int:
    # The index says all a list shows: no protocol is built.
    found = catalog.summaries(
        region=args.region,
        position=args.position,
        equipment=args.equipment,
        max_minutes=args.max_minutes,
    )
    if args.format == "json":
        _print_json(
            {
                "protocols": [
                    {
                        "id": p.id,
                        "name": p.name,
                        "region": p.region.value,
                        "region_plain": p.region.plain,
                        "session_seconds": {
                            "low": p.session_seconds.low,
                            "high": p.session_seconds.high,
                        },
                        "evidence": [kind.value for kind in p.evidence],
                    }
                    for p in found
                ],
                "notice": _NOTICE,
            }
        )
        return OK
    rows = [
        (
            p.id,
            f"{p.region.value} ({p.region.plain})"
            if p.region.plain != p.region.value
            else p.region.value,
            minutes(p.session_seconds).removesuffix(" min"),
            ", ".join(kind.label for kind in p.evidence),
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
    print(f"\n{_NOTICE}\n{_FULL_TEXT}", file=out)
    return OK


# What the list says under it, and its JSON form too.
_NOTICE: Final = (
    "These are general exercises, not medical advice. Stop at once if pain increases."
)
_FULL_TEXT: Final = "`mobility show ID` gives a protocol's steps and full safety text."


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
    written = [] if args.figures is None else _write_figures(protocol, args)
    if args.format == "json":
        from ..formats.json import report_to_dict, to_dict  # noqa: PLC0415

        document: dict[str, Any] = {
            "protocol": to_dict(protocol),
            "validation": report_to_dict(report),
        }
        if args.figures is not None:
            document["figures"] = {
                exercise.id: None if path is None else str(path)
                for exercise, path in written
            }
        _print_json(document)
        return OK
    sys.stdout.write(render(protocol, report, width=width, style=style))
    if args.figures is not None:
        print("\nFigures:")
        for number, (exercise, path) in enumerate(written, start=1):
            shown = "none" if path is None else str(path)
            print(escaped(f"{number}. {exercise.name}: {shown}"))
    return OK


def _write_figures(
    protocol: Protocol, args: argparse.Namespace
) -> list[tuple[Exercise, Path | None]]:
    """Each exercise's figure written to the folder: all of them, or none.

    Every target is checked before any is written, so a file in the way stops
    the command with nothing written; and if writing one fails, those written
    before it are removed again. Exercise ids are slugs, so each name is a
    plain file name in the folder.
    """
    from ..formats._figures import exercise_drawing  # noqa: PLC0415

    folder: Path = args.figures
    if not folder.is_dir():
        msg = f"--figures: {folder}: no such folder"
        raise _UsageError(msg)
    planned: list[tuple[Exercise, Path | None, bytes]] = []
    for exercise in protocol.exercises:
        if exercise.figure is None:
            planned.append((exercise, None, b""))
            continue
        target = folder / f"{exercise.id}.svg"
        if not args.force and _status_of(target) is not None:
            raise _ExistsError(target)
        svg = exercise_drawing(exercise)
        planned.append((exercise, target, svg.encode("utf-8")))
    done: list[Path] = []
    with _signals_end_cleanly():
        try:
            for _, path, data in planned:
                if path is not None:
                    _write_atomic(path, data, force=args.force)
                    done.append(path)
        except BaseException:
            if not args.force:  # what this run made, and nothing it replaced
                for made in done:
                    made.unlink(missing_ok=True)
            raise
    return [(exercise, target) for exercise, target, _ in planned]


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

        if args.subject is not None and args.start is None:
            msg = "--subject names the patient of a CarePlan: give --start as well"
            raise _UsageError(msg)
        item = protocol if args.start is None else _schedule(args, protocol)
        subject = _subject(args)
        try:
            bundle = to_fhir(
                item,
                limits=limits,
                subject=subject,
                base=args.base,
                bundle_type=args.bundle,
            )
        except InvalidModelError as error:
            if error.field != "base":
                raise
            raise _UsageError(f"--base: {error.problem}") from None
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
    import datetime as dt  # noqa: PLC0415 - few commands need it

    from ..model.schedule import Schedule  # noqa: PLC0415

    zone = args.tz or _local_zone()
    if zone is None:
        msg = "--tz is needed for a calendar: give an IANA zone such as Europe/Berlin"
        raise _UsageError(msg)
    if args.alarm < 0:
        msg = f"--alarm takes minutes of 0 or more, got {args.alarm}"
        raise _UsageError(msg)
    from ..model.schedule import default_times  # noqa: PLC0415

    times = args.time or default_times(protocol.frequency.sessions_per_day)
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


def _run(args: argparse.Namespace) -> int:
    from ..safety.validator import validate  # noqa: PLC0415
    from ._run import run  # noqa: PLC0415

    protocol = _load(args)
    validate(protocol, _limits(args)).raise_if_unsafe()
    return run(args, protocol)


def _completion(args: argparse.Namespace) -> int:
    from ._completion import script  # noqa: PLC0415

    sys.stdout.write(script(args.shell))
    return OK


def _schema(args: argparse.Namespace) -> int:
    from ..formats.schema import json_schema  # noqa: PLC0415
    from ..model import Exercise, Protocol  # noqa: PLC0415
    from ..model.timeline import Timeline  # noqa: PLC0415
    from ..progress import Advice, SessionLog  # noqa: PLC0415

    kinds = {
        "exercise": Exercise,
        "session-log": SessionLog,
        "advice": Advice,
        "timeline": Timeline,
    }
    cls = kinds.get(args.kind, Protocol)
    import json  # noqa: PLC0415 - only this command needs it

    json.dump(json_schema(cls), sys.stdout, indent=2)  # ASCII: escapes show
    sys.stdout.write("\n")
    return OK


def _log(args: argparse.Namespace) -> int:
    import datetime as dt  # noqa: PLC0415 - few commands need it

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

    if args.format == "fhir":
        from ..progress import SessionLog, log_to_fhir  # noqa: PLC0415

        subject = _subject(args)  # a mistake in it is said before anything is read
        with Store(args.db, readonly=True) as store:
            records = store.records(protocol.id)
        _print_json(log_to_fhir(SessionLog(records), subject=subject))
        return OK
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
    import datetime as dt  # noqa: PLC0415 - few commands need it

    from ..formats.text import plain  # noqa: PLC0415
    from ..progress import Store, advice_sections, advise  # noqa: PLC0415

    protocol = _load(args)
    subject = _subject(args)  # a mistake in it is said before anything is read
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
    if args.format == "fhir":
        from ..progress import advice_to_fhir  # noqa: PLC0415

        _print_json(advice_to_fhir(advice, protocol, limits=limits, subject=subject))
        return advice.action.exit_code
    text = plain(advice_sections(protocol, advice, limits))
    sys.stdout.write("\n".join(escaped(line) for line in text.split("\n")))
    return advice.action.exit_code


def _subject(args: argparse.Namespace) -> dict[str, str] | None:
    """The ``--subject`` as a FHIR Reference, checked as the writers check it."""
    if args.subject is None:
        return None
    from ..formats.fhir._writer import check_subject  # noqa: PLC0415

    subject = {"reference": args.subject}
    try:
        check_subject(subject)
    except InvalidModelError:
        msg = (
            "--subject: expected a reference such as Patient/123, or an absolute "
            f"URL to one, got {args.subject!r}"
        )
        raise _UsageError(msg) from None
    return subject


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


def _local_zone() -> str | None:
    """The IANA name of the local time zone, if the system says."""
    from pathlib import Path  # noqa: PLC0415
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
