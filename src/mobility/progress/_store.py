"""Session records kept in an SQLite database: the embedded default store."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import stat
import threading
import time

from pathlib import Path
from typing import TYPE_CHECKING, Final, Self

import attrs

from ..errors import FormatError, InvalidModelError, Problem, StoreError
from ._record import SessionRecord


if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from types import TracebackType


__all__ = ["ENVIRONMENT", "SCHEMA", "Entry", "Store", "StoreError", "default_path"]

#: The environment variable that names the database file when no path is given.
ENVIRONMENT: Final = "MOBILITY_DB"

#: The version of the database layout this library writes (SQLite's
#: ``user_version``). Older databases are migrated when opened; newer ones are
#: refused rather than misread.
SCHEMA: Final = 2

#: How long to wait for another process's write before giving up, in seconds.
TIMEOUT: Final = 10.0


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


def _add_changes(connection: sqlite3.Connection) -> None:
    # Version 2: corrections and voidings, each a row of their own, so that no
    # record is ever overwritten or deleted. A record is changed at most once;
    # a correction is a new record, which may be changed in turn.
    connection.execute(
        "CREATE TABLE changes ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " record_id INTEGER NOT NULL UNIQUE REFERENCES records (id),"
        " replacement_id INTEGER REFERENCES records (id),"
        " reason TEXT,"
        " at_utc TEXT NOT NULL)"
    )


#: How to bring a database of layout version N up to N + 1.
_MIGRATIONS: Final[dict[int, Callable[[sqlite3.Connection], None]]] = {
    0: _create,
    1: _add_changes,
}


@attrs.frozen(kw_only=True)
class Entry:
    """One row of a store's history: a record and what became of it.

    Args:
        id: The row's number, for :meth:`Store.correct` and :meth:`Store.void`.
        record: The record as it was written.
        replaced_by: The row of the correction that replaced it, if corrected.
        voided: Whether it was voided (withdrawn without a replacement).
        reason: Why it was corrected or voided, when said.
    """

    id: int
    record: SessionRecord
    replaced_by: int | None = None
    voided: bool = False
    reason: str | None = None

    @property
    def current(self) -> bool:
        """True when the record counts, being neither corrected nor voided."""
        return self.replaced_by is None and not self.voided


class Store:
    """Session records in an SQLite database file.

    The database runs in write-ahead-log mode with full synchronisation: each
    :meth:`add` is one transaction, committed to disk before it returns, so
    several processes can add at once without losing a record, and a crash
    leaves every committed record readable. A writer waits up to 10 seconds
    (``TIMEOUT``) for another.

    One store may be shared by the threads of a program, such as the workers of
    a web application: each thread gets a connection of its own on first use,
    and :meth:`close` closes them all.

    Records are never overwritten or deleted. A mistaken record is corrected
    (:meth:`correct`) or voided (:meth:`void`); :meth:`records` then leaves it
    out, and :meth:`history` still shows it.

    Args:
        path: The database file. :func:`default_path` when ``None``.
        create: Whether to create the file (and, for the default path, its
            folder) when it is missing. With ``False`` a missing file is an
            error and nothing is created, so that a mistyped path cannot look
            like an empty log.
        readonly: Open for reading only: nothing is created, converted or
            written, not even the journal mode or a layout migration, so the
            file stays byte for byte as it was. A file of the first layout
            is read as it is, and a file the user may only read (in a folder
            they may only read) can be read. Writing raises
            :class:`StoreError`. Implies ``create=False``.

    Raises:
        StoreError: The file cannot be opened, is missing and ``create`` is
            false, is not a regular file, is not a mobility database, or was
            written by a newer version of this library.

    Example:
        >>> import datetime as dt, tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> with Store(folder / "log.sqlite3") as store:
        ...     row = store.add(SessionRecord(
        ...         protocol_id="lower-trunk-rotation",
        ...         at=dt.datetime(2026, 3, 2, 7, 30, tzinfo=dt.timezone.utc),
        ...     ))
        ...     len(store.records("lower-trunk-rotation"))
        1
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        create: bool = True,
        readonly: bool = False,
    ) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.readonly = readonly
        self._create = create and not readonly
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        #: Whether the file has the ``changes`` table (layout 2 and later); a
        #: file of layout 1 opened read-only has none, and nothing was changed.
        self._changes = True
        # ":memory:" is SQLite's database in memory, shared here by the threads.
        self._memory = str(path) == ":memory:"
        if self._memory and readonly:
            msg = ":memory: a new database in memory has nothing to read"
            raise StoreError(msg)
        if not self._memory:
            self._check_file()
        with self._errors("open"):
            if path is None and self._create:
                self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if self._create and not self._memory:
                _create_private(self.path)
            self._connection()
        try:
            with self._errors("open"):
                if readonly:
                    self._set_up_reading()
                else:
                    self._set_up()
        except BaseException:
            self.close()
            raise

    def _check_file(self) -> None:
        """Refuse a missing file (unless creating) and anything but a file.

        A device, a FIFO or a folder is refused before SQLite opens it, so
        that ``/dev/zero`` cannot gain a journal file beside it.
        """
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            if not self._create:
                msg = f"{self.path}: no such database (nothing was created)"
                raise StoreError(msg) from None
            return
        except OSError as error:
            msg = f"{self.path}: cannot open the database: {error.strerror or error}"
            raise StoreError(msg) from None
        if not stat.S_ISREG(mode):
            msg = f"{self.path}: not a regular file; a database is a file"
            raise StoreError(msg)

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
        """Close the database in every thread; the store cannot be used after."""
        with self._lock:
            self._closed = True
            for connection in self._connections:
                connection.close()
            self._connections.clear()

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on its first use."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is not None:
            return connection
        with self._lock:
            if self._closed:
                msg = f"{self.path}: the store is closed"
                raise StoreError(msg)
            if self._memory:
                uri = f"file:mobility-{id(self)}?mode=memory&cache=shared"
            elif self.readonly:
                uri = f"{self.path.absolute().as_uri()}?{self._reading_mode()}"
            else:
                mode = "rwc" if self._create else "rw"
                uri = f"{self.path.absolute().as_uri()}?mode={mode}"
            # Each thread keeps to its own connection; check_same_thread is off
            # only so that close() can close them all from one thread.
            connection = sqlite3.connect(
                uri,
                uri=True,
                timeout=TIMEOUT,
                isolation_level=None,
                check_same_thread=False,
            )
            connection.text_factory = _text
            self._connections.append(connection)
            if self.readonly:
                connection.execute("PRAGMA query_only = ON")
        self._local.connection = connection
        return connection

    def _reading_mode(self) -> str:
        """How SQLite opens a file to read it, leaving nothing behind.

        A file this user may write to, in a folder they may write to, is opened
        as usual (with writing switched off): SQLite then removes, when the
        store closes, the files it keeps beside a write-ahead-log database.
        Opened read-only it would leave them there, or, in a folder the user
        may not write to, fail to read at all. Without those rights, and
        without a log beside the file (so that every committed record is in
        the file itself), the file is read as immutable: as it stands, with
        no files made and no locks taken, so that a write by its owner made
        while it is read is not seen. With a log beside it, the file is
        opened read-only and the log is read too.
        """
        folder = self.path.absolute().parent
        if os.access(self.path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK):
            return "mode=rw"
        if self.path.with_name(self.path.name + "-wal").exists():
            return "mode=ro"
        return "mode=ro&immutable=1"

    def add(self, record: SessionRecord) -> int:
        """Keep a record, committed before this returns; return its row.

        The record is read back from the text to be stored before anything is
        written, with the limits every reader applies (those of the JSON
        format), so that no record can be kept that cannot be read.

        Raises:
            StoreError: The record cannot be kept (the message says why), or the
                database cannot be written. Nothing is written.
        """
        self._writable()
        document = self._document(record)
        with self._errors("write to"), self._transaction() as connection:
            return self._insert(connection, record, document)

    def correct(
        self, row: int, record: SessionRecord, *, reason: str | None = None
    ) -> int:
        """Replace the record of ``row`` with ``record``; return the new row.

        Both stay in the database: :meth:`records` returns the correction, and
        :meth:`history` shows the first marked as corrected by it.

        Raises:
            StoreError: ``row`` does not exist, was already corrected or voided,
                or is another protocol's; or the record cannot be kept.
        """
        self._writable()
        document = self._document(record)
        with self._errors("write to"), self._transaction() as connection:
            self._changeable(connection, row, record.protocol_id)
            new = self._insert(connection, record, document)
            self._change(connection, row, new, reason)
            return new

    def void(self, row: int, *, reason: str | None = None) -> None:
        """Withdraw the record of ``row``: it no longer counts, and stays in history.

        Raises:
            StoreError: ``row`` does not exist, or was already corrected or voided.
        """
        self._writable()
        with self._errors("write to"), self._transaction() as connection:
            self._changeable(connection, row, None)
            self._change(connection, row, None, reason)

    def records(
        self, protocol_id: str | None = None, *, since: dt.datetime | None = None
    ) -> tuple[SessionRecord, ...]:
        """The records that count (neither corrected nor voided), oldest first.

        Args:
            protocol_id: Only this protocol's records; all when ``None``.
            since: Only records at or after this moment (time-zone aware).

        Raises:
            InvalidModelError: ``since`` has no time zone.
            StoreError: The database cannot be read, or holds a row that is not
                a valid record (the message names its row, which
                :meth:`void` can withdraw).
        """
        return tuple(
            entry.record
            for entry in self._entries(protocol_id, since=since, current=True)
        )

    def history(self, protocol_id: str | None = None) -> tuple[Entry, ...]:
        """Every row, corrected and voided ones too, oldest first.

        Raises:
            StoreError: As :meth:`records`.
        """
        return self._entries(protocol_id, since=None, current=False)

    def _entries(
        self, protocol_id: str | None, *, since: dt.datetime | None, current: bool
    ) -> tuple[Entry, ...]:
        conditions: list[str] = []
        values: list[str] = []
        if self._changes:
            query = (
                "SELECT records.id, records.protocol_id, records.at_utc,"
                " records.record, changes.replacement_id,"
                " changes.id IS NOT NULL, changes.reason"
                " FROM records LEFT JOIN changes ON changes.record_id = records.id"
            )
            if current:
                conditions.append("changes.id IS NULL")
        else:  # layout 1, read as it is: no record was ever changed
            query = (
                "SELECT records.id, records.protocol_id, records.at_utc,"
                " records.record, NULL, 0, NULL FROM records"
            )
        if protocol_id is not None:
            conditions.append("records.protocol_id = ?")
            values.append(protocol_id)
        if since is not None:
            if since.utcoffset() is None:
                msg = f"since={since.isoformat()} has no time zone"
                raise InvalidModelError(msg, field="since")
            conditions.append("records.at_utc >= ?")
            values.append(_utc(since))
        if conditions:
            query += " WHERE " + " AND ".join(conditions)
        query += " ORDER BY records.at_utc, records.id"
        with self._errors("read"):
            rows = self._connection().execute(query, values).fetchall()
        return tuple(self._entry(*row) for row in rows)

    def _entry(  # noqa: PLR0913, PLR0917 - the columns of one row
        self,
        row_id: int,
        filed: object,
        at_utc: object,
        text: object,
        replacement: object,
        changed: object,
        reason: object,
    ) -> Entry:
        """A row as an entry, refused, naming the row, if it was damaged."""
        record = self._load(row_id, text, protocol_id=filed, at_utc=at_utc)
        if not (replacement is None or type(replacement) is int) or not (
            reason is None or (type(reason) is str)
        ):
            msg = (
                f"{self.path}: row {row_id}'s change holds {replacement!r} as its "
                f"replacement and {reason!r} as its reason; the row was changed "
                "outside mobility"
            )
            raise StoreError(msg)
        return Entry(
            id=row_id,
            record=record,
            replaced_by=replacement,
            voided=bool(changed) and replacement is None,
            reason=reason,
        )

    def _writable(self) -> None:
        if self.readonly:
            msg = f"{self.path}: the store was opened read-only; nothing was written"
            raise StoreError(msg)

    def _document(self, record: SessionRecord) -> str:
        if not isinstance(record, SessionRecord):
            msg = f"expected a SessionRecord, got {type(record).__name__}"  # type: ignore[unreachable]
            raise TypeError(msg)
        from ..formats.json import unstructure  # noqa: PLC0415

        document = json.dumps(unstructure(record), ensure_ascii=False)
        try:
            _record_of(document)
        except FormatError as error:
            msg = (
                f"{self.path}: the record cannot be kept, nothing was written: {error}"
            )
            raise StoreError(msg) from None
        return document

    def _insert(
        self, connection: sqlite3.Connection, record: SessionRecord, document: str
    ) -> int:
        cursor = connection.execute(
            "INSERT INTO records (protocol_id, at_utc, record) VALUES (?, ?, ?)",
            (record.protocol_id, _utc(record.at), document),
        )
        assert cursor.lastrowid is not None  # noqa: S101 - an INSERT sets it
        return cursor.lastrowid

    def _changeable(
        self, connection: sqlite3.Connection, row: int, protocol_id: str | None
    ) -> None:
        found = connection.execute(
            "SELECT records.protocol_id, changes.replacement_id, changes.id"
            " FROM records LEFT JOIN changes ON changes.record_id = records.id"
            " WHERE records.id = ?",
            (row,),
        ).fetchone()
        if found is None:
            msg = f"{self.path}: there is no record in row {row}"
            raise StoreError(msg)
        owner, replacement, change = found
        if change is not None:
            done = (
                f"was corrected by row {replacement}; change that row instead"
                if replacement is not None
                else "was voided already"
            )
            msg = f"{self.path}: row {row} {done}"
            raise StoreError(msg)
        if protocol_id is not None and owner != protocol_id:
            msg = f"{self.path}: row {row} is a record of {owner}, not of {protocol_id}"
            raise StoreError(msg)

    def _change(
        self,
        connection: sqlite3.Connection,
        row: int,
        replacement: int | None,
        reason: str | None,
    ) -> None:
        connection.execute(
            "INSERT INTO changes (record_id, replacement_id, reason, at_utc)"
            " VALUES (?, ?, ?, ?)",
            (row, replacement, reason, _utc(dt.datetime.now(dt.UTC))),
        )

    def _load(
        self, row_id: int, text: object, *, protocol_id: object, at_utc: object
    ) -> SessionRecord:
        """The record of a row, which must agree with the columns it is found by.

        A row edited by hand may hold one protocol's record under another's
        id, or a time that sorts it out of place; either would mislead
        :meth:`records`, so either is refused, naming the row.
        """
        if isinstance(text, _NotUTF8):
            msg = (
                f"{self.path}: row {row_id} holds text that is not UTF-8; the file "
                "was damaged or changed outside mobility"
            )
            raise StoreError(msg)
        try:
            record = _record_of(text)
        except FormatError as error:
            msg = f"{self.path}: row {row_id} is not a valid record: {error}"
            raise StoreError(msg) from None
        if record.protocol_id != protocol_id or _utc(record.at) != at_utc:
            msg = (
                f"{self.path}: row {row_id} is filed under {protocol_id!r} at "
                f"{at_utc!r}, but holds a record of {record.protocol_id} at "
                f"{_utc(record.at)}; the row was changed outside mobility"
            )
            raise StoreError(msg)
        return record

    def _set_up(self) -> None:
        # Switching a new file to WAL can report "locked" at once, without
        # waiting, while another process is creating the same file; retry.
        deadline = time.monotonic() + TIMEOUT
        connection = self._connection()
        while True:
            try:
                self._check_ours(connection)  # before anything writes to the file
                (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
                if mode != "wal":  # set once: the mode is kept in the file
                    connection.execute("PRAGMA journal_mode=WAL")
                if self._version() != SCHEMA:  # a read; only migrating writes
                    self._migrate()
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
            else:
                return

    def _set_up_reading(self) -> None:
        """Check the file for reading, without writing anything to it."""
        version = self._check_ours(self._connection())
        if version == 0:
            msg = f"{self.path}: an empty file, not a mobility database; nothing read"
            raise StoreError(msg)
        if version > SCHEMA:
            raise StoreError(self._newer(version))
        self._changes = version >= 2  # the layout that added the table

    def _newer(self, version: int) -> str:
        return (
            f"{self.path}: the database has layout version {version}, "
            f"newer than this version of mobility reads ({SCHEMA}); "
            "upgrade mobility"
        )

    def _check_ours(self, connection: sqlite3.Connection) -> int:
        """Refuse, unchanged, an SQLite file that another program keeps.

        Returns the file's layout version. The version and the tables are read
        by one statement, so that both come from the same state of the file:
        read one after the other, they could straddle another process's
        creation of the file, and a half-seen new store would look foreign.
        """
        version, names = connection.execute(
            "SELECT user_version, (SELECT json_group_array(name) FROM sqlite_master"
            " WHERE type = 'table' AND name NOT LIKE 'sqlite_%')"
            " FROM pragma_user_version"
        ).fetchone()
        tables = set(json.loads(names))
        ours = {"records"} | ({"changes"} if version >= 2 else set())
        foreign = (version == 0 and tables) or (version > 0 and not ours <= tables)
        if version < 0 or foreign:
            found = ", ".join(sorted(tables)) or "none"
            msg = (
                f"{self.path}: not a mobility database (layout version {version}, "
                f"tables: {found}); it was left unchanged"
            )
            raise StoreError(msg)
        return int(version)

    def _version(self) -> int:
        (version,) = self._connection().execute("PRAGMA user_version").fetchone()
        return int(version)

    def _migrate(self) -> None:
        with self._transaction():
            version = self._version()  # again: another process may have migrated
            if version > SCHEMA:
                raise StoreError(self._newer(version))
            connection = self._connection()
            while version < SCHEMA:
                _MIGRATIONS[version](connection)
                version += 1
                connection.execute(f"PRAGMA user_version = {version:d}")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock at the start, so two processes
        # migrating or adding at once wait for each other instead of failing.
        # Full synchronisation is a setting of each connection, not of the file.
        connection = self._connection()
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

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
        except UnicodeDecodeError:
            # SQLite's message quotes the damaged bytes, which Python cannot
            # decode: a byte changed in the file's own description of itself.
            msg = (
                f"{self.path}: cannot {doing} the database: it is damaged (its "
                "layout is described in text that is not UTF-8)"
            )
            raise StoreError(msg) from None
        except OSError as error:
            msg = f"{self.path}: cannot {doing} the database: {error.strerror or error}"
            raise StoreError(msg) from None


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only, if it is missing.

    The records are health data. SQLite gives its journal and WAL files the
    main file's permissions, so they are private too.
    """
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)


class _NotUTF8(str):
    """Text SQLite holds that is not UTF-8, with replacement characters shown."""

    __slots__ = ()


def _text(data: bytes) -> str:
    """A text value as SQLite gives it; one that is not UTF-8 is marked so.

    Python's default decoding raises ``UnicodeDecodeError`` from the middle of a
    query, naming no row; this keeps the query going, so that the row is named.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _NotUTF8(data.decode("utf-8", "replace"))


def _utc(moment: dt.datetime) -> str:
    """The moment in UTC, in a form that sorts as text in time order."""
    utc = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"


def _record_of(text: object) -> SessionRecord:
    """One session record from the JSON text of its row."""
    from ..formats.json import parse, structure  # noqa: PLC0415

    if not isinstance(text, str | bytes):
        problem = Problem("$", f"expected JSON text, got {type(text).__name__}")
        raise FormatError((problem,))
    return structure(parse(text), SessionRecord)
