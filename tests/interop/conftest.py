"""The third-party readers the interop suite runs, found or installed.

``make test`` installs them first (``make interop-deps``: the npm packages pinned in
``package-lock.json``: the calendar readers, ajv, Medplum's validator and R4
definitions, and the fhirpath engine; and Debian's ``khal``, ``python3-gi``,
``gir1.2-ical-3.0``, and ``tmux`` and ``zsh`` for the terminal checks). A fixture
installs the npm packages itself when they are missing. A reader that is missing and
cannot be installed fails the tests that need it, with a message saying what to
install: it is never skipped.
"""

from __future__ import annotations

import json
import shutil
import subprocess

from pathlib import Path
from typing import Any

import pytest


HERE = Path(__file__).parent
DEBIAN_PYTHON = Path("/usr/bin/python3")


def _missing(what: str, how: str) -> None:
    pytest.fail(f"{what} is not available, so this check cannot run; {how}")


@pytest.fixture(scope="session")
def node() -> str:
    """The node executable, with the npm packages of package.json installed."""
    found = shutil.which("node")
    npm = shutil.which("npm")
    if found is None or npm is None:
        _missing("Node.js with npm", "install Node.js 20 or newer")
    assert found is not None
    assert npm is not None
    needed = ("ical.js", "node-ical", "ajv", "@medplum/core", "fhirpath")
    if not all((HERE / "node_modules" / name).is_dir() for name in needed):
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=HERE,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            _missing("the npm packages", f"`npm ci` failed: {result.stderr[-500:]}")
    return found


@pytest.fixture(scope="session")
def khal() -> str:
    """Debian's khal."""
    found = shutil.which("khal")
    if found is None:
        _missing("khal", "run `make interop-deps` (apt-get install khal)")
    assert found is not None
    return found


@pytest.fixture(scope="session")
def libical() -> str:
    """Debian's Python, which has libical's GObject bindings."""
    probe = "import gi; gi.require_version('ICalGLib', '3.0')"
    ok = DEBIAN_PYTHON.exists() and (
        subprocess.run(
            [DEBIAN_PYTHON, "-c", probe], capture_output=True, check=False
        ).returncode
        == 0
    )
    if not ok:
        _missing(
            "libical's Python bindings",
            "run `make interop-deps` (apt-get install python3-gi gir1.2-ical-3.0)",
        )
    return str(DEBIAN_PYTHON)


def run_json(command: list[str], **kwargs: Any) -> Any:
    """Run a reader and parse what it prints as JSON; fail with its stderr."""
    result = subprocess.run(
        command, capture_output=True, text=True, check=False, **kwargs
    )
    if result.returncode != 0:
        pytest.fail(f"{command[0]} failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout)
