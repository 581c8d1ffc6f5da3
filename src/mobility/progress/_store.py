"""Session records kept in an SQLite database: the embedded default store."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import time

from pathlib import Path
from typing import TYPE_CHECKING, Final, Self

from ..errors import FormatError, MobilityError
from ._record import SessionRecord


if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from types import TracebackType


__all__ = ["ENVIRONMENT", "SCHEMA", "Store", "StoreError", "default_path"]

#: The environment variable that names the database file when no path is given.
ENVIRONMENT: Final = "MOBILITY_DB"

#: The version of the database layout this library writes (SQLite's
#: ``user_version``). Older databases are migrated when opened; newer ones are
#: refused rather than misread.
SCHEMA: Final = 1

#: How long to wait for another process's write before giving up, in seconds.
TIMEOUT: Final = 10.0


class StoreError(MobilityError):
    """The database cannot be opened, read or written; the message says why."""


def default_path() -> Path:
    """Where the records are kept: ``$MOBILITY_DB``, else the user's data folder.

    The data folder is the platform's (``~/.local/share/mobility`` on Linux,
    through :mod:`platformdirs`).
    """
    named = os.environ.get(ENVIRONMENT)
    if named:
        return Path(named)
    import platformdirs  # noqa: PLC0415 - only needed without a path

    return platformdirs.user_data_path("mobility") / "progress.sqlite3"


def _create(connection: sqlite3.Connection) -> None:
    # One row per record: the columns that are searched, and the whole record
    # as its JSON document, so that no field can be lost between versions.
    connection.execute(
        "CREATE TABLE records ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " protocol_id TEXT NOT NULL,"
        " at_utc TEXT NOT NULL,"
        " record TEXT NOT NULL)"
    )
    connection.execute("CREATE INDEX records_by_time ON records (protocol_id, at_utc)")


#: How to bring a database of layout version N up to N + 1.
_MIGRATIONS: Final[dict[int, Callable[[sqlite3.Connection], None]]] = {0: _create}


class Store:
    """Session records in an SQLite database file.

    The database runs in write-ahead-log mode with full synchronisation: each
    :meth:`add` is one transaction, committed to disk before it returns, so
    several processes can add at once without losing a record, and a crash
    leaves every committed record readable. A writer waits up to 10 seconds
    (``TIMEOUT``) for another.

    Args:
        path: The database file; created with its folder when missing.
            :func:`default_path` when ``None``.

    Raises:
        StoreError: The file cannot be opened, is not a database, or was
            written by a newer version of this library.

    Example:
        >>> import datetime as dt, tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> with Store(folder / "log.sqlite3") as store:
        ...     store.add(SessionRecord(
        ...         protocol_id="lower-trunk-rotation",
        ...         at=dt.datetime(2026, 3, 2, 7, 30, tzinfo=dt.timezone.utc),
        ...     ))
        ...     len(store.records("lower-trunk-rotation"))
        1
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        with self._errors("open"):
            if path is None:
                self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._connection = sqlite3.connect(
                self.path, timeout=TIMEOUT, isolation_level=None
            )
        try:
            with self._errors("open"):
                self._set_up()
        except BaseException:
            self._connection.close()
            raise

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the database; the store cannot be used after."""
        self._connection.close()

    def add(self, record: SessionRecord) -> None:
        """Keep a record, committed before this returns."""
        if not isinstance(record, SessionRecord):
            msg = f"expected a SessionRecord, got {type(record).__name__}"  # type: ignore[unreachable]
            raise TypeError(msg)
        from .._converter import converter  # noqa: PLC0415

        document = json.dumps(converter.unstructure(record), ensure_ascii=False)
        with self._errors("write to"), self._transaction():
            self._connection.execute(
                "INSERT INTO records (protocol_id, at_utc, record) VALUES (?, ?, ?)",
                (record.protocol_id, _utc(record.at), document),
            )

    def records(
        self, protocol_id: str | None = None, *, since: dt.datetime | None = None
    ) -> tuple[SessionRecord, ...]:
        """The records kept, oldest first.

        Args:
            protocol_id: Only this protocol's records; all when ``None``.
            since: Only records at or after this moment (time-zone aware).

        Raises:
            ValueError: ``since`` has no time zone.
            StoreError: The database cannot be read, or holds a row that is not
                a valid record (the message names its row id).
        """
        query = "SELECT id, record FROM records"
        conditions: list[str] = []
        values: list[str] = []
        if protocol_id is not None:
            conditions.append("protocol_id = ?")
            values.append(protocol_id)
        if since is not None:
            if since.utcoffset() is None:
                msg = f"since={since.isoformat()} has no time zone"
                raise ValueError(msg)
            conditions.append("at_utc >= ?")
            values.append(_utc(since))
        if conditions:
            query += " WHERE " + " AND ".join(conditions)
        query += " ORDER BY at_utc, id"
        with self._errors("read"):
            rows = self._connection.execute(query, values).fetchall()
        return tuple(self._load(row_id, text) for row_id, text in rows)

    def _load(self, row_id: int, text: object) -> SessionRecord:
        from ..json_format import _load_record  # noqa: PLC0415

        try:
            return _load_record(text)
        except FormatError as error:
            msg = f"{self.path}: row {row_id} is not a valid record: {error}"
            raise StoreError(msg) from None

    def _set_up(self) -> None:
        # Switching a new file to WAL can report "locked" at once, without
        # waiting, while another process is creating the same file; retry.
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                (mode,) = self._connection.execute("PRAGMA journal_mode").fetchone()
                if mode != "wal":  # set once: the mode is kept in the file
                    self._connection.execute("PRAGMA journal_mode=WAL")
                self._connection.execute("PRAGMA synchronous=FULL")
                if self._version() != SCHEMA:  # a read; only migrating writes
                    self._migrate()
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
            else:
                return

    def _version(self) -> int:
        (version,) = self._connection.execute("PRAGMA user_version").fetchone()
        return int(version)

    def _migrate(self) -> None:
        with self._transaction():
            version = self._version()  # again: another process may have migrated
            if version > SCHEMA:
                msg = (
                    f"{self.path}: the database has layout version {version}, "
                    f"newer than this version of mobility reads ({SCHEMA}); "
                    "upgrade mobility"
                )
                raise StoreError(msg)
            while version < SCHEMA:
                _MIGRATIONS[version](self._connection)
                version += 1
                self._connection.execute(f"PRAGMA user_version = {version:d}")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock at the start, so two processes
        # migrating or adding at once wait for each other instead of failing.
        self._connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._connection.execute("ROLLBACK")
            raise
        self._connection.execute("COMMIT")

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as error:
            text = str(error)
            if "locked" in text or "busy" in text:
                text = (
                    f"the database is locked by another program (waited {TIMEOUT:g} s)"
                )
            msg = f"{self.path}: cannot {doing} the database: {text}"
            raise StoreError(msg) from None
        except sqlite3.DatabaseError as error:
            msg = f"{self.path}: cannot {doing} the database: {error}"
            raise StoreError(msg) from None
        except OSError as error:
            msg = f"{self.path}: cannot {doing} the database: {error.strerror or error}"
            raise StoreError(msg) from None


def _utc(moment: dt.datetime) -> str:
    """The moment in UTC, in a form that sorts as text in time order."""
    utc = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"
