"""Protocol variants at scale, their dose arithmetic, and tables of results.

A researcher names the axes to vary and the values of each; :func:`variants` yields
every combination, lazily and in a fixed order, each with a stable id and its
validation report. :func:`grid` collects them and splits them into accepted and
rejected; :func:`to_records` turns them into a table (a list of flat dicts) for csv
or pandas.

Example:
    >>> from mobility import catalog
    >>> from mobility.research import grid
    >>> result = grid(
    ...     catalog.get("lower-trunk-rotation"),
    ...     {"hold": [10, 30, 90], "days_per_week": [3, 7]},
    ... )
    >>> len(result.variants), len(result.accepted), len(result.rejected)
    (6, 2, 4)
    >>> for variant in result.accepted:
    ...     print(variant.id)
    lower-trunk-rotation-hold-10-days-per-week-3
    lower-trunk-rotation-hold-10-days-per-week-7
    >>> result.reasons()["stretch-seconds-per-side-above-maximum"]
    4
"""

from __future__ import annotations

import collections
import enum
import functools
import hashlib
import itertools
import math

from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from .._words import fmt
from ..errors import AxisError, InvalidModelError
from ..model import (
    Derivation,
    Dose,
    Frequency,
    Hold,
    Progression,
    Protocol,
    Range,
    Review,
    Side,
    Source,
    replace,
)
from ..model._checks import SLUG_MAX_LENGTH
from ..safety.rules import RULES, Axis
from ..safety.validator import Report, validate


if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
    from typing import TextIO

    from ..safety.limits import SafetyLimits


__all__ = [
    "AXES",
    "AxisError",
    "Grid",
    "Variant",
    "Workload",
    "grid",
    "safety_record",
    "to_records",
    "variants",
    "workload",
    "write_csv",
]


# --------------------------------------------------------------------------------
# Dose arithmetic


@attrs.frozen(kw_only=True)
class Workload:
    """How much work a protocol asks for, per session and per week.

    Figures per side count one side of the body, summed over the protocol's
    exercises; for a one-exercise protocol they are that exercise's.

    Args:
        reps_per_side: Repetitions on one side in a session.
        stretch_seconds_per_side: Seconds of holding on one side in a session.
        session_seconds: Estimated length of a session (see
            :attr:`mobility.Dose.estimated_seconds`).
        sessions_per_week: Sessions in a week.
    """

    reps_per_side: Range
    stretch_seconds_per_side: Range
    session_seconds: Range
    sessions_per_week: int

    @property
    def week_reps_per_side(self) -> Range:
        """Repetitions on one side in a week."""
        return self.reps_per_side * self.sessions_per_week

    @property
    def week_stretch_seconds_per_side(self) -> Range:
        """Seconds of holding on one side in a week."""
        return self.stretch_seconds_per_side * self.sessions_per_week

    @property
    def week_seconds(self) -> Range:
        """Estimated time spent in a week."""
        return self.session_seconds * self.sessions_per_week


def workload(protocol: Protocol) -> Workload:
    """Work out the dose arithmetic of a protocol.

    Example:
        >>> from mobility import catalog
        >>> load = workload(catalog.get("lower-trunk-rotation"))
        >>> load.stretch_seconds_per_side, load.week_stretch_seconds_per_side
        (Range(low=100, high=225), Range(low=700, high=1575))
    """
    reps = Range(0)
    stretch = Range(0)
    for exercise in protocol.exercises:
        reps = reps + exercise.dose.reps_per_side
        stretch = stretch + exercise.dose.stretch_seconds_per_side
    return Workload(
        reps_per_side=reps,
        stretch_seconds_per_side=stretch,
        session_seconds=protocol.estimated_session_seconds,
        sessions_per_week=protocol.frequency.sessions_per_week,
    )


# --------------------------------------------------------------------------------
# Axes

#: Axes that set a field no limit applies to directly.
_OTHER_AXES: Final = (
    Axis("side", "dose", "side"),
    Axis("intensity", "dose", "intensity"),
    Axis("program_weeks", "protocol", "program_weeks"),
    Axis("progression_reps_ceiling", "progression", "reps_ceiling"),
    Axis("progression_hold_ceiling_seconds", "progression", "hold_ceiling_seconds"),
)

