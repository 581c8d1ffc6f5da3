"""The catalogue's figures: each exercise's start and end pose, by its id.

``figures.json`` holds them, worked out by :mod:`mobility.catalog._poses`
(``make figures``); it is read the first time a figure is asked for.
"""

from __future__ import annotations

import functools
import json

from importlib import resources

from ..model._body import Figure, pose_from


def figure(exercise_id: str) -> Figure | None:
    """The figure of a catalogue exercise, or ``None`` for any other id."""
    return _figures().get(exercise_id)


@functools.cache
def _figures() -> dict[str, Figure]:
    text = resources.files(__package__).joinpath("figures.json").read_text("utf-8")
    return {
        exercise_id: Figure(
            view=data["view"],
            start=pose_from(data["start"]),
            end=pose_from(data["end"]),
            arrow=data["arrow"],
            chair=data["chair"],
        )
        for exercise_id, data in json.loads(text).items()
    }
