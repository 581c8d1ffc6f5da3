"""What every part of the command shares: its name, exit codes and messages."""

from __future__ import annotations

import os
import sys

from typing import IO, Final

from .._words import escaped
from ..errors import FormatError, MobilityError


PROG: Final = "mobility"

#: Exit codes.
OK: Final = 0
UNSAFE: Final = 1
USAGE: Final = 2

_BOLD: Final = "\033[1m"
_RESET: Final = "\033[0m"


class _UsageError(MobilityError, ValueError):
    """A mistake in how the command was called; the message says which."""


class _BadFileError(MobilityError):
    """A protocol file that cannot be loaded, with its name for the messages."""

    def __init__(self, name: str, error: FormatError) -> None:
        super().__init__(f"{name}: {error}")
        self.name = name
        self.problems = error.problems
        self.more = error.more


def _err(message: str) -> None:
    print(f"{PROG}: {escaped(message)}", file=sys.stderr)


def _print_json(document: object) -> None:
    import json  # noqa: PLC0415 - only the JSON forms need it

    # ASCII, so that no text from a record reaches the terminal as a control.
    json.dump(document, sys.stdout, indent=2, ensure_ascii=True)
    sys.stdout.write("\n")


def _styled(stream: IO[str]) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ
