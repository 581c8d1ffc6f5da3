"""A columnar scan of a dose space: every variant's verdict as arrays, no objects.

:func:`~mobility.research.grid` builds each variant as a :class:`~mobility.Protocol`
and validates it: about 40 us a variant, which is a minute for a million. A scan
asks the same questions of every variant at once, with NumPy (the ``scan``
extra): it works out each variant's quantities (holds, repetitions, stretch
time, session minutes, the progression's steps) as arrays and compares them with
the same limits, read from the same rules (:mod:`mobility.safety.rules`), so its
verdict for each variant is :func:`mobility.validate`'s: whether it passes, the
first error it reports, and the week of the programme in which a progression
first carries a dose past a bound. A variant is built as a protocol only when it
is asked for (:meth:`Scan.protocol`).

Use :func:`~mobility.research.grid` to read every finding of a few thousand
variants; use a scan to find where in a space of millions the safe variants lie.

Example:
    >>> from mobility import catalog
    >>> from mobility.research.scan import scan
    >>> found = scan(
    ...     catalog.get("lower-trunk-rotation"),
    ...     {"hold": [10, 30, 90], "days_per_week": [3, 7]},
    ... )
    >>> found.ok.tolist()
    [True, True, False, False, False, False]
    >>> found.first_error()[2]
    'stretch-seconds-per-side-above-maximum'
    >>> found.protocol(0).id
    'lower-trunk-rotation-hold-10-days-per-week-3'
"""

from __future__ import annotations

import math

from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from ..errors import AxisError
from ..model import MAX_QUANTITY, MOVE_SECONDS, Intensity, Protocol, Side
from ..safety.rules import Scope, rules_of
from ..safety.validator import _check_disclaimer, _stated, limits_for, validate
from . import (
    Variant,
    _apply,
    _changes,
    _check_axes,
    _labelled,
    _model_value,
    _variant_of,
)


if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    import numpy as np

    from ..safety.limits import Bound, SafetyLimits
    from ..safety.rules import Rule


__all__ = ["DEFAULT_CHUNK", "Scan", "scan", "scan_chunks"]

#: Variants worked out at once, enough for NumPy to pay off and few enough that a
#: chunk's arrays stay within some tens of megabytes a protocol's exercise.
DEFAULT_CHUNK: Final = 100_000

#: Axes whose values are not numbers: each of their values is scanned as a base
#: protocol of its own.
_CATEGORICAL: Final = frozenset({"side", "intensity"})


def _numpy() -> Any:
    try:
        import numpy as np  # noqa: PLC0415 - an optional dependency, loaded when used
    except ImportError:  # pragma: no cover - the test environment has it
        msg = (
            'mobility.research.scan needs NumPy: pip install "mobility-protocols[scan]"'
        )
        raise ImportError(msg) from None
    return np


# --------------------------------------------------------------------------------
# The result


@attrs.frozen(eq=False)
class Scan:
    """The verdicts of a scanned space, one row per variant, as NumPy arrays.

    The rows come in :func:`~mobility.research.variants`' order: the first axis
    varies slowest. Each array has one item per row, so ``pandas.DataFrame(
    scan.columns())`` takes them as they are.

    Args:
        base: The protocol the variants vary.
        axes: Each axis name with its values, as given.
        exercise: The one exercise whose dose is varied, or ``None`` for all.
        limits: The limits the variants were checked against.
        start: The row number of the first row (chunks of a stream start later).
        index: For each axis, each row's position in that axis's values.
        ok: Whether each variant passes (warnings allowed).
        first: The position in ``codes`` of each variant's first error, or
            -1 when it has none.
        week: The week a progression first carries the dose past the bound of
            that error, or 0 when the error holds from the start (or there is
            none).
        codes: The error codes ``first`` points into.
    """

    base: Protocol = attrs.field(repr=False)
    axes: Mapping[str, tuple[object, ...]]
    exercise: str | None
    limits: SafetyLimits = attrs.field(repr=False)
    start: int
    index: Mapping[str, np.ndarray] = attrs.field(repr=False)
    ok: np.ndarray = attrs.field(repr=False)
    first: np.ndarray = attrs.field(repr=False)
    week: np.ndarray = attrs.field(repr=False)
    codes: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.ok)

    def first_error(self) -> list[str | None]:
        """Each variant's first error code, or ``None`` when it passes."""
        return [None if i < 0 else self.codes[i] for i in self.first.tolist()]

    def values(self, axis: str) -> np.ndarray:
        """Each row's value of ``axis``: numbers as a float array, others as objects."""
        numpy = _numpy()
        options = self.axes[axis]
        try:
            table = numpy.array([_number(value) for value in options], dtype=float)
        except TypeError:
            table = numpy.empty(len(options), dtype=object)
            table[:] = list(options)
        return cast("np.ndarray", table[self.index[axis]])

    def columns(self) -> dict[str, np.ndarray]:
        """The table: each axis's values, then ``ok``, ``first_error`` and ``week``.

        An axis of numbers is a float column. One with another kind of value (a
        range given as a pair, a side, ``None``) holds the values as given, as
        objects. ``first_error`` is the code, or ``""`` for a variant that passes.
        """
        np = _numpy()
        table: dict[str, Any] = {name: self.values(name) for name in self.axes}
        table["ok"] = self.ok
        codes = np.array([*self.codes, ""], dtype=object)
        table["first_error"] = codes[self.first]
        table["week"] = self.week
        return table

    def settings(self, row: int) -> tuple[tuple[str, object], ...]:
        """The axis values of one row (counted from this scan's first row)."""
        return tuple(
            (name, options[int(self.index[name][row])])
            for name, options in self.axes.items()
        )

    def protocol(self, row: int) -> Protocol:
        """The variant of one row, built as :func:`~mobility.research.variants` does."""
        combination = [_labelled(name, value) for name, value in self.settings(row)]
        _, _, protocol = _variant_of(
            self.base, self.exercise, list(self.axes), combination
        )
        return protocol

    def variant(self, row: int) -> Variant:
        """The variant of one row with its full validation report."""
        protocol = self.protocol(row)
        return Variant(
            protocol.id, self.settings(row), protocol, validate(protocol, self.limits)
        )


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(value)
    return float(value)


