"""``mobility run``: a coach in the terminal that walks one session's timeline.

It shows the stop rules first, then each moment of the session with a countdown
and a progress bar, pauses and resumes on the space bar, and stops cleanly on
``q`` or Ctrl-C. With ``--log`` it asks for the pain before and after and
records the session once it is done, never before: a session stopped part-way
leaves no record.

Everything a protocol file supplies is printed through :func:`escaped`, so a
hostile file cannot move the cursor or restyle the terminal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import select
import shutil
import sys
import textwrap
import time

from typing import IO, TYPE_CHECKING, Any, Final, Self

from .._words import escaped, fmt, minutes
from ..model import Range
from ..model.timeline import DoseEnd, Event, Moment, Timeline, timeline
from ._base import OK, PROG, _print_json, _UsageError
from ._files import _signals_end_cleanly


__all__ = ["STOPPED", "run"]


if TYPE_CHECKING:
    import argparse

    from collections.abc import Callable, Iterator

    from ..model import Protocol


#: The exit code of a session stopped part-way, as for Ctrl-C anywhere.
STOPPED: Final = 130

#: How often the countdown is redrawn, in seconds of the person's time.
_TICK: Final = 0.1

_PAUSE_KEYS: Final = frozenset({" ", "p"})
_STOP_KEYS: Final = frozenset({"q", "Q"})  # not Esc: an arrow key starts with it
_GO_KEYS: Final = frozenset({"\n", "\r"})

_LABELS: Final = {
    Moment.POSITION: "Get into position",
    Moment.MOVE: "Move",
    Moment.HOLD: "Hold",
    Moment.SWITCH: "Other side",
    Moment.REST: "Rest",
}


class _Stopped(Exception):  # noqa: N818 - a way out, not an error
    """The person stopped the session: q, Ctrl-C or a signal."""


class _Keys:
    """Single key presses from a terminal, or nothing when stdin is not one."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self._saved: list[Any] | None = None

    def __enter__(self) -> Self:
        if self.live:
            import termios  # noqa: PLC0415 - only a terminal needs them
            import tty  # noqa: PLC0415

            fd = self.stream.fileno()
            self._saved = termios.tcgetattr(fd)
            tty.setcbreak(fd)  # keys without Enter; Ctrl-C still interrupts
        return self

    def __exit__(self, *_: object) -> None:
        if self._saved is not None:
            import termios  # noqa: PLC0415

            termios.tcsetattr(self.stream.fileno(), termios.TCSADRAIN, self._saved)
            self._saved = None

    def read(self, timeout: float) -> str | None:
        """The key pressed within ``timeout`` seconds, or ``None``."""
        if not self.live:
            if timeout > 0:
                time.sleep(timeout)
            return None
        fd = self.stream.fileno()
        ready, _, _ = select.select([fd], [], [], max(timeout, 0))
        if not ready:
            return None
        key = os.read(fd, 1).decode("utf-8", "replace")
        return key or None


class _Coach:
    """Walks a timeline, drawing each moment and counting it down."""

    def __init__(
        self,
        session: Timeline,
        protocol: Protocol,
        *,
        speed: float,
        out: IO[str],
        keys: _Keys,
    ) -> None:
        self.session = session
        self.names = {exercise.id: exercise.name for exercise in protocol.exercises}
        self.speed = speed
        self.out = out
        self.keys = keys
        #: Where the time comes from: a test may set its own.
        self.clock: Callable[[], float] = time.monotonic
        self.live = out.isatty()
        self.width = max(40, min(100, shutil.get_terminal_size().columns - 1))
        self.full, self.empty = _bar_characters(out)

    # What a person sees

    def say(self, text: str = "", *, indent: str = "") -> None:
        """Print a paragraph, wrapped to the terminal, every control escaped."""
        if not text:
            self.out.write("\n")
            return
        lines = textwrap.wrap(
            text,
            self.width,
            initial_indent=indent,
            subsequent_indent="    " if indent else "",
        )  # tabs and newlines become spaces; any other control is escaped next
        self.out.write("\n".join(escaped(line) for line in lines) + "\n")
        self.out.flush()

    def bar(self, share: float, size: int) -> str:
        done = round(max(0.0, min(1.0, share)) * size)
        return self.full * done + self.empty * (size - done)

    def status(self, event: Event, left: float, *, paused: bool) -> None:
        """Redraw the countdown line in place (a terminal only)."""
        if not self.live:
            return
        total = self.session.seconds or 1
        elapsed = event.start + event.seconds - left
        share = 1 - left / event.seconds if event.seconds else 1
        line = (
            f"    [{self.bar(share, 20)}] {_clock(left)} left"
            f"   session [{self.bar(elapsed / total, 10)}] "
            f"{_clock(elapsed)} of {_clock(total)}"
        )
        if paused:
            line = f"    Paused with {_clock(left)} left: space resumes, q stops"
        self.out.write("\r\033[K" + line[: self.width])
        self.out.flush()

    def clear_status(self) -> None:
        if self.live:
            self.out.write("\r\033[K")
            self.out.flush()

    # The session

    def introduce(self, end: DoseEnd) -> None:
        """The session's name and length, and its safety text: stop rules first."""
        session = self.session
        self.say(
            f"{session.name}: about {minutes(Range(session.seconds))}, "
            f"at the {end.value} end of each range in the dose"
        )
        self.say()
        disclaimer = session.disclaimer
        for rule in disclaimer.stop_rules:
            self.say(rule, indent="STOP: ")
        self.say(disclaimer.text)
        self.say(f"The full safety text: {PROG} show {session.protocol}")

    def ready(self, *, interactive: bool) -> None:
        """Say the keys, and wait for the person to start."""
        if interactive:
            self.say()
            self.say("Keys: space pauses and resumes; q or Ctrl-C stops.")
            self.say("Press Enter to start.")
            self.wait_for_go()

    def wait_for_go(self) -> None:
        """Wait for Enter (or the space bar); q stops."""
        while True:
            key = self.keys.read(1.0)
            if key in _GO_KEYS or key == " ":
                return
            if key in _STOP_KEYS:
                raise _Stopped

    def walk(self, *, interactive: bool) -> None:
        current: str | None = None
        exercises = list(self.names)
        for event in self.session.events:
            if event.exercise != current:
                current = event.exercise
                number = exercises.index(current) + 1 if current in exercises else 0
                self.say()
                self.say(
                    f"{number}/{len(exercises)} {self.names.get(current, current)}"
                )
            self.say(event.text, indent=f"  {_label(event)}: ")
            if event.cue is not None:
                self.say(event.cue, indent="    Tip: ")
            if event.moment is Moment.POSITION:
                if interactive:
                    self.say("Press Enter when you are in position.", indent="    ")
                    self.wait_for_go()
                continue
            self.count_down(event)
        self.clear_status()

    def count_down(self, event: Event) -> None:
        """Wait out the event at the chosen speed, with pause and stop."""
        if self.speed == 0:
            return
        left = float(event.seconds)
        paused = False
        last = self.clock()
        while left > 0:
            self.status(event, left, paused=paused)
            key = self.keys.read(min(_TICK, left / self.speed) if not paused else 1.0)
            now = self.clock()
            if not paused:
                left -= (now - last) * self.speed
            last = now
            if key in _STOP_KEYS:
                raise _Stopped
            if key in _PAUSE_KEYS:
                paused = not paused
        self.clear_status()


def _label(event: Event) -> str:
    parts = [_LABELS[event.moment]]
    if event.moment in (Moment.HOLD, Moment.REST):
        parts[0] += f" {fmt(event.seconds)} s"
    detail = []
    if event.side is not None:
        detail.append(f"{event.side.value} side")
    if event.repetition is not None and event.repetitions is not None:
        detail.append(f"{event.repetition} of {event.repetitions}")
    if event.sets is not None and event.sets > 1 and event.set is not None:
        detail.append(f"set {event.set} of {event.sets}")
    return parts[0] + (f" ({', '.join(detail)})" if detail else "")


