"""The structural checks the model's fields run at construction.

Each check is a small object rather than a closure, so that what it enforces can be
read back: :mod:`mobility.formats.schema` turns these same objects into JSON Schema
constraints, which keeps the published schema and the model from drifting apart.

Every failure raises :class:`~mobility.errors.InvalidModelError` naming the class
and field, with the field (and item index, for sequences) also as attributes.
"""

from __future__ import annotations

import bisect
import functools
import math
import re

from typing import TYPE_CHECKING, Any, Final, TypeVar

from ..errors import InvalidModelError, TemplateError
from .steps import TEMPLATE_PATTERN, parse


#: The largest number any field of the model accepts. No dose comes near it (a
#: million seconds is eleven and a half days), and with every quantity at most this,
#: the largest figure the validator derives stays far inside the range of a float.
MAX_QUANTITY: Final = 1_000_000

SLUG_PATTERN: Final = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG_MAX_LENGTH: Final = 64

_SLUG = re.compile(SLUG_PATTERN)

#: A web address: http or https, a host name, an optional port, then only the
#: characters RFC 3986 allows in a URL (so no quote, angle bracket, backslash,
#: brace, caret, backtick, bar or space, which could end an HTML attribute or a
#: Markdown link). The classes hold no newline, so ECMAScript and Python read the
#: pattern alike. The model also parses the address with urllib.
URL_PATTERN: Final = (
    r"https?://[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?(?::[0-9]{1,5})?"
    r"(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?"
)
URL_MAX_LENGTH: Final = 2000

_URL = re.compile(URL_PATTERN)
_EXACT_FLOAT = 2**53  # beyond this, floats no longer hold every whole number

#: Code points that show nothing by themselves, as inclusive ranges: controls
#: (Cc), format characters (Cf), surrogates (Cs), every separator (Zs, Zl, Zp),
#: Unicode's Default_Ignorable_Code_Point set (which holds the Hangul fillers and
#: the variation selectors), and the blank braille pattern. Text made only of
#: these looks empty to a reader, so the model does not count it as text. The
#: tests derive the same set from :mod:`unicodedata`.
INVISIBLE: Final = (
    (0x0000, 0x0020),
    (0x007F, 0x00A0),
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),
    (0x1680, 0x1680),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x2000, 0x200F),
    (0x2028, 0x202F),
    (0x205F, 0x206F),
    (0x2800, 0x2800),
    (0x3000, 0x3000),
    (0x3164, 0x3164),
    (0xD800, 0xDFFF),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)


def _class_item(code_point: int) -> str:
    # A BMP code point as a backslash-u escape of four hex digits, which Python's
    # re and ECMA-262 (the dialect of JSON Schema) both read; above the BMP no
    # escape is read by both, so the character itself, read by both in Unicode
    # mode.
    return f"\\u{code_point:04X}" if code_point <= 0xFFFF else chr(code_point)


#: A regular expression that finds a visible character: one outside
#: :data:`INVISIBLE`. The JSON Schema uses it for every text field.
VISIBLE_PATTERN: Final = (
    "[^"
    + "".join(
        _class_item(start) + (f"-{_class_item(end)}" if end != start else "")
        for start, end in INVISIBLE
    )
    + "]"
)
_INVISIBLE_STARTS: Final = tuple(start for start, _ in INVISIBLE)


def is_visible(text: str) -> bool:
    r"""Whether text has at least one character a reader can see.

    The same test as :data:`VISIBLE_PATTERN`, without compiling it: importing the
    model stays cheap, and almost every text answers at its first character.

    Example:
        >>> is_visible("Stop"), is_visible(" \u200b\u3164\u2800")
        (True, False)
    """
    for character in text:
        if "!" <= character <= "~":  # visible ASCII: the common case
            return True
        code_point = ord(character)
        index = bisect.bisect_right(_INVISIBLE_STARTS, code_point) - 1
        if index < 0 or code_point > INVISIBLE[index][1]:
            return True
    return False


if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    import attrs

    Attribute = attrs.Attribute[Any]


#: The key of a field's metadata that holds its checks: ``attrs.fields(cls).name
#: .metadata[CHECKS]`` is the tuple of check objects the field runs, in order.
CHECKS: Final = "mobility.checks"


def checks(*run: Any) -> dict[str, Any]:
    """The arguments of :func:`attrs.field` that run these checks and record them.

    Write ``attrs.field(default=None, **checks(Text(optional=True)))``: the checks
    run at construction as attrs validators, and the same objects are kept in the
    field's metadata under :data:`CHECKS`, where the JSON Schema generator and
    the docs read what each field allows.
    """
    # One check is passed as it is: a list would be wrapped in attrs' and_(),
    # one more call for every field of every object built.
    validator = run[0] if len(run) == 1 else list(run)
    return {"validator": validator, "metadata": {CHECKS: run}}


