"""How numbers and amounts read in the library's text: the lowest rendering layer.

Everything a person reads (a step filled from its dose, a dose in words, a
finding's message) spells numbers through these few functions, so "10", "2.5",
"10 to 15 seconds" and "once" are written one way everywhere. This module imports
nothing from the rest of the package, so the model can use it too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING


if TYPE_CHECKING:
    from typing import Protocol as Interface

    from .model import Range

    class Span(Interface):
        """Anything with a low and a high end, such as a :class:`~mobility.Range`."""

        @property
        def low(self) -> float: ...
        @property
        def high(self) -> float: ...


def fmt(value: float) -> str:
    """A number as people write it: ``10``, ``2.5``.

    Example:
        >>> fmt(10), fmt(2.5), fmt(1e-7)
        ('10', '2.5', '1e-07')
    """
    return str(value) if isinstance(value, int) else f"{value:g}"


def minutes(seconds: Span) -> str:
    """A duration in seconds as minutes, to the nearest half minute: ``5-10 min``.

    Example:
        >>> from mobility import Range
        >>> minutes(Range(300, 600)), minutes(Range(210)), minutes(Range(200, 220))
        ('5-10 min', '3.5 min', '3.5 min')
    """
    low, high = round(seconds.low / 30) / 2, round(seconds.high / 30) / 2
    low, high = (int(x) if x.is_integer() else x for x in (low, high))
    return f"{fmt(low)} min" if low == high else f"{fmt(low)}-{fmt(high)} min"


def escaped(text: str) -> str:
    r"""Text with each character a terminal would act on written as an escape.

    Control, format and separator characters other than the space, and lone
    surrogates, become escapes such as ``\u001b`` (eight hex digits after
    ``\U`` above the BMP), so printing a hostile value cannot restyle, clear or
    reorder a terminal.

    Example:
        >>> print(escaped("a\tb\x1b[2J"))
        a\u0009b\u001b[2J
    """
    if text.isprintable():
        return text
    return "".join(
        character if character.isprintable() else _escape(character)
        for character in text
    )


def _escape(character: str) -> str:
    code_point = ord(character)
    return f"\\u{code_point:04x}" if code_point <= 0xFFFF else f"\\U{code_point:08x}"


def counted(number: float, singular: str, plural: str | None = None) -> str:
    """A number with its noun, singular for exactly one: ``"1 set"``, ``"3 sets"``.

    Example:
        >>> counted(1, "repetition"), counted(2.5, "second")
        ('1 repetition', '2.5 seconds')
    """
    noun = singular if number == 1 else (plural or singular + "s")
    return f"{fmt(number)} {noun}"


def amount(value: Range, singular: str, plural: str | None = None) -> str:
    """A range with its noun, as a sentence says it: ``"10 to 15 seconds"``.

    Example:
        >>> from mobility import Range
        >>> amount(Range(10, 15), "second"), amount(Range(1), "set")
        ('10 to 15 seconds', '1 set')
    """
    if value.low == value.high:
        return counted(value.low, singular, plural)
    return f"{fmt(value.low)} to {counted(value.high, singular, plural)}"


def times(value: Range) -> str:
    """How many times, as a sentence says it: ``"once"``, ``"3 times"``.

    Example:
        >>> from mobility import Range
        >>> times(Range(1)), times(Range(2)), times(Range(10, 15))
        ('once', 'twice', '10 to 15 times')
    """
    if value.low == value.high and value.low in (1, 2):
        return "once" if value.low == 1 else "twice"
    return amount(value, "times", "times")
