"""Step text that follows the dose: the placeholders a step may use.

A step names amounts of its exercise's dose ("hold for 10 to 15 seconds") with a
placeholder in braces instead of the number: ``"Hold there for {hold}."``. The
placeholder is filled from the exercise's own dose whenever the step is shown or
exported, so a variant with a 30 s hold reads "Hold there for 30 seconds" and the
text can never contradict the dose. The JSON document stores the template.

- ``{hold}``: the hold, such as "10 to 15 seconds" (the dose needs a hold);
- ``{reps}``: the repetitions per set, such as "10 to 15 repetitions";
- ``{times}``: the repetitions per set as a count of times: "once", "twice",
  "3 times";
- ``{sets}``: the sets, such as "1 set" or "3 sets";
- ``{rest}``: the rest between sets, such as "30 seconds" (the dose needs a rest);
- ``{sides}``: the side: "on each side", "on the left side only", or nothing for
  a bilateral dose.

A brace that is meant as a brace is doubled: ``{{`` and ``}}``. When a placeholder
fills to nothing (``{sides}`` of a bilateral dose), the space before it goes too.

Example:
    >>> from mobility import Dose, Hold, Range, Side
    >>> from mobility.model.steps import fill
    >>> dose = Dose(side=Side.EACH, reps=Range(10, 15), hold=Hold(30))
    >>> fill("Hold for {hold}. Do {reps} {sides}.", dose)
    'Hold for 30 seconds. Do 10 to 15 repetitions on each side.'
    >>> fill("Do it {times} {sides}.", Dose(side=Side.BILATERAL, reps=1))
    'Do it once.'
"""

from __future__ import annotations

import functools
import re
import string

from types import MappingProxyType
from typing import TYPE_CHECKING, Final, NamedTuple

from .._words import amount, times
from ..errors import TemplateError


if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from . import Dose, Range


__all__ = [
    "PLACEHOLDERS",
    "TEMPLATE_PATTERN",
    "Claim",
    "Instruction",
    "Placeholder",
    "agrees",
    "claims",
    "escape",
    "fill",
    "parse",
    "placeholders",
    "prescribed",
    "to_template",
]


class Placeholder(NamedTuple):
    """One word of the template vocabulary.

    Args:
        name: What goes between the braces.
        fills: What it is replaced by.
        needs: The field of :class:`~mobility.Dose` that must be set for it
            (``"hold"``, ``"rest_seconds"``); ``None`` when every dose can fill it.
        say: Fill it from a dose.
    """

    name: str
    fills: str
    needs: str | None
    say: Callable[[Dose], str]


def _hold(dose: Dose) -> str:
    if dose.hold is None:  # Exercise refuses a {hold} without a hold
        msg = "{hold} needs a dose with a hold"
        raise TemplateError(msg)
    return amount(dose.hold.seconds, "second")


def _rest(dose: Dose) -> str:
    if dose.rest_seconds is None:  # Exercise refuses a {rest} without a rest
        msg = "{rest} needs a dose with a rest between sets"
        raise TemplateError(msg)
    return amount(dose.rest_seconds, "second")


#: The placeholders a step may use, by name.
PLACEHOLDERS: Final[Mapping[str, Placeholder]] = MappingProxyType(
    {
        placeholder.name: placeholder
        for placeholder in (
            Placeholder("hold", "the hold", "hold", _hold),
            Placeholder(
                "reps",
                "the repetitions per set",
                None,
                lambda dose: amount(dose.reps, "repetition"),
            ),
            Placeholder(
                "times",
                "the repetitions per set, as a count of times",
                None,
                lambda dose: times(dose.reps),
            ),
            Placeholder(
                "sets", "the sets", None, lambda dose: amount(dose.sets, "set")
            ),
            Placeholder("rest", "the rest between sets", "rest_seconds", _rest),
            Placeholder(
                "sides",
                "the side the dose is for; nothing for a bilateral dose",
                None,
                lambda dose: dose.side.phrase,
            ),
        )
    }
)

#: A regular expression that matches a whole valid template, which is any text
#: whose braces are doubled or enclose a placeholder's name. The JSON Schema uses it
#: for step texts and cues.
TEMPLATE_PATTERN: Final = (
    r"^(?:[^{}]|\{\{|\}\}|\{(?:" + "|".join(PLACEHOLDERS) + r")\})*$"
)

_FORMATTER: Final = string.Formatter()
_KNOWN: Final = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)

#: A template split into (literal text, placeholder name or None) parts.
Parts = tuple[tuple[str, str | None], ...]