def checks_of(field: Attribute) -> tuple[Any, ...]:
    """The checks a field records (none for a field that has no checks)."""
    recorded: tuple[Any, ...] = field.metadata.get(CHECKS, ())
    return recorded


_F = TypeVar("_F", bound="Callable[..., None]")


def described(words: str) -> Callable[[_F], _F]:
    """Give a check written as a function the ``words`` that say what it allows.

    :func:`mobility.model.constraints` reads them, as it reads a check object's.
    """

    def mark(check: _F) -> _F:
        check.words = words  # type: ignore[attr-defined]
        return check

    return mark


def _or_none(words: str, optional: bool) -> str:  # noqa: FBT001 - the check's flag
    return f"{words}, or None" if optional else words


def fail(
    instance: object, attribute: Attribute, problem: str, index: int | None = None
) -> None:
    """Raise InvalidModelError for a field of an instance under construction."""
    where = f"{type(instance).__name__}.{attribute.name}"
    item = "" if index is None else f"item {index}: "
    raise InvalidModelError(
        f"{where}: {item}{problem}", field=attribute.name, index=index, problem=problem
    )


def shown(value: object) -> str:
    """A value for an error message: its repr, unless it is too large to print.

    Python refuses to print an int of more than 4,300 digits, and a message has
    no use for one that long.
    """
    if isinstance(value, int) and abs(value).bit_length() > _LARGEST_SHOWN_BITS:
        return "a number too large to show"
    return repr(value)


_LARGEST_SHOWN_BITS: Final = 128  # about 39 digits


def is_number(value: object) -> bool:
    """Whether a value is an int or a float, and not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_finite(value: float) -> bool:
    """Whether a number is finite, counting ints too large for a float as not."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def normalize_number(value: Any) -> Any:
    """Store whole floats as ints, so 10.0 and 10 are one value with one spelling."""
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_FLOAT:
        return int(value)
    return value


#: Characters no text field may hold: control characters other than tab and
#: newline (they can restyle or clear a terminal, and RFC 5545 forbids them in a
#: calendar), the bidirectional embeddings, overrides and isolates (they make a
#: printed page or a screen show text in another order than it is written), and
#: lone surrogates (no UTF-8 file can hold one). As inclusive ranges; the JSON
#: Schema's text pattern is built from the same list.
FORBIDDEN: Final = (
    (0x0000, 0x0008),
    (0x000B, 0x001F),
    (0x007F, 0x009F),
    (0x202A, 0x202E),
    (0x2066, 0x2069),
    (0xD800, 0xDFFF),
)

#: The bidirectional controls among them, named apart in messages.
_BIDI: Final = ((0x202A, 0x202E), (0x2066, 0x2069))

#: A regular expression that matches text with no :data:`FORBIDDEN` character.
ALLOWED_PATTERN: Final = (
    "^[^" + "".join(f"\\u{start:04X}-\\u{end:04X}" for start, end in FORBIDDEN) + "]*$"
)


def forbidden(text: str) -> str | None:
    r"""The first :data:`FORBIDDEN` character of a text, or ``None``.

    Example:
        >>> forbidden("Stop.\nRest."), forbidden("Stop\x1b[2J")
        (None, '\x1b')
    """
    if text.isprintable():  # no control character, no surrogate: the common case
        return None
    for character in text:
        code_point = ord(character)
        if any(start <= code_point <= end for start, end in FORBIDDEN):
            return character
    return None


def _text_problem(value: object) -> str | None:
    if type(value) is str and len(value) <= _REMEMBERED_TEXT:
        return _short_text_problem(value)
    return _any_text_problem(value)


#: Texts up to this long have their verdict kept: the same names and steps are
#: checked again for every variant built from them. The bound keeps a hostile
#: input of many long texts from keeping them all.
_REMEMBERED_TEXT: Final = 500


def _any_text_problem(value: object) -> str | None:
    if not isinstance(value, str) or not is_visible(value):
        return f"{_EXPECTED_TEXT}, got {shown(value)}"
    character = forbidden(value)
    if character is not None and any(
        start <= ord(character) <= end for start, end in _BIDI
    ):
        return (
            f"bidirectional control U+{ord(character):04X} in {shown(value)}; it "
            "would show the text in another order than it is written"
        )
    if character is not None:
        return (
            f"control character or lone surrogate U+{ord(character):04X} in "
            f"{shown(value)}; text may hold newlines and tabs, not other controls"
        )
    return None


