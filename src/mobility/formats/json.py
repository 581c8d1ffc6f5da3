"""Protocols and exercises as versioned JSON documents.

A document is a JSON object whose first two keys say what it is and which version
of the format it uses, followed by the object's own fields::

    {"kind": "protocol", "schema_version": 6, "id": "lower-trunk-rotation", ...}

Writing is deterministic (the same object gives the same text) and lossless
(``from_json(to_json(x)) == x``). Loading is strict and never judges safety: a
well-formed but unsafe protocol loads, and :func:`mobility.validate` says what is
wrong with it. Anything that cannot be loaded raises
:class:`~mobility.FormatError`, whose message names the JSON path of each problem.

Documents of an older format version load too: :func:`upgrade` brings them to the
current version first. Version 2 stores step texts as templates (see
:mod:`mobility.model.steps`) and records a variant's ``derived_from``; a version-1
step's literal text becomes a template that reads exactly as before. Version 3
adds a source's kind and address, an exercise's posture, a protocol's audience and
the disclaimer's cautions, all optional; a version-2 document reads as it is,
and its missing cautions are reported by :func:`mobility.validate`. Version 4
adds defaults (a side that alternates, a hold's positions, adaptations, a red
flag's context), version 5 an exercise's optional ``figure``, and version 6 a
dose's ``in_turn`` (default false) and the ``timeline`` kind of document.

Example:
    >>> from mobility import catalog, from_json, to_json
    >>> text = to_json(catalog.get("thoracic-open-book"), indent=2)
    >>> text.splitlines()[1:3]
    ['  "kind": "protocol",', '  "schema_version": 6,']
    >>> from_json(text) == catalog.get("thoracic-open-book")
    True
"""

from __future__ import annotations

import difflib
import functools
import itertools
import json

from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, TypeVar, overload

import attrs

from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from ..errors import FormatError, InvalidModelError, Problem
from ..model import Dose, Exercise, Protocol
from ..model.steps import escape, to_template
from ..model.timeline import Timeline
from ._converter import (
    MAX_ITEMS,
    InvalidValueError,
    converter,
    describe,
    member,
    register_enum,
    report_hook,
)


if TYPE_CHECKING:
    import enum

    from collections.abc import Callable, Iterable, Iterator

    from attrs import AttrsInstance

    # Only for the type checker: the progress package binds these at run time.
    from ..progress import Advice, SessionLog
    from ..safety.validator import Report


__all__ = [
    "DOCUMENT_KINDS",
    "KINDS",
    "MAX_DOCUMENT_BYTES",
    "MAX_VALUES",
    "SCHEMA_VERSION",
    "from_dict",
    "from_json",
    "parse",
    "register_kind",
    "report_to_dict",
    "structure",
    "to_dict",
    "to_json",
    "unstructure",
    "upgrade",
]

#: The version of the document format this library writes. Older documents are
#: upgraded on load by the steps in ``_MIGRATIONS``; newer ones are refused.
SCHEMA_VERSION: Final = 6

#: Every kind of document the format defines, with the format version it first
#: appeared in.
DOCUMENT_KINDS: Final = MappingProxyType(
    {"protocol": 1, "exercise": 1, "session-log": 3, "advice": 3, "timeline": 6}
)

#: The ``kind`` of document for each class that can be stored. The model's classes
#: are here from the start; :mod:`mobility.progress` adds
#: :class:`~mobility.progress.SessionLog` and :class:`~mobility.progress.Advice`
#: with :func:`register_kind` when it loads.
KINDS: Final[dict[type, str]] = {
    Protocol: "protocol",
    Exercise: "exercise",
    Timeline: "timeline",
}

#: The largest document :func:`~mobility.from_json` reads. A protocol document is a few
#: kilobytes; the cap keeps a hostile or mistaken input from costing much.
MAX_DOCUMENT_BYTES: Final = 2 * 1024 * 1024

#: The most values (objects, arrays, strings, numbers...) a document may hold. The
#: catalogue's protocols hold about 100; the cap bounds what refusing costs, since
#: every wrong value is a problem to report.
MAX_VALUES: Final = 50_000

#: How many unknown keys get a "did you mean" hint; the rest are only named.
_HINTED_KEYS: Final = 10

_HEADER: Final = ("kind", "schema_version")

#: A document, or a part of one, as plain JSON values.
Document = dict[str, Any]


