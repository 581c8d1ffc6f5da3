"""Line drawings of a pose, as SVG: work in progress for issue 28.

Nothing public uses this yet. :func:`drawing` draws one or more poses of the
body model (:mod:`mobility.model._body`) side by side, seen from the side, the
front or above, with the floor or a chair, and an arrow from where a landmark
starts to where it ends. ElementTree writes the SVG, so every text in it is
escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final
from xml.etree import ElementTree as ET

import attrs


if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..model._body import Vector


#: How each view projects the world onto the page: the world axis drawn to the
#: right, the one drawn upwards, and the one that points at the viewer.
VIEWS: Final = {
    "side": (0, 2, 1),  # x to the right, z up; the person's left is nearer
    "front": (1, 2, 0),  # y to the right, z up, looking from +x
    "top": (0, 1, 2),  # x to the right, y up, looking down
}

# The segments drawn, as pairs of landmarks; the trunk is one line through the
# waist so that a bent back shows as a bend.
_LIMBS: Final = (
    ("hip", "knee"),
    ("knee", "ankle"),
    ("ankle", "toe"),
    ("shoulder", "elbow"),
    ("elbow", "wrist"),
    ("wrist", "hand"),
)
_SVG: Final = "http://www.w3.org/2000/svg"
_UNIT: Final = 200.0  # pixels for a body 1 tall
_HEAD: Final = 0.06  # the head's radius, as a fraction of height
_MARGIN: Final = 18.0  # pixels around a body


@attrs.frozen
class Panel:
    """One pose to draw, with what goes around it.

    Args:
        landmarks: Where each landmark is, from :func:`mobility.model._body.joints`.
        caption: What the panel shows, in words.
        arrow: A landmark and where it moves to, for an arrow; ``None`` for none.
        chair: Whether to draw a chair under the pelvis.
    """

    landmarks: dict[str, Vector]
    caption: str
    arrow: tuple[str, Vector] | None = None
    chair: bool = False


def drawing(panels: Sequence[Panel], view: str, *, title: str, description: str) -> str:
    """The panels side by side, as one SVG document with a title and description.

    Every panel is drawn at the same scale, the largest at which the widest and
    the tallest of them fit, so that the panels compare.
    """
    across, upward, _ = VIEWS[view]
    width = _UNIT * 1.4
    height = _UNIT * 1.25
    spans = [
        (
            max(p[across] for p in panel.landmarks.values())
            - min(p[across] for p in panel.landmarks.values()),
            max(p[upward] for p in panel.landmarks.values())
            - (
                0.0
                if view != "top"
                else min(p[upward] for p in panel.landmarks.values())
            ),
        )
        for panel in panels
    ]
    scale = min(
        (width - 2 * _MARGIN) / max(*(w for w, _ in spans), 1e-9),
        (height - 20 - 2 * _MARGIN) / max(*(h for _, h in spans), 1e-9),
        _UNIT * 1.5,
    )
    svg = ET.Element(
        "svg",
        {
            "xmlns": _SVG,
            "viewBox": f"0 0 {width * len(panels):.0f} {height + 24:.0f}",
            "role": "img",
            "font-family": "DejaVu Sans, Liberation Sans, Arial, sans-serif",
        },
    )
    ET.SubElement(svg, "title").text = title
    ET.SubElement(svg, "desc").text = description
    for index, panel in enumerate(panels):
        group = ET.SubElement(
            svg, "g", {"transform": f"translate({index * width:.1f} 0)"}
        )
        _panel(
            group,
            panel,
            view=view,
            axes=(across, upward),
            size=(width, height),
            scale=scale,
        )
    return ET.tostring(svg, encoding="unicode")


def _panel(  # noqa: PLR0913 - a panel and how it is seen
    group: ET.Element,
    panel: Panel,
    *,
    view: str,
    axes: tuple[int, int],
    size: tuple[float, float],
    scale: float,
) -> None:
    across, upward = axes
    width, height = size
    points = panel.landmarks
    xs = [p[across] for p in points.values()]
    ys = [p[upward] for p in points.values()]
    middle = (min(xs) + max(xs)) / 2

    def place(point: Vector) -> tuple[float, float]:
        x = width / 2 + (point[across] - middle) * scale
        if view == "top":
            y = (height - 20) / 2 - (point[upward] - (min(ys) + max(ys)) / 2) * scale
        else:  # the floor 20 px above the caption
            y = height - 20 - point[upward] * scale
        return x, y

    if view != "top":
        y = height - 20 + 2
        ET.SubElement(group, "line", _line((8, y), (width - 8, y), "#777", 2))
    if panel.chair:
        pelvis = place(points["pelvis"])
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
        for leg_x in (pelvis[0] - 28, pelvis[0] + 26):
            ET.SubElement(
                group, "line", _line((leg_x, seat), (leg_x, height - 18), "#999", 3)
            )
    near = "left" if view == "side" else "right"
    for side in ("right", "left") if near == "left" else ("left", "right"):
        shade = "#000" if side == near else "#8a8a8a"
        for a, b in _LIMBS:
            ET.SubElement(
                group,
                "line",
                _line(
                    place(points[f"{side}_{a}"]), place(points[f"{side}_{b}"]), shade, 5
                ),
            )
        if side != near:  # the trunk between the two sides
            trunk = " ".join(
                "{:.1f},{:.1f}".format(*place(points[name]))
                for name in ("pelvis", "waist", "chest")
            )
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
            head = place(points["head"])
            chest = place(points["chest"])
            centre = (
                chest[0] + (head[0] - chest[0]) * 0.7,
                chest[1] + (head[1] - chest[1]) * 0.7,
            )
            ET.SubElement(group, "line", _line(chest, centre, "#000", 5))
            ET.SubElement(
                group,
                "circle",
                {
                    "cx": f"{centre[0]:.1f}",
                    "cy": f"{centre[1]:.1f}",
                    "r": f"{_HEAD * _UNIT:.1f}",
                    "fill": "#fff",
                    "stroke": "#000",
                    "stroke-width": "3",
                },
            )
    if panel.arrow is not None:
        landmark, target = panel.arrow
        _arrow(group, place(points[landmark]), place(target))
    caption = ET.SubElement(
        group,
        "text",
        {
            "x": f"{width / 2:.1f}",
            "y": f"{height + 16:.1f}",
            "text-anchor": "middle",
            "font-size": "14",
        },
    )
    caption.text = panel.caption


def _line(
    a: tuple[float, float], b: tuple[float, float], colour: str, width: float
) -> dict[str, str]:
    return {
        "x1": f"{a[0]:.1f}",
        "y1": f"{a[1]:.1f}",
        "x2": f"{b[0]:.1f}",
        "y2": f"{b[1]:.1f}",
        "stroke": colour,
        "stroke-width": f"{width}",
        "stroke-linecap": "round",
    }


def _arrow(
    group: ET.Element, start: tuple[float, float], end: tuple[float, float]
) -> None:
    """A curved arrow from ``start`` to ``end``, bowed outwards, with its head."""
    mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    dx, dy = end[0] - start[0], end[1] - start[1]
    bow = (mid[0] - dy * 0.25, mid[1] + dx * 0.25)
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
    length = max((tx * tx + ty * ty) ** 0.5, 1e-9)
    ux, uy = tx / length, ty / length
    for turn in (1, -1):
        px, py = -uy * turn, ux * turn
        tip = (end[0] - ux * 12 + px * 6, end[1] - uy * 12 + py * 6)
        ET.SubElement(group, "line", _line(end, tip, "#1f4e79", 3))