_short_text_problem: Final = functools.lru_cache(maxsize=4096)(_any_text_problem)


class Text:
    """Text with a visible character and no :data:`FORBIDDEN` one.

    See :func:`is_visible` and :func:`forbidden`.
    """

    __slots__ = ("optional",)

    def __init__(self, *, optional: bool = False) -> None:
        self.optional = optional

    @property
    def words(self) -> str:
        """What the check allows, in words."""
        return _or_none(
            "text with a visible character and no control character", self.optional
        )

    def __call__(self, instance: object, attribute: Attribute, value: Any) -> None:
        if value is None and self.optional:
            return
        problem = _text_problem(value)
        if problem is not None:
            fail(instance, attribute, problem)


_EXPECTED_TEXT: Final = "expected text with a visible character"


class Template:
    """A step template: braces doubled or around a placeholder's name.

    See :mod:`mobility.model.steps` for the placeholders; ``None`` passes too.
    """

    __slots__ = ()
    pattern = TEMPLATE_PATTERN
    words = "a step template: text whose amounts are placeholders such as {hold}"

    def __call__(self, instance: object, attribute: Attribute, value: Any) -> None:
        if isinstance(value, str):
            try:
                parts = parse(value)
            except TemplateError as error:
                fail(instance, attribute, str(error))
            if not any(
                name not in (None, "sides") or is_visible(literal)
                for literal, name in parts
            ):
                fail(
                    instance,
                    attribute,
                    "a step must say something besides {sides}, which is empty "
                    f"for a bilateral dose; got {shown(value)}",
                )


class Texts:
    """A sequence of texts, each with a visible character."""

    __slots__ = ()
    words = "texts, each with a visible character and no control character"

    def __call__(self, instance: object, attribute: Attribute, value: Any) -> None:
        for index, item in enumerate(value):
            problem = _text_problem(item)
            if problem is not None:
                fail(instance, attribute, problem, index)


class Slug:
    """A stable id: lower-case letters and digits in groups joined by one hyphen."""

    __slots__ = ()
    pattern = SLUG_PATTERN
    max_length = SLUG_MAX_LENGTH
    words = (
        "a slug: lower-case letters and digits in groups joined by single hyphens, "
        f"at most {SLUG_MAX_LENGTH} characters"
    )

    def __call__(self, instance: object, attribute: Attribute, value: Any) -> None:
        if not is_slug(value):
            fail(instance, attribute, _slug_problem(value))


class Slugs:
    """A sequence of slugs (see :class:`Slug`)."""

    __slots__ = ()
    words = "slugs, each as an id is"

    def __call__(self, instance: object, attribute: Attribute, value: Any) -> None:
        for index, item in enumerate(value):
            if not is_slug(item):
                fail(instance, attribute, _slug_problem(item), index)


def is_slug(value: object) -> bool:
    """Whether a value is a stable id, as :class:`Slug` checks it."""
    return (
        isinstance(value, str)
        and len(value) <= SLUG_MAX_LENGTH
        and _SLUG.fullmatch(value) is not None
    )


def _slug_problem(value: object) -> str:
    return (
        "expected a slug of lower-case letters, digits and single hyphens "
        f"(at most {SLUG_MAX_LENGTH} characters), got {shown(value)}"
    )


class Url:
    """An http or https address, or ``None``."""

    __slots__ = ()
    pattern = URL_PATTERN
    max_length = URL_MAX_LENGTH
    words = f"an http or https address of at most {URL_MAX_LENGTH} characters, or None"

    def __call__(self, instance: object, attribute: Attribute, value: Any) -> None:
        if value is None:
            return
        if (
            not isinstance(value, str)
            or len(value) > URL_MAX_LENGTH
            or _URL.fullmatch(value) is None
            or not _parses(value)
        ):
            fail(
                instance,
                attribute,
                "expected an http or https address with a host, in the characters "
                "a URL allows (at most "
                f"{URL_MAX_LENGTH} characters), got {shown(value)}",
            )


def _parses(url: str) -> bool:
    """Whether urllib reads ``url`` as an http(s) address with a host and port."""
    from urllib.parse import urlsplit  # noqa: PLC0415 - only URLs need it

    try:
        parts = urlsplit(url)
        port = parts.port  # reading it checks it: 0-65535
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.hostname) and port != 0


