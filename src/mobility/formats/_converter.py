"""The library's one cattrs converter: every (un)structuring rule, in one place.

The converter is strict, because a document is data from outside: a string is not
a number, ``"false"`` is not a boolean, a string is not a list of characters, and a
key the model does not know is an error rather than something to drop. The model's
own checks then run as each object is built.

Nothing outside :mod:`mobility.formats.json` should need this module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re

from typing import TYPE_CHECKING, Any, Final, get_args

import attrs
import cattrs

from cattrs.cols import homogenous_tuple_structure_factory, is_sequence
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from .._words import escaped
from ..errors import InvalidModelError
from ..model import (
    AdaptationKind,
    Audience,
    CautionKind,
    Intensity,
    Posture,
    Range,
    RedFlag,
    Region,
    Side,
    Source,
    SourceKind,
    Urgency,
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
            return Range(value)
        if isinstance(value, dict) and value.keys() == {"low", "high"}:
            low, high = value["low"], value["high"]
            if is_number(low) and is_number(high):
                return Range(low, high)
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


def _unstructure_enum(member: enum.Enum) -> Any:
    return member.value


def _is_tuple_of_any(cls: Any) -> bool:
    return is_sequence(cls) and getattr(cls, "__origin__", None) is tuple


def _structure_tuple_factory(cls: Any, conv: cattrs.Converter) -> Any:
    items = homogenous_tuple_structure_factory(cls, conv)
    (item_type, *_) = get_args(cls)

    def structure(value: Any, _: type) -> tuple[Any, ...]:
        # A string is iterable, but never a list of items here.
        if not isinstance(value, list):
            raise InvalidValueError(f"expected an array, got {describe(value)}")
        if len(value) > MAX_ITEMS:
            raise InvalidValueError(
                f"expected at most {MAX_ITEMS} items, got an array of {len(value)}"
            )
        return items(value, cls)  # type: ignore[no-any-return]

    structure.__name__ = f"structure_tuple_of_{getattr(item_type, '__name__', 'any')}"
    return structure


def _structure_attrs_factory(cls: type, conv: cattrs.Converter) -> Any:
    fields: Callable[[Any, type], Any] = make_dict_structure_fn(cls, conv)

    def structure(value: Any, _: type) -> Any:
        if not isinstance(value, dict):
            raise InvalidValueError(f"expected an object, got {describe(value)}")
        return fields(value, cls)

    return structure


#: Classes whose objects repeat within and across documents (the same source
#: cited by every red flag, the same red flags in every back protocol, the same
#: figure wherever an exercise appears, the same joint angle in many poses), and
#: whose fields are plain values or such objects: loading builds each distinct one
#: once.
_SHARED: Final = (Source, RedFlag, Figure, Pose, Turn)
# Kept: at most this many distinct objects, each of at most this much text, so
# hostile input cannot make the memory grow (4,096 x 2,000 characters at most).
_SHARED_MAX: Final = 4096
_SHARED_TEXT: Final = 2000


def _frozen(value: Any) -> Any:
    """A hashable copy of a JSON value, with its types kept apart (1 vs True).

    Exact types, not isinstance: a subclass of dict or list is left as it is,
    so it is unhashable and gets built, not looked up. (This runs for every
    source in a document, hence the list comprehensions.)
    """
    kind = type(value)
    if kind is dict:
        return (dict, tuple([(key, _frozen(item)) for key, item in value.items()]))
    if kind is list:
        return (list, tuple([_frozen(item) for item in value]))
    return (kind, value)


def _text_size(value: Any) -> int:
    """Characters of text in a JSON value, keys included."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(len(str(k)) + _text_size(v) for k, v in value.items())
    if isinstance(value, list):
        return sum(_text_size(item) for item in value)
    return 0


def _shared(structure: Callable[[Any, type], Any]) -> Callable[[Any, type], Any]:
    """Build each distinct immutable object once; later ones are the same object.

    Only objects that loaded are kept, so a bad value is checked, and reported,
    every time it appears. When ``_SHARED_MAX`` are kept, the oldest makes way
    for the newest, so a long-running process keeps sharing what it loads now.
    """
    built: dict[Any, Any] = {}

    def shared(value: Any, cls: type) -> Any:
        key = _frozen(value)
        try:
            return built[key]
        except (KeyError, TypeError):  # new, or not hashable: not a JSON value
            result = structure(value, cls)
        if _text_size(value) <= _SHARED_TEXT:
            with contextlib.suppress(TypeError):
                built[key] = result
                if len(built) > _SHARED_MAX:
                    del built[next(iter(built))]  # the oldest: dicts keep order
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
    for cls in _SHARED:
        conv.register_structure_hook(cls, _shared(_structure_attrs_factory(cls, conv)))
    return conv


def _register_enum(conv: cattrs.Converter, kind: type[enum.Enum]) -> None:
    conv.register_structure_hook(kind, _structure_enum_factory(kind))
    conv.register_unstructure_hook(kind, _unstructure_enum)


converter: Final = _make_converter()


def register_enum(kind: type[enum.Enum]) -> None:
    """Load and write an enum as the model's are: by value, naming every allowed one."""
    _register_enum(converter, kind)
