"""The library's one cattrs converter: every (un)structuring rule, in one place.

The converter is strict, because a document is data from outside: a string is not
a number, ``"false"`` is not a boolean, a string is not a list of characters, and a
key the model does not know is an error rather than something to drop. The model's
own checks then run as each object is built.

Nothing outside :mod:`mobility.formats.json` should need this module.
"""

from __future__ import annotations

import datetime as dt
import functools
import marshal
import re
import threading

from types import NoneType, UnionType
from typing import TYPE_CHECKING, Any, Final, NoReturn, Union, get_args, get_origin

import attrs
import cattrs

from cattrs.cols import is_sequence
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from .._words import escaped
from ..errors import InvalidModelError
from ..model import (
    AdaptationKind,
    Audience,
    CautionKind,
    Hold,
    Intensity,
    Posture,
    Range,
    RedFlag,
    Region,
    Side,
    Source,
    SourceKind,
    Step,
    Urgency,
    as_range,
)
from ..model._checks import DATETIME_PATTERN, is_number, shown
from ..model._pose import Figure, Pose, Turn, View
from ..model.timeline import DoseEnd, Moment, WorkingSide


if TYPE_CHECKING:
    import enum

    from collections.abc import Callable

    from ..safety.validator import Report


__all__ = [
    "ENUMS",
    "MAX_ITEMS",
    "InvalidValueError",
    "converter",
    "describe",
    "member",
    "quoted",
    "register_enum",
    "report_hook",
]

#: The most items a list in a document may hold. No protocol needs more; the cap
#: keeps a hostile document from costing a report line per item.
MAX_ITEMS: Final = 1000


#: The model's enums. Others register with :func:`register_enum`.
ENUMS: Final = (
    AdaptationKind,
    Audience,
    CautionKind,
    DoseEnd,
    Intensity,
    Moment,
    Posture,
    Region,
    Side,
    SourceKind,
    Urgency,
    View,
    WorkingSide,
)


#: The type of a direction in a pose: three numbers.
Direction3: Final = tuple[float, float, float]


class InvalidValueError(ValueError):
    """A JSON value of the wrong kind; the message says what was expected."""


