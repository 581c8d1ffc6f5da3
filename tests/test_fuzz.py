"""Fuzzing what parses: documents, Python values, the command's files, calendars.

Each target feeds hostile input to one entry point and allows exactly two
outcomes: a result, or the library's own error. ``make test`` runs a short
profile; ``make fuzz`` sets ``MOBILITY_FUZZ_EXAMPLES`` for a long run and prints
how many inputs were tried, how many raised anything else (always 0, or a test
fails), and the slowest input.
"""

import contextlib
import datetime as dt
import gc
import io
import json
import os
import time

from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import icalendar
import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobility import (
    Exercise,
    FormatError,
    MobilityError,
    Protocol,
    Schedule,
    catalog,
    from_dict,
    from_json,
    to_ical,
    to_json,
)
from mobility.cli import main
from mobility.strategies import safe_protocols

from .test_json import PYTHON_VALUES
from .test_json_schema import mutate


#: Inputs per target: a short profile by default, many more from `make fuzz`.
EXAMPLES = int(os.environ.get("MOBILITY_FUZZ_EXAMPLES", "500"))
#: The most one input may take in the long run.
LIMIT_SECONDS = 1.0
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SEEDS = [to_json(catalog.get(protocol_id)) for protocol_id in catalog.ids()]


class Tally:
    """How many inputs a target tried, and the slowest of them."""

    def __init__(self) -> None:
        self.inputs = 0
        self.over_limit = 0
        self.slowest = 0.0
        self.slowest_input = ""

    def time(self, call: Callable[[], object], shown: object) -> None:
        """Run one input, timing it.

        The garbage collector waits while it runs: a long run keeps hypothesis's
        record of every input in memory, and a full collection of that, which
        may fall in any input, is not the input's own cost.
        """
        gc.disable()
        try:
            start = time.perf_counter()
            call()
            elapsed = time.perf_counter() - start
        finally:
            gc.enable()
        self.inputs += 1
        self.over_limit += elapsed > LIMIT_SECONDS
        if elapsed > self.slowest:
            self.slowest = elapsed
            self.slowest_input = _shown(shown)


def _shown(value: object) -> str:
    """The start of a value's repr; Python will not print an int of 5,000 digits."""
    try:
        return repr(value)[:120]
    except ValueError:
        return f"<a {type(value).__name__} too large to print>"


TALLIES: dict[str, Tally] = {}


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    """Print what the targets tried, once they have all run.

    In the long run (``make fuzz``) an input over the time limit fails it; the
    short profile inside ``make test`` only reports, as a shared machine's
    timings are no test.
    """
    yield
    total = sum(tally.inputs for tally in TALLIES.values())
    over = sum(tally.over_limit for tally in TALLIES.values())
    slowest = max(TALLIES.values(), key=lambda tally: tally.slowest, default=None)
    lines = [
        (
            f"fuzz: {total} inputs, 0 exceptions other than the library's own "
            f"(any other fails its test), {over} over {LIMIT_SECONDS:g} s"
        )
    ]
    for name, tally in TALLIES.items():
        lines.append(
            f"  {name}: {tally.inputs} inputs, slowest {tally.slowest * 1000:.1f} ms"
        )
    if slowest is not None:
        lines.append(f"  slowest input: {slowest.slowest_input}")
    print("\n" + "\n".join(lines))  # noqa: T201 - the fuzz run's report
    if "MOBILITY_FUZZ_EXAMPLES" in os.environ:
        assert over == 0, f"{over} inputs took over {LIMIT_SECONDS:g} s"


def tally(name: str) -> Tally:
    """The tally of one target."""
    return TALLIES.setdefault(name, Tally())


def only_ours(call: Callable[[], object]) -> Callable[[], object]:
    """Run ``call``; a library error is an answer, anything else fails the test."""

    def run() -> object:
        try:
            return call()
        except MobilityError:
            return None

    return run


# Text mutations of real documents: bytes flipped, cut, repeated or inserted.
@st.composite
def mutated_texts(draw: st.DrawFn) -> bytes:
    """A catalogue document with a few random edits to its bytes."""
    data = bytearray(draw(st.sampled_from(SEEDS)).encode())
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "cut", "insert", "repeat"]))
        if action == "flip" and where < len(data):
            data[where] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[where : where + draw(st.integers(1, 64))]
        elif action == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=16))
        else:
            data[where:where] = data[where : where + 32] * draw(st.integers(1, 50))
    return bytes(data)


