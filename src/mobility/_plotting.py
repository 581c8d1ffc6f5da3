"""Loading matplotlib for the plots, with a clear error where it is missing.

Used by :mod:`mobility.research.plots` and :mod:`mobility.progress.plots`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING


if TYPE_CHECKING:
    from matplotlib.figure import Figure


def figure_class() -> type[Figure]:
    """The ``Figure`` class of matplotlib, without pyplot (the backend stays yours)."""
    try:
        from matplotlib.figure import Figure  # noqa: PLC0415 - an optional extra
    except ModuleNotFoundError as error:
        msg = (
            "the plots need matplotlib, which is not installed: "
            'pip install "mobility-protocols[plots]"'
        )
        raise ModuleNotFoundError(msg, name="matplotlib") from error
    return Figure