@functools.lru_cache(maxsize=4096)
def parse(template: str) -> Parts:
    """Split a template into its literal parts and placeholders.

    Braces in the literal parts are undoubled. Cached: the same texts come back
    for every variant of a grid.

    Raises:
        TemplateError: A lone brace, an empty or unknown placeholder, or a
            placeholder with a format.
    """
    try:
        pieces = list(_FORMATTER.parse(template))
    except ValueError:
        msg = (
            "a brace must enclose a placeholder, such as {hold}; write {{ or }} "
            "for a brace itself"
        )
        raise TemplateError(msg) from None
    parts: list[tuple[str, str | None]] = []
    for literal, name, spec, conversion in pieces:
        if name is not None:
            written = "{" + name + (f"!{conversion}" if conversion else "")
            written += f":{spec}}}" if spec else "}"
            if name not in PLACEHOLDERS:
                msg = f"unknown placeholder {written}; the placeholders are {_KNOWN}"
                raise TemplateError(msg)
            if spec or conversion:
                msg = f"the placeholder {written} takes no format; write {{{name}}}"
                raise TemplateError(msg)
        parts.append((literal, name))
    return tuple(parts)


def placeholders(template: str) -> tuple[str, ...]:
    """The placeholders a template uses, in order, each once.

    Example:
        >>> placeholders("Hold for {hold}, {reps} {sides}; then {hold} again.")
        ('hold', 'reps', 'sides')
    """
    return tuple(dict.fromkeys(name for _, name in parse(template) if name))


def fill(template: str, dose: Dose) -> str:
    """The text a person reads: the template with each placeholder filled from ``dose``.

    Raises:
        TemplateError: The template is not valid, or uses a placeholder the dose
            cannot fill (an :class:`~mobility.Exercise` never holds such a step).
    """
    text = ""
    for literal, name in parse(template):
        text += literal
        if name is not None:
            value = PLACEHOLDERS[name].say(dose)
            if not value and text.endswith(" "):
                text = text[:-1]
            text += value
    return text


def to_template(text: str, dose: Dose) -> str:
    """Turn literal text into a template that fills back to exactly ``text``.

    Braces are doubled, and each amount that is the dose's own, as the
    placeholders spell it ("10 to 15 seconds" for a 10-15 s hold), becomes its
    placeholder, so the text follows the dose from then on. An amount that two
    placeholders would both spell (a hold and a rest of the same length) stays
    as it is written. This is how documents of format version 1, whose steps
    were literal text, are read.

    Example:
        >>> from mobility import Dose, Hold, Range, Side
        >>> dose = Dose(side=Side.EACH, reps=Range(10, 15), hold=Hold((10, 15)))
        >>> to_template("Hold {x} for 10 to 15 seconds; 10 to 15 repetitions on "
        ...             "each side.", dose)
        'Hold {{x}} for {hold}; {reps} {sides}.'
    """
    spelled: dict[str, list[str]] = {}
    for name, placeholder in PLACEHOLDERS.items():
        needed = placeholder.needs is None or getattr(dose, placeholder.needs)
        if name != "sides" and needed:
            spelled.setdefault(placeholder.say(dose), []).append(name)
    found: list[tuple[int, int, str]] = []
    for words, names in spelled.items():
        if len(names) == 1:
            pattern = rf"(?<![\w.]){re.escape(words)}(?!\w)"
            found += [
                (m.start(), m.end(), names[0]) for m in re.finditer(pattern, text)
            ]
    found.sort(key=lambda span: (span[0], -span[1]))
    side = f" {dose.side.phrase}" if dose.side.phrase else ""
    spans: list[tuple[int, int, str]] = []
    for start, end, name in found:
        if spans and start < spans[-1][1]:
            continue  # inside an amount already taken, such as "15 s" in "10 to 15 s"
        spans.append((start, end, name))
        after = text[end:]
        side_follows = (
            bool(side)
            and after.startswith(side)
            and not after[len(side) : len(side) + 1].isalnum()
        )
        if name in ("reps", "times") and side_follows:
            spans.append((end + 1, end + len(side), "sides"))
    template, done = "", 0
    for start, end, name in spans:
        template += escape(text[done:start]) + f"{{{name}}}"
        done = end
    return template + escape(text[done:])


def escape(literal: str) -> str:
    """Literal text as a template that reads as that text: braces doubled.

    Example:
        >>> escape("Hold {as shown}.")
        'Hold {{as shown}}.'
    """
    return literal.replace("{", "{{").replace("}", "}}")


# --------------------------------------------------------------------------------
# Figures written into the text, for the validator


