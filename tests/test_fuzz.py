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
import shutil
import sqlite3
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
    Timeline,
    catalog,
    from_dict,
    from_fhir,
    from_json,
    timeline,
    to_fhir,
    to_ical,
    to_json,
)
from mobility.cli import main
from mobility.progress import SessionLog, SessionRecord, Stiffness, Store, advise
from mobility.research.strategies import safe_protocols

from .test_json import PYTHON_VALUES
from .test_json_schema import JSON_VALUES, mutate


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
BUNDLES = [
    json.dumps(to_fhir(catalog.get(protocol_id))) for protocol_id in catalog.ids()
]

LUMBAR = catalog.get("lower-trunk-rotation")
_BERLIN = dt.timezone(dt.timedelta(hours=1))
_KATHMANDU = dt.timezone(dt.timedelta(hours=5, minutes=45))
#: A fortnight's records of every kind a person makes: done and skipped, rated
#: and not, a step, a sign from the list and one in plain words, a note.
RECORDS = (
    SessionRecord(
        protocol_id=LUMBAR.id,
        at=dt.datetime(2026, 3, 2, 7, 30, tzinfo=_BERLIN),
        pain_before=2,
        pain_after=1,
        stiffness=Stiffness.BETTER,
        step=0,
    ),
    SessionRecord(
        protocol_id=LUMBAR.id,
        at=dt.datetime(2026, 3, 3, 7, 30, tzinfo=_BERLIN),
        done=False,
        note="overslept",
    ),
    SessionRecord(
        protocol_id=LUMBAR.id,
        at=dt.datetime(2026, 3, 5, 21, 0, tzinfo=_KATHMANDU),
        pain_before=3,
        pain_after=6,
        stiffness=Stiffness.WORSE,
        red_flags=("numbness in the saddle area", "my toes went blue"),
    ),
    SessionRecord(
        protocol_id="nhs-inform-back-exercises",
        at=dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.UTC),
        pain_before=0,
        pain_after=0,
        step=2,
        note="Grüße, ☃",
    ),
)
LOGS = [
    to_json(SessionLog(RECORDS)),
    to_json(SessionLog(RECORDS[:1])),
    to_json(SessionLog(())),
]
TIMELINES = [
    to_json(timeline(catalog.get(protocol_id), end))
    for protocol_id in ("lower-trunk-rotation", "csp-back-pain-exercises")
    for end in ("low", "high")
]


class Tally:
    """How many inputs a target tried, and the slowest of them."""

    def __init__(self) -> None:
        self.inputs = 0
        self.refused = 0
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
            outcome = call()
            elapsed = time.perf_counter() - start
        finally:
            gc.enable()
        self.inputs += 1
        self.refused += outcome is REFUSED
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
            f"  {name}: {tally.inputs} inputs ({tally.refused} refused), "
            f"slowest {tally.slowest * 1000:.1f} ms"
        )
    if slowest is not None:
        lines.append(f"  slowest input: {slowest.slowest_input}")
    print("\n" + "\n".join(lines))  # noqa: T201 - the fuzz run's report
    if "MOBILITY_FUZZ_EXAMPLES" in os.environ:
        assert over == 0, f"{over} inputs took over {LIMIT_SECONDS:g} s"


def tally(name: str) -> Tally:
    """The tally of one target."""
    return TALLIES.setdefault(name, Tally())


#: What a target's call returns when the input was refused with the library's
#: own error (or, for the command, exit 2), for the tallies.
REFUSED: object = object()


def only_ours(call: Callable[[], object]) -> Callable[[], object]:
    """Run ``call``; a library error is an answer, anything else fails the test."""

    def run() -> object:
        try:
            return call()
        except MobilityError:
            return REFUSED

    return run


# Text mutations of real documents: bytes flipped, cut, repeated or inserted.
@st.composite
def mutated_texts(draw: st.DrawFn, seeds: list[str] = SEEDS) -> bytes:
    """A real document (a catalogue entry by default) with a few edits to its bytes."""
    data = bytearray(draw(st.sampled_from(seeds)).encode())
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


# Hand edits of a store's file: SQL another program could run, and damage.
@attrs.frozen
class Edit:
    """One change to a database file, made without mobility."""

    what: str
    values: tuple[object, ...] = ()

    def __call__(self, path: Path) -> None:
        """Make the change; one SQLite refuses (a constraint) is not made."""
        if self.what == "bytes":
            data = bytearray(path.read_bytes())
            where, value = self.values
            assert isinstance(where, int)
            assert isinstance(value, bytes)
            data[where % (len(data) + 1) : where % (len(data) + 1) + len(value)] = value
            path.write_bytes(bytes(data))
            return
        if self.what == "truncate":
            (size,) = self.values
            assert isinstance(size, int)
            with path.open("r+b") as file:
                file.truncate(size)
            return
        if self.what == "replace":
            (data,) = self.values
            assert isinstance(data, bytes)
            path.write_bytes(data)
            return
        connection = sqlite3.connect(path)
        try:
            connection.execute(self.what, self.values)
            connection.commit()
        except (sqlite3.IntegrityError, sqlite3.OperationalError):
            pass  # refused by SQLite (a constraint, a dropped table): not made
        except (sqlite3.DatabaseError, UnicodeDecodeError):
            pass  # the file was damaged by an earlier edit
        finally:
            connection.close()