#: Each axis and what it changes, which is a field of the dose (of every
#: exercise, or of the one named with ``exercise=``), of the frequency, of the
#: review, of the progression, or of the protocol itself. Every rule of
#: :data:`mobility.safety.rules.RULES` that reads a field directly gives an axis, and a
#: few fields no limit reads add theirs.
AXES: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        axis.name: (axis.level, axis.field)
        for axis in (*(rule.axis for rule in RULES if rule.axis), *_OTHER_AXES)
    }
)


_CLASSES: Final = {
    "dose": Dose,
    "frequency": Frequency,
    "review": Review,
    "progression": Progression,
    "protocol": Protocol,
}


def _model_value(name: str, value: object) -> object:
    """An axis value as its field stores it, through the field's converter."""
    level, field = AXES[name]
    converter = getattr(attrs.fields(_CLASSES[level]), field).converter
    return value if converter is None else converter(value)


def _changes(settings: Iterable[tuple[str, object]]) -> dict[str, dict[str, Any]]:
    """Group axis values by what they change: dose, frequency, review, protocol."""
    changes: dict[str, dict[str, Any]] = {
        "dose": {},
        "frequency": {},
        "review": {},
        "progression": {},
        "protocol": {},
    }
    for name, value in settings:
        level, field = AXES[name]
        changes[level][field] = value
    return changes


def _apply(
    base: Protocol,
    changes: dict[str, dict[str, Any]],
    exercise_id: str | None,
    new_id: str | None = None,
) -> Protocol:
    """Build a variant: each changed object is evolved once, whatever the axes.

    The variant records what it was derived from and which fields changed, and
    each changed object's source says the changed fields are the variant's own,
    not figures of the base's source.
    """
    protocol_changes: dict[str, Any] = dict(changes["protocol"])
    changed = [f"$.{field}" for field in changes["protocol"]]
    if new_id is not None:
        protocol_changes["id"] = new_id
    if changes["dose"]:
        exercises = []
        for index, exercise in enumerate(base.exercises):
            if exercise_id is None or exercise.id == exercise_id:
                fields = _keep_turns(
                    _keep_positions(changes["dose"], exercise.dose), exercise.dose
                )
                changed += (f"$.exercises[{index}].dose.{field}" for field in fields)
                dose = replace(
                    exercise.dose,
                    **fields,
                    source=_adapted(base.id, exercise.dose.source, tuple(fields)),
                )
                exercise = replace(exercise, dose=dose)  # noqa: PLW2901
            exercises.append(exercise)
        protocol_changes["exercises"] = tuple(exercises)
    if changes["frequency"]:
        fields = changes["frequency"]
        changed += (f"$.frequency.{field}" for field in fields)
        protocol_changes["frequency"] = replace(
            base.frequency,
            **fields,
            source=_adapted(base.id, base.frequency.source, tuple(fields)),
        )
    for level, what in (("review", "review point"), ("progression", "progression")):
        if changes[level]:
            current = getattr(base, level)
            if current is None:
                msg = f"the base protocol has no {what} to change"
                raise InvalidModelError(msg, field=level, problem=msg)
            fields = changes[level]
            changed += (f"$.{level}.{field}" for field in fields)
            protocol_changes[level] = replace(
                current,
                **fields,
                source=_adapted(base.id, current.source, tuple(fields)),
            )
    protocol_changes["derived_from"] = _derivation(base.id, tuple(changed))
    return replace(base, **protocol_changes)


def _keep_positions(fields: dict[str, Any], dose: Dose) -> dict[str, Any]:
    """The dose's changes, with a new hold in seconds keeping the positions held.

    A grid's hold axis gives seconds; for cat-cow they are the hold of each of
    its two positions, not a new hold of one.
    """
    hold = fields.get("hold")
    if dose.hold is None or dose.hold.positions == 1:
        return fields
    if isinstance(hold, bool) or not isinstance(hold, int | float | tuple | Range):
        return fields  # a Hold, None, or a value the dose itself will refuse
    return {**fields, "hold": Hold(hold, positions=dose.hold.positions)}


def _keep_turns(fields: dict[str, Any], dose: Dose) -> dict[str, Any]:
    """The dose's changes, with sides that took turns no longer doing so.

    Only a dose for each side takes turns; a side axis that makes it
    alternating, bilateral or one-sided ends the turns as well, and says so in
    the fields the variant changes.
    """
    side = fields.get("side")
    if not dose.in_turn or side is None or side == Side.EACH or "in_turn" in fields:
        return fields
    return {**fields, "in_turn": False}