def _v1_steps(exercise: object) -> object:
    """An exercise of version 1 with its literal step texts made templates."""
    if not isinstance(exercise, dict) or not isinstance(exercise.get("steps"), list):
        return exercise  # not for the migration to judge: loading will say
    try:
        dose: Dose | None = converter.structure(exercise.get("dose"), Dose)
    except Exception:  # noqa: BLE001 - a bad dose is reported by loading itself
        dose = None
    steps = exercise["steps"]
    if len(steps) > MAX_ITEMS:
        return exercise  # loading refuses the list; no need to read it first

    def template(text: object) -> object:
        if not isinstance(text, str):
            return text
        return escape(text) if dose is None else to_template(text, dose)

    return {
        **exercise,
        "steps": [
            {
                key: template(value) if key in ("text", "cue") else value
                for key, value in step.items()
            }
            if isinstance(step, dict)
            else step
            for step in steps
        ],
    }


def _v1_to_v2(data: Document) -> Document:
    """Version 2 reads step texts as templates; version 1's were literal."""
    if data["kind"] == "exercise":
        data = _v1_steps(data)  # type: ignore[assignment]
    else:
        if isinstance(data.get("exercises"), list):
            data = {**data, "exercises": [_v1_steps(e) for e in data["exercises"]]}
        data = {"derived_from": None, **data}  # new in version 2
    return {**data, "schema_version": 2}


def _v2_to_v3(data: Document) -> Document:
    """Version 3 adds optional fields only, so a version-2 document reads as is.

    What it adds: a source's ``kind`` and ``url``, an exercise's ``posture``, a
    protocol's ``audience`` and the disclaimer's ``cautions``. A migrated
    document has no cautions, which says that nobody has considered them:
    :func:`mobility.validate` reports that until they are added. The migration
    does not add an empty list, which would claim the sources give none.
    """
    return {**data, "schema_version": 3}


def _v3_to_v4(data: Document) -> Document:
    """Version 4 adds values with defaults only, so a version-3 document reads as is.

    What it adds: the side ``alternating``, a hold's ``positions`` (1 unless a
    repetition holds more than one position), an exercise's ``adaptations`` and a
    red flag's ``context``. A version-3 document meant each of them as their
    defaults say: one position, no side that alternates, no adaptations given, and
    no framing besides the flag's own words.
    """
    return {**data, "schema_version": 4}


def _v4_to_v5(data: Document) -> Document:
    """Version 5 adds an exercise's optional ``figure``: version 4 reads as is.

    A version-4 exercise has no figure: it is drawn nowhere, as before.
    """
    return {**data, "schema_version": 5}


def _v5_to_v6(data: Document) -> Document:
    """Version 6 adds a dose's ``in_turn`` (default false) and timelines.

    A version-5 dose for each side does every set on one side, then the other,
    as before.
    """
    return {**data, "schema_version": 6}


#: How to bring a document of version N up to N + 1. A format change adds a step
#: here, so that documents written by older versions keep loading.
_MIGRATIONS: Final[dict[int, Callable[[Document], Document]]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
}

#: The classes a document holds, those of :data:`KINDS`.
T = TypeVar("T", Protocol, Exercise, Timeline, "SessionLog", "Advice")

_A = TypeVar("_A", bound="AttrsInstance")


def register_kind(
    cls: type[AttrsInstance], kind: str, *, enums: Iterable[type[enum.Enum]] = ()
) -> None:
    """Bind a class to one of the format's kinds of document.

    The format defines its kinds (:data:`DOCUMENT_KINDS`), and the package that
    defines a class binds it, so that this module never imports a package built
    on it: :mod:`mobility.progress` binds its session logs and advice this way.
    ``enums`` are the class's own enums, which get the strict loading of the
    model's (a wrong value names every allowed one).

    Raises:
        ValueError: The format has no such kind, or another class has it.
    """
    if kind not in DOCUMENT_KINDS:
        msg = f"no document kind {kind!r}; the format has {', '.join(DOCUMENT_KINDS)}"
        raise ValueError(msg)
    bound = next((c for c, k in KINDS.items() if k == kind), cls)
    if bound is not cls:
        msg = f"the kind {kind!r} is {bound.__name__}'s"
        raise ValueError(msg)
    for each in enums:
        register_enum(each)
    KINDS[cls] = kind


def to_dict(obj: Protocol | Exercise | Timeline | SessionLog | Advice) -> Document:
    """Turn a protocol, exercise, timeline, session log or advice into a document.

    Raises:
        TypeError: ``obj`` is not a kind of object that can be stored.
    """
    kind = KINDS.get(type(obj))
    if kind is None:
        msg = f"cannot store a {type(obj).__name__}; expected one of "
        raise TypeError(msg + ", ".join(cls.__name__ for cls in KINDS))
    body: Document = converter.unstructure(obj)
    return {"kind": kind, "schema_version": SCHEMA_VERSION, **body}


