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

import os
import sys

from typing import TYPE_CHECKING

from ..errors import MobilityError, UnsafeProtocolError
from ._base import OK, UNSAFE, USAGE, _BadFileError, _err
from ._parser import _parser


if TYPE_CHECKING:
    import argparse

    from collections.abc import Callable, Sequence


__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:  # noqa: PLR0911 - a code per outcome
    """Run the command line and return its exit code.

    Args:
        argv: The arguments, without the program name; ``sys.argv[1:]`` if None.
    """
    _escape_what_cannot_be_shown()
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


def _escape_what_cannot_be_shown() -> None:
    """Write characters the output's encoding lacks as escapes, not a traceback.

    A terminal or a pipe set to ASCII (``PYTHONIOENCODING=ascii``, an old
    locale) cannot take the degree sign of "38 °C"; Python would stop with
    UnicodeEncodeError half-way through a protocol. A backslash escape reads
    better than nothing.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.filename is not None:
        return f"{error.filename}: {error.strerror or error}"
    return str(error)


def _quiet_stdout() -> None:
    # Point stdout at devnull so the interpreter's final flush raises nothing.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