def _clock(seconds: float) -> str:
    """Seconds as m:ss, rounded up so a countdown never shows 0:00 early."""
    whole = int(-(-seconds // 1)) if seconds > 0 else 0
    return f"{whole // 60}:{whole % 60:02d}"


def _bar_characters(out: IO[str]) -> tuple[str, str]:
    """Block characters where the terminal can show them, ASCII elsewhere."""
    encoding = (getattr(out, "encoding", None) or "ascii").lower()
    if encoding.replace("-", "") in {"utf8", "utf16", "utf32"}:
        return "\u2588", "\u2591"
    return "#", "-"


# --------------------------------------------------------------------------------
# The command


def run(args: argparse.Namespace, protocol: Protocol) -> int:
    """Run ``mobility run`` on a protocol that has been loaded and validated."""
    if not args.log and (args.pain_before is not None or args.pain_after is not None):
        msg = "--pain-before and --pain-after go with --log"
        raise _UsageError(msg)
    if args.log and args.dry_run:
        msg = "--log records a session once it is done, and --dry-run runs none"
        raise _UsageError(msg)
    end = DoseEnd(args.end)
    try:
        session = timeline(protocol, end)
    except ValueError as error:
        raise _UsageError(str(error)) from None
    if args.format == "json":
        if not args.dry_run:
            msg = "--format json prints the timeline: give --dry-run as well"
            raise _UsageError(msg)
        from ..formats.json import to_dict  # noqa: PLC0415

        _print_json(to_dict(session))
        return OK
    if args.dry_run:
        _print_timeline(session, end)
        return OK
    out = sys.stdout
    started = dt.datetime.now().astimezone()
    with _Keys(sys.stdin) as keys:
        interactive = keys.live and args.speed > 0
        coach = _Coach(session, protocol, speed=args.speed, out=out, keys=keys)
        try:
            with _signals_end_cleanly():
                coach.introduce(end)
                pain_before = (
                    _ask_pain(args.pain_before, "before", keys) if args.log else None
                )
                coach.ready(interactive=interactive)
                coach.walk(interactive=interactive)
        except (_Stopped, KeyboardInterrupt, SystemExit):
            coach.clear_status()
            out.write("\nStopped. Nothing was logged.\n")
            out.flush()
            return STOPPED
    coach.say()
    coach.say(f"Session done: {_clock(session.seconds)} of exercise.")
    if not args.log:
        print(
            escaped(
                f"To record it: {PROG} log {args.source} --pain-before N --pain-after N"
            )
        )
        return OK
    try:
        with _Keys(sys.stdin) as keys:
            pain_after = _ask_pain(args.pain_after, "after", keys)
    except (KeyboardInterrupt, _Stopped):
        out.write("\nNothing was logged.\n")
        return STOPPED
    return _record(args, protocol, started, pain_before, pain_after)


def _ask_pain(given: int | None, when: str, keys: _Keys) -> int:
    """The pain rating from the option, else asked for (three tries)."""
    if given is not None:
        return given
    from argparse import ArgumentTypeError  # noqa: PLC0415

    from ._parser import _pain  # noqa: PLC0415

    with _cooked(keys):
        for _ in range(3):
            sys.stdout.write(f"Pain {when} the session, 0 (none) to 10 (worst)? ")
            sys.stdout.flush()
            line = sys.stdin.readline()
            if not line:
                break
            try:
                return _pain(line.strip())
            except ArgumentTypeError as error:
                print(escaped(str(error)))
    msg = f"--log needs the pain {when} the session: give --pain-{when} N or type it"
    raise _UsageError(msg)


@contextlib.contextmanager
def _cooked(keys: _Keys) -> Iterator[None]:
    """The terminal back in line mode while a line is typed."""
    if not keys.live or keys._saved is None:  # noqa: SLF001 - its own helper
        yield
        return
    import termios  # noqa: PLC0415

    fd = keys.stream.fileno()
    raw = termios.tcgetattr(fd)
    termios.tcsetattr(fd, termios.TCSADRAIN, keys._saved)  # noqa: SLF001
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, raw)


def _record(
    args: argparse.Namespace,
    protocol: Protocol,
    started: dt.datetime,
    pain_before: int | None,
    pain_after: int,
) -> int:
    from ..progress import SessionRecord, Store  # noqa: PLC0415
    from ._commands import _needs_attention, _record_line  # noqa: PLC0415

    record = SessionRecord(
        protocol_id=protocol.id,
        at=started,
        done=True,
        pain_before=pain_before,
        pain_after=pain_after,
    )
    with _signals_end_cleanly(), Store(args.db) as store:
        row = store.add(record)
    print(escaped(f"recorded in row {row}: {_record_line(record)}"))
    if _needs_attention(record):
        print(f"This needs attention now: run `{PROG} advise {protocol.id}`.")
    return OK


def _print_timeline(session: Timeline, end: DoseEnd) -> None:
    """The timeline as a table, stop rules first: what a run would walk."""
    out = sys.stdout
    print(
        escaped(
            f"{session.name}: {_clock(session.seconds)} in {len(session.events)} "
            f"moments, at the {end.value} end of each range in the dose"
        ),
        file=out,
    )
    for rule in session.disclaimer.stop_rules:
        print(escaped(f"STOP: {rule}"), file=out)
    print(file=out)
    print("START  SECONDS  WHAT", file=out)
    for event in session.events:
        print(
            escaped(
                f"{_clock(event.start):>5}  {fmt(event.seconds):>7}  "
                f"{_label(event)}: {event.text}"
            ),
            file=out,
        )
    print(file=out)
    print(escaped(session.disclaimer.text), file=out)