class Claim(NamedTuple):
    """An amount a step's literal text states, such as "10 to 15 seconds".

    Args:
        words: The words as written.
        kind: What it counts: ``"seconds"``, ``"reps"`` or ``"sets"``.
        low: The amount, in seconds for a time.
        high: The top of a range written as one ("10 to 15"); ``low`` otherwise.
    """

    words: str
    kind: str
    low: float
    high: float


_NUMBER_WORDS: Final = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90}

_NUMBER: Final = r"\d+(?:\.\d+)?|" + "|".join(_NUMBER_WORDS)
_UNITS: Final = {
    "second": ("seconds", 1),
    "seconds": ("seconds", 1),
    "sec": ("seconds", 1),
    "secs": ("seconds", 1),
    "s": ("seconds", 1),
    "minute": ("seconds", 60),
    "minutes": ("seconds", 60),
    "min": ("seconds", 60),
    "mins": ("seconds", 60),
    "repetition": ("reps", 1),
    "repetitions": ("reps", 1),
    "rep": ("reps", 1),
    "reps": ("reps", 1),
    "times": ("reps", 1),
    "set": ("sets", 1),
    "sets": ("sets", 1),
}


@functools.cache
def _claim_pattern() -> re.Pattern[str]:
    """A number, or two joined as a range, then a unit.

    "3 times a day" is how often, not how many repetitions, and is left out.
    Compiled on first use: importing the model should not pay for it.
    """
    units = "|".join(sorted(_UNITS, key=len, reverse=True))
    return re.compile(
        rf"(?<![\w.])(?P<low>{_NUMBER})(?:\s*(?:to|-|\u2013|or)\s*(?P<high>{_NUMBER}))?"
        rf"[\s-]*(?P<unit>{units})\b"
        r"(?!\s+(?:a|per|each|every)\s+(?:day|week))",
        re.IGNORECASE,
    )


def _number(text: str) -> float:
    word = _NUMBER_WORDS.get(text.lower())
    return float(text) if word is None else word


@functools.lru_cache(maxsize=4096)
def claims(template: str) -> tuple[Claim, ...]:
    """The amounts a template's literal text states, placeholders left out.

    Example:
        >>> [c.words for c in claims("Hold {hold}, then rest 30 s. Twice a day.")]
        ['30 s']
        >>> claims("Do this three times a day.")
        ()
    """
    return tuple(_claims(template))


def _claims(template: str) -> Iterator[Claim]:
    for literal, _ in parse(template):
        for match in _claim_pattern().finditer(literal):
            kind, scale = _UNITS[match["unit"].lower()]
            low = _number(match["low"]) * scale
            high = _number(match["high"]) * scale if match["high"] else low
            yield Claim(match[0], kind, min(low, high), max(low, high))


def agrees(claim: Claim, dose: Dose) -> bool:
    """Whether a stated amount lies within one the dose prescribes.

    Seconds agree with the hold or the rest; repetitions with the repetitions
    per set, per side or in all; sets with the sets.
    """
    return any(
        amount is not None and amount.low <= claim.low and claim.high <= amount.high
        for amount in _amounts(claim.kind, dose)
    )


def _amounts(kind: str, dose: Dose) -> tuple[Range | None, ...]:
    if kind == "seconds":
        return (dose.hold.seconds if dose.hold else None, dose.rest_seconds)
    if kind == "reps":
        return (dose.reps, dose.reps_per_side, dose.total_reps)
    return (dose.sets,)


def prescribed(claim: Claim, dose: Dose) -> str:
    """What the dose prescribes for what a claim counts, for a message.

    Example:
        >>> from mobility import Dose, Side
        >>> prescribed(claims("3 sets")[0], Dose(side=Side.EACH, reps=10))
        '1 set'
    """
    if claim.kind == "seconds":
        parts = []
        if dose.hold is not None:
            parts.append(f"a hold of {amount(dose.hold.seconds, 'second')}")
        if dose.rest_seconds is not None:
            parts.append(f"a rest of {amount(dose.rest_seconds, 'second')}")
        return " and ".join(parts) or "no hold"
    if claim.kind == "reps":
        return f"{amount(dose.reps, 'repetition')} per set"
    return amount(dose.sets, "set")


class Instruction(NamedTuple):
    """A step as a person reads it: its text and cue, filled from the dose.

    Args:
        text: What to do.
        cue: A short reminder, if any.
    """

    text: str
    cue: str | None = None

    def __str__(self) -> str:
        return self.text + (f" ({self.cue})" if self.cue else "")