# --------------------------------------------------------------------------------
# The entry points


def scan(
    base: Protocol,
    axes: Mapping[str, Iterable[object]],
    *,
    exercise: str | None = None,
    limits: SafetyLimits | None = None,
    chunk: int = DEFAULT_CHUNK,
) -> Scan:
    """Scan every combination of the axes' values, all at once.

    Takes what :func:`~mobility.research.variants` takes, and refuses what it
    refuses (:exc:`~mobility.AxisError`), before any work. The whole table is
    held in memory, some tens of bytes a variant; :func:`scan_chunks` streams it.

    Args:
        base: The protocol to vary.
        axes: Each axis name (see :data:`~mobility.research.AXES`) with its values.
        exercise: Vary only this exercise's dose; all exercises when ``None``.
        limits: The limits to apply; the preset for the base's audience when
            ``None``.
        chunk: How many variants to work out at once.

    Raises:
        AxisError: An unknown axis, an empty or repeated value, or a value the
            model refuses; or limits with a rule a scan cannot read.
    """
    np = _numpy()
    parts = list(scan_chunks(base, axes, exercise=exercise, limits=limits, chunk=chunk))
    first = parts[0]
    return attrs.evolve(
        first,
        index={
            name: np.concatenate([part.index[name] for part in parts])
            for name in first.axes
        },
        ok=np.concatenate([part.ok for part in parts]),
        first=np.concatenate([part.first for part in parts]),
        week=np.concatenate([part.week for part in parts]),
    )


def scan_chunks(
    base: Protocol,
    axes: Mapping[str, Iterable[object]],
    *,
    exercise: str | None = None,
    limits: SafetyLimits | None = None,
    chunk: int = DEFAULT_CHUNK,
) -> Iterator[Scan]:
    """Scan the space a chunk at a time, in order, so memory stays flat.

    Each :class:`Scan` holds ``chunk`` rows (the last one the rest); its
    ``start`` says which row it begins at. Arguments as :func:`scan`.

    Raises:
        AxisError: As :func:`scan`, before the first chunk.
    """
    np = _numpy()
    given: object = chunk  # callers without mypy may pass anything
    if isinstance(given, bool) or not isinstance(given, int) or given < 1:
        msg = f"chunk must be a whole number of at least 1, got {chunk!r}"
        raise ValueError(msg)
    names, values = _check_axes(base, axes, exercise)
    if limits is None:
        limits = limits_for(base.audience)
    space = _Space(base, names, values, exercise, limits)
    shape = tuple(len(options) for options in values)
    total = math.prod(shape)
    for start in range(0, total, chunk):
        rows = np.arange(start, min(start + chunk, total), dtype=np.int64)
        index = dict(zip(names, np.unravel_index(rows, shape), strict=True))
        ok, first, week = space.judge(index, len(rows))
        yield Scan(
            base=base,
            axes=dict(zip(names, (tuple(v) for v in values), strict=True)),
            exercise=exercise,
            limits=limits,
            start=start,
            index=index,
            ok=ok,
            first=first,
            week=week,
            codes=space.codes,
        )