def to_json(
    obj: Protocol | Exercise | Timeline | SessionLog | Advice,
    *,
    indent: int | None = None,
) -> str:
    """Write a protocol, exercise, timeline, session log or advice as JSON.

    Args:
        obj: What to write.
        indent: Spaces per level for a document people read, or ``None`` (the
            default) for one compact line. Compact is the fast path: the standard
            library writes it in C, while indenting runs in Python and makes a
            round trip about 1.5 times as slow. ``mobility export`` writes files
            with ``indent=2``.

    Returns:
        The document. The same object always gives the same text. Non-ASCII text
        is written as it is (encode the result as UTF-8).
    """
    return _encoder(indent).encode(to_dict(obj))


@functools.lru_cache(maxsize=8)
def _encoder(indent: int | None) -> json.JSONEncoder:
    """The encoder of :func:`to_json`, made once for each indent."""
    return json.JSONEncoder(
        indent=indent,
        separators=(",", ": ") if indent is not None else (",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )


def report_to_dict(report: Report) -> dict[str, Any]:
    """A validation report as plain JSON values, as ``mobility validate`` prints it.

    The keys are the report's fields (``protocol_id``, ``findings`` with each
    finding's fields and source, ``limits`` by name) and its verdict: ``ok`` and
    the numbers of ``errors`` and ``warnings``.

    Example:
        >>> from mobility import catalog, validate
        >>> data = report_to_dict(validate(catalog.get("lower-trunk-rotation")))
        >>> data["ok"], data["limits"], data["findings"][0]["code"]
        (True, 'adults', 'reps-above-typical')
    """
    return report_hook()(report)


def unstructure(obj: object) -> Any:
    """Any object of the model as plain JSON values, without a document's header.

    This is what :func:`~mobility.to_dict` writes after the header; use it for parts of
    documents, such as one :class:`~mobility.progress.SessionRecord`.
    """
    return converter.unstructure(obj)


def structure(data: object, cls: type[_A]) -> _A:
    """Build ``cls`` from plain JSON values, as :func:`unstructure` gives them.

    No header is read and no older version is upgraded: the values are those of
    this version. Every check of the documents applies.

    Raises:
        FormatError: The values do not make a ``cls``; each problem names its
            JSON path from ``$``.
    """
    result: _A = _structure(data, cls)  # type: ignore[assignment]
    return result


@overload
def from_dict(data: object) -> Protocol: ...
@overload
def from_dict(data: object, cls: type[T]) -> T: ...
def from_dict(data: object, cls: Any = Protocol) -> object:
    """Load a protocol (or, with ``cls``, something else) from a parsed document.

    Raises:
        FormatError: The document is not a valid document of that kind. Each
            problem names its JSON path.
    """
    return _load(data, cls, keys=True, count=True)


def _load(data: object, cls: Any, *, keys: bool, count: bool = True) -> object:
    kind = KINDS.get(cls)
    if kind is None:
        msg = f"cannot load a {cls!r}; expected one of "
        raise TypeError(msg + ", ".join(c.__name__ for c in KINDS))
    document = _check_header(data, kind)
    if keys or count:
        _survey(document, keys=keys)
    return _structure(_upgrade(document), cls)


def _structure(body: object, cls: Any) -> object:
    try:
        return converter.structure(body, cls)
    except RecursionError:
        raise _error("$", "the document is nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - every failure becomes a located problem
        found = _problems(exc, "$")
        kept = tuple(itertools.islice(found, FormatError.KEPT))
        raise FormatError(kept, more=sum(1 for _ in found)) from None


def _survey(document: Document, *, keys: bool = True) -> None:
    """Refuse a document too large to judge cheaply, or with a key that is not text.

    One walk over every value, before anything is built: it counts them against
    :data:`MAX_VALUES` and, unless ``keys`` is false (JSON text has no other
    keys), finds keys that are not strings, which a YAML loader, for one, makes.
    """
    count = 0
    odd_keys = False
    stack: list[object] = [document]
    while stack:
        value = stack.pop()
        count += 1
        if isinstance(value, dict):
            if keys and not odd_keys:
                odd_keys = any(type(key) is not str for key in value)
            count += len(value)
            stack += value.values()
        elif isinstance(value, list):
            stack += value
        if count > MAX_VALUES:
            raise _error(
                "$",
                f"the document holds more than {MAX_VALUES} values; a protocol "
                "needs far fewer",
            )
    if odd_keys:
        raise FormatError(tuple(_key_problems(document, "$")))


def _key_problems(document: object, path: str) -> Iterator[Problem]:
    """Each key that is not a string, with where it is, in document order."""
    stack: list[tuple[str, object]] = [(path, document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key in value:
                if not isinstance(key, str):
                    yield Problem(path, f"a key must be a string, got {describe(key)}")
            items = [
                (member(path, k), v) for k, v in value.items() if isinstance(k, str)
            ]
            stack += reversed(items)
        elif isinstance(value, list):
            stack += reversed([(f"{path}[{i}]", v) for i, v in enumerate(value)])


@overload
def from_json(text: str | bytes) -> Protocol: ...
@overload
def from_json(text: str | bytes, cls: type[T]) -> T: ...
def from_json(text: str | bytes, cls: Any = Protocol) -> object:
    """Load a protocol (or, with ``cls``, something else) from a JSON document.

    Args:
        text: The document, as text or as UTF-8 bytes.
        cls: What the document holds: :class:`~mobility.Protocol` (the default),
            :class:`~mobility.Exercise` or another class of
            :data:`~mobility.formats.json.KINDS`.

    Raises:
        FormatError: The text is not JSON, or not a valid document of that kind.

    Example:
        >>> from mobility import FormatError
        >>> try:
        ...     from_json('{"kind": "protocol", "schema_version": 1, "id": 7}')
        ... except FormatError as error:
        ...     print(error.problems[0])
        $.id: expected a string, got 7
    """
    data = parse(text)
    # JSON keys are always strings, and a value takes at least two characters
    # (one and a separator), so a short text cannot pass the value cap.
    return _load(data, cls, keys=False, count=len(text) > 2 * MAX_VALUES)


def parse(text: str | bytes) -> object:
    """JSON text as Python values, under the rules every document is read by.

    The text may be at most :data:`MAX_DOCUMENT_BYTES` long; a key may appear once
    in an object; ``NaN`` and ``Infinity`` are refused, and so are lone
    surrogates in UTF-8 bytes and numbers of thousands of digits.

    Raises:
        FormatError: The text breaks one of these rules, or is not JSON.
    """
    if len(text) > MAX_DOCUMENT_BYTES:
        unit = "bytes" if isinstance(text, bytes) else "characters"
        raise _error(
            "$",
            f"the document is too large ({len(text)} {unit}); documents are read "
            f"up to {MAX_DOCUMENT_BYTES}",
        )
    try:
        if type(text) is str and not text.startswith("\ufeff"):
            data = _decoder().decode(text)
        else:  # json.loads finds the encoding of bytes, and refuses a BOM
            data = json.loads(text, **_hooks())
    except json.JSONDecodeError as exc:
        raise _error(
            "$", f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    except RecursionError:
        raise _error("$", "the document is nested too deeply") from None
    except UnicodeDecodeError:
        raise _error("$", "the document is not UTF-8 text") from None
    except _NotANumberError as exc:
        raise _error("$", str(exc)) from None
    except _DuplicateKeyError as exc:
        raise _error("$", str(exc)) from None
    except ValueError as exc:  # for instance an integer of thousands of digits
        raise _error("$", f"not valid JSON: {exc}") from None
    return data


def _hooks() -> dict[str, Any]:
    """What :func:`parse` has the standard library's decoder call."""
    return {
        "object_pairs_hook": _object,
        "parse_constant": _refuse_constant,
        "parse_float": _float,
        "parse_int": _int,
    }


@functools.cache
def _decoder() -> json.JSONDecoder:
    """The decoder of :func:`parse`, made once: ``json.loads`` makes one a call."""
    return json.JSONDecoder(**_hooks())


class _NotANumberError(ValueError):
    pass


class _DuplicateKeyError(ValueError):
    pass


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refused if it states a key twice.

    Parsers disagree on which of two values wins (Python's keeps the last, others
    the first), so a document that says ``"intensity"`` twice means different
    things to different readers.
    """
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                msg = f"the key {describe(key)} appears twice in one object"
                raise _DuplicateKeyError(msg)
            seen.add(key)
    return data


def _refuse_constant(name: str) -> float:
    msg = f"{name} is not a number JSON allows; use a finite number"
    raise _NotANumberError(msg)


def _int(text: str) -> int:
    if len(text) > _MAX_DIGITS:
        msg = f"the number {text[:12]}... has too many digits"
        raise _NotANumberError(msg)
    return int(text)


_MAX_DIGITS: Final = 30  # far more than any quantity needs, far fewer than a DoS


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        msg = f"the number {text} is too large"
        raise _NotANumberError(msg)
    return value


def _error(path: str, message: str) -> FormatError:
    return FormatError((Problem(path, message),))


def _check_header(data: object, kind: str) -> Document:
    if not isinstance(data, dict):
        raise _error("$", f"expected a JSON object, got {describe(data)}")
    found_kind = data.get("kind")
    if found_kind != kind:
        if "kind" not in data:
            raise _error("$.kind", f'missing; expected "{kind}"')
        raise _error("$.kind", f'expected "{kind}", got {describe(found_kind)}')
    version = data.get("schema_version")
    if "schema_version" not in data:
        raise _error("$.schema_version", f"missing; expected {SCHEMA_VERSION}")
    if isinstance(version, float) and version.is_integer():
        # JSON has one kind of number: 3.0 is 3 to every schema validator, as
        # 7.0 is 7 days a week to the loader.
        version = int(version)
        data = {**data, "schema_version": version}
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _error(
            "$.schema_version",
            f"expected a format version from 1 to {SCHEMA_VERSION}, "
            f"got {describe(version)}",
        )
    first = DOCUMENT_KINDS.get(kind, 1)
    if version < first:
        raise _error(
            "$.schema_version",
            f"{kind} documents began with format version {first}; "
            f"got {describe(version)}",
        )
    if version > SCHEMA_VERSION:
        raise _error(
            "$.schema_version",
            f"this document uses format version {describe(version)}, but this "
            f"version of mobility reads up to {SCHEMA_VERSION}; upgrade mobility "
            "to read it",
        )
    return data


def upgrade(data: object) -> Document:
    """Bring a parsed document of any readable version up to :data:`SCHEMA_VERSION`.

    The result is the document as this version writes it, header included, and
    loads to the same object as the original. Loading calls this itself; call it
    to rewrite old files.

    Raises:
        FormatError: The document has no readable header: not an object, no
            known ``kind``, or a ``schema_version`` this library cannot read.

    Example:
        >>> old = {"kind": "exercise", "schema_version": 1, "steps": [
        ...     {"text": "Hold {as shown} for 30 seconds."}], "dose": {
        ...     "side": "each", "reps": 3, "hold": {"seconds": 30}}}
        >>> upgrade(old)["steps"]
        [{'text': 'Hold {{as shown}} for {hold}.'}]
    """
    kind = data.get("kind") if isinstance(data, dict) else None
    document = _check_header(
        data, kind if isinstance(kind, str) and kind in DOCUMENT_KINDS else "protocol"
    )
    version: int = document["schema_version"]
    while version < SCHEMA_VERSION:
        document = _MIGRATIONS[version](document)
        version += 1
    return document


def _upgrade(data: Document) -> Document:
    """Bring a document up to SCHEMA_VERSION and strip its header."""
    data = upgrade(data)
    return {key: value for key, value in data.items() if key not in _HEADER}


def _problems(exc: BaseException, path: str) -> Iterator[Problem]:
    """Walk cattrs' exception tree, turning each leaf into a located problem."""
    if not isinstance(exc, ClassValidationError | IterableValidationError):
        yield _leaf(exc, path)
        return
    with_notes, without = exc.group_exceptions()
    for sub, note in with_notes:
        if isinstance(note, IterableValidationNote):
            yield from _problems(sub, f"{path}[{note.index}]")
        else:
            yield from _problems(sub, f"{path}.{note.name}")
    for sub in without:
        if isinstance(sub, ForbiddenExtraKeysError):
            yield from _unknown_keys(sub, path)
        else:
            yield from _problems(sub, path)


def _unknown_keys(exc: ForbiddenExtraKeysError, path: str) -> Iterator[Problem]:
    known = [field.name for field in attrs.fields(exc.cl)]
    for number, key in enumerate(sorted(exc.extra_fields)):
        close = (
            difflib.get_close_matches(key, known, n=1) if number < _HINTED_KEYS else []
        )
        hint = f"; did you mean {close[0]!r}?" if close else ""
        yield Problem(member(path, key), f"unknown key{hint}")


def _leaf(exc: BaseException, path: str) -> Problem:
    if isinstance(exc, KeyError):
        return Problem(path, "missing; this key is required")
    if isinstance(exc, InvalidModelError):
        # Raised by a model class as it is built: the error names the field.
        if exc.field is not None:
            path = f"{path}.{exc.field}"
        if exc.index is not None:
            path = f"{path}[{exc.index}]"
        return Problem(path, exc.problem)
    if isinstance(exc, InvalidValueError):
        return Problem(path, str(exc))
    # A converter bug, not a user mistake; still say where it happened.
    return Problem(path, f"could not be read ({type(exc).__name__}: {exc})")