@functools.lru_cache(maxsize=1024)
def _derivation(base_id: str, changed: tuple[str, ...]) -> Derivation:
    """What a variant was derived from; the same for every variant of a grid.

    Cached, so that the variants of a grid share one object, as they share
    every exercise and source they do not change.
    """
    return Derivation(base=base_id, changed=changed)


@functools.lru_cache(maxsize=1024)
def _adapted(base_id: str, source: Source | None, fields: tuple[str, ...]) -> Source:
    """The source of an object a variant changed: the variant, then the base's.

    Cached: it depends on which fields a grid changes, not on their values.

    The base source's note is left out: it describes the base's figures, which
    the variant no longer has.
    """
    note = f"{', '.join(fields)} set for this variant"
    if source is not None:
        note += f"; the rest as in {source.citation}"
    return Source(f"Adapted from the protocol {base_id}", note=note)


# --------------------------------------------------------------------------------
# Variants


@attrs.frozen
class Variant:
    """One combination of axis values, applied to the base protocol.

    Args:
        id: A stable slug: the base id and each axis and value, or, when that
            would be too long, the base id and a hash of them.
        settings: The axis values, in the order the axes were given.
        protocol: The variant itself.
        report: Its validation report.
    """

    id: str
    settings: tuple[tuple[str, object], ...]
    protocol: Protocol = attrs.field(repr=False)
    report: Report = attrs.field(repr=False)

    @property
    def ok(self) -> bool:
        """Whether the variant passed validation (warnings allowed)."""
        return self.report.ok

    @property
    def workload(self) -> Workload:
        """The variant's dose arithmetic."""
        return workload(self.protocol)

    def record(self) -> dict[str, object]:
        """One row of :func:`to_records`."""
        return _record(self)


