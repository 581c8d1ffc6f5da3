"""``mobility run``: the terminal coach, from outside and from inside.

The real terminal is tried with tmux in ``tests/interop/test_terminal.py``; here a
pseudo-terminal stands in, and the coach's parts run with a clock and keys of
the test's own.
"""

from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess
import sys
import time

from typing import TYPE_CHECKING

import attrs
import jsonschema
import pytest

import mobility.model.timeline

from mobility import catalog, json_schema, to_json
from mobility.cli import main
from mobility.cli._run import STOPPED, _clock, _Coach, _Keys, _Stopped
from mobility.model.timeline import Moment, Timeline, timeline
from mobility.progress import Store

from .test_cli import assert_user_error, run, unsafe, write


if TYPE_CHECKING:
    from pathlib import Path


SQUEEZE = catalog.get("shoulder-blade-squeeze")
LTR = catalog.get("lower-trunk-rotation")


def coach(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the command in this process; its exit code and what it printed."""
    code = main(["run", *args])
    return code, capsys.readouterr().out


class TestThroughTheSession:
    def test_speed_0_runs_straight_through(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Stop rules first, every moment in order, then done, exit 0."""
        code, out = coach([LTR.id, "--speed", "0"], capsys)
        assert code == 0
        stop = out.index("STOP: Stop at once if your pain increases")
        first = out.index("Move (first side, 1 of 10): Keep your knees together")
        assert stop < first
        assert out.count("Hold 10 s (first side") == 10
        assert out.count("Hold 10 s (second side") == 10
        assert "Session done: 5:00 of exercise." in out
        assert f"To record it: mobility log {LTR.id} --pain-before N" in out

    def test_the_high_end(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--end high works the top of each range: 15 holds of 15 s a side."""
        code, out = coach([LTR.id, "--speed", "0", "--end", "high"], capsys)
        assert code == 0
        assert out.count("Hold 15 s (first side") == 15
        assert "Session done: 10:00 of exercise." in out

    def test_in_real_time_it_waits(self, capsys: pytest.CaptureFixture[str]) -> None:
        """At --speed 1000 the 75 s session takes about 75 ms, not nothing."""
        began = time.monotonic()
        code, _ = coach([SQUEEZE.id, "--speed", "1000"], capsys)
        took = time.monotonic() - began
        assert code == 0
        assert took >= 0.07

    def test_with_log_it_records_the_session_once_done(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Pain before and after, as options: one record, done, at the start time."""
        db = tmp_path / "log.db"
        args = [SQUEEZE.id, "--speed", "0", "--log", "--db", str(db)]
        code, out = coach([*args, "--pain-before", "2", "--pain-after", "1"], capsys)
        assert code == 0
        assert "recorded in row 1:" in out
        assert "pain 2 -> 1" in out
        with Store(db, readonly=True) as store:
            (record,) = store.records(SQUEEZE.id)
        assert (record.done, record.pain_before, record.pain_after) == (True, 2, 1)

    def test_pain_is_asked_for_when_not_given(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Typed answers are read; a wrong one is asked again, with the reason."""
        monkeypatch.setattr(sys, "stdin", io.StringIO("3\n11\n6\n"))
        db = tmp_path / "log.db"
        code, out = coach(
            [SQUEEZE.id, "--speed", "0", "--log", "--db", str(db)], capsys
        )
        assert code == 0
        assert out.index("STOP:") < out.index("Pain before the session")
        assert "expected a whole number from 0 (no pain) to 10, got '11'" in out
        assert "pain 3 -> 6" in out
        assert f"This needs attention now: run `mobility advise {SQUEEZE.id}`." in out

    def test_no_pain_given_records_nothing(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Input that ends before the pain is given: a usage error, no database."""
        monkeypatch.setattr(sys, "stdin", io.StringIO("x\n"))
        db = tmp_path / "log.db"
        code = main(["run", SQUEEZE.id, "--speed", "0", "--log", "--db", str(db)])
        assert code == 2
        assert "--log needs the pain before the session" in capsys.readouterr().err
        assert not db.exists()

    def test_stopped_part_way_logs_nothing(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Ctrl-C in the middle: exit 130, a clear line, and no record at all."""
        reads = []

        def interrupted(_: _Keys, timeout: float) -> str | None:
            reads.append(timeout)
            if len(reads) > 3:
                raise KeyboardInterrupt
            return None

        monkeypatch.setattr(_Keys, "read", interrupted)
        db = tmp_path / "log.db"
        args = [SQUEEZE.id, "--speed", "10", "--log", "--db", str(db)]
        code, out = coach([*args, "--pain-before", "2", "--pain-after", "1"], capsys)
        assert code == STOPPED
        assert out.endswith("Stopped. Nothing was logged.\n")
        assert not db.exists()


class TestTheDryRun:
    def test_prints_the_timeline_with_the_stop_rules_first(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """One row per moment, under the stop rules, and the disclaimer after."""
        code, out = coach([LTR.id, "--dry-run"], capsys)
        assert code == 0
        lines = out.splitlines()
        assert lines[0].startswith("Lower trunk rotation: 5:00 in 41 moments")
        assert lines[1].startswith("STOP: ")
        rows = lines[lines.index("START  SECONDS  WHAT") + 1 :]
        assert rows[0] == (
            " 0:00        0  Get into position: Lie on your back with your knees "
            "bent and your feet flat on the floor."
        )
        assert rows[2].startswith(" 0:05       10  Hold 10 s (first side, 1 of 10)")
        assert lines[-1] == LTR.disclaimer.text

    def test_as_json_it_is_a_timeline_document(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The document is valid to the timeline schema and equals the library's."""
        code, out = coach([LTR.id, "--dry-run", "--format", "json"], capsys)
        assert code == 0
        document = json.loads(out)
        jsonschema.validate(document, json_schema(Timeline))
        assert document["events"] == json.loads(to_json(timeline(LTR)))["events"]

    def test_json_only_with_dry_run(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A run is for people; its JSON form is the timeline, printed not run."""
        assert main(["run", LTR.id, "--format", "json"]) == 2
        assert "--format json prints the timeline: give --dry-run" in (
            capsys.readouterr().err
        )


class TestRefusals:
    def test_an_unsafe_protocol_is_not_run(self, tmp_path: Path) -> None:
        """The validator's errors, exit 1, and not a moment of the session."""
        path = write(tmp_path / "unsafe.json", unsafe())
        result = run("run", str(path), "--speed", "0", cwd=tmp_path)
        assert result.returncode == 1
        assert "(unsafe: not exported)" in result.stderr
        assert result.stdout == ""

    @pytest.mark.parametrize("speed", ["-1", "fast", "inf", "nan", "1001", "0.01"])
    def test_a_speed_out_of_range(self, tmp_path: Path, speed: str) -> None:
        """A speed is 0, or from a tenth of real time to 1000 times it."""
        result = run("run", LTR.id, "--speed", speed, cwd=tmp_path)
        assert_user_error(
            result,
            f"expected 0 (no waiting) or a speed from 0.1 to 1000, got {speed!r}",
        )

    def test_pain_options_need_log(self, tmp_path: Path) -> None:
        """Pain given without --log would be thrown away: it is refused."""
        result = run("run", LTR.id, "--speed", "0", "--pain-after", "3", cwd=tmp_path)
        assert_user_error(result, "--pain-before and --pain-after go with --log")

    def test_log_needs_a_session_that_runs(self, tmp_path: Path) -> None:
        """A dry run does no session, so there is nothing to log."""
        result = run("run", LTR.id, "--dry-run", "--log", cwd=tmp_path)
        assert_user_error(result, "--log records a session once it is done")

    def test_a_session_too_long_to_lay_out(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A safe session with more moments than a timeline holds: one line, exit 2.

        No catalogue session comes near the cap (61 moments at most), so the cap
        is lowered to reach it.
        """
        monkeypatch.setattr(mobility.model.timeline, "MAX_EVENTS", 40)
        assert main(["run", LTR.id, "--dry-run"]) == 2
        err = capsys.readouterr().err
        assert err == (
            "mobility: a session of 41 events is too long to lay out; a timeline "
            "holds at most 40\n"
        )

    def test_control_characters_from_a_file_are_escaped(self, tmp_path: Path) -> None:
        """A hostile step cannot clear or restyle the terminal."""
        exercise = SQUEEZE.exercises[0]
        bad = attrs.evolve(exercise, position="Sit.\u2028\u2028\tThen\ngo.")
        path = write(tmp_path / "bad.json", attrs.evolve(SQUEEZE, exercises=(bad,)))
        result = run("run", str(path), "--speed", "0", cwd=tmp_path)
        assert result.returncode == 0
        assert "Get into position: Sit.\\u2028\\u2028" in result.stdout
        assert "Then go." in result.stdout
        assert "\u2028" not in result.stdout
        assert "\t" not in result.stdout


class FakeKeys(_Keys):
    """Keys pressed at given moments of a clock the test moves."""

    def __init__(self, presses: dict[float, str]) -> None:
        super().__init__(io.StringIO())
        self.now = 0.0
        self.presses = dict(presses)

    def read(self, timeout: float) -> str | None:
        """The key due by the time the wait is over, if any."""
        self.now += timeout
        due = [at for at in self.presses if at <= self.now]
        if due:
            return self.presses.pop(min(due))
        return None


class TestTheCountdown:
    def coach(self, keys: FakeKeys, speed: float = 1) -> _Coach:
        """A coach of the squeeze's first hold, on the fake clock."""
        coach = _Coach(
            timeline(SQUEEZE), SQUEEZE, speed=speed, out=io.StringIO(), keys=keys
        )
        coach.clock = lambda: keys.now
        return coach

    def hold(self) -> object:
        """The first hold of the squeeze: 10 s."""
        return next(e for e in timeline(SQUEEZE).events if e.moment is Moment.HOLD)

    def test_a_hold_lasts_its_seconds(self) -> None:
        """Ten seconds of the clock, to a tick."""
        keys = FakeKeys({})
        self.coach(keys).count_down(self.hold())  # type: ignore[arg-type]
        assert keys.now == pytest.approx(10, abs=0.11)

    def test_twice_as_fast_takes_half(self) -> None:
        """--speed 2: five seconds of the clock."""
        keys = FakeKeys({})
        self.coach(keys, speed=2).count_down(self.hold())  # type: ignore[arg-type]
        assert keys.now == pytest.approx(5, abs=0.11)

    def test_a_pause_stops_the_countdown_until_resumed(self) -> None:
        """Paused at 3 s for 20 s: the hold ends 20 s later, no sooner."""
        keys = FakeKeys({3.0: " ", 23.0: " "})
        self.coach(keys).count_down(self.hold())  # type: ignore[arg-type]
        assert keys.now == pytest.approx(30, abs=1.1)

    def test_q_stops(self) -> None:
        """The q key at 4 s stops the session."""
        keys = FakeKeys({4.0: "q"})
        with pytest.raises(_Stopped):
            self.coach(keys).count_down(self.hold())  # type: ignore[arg-type]
        assert keys.now == pytest.approx(4, abs=0.11)


def test_the_clock_never_shows_zero_early() -> None:
    """0.2 s left is 0:01; a minute and a half is 1:30."""
    assert [_clock(0.2), _clock(0), _clock(90), _clock(59.5)] == [
        "0:01",
        "0:00",
        "1:30",
        "1:00",
    ]


def in_a_terminal(*args: str, keys: list[tuple[str, bytes]]) -> tuple[int, str]:
    """Run `mobility run` on a pseudo-terminal, pressing keys when text shows.

    ``keys`` pairs text to wait for with the bytes to type once it shows.
    """
    leader, follower = pty.openpty()
    environment = {**os.environ, "COLUMNS": "90", "LINES": "30"}
    with subprocess.Popen(
        [sys.executable, "-m", "mobility", "run", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=environment,
    ) as process:
        os.close(follower)
        seen = b""
        pending = list(keys)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the terminal closed: the command ended
                    break
                if not chunk:
                    break
                seen += chunk
            if pending and pending[0][0].encode() in seen:
                os.write(leader, pending.pop(0)[1])
        code = process.wait(timeout=10)
    os.close(leader)
    return code, seen.decode("utf-8", "replace")


class TestInAPseudoTerminal:
    def test_a_whole_session_with_keys(self, tmp_path: Path) -> None:
        """Enter to start, Enter in position, a pause and a resume, then logged."""
        db = tmp_path / "log.db"
        code, seen = in_a_terminal(
            SQUEEZE.id,
            "--speed",
            "100",
            "--log",
            "--db",
            str(db),
            keys=[
                ("Pain before the session", b"2\n"),
                ("Press Enter to start.", b"\r"),
                ("Press Enter when you are in position.", b"\r"),
                ("left   session", b" "),
                ("Paused with", b" "),
                ("Pain after the session", b"1\n"),
            ],
        )
        assert code == 0, seen
        assert "\u2588" in seen  # the bar, drawn in blocks on a UTF-8 terminal
        assert "recorded in row 1" in seen
        with Store(db, readonly=True) as store:
            (record,) = store.records(SQUEEZE.id)
        assert (record.pain_before, record.pain_after) == (2, 1)

    def test_q_stops_and_the_terminal_is_given_back(self, tmp_path: Path) -> None:
        """The q key mid-session: exit 130, nothing logged."""
        db = tmp_path / "log.db"
        code, seen = in_a_terminal(
            SQUEEZE.id,
            "--log",
            "--pain-before",
            "2",
            "--db",
            str(db),
            keys=[
                ("Press Enter to start.", b"\r"),
                ("Press Enter when you are in position.", b"\r"),
                ("left   session", b"q"),
            ],
        )
        assert code == STOPPED, seen
        assert "Stopped. Nothing was logged." in seen
        assert not db.exists()
