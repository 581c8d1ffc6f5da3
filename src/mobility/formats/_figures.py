"""Line drawings of an exercise, as SVG.

:func:`drawing` draws one or more poses of the body model
(:mod:`mobility.model.figures`) side by side, seen from the side, the front,
above, or from the feet and above, with the floor or a chair, and an arrow from
where a landmark starts to where it ends. :func:`exercise_drawing` draws an
exercise's figure that way: its start, its end, and the end to the other side
where the dose is for each side, titled with the exercise's name and described
in its own words. ElementTree writes the SVG, so every text in it is escaped.
"""

from __future__ import annotations

import functools
import math

from typing import TYPE_CHECKING, Final
from xml.etree import ElementTree as ET

import attrs

from ..model.figures import joints, mirrored, mirrored_name


if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..model import Exercise, Figure
    from ..model.figures import Vector

_TILT: Final = math.radians(35)  # how far above the floor "feet" looks from

#: How each view sees the world: the world direction drawn to the right, the
#: one drawn up the page, and the one that points at the viewer.
VIEWS: Final = {
    "side": ((1.0, 0.0, 0.0), (0.0, 0.0, 1.0), (0.0, 1.0, 0.0)),
    "front": ((0.0, 1.0, 0.0), (0.0, 0.0, 1.0), (1.0, 0.0, 0.0)),
    "top": ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),
    # From beyond the feet of someone lying with their head towards -x, and
    # above them: the far end (the head) is higher on the page.
    "feet": (
        (0.0, 1.0, 0.0),
        (-math.sin(_TILT), 0.0, math.cos(_TILT)),
        (math.cos(_TILT), 0.0, math.sin(_TILT)),
    ),
}
# The views whose up the page is straight up in the world, with the floor a line.
_UPRIGHT: Final = frozenset({"side", "front"})

# The segments drawn, as pairs of landmarks.
_LIMBS: Final = (
    ("hip", "knee"),
    ("knee", "ankle"),
    ("ankle", "toe"),
    ("shoulder", "elbow"),
    ("elbow", "wrist"),
    ("wrist", "hand"),
)
_SVG: Final = "http://www.w3.org/2000/svg"
_WIDTH: Final = 280.0  # a panel's pixels
_HEIGHT: Final = 250.0
_NARROWEST: Final = 110.0  # room for a caption under a narrow pose
_CAPTION: Final = 26.0  # room for a caption that prints at about 6 pt or more
_MARGIN: Final = 18.0
_HEAD: Final = 0.06  # the head's radius, as a fraction of height


@attrs.frozen
class Panel:
    """One pose to draw, with what goes around it.

    Args:
        landmarks: Where each landmark is, from :func:`mobility.model.figures.joints`.
        caption: What the panel shows, in words.
        arrow: A landmark of this pose and where it was before, for an arrow
            from there to it; ``None`` for none.
        chair: Whether to draw a chair under the pelvis.
    """

    landmarks: dict[str, Vector]
    caption: str
    arrow: tuple[str, Vector] | None = None
    chair: bool = False


def _dot(a: Vector, b: Vector) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def drawing(panels: Sequence[Panel], view: str, *, title: str, description: str) -> str:
    """The panels side by side, as one SVG document with a title and description.

    Every panel is drawn at the same scale, the largest at which the widest and
    the tallest of them fit, so that the panels compare.
    """
    right, up, _ = VIEWS[view]
    flat = [
        {name: (_dot(p, right), _dot(p, up)) for name, p in panel.landmarks.items()}
        for panel in panels
    ]
    # Where each arrow starts is part of what its panel must show.
    extents = [
        points
        if panel.arrow is None
        else points | {"": (_dot(panel.arrow[1], right), _dot(panel.arrow[1], up))}
        for panel, points in zip(panels, flat, strict=True)
    ]
    spans = [
        (
            max(x for x, _ in points.values()) - min(x for x, _ in points.values()),
            max(y for _, y in points.values())
            - (0.0 if view in _UPRIGHT else min(y for _, y in points.values())),
        )
        for points in extents
    ]
    scale = min(
        (_WIDTH - 2 * _MARGIN) / max(*(w for w, _ in spans), 1e-9),
        (_HEIGHT - _CAPTION - 2 * _MARGIN) / max(*(h for _, h in spans), 1e-9),
    )
    # No taller than the tallest panel needs, each panel no wider than its own
    # pose: a body lying down is a low picture, one sitting a narrow one.
    height = min(_HEIGHT, max(h for _, h in spans) * scale + _CAPTION + 2 * _MARGIN)
    widths = [
        min(_WIDTH, max(_NARROWEST, w * scale + 2 * _MARGIN + 2 * _HEAD * scale))
        for w, _ in spans
    ]
    svg = ET.Element(
        "svg",
        {
            "xmlns": _SVG,
            "viewBox": f"0 0 {sum(widths):.0f} {height + 4:.0f}",
            "role": "img",
            "font-family": "DejaVu Sans, Liberation Sans, Arial, sans-serif",
        },
    )
    ET.SubElement(svg, "title").text = title
    ET.SubElement(svg, "desc").text = description
    for index, (panel, points, extent) in enumerate(
        zip(panels, flat, extents, strict=True)
    ):
        group = ET.SubElement(
            svg, "g", {"transform": f"translate({sum(widths[:index]):.1f} 0)"}
        )
        target = None
        if panel.arrow is not None:
            target = (points[panel.arrow[0]], extent[""])
        _panel(
            group,
            panel,
            points,
            extent,
            view=view,
            scale=scale,
            size=(widths[index], height),
            arrow=target,
        )
    return ET.tostring(svg, encoding="unicode")