def variants(
    base: Protocol,
    axes: Mapping[str, Iterable[object]],
    *,
    exercise: str | None = None,
    limits: SafetyLimits | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> Iterator[Variant]:
    """Yield every combination of the axes' values, lazily, validated.

    The order is fixed: the first axis varies slowest, and each axis's values
    come in the order given.

    Args:
        base: The protocol to vary.
        axes: Each axis name (see :data:`AXES`) with the values to try. Dose
            values take what :class:`~mobility.Dose` takes: ``hold=[10, (10, 15)]``.
        exercise: Vary only this exercise's dose; all exercises when ``None``.
        limits: The limits each variant is validated against; the preset for
            the base protocol's audience when ``None``.
        progress: Called as each variant is made and checked, before it is
            yielded, with how many are done and how many there are in all, to
            show progress through a long grid; its return value is ignored.

    Raises:
        AxisError: An unknown axis, an empty or repeated value, or a value the
            model refuses. Raised before any variant is yielded.

    Example:
        >>> from mobility import catalog
        >>> seen = []
        >>> found = list(variants(
        ...     catalog.get("thoracic-open-book"), {"reps": [3, 4, 5]},
        ...     progress=lambda done, total: seen.append(f"{done}/{total}"),
        ... ))
        >>> seen
        ['1/3', '2/3', '3/3']
    """
    names, values = _check_axes(base, axes, exercise)
    # Work out each value's part of the id once, not once per variant.
    # ...and its model value once: a Range for "10-15", a Hold for 30.
    labelled = [
        [_labelled(name, value) for value in options]
        for name, options in zip(names, values, strict=True)
    ]
    total = math.prod(len(options) for options in labelled)
    for done, combination in enumerate(itertools.product(*labelled), start=1):
        variant_id, settings, protocol = _variant_of(base, exercise, names, combination)
        checked = Variant(variant_id, settings, protocol, validate(protocol, limits))
        if progress is not None:
            progress(done, total)
        yield checked


@attrs.frozen
class Grid:
    """Every variant of a grid, split by their validation.

    Args:
        variants: All variants, in the order :func:`variants` yields them.
    """

    variants: tuple[Variant, ...]

    @property
    def accepted(self) -> tuple[Variant, ...]:
        """The variants with no errors."""
        return tuple(v for v in self.variants if v.ok)

    @property
    def rejected(self) -> tuple[Variant, ...]:
        """The variants with at least one error."""
        return tuple(v for v in self.variants if not v.ok)

    def reasons(self) -> collections.Counter[str]:
        """How many rejected variants each error code rejected."""
        return collections.Counter(
            code
            for variant in self.rejected
            for code in {finding.code for finding in variant.report.errors}
        )

    def to_records(self, *, safety: bool = True) -> list[dict[str, object]]:
        """The grid as a table: see :func:`to_records`."""
        return to_records(self.variants, safety=safety)


def grid(
    base: Protocol,
    axes: Mapping[str, Iterable[object]],
    *,
    exercise: str | None = None,
    limits: SafetyLimits | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> Grid:
    """Build and validate the whole grid; see :func:`variants` for the arguments.

    Args:
        base: The protocol to vary.
        axes: Each axis name with the values to try.
        exercise: Vary only this exercise's dose.
        limits: The limits each variant is validated against; the preset for
            the base protocol's audience when ``None``.
        progress: Called after each variant with the numbers done and in all.
    """
    return Grid(
        tuple(variants(base, axes, exercise=exercise, limits=limits, progress=progress))
    )


def to_records(
    items: Iterable[Variant], *, safety: bool = True
) -> list[dict[str, object]]:
    r"""Turn variants into a table: one flat dict per variant, same keys in each.

    Each row has the id, each axis value (an exact amount as a number, a range
    as ``"10-15"``), the verdict and finding codes, the protocol's disclaimer and
    stop rules (so the table never travels without them), and the dose
    arithmetic with ``_low`` and ``_high`` columns for ranges. Values are str,
    int, float or bool, so ``csv.DictWriter`` and ``pandas.DataFrame`` take the
    rows as they are.

    The safety text is the same in every row of a grid, and over half of a
    large table. ``safety=False`` leaves its two columns out; then write
    :func:`safety_record` once beside the table (a side file, or a first row),
    so that the table still travels with it.

    Example:
        >>> from mobility import catalog
        >>> from mobility.research import variants
        >>> base = catalog.get("thoracic-open-book")
        >>> rows = to_records(variants(base, {"reps": [3, 20]}))
        >>> for row in rows:
        ...     print(row["reps"], row["ok"], row["errors"])
        3 True 0
        20 False 3
        >>> print(rows[1]["error_codes"].replace(";", "\n"))
        reps-above-maximum
        stretch-seconds-per-side-above-maximum
        stretch-seconds-per-side-per-day-above-maximum
    """
    return [_record(variant, safety=safety) for variant in items]


def safety_record(protocol: Protocol) -> dict[str, str]:
    """A protocol's safety text as one flat record, to keep beside a table.

    The disclaimer, stop rules, when to seek care and the red flags, each
    list joined by spaces: what :func:`to_records` leaves out with
    ``safety=False``.

    Example:
        >>> from mobility import catalog
        >>> record = safety_record(catalog.get("thoracic-open-book"))
        >>> sorted(record)
        ['disclaimer', 'protocol_id', 'red_flags', 'seek_care', 'stop_rules']
    """
    disclaimer = protocol.disclaimer
    if disclaimer is None:
        return dict.fromkeys(
            ("disclaimer", "stop_rules", "seek_care", "red_flags"), ""
        ) | {"protocol_id": protocol.id}
    return {
        "protocol_id": protocol.id,
        "disclaimer": disclaimer.text,
        "stop_rules": " ".join(disclaimer.stop_rules),
        "seek_care": " ".join(disclaimer.seek_care),
        "red_flags": " ".join(flag.text for flag in disclaimer.red_flags),
    }


#: What makes a spreadsheet read a cell as a formula (=, +, -, @) or start one
#: after a tab or a carriage return.
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def write_csv(rows: Sequence[Mapping[str, object]], file: TextIO) -> None:
    r"""Write :func:`to_records` rows as CSV that a spreadsheet shows as text.

    A text cell that a spreadsheet would run as a formula (one starting with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, as a protocol's
    text could) is written with an apostrophe before it, which spreadsheets
    show as text and do not display. Numbers and booleans are written as they
    are. :func:`to_records` itself keeps every value as it is, for pandas.

    Args:
        rows: The rows, each with the same keys (the first row's are the header).
        file: A text file opened with ``newline=""``.

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> write_csv([{"id": "v1", "note": "=HYPERLINK(\"x\")", "reps": -1}], out)
        >>> print(out.getvalue().replace("\r\n", "\n"), end="")
        id,note,reps
        v1,"'=HYPERLINK(""x"")",-1
    """
    import csv  # noqa: PLC0415 - only this writer needs it

    if not rows:
        return
    writer = csv.DictWriter(file, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows({key: _inert(value) for key, value in row.items()} for row in rows)


def _inert(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _record(variant: Variant, *, safety: bool = True) -> dict[str, object]:
    report = variant.report
    load = workload(variant.protocol)
    row: dict[str, object] = {"id": variant.id}
    row.update((name, _cell(value)) for name, value in variant.settings)
    row.update(
        ok=report.ok,
        errors=len(report.errors),
        warnings=len(report.warnings),
        error_codes=";".join(f.code for f in report.errors),
        warning_codes=";".join(f.code for f in report.warnings),
        sessions_per_week=load.sessions_per_week,
    )
    disclaimer = variant.protocol.disclaimer
    if safety:
        row["disclaimer"] = disclaimer.text if disclaimer is not None else ""
        row["stop_rules"] = " ".join(disclaimer.stop_rules) if disclaimer else ""
    for name, value in (
        ("reps_per_side", load.reps_per_side),
        ("stretch_seconds_per_side", load.stretch_seconds_per_side),
        ("session_minutes", load.session_seconds * (1 / 60)),
        ("week_reps_per_side", load.week_reps_per_side),
        ("week_stretch_seconds_per_side", load.week_stretch_seconds_per_side),
        ("week_minutes", load.week_seconds * (1 / 60)),
    ):
        row[f"{name}_low"] = round(value.low, 2)
        row[f"{name}_high"] = round(value.high, 2)
    return row


def _cell(value: object) -> object:
    if isinstance(value, Hold):
        value = value.seconds
    if isinstance(value, Range):
        return value.low if value.is_exact else str(value)
    if isinstance(value, tuple):
        return str(Range(*value))
    if isinstance(value, enum.Enum):
        return str(value.value)  # a Side or an Intensity, as its word
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _check_axes(
    base: Protocol, axes: Mapping[str, Iterable[object]], exercise: str | None
) -> tuple[list[str], list[list[object]]]:
    if exercise is not None:
        try:
            base.exercise(exercise)
        except KeyError:
            known = ", ".join(e.id for e in base.exercises)
            msg = f"exercise {exercise!r} is not in {base.id!r}; it has: {known}"
            raise AxisError(msg) from None
    names = list(axes)
    values: list[list[object]] = []
    for name in names:
        if name not in AXES:
            known = ", ".join(AXES)
            msg = f"unknown axis {name!r}; the axes are: {known}"
            raise AxisError(msg)
        options = list(axes[name])
        if not options:
            msg = f"axis {name!r} has no values"
            raise AxisError(msg)
        seen: list[object] = []
        for option in options:
            if option in seen:
                msg = f"axis {name!r} lists {option!r} twice"
                raise AxisError(msg)
            seen.append(option)
            try:  # refuse structural nonsense once, before the grid is built
                _apply(base, _changes([(name, option)]), exercise)
            except InvalidModelError as error:
                msg = f"axis {name!r}, value {option!r}: {error}"
                raise AxisError(msg) from None
        values.append(options)
    return names, values


def _labelled(name: str, value: object) -> tuple[object, str, object]:
    """An axis value with its part of the variant's id and its value in the model."""
    return value, _id_part(name, value), _model_value(name, value)


def _variant_of(
    base: Protocol,
    exercise: str | None,
    names: Sequence[str],
    combination: Iterable[tuple[object, str, object]],
) -> tuple[str, tuple[tuple[str, object], ...], Protocol]:
    """One variant: its id, its axis values, and the protocol they make.

    ``combination`` holds, for each axis in ``names``, what :func:`_labelled`
    gives, worked out once for every value by :func:`variants` (and for one row
    by :meth:`~mobility.research.scan.Scan.protocol`).
    """
    labelled = list(zip(names, combination, strict=True))
    settings = tuple((name, value) for name, (value, _, _) in labelled)
    built = [(name, model) for name, (_, _, model) in labelled]
    variant_id = _variant_id(base.id, [part for _, (_, part, _) in labelled])
    return variant_id, settings, _apply(base, _changes(built), exercise, variant_id)


def _id_part(name: str, value: object) -> str:
    return f"{name.replace('_', '-')}-{_slug(_cell(value))}"


def _variant_id(base_id: str, parts: list[str]) -> str:
    readable = "-".join([base_id, *parts])
    if len(readable) <= SLUG_MAX_LENGTH:
        return readable
    digest = hashlib.sha256(readable.encode()).hexdigest()[:12]
    prefix = base_id[: SLUG_MAX_LENGTH - len(digest) - 3].rstrip("-")
    return f"{prefix}-v-{digest}"


def _slug(value: object) -> str:
    text = fmt(value) if isinstance(value, int | float) else str(value)
    return (
        text.lower().replace(".", "p").replace(" ", "-").replace("_", "-").strip("-")
    ) or "x"