class Count:
    """A whole number from ``minimum`` to ``maximum``; ``None`` too if optional."""

    __slots__ = ("maximum", "minimum", "optional")

    def __init__(
        self, minimum: int, maximum: int = MAX_QUANTITY, *, optional: bool = False
    ) -> None:
        self.minimum = minimum
        self.maximum = maximum
        self.optional = optional

    @property
    def words(self) -> str:
        """What the check allows, in words."""
        return _or_none(
            f"a whole number from {self.minimum:,} to {self.maximum:,}", self.optional
        )

    def __call__(self, instance: object, attribute: Attribute, value: Any) -> None:
        if value is None and self.optional:
            return
        if not isinstance(value, int) or isinstance(value, bool):
            fail(instance, attribute, f"expected a whole number, got {shown(value)}")
        if not self.minimum <= value <= self.maximum:
            fail(
                instance,
                attribute,
                f"must be between {self.minimum} and {self.maximum}, "
                f"got {shown(value)}",
            )


class Number:
    """A finite number of at least 0, and at most ``maximum`` when one is set."""

    __slots__ = ("maximum", "optional")

    def __init__(self, maximum: float | None = None, *, optional: bool = False) -> None:
        self.maximum = maximum
        self.optional = optional

    @property
    def words(self) -> str:
        """What the check allows, in words."""
        most = "" if self.maximum is None else f" and at most {self.maximum:,}"
        return _or_none(f"a finite number of at least 0{most}", self.optional)

    def __call__(self, instance: object, attribute: Attribute, value: Any) -> None:
        if value is None and self.optional:
            return
        if not is_number(value):
            fail(instance, attribute, f"expected a number, got {shown(value)}")
        if not is_finite(value):
            fail(instance, attribute, f"expected a finite number, got {shown(value)}")
        if value < 0:
            fail(instance, attribute, f"must not be negative, got {shown(value)}")
        if self.maximum is not None and value > self.maximum:
            fail(
                instance,
                attribute,
                f"must be at most {self.maximum}, got {shown(value)}",
            )


class RangeOf:
    """A range a person gives: at most MAX_QUANTITY, and whole or positive if asked.

    Derived ranges (sums and products) are not held to the cap.
    """

    __slots__ = ("positive", "whole")

    def __init__(self, *, whole: bool = False, positive: bool = False) -> None:
        self.whole = whole
        self.positive = positive

    @property
    def words(self) -> str:
        """What the check allows, in words."""
        kind = (
            "whole numbers of at least 1"
            if self.whole
            else "numbers above 0"
            if self.positive
            else "numbers of at least 0"
        )
        return f"a number or a low-high range of {kind}, at most {MAX_QUANTITY:,}"

    def __call__(self, instance: object, attribute: Attribute, value: Any) -> None:
        if value is None:
            return
        if self.whole and (not value.is_whole or value.low < 1):
            fail(
                instance, attribute, f"must be whole numbers of at least 1, got {value}"
            )
        if self.positive and value.low <= 0:
            fail(instance, attribute, f"must be above zero, got {value}")
        if value.high > MAX_QUANTITY:
            fail(instance, attribute, f"must be at most {MAX_QUANTITY}, got {value}")


class NonEmpty:
    """A sequence with at least one item."""

    __slots__ = ()
    words = "at least one item"

    def __call__(self, instance: object, attribute: Attribute, value: Any) -> None:
        if not value:
            fail(instance, attribute, "must not be empty")


class InstanceOf:
    """Like attrs.validators.instance_of, with our error type and wording."""

    __slots__ = ("kind", "label", "optional")

    def __init__(self, kind: type, label: str, *, optional: bool = False) -> None:
        self.kind = kind
        self.label = label
        self.optional = optional

    @property
    def words(self) -> str:
        """What the check allows, in words."""
        return _or_none(self.label, self.optional)

    def __call__(self, instance: object, attribute: Attribute, value: Any) -> None:
        if value is None and self.optional:
            return
        if not isinstance(value, self.kind):
            label = f"{self.label} or None" if self.optional else self.label
            fail(instance, attribute, f"expected {label}, got {shown(value)}")


class EachInstanceOf:
    """Every item of a sequence is an instance of ``kind``; ``None`` if optional."""

    __slots__ = ("kind", "label", "optional")

    def __init__(self, kind: type, label: str, *, optional: bool = False) -> None:
        self.kind = kind
        self.label = label
        self.optional = optional

    @property
    def words(self) -> str:
        """What the check allows, in words."""
        return _or_none(f"each item {self.label}", self.optional)

    def __call__(self, instance: object, attribute: Attribute, value: Any) -> None:
        if value is None and self.optional:
            return
        for index, item in enumerate(value):
            if not isinstance(item, self.kind):
                fail(
                    instance,
                    attribute,
                    f"expected {self.label}, got {shown(item)}",
                    index,
                )