Flat = tuple[float, float]


def _panel(  # noqa: PLR0913 - a panel and how it is seen
    group: ET.Element,
    panel: Panel,
    points: dict[str, Flat],
    extent: dict[str, Flat],
    *,
    view: str,
    scale: float,
    size: Flat,
    arrow: tuple[Flat, Flat] | None,
) -> None:
    width, height = size
    xs = [x for x, _ in extent.values()]
    ys = [y for _, y in extent.values()]
    middle = (min(xs) + max(xs)) / 2
    floor = height - _CAPTION - _MARGIN / 2
    centre = (min(ys) + max(ys)) / 2

    def place(point: Flat) -> Flat:
        x = width / 2 + (point[0] - middle) * scale
        if view in _UPRIGHT:
            return x, floor - point[1] * scale
        return x, (height - _CAPTION) / 2 - (point[1] - centre) * scale

    if view in _UPRIGHT:
        ET.SubElement(
            group, "line", _line((4, floor + 3), (width - 4, floor + 3), "#777", 2)
        )
    if panel.chair:
        _chair(group, place(points["pelvis"]), floor if view in _UPRIGHT else None)
    near = "left" if view == "side" else "right"
    for side in ("right", "left") if near == "left" else ("left", "right"):
        shade = "#000" if side == near else "#8a8a8a"
        for a, b in _LIMBS:
            segment = _line(
                place(points[f"{side}_{a}"]), place(points[f"{side}_{b}"]), shade, 5
            )
            ET.SubElement(group, "line", segment)
        if side != near:  # the trunk and head, between the two sides
            for girdle in ("hip", "shoulder"):  # a bar across, seen from any view
                bar = _line(
                    place(points[f"left_{girdle}"]),
                    place(points[f"right_{girdle}"]),
                    "#000",
                    6,
                )
                ET.SubElement(group, "line", bar)
            _trunk(
                group,
                [
                    place(points[n])
                    for n in ("pelvis", "waist", "chest", "head", "face")
                ],
                scale,
            )
    if arrow is not None:
        _arrow(group, place(arrow[1]), place(arrow[0]))
    caption = ET.SubElement(
        group,
        "text",
        {
            "x": f"{width / 2:.1f}",
            "y": f"{height - 4:.1f}",
            "text-anchor": "middle",
            "font-size": "20",
        },
    )
    caption.text = panel.caption


def _trunk(group: ET.Element, spine: list[Flat], scale: float) -> None:
    pelvis, waist, chest, head, face = spine
    trunk = " ".join(f"{x:.1f},{y:.1f}" for x, y in (pelvis, waist, chest))
    ET.SubElement(
        group,
        "polyline",
        {
            "points": trunk,
            "fill": "none",
            "stroke": "#000",
            "stroke-width": "7",
            "stroke-linecap": "round",
            "stroke-linejoin": "round",
        },
    )
    centre = (
        chest[0] + (head[0] - chest[0]) * 0.7,
        chest[1] + (head[1] - chest[1]) * 0.7,
    )
    ET.SubElement(group, "line", _line(chest, centre, "#000", 5))
    ET.SubElement(group, "line", _line(centre, face, "#000", 4))  # the nose
    ET.SubElement(
        group,
        "circle",
        {
            "cx": f"{centre[0]:.1f}",
            "cy": f"{centre[1]:.1f}",
            "r": f"{_HEAD * scale:.1f}",
            "fill": "#fff",
            "stroke": "#000",
            "stroke-width": "3",
        },
    )


def _chair(group: ET.Element, pelvis: Flat, floor: float | None) -> None:
    """A seat under the pelvis, and its legs down to the floor where it shows."""
    seat = pelvis[1] + 6
    ET.SubElement(
        group,
        "rect",
        {
            "x": f"{pelvis[0] - 30:.1f}",
            "y": f"{seat:.1f}",
            "width": "60",
            "height": "5",
            "fill": "#999",
        },
    )
    if floor is not None:
        for leg in (pelvis[0] - 28, pelvis[0] + 26):
            ET.SubElement(
                group, "line", _line((leg, seat), (leg, floor + 2), "#999", 3)
            )