class TestFuzz:
    @FUZZ
    @given(mutated_texts())
    def test_from_json_on_mutated_bytes(self, data: bytes) -> None:
        """Any edit of a real document loads or is a FormatError."""
        tally("from_json, edited bytes").time(only_ours(lambda: from_json(data)), data)

    @FUZZ
    @given(st.sampled_from(SEEDS), st.data())
    def test_from_json_on_mutated_structure(
        self, seed: str, data: st.DataObject
    ) -> None:
        """A deleted, added or replaced value anywhere loads or is a FormatError."""
        document = mutate(json.loads(seed), data)
        text = json.dumps(document)
        tally("from_json, edited values").time(
            only_ours(lambda: from_json(text)), document
        )

    @FUZZ
    @given(PYTHON_VALUES, st.sampled_from([Protocol, Exercise]))
    def test_from_dict_on_any_python_value(self, value: object, cls: type) -> None:
        """Whatever a caller passes, from_dict answers with FormatError."""

        def load() -> None:
            with pytest.raises(FormatError):
                from_dict(value, cls)

        tally("from_dict, any value").time(load, value)

    @FUZZ
    @given(mutated_texts())
    def test_the_command_on_any_file(
        self, tmp_path_factory: pytest.TempPathFactory, data: bytes
    ) -> None:
        """`mobility validate` and `show` exit 0, 1 or 2, and print no controls."""
        folder = tmp_path_factory.mktemp("fuzz")
        path = folder / "input.json"
        path.write_bytes(data)
        codes: list[int] = []
        out, err = io.StringIO(), io.StringIO()

        def run() -> None:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                codes.extend(
                    main([command, str(path)]) for command in ("validate", "show")
                )

        tally("the command, edited files").time(run, data)
        assert set(codes) <= {0, 1, 2}
        printed = out.getvalue() + err.getvalue()
        assert not any(c < " " and c not in "\t\n" for c in printed)

    @FUZZ
    @given(
        safe_protocols(),
        st.text(
            st.characters(exclude_categories=["Cc", "Cs"]), min_size=1, max_size=30
        ),
    )
    def test_calendars_with_hostile_text(self, protocol: Protocol, text: str) -> None:
        """Any text a protocol can hold stays text in a calendar a parser reads."""
        sessions = protocol.frequency.sessions_per_day

        def export() -> None:
            named = attrs.evolve(protocol, name=f"x{text}")
            step = attrs.evolve(named.exercises[0].steps[0], cue=text)
            exercise = attrs.evolve(
                named.exercises[0], steps=(step, *named.exercises[0].steps[1:])
            )
            named = attrs.evolve(named, exercises=(exercise, *named.exercises[1:]))
            schedule = Schedule(
                named,
                dt.date(2026, 3, 23),
                at=[dt.time(6 + n) for n in range(sessions)],
                tz="UTC",
            )
            data = to_ical(schedule)
            assert not any(byte < 0x20 and byte not in b"\t\r\n" for byte in data)
            calendar = icalendar.Calendar.from_ical(data)
            assert len(calendar.walk("VEVENT")) >= sessions

        tally("to_ical, hostile text").time(only_ours(export), text)


def test_the_regressions_are_named(request: pytest.FixtureRequest) -> None:
    """The ten cases of issue 11 each have a test of their own, by these names."""
    root = Path(request.config.rootpath) / "tests"
    names = " ".join(p.read_text(encoding="utf-8") for p in root.glob("test_*.py"))
    for name in (
        "test_problems_are_bounded",
        "test_control_characters_and_lone_surrogates",
        "test_only_regular_files_and_stdin_are_read",
        "test_a_start_too_late_for_the_calendar",
        "test_hostile_values_reach_no_terminal_raw",
        "test_no_window_between_check_and_write",
        "test_force_replaces_only_regular_files",
        "test_files_hold_no_raw_control_character",
        "test_a_key_that_is_not_a_string",
        "test_a_key_stated_twice",
    ):
        assert f"def {name}(" in names, name