class UniqueIds:
    """The items of a sequence have distinct ``id`` attributes."""

    __slots__ = ()
    words = "no two items with the same id"

    def __call__(self, instance: object, attribute: Attribute, value: Any) -> None:
        seen: set[str] = set()
        for index, item in enumerate(value):
            if item.id in seen:
                fail(instance, attribute, f"duplicate id {item.id!r}", index)
            seen.add(item.id)


#: A time as JSON documents hold it: RFC 3339's date-time, which always states
#: its UTC offset (``Z`` or ``+01:00``), with at most microseconds.
DATETIME_PATTERN: Final = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})"
)


class AwareTime:
    """A :class:`datetime.datetime` that knows its UTC offset.

    A naive time means a different moment in every time zone, so a record of
    when something happened must say which.
    """

    __slots__ = ()
    pattern = DATETIME_PATTERN
    words = "a date and time with its UTC offset, in whole minutes"

    def __call__(self, instance: object, attribute: Attribute, value: Any) -> None:
        import datetime as dt  # noqa: PLC0415 - only session records need it

        if not isinstance(value, dt.datetime):
            fail(instance, attribute, f"expected a datetime, got {shown(value)}")
        offset = value.utcoffset()
        if offset is None:
            fail(
                instance,
                attribute,
                f"{value.isoformat()} has no time zone; give the time with its "
                "UTC offset or zone",
            )
        elif offset.seconds % 60 or offset.microseconds:
            # Local mean time before standard zones, such as +03:04:18.
            fail(
                instance,
                attribute,
                f"{value.isoformat()} has a UTC offset in seconds, which RFC 3339 "
                "times cannot hold; give it in whole minutes",
            )


class Between:
    """A finite number from ``low`` to ``high``, negative ones allowed."""

    __slots__ = ("high", "low")

    def __init__(self, low: float, high: float) -> None:
        self.low = low
        self.high = high

    @property
    def words(self) -> str:
        """What the check allows, in words."""
        return f"a finite number from {self.low:g} to {self.high:g}"

    def __call__(self, instance: object, attribute: Attribute, value: Any) -> None:
        if not is_number(value):
            fail(instance, attribute, f"expected a number, got {shown(value)}")
        if not is_finite(value):
            fail(instance, attribute, f"expected a finite number, got {shown(value)}")
        if not self.low <= value <= self.high:
            fail(
                instance,
                attribute,
                f"must be from {self.low:g} to {self.high:g}, got {shown(value)}",
            )


class OneOf:
    """One of a fixed set of names (a joint, a landmark); each item if ``each``."""

    __slots__ = ("_known", "each", "label", "names")

    def __init__(self, names: Iterable[str], label: str, *, each: bool = False) -> None:
        self.names = tuple(names)
        self._known = frozenset(self.names)  # a joint is one of 40: look it up
        self.label = label
        self.each = each

    @property
    def words(self) -> str:
        """What the check allows, in words."""
        return f"each item {self.label}" if self.each else self.label

    def __call__(self, instance: object, attribute: Attribute, value: Any) -> None:
        items = enumerate(value) if self.each else [(None, value)]
        for index, item in items:
            try:
                known = item in self._known
            except TypeError:  # unhashable, so none of the names
                known = False
            if not known:
                fail(
                    instance,
                    attribute,
                    f"expected {self.label}, got {shown(item)}",
                    index,
                )


class Direction:
    """Three finite numbers whose length is 1: a direction in space."""

    __slots__ = ()

    words: Final = "three numbers whose length is 1 (a direction)"

    def __call__(self, instance: object, attribute: Attribute, value: Any) -> None:
        if len(value) != 3 or not all(is_number(v) and is_finite(v) for v in value):
            fail(instance, attribute, f"expected three numbers, got {shown(value)}")
        if not all(-_MOST <= v <= _MOST for v in value):
            # No number of a direction is past 1; squaring a huge one would
            # overflow a float (an int of 155 digits, read from a document).
            fail(
                instance,
                attribute,
                "expected a direction of length 1, whose numbers are each from -1 to 1",
            )
        length = math.sqrt(sum(v * v for v in value))
        if abs(length - 1) > UNIT_TOLERANCE:
            fail(
                instance,
                attribute,
                f"expected a direction of length 1, got length {length:.6g}",
            )


#: How far from 1 a direction's length, or from 0 the dot product of two at
#: right angles, may be: room for six decimals of rounding.
UNIT_TOLERANCE: Final = 1e-5
_MOST: Final = 1 + UNIT_TOLERANCE
