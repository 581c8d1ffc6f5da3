"""Reading inputs and writing files safely: whole or not at all, never a device."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys

from typing import TYPE_CHECKING, Final, NoReturn

from ._base import _UsageError


if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


class _NotAFileError(_UsageError):
    """An input that is neither a regular file nor standard input."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name}: not a regular file; give a file, or - for stdin")
        self.name = name


def _looks_like_file(source: str) -> bool:
    from pathlib import Path  # noqa: PLC0415 - `mobility list` needs no paths

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
    from pathlib import Path  # noqa: PLC0415

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
    from pathlib import Path  # noqa: PLC0415

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