_SQL_VALUES = st.one_of(
    st.none(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.binary(max_size=20),
    JSON_VALUES.map(json.dumps),
)
_ROWS = st.integers(0, 8)
#: The other columns of a record's row, each set to a drawn value.
_COLUMNS = {
    column: f"UPDATE records SET {column} = ? WHERE id = 1"  # noqa: S608 - fixed names
    for column in ("protocol_id", "at_utc", "id")
}


@st.composite
def _record_texts(draw: st.DrawFn) -> str:
    """A stored record's text with a value changed, or its bytes edited."""
    records = json.loads(LOGS[0])["records"]
    if draw(st.booleans()):
        return json.dumps(mutate(draw(st.sampled_from(records)), draw(st.data())))
    seeds = [json.dumps(record) for record in records]
    return draw(mutated_texts(seeds)).decode("utf-8", "replace")


def store_edits() -> st.SearchStrategy[list[Edit]]:
    """One to three edits of the kinds a person or another program makes."""
    edit = st.one_of(
        st.tuples(_record_texts() | _SQL_VALUES, _ROWS).map(
            lambda v: Edit("UPDATE records SET record = ? WHERE id = ?", v)
        ),
        st.tuples(st.sampled_from(sorted(_COLUMNS)), _SQL_VALUES).map(
            lambda v: Edit(_COLUMNS[v[0]], (v[1],))
        ),
        st.tuples(_ROWS, _ROWS | st.none(), _SQL_VALUES, _SQL_VALUES).map(
            lambda v: Edit(
                "INSERT INTO changes (record_id, replacement_id, reason, at_utc)"
                " VALUES (?, ?, ?, ?)",
                v,
            )
        ),
        st.tuples(_ROWS).map(lambda v: Edit("DELETE FROM records WHERE id = ?", v)),
        st.sampled_from(
            [
                Edit("DROP TABLE changes"),
                Edit("DROP TABLE records"),
                Edit("CREATE TABLE notes (text)"),
                Edit("ALTER TABLE records ADD COLUMN extra"),
                Edit("ALTER TABLE records RENAME TO old"),
                Edit("PRAGMA journal_mode = DELETE"),
                Edit("UPDATE changes SET replacement_id = record_id"),
                Edit("UPDATE records SET protocol_id = 'lower-trunk-rotation'"),
            ]
        ),
        st.integers(-(2**31), 2**31 - 1).map(
            lambda n: Edit(f"PRAGMA user_version = {n:d}")
        ),
        st.tuples(st.integers(0, 2**20), st.binary(min_size=1, max_size=64)).map(
            lambda v: Edit("bytes", v)
        ),
        st.integers(0, 2**16).map(lambda n: Edit("truncate", (n,))),
        st.binary(max_size=512).map(
            lambda data: Edit("replace", (b"SQLite format 3\x00" + data,))
        ),
        st.binary(max_size=512).map(lambda data: Edit("replace", (data,))),
    )
    return st.lists(edit, min_size=1, max_size=3)


def store_template(factory: pytest.TempPathFactory) -> Path:
    """A store holding the fuzz records, a correction and a voiding, made once."""
    if not _TEMPLATE:
        path = factory.mktemp("template") / "log.sqlite3"
        with Store(path) as store:
            rows = [store.add(record) for record in RECORDS]
            store.correct(rows[0], attrs.evolve(RECORDS[0], pain_after=2))
            store.void(rows[1], reason="pressed by mistake")
        _TEMPLATE.append(path)
    return _TEMPLATE[0]


_TEMPLATE: list[Path] = []


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

        def load() -> object:
            with pytest.raises(FormatError):
                from_dict(value, cls)
            return REFUSED

        tally("from_dict, any value").time(load, value)

    @FUZZ
    @given(mutated_texts())
    def test_the_command_on_any_file(
        self, tmp_path_factory: pytest.TempPathFactory, data: bytes
    ) -> None:
        """`validate`, `show` and `run --dry-run`: exit 0, 1 or 2, no controls."""
        folder = tmp_path_factory.mktemp("fuzz")
        path = folder / "input.json"
        path.write_bytes(data)
        codes: list[int] = []
        out, err = io.StringIO(), io.StringIO()

        def run() -> object:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                codes.extend(
                    main([command, str(path)]) for command in ("validate", "show")
                )
                codes.append(main(["run", str(path), "--dry-run"]))
            return REFUSED if 2 in codes else None  # exit 2: unreadable

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

    @FUZZ
    @given(st.sampled_from(BUNDLES), st.data())
    def test_from_fhir_on_mutated_structure(
        self, seed: str, data: st.DataObject
    ) -> None:
        """A bundle with a value deleted, added or replaced: read, or FormatError."""
        bundle = mutate(json.loads(seed), data)
        tally("from_fhir, edited values").time(
            only_ours(lambda: from_fhir(bundle)), bundle
        )

    @FUZZ
    @given(mutated_texts(BUNDLES))
    def test_the_command_on_any_bundle(
        self, tmp_path_factory: pytest.TempPathFactory, data: bytes
    ) -> None:
        """`validate` and `show` on edited FHIR bundles: exit 0, 1 or 2, no controls."""
        path = tmp_path_factory.mktemp("fuzz") / "bundle.json"
        path.write_bytes(data)
        codes: list[int] = []
        out, err = io.StringIO(), io.StringIO()

        def run() -> object:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                codes.extend(
                    main([command, str(path)]) for command in ("validate", "show")
                )
            return REFUSED if 2 in codes else None  # exit 2: unreadable

        tally("the command, edited bundles").time(run, data)
        assert set(codes) <= {0, 1, 2}
        printed = out.getvalue() + err.getvalue()
        assert not any(c < " " and c not in "\t\n" for c in printed)

    @FUZZ
    @given(mutated_texts(LOGS))
    def test_session_logs_on_mutated_bytes(self, data: bytes) -> None:
        """Any edit of a session log's bytes loads or is a FormatError."""
        tally("session logs, edited bytes").time(
            only_ours(lambda: from_json(data, SessionLog)), data
        )

    @FUZZ
    @given(st.sampled_from(LOGS), st.data())
    def test_session_logs_on_mutated_structure(
        self, seed: str, data: st.DataObject
    ) -> None:
        """A session log with a value changed anywhere loads or is a FormatError."""
        text = json.dumps(mutate(json.loads(seed), data))
        tally("session logs, edited values").time(
            only_ours(lambda: from_json(text, SessionLog)), text
        )

    @FUZZ
    @given(mutated_texts(TIMELINES))
    def test_timelines_on_mutated_bytes(self, data: bytes) -> None:
        """Any edit of a timeline's bytes loads or is a FormatError."""
        tally("timelines, edited bytes").time(
            only_ours(lambda: from_json(data, Timeline)), data
        )

    @FUZZ
    @given(st.sampled_from(TIMELINES), st.data())
    def test_timelines_on_mutated_structure(
        self, seed: str, data: st.DataObject
    ) -> None:
        """A timeline with a value changed anywhere loads or is a FormatError."""
        text = json.dumps(mutate(json.loads(seed), data))
        tally("timelines, edited values").time(
            only_ours(lambda: from_json(text, Timeline)), text
        )

    @FUZZ
    @given(store_edits())
    def test_the_store_on_hand_edited_files(
        self, tmp_path_factory: pytest.TempPathFactory, edits: list[Edit]
    ) -> None:
        """A store edited by hand or replaced by another file.

        Reading it gives records or a StoreError, and changes nothing;
        `mobility advise` on it exits 0, 2, 3 or 4 and prints no controls.
        """
        path = tmp_path_factory.mktemp("fuzz") / "log.sqlite3"
        shutil.copyfile(store_template(tmp_path_factory), path)
        for edit in edits:
            edit(path)
        before = path.read_bytes()
        codes: list[int] = []
        out, err = io.StringIO(), io.StringIO()

        def read() -> object:
            with (
                contextlib.suppress(MobilityError),
                Store(path, readonly=True) as store,
            ):
                store.history()  # every row, so a bad one refuses it
            try:
                with Store(path, readonly=True) as store:
                    records = store.records(LUMBAR.id)
            except MobilityError:
                outcome = REFUSED
            else:
                outcome = advise(LUMBAR, records, today=dt.date(2026, 3, 16))
            command = ["advise", LUMBAR.id, "--db", str(path), "--today", "2026-03-16"]
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                codes.append(main(command))
            return outcome

        result = tally("the store, edited files")
        refused = result.refused
        result.time(read, [repr(edit) for edit in edits])
        assert set(codes) <= {0, 2, 3, 4}
        # The command refuses (exit 2) exactly the stores whose records, read as
        # it reads them, the library refuses.
        assert (codes == [2]) == (result.refused > refused)
        printed = out.getvalue() + err.getvalue()
        assert not any(c < " " and c not in "\t\n" for c in printed)
        assert path.read_bytes() == before
        assert sorted(p.name for p in path.parent.iterdir()) == ["log.sqlite3"]


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
