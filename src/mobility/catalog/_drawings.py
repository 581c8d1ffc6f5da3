"""The catalogue's figures: each exercise's start and end pose, by its id.

``figures.json`` holds them, worked out by :mod:`mobility.catalog._poses`
(``make figures``); it is read the first time a figure is asked for.
"""

from __future__ import annotations

import functools
import json

from pathlib import Path
from typing import Any

# The model's own classes, not mobility.model.figures: the catalogue holds its
# figures without loading the geometry that draws them.
from ..model import Figure, Pose, View


def figure(exercise_id: str) -> Figure | None:
    """The figure of a catalogue exercise, or ``None`` for any other id."""
    return _figures().get(exercise_id)


@functools.cache
def _figures() -> dict[str, Figure]:
    text = Path(__file__).with_name("figures.json").read_text(encoding="utf-8")
    return {
        exercise_id: Figure(
            view=View(data["view"]),
            start=pose_from(data["start"]),
            end=pose_from(data["end"]),
            arrow=data["arrow"],
            chair=data["chair"],
        )
        for exercise_id, data in json.loads(text).items()
    }


def pose_data(pose: Pose) -> dict[str, object]:
    """A pose as plain data for ``figures.json``: lists, numbers and strings."""
    return {
        "up": list(pose.up),
        "forward": list(pose.forward),
        "angles": pose.by_joint,
        "rest": list(pose.rest),
        "roll": pose.roll,
    }


def pose_from(data: dict[str, Any]) -> Pose:
    """The pose that :func:`pose_data` wrote."""
    return Pose(
        up=data["up"],
        forward=data["forward"],
        angles=data["angles"],
        rest=data["rest"],
        roll=data["roll"],
    )