# --------------------------------------------------------------------------------
# The space: each axis value's effect, worked out once on the model


class _Space:
    """What each axis value sets, read from a variant the model builds for it.

    Each value of each axis is applied on its own to the base (or to the base as
    a categorical value leaves it) and the fields it sets are read back, so a
    scan's numbers are the model's: a hold of 30 s on cat-cow holds each of its
    two positions, a side that stops alternating stops taking turns.
    """

    def __init__(
        self,
        base: Protocol,
        names: list[str],
        values: list[list[object]],
        exercise: str | None,
        limits: SafetyLimits,
    ) -> None:
        self.base = base
        self.names = names
        self.values = values
        self.exercise = exercise
        self.limits = limits
        self.rules = rules_of(type(limits))
        unread = [rule.code for rule in self.rules if rule.limit not in _READERS]
        if unread:
            msg = (
                f"a scan cannot read the rule {unread[0]!r} of these limits; "
                "use mobility.research.grid, which applies every rule"
            )
            raise AxisError(msg)
        self.categorical = [n for n in names if n in _CATEGORICAL]
        self.numeric = [n for n in names if n not in _CATEGORICAL]
        self.codes: tuple[str, ...] = _codes(self.rules)
        self._code_index = {code: i for i, code in enumerate(self.codes)}
        self._groups: dict[tuple[int, ...], _Group] = {}

    def judge(
        self, index: dict[str, np.ndarray], size: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each row's verdict: ok, its first error's code number, and its week."""
        np = _numpy()
        ok = np.ones(size, dtype=bool)
        first = np.full(size, -1, dtype=np.int16)
        week = np.zeros(size, dtype=np.int32)
        if not self.categorical:
            self._group(()).judge(index, _Verdicts(ok, first, week, self._code_index))
            return ok, first, week
        keys = np.stack([index[name] for name in self.categorical], axis=1)
        for key in {tuple(row) for row in keys.tolist()}:
            rows = np.flatnonzero((keys == np.array(key)).all(axis=1))
            verdicts = _Verdicts(
                np.ones(len(rows), dtype=bool),
                np.full(len(rows), -1, dtype=np.int16),
                np.zeros(len(rows), dtype=np.int32),
                self._code_index,
            )
            sub = {name: array[rows] for name, array in index.items()}
            self._group(tuple(key)).judge(sub, verdicts)
            ok[rows], first[rows], week[rows] = verdicts.columns()
        return ok, first, week

    def _group(self, key: tuple[int, ...]) -> _Group:
        found = self._groups.get(key)
        if found is None:
            settings = [
                (name, _model_value(name, self.values[self.names.index(name)][i]))
                for name, i in zip(self.categorical, key, strict=True)
            ]
            base = _apply(self.base, _changes(settings), self.exercise)
            found = self._groups[key] = _Group(self, base)
        return found


def _codes(rules: tuple[Rule, ...]) -> tuple[str, ...]:
    """Every error code a scan can report, in a fixed order."""
    codes = [
        "disclaimer-missing",
        "stop-rule-missing",
        "seek-care-missing",
        "cautions-not-considered",
        "intensity-pain",
        "step-contradicts-dose",
        "review-missing",
        "progression-ceiling-missing",
    ]
    for rule in rules:
        codes += [f"{rule.code}-above-maximum", f"{rule.code}-below-minimum"]
    return tuple(codes)


class _Group:
    """One base protocol (categorical values applied) and its numeric axes."""

    def __init__(self, space: _Space, base: Protocol) -> None:
        self.space = space
        self.base = base
        # For each numeric axis, the numbers of the base with each value set.
        self.numbers: dict[str, list[dict[str, float]]] = {
            name: [
                _numbers(
                    _apply(
                        base,
                        _changes([(name, _model_value(name, value))]),
                        space.exercise,
                    )
                )
                for value in space.values[space.names.index(name)]
            ]
            for name in space.numeric
        }
        self.disclaimer = _disclaimer_errors(base)

    def judge(self, index: dict[str, np.ndarray], verdicts: _Verdicts) -> None:
        """Record each row's first error in ``verdicts``, in the validator's order."""
        np = _numpy()
        columns = _Columns(self, index, verdicts.size)
        report = verdicts.report
        everywhere = np.ones(verdicts.size, dtype=bool)
        for code in self.disclaimer:
            report(code, everywhere)
        limits = self.space.limits
        for position, dose in enumerate(columns.doses):
            for rule in self.space.rules:
                if rule.scope is Scope.DOSE:
                    _report_rule(report, rule, limits, dose, columns)
            if self.base.exercises[position].dose.intensity is Intensity.PAIN:
                report("intensity-pain", everywhere)
        for scope in (Scope.SESSION, Scope.PROTOCOL):
            for rule in self.space.rules:
                if rule.scope is scope:
                    _report_rule(report, rule, limits, None, columns)
        programme = _Programme(columns)
        report(
            "step-contradicts-dose", _steps_contradict(self.base, columns, programme)
        )
        report("review-missing", _review_missing(self.base, columns, self.space))
        if columns.progression is not None:
            report("progression-ceiling-missing", programme.unending)
            _report_dose_growth(report, self.space, columns, programme)
            _report_session_growth(report, self.space, columns, programme)


class _Verdicts:
    """Each row's verdict, filled in as errors are found: the first one stays."""

    def __init__(
        self, ok: np.ndarray, first: np.ndarray, week: np.ndarray, codes: dict[str, int]
    ) -> None:
        np = _numpy()
        self.size = len(ok)
        self._ok, self._first, self._week = ok, first, week
        self._codes = codes
        self._decided = np.zeros(self.size, dtype=bool)

    def report(self, code: str, hit: np.ndarray, week: np.ndarray | int = 0) -> None:
        """Record ``code`` for the rows of ``hit`` that have no error yet."""
        new = hit & ~self._decided
        if not new.any():
            return
        self._first[new] = self._codes[code]
        self._week[new] = week if isinstance(week, int) else week[new]
        self._decided |= new
        self._ok[new] = False

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The verdicts as arrays: ok, first, week."""
        return self._ok, self._first, self._week


def _disclaimer_errors(base: Protocol) -> list[str]:
    """The codes of the errors the validator finds in the disclaimer."""
    from ..safety.rules import Severity  # noqa: PLC0415

    found: list[Any] = []
    _check_disclaimer(found, base)
    return [finding.code for finding in found if finding.severity is Severity.ERROR]


# --------------------------------------------------------------------------------
# The columns: each variant's numbers


class _DoseColumns:
    """One exercise's dose across the rows: each amount's two ends as arrays."""

    __slots__ = (
        "has_hold",
        "has_rest",
        "hold_high",
        "hold_low",
        "in_turn",
        "positions",
        "reps_high",
        "reps_low",
        "rest_high",
        "rest_low",
        "sets_high",
        "sets_low",
        "share",
        "side",
    )

    # Arrays of one number per row, but for the side, which a group fixes.
    has_hold: Any
    has_rest: Any
    hold_high: Any
    hold_low: Any
    positions: Any
    reps_high: Any
    reps_low: Any
    rest_high: Any
    rest_low: Any
    sets_high: Any
    sets_low: Any
    in_turn: bool
    share: float
    side: Side

    def grown(self, progression: _ProgressionColumns, step: np.ndarray) -> _DoseColumns:
        """The dose after ``step`` steps of the progression, row by row."""
        np = _numpy()
        new = _DoseColumns.__new__(_DoseColumns)
        for name in _DoseColumns.__slots__:
            setattr(new, name, getattr(self, name))
        # Where a row's step adds nothing, each end stays: max(x, min(x, cap)) is x.
        added = progression.reps_step * step
        cap = progression.reps_cap
        new.reps_low = np.maximum(self.reps_low, np.minimum(self.reps_low + added, cap))
        new.reps_high = np.maximum(
            self.reps_high, np.minimum(self.reps_high + added, cap)
        )
        added = progression.hold_step * step
        cap = progression.hold_cap
        grows = self.has_hold & (progression.hold_step != 0)
        new.hold_low = np.where(
            grows,
            np.maximum(self.hold_low, np.minimum(self.hold_low + added, cap)),
            self.hold_low,
        )
        new.hold_high = np.where(
            grows,
            np.maximum(self.hold_high, np.minimum(self.hold_high + added, cap)),
            self.hold_high,
        )
        return new


class _ProgressionColumns:
    """The progression's fields across the rows."""

    def __init__(self, rows: dict[str, np.ndarray]) -> None:
        np = _numpy()
        self.every_days = rows["every_days"]
        self.reps_step = rows["reps_step"]
        self.hold_step = rows["hold_step_seconds"]
        self.reps_ceiling = rows["reps_ceiling"]  # nan for none
        self.hold_ceiling = rows["hold_ceiling_seconds"]
        self.reps_cap = np.where(
            np.isnan(self.reps_ceiling),
            MAX_QUANTITY,
            np.minimum(self.reps_ceiling, MAX_QUANTITY),
        )
        self.hold_cap = np.where(
            np.isnan(self.hold_ceiling),
            MAX_QUANTITY,
            np.minimum(self.hold_ceiling, MAX_QUANTITY),
        )


class _Columns:
    """Every number of every row of one group that a rule or a policy reads."""

    def __init__(self, group: _Group, index: dict[str, np.ndarray], size: int) -> None:
        np = _numpy()
        self.size = size
        base = group.base
        constant = _numbers(base)

        def column(key: str) -> Any:
            field = key.rsplit(".", maxsplit=1)[-1]
            for name, tables in group.numbers.items():
                if field in _FIELDS[name]:
                    values = np.array([table[key] for table in tables], dtype=float)
                    return values[index[name]]
            return np.full(size, constant[key])

        self.doses: list[_DoseColumns] = []
        for position, exercise in enumerate(base.exercises):
            dose = _DoseColumns.__new__(_DoseColumns)
            for field in _DOSE_NUMBERS:
                setattr(dose, field, column(f"{position}.{field}"))
            dose.has_hold = ~np.isnan(dose.hold_low)
            dose.has_rest = ~np.isnan(dose.rest_low)
            dose.side = exercise.dose.side
            dose.share = exercise.dose.side.share
            dose.in_turn = exercise.dose.in_turn
            self.doses.append(dose)
        self.sessions_per_day = column("sessions_per_day")
        self.days_per_week = column("days_per_week")
        self.review_after_days = column("review_after_days")
        self.program_weeks = column("program_weeks")
        self.progression: _ProgressionColumns | None = None
        if base.progression is not None:
            self.progression = _ProgressionColumns(
                {field: column(field) for field in _PROGRESSION_NUMBERS}
            )


#: The numbers of a dose a scan reads, and of a progression.
_DOSE_NUMBERS: Final = (
    "reps_low",
    "reps_high",
    "sets_low",
    "sets_high",
    "hold_low",
    "hold_high",
    "positions",
    "rest_low",
    "rest_high",
)
_PROGRESSION_NUMBERS: Final = (
    "every_days",
    "reps_step",
    "hold_step_seconds",
    "reps_ceiling",
    "hold_ceiling_seconds",
)

#: The numbers each numeric axis sets.
_FIELDS: Final = {
    "reps": ("reps_low", "reps_high"),
    "sets": ("sets_low", "sets_high"),
    "hold": ("hold_low", "hold_high", "positions"),
    "rest_seconds": ("rest_low", "rest_high"),
    "sessions_per_day": ("sessions_per_day",),
    "days_per_week": ("days_per_week",),
    "review_after_days": ("review_after_days",),
    "program_weeks": ("program_weeks",),
    "progression_every_days": ("every_days",),
    "progression_reps_step": ("reps_step",),
    "progression_hold_step_seconds": ("hold_step_seconds",),
    "progression_reps_ceiling": ("reps_ceiling",),
    "progression_hold_ceiling_seconds": ("hold_ceiling_seconds",),
}


def _numbers(protocol: Protocol) -> dict[str, float]:
    """Every number of a protocol a scan reads, by key; NaN for what it lacks.

    A dose's numbers are keyed by the exercise's position: ``"0.reps_low"``.
    """
    found: dict[str, float] = {}
    for position, exercise in enumerate(protocol.exercises):
        dose = exercise.dose
        hold, rest = dose.hold, dose.rest_seconds
        for field, value in (
            ("reps_low", dose.reps.low),
            ("reps_high", dose.reps.high),
            ("sets_low", dose.sets.low),
            ("sets_high", dose.sets.high),
            ("hold_low", None if hold is None else hold.seconds.low),
            ("hold_high", None if hold is None else hold.seconds.high),
            ("positions", 1 if hold is None else hold.positions),
            ("rest_low", None if rest is None else rest.low),
            ("rest_high", None if rest is None else rest.high),
        ):
            found[f"{position}.{field}"] = _or_nan(value)
    frequency, review, progression = (
        protocol.frequency,
        protocol.review,
        protocol.progression,
    )
    found["sessions_per_day"] = frequency.sessions_per_day
    found["days_per_week"] = frequency.days_per_week
    found["review_after_days"] = _or_nan(None if review is None else review.after_days)
    found["program_weeks"] = _or_nan(protocol.program_weeks)
    for field in _PROGRESSION_NUMBERS:
        value = None if progression is None else getattr(progression, field)
        found[field] = _or_nan(value)
    return found


def _or_nan(value: float | None) -> float:
    return math.nan if value is None else float(value)


# --------------------------------------------------------------------------------
# The rules, read from the columns. One reader per rule of SafetyLimits: a rule
# the scan has no reader for is refused when the scan starts, never skipped.

#: What a reader gives: where the quantity exists, and its low and high ends.
_Read = tuple[Any, Any, Any]


def _read_hold(dose: _DoseColumns, _: _Columns) -> _Read:
    return dose.has_hold, dose.hold_low, dose.hold_high


def _read_reps(dose: _DoseColumns, _: _Columns) -> _Read:
    if dose.share == 1:
        return True, dose.reps_low, dose.reps_high
    return True, dose.reps_low * dose.share, dose.reps_high * dose.share


def _read_sets(dose: _DoseColumns, _: _Columns) -> _Read:
    return True, dose.sets_low, dose.sets_high


def _read_rest(dose: _DoseColumns, _: _Columns) -> _Read:
    return dose.has_rest, dose.rest_low, dose.rest_high


def _stretch(dose: _DoseColumns) -> tuple[Any, Any]:
    # As Dose.stretch_seconds_per_side, operation for operation.
    each = dose.positions * dose.share
    return (
        dose.sets_low * dose.reps_low * dose.hold_low * each,
        dose.sets_high * dose.reps_high * dose.hold_high * each,
    )


def _read_stretch(dose: _DoseColumns, _: _Columns) -> _Read:
    low, high = _stretch(dose)
    return dose.has_hold, low, high


def _read_stretch_per_day(dose: _DoseColumns, columns: _Columns) -> _Read:
    low, high = _stretch(dose)
    sessions = columns.sessions_per_day
    return dose.has_hold, low * sessions, high * sessions


def _estimated(dose: _DoseColumns) -> tuple[Any, Any]:
    """As Dose.estimated_seconds, operation for operation."""
    np = _numpy()
    hold_low = np.where(dose.has_hold, dose.hold_low, 0)
    hold_high = np.where(dose.has_hold, dose.hold_high, 0)
    positions = np.where(dose.has_hold, dose.positions, 1)
    low = dose.sets_low * dose.reps_low * positions * (hold_low + MOVE_SECONDS)
    high = dose.sets_high * dose.reps_high * positions * (hold_high + MOVE_SECONDS)
    sides = 1 if dose.side is Side.ALTERNATING else dose.side.sides_worked
    low, high = low * sides, high * sides
    rests = 1 if dose.in_turn else sides
    low = np.where(
        dose.has_rest, low + (dose.sets_low - 1) * dose.rest_low * rests, low
    )
    high = np.where(
        dose.has_rest, high + (dose.sets_high - 1) * dose.rest_high * rests, high
    )
    return low, high


def _read_session_minutes(doses: list[_DoseColumns], _: _Columns) -> _Read:
    low: Any = 0
    high: Any = 0
    for dose in doses:
        seconds = _estimated(dose)
        low = low + seconds[0]
        high = high + seconds[1]
    return True, low / 60, high / 60


def _protocol_reader(name: str) -> Callable[[Any, _Columns], _Read]:
    def read(_: Any, columns: _Columns) -> _Read:
        np = _numpy()
        value = getattr(columns, name)
        return ~np.isnan(value), value, value

    return read


def _progression_reader(name: str) -> Callable[[Any, _Columns], _Read]:
    def read(_: Any, columns: _Columns) -> _Read:
        progression = columns.progression
        if progression is None:
            return False, 0.0, 0.0
        value = {
            "reps_step": progression.reps_step,
            "every_days": progression.every_days,
            "hold_step_seconds": progression.hold_step,
            "hold_seconds_per_week": progression.hold_step * 7 / progression.every_days,
        }[name]
        return True, value, value

    return read


#: A reader for each rule, by the name of its limit.
_READERS: Final[dict[str, Callable[[Any, _Columns], _Read]]] = {
    "hold_seconds": _read_hold,
    "reps": _read_reps,
    "sets": _read_sets,
    "rest_seconds": _read_rest,
    "stretch_seconds_per_side": _read_stretch,
    "stretch_seconds_per_side_per_day": _read_stretch_per_day,
    "session_minutes": _read_session_minutes,
    "sessions_per_day": _protocol_reader("sessions_per_day"),
    "days_per_week": _protocol_reader("days_per_week"),
    "review_after_days": _protocol_reader("review_after_days"),
    "progression_reps_step": _progression_reader("reps_step"),
    "progression_every_days": _progression_reader("every_days"),
    "progression_hold_step_seconds": _progression_reader("hold_step_seconds"),
    "progression_hold_seconds_per_week": _progression_reader("hold_seconds_per_week"),
}


def _above(bound: Bound, value: Any) -> Any:
    """Bound.above, on arrays."""
    return value > bound.value if bound.inclusive else value >= bound.value


def _below(bound: Bound, value: Any) -> Any:
    """Bound.below, on arrays."""
    return value < bound.value if bound.inclusive else value <= bound.value


Report = Any  # report(code, rows, week=0): records a row's first error


def _read(rule: Rule, dose: _DoseColumns | None, columns: _Columns) -> _Read:
    reader = _READERS[rule.limit]
    subject: Any = columns.doses if rule.scope is Scope.SESSION else dose
    return reader(subject, columns)


def _report_rule(
    report: Report,
    rule: Rule,
    limits: SafetyLimits,
    dose: _DoseColumns | None,
    columns: _Columns,
) -> None:
    """The errors of one rule at the start: above its maximum, then below."""
    limit = getattr(limits, rule.limit)
    present, low, high = _read(rule, dose, columns)
    if limit.maximum is not None:
        report(f"{rule.code}-above-maximum", present & _above(limit.maximum, high))
    if limit.minimum is not None:
        report(f"{rule.code}-below-minimum", present & _below(limit.minimum, low))


# --------------------------------------------------------------------------------
# The programme: where growth ends, and the first step past a bound


class _Programme:
    """Each row's last step of growth, and whether growth never ends."""

    def __init__(self, columns: _Columns) -> None:
        np = _numpy()
        size = columns.size
        self.columns = columns
        progression = columns.progression
        self.last = np.zeros(size, dtype=np.int64)
        self.unending = np.zeros(size, dtype=bool)
        self.final: list[_DoseColumns] | None = None
        self.has_final = np.zeros(size, dtype=bool)
        if progression is None:
            return
        to_ceilings = np.zeros(size)
        with np.errstate(divide="ignore", invalid="ignore"):
            for dose in columns.doses:
                reps = np.where(
                    progression.reps_step != 0,
                    _steps_to(
                        dose.reps_low, progression.reps_step, progression.reps_ceiling
                    ),
                    0,
                )
                hold = np.where(
                    (progression.hold_step != 0) & dose.has_hold,
                    _steps_to(
                        dose.hold_low, progression.hold_step, progression.hold_ceiling
                    ),
                    0,
                )
                to_ceilings = np.maximum(to_ceilings, np.maximum(reps, hold))
        weeks = columns.program_weeks
        open_ended = np.isnan(weeks)
        self.unending = open_ended & np.isinf(to_ceilings)
        in_programme = (np.where(open_ended, 1, weeks).astype(np.int64) * 7 - 1) // (
            progression.every_days.astype(np.int64)
        )
        finite = np.where(np.isinf(to_ceilings), np.inf, to_ceilings)
        last = np.where(open_ended, finite, np.minimum(in_programme, finite))
        self.last = np.where(self.unending, 0, last).astype(np.int64)
        # The doses of the last week, for the steps' stated amounts: growth that
        # never ends is taken to the model's cap, as the validator takes it.
        final_step = np.where(self.unending, MAX_QUANTITY, self.last)
        self.has_final = self.unending | (self.last > 0)
        self.final = [dose.grown(progression, final_step) for dose in columns.doses]

    def first_step(self, rows: Any, crossed: Callable[[Any], Any]) -> Any:
        """For each row in ``rows``, the first step from 1 at which ``crossed`` holds.

        ``crossed`` holds at each row's last step and, once it holds, after.
        Bisection on every row at once: about 20 rounds for a million steps.
        """
        np = _numpy()
        low = np.ones(self.columns.size, dtype=np.int64)
        high = self.last.copy()
        while True:
            todo = rows & (low < high)
            if not todo.any():
                return low
            middle = (low + high) // 2
            hit = crossed(np.where(todo, middle, high))
            high = np.where(todo & hit, middle, high)
            low = np.where(todo & ~hit, middle + 1, low)