def _line(a: Flat, b: Flat, colour: str, width: float) -> dict[str, str]:
    return {
        "x1": f"{a[0]:.1f}",
        "y1": f"{a[1]:.1f}",
        "x2": f"{b[0]:.1f}",
        "y2": f"{b[1]:.1f}",
        "stroke": colour,
        "stroke-width": f"{width}",
        "stroke-linecap": "round",
    }


def _arrow(group: ET.Element, start: Flat, end: Flat) -> None:
    """A curved arrow from ``start`` to ``end``, bowed up the page, with its head."""
    mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    dx, dy = end[0] - start[0], end[1] - start[1]
    across = (-dy, dx) if dx <= 0 else (dy, -dx)  # the side that is up the page
    bow = (mid[0] + across[0] * 0.25, mid[1] + across[1] * 0.25)
    ET.SubElement(
        group,
        "path",
        {
            "d": f"M {start[0]:.1f} {start[1]:.1f} "
            f"Q {bow[0]:.1f} {bow[1]:.1f} {end[0]:.1f} {end[1]:.1f}",
            "fill": "none",
            "stroke": "#1f4e79",
            "stroke-width": "3",
            "stroke-dasharray": "6 4",
        },
    )
    # The head: two short strokes back from the end, along the curve's last tangent.
    tx, ty = end[0] - bow[0], end[1] - bow[1]
    length = max(math.hypot(tx, ty), 1e-9)
    ux, uy = tx / length, ty / length
    for turn in (1, -1):
        px, py = -uy * turn, ux * turn
        tip = (end[0] - ux * 12 + px * 6, end[1] - uy * 12 + py * 6)
        ET.SubElement(group, "line", _line(end, tip, "#1f4e79", 3))


def exercise_drawing(exercise: Exercise) -> str:
    """An exercise's figure as one SVG document, with its text alternative.

    The panels: the start, the end, and, where the dose is for each side or
    alternates and the view is not from the side, the end to the other side
    (seen from the side it would look the same, the near and far limbs
    swapped; the description still says to do both). The arrow in each shows the path of
    the figure's landmark from the start. The SVG's title is the exercise's
    name and its description, which a screen reader reads, is
    :func:`alternative`.

    Raises:
        ValueError: The exercise has no figure.
    """
    figure = exercise.figure
    if figure is None:
        msg = f"exercise {exercise.id!r} has no figure to draw"
        raise ValueError(msg)
    return _drawn(
        figure,
        both=_both_sides(exercise),
        title=exercise.name,
        description=alternative(exercise),
    )


@functools.lru_cache(maxsize=256)
def _drawn(figure: Figure, *, both: bool, title: str, description: str) -> str:
    """The drawing itself, kept for the next call.

    A grid of variants or a batch of exports asks for the same exercise's
    figure many times, and each drawing costs tens of milliseconds of geometry.
    """
    start = joints(figure.start)
    ends = [("End", start, figure.end, figure.arrow)]
    if both and figure.view != "side":
        other = joints(mirrored(figure.start))
        ends.append(
            ("Other side", other, mirrored(figure.end), mirrored_name(figure.arrow))
        )
    panels = [Panel(start, "Start", chair=figure.chair)]
    for caption, before, pose, landmark in ends:
        end = joints(pose)
        panels.append(
            Panel(
                end,
                caption,
                arrow=(landmark, _carried(before, end, pose.rest)[landmark]),
                chair=figure.chair,
            )
        )
    return drawing(panels, figure.view, title=title, description=description)


def alternative(exercise: Exercise) -> str:
    """What an exercise's figure shows, in the exercise's own words.

    The start position, then the first step, and the other side where the dose
    works both: the text a screen reader reads instead of the picture, and the
    caption under it.
    """
    words = [f"Start: {exercise.position}", f"Then: {exercise.instructions[0]}"]
    if _both_sides(exercise):
        words.append("Then the same to the other side.")
    return " ".join(words)


def _both_sides(exercise: Exercise) -> bool:
    return exercise.dose.side.sides_worked == 2  # left and right


def _carried(
    start: dict[str, Vector], end: dict[str, Vector], rest: Sequence[str]
) -> dict[str, Vector]:
    """The start's landmarks moved so that what rests in the end pose matches.

    An arrow from a landmark's start to its end must begin where the landmark
    was relative to what stays put (the hands and knees on all fours, the back
    lying down), not where the panel's own centring would put it.
    """
    anchors = list(rest) or ["pelvis"]
    shift = [
        sum(end[a][axis] - start[a][axis] for a in anchors) / len(anchors)
        for axis in range(3)
    ]
    return {
        name: (p[0] + shift[0], p[1] + shift[1], p[2] + shift[2])
        for name, p in start.items()
    }


def aspect(svg: str) -> float:
    """How many times wider than tall a drawing of :func:`drawing` is."""
    root = ET.fromstring(svg)  # noqa: S314 - our own drawing
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
    return width / height
