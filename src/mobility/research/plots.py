"""Where a grid of variants is safe, as a picture.

:func:`safe_region` draws a two-axis :class:`~mobility.research.Grid` as a
chart of cells, each shaded by its verdict (pass, warn or fail) and marked with
a symbol, so that no colour has to be told apart; the legend names each limit
that was crossed and the source of the figure it applies.

Needs matplotlib: install the ``plots`` extra
(``pip install "mobility-protocols[plots]"``).

Example:
    >>> from mobility import catalog
    >>> from mobility.research import grid
    >>> result = grid(
    ...     catalog.get("lower-trunk-rotation"),
    ...     {"hold": [10, 30, 60, 90], "reps": [5, 10, 20, 40]},
    ... )
    >>> figure = safe_region(result, "hold", "reps")
    >>> [axes.get_xlabel() for axes in figure.axes]
    ['hold (seconds)']
"""

from __future__ import annotations

import enum
import textwrap

from typing import TYPE_CHECKING, Any, Final

from .. import _plotting as plotting
from ..errors import AxisError


if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from . import Grid, Variant


__all__ = ["UNITS", "Verdict", "safe_region", "verdict"]


class Verdict(enum.IntEnum):
    """A variant's verdict, as the chart shades it."""

    PASS = 0
    """No finding."""
    WARN = 1
    """Warnings only; the variant is accepted."""
    FAIL = 2
    """At least one error; the variant is rejected."""


def verdict(variant: Variant) -> Verdict:
    """The verdict of one variant, from its validation report."""
    if variant.report.errors:
        return Verdict.FAIL
    return Verdict.WARN if variant.report.warnings else Verdict.PASS


#: The unit each axis is read in, for the chart's labels.
UNITS: Final = {
    "hold": "seconds",
    "rest_seconds": "seconds",
    "reps": "repetitions per set",
    "sets": "sets",
    "days_per_week": "days a week",
    "sessions_per_day": "sessions a day",
    "review_after_days": "days",
    "program_weeks": "weeks",
    "progression_every_days": "days",
    "progression_hold_step_seconds": "seconds",
    "progression_hold_ceiling_seconds": "seconds",
}

# Shades and marks by verdict: a light green, amber and red that stay apart in
# greyscale too, and a mark in each cell.
_COLOURS: Final = ("#b7e1a1", "#ffd27f", "#f4a3a3")
_MARKS: Final = ("✓", "!", "✗")
_WORDS: Final = ("pass: no finding", "warn: accepted, with warnings", "fail: rejected")


def safe_region(result: Grid, x: str, y: str) -> Figure:
    """Draw a grid of two axes: each cell a variant, shaded by its verdict.

    Args:
        result: A grid built over exactly the two axes ``x`` and ``y``.
        x: The axis along the bottom.
        y: The axis up the side.

    Returns:
        A matplotlib ``Figure``: save it with ``figure.savefig("safe.png")``.
        Its first axes hold one cell per variant, their verdicts in
        ``figure.axes[0].collections[0].get_array()``, rows by ``y``.

    Raises:
        AxisError: The grid is empty, or its axes are not ``x`` and ``y``.
        ModuleNotFoundError: matplotlib is not installed.
    """
    figure_class = plotting.figure_class()
    names = result.variants[0].settings if result.variants else ()
    if {name for name, _ in names} != {x, y} or len(names) != 2:
        found = ", ".join(name for name, _ in names) or "no variant"
        msg = f"safe_region draws a grid of the two axes {x!r} and {y!r}; got {found}"
        raise AxisError(msg)
    xs = _values(result, x)
    ys = _values(result, y)
    cells = [[Verdict.PASS] * len(xs) for _ in ys]
    crossed: dict[str, str] = {}
    for variant in result.variants:
        settings = dict(variant.settings)
        row, column = ys.index(settings[y]), xs.index(settings[x])
        cells[row][column] = verdict(variant)
        for finding in variant.report.findings:
            crossed.setdefault(finding.code, _cited(finding.source))
    figure = figure_class(
        figsize=(9, 3.2 + 0.45 * len(ys) + 0.17 * (len(crossed) + 4)),
        dpi=100,
        layout="constrained",
    )
    axes = figure.subplots()
    colours = _matplotlib_colours()
    mesh = axes.pcolormesh(
        cells,
        cmap=colours.ListedColormap(_COLOURS),
        norm=colours.BoundaryNorm([-0.5, 0.5, 1.5, 2.5], 3),
        edgecolors="white",
        linewidth=2,
    )
    for row, line in enumerate(cells):
        for column, cell in enumerate(line):
            axes.text(
                column + 0.5,
                row + 0.5,
                _MARKS[cell],
                ha="center",
                va="center",
                fontsize=13,
            )
    axes.set_xticks([i + 0.5 for i in range(len(xs))], [_label(v) for v in xs])
    axes.set_yticks([i + 0.5 for i in range(len(ys))], [_label(v) for v in ys])
    axes.set_xlabel(_axis_label(x))
    axes.set_ylabel(_axis_label(y))
    base = result.variants[0].protocol.derived_from
    title = base.base if base is not None else result.variants[0].protocol.id
    limits = result.variants[0].report.limits.name
    axes.set_title(f"{title}: variants against the {limits} limits")
    patches = _matplotlib_patches()
    handles = [
        patches.Patch(facecolor=_COLOURS[v], edgecolor="grey", label=_WORDS[v])
        for v in Verdict
    ]
    handles += [
        patches.Patch(facecolor="none", edgecolor="none", label=f"{code}: {source}")
        for code, source in sorted(crossed.items())
    ]
    figure.legend(
        handles=handles,
        loc="outside lower left",
        fontsize=8,
        frameon=False,
        title="Verdicts, and the limits crossed with their sources",
        title_fontsize=8,
        alignment="left",
    )
    mesh.set_gid("verdicts")
    return figure


def _values(result: Grid, name: str) -> list[Any]:
    """An axis's values, in the order the grid tried them."""
    seen: list[Any] = []
    for variant in result.variants:
        value = dict(variant.settings)[name]
        if value not in seen:
            seen.append(value)
    return seen


def _label(value: object) -> str:
    if isinstance(value, tuple):
        return "-".join(str(part) for part in value)
    return str(value)


def _axis_label(name: str) -> str:
    unit = UNITS.get(name)
    return f"{name} ({unit})" if unit else name


def _cited(source: Any) -> str:
    """A source as the legend gives it: its citation, shortened, and inferred."""
    text = textwrap.shorten(source.citation, width=70, placeholder="...")
    return f"{text} [our inference]" if source.inferred else text


def _matplotlib_colours() -> Any:
    from matplotlib import colors  # noqa: PLC0415 - an optional extra

    return colors


def _matplotlib_patches() -> Any:
    from matplotlib import patches  # noqa: PLC0415 - an optional extra

    return patches
