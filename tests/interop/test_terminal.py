"""``mobility run`` in a real terminal: tmux, driven and read from outside.

tmux's send-keys types, and its capture-pane reads the screen.

What a person sees is what tmux's screen holds: the stop rule before anything
starts, a countdown that moves, a pause that holds it still, and Ctrl-C that
ends the session with nothing logged and the terminal as it was.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from mobility.progress import Store


if TYPE_CHECKING:
    from collections.abc import Iterator


SQUEEZE = "shoulder-blade-squeeze"


class Pane:
    """One tmux session running one command, and what its screen shows."""

    def __init__(self, tmux: str, command: str, folder: Path) -> None:
        self.tmux = tmux
        # A server of its own: a new session on a server that is closing fails.
        self.name = f"mobility-{uuid.uuid4().hex[:8]}"
        self.done = folder / "done"
        # The shell reports the exit code and the terminal's echo setting after
        # the command, then waits, so the screen can still be read. Its trap
        # keeps Ctrl-C from ending the shell too; the command gets it as usual.
        script = (
            f"trap true INT; {command}; echo EXIT=$? > {shlex.quote(str(self.done))}; "
            f"stty -a | tr ' ' '\\n' | grep -x -- '-*echo' >> "
            f"{shlex.quote(str(self.done))}; sleep 60"
        )
        # The shell finds `mobility` where this Python has it.
        path = f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"
        self.call(
            "new-session", "-d", "-s", self.name, "-x", "100", "-y", "40",
            f"exec env PATH={shlex.quote(path)} sh -c {shlex.quote(script)}",
        )  # fmt: skip

    def call(self, *args: str) -> str:
        """Run a tmux command on this pane's own server."""
        result = subprocess.run(
            [self.tmux, "-L", self.name, *args],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def screen(self) -> str:
        """What the screen shows now."""
        return self.call("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str) -> None:
        """Type keys, as tmux names them (Enter, Space, C-c)."""
        self.call("send-keys", "-t", self.name, "--", *keys)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        """The screen once it shows ``text``; fails with the screen if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        pytest.fail(f"the screen never showed {text!r}:\n{self.screen()}")

    def outcome(self, timeout: float = 20) -> list[str]:
        """The exit code line and the echo setting, once the command has ended."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.done.exists() and len(self.done.read_text().split()) == 2:
                return self.done.read_text().split()
            time.sleep(0.1)
        pytest.fail(f"the command never ended:\n{self.screen()}")

    def close(self) -> None:
        """End the tmux session, whatever state it is in."""
        subprocess.run(
            [self.tmux, "-L", self.name, "kill-server"],
            capture_output=True,
            check=False,
        )


@pytest.fixture
def tmux() -> str:
    """Debian's tmux (``make interop-deps`` installs it)."""
    found = shutil.which("tmux")
    if found is None:
        pytest.fail(
            "tmux is not available, so the terminal checks cannot run; run "
            "`make interop-deps` (apt-get install tmux)"
        )
    return found


@pytest.fixture
def pane_factory(tmux: str, tmp_path: Path) -> Iterator[object]:
    """Start ``mobility run ARGS`` in a new pane; every pane is closed after."""
    made: list[Pane] = []

    def make(*args: str, command: str | None = None) -> Pane:
        if command is None:
            command = shlex.join([sys.executable, "-m", "mobility", "run", *args])
        pane = Pane(tmux, command, tmp_path)
        made.append(pane)
        return pane

    yield make
    for pane in made:
        pane.close()


def test_countdown_pause_and_a_clean_stop_on_ctrl_c(
    pane_factory: object, tmp_path: Path
) -> None:
    """Stop rule first; the countdown moves, holds when paused; Ctrl-C logs nothing."""
    db = tmp_path / "log.db"
    pane = pane_factory(  # type: ignore[operator]
        SQUEEZE, "--speed", "2", "--log", "--pain-before", "2", "--db", str(db)
    )
    screen = pane.wait_for("Press Enter to start.")
    assert screen.index("STOP: Stop if the exercises make your symptoms worse") < (
        screen.index("Press Enter to start.")
    )
    pane.keys("Enter")
    pane.wait_for("Press Enter when you are in position.")
    pane.keys("Enter")
    first = _countdown(pane.wait_for("left   session"))
    time.sleep(1.5)
    second = _countdown(pane.wait_for("left   session"))
    assert second != first, "the countdown did not move"
    pane.keys("Space")
    paused = pane.wait_for("Paused with")
    time.sleep(1.5)
    assert pane.screen().count("Paused with") == 1
    assert _paused_at(pane.screen()) == _paused_at(paused), "it moved while paused"
    pane.keys("Space")
    pane.wait_for("left   session")
    pane.keys("C-c")
    pane.wait_for("Stopped. Nothing was logged.")
    exit_line, echo = pane.outcome()
    assert exit_line == "EXIT=130"
    assert echo == "echo", "the terminal was left without echo"
    assert not db.exists()


def test_a_whole_session_at_speed_0_logs_what_was_typed(
    pane_factory: object, tmp_path: Path
) -> None:
    """Straight through, the pains typed at the prompts, one record, exit 0."""
    db = tmp_path / "log.db"
    pane = pane_factory(SQUEEZE, "--speed", "0", "--log", "--db", str(db))  # type: ignore[operator]
    pane.wait_for("Pain before the session")
    pane.keys("3", "Enter")
    pane.wait_for("Pain after the session")
    screen = pane.screen()
    assert "Session done: 1:15 of exercise." in screen
    pane.keys("2", "Enter")
    pane.wait_for("recorded in row 1")
    exit_line, echo = pane.outcome()
    assert (exit_line, echo) == ("EXIT=0", "echo")
    with Store(db, readonly=True) as store:
        (record,) = store.records(SQUEEZE)
    assert (record.done, record.pain_before, record.pain_after) == (True, 3, 2)


def _countdown(screen: str) -> str:
    """The countdown line of a screen."""
    (line,) = [line for line in screen.splitlines() if "left   session" in line]
    return line


def _paused_at(screen: str) -> str:
    (line,) = [line for line in screen.splitlines() if "Paused with" in line]
    return line


#: How each shell loads the script, as the command's help says.
SHELL_SETUP = {
    "bash": ("bash --norc --noprofile", 'eval "$(mobility completion bash)"'),
    "zsh": (
        "zsh -f",
        'autoload -U compinit && compinit -u && eval "$(mobility completion zsh)"',
    ),
}


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_tab_completes_commands_ids_options_and_choices(
    pane_factory: object, shell: str
) -> None:
    """Typed with Tab in the shell itself: a command, an id, an option, a choice."""
    if shutil.which(shell) is None:
        pytest.fail(f"{shell} is not available; run `make interop-deps`")
    start, setup = SHELL_SETUP[shell]
    pane = pane_factory(command=start)  # type: ignore[operator]
    pane.keys(setup, "Enter")
    pane.keys("echo READY", "Enter")
    pane.wait_for("\nREADY")
    pane.keys("mobility ru", "Tab")
    # capture-pane leaves out the space a completion adds at the end of a line
    pane.wait_for("mobility run")
    pane.keys("lower", "Tab")
    pane.wait_for("mobility run lower-trunk-rotation")
    pane.keys("--e", "Tab")
    pane.wait_for("mobility run lower-trunk-rotation --end")
    pane.keys("Tab", "Tab")  # bash lists on the second press, zsh on the first
    screen = pane.wait_for("high")
    assert "low" in screen.split("--end", 1)[1]
    pane.keys("C-u", "mobility list --region upp", "Tab")
    pane.wait_for("mobility list --region upper-back")