def quoted(text: str) -> str:
    r"""Text in double quotes, with every character a terminal would act on escaped.

    Control, format and separator characters, and lone surrogates, are written as
    escapes such as ``\u001b``, so a message about a hostile value cannot
    restyle, clear or reorder the terminal it is printed to.

    Example:
        >>> print(quoted('say "hi"\x1b[2J'))
        "say \"hi\"\u001b[2J"
    """
    return '"' + escaped(text.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def member(path: str, key: str) -> str:
    """The JSON path of a key of the object at ``path``: ``$.name`` or ``$["a b"]``.

    A key that is not a plain name is quoted, with :func:`quoted`'s escapes.
    """
    if key.isidentifier() and key.isascii():
        return f"{path}.{key}"
    return f"{path}[{quoted(key)}]"


def describe(value: object) -> str:  # noqa: PLR0911 - one return per JSON type
    """Name a JSON value briefly, without printing all of a large one."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quoted(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, int | float):
        return shown(value)
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__


def _structure_str(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise InvalidValueError(f"expected a string, got {describe(value)}")
    return value


def _structure_bool(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise InvalidValueError(f"expected true or false, got {describe(value)}")
    return value


def _structure_int(value: Any, _: type) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidValueError(f"expected a whole number, got {describe(value)}")
    return value


def _structure_float(value: Any, _: type) -> float:
    if not is_number(value):
        raise InvalidValueError(f"expected a number, got {describe(value)}")
    return value  # type: ignore[no-any-return]


_DATETIME: Final = re.compile(DATETIME_PATTERN)


def _structure_datetime(value: Any, _: type) -> dt.datetime:
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        raise InvalidValueError(
            "expected a date and time with its UTC offset, such as "
            f'"2026-03-02T07:30:00+01:00", got {describe(value)}'
        )
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:  # a day or an hour that does not exist, say
        raise InvalidValueError(
            f"expected a date and time that exists, got {describe(value)}"
        ) from None


def _unstructure_datetime(value: dt.datetime) -> str:
    return value.isoformat()


_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _structure_date(value: Any, _: type) -> dt.date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        example = '"2026-03-02"'
        msg = f"expected a date as YYYY-MM-DD, such as {example}, got {describe(value)}"
        raise InvalidValueError(msg)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:  # the 30th of February, say
        raise InvalidValueError(
            f"expected a date that exists, got {describe(value)}"
        ) from None


def _unstructure_date(value: dt.date) -> str:
    return value.isoformat()


def _structure_range(value: Any, _: type) -> Range:
    try:
        if is_number(value):
            return as_range(value)
        if isinstance(value, dict) and value.keys() == {"low", "high"}:
            low, high = value["low"], value["high"]
            if is_number(low) and is_number(high):
                return as_range((low, high))
    except InvalidModelError as exc:  # for instance low above high
        raise InvalidValueError(exc.problem) from None
    raise InvalidValueError(
        f'expected a number or {{"low": number, "high": number}}, got {describe(value)}'
    )


def _unstructure_range(value: Range) -> float | dict[str, float]:
    if value.is_exact:
        return value.low
    return {"low": value.low, "high": value.high}


def _structure_enum_factory(cls: type[enum.Enum]) -> Any:
    values = {member.value: member for member in cls}
    expected = ", ".join(f'"{v}"' for v in values)

    def structure(value: Any, _: type) -> enum.Enum:
        try:
            return values[value]
        except (KeyError, TypeError):
            raise InvalidValueError(
                f"expected one of {expected}, got {describe(value)}"
            ) from None

    return structure


def _is_tuple_of_any(cls: Any) -> bool:
    return is_sequence(cls) and getattr(cls, "__origin__", None) is tuple


def _structure_tuple_factory(cls: Any, conv: cattrs.Converter) -> Any:
    """An array as a tuple, every item built by its type's hook.

    Each item that fails is reported with its index, as cattrs reports them
    (an :class:`~cattrs.errors.IterableValidationError` whose exceptions carry
    an :class:`~cattrs.errors.IterableValidationNote`), and the items after it
    are still tried, so that a document's every problem is found at once. Unlike
    cattrs' own hook, the items go through one loop with no handler of its own
    until one fails: the common case, a good document, pays for no more.
    """
    (item_type, *_) = get_args(cls)
    item = conv.get_structure_hook(item_type)

    def structure(value: Any, _: type) -> tuple[Any, ...]:
        # A string is iterable, but never a list of items here.
        if not isinstance(value, list):
            raise InvalidValueError(f"expected an array, got {describe(value)}")
        if len(value) > MAX_ITEMS:
            raise InvalidValueError(
                f"expected at most {MAX_ITEMS} items, got an array of {len(value)}"
            )
        built: list[Any] = []
        try:
            for each in value:
                built.append(item(each, item_type))  # noqa: PERF401 - len(built) says where
        except Exception as exc:  # noqa: BLE001 - every failure is reported, with where
            _report_items(value, len(built), exc, item, item_type, cls)
        return tuple(built)

    structure.__name__ = f"structure_tuple_of_{getattr(item_type, '__name__', 'any')}"
    return structure


def _report_items(  # noqa: PLR0913, PLR0917 - the loop's whole state
    value: list[Any],
    failed: int,
    first: Exception,
    item: Callable[[Any, Any], Any],
    item_type: Any,
    cls: Any,
) -> NoReturn:
    """Raise with the failure of item ``failed`` and of every later item.

    The failed item is not tried again (a failure deep in a document would
    otherwise be worked out again at every level above it).
    """
    errors: list[Exception] = []

    def add(exc: Exception, index: int) -> None:
        note = IterableValidationNote(
            f"Structuring {cls} @ index {index}", index, item_type
        )
        exc.__notes__ = [*getattr(exc, "__notes__", []), note]
        errors.append(exc)

    add(first, failed)
    for index in range(failed + 1, len(value)):
        try:
            item(value[index], item_type)
        except Exception as exc:  # noqa: BLE001 - reported, with where
            add(exc, index)
    raise IterableValidationError(f"While structuring {cls!r}", errors, cls)


def _is_optional(cls: Any) -> bool:
    args = get_args(cls)
    return get_origin(cls) in (Union, UnionType) and len(args) == 2 and NoneType in args


def _structure_optional_factory(cls: Any, conv: cattrs.Converter) -> Any:
    """``T | None``, with ``T``'s hook looked up once instead of at every value."""
    (kind,) = (arg for arg in get_args(cls) if arg is not NoneType)
    inner = conv.get_structure_hook(kind)

    def structure(value: Any, _: type) -> Any:
        return None if value is None else inner(value, kind)

    return structure


def _unstructure_optional_factory(cls: Any, conv: cattrs.Converter) -> Any:
    """``T | None`` as ``T`` is written; nothing at all to call when that is as is.

    cattrs writes a field whose hook is :func:`~cattrs.fns.identity` without
    calling anything, so an optional text or number costs no call.
    """
    (kind,) = (arg for arg in get_args(cls) if arg is not NoneType)
    inner = conv.get_unstructure_hook(kind)
    if inner == identity:
        return identity

    def unstructure(value: Any) -> Any:
        return None if value is None else inner(value)

    return unstructure


def _is_tuple_of_each(cls: Any) -> bool:
    """``tuple[T, ...]``: as many items of one type as there are."""
    return get_origin(cls) is tuple and get_args(cls)[1:] == (Ellipsis,)


def _unstructure_tuple_factory(cls: Any, conv: cattrs.Converter) -> Any:
    """A tuple as a JSON array: a list, each item written by its own hook.

    ``map`` calls the hook from C, where cattrs' own hook runs a generator.
    """
    inner = conv.get_unstructure_hook(get_args(cls)[0])
    if inner == identity:
        return list

    def unstructure(value: tuple[Any, ...]) -> list[Any]:
        return list(map(inner, value))

    return unstructure


def _structure_attrs_factory(cls: type, conv: cattrs.Converter) -> Any:
    fields: Callable[[Any, type], Any] = make_dict_structure_fn(cls, conv)

    def structure(value: Any, _: type) -> Any:
        if not isinstance(value, dict):
            raise InvalidValueError(f"expected an object, got {describe(value)}")
        return fields(value, cls)

    return structure


#: Classes whose objects repeat within and across documents (the same source
#: cited by every red flag, the same red flags in every back protocol, the same
#: figure wherever an exercise appears, the same joint angle in many poses, the
#: same step wherever an exercise appears: 47 distinct steps among the
#: catalogue's 90), and whose fields are plain values or such objects: loading
#: builds each distinct one once. Doses and disclaimers are left out: each of the
#: catalogue's is its own, so keeping them would speed up only loading the same
#: document again.
_SHARED: Final = (Source, RedFlag, Figure, Pose, Turn, Step, Hold)
_RED_FLAGS: Final = tuple[RedFlag, ...]
# Kept, for each shared type: at most this many objects, each key at most this
# long (a figure takes about 1,900 bytes, the back protocols' 18 red flags about
# 10,000), and at most this many bytes of keys in all, so that hostile input
# cannot make the memory grow past a few megabytes a type.
_SHARED_MAX: Final = 4096
_SHARED_BYTES: Final = 16 * 1024
_SHARED_BUDGET: Final = 4 * 1024 * 1024
# marshal's version 2 writes no back-references (version 3 and later mark objects
# seen twice, so equal values held by different objects would differ) and writes
# floats as their eight bytes, which is faster than formatting them.
_KEY_FORMAT: Final = 2


class _Kept:
    """The objects kept for one shared type, by key, oldest first.

    Looking up needs no lock (a dict lookup is atomic); keeping and forgetting
    take one, so that two threads loading at once keep the count of bytes right
    and never take the same oldest object out twice.
    """

    __slots__ = ("_lock", "objects", "size")

    def __init__(self) -> None:
        self.objects: dict[bytes, Any] = {}
        self.size = 0  # bytes of keys
        self._lock = threading.Lock()

    def keep(self, key: bytes, value: Any) -> None:
        with self._lock:
            if key not in self.objects:
                self.size += len(key)
            self.objects[key] = value
            while len(self.objects) > _SHARED_MAX or self.size > _SHARED_BUDGET:
                oldest = next(iter(self.objects))  # dicts keep their order
                del self.objects[oldest]
                self.size -= len(oldest)

    def clear(self) -> None:
        with self._lock:
            self.objects.clear()
            self.size = 0


# Every table of kept objects, one per shared type.
_KEPT: Final[list[_Kept]] = []


def forget_shared() -> None:
    """Drop every kept object, as if nothing had loaded yet in this process.

    For benchmarks and tests that time or check a first load.
    """
    for kept in _KEPT:
        kept.clear()


def _shared(structure: Callable[[Any, type], Any]) -> Callable[[Any, type], Any]:
    """Build each distinct immutable object once; later ones are the same object.

    The key of a JSON value is its bytes as :func:`marshal.dumps` writes them:
    written in C, and exact about types, so ``1``, ``1.0`` and ``true`` (or
    ``0.0`` and ``-0.0``) are different keys, and a subclass of dict, str or
    int is refused by marshal, so such a value is built every time and never
    looked up. (The key used to be a tuple of tuples built in Python, which cost
    four times as long for a figure.)

    Only objects that loaded are kept, so a bad value is checked, and reported,
    every time it appears. When the table is full, the oldest make way for the
    newest, so a long-running process keeps sharing what it loads now.
    """
    kept = _Kept()
    _KEPT.append(kept)
    objects = kept.objects

    def shared(value: Any, cls: type) -> Any:
        try:
            key = marshal.dumps(value, _KEY_FORMAT)
        except ValueError:  # not plain JSON values, or nested too deeply
            return structure(value, cls)
        try:
            return objects[key]
        except KeyError:
            result = structure(value, cls)
        if len(key) <= _SHARED_BYTES:
            kept.keep(key, result)
        return result

    return shared


@functools.cache
def report_hook() -> Callable[[Report], dict[str, Any]]:
    """A report as plain values: the limits by name, and the verdict with counts.

    Built on first use, so that loading a document never loads the validator.
    """
    from ..safety.validator import Report, Severity  # noqa: PLC0415

    register_enum(Severity)
    fields = make_dict_unstructure_fn(
        Report, converter, limits=override(unstruct_hook=lambda limits: limits.name)
    )

    def unstructure(report: Report) -> dict[str, Any]:
        return {
            **fields(report),
            "ok": report.ok,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
        }

    return unstructure


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    # cattrs dispatches on the class and its bases before trying predicates, so
    # these hooks replace its lenient built-ins (int(True) == 1, str(10) == "10").
    # bool is a subclass of int and gets its own hook; each enum is registered by
    # class too, as a StrEnum would otherwise reach the str hook first.
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    for kind in ENUMS:
        _register_enum(conv, kind)
    conv.register_structure_hook(dt.datetime, _structure_datetime)
    conv.register_unstructure_hook(dt.datetime, _unstructure_datetime)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_unstructure_hook(dt.date, _unstructure_date)
    conv.register_structure_hook(Range, _structure_range)
    conv.register_unstructure_hook(Range, _unstructure_range)
    conv.register_structure_hook_factory(_is_tuple_of_any, _structure_tuple_factory)
    # A direction is a tuple of three; a JSON document holds it as a list.
    conv.register_unstructure_hook_func(lambda t: t == Direction3, list)
    conv.register_structure_hook_factory(
        attrs.has, lambda cls: _structure_attrs_factory(cls, conv)
    )
    conv.register_structure_hook_factory(
        _is_optional, lambda cls: _structure_optional_factory(cls, conv)
    )
    conv.register_unstructure_hook_factory(
        _is_optional, lambda cls: _unstructure_optional_factory(cls, conv)
    )
    conv.register_unstructure_hook_factory(
        _is_tuple_of_each, lambda cls: _unstructure_tuple_factory(cls, conv)
    )
    for cls in _SHARED:
        conv.register_structure_hook(cls, _shared(_structure_attrs_factory(cls, conv)))
    # Protocols of one region list the same red flags, 18 for the back: one key
    # for the list instead of one for each flag.
    conv.register_structure_hook_func(
        lambda cls: cls == _RED_FLAGS,
        _shared(_structure_tuple_factory(_RED_FLAGS, conv)),
    )
    return conv


def _register_enum(conv: cattrs.Converter, kind: type[enum.Enum]) -> None:
    conv.register_structure_hook(kind, _structure_enum_factory(kind))
    # A dict's own lookup, so that no Python function runs for each member
    # written (an enum's value is a property, slow to read).
    conv.register_unstructure_hook(kind, {m: m.value for m in kind}.__getitem__)


converter: Final = _make_converter()


def register_enum(kind: type[enum.Enum]) -> None:
    """Load and write an enum as the model's are: by value, naming every allowed one."""
    _register_enum(converter, kind)