def _steps_to(start: Any, step: Any, ceiling: Any) -> Any:
    """As the model's _steps_to: infinite without a ceiling, 0 once reached."""
    np = _numpy()
    steps = np.ceil((ceiling - start) / step)
    return np.where(np.isnan(ceiling), np.inf, np.where(start >= ceiling, 0, steps))


def _report_dose_growth(
    report: Report, space: _Space, columns: _Columns, programme: _Programme
) -> None:
    """The bounds growth carries each dose past, exercise by exercise."""
    progression = columns.progression
    assert progression is not None  # noqa: S101 - only called with one
    weeks = progression.every_days.astype("int64")
    final = programme.final or []
    for dose, end in zip(columns.doses, final, strict=True):
        grows = (programme.last > 0) & (
            (progression.reps_step != 0)
            | ((progression.hold_step != 0) & dose.has_hold)
        )
        if not grows.any():
            continue
        for rule in space.rules:
            maximum = getattr(space.limits, rule.limit).maximum
            if rule.scope is not Scope.DOSE or maximum is None:
                continue
            present, _, start_high = _read(rule, dose, columns)
            _, _, end_high = _read(rule, end, columns)
            hit = (
                grows
                & present
                & _above(maximum, end_high)
                & ~_above(maximum, start_high)
            )
            if not hit.any():
                continue

            def crossed(
                step: Any,
                rule: Rule = rule,
                dose: _DoseColumns = dose,
                maximum: Bound = maximum,
            ) -> Any:
                _, _, high = _read(rule, dose.grown(progression, step), columns)
                return _above(maximum, high)

            step = programme.first_step(hit, crossed)
            report(f"{rule.code}-above-maximum", hit, step * weeks // 7 + 1)


def _report_session_growth(
    report: Report, space: _Space, columns: _Columns, programme: _Programme
) -> None:
    """The bounds growth carries a whole session past, when any dose changed."""
    np = _numpy()
    progression = columns.progression
    assert progression is not None  # noqa: S101 - only called with one
    weeks = progression.every_days.astype(np.int64)
    final = programme.final or []
    changed = np.zeros(columns.size, dtype=bool)
    for dose, end in zip(columns.doses, final, strict=True):
        changed |= (dose.reps_low != end.reps_low) | (dose.reps_high != end.reps_high)
        changed |= dose.has_hold & (
            (dose.hold_low != end.hold_low) | (dose.hold_high != end.hold_high)
        )
    changed &= programme.last > 0
    if not changed.any():
        return
    for rule in space.rules:
        maximum = getattr(space.limits, rule.limit).maximum
        if rule.scope is not Scope.SESSION or maximum is None:
            continue
        _, _, start_high = _read(rule, None, columns)
        _, _, end_high = _read(rule, None, _Stepped(columns, final))
        hit = changed & _above(maximum, end_high) & ~_above(maximum, start_high)
        if not hit.any():
            continue

        def crossed(step: Any, rule: Rule = rule, maximum: Bound = maximum) -> Any:
            stepped = [dose.grown(progression, step) for dose in columns.doses]
            _, _, high = _read(rule, None, _Stepped(columns, stepped))
            return _above(maximum, high)

        step = programme.first_step(hit, crossed)
        report(f"{rule.code}-above-maximum", hit, step * weeks // 7 + 1)


class _Stepped(_Columns):
    """A group's columns with the doses of another step."""

    def __init__(
        self, columns: _Columns, doses: list[_DoseColumns]
    ) -> None:  # a copy: no new reading
        self.__dict__.update(columns.__dict__)
        self.doses = doses


# --------------------------------------------------------------------------------
# The policies that read the numbers


def _agrees(claim: Any, dose: _DoseColumns) -> Any:
    """mobility.model.steps.agrees, on arrays."""
    np = _numpy()

    def within(low: Any, high: Any, *, present: Any = True) -> Any:
        return present & (low <= claim.low) & (claim.high <= high)

    if claim.kind == "seconds":
        return within(dose.hold_low, dose.hold_high, present=dose.has_hold) | within(
            dose.rest_low, dose.rest_high, present=dose.has_rest
        )
    if claim.kind == "reps":
        if dose.share == 1:
            side_low = dose.sets_low * dose.reps_low
            side_high = dose.sets_high * dose.reps_high
        else:
            side_low = dose.sets_low * dose.reps_low * dose.share
            side_high = dose.sets_high * dose.reps_high * dose.share
        worked = dose.side.sides_worked
        return (
            within(dose.reps_low, dose.reps_high)
            | within(side_low, side_high)
            | within(side_low * worked, side_high * worked)
        )
    return np.asarray(within(dose.sets_low, dose.sets_high))


def _steps_contradict(base: Protocol, columns: _Columns, programme: _Programme) -> Any:
    """Rows where a step's literal amount is outside its dose, at the start or end."""
    np = _numpy()
    found = np.zeros(columns.size, dtype=bool)
    for index, exercise in enumerate(base.exercises):
        stated = _stated(exercise.steps)
        for _, _, claim in stated:
            start = _agrees(claim, columns.doses[index])
            found |= ~start
            if programme.final is not None:
                end = _agrees(claim, programme.final[index])
                found |= programme.has_final & ~end
    return found


def _review_missing(base: Protocol, columns: _Columns, space: _Space) -> Any:
    np = _numpy()
    maximum = space.limits.review_after_days.maximum
    if base.review is not None or maximum is None:
        return np.zeros(columns.size, dtype=bool)
    weeks = columns.program_weeks
    unreviewed = np.where(np.isnan(weeks), np.inf, weeks * 7)
    return _above(maximum, unreviewed)
