"""The library's exceptions.

Every exception :mod:`mobility` raises on purpose derives from
:class:`MobilityError`. Each specific error also derives from the builtin a caller
would naturally catch (``ValueError``, ``KeyError``), so code that does not know
about this library still handles it sensibly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple


if TYPE_CHECKING:
    from .safety.validator import Report


__all__ = [
    "AnswerError",
    "AxisError",
    "FormatError",
    "InvalidModelError",
    "MobilityError",
    "Problem",
    "QueryError",
    "RecordError",
    "StoreError",
    "TemplateError",
    "UnknownExerciseError",
    "UnknownProtocolError",
    "UnknownRegionError",
    "UnsafeProtocolError",
]


class MobilityError(Exception):
    """The root of every error raised by :mod:`mobility`."""


class InvalidModelError(MobilityError, ValueError):
    """A model value is structurally meaningless and cannot be built.

    Raised at construction, for instance for negative seconds, a range whose low
    end is above its high end, or an id that is not a slug. The message names the
    class and the field. Whether a well-formed value is *safe* is a different
    question, answered by :func:`mobility.validate`.

    Attributes:
        field: The field that was refused, if the error is about one field.
        index: The position of the refused item, for a sequence field.
        problem: What is wrong, without the class and field prefix.
    """

    field: str | None
    index: int | None
    problem: str

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        index: int | None = None,
        problem: str | None = None,
    ) -> None:
        super().__init__(message)
        self.field = field
        self.index = index
        self.problem = message if problem is None else problem


class Problem(NamedTuple):
    """One thing wrong with a document: where, and what."""

    path: str
    """A JSON path such as ``$.exercises[0].dose.hold.seconds``."""
    message: str
    """What was expected and what was found."""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class FormatError(MobilityError, ValueError):
    """A document could not be loaded.

    The message has one line per problem, ``path: what was expected, got what``.

    Attributes:
        problems: The problems found, in document order: at most ``KEPT``.
        more: How many more problems there were beyond those kept.
    """

    #: How many problems the message lists.
    SHOWN = 20
    #: How many problems are kept; a hostile document could have millions.
    KEPT = 100

    problems: tuple[Problem, ...]
    more: int

    def __init__(self, problems: tuple[Problem, ...], more: int = 0) -> None:
        self.problems = problems[: self.KEPT]
        self.more = more + max(0, len(problems) - self.KEPT)
        lines = [str(problem) for problem in self.problems[: self.SHOWN]]
        hidden = len(self.problems) - len(lines) + self.more
        if hidden:
            lines.append(f"... and {hidden} more problems")
        super().__init__("\n".join(lines))


class UnsafeProtocolError(MobilityError, ValueError):
    """A protocol failed validation where only a safe protocol may go on.

    Attributes:
        report: The validation report with every finding.
    """

    report: Report

    def __init__(self, report: Report) -> None:
        self.report = report
        lines = [f"protocol {report.protocol_id!r} is not safe to use:"]
        lines.extend(f"  {finding}" for finding in report.errors)
        super().__init__("\n".join(lines))


class _UnknownKeyError(MobilityError, KeyError):
    """A lookup by id that found nothing, with a readable message.

    ``KeyError.__str__`` prints the repr of the key; these errors say what was
    looked for and where instead.
    """

    _message: str

    def __init__(self, key: str, message: str) -> None:
        super().__init__(key)
        self._message = message

    def __str__(self) -> str:
        return self._message


class UnknownExerciseError(_UnknownKeyError):
    """A protocol has no exercise with the requested id.

    Raised by :meth:`mobility.Protocol.exercise`.

    Attributes:
        protocol_id: The protocol that was searched.
        exercise_id: The id that was asked for.
        known: The ids the protocol does have, in order.
    """

    protocol_id: str
    exercise_id: str
    known: tuple[str, ...]

    def __init__(
        self, protocol_id: str, exercise_id: str, known: tuple[str, ...]
    ) -> None:
        self.protocol_id = protocol_id
        self.exercise_id = exercise_id
        self.known = known
        super().__init__(
            exercise_id,
            f"protocol {protocol_id!r} has no exercise {exercise_id!r}; "
            f"it has: {', '.join(known)}",
        )


class QueryError(MobilityError, ValueError):
    """A catalogue search with a criterion it cannot use.

    Raised by :func:`mobility.catalog.find` for an unknown position or a
    ``max_minutes`` that is not a number; the message lists what it accepts.
    """


class UnknownRegionError(QueryError):
    """A body region that :class:`~mobility.Region` does not have.

    Raised by :func:`mobility.catalog.find`; the message lists the known regions.
    """


class AxisError(MobilityError, ValueError):
    """A research axis or one of its values cannot make a variant.

    Raised by :func:`mobility.research.variants` and :func:`mobility.research.grid`
    before any variant is built; the message names the axis and value.
    """


class TemplateError(MobilityError, ValueError):
    """A step text that is not a valid template; the message says what is wrong.

    Raised by :func:`mobility.model.steps.parse` and
    :func:`mobility.model.steps.fill`. The model turns it into an
    :class:`InvalidModelError` naming the step.
    """


class AnswerError(MobilityError, ValueError):
    """Answers were given for reporting items the checklist does not have.

    Raised by :mod:`mobility.research.reporting`; the message lists the
    checklist's items.
    """


class UnknownProtocolError(MobilityError, KeyError):
    """The catalogue has no protocol with the requested id.

    Attributes:
        protocol_id: The id that was asked for.
        suggestions: Known ids that are close to it, best first (may be empty).
    """

    protocol_id: str
    suggestions: tuple[str, ...]

    def __init__(self, protocol_id: str, suggestions: tuple[str, ...]) -> None:
        self.protocol_id = protocol_id
        self.suggestions = suggestions
        super().__init__(protocol_id)

    def __str__(self) -> str:
        # KeyError.__str__ would print the repr of the key; say something useful.
        message = f"no protocol with id {self.protocol_id!r} in the catalogue"
        if self.suggestions:
            message += "; did you mean " + " or ".join(
                repr(s) for s in self.suggestions
            )
            message += "?"
        return message


class RecordError(MobilityError, ValueError):
    """Records that cannot be advised on with this protocol.

    A record of another protocol. (A red flag in a person's own words, or a
    session dated after the day advised on, is advice to give, not an error.)
    Raised by :func:`mobility.progress.advise`.
    """


class StoreError(MobilityError):
    """The database cannot be opened, read or written; the message says why.

    Raised by :class:`mobility.progress.Store`.
    """
